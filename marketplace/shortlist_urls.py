"""Shortlists: saved for signed-in users, kept in the session for others, shared and compared."""

from django.urls import path

from marketplace.views import shortlists

urlpatterns: list = [
    path("shortlist/", shortlists.shortlist_detail, name="shortlist"),
    path("shortlist/add/", shortlists.shortlist_add, name="shortlist-add"),
    path("shortlist/remove/", shortlists.shortlist_remove, name="shortlist-remove"),
    path("shortlist/compare/", shortlists.shortlist_compare, name="shortlist-compare"),
    path("shortlist/export.csv", shortlists.shortlist_export, name="shortlist-export"),
    path("shortlist/offers/<uuid:offer_public_id>/note/", shortlists.shortlist_note, name="shortlist-note"),
    path("shortlist/share/", shortlists.shortlist_share, name="shortlist-share"),
    path("shortlist/shares/<uuid:share_public_id>/stop/", shortlists.shortlist_share_stop, name="shortlist-share-stop"),
    path("shortlist/shared/", shortlists.shortlists_shared, name="shortlists-shared"),
    path("shortlist/shared/<uuid:public_id>/", shortlists.shortlist_shared_detail, name="shortlist-shared"),
    path(
        "shortlist/shared/<uuid:public_id>/compare/",
        shortlists.shortlist_shared_compare,
        name="shortlist-shared-compare",
    ),
    path(
        "shortlist/shared/<uuid:public_id>/export.csv",
        shortlists.shortlist_shared_export,
        name="shortlist-shared-export",
    ),
]
