"""Provider self-service at /providers/ and the public directory pages at /directory/."""

from django.urls import include, path

app_name = "providers"
urlpatterns = [
    path("providers/", include("providers.urls_self_service")),
    path("directory/", include("providers.urls_directory")),
    path("frameworks/", include("providers.urls_frameworks")),
    path("concerns/", include("providers.urls_concerns")),
    path("quality/", include("providers.urls_qa")),
]
