"""The site's URLs plus the framework floor, so that both are served through the same stack."""

from django.urls import path

from benchmarks.floor import FRAMEWORK_FLOOR_PATH, framework_floor
from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as site_urlpatterns

# Before the site's own patterns: they end with Wagtail's catch-all.
urlpatterns = [path(FRAMEWORK_FLOOR_PATH.lstrip("/"), framework_floor), *site_urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
