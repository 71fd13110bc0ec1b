"""Top-ups under /payments/top-ups/ (namespace "top_ups"): a family's payment into a budget by card or bank
transfer, and the finance officers' list, download, bank-transfer and refund pages and settings."""

from django.urls import path

from marketplace.payments import top_up_views as views

app_name = "top_ups"

urlpatterns = [
    path("", views.top_up_list, name="list"),
    # The same list, under its own name for the families' navigation item (the registry is keyed by name).
    path("yours/", views.top_up_list, name="yours"),
    path("export.csv", views.top_up_export, name="export"),
    path("settings/", views.top_up_settings, name="settings"),
    path("budget/<uuid:budget_id>/pay/", views.top_up_new, name="new"),
    path("<uuid:public_id>/", views.top_up_detail, name="detail"),
    path("<uuid:public_id>/card/", views.top_up_card, name="card"),
    path("<uuid:public_id>/card/return/", views.top_up_card_return, name="card-return"),
    path("<uuid:public_id>/bank-transfer/", views.top_up_bank_transfer, name="bank-transfer"),
    path("<uuid:public_id>/received/", views.top_up_receive, name="receive"),
    path("<uuid:public_id>/refund/", views.top_up_refund, name="refund"),
]
