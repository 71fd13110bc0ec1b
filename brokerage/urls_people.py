"""Casework: caseloads and people's records, budgets, support plans, approvals, the team around the
child and reviews, under /budgets/."""

from django.urls import path

from brokerage.views import (
    approvals,
    consent_access,
    direct_payments,
    finance,
    monitoring,
    packages,
    people,
    plans,
    reviews,
    statements,
    team,
)

urlpatterns: list = [
    path("people/", people.caseload, name="caseload"),
    path("people/export.csv", people.caseload_export, name="caseload-export"),
    path("people/add/", people.person_add, name="person-add"),
    path("people/<uuid:public_id>/", people.person_detail, name="person"),
    path("people/<uuid:public_id>/consent-hand-over/", people.person_handover, name="person-handover"),
    path("people/<uuid:public_id>/budgets/add/", plans.budget_add, name="budget-add"),
    path("people/<uuid:public_id>/team/", team.team_detail, name="team"),
    path("people/<uuid:public_id>/team/add/", team.member_add, name="team-member-add"),
    path("people/<uuid:public_id>/team/meetings/add/", team.meeting_add, name="team-meeting-add"),
    path("access-log/", people.access_log, name="access-log"),
    path("access-log/export.csv", people.access_log_export, name="access-log-export"),
    path("budget/<uuid:public_id>/", plans.budget_detail, name="budget"),
    path("budget/<uuid:public_id>/allocations/add/", plans.allocation_add, name="allocation-add"),
    path("budget/<uuid:public_id>/plans/add/", plans.plan_add, name="plan-add"),
    path("plans/<uuid:public_id>/", plans.plan_detail, name="plan"),
    path("plans/<uuid:public_id>/outcomes/add/", plans.outcome_add, name="plan-outcome-add"),
    path("plans/<uuid:public_id>/lines/add/", plans.line_add, name="plan-line-add"),
    path("plans/<uuid:public_id>/lines/<uuid:line_id>/remove/", plans.line_remove, name="plan-line-remove"),
    path("plans/<uuid:public_id>/status/", plans.plan_status, name="plan-status"),
    path("plans/<uuid:public_id>/submit/", plans.plan_submit, name="plan-submit"),
    path("plans/<uuid:public_id>/review/", reviews.review, name="plan-review"),
    path("reviews/", reviews.reviews_due, name="reviews"),
    path("approvals/", approvals.queue, name="approvals"),
    path("approvals/export.csv", approvals.queue_export, name="approvals-export"),
    path("approvals/<uuid:public_id>/", approvals.approval_detail, name="approval"),
    path("budget/<uuid:public_id>/statement/", statements.statement_page, name="budget-statement"),
    path("budget/<uuid:public_id>/statement.csv", statements.statement_csv, name="budget-statement-csv"),
    path("budget/<uuid:public_id>/statement.pdf", statements.statement_pdf, name="budget-statement-pdf"),
    path("finance/postings/", finance.postings_export, name="finance-postings"),
]

# Direct payments, contingency and light-touch monitoring.
urlpatterns += [
    path("budget/<uuid:public_id>/direct-payments/", direct_payments.direct_payments, name="direct-payments"),
    path("budget/<uuid:public_id>/direct-payments/spending.csv", direct_payments.spend_export, name="dp-spend-export"),
    path("budget/<uuid:public_id>/direct-payments/spending/add/", direct_payments.spend_add, name="dp-spend-add"),
    path(
        "budget/<uuid:public_id>/contingency/release/", direct_payments.contingency_release, name="contingency-release"
    ),
    path("direct-payments/spending/<uuid:public_id>/receipt/", direct_payments.spend_receipt, name="dp-spend-receipt"),
    path("direct-payments/instalments/<uuid:public_id>/pay/", direct_payments.instalment_pay, name="dp-instalment-pay"),
    path(
        "direct-payments/schedules/<uuid:public_id>/frequency/",
        direct_payments.schedule_frequency,
        name="dp-schedule-frequency",
    ),
    path("monitoring/", monitoring.queue, name="monitoring"),
    path("monitoring/export.csv", monitoring.queue_export, name="monitoring-export"),
    path("monitoring/<uuid:public_id>/", monitoring.flag_detail, name="monitoring-flag"),
]

# The consent holder gives and withdraws access to the record.
urlpatterns += [
    path("people/<uuid:public_id>/access/", consent_access.access_overview, name="person-access"),
    path("people/<uuid:public_id>/access/give/", consent_access.access_give, name="person-access-give"),
    path(
        "people/<uuid:public_id>/access/<uuid:grant_id>/withdraw/",
        consent_access.access_withdraw,
        name="person-access-withdraw",
    ),
]

# The package builder's changes and the family agreeing the plan (the builder page is the marketplace's).
urlpatterns += [
    path("plans/<uuid:public_id>/package/lines/<uuid:line_id>/times/add/", packages.slot_add, name="package-slot-add"),
    path(
        "plans/<uuid:public_id>/package/lines/<uuid:line_id>/times/<int:slot_id>/",
        packages.slot_change,
        name="package-slot-change",
    ),
    path(
        "plans/<uuid:public_id>/package/lines/<uuid:line_id>/times/<int:slot_id>/remove/",
        packages.slot_remove,
        name="package-slot-remove",
    ),
    path("plans/<uuid:public_id>/package/lines/<uuid:line_id>/", packages.line_change, name="package-line-change"),
    path(
        "plans/<uuid:public_id>/package/lines/<uuid:line_id>/remove/",
        packages.line_remove,
        name="package-line-remove",
    ),
    path("plans/<uuid:public_id>/package/send/", packages.send_to_family, name="plan-send-to-family"),
    path("plans/<uuid:public_id>/agree/", packages.plan_agree, name="plan-agree"),
]
