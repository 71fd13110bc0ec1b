from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.admin_sign_in import django_admin_sign_in, wagtail_admin_sign_in
from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("account/", include("accounts.urls")),
    path("site-search/", include("cms.urls")),
    path("", include("providers.urls")),
    path("", include("marketplace.urls")),
    path("budgets/", include("brokerage.urls")),
    path("payments/stripe/", include("marketplace.payments.webhook_urls")),
    path("payments/bank-details/", include("marketplace.payments.bank_urls")),
    path("payments/top-ups/", include("marketplace.payments.top_up_urls")),
    path("payments/", include("marketplace.payments.urls")),
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="api-schema"),
    path("api/oruk/", include("search.oruk.urls")),
    # Both admins' own password forms are replaced by /account/sign-in/ and its rules (docs/sign-in.md).
    path("admin/login/", django_admin_sign_in, name="admin-sign-in"),
    path("admin/", admin.site.urls),
    path("cms-admin/login/", wagtail_admin_sign_in, name="wagtail-admin-sign-in"),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree; it must come last.
urlpatterns.append(path("", include(wagtail_urls)))

handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
