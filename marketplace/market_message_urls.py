"""Commissioners' messages to providers (issue #14), under /market/messages/."""

from django.urls import path

from marketplace.views import market_messages

urlpatterns = [
    path("market/messages/", market_messages.message_list, name="market-messages"),
    path("market/messages/new/", market_messages.message_new, name="market-message-new"),
    path("market/messages/export.csv", market_messages.message_export, name="market-messages-export"),
    path("market/messages/received/", market_messages.received_list, name="market-messages-received"),
    path(
        "market/messages/received/<uuid:public_id>/",
        market_messages.received_detail,
        name="market-message-received",
    ),
    path("market/messages/<uuid:public_id>/", market_messages.message_detail, name="market-message"),
]
