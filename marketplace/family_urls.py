"""The family's and young person's workspace (/my/) and the practitioners' requests for help."""

from django.urls import path

from marketplace.views import family

urlpatterns = [
    path("my/", family.my_home, name="my-home"),
    path("my/help-requests/", family.help_requests, name="help-requests"),
    path("my/help-requests/export.csv", family.help_requests_export, name="help-requests-export"),
    path("my/help-requests/<uuid:public_id>/", family.help_request_detail, name="help-request"),
    path("my/<uuid:person_id>/", family.my_person, name="my-person"),
    path("my/<uuid:person_id>/budget/", family.my_budget, name="my-budget"),
    path("my/<uuid:person_id>/plan/", family.my_plan, name="my-plan"),
    path("my/<uuid:person_id>/support/", family.my_support, name="my-support"),
    path("my/<uuid:person_id>/help/", family.my_help, name="my-help"),
]
