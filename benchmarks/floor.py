"""The framework floor: the cheapest view Django can serve, the baseline for page benchmarks."""

from django.http import HttpRequest, HttpResponse

FRAMEWORK_FLOOR_PATH = "/benchmarks/framework-floor/"
URLCONF = "benchmarks.urls"  # the site's URLs with the floor added


def framework_floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
