"""Year end: unspent money returns to its stream or carries over, once per budget and period."""

import datetime
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import AuditEvent
from brokerage import ledger
from brokerage.models import HeldAs, LedgerTransaction
from brokerage.services.year_end import Decision, year_end_apply
from brokerage.statements import budget_statement
from brokerage.tests.factories import AllocationFactory, BudgetFactory

pytestmark = pytest.mark.django_db

AFTER = datetime.date(2027, 4, 1)
DURING = datetime.date(2027, 1, 10)


def _allocation_with(*, allocated: str, spent: str = "0.00", **factory_args):  # type: ignore[no-untyped-def]
    allocation = AllocationFactory(**factory_args)
    ledger.stream_fund(stream=allocation.stream, amount=D("10000.00"), key=f"fund-{allocation.pk}")
    ledger.allocate(allocation=allocation, amount=D(allocated), key=f"allocate-{allocation.pk}")
    if D(spent):
        ledger.dp_instalment(allocation=allocation, amount=D(spent), key=f"dp-{allocation.pk}", from_committed=False)
        ledger.dp_spend(allocation=allocation, amount=D(spent), key=f"spend-{allocation.pk}", description="Spent")
    return allocation


def test_unspent_money_returns_to_a_stream_that_does_not_carry_over():
    allocation = _allocation_with(allocated="300.00")
    report = year_end_apply(council=allocation.budget.council, year=2026, today=AFTER, dry_run=False)
    assert [(line.decision, line.to_return) for line in report.lines] == [(Decision.RETURNED, D("300.00"))]
    figures = budget_statement(allocation.budget).allocations[0]
    assert (figures.returned, figures.balance) == (D("300.00"), D("0.00"))
    assert AuditEvent.objects.filter(action="budget.year_end_returned").count() == 1


def test_a_stream_that_carries_over_keeps_its_money():
    allocation = _allocation_with(allocated="300.00", stream__carries_over=True)
    report = year_end_apply(council=allocation.budget.council, year=2026, today=AFTER, dry_run=False)
    assert report.lines[0].decision == Decision.CARRIED_OVER
    assert report.carried_over == D("300.00")
    assert budget_statement(allocation.budget).allocations[0].available == D("300.00")


def test_a_direct_payment_keeps_the_streams_weeks_of_spending_and_returns_the_rest():
    # £365 spent over the 365-day year is £7.00 a week; 10 weeks of it (£70.00) stay with the family.
    allocation = _allocation_with(
        allocated="1000.00",
        spent="365.00",
        held_as=HeldAs.DIRECT_PAYMENT,
        stream__surplus_weeks=10,
    )
    report = year_end_apply(council=allocation.budget.council, year=2026, today=AFTER, dry_run=False)
    assert report.lines[0].to_return == D("565.00")
    assert budget_statement(allocation.budget).allocations[0].available == D("70.00")


def test_a_dry_run_reports_what_would_be_returned_and_records_nothing():
    allocation = _allocation_with(allocated="300.00")
    before = LedgerTransaction.objects.count()
    report = year_end_apply(council=allocation.budget.council, year=2026, today=AFTER, dry_run=True)
    assert report.returned == D("300.00")
    assert LedgerTransaction.objects.count() == before


def test_running_the_year_end_twice_changes_nothing():
    allocation = _allocation_with(allocated="300.00")
    council = allocation.budget.council
    year_end_apply(council=council, year=2026, today=AFTER, dry_run=False)
    after_first = LedgerTransaction.objects.count()

    report = year_end_apply(council=council, year=2026, today=AFTER, dry_run=False)

    assert LedgerTransaction.objects.count() == after_first
    assert report.lines[0].decision == Decision.ALREADY_DONE
    assert budget_statement(allocation.budget).allocations[0].returned == D("300.00")


def test_a_budget_whose_period_has_not_ended_is_left_alone():
    allocation = _allocation_with(allocated="300.00")
    report = year_end_apply(council=allocation.budget.council, year=2026, today=DURING, dry_run=False)
    assert report.lines[0].decision == Decision.STILL_RUNNING
    assert budget_statement(allocation.budget).allocations[0].available == D("300.00")


def test_only_the_councils_budgets_for_that_year_are_touched():
    ours = _allocation_with(allocated="300.00")
    _allocation_with(allocated="200.00")  # another council
    _allocation_with(
        allocated="100.00",
        budget=BudgetFactory(
            person__council=ours.budget.council,
            financial_year=2025,
            starts_on=datetime.date(2025, 4, 1),
            ends_on=datetime.date(2026, 3, 31),
        ),
    )
    report = year_end_apply(council=ours.budget.council, year=2026, today=AFTER, dry_run=False)
    assert [line.allocation for line in report.lines] == [ours]


def test_the_command_reports_a_dry_run_then_records_once(time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(datetime.datetime(2027, 4, 2, 9, tzinfo=datetime.UTC), tick=False)
    allocation = _allocation_with(allocated="245.20")
    slug = allocation.budget.council.slug

    out = StringIO()
    call_command("year_end", council=slug, year=2026, dry_run=True, stdout=out, stderr=StringIO())
    assert "Would return £245.20 from 1 allocations" in out.getvalue()
    assert "Dry run: nothing was recorded." in out.getvalue()
    assert budget_statement(allocation.budget).total("returned") == D("0.00")

    call_command("year_end", council=slug, year=2026, stdout=StringIO(), stderr=StringIO())
    again = StringIO()
    call_command("year_end", council=slug, year=2026, stdout=again, stderr=StringIO())
    assert "Returned £0.00 from 0 allocations" in again.getvalue()
    assert "1 already done" in again.getvalue()
    assert budget_statement(allocation.budget).total("returned") == D("245.20")


def test_a_direct_payment_surplus_in_the_familys_account_is_reclaimed_above_the_streams_weeks():
    # £1,000 paid to the family, £365 spent: £7.00 a week; they keep 10 weeks (£70.00) of the £635 unspent.
    allocation = _allocation_with(
        allocated="1000.00", spent="365.00", held_as=HeldAs.DIRECT_PAYMENT, stream__surplus_weeks=10
    )
    ledger.dp_instalment(allocation=allocation, amount=D("635.00"), key="dp-rest", from_committed=False)
    report = year_end_apply(council=allocation.budget.council, year=2026, today=AFTER, dry_run=False)
    line = report.lines[0]
    assert (line.decision, line.to_return, line.from_family_account) == (Decision.RETURNED, D("565.00"), D("565.00"))
    figures = budget_statement(allocation.budget).allocations[0]
    assert (figures.available, figures.in_family_account, figures.returned) == (D("0.00"), D("70.00"), D("565.00"))


def test_the_surplus_is_taken_from_money_not_yet_paid_before_the_familys_account():
    allocation = _allocation_with(
        allocated="1000.00", spent="365.00", held_as=HeldAs.DIRECT_PAYMENT, stream__surplus_weeks=10
    )
    ledger.dp_instalment(allocation=allocation, amount=D("500.00"), key="dp-more", from_committed=False)
    report = year_end_apply(council=allocation.budget.council, year=2026, today=AFTER, dry_run=False)
    # £135 never paid out goes back first; £430 of the £500 in the family's account is reclaimed.
    assert (report.lines[0].to_return, report.lines[0].from_family_account) == (D("565.00"), D("430.00"))
    figures = budget_statement(allocation.budget).allocations[0]
    assert (figures.available, figures.in_family_account, figures.balance) == (D("0.00"), D("70.00"), D("70.00"))
    assert AuditEvent.objects.get(action="budget.year_end_returned").data["from_family_account"] == "430.00"


def test_a_family_within_its_allowance_keeps_what_is_in_its_account():
    allocation = _allocation_with(
        allocated="400.00", spent="365.00", held_as=HeldAs.DIRECT_PAYMENT, stream__surplus_weeks=10
    )
    ledger.dp_instalment(allocation=allocation, amount=D("35.00"), key="dp-last", from_committed=False)
    report = year_end_apply(council=allocation.budget.council, year=2026, today=AFTER, dry_run=False)
    assert report.lines[0].decision == Decision.KEPT
    assert budget_statement(allocation.budget).allocations[0].in_family_account == D("35.00")
