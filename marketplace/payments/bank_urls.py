"""Bank details under /payments/bank-details/ (namespace "bank_details"): the finance officers' queue and
its CSV download, each record's page with the call-back, approval and rejection, and the payees' pages."""

from django.urls import path

from marketplace.payments import bank_views as views

app_name = "bank_details"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("export.csv", views.queue_export, name="queue-export"),
    path("yours/", views.own_bank_details, name="own"),
    path("family/<uuid:public_id>/", views.family_bank_details, name="family"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/call-back/", views.record_callback, name="callback"),
    path("<uuid:public_id>/approve/", views.approve, name="approve"),
    path("<uuid:public_id>/reject/", views.reject, name="reject"),
]
