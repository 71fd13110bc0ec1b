"""Orders, delivery records, timesheets, invoices and one-off purchases, under /orders/: the list of what
waits on you and its CSV downloads, ordering from a plan line or an offer, buying something once, the
order, invoice and purchase pages and their actions."""

from django.urls import path

from marketplace.views import invoices, one_off, orders

urlpatterns: list = [
    path("orders/", orders.order_list, name="orders"),
    path("orders/waiting.csv", orders.waiting_export, name="orders-waiting-export"),
    path("orders/export.csv", orders.orders_export, name="orders-export"),
    path("orders/invoices/export.csv", invoices.invoices_export, name="invoices-export"),
    path("orders/one-off/for/<uuid:person_public_id>/", one_off.one_off_list, name="one-off-list"),
    path("orders/one-off/for/<uuid:person_public_id>/add/", one_off.one_off_add, name="one-off-add"),
    path("orders/one-off/for/<uuid:person_public_id>/export.csv", one_off.one_off_export, name="one-off-export"),
    path("orders/one-off/<uuid:public_id>/", one_off.one_off_detail, name="one-off"),
    path("orders/one-off/<uuid:public_id>/receipt/", one_off.one_off_receipt, name="one-off-receipt"),
    path("orders/one-off/<uuid:public_id>/approve/", one_off.one_off_approve, name="one-off-approve"),
    path("orders/one-off/<uuid:public_id>/refuse/", one_off.one_off_refuse, name="one-off-refuse"),
    path("orders/plan-lines/<uuid:line_public_id>/order/", orders.order_from_line, name="order-from-line"),
    path("orders/offers/<uuid:offer_public_id>/order/", orders.order_from_offer, name="order-from-offer"),
    path("orders/<uuid:public_id>/", orders.order_detail, name="order"),
    path("orders/<uuid:public_id>/accept/", orders.order_accept, name="order-accept"),
    path("orders/<uuid:public_id>/decline/", orders.order_decline, name="order-decline"),
    path("orders/<uuid:public_id>/change/", orders.order_change_propose, name="order-change-propose"),
    path(
        "orders/<uuid:public_id>/changes/<uuid:change_public_id>/accept/",
        orders.order_change_accept,
        name="order-change-accept",
    ),
    path(
        "orders/<uuid:public_id>/changes/<uuid:change_public_id>/reject/",
        orders.order_change_reject,
        name="order-change-reject",
    ),
    path("orders/<uuid:public_id>/cancel/", orders.order_cancel, name="order-cancel"),
    path("orders/<uuid:public_id>/complete/", orders.order_complete, name="order-complete"),
    path("orders/<uuid:public_id>/deliveries/add/", orders.delivery_add, name="order-delivery-add"),
    path("orders/<uuid:public_id>/timesheets/add/", orders.timesheet_add, name="order-timesheet-add"),
    path("orders/<uuid:public_id>/invoices/add/", invoices.invoice_submit, name="order-invoice-add"),
    path("orders/invoices/<uuid:public_id>/", invoices.invoice_detail, name="invoice"),
    path("orders/invoices/<uuid:public_id>/approve/", invoices.invoice_approve, name="invoice-approve"),
    path("orders/invoices/<uuid:public_id>/query/", invoices.invoice_query, name="invoice-query"),
    path("orders/invoices/<uuid:public_id>/refuse/", invoices.invoice_refuse, name="invoice-refuse"),
    path("orders/invoices/<uuid:public_id>/answer/", invoices.invoice_answer, name="invoice-answer"),
    path("orders/invoices/<uuid:public_id>/credit-notes/add/", invoices.credit_note_add, name="invoice-credit-note"),
]
