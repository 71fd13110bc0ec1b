"""Open Referral UK 3.0, mounted at /api/oruk/ (config/urls.py)."""

from django.urls import path, re_path

from search.oruk import views
from search.oruk.cors import not_found

app_name = "oruk"

urlpatterns = [
    path("", views.About.as_view(), name="about"),
    path("openapi.json", views.OpenApiDocument.as_view(), name="openapi"),
    path("services", views.ServiceList.as_view(), name="services"),
    path("services/<uuid:id>", views.ServiceDetail.as_view(), name="service"),
    path("service_at_locations", views.ServiceAtLocationList.as_view(), name="service-at-locations"),
    path("service_at_locations/<uuid:id>", views.ServiceAtLocationDetail.as_view(), name="service-at-location"),
    path("taxonomies", views.TaxonomyList.as_view(), name="taxonomies"),
    path("taxonomies/<uuid:id>", views.TaxonomyDetail.as_view(), name="taxonomy"),
    path("taxonomy_terms", views.TaxonomyTermList.as_view(), name="taxonomy-terms"),
    path("taxonomy_terms/<uuid:id>", views.TaxonomyTermDetail.as_view(), name="taxonomy-term"),
    # Anything else here, including an id that is not a UUID, is a JSON 404 with the CORS header.
    re_path(r"^(?P<path>[\s\S]*)$", not_found, name="not-found"),  # "." would stop at a newline
]
