"""Issue #13's lead professional's pages: a child's one page, quick purchase, orders waiting on a
budget-holding manager (/orders/requests/) and brokers' declared interests (/orders/interests/)."""

from django.urls import path

from marketplace.views import buy_for_child, child_overview, order_requests

urlpatterns: list = [
    path("children/<uuid:person_id>/", child_overview.child_overview, name="child-overview"),
    path("children/<uuid:person_id>/buy/<uuid:offer_id>/", order_requests.quick_purchase, name="quick-purchase"),
    path("children/buy/<uuid:offer_id>/", buy_for_child.buy_for_child, name="buy-for-child"),
    path("orders/requests/", order_requests.order_request_list, name="order-requests"),
    path("orders/requests/export.csv", order_requests.order_request_export, name="order-requests-export"),
    path("orders/requests/<uuid:public_id>/", order_requests.order_request_detail, name="order-request"),
    path(
        "orders/requests/<uuid:public_id>/approve/", order_requests.order_request_approve, name="order-request-approve"
    ),
    path(
        "orders/requests/<uuid:public_id>/decline/", order_requests.order_request_decline, name="order-request-decline"
    ),
    path(
        "orders/requests/<uuid:public_id>/withdraw/",
        order_requests.order_request_withdraw,
        name="order-request-withdraw",
    ),
    path("orders/interests/", order_requests.interests, name="interests"),
    path("orders/interests/export.csv", order_requests.interests_export, name="interests-export"),
    path("orders/interests/<uuid:public_id>/withdraw/", order_requests.interest_withdraw, name="interest-withdraw"),
]
