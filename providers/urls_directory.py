"""The public directory, mounted at /directory/, and the bulk pages (CSV import and export, taxonomy terms)
under /directory/bulk/."""

from django.urls import path

from providers.views import bulk, public

urlpatterns = [
    path("providers/<uuid:public_id>/", public.provider_detail, name="public-provider"),
    path(
        "personal-assistants/<uuid:public_id>/",
        public.personal_assistant_detail,
        name="public-personal-assistant",
    ),
    path("offers/<uuid:public_id>/", public.offer_detail, name="public-offer"),
    # A provider's or personal assistant's own offers as CSV.
    path("bulk/offers.csv", bulk.offers_export, name="bulk-offers-export"),
    path("bulk/offers/import/", bulk.offers_import, name="bulk-offers-import"),
    # A council administrator's directory: the providers registered with the council.
    path("bulk/council/", bulk.council_directory, name="bulk-council"),
    path("bulk/council/list.csv", bulk.council_directory_list_csv, name="bulk-council-list-csv"),
    path("bulk/council/directory.csv", bulk.council_directory_export, name="bulk-council-export"),
    path("bulk/council-import/", bulk.council_directory_import, name="bulk-council-import"),
    # The CSV columns, for anyone preparing a file.
    path("bulk/columns/", bulk.csv_columns, name="bulk-columns"),
    # A council's own taxonomy terms.
    path("bulk/taxonomy/", bulk.taxonomy_terms, name="taxonomy-terms"),
    path("bulk/taxonomy/<slug:kind>/add/", bulk.taxonomy_term_add, name="taxonomy-term-add"),
    path(
        "bulk/taxonomy/terms/<uuid:public_id>/deactivate/",
        bulk.taxonomy_term_deactivate,
        name="taxonomy-term-deactivate",
    ),
    path(
        "bulk/taxonomy/terms/<uuid:public_id>/reactivate/",
        bulk.taxonomy_term_reactivate,
        name="taxonomy-term-reactivate",
    ),
]
