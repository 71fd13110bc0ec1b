"""Stripe, under /payments/stripe/ in the "stripe" namespace: the webhook endpoints (one per council, and
the deployment's default) and the providers' "Get paid through Stripe" pages."""

from django.urls import path

from marketplace.payments import connect_views, webhook_views

app_name = "stripe"

urlpatterns = [
    path("webhook/", webhook_views.stripe_webhook, name="webhook"),
    path("webhook/<uuid:council_public_id>/", webhook_views.stripe_webhook, name="council-webhook"),
    path("connect/", connect_views.connect_page, name="connect"),
    path("connect/return/", connect_views.connect_return, name="connect-return"),
    path("connect/refresh/", connect_views.connect_refresh, name="connect-refresh"),
]
