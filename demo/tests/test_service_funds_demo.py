"""The individual service funds demo builder: the counselling charity holds Ellie's fund, its due instalments are
paid in the payments demo's completed run, April's statement is accepted and May's waits flagged for a finance
officer, the family reads both on the budget statement, and a second build creates nothing."""

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Notification
from brokerage.models import (
    HeldAs,
    LedgerTransaction,
    PlanStatus,
    ServiceFundStatement,
    StatementStatus,
    TransactionKind,
)
from brokerage.selectors.service_funds import held_by_provider, statement_reconcile
from demo import runner
from demo.builders import commissioning, payments
from demo.builders import service_funds as service_funds_builder
from demo.context import DemoContext
from demo.councils import COVENTRY
from demo.logins import DEMO_PASSWORD
from demo.tests.helpers import coventry_demo, sign_in
from marketplace.models import PaymentRun, RunStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[DemoContext]:  # type: ignore[no-untyped-def]
    """Coventry's people, directory, families and commissioning (whose invoices give the charity its bank
    details), then the fund, the payment runs and the statements, as ``make run`` orders them."""
    with coventry_demo(
        django_db_blocker,
        commissioning.build,
        service_funds_builder.build_fund,
        payments.build,
        service_funds_builder.build_statements,
    ) as ctx:
        yield ctx


@pytest.fixture
def fund(built):  # type: ignore[no-untyped-def]
    allocation = service_funds_builder.fund_of(built, built.organisations[COVENTRY.slug])
    assert allocation is not None
    return allocation


def _statement(fund, month: int) -> ServiceFundStatement:  # type: ignore[no-untyped-def]
    return fund.isf_statements.get(period_start__month=month)


def test_the_fund_is_made_before_the_payment_runs_and_its_statements_after():
    order = [builder.build for builder in runner.BUILDERS]

    assert order.index(service_funds_builder.build_fund) < order.index(payments.build)
    assert order.index(payments.build) < order.index(service_funds_builder.build_statements)


def test_the_charity_with_the_provider_sign_in_holds_ellies_fund_paid_monthly(built, fund):
    assert fund.held_as == HeldAs.ISF
    assert fund.isf_provider == service_funds_builder.provider_of(built)
    assert fund.isf_provider.memberships.filter(user__email=service_funds_builder.PROVIDER_LOGIN).exists()
    assert fund.budget.person.first_name == "Ellie"
    assert fund.budget.plans.get().status == PlanStatus.ACTIVE
    instalments = fund.isf_schedule.instalments.all()
    assert instalments.count() == 12
    assert sum(instalment.amount for instalment in instalments) == Decimal("2160.00")


def test_the_due_instalments_were_paid_in_the_completed_run(fund):
    run = PaymentRun.objects.get(status=RunStatus.COMPLETED)
    due = fund.isf_schedule.instalments.filter(due_on__lte=run.pay_on)

    assert due.exists()
    for instalment in due:
        assert instalment.paid_at is not None
        assert instalment.payment_items.get().run == run
    assert not fund.isf_schedule.instalments.filter(due_on__gt=run.pay_on, paid_at__isnull=False).exists()
    assert held_by_provider(fund) == sum(i.amount for i in due) - Decimal("180.00")  # April's statement accepted


def test_aprils_statement_matched_the_plan_and_was_accepted_by_the_finance_sign_in(fund):
    april = _statement(fund, 4)
    reconciliation = statement_reconcile(april)

    assert april.status == StatementStatus.ACCEPTED
    assert april.decided_by.email == service_funds_builder.FINANCE_LOGIN
    assert april.submitted_by.email == service_funds_builder.PROVIDER_LOGIN
    assert (reconciliation.reported, reconciliation.planned, reconciliation.flagged) == (
        Decimal("180.00"),
        Decimal("180.00"),
        False,
    )
    assert april.transaction.kind == TransactionKind.ISF_SPEND


def test_mays_statement_is_beyond_the_tolerance_and_waits_for_the_finance_officers(fund):
    may = _statement(fund, 5)
    reconciliation = statement_reconcile(may)

    assert may.status == StatementStatus.SUBMITTED
    assert reconciliation.difference == Decimal("90.00")
    assert reconciliation.flagged and len(reconciliation.flagged_lines) == 1
    link = reverse("marketplace:isf-statement", args=[may.public_id])
    told = Notification.objects.filter(link=link, recipient__email=service_funds_builder.FINANCE_LOGIN)
    assert told.exists()


def test_the_finance_sign_in_finds_may_among_the_flagged_statements(fund):
    client = sign_in(service_funds_builder.FINANCE_LOGIN, DEMO_PASSWORD)

    response = client.get(reverse("marketplace:isf-reconciliation"), {"flagged": "yes"})

    assert response.status_code == 200
    assert reverse("marketplace:isf-statement", args=[_statement(fund, 5).public_id]) in response.content.decode()
    assert reverse("marketplace:isf-statement", args=[_statement(fund, 4).public_id]) not in response.content.decode()


def test_the_family_reads_both_months_on_the_budget_statement(built, fund):
    client = sign_in(service_funds_builder.parent_of(built).email, DEMO_PASSWORD)

    response = client.get(reverse("brokerage:budget-statement", args=[fund.budget.public_id]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Money held for Ellie by Open Door Counselling Coventry" in page
    assert "4 sessions delivered, costing £180.00" in page
    assert "6 sessions delivered, costing £270.00" in page
    assert "The council has checked and accepted this statement." in page
    assert "The council is checking this statement." in page


def test_a_second_build_creates_nothing(built):
    before = (ServiceFundStatement.objects.count(), LedgerTransaction.objects.count(), PaymentRun.objects.count())

    service_funds_builder.build_fund(built)
    service_funds_builder.build_statements(built)

    after = (ServiceFundStatement.objects.count(), LedgerTransaction.objects.count(), PaymentRun.objects.count())
    assert after == before
