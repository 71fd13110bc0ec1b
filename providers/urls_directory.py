"""The public directory, mounted at /directory/, and the bulk pages (CSV import and export, taxonomy terms)
under /directory/bulk/."""

from django.urls import path

from providers.views import public

urlpatterns = [
    path("providers/<uuid:public_id>/", public.provider_detail, name="public-provider"),
    path(
        "personal-assistants/<uuid:public_id>/",
        public.personal_assistant_detail,
        name="public-personal-assistant",
    ),
    path("offers/<uuid:public_id>/", public.offer_detail, name="public-offer"),
]
