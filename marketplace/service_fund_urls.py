"""Individual service funds, under /service-funds/: the provider's funds and monthly statements, the council's
reconciliation (and its CSV), each statement's page and actions, and a fund's period end."""

from django.urls import path

from marketplace.views import service_funds

urlpatterns: list = [
    path("service-funds/", service_funds.fund_list, name="isf-funds"),
    path("service-funds/policy/", service_funds.policy_edit, name="isf-policy"),
    path("service-funds/reconciliation/", service_funds.reconciliation_list, name="isf-reconciliation"),
    path("service-funds/reconciliation.csv", service_funds.reconciliation_export, name="isf-reconciliation-export"),
    path("service-funds/statements/<uuid:public_id>/", service_funds.statement_detail, name="isf-statement"),
    path("service-funds/statements/<uuid:public_id>/accept/", service_funds.statement_accept, name="isf-accept"),
    path("service-funds/statements/<uuid:public_id>/query/", service_funds.statement_query, name="isf-query"),
    path("service-funds/statements/<uuid:public_id>/correct/", service_funds.statement_correct, name="isf-correct"),
    path("service-funds/<uuid:public_id>/", service_funds.fund_detail, name="isf-fund"),
    path("service-funds/<uuid:public_id>/statements/add/", service_funds.statement_add, name="isf-statement-add"),
    path("service-funds/<uuid:public_id>/close/", service_funds.fund_close, name="isf-close"),
    path("service-funds/<uuid:public_id>/frequency/", service_funds.fund_frequency, name="isf-frequency"),
]
