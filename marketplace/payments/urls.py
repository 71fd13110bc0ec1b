"""The payment screens, under /payments/ in the "payments" namespace: payment runs for finance officers,
remittances for providers and personal assistants, and the prompt-payment figures. The Stripe webhooks
and the bank-details screens have their own includes (payments/stripe/, payments/bank-details/)."""

from django.urls import path

from marketplace.payments import settings_views, views

app_name = "payments"

urlpatterns = [
    path("runs/", views.run_list, name="runs"),
    path("runs/export.csv", views.runs_export, name="runs-export"),
    path("runs/prepare/", views.run_prepare, name="run-prepare"),
    path("runs/<uuid:public_id>/", views.run_detail, name="run"),
    path("runs/<uuid:public_id>/progress/", views.run_progress, name="run-progress"),
    path("runs/<uuid:public_id>/authorise/", views.run_authorise, name="run-authorise"),
    path("runs/<uuid:public_id>/cancel/", views.run_cancel, name="run-cancel"),
    path("runs/<uuid:public_id>/pay/", views.run_pay, name="run-pay"),
    path("runs/<uuid:public_id>/payment-file.csv", views.payment_file_download, name="run-payment-file"),
    path("runs/<uuid:public_id>/payments.csv", views.run_payments_export, name="run-payments-export"),
    path("runs/<uuid:public_id>/rest-paid/", views.run_confirm_rest_paid, name="run-rest-paid"),
    path("runs/<uuid:public_id>/confirmations/", views.confirmations_upload, name="run-confirmations"),
    path(
        "runs/<uuid:public_id>/payments/<uuid:payment_public_id>/confirm/",
        views.payment_confirm,
        name="payment-confirm",
    ),
    path("remittances/", views.remittance_list, name="remittances"),
    path("remittances/<uuid:public_id>/", views.remittance_detail, name="remittance"),
    path("prompt-payment/", views.prompt_payment, name="prompt-payment"),
    path("prompt-payment/export.csv", views.prompt_payment_export, name="prompt-payment-export"),
    path("settings/", settings_views.payment_settings_page, name="settings"),
    path("settings/check-stripe/", settings_views.stripe_connection_check_view, name="settings-check-stripe"),
]
