"""The package builder: a draft support plan built from shortlists and searches (brokerage has the rest)."""

from django.urls import path

from marketplace.views import packages

urlpatterns = [
    path("budgets/plans/<uuid:public_id>/package/", packages.package, name="package"),
    path("budgets/plans/<uuid:public_id>/package/add/", packages.package_add, name="package-add"),
]
