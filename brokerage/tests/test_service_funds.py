"""Individual service funds: the schedule adds up, the reconciliation flags exactly the differences beyond the
tolerance and adds up to the penny, an accepted statement is recorded as spent once, and the period end
returns or carries forward what the provider still holds, once."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from brokerage import ledger
from brokerage.exceptions import TransitionNotAllowed
from brokerage.models import (
    AccountKind,
    LedgerTransaction,
    ServiceFundFrequency,
    ServiceFundPeriodEnd,
    ServiceFundPolicy,
    StatementStatus,
    SurplusAction,
    TransactionKind,
)
from brokerage.selectors.service_funds import (
    Planned,
    Reported,
    held_by_provider,
    planned_for_month,
    reconcile,
    statement_reconcile,
)
from brokerage.services.service_funds import (
    LineInput,
    isf_instalment_pay,
    isf_period_end_close,
    isf_schedule_set_frequency,
    isf_statement_accept,
    isf_statement_query,
    isf_statement_resubmit,
    isf_statement_submit,
)
from brokerage.statements import budget_statement
from brokerage.tests.service_fund_factories import isf_fund, next_year_fund

MAY = datetime.date(2026, 5, 1)
AFTER_THE_YEAR = datetime.date(2027, 4, 2)

IN_JUNE = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC)

pennies = st.integers(min_value=0, max_value=5_000_000).map(lambda p: D(p) / 100)


@pytest.fixture
def fund(time_machine):  # type: ignore[no-untyped-def]
    """Tom's fund, in June 2026: April's and May's statements can be sent."""
    time_machine.move_to(IN_JUNE, tick=False)
    return isf_fund()


# --- Reconciliation arithmetic ---------------------------------------------------------------------


@given(
    planned=st.lists(pennies, min_size=0, max_size=6),
    reported=st.lists(st.tuples(st.integers(min_value=-1, max_value=5), pennies), max_size=8),
    percent=st.integers(min_value=0, max_value=2000).map(lambda p: D(p) / 100),
    pounds=pennies,
)
def test_a_line_is_flagged_exactly_when_its_difference_is_beyond_the_tolerance_and_totals_add_up(
    planned, reported, percent, pounds
):
    policy = ServiceFundPolicy(tolerance_percent=percent, tolerance_amount=pounds)
    expected = [Planned(key, f"line {key}", D("1.00"), amount, amount) for key, amount in enumerate(planned)]
    lines = [Reported(key if key >= 0 else None, "spend", D("1.00"), amount, amount) for key, amount in reported]

    result = reconcile(planned=expected, reported=lines, policy=policy)

    for line in result.lines:
        tolerance = max((line.planned * percent / 100).quantize(D("0.01")), pounds)
        assert line.tolerance == tolerance
        assert line.flagged == (abs(line.reported - line.planned) > tolerance)
    assert result.planned == sum(planned, D("0.00"))
    assert result.reported == sum((amount for _, amount in reported), D("0.00"))
    assert result.difference == result.reported - result.planned
    assert result.flagged == (abs(result.difference) > result.tolerance)
    assert all(line.reported == line.reported.quantize(D("0.01")) for line in result.lines)


def test_the_default_tolerance_is_the_larger_of_five_percent_and_ten_pounds():
    policy = ServiceFundPolicy()
    assert policy.tolerance_for(D("100.00")) == D("10.00")
    assert policy.tolerance_for(D("1000.00")) == D("50.00")


def test_spending_outside_the_plan_is_its_own_line_planned_at_nothing():
    result = reconcile(
        planned=[Planned(1, "Support", D("13.00"), D("20.00"), D("260.00"))],
        reported=[
            Reported(1, "Support", D("13.00"), D("20.00"), D("260.00")),
            Reported(None, "Bus fares", D("1"), D("45.00"), D("45.00")),
        ],
        policy=ServiceFundPolicy(),
    )
    assert [(line.label, line.in_plan, line.flagged) for line in result.lines] == [
        ("Support", True, False),
        ("Bus fares", False, True),
    ]


@pytest.mark.django_db
def test_a_weekly_line_plans_an_average_month_and_a_stopped_line_nothing(fund):
    may = planned_for_month(fund.line, MAY, datetime.date(2026, 5, 31))
    assert (may.quantity, may.amount) == (D("13.00"), D("260.00"))

    fund.line.stopped_on = datetime.date(2026, 4, 30)
    assert planned_for_month(fund.line, MAY, datetime.date(2026, 5, 31)).amount == D("0.00")


# --- The schedule ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_isf_is_paid_to_its_provider_monthly_by_default_and_the_instalments_add_up(fund):
    instalments = list(fund.allocation.isf_schedule.instalments.all())
    assert len(instalments) == 12
    assert {i.amount for i in instalments} == {D("260.00")}
    assert instalments[1].due_on == datetime.date(2026, 5, 1)


@pytest.mark.django_db
def test_four_weekly_instalments_are_28_days_apart_and_add_up_exactly(time_machine):
    time_machine.move_to(IN_JUNE, tick=False)
    fund = isf_fund(amount="1000.00")
    schedule = isf_schedule_set_frequency(
        schedule=fund.allocation.isf_schedule, actor=fund.fiona, frequency=ServiceFundFrequency.FOUR_WEEKLY
    )
    instalments = list(schedule.instalments.all())
    assert len(instalments) == 14  # 1 April 2026 + 13 × 28 days is 31 March 2027
    assert instalments[1].due_on - instalments[0].due_on == datetime.timedelta(days=28)
    assert sum(i.amount for i in instalments) == D("1000.00")


# --- Statements ---------------------------------------------------------------------------------------


def _paid(fund, count: int = 1) -> None:  # type: ignore[no-untyped-def]
    for instalment in fund.allocation.isf_schedule.instalments.all()[:count]:
        isf_instalment_pay(instalment=instalment, actor=fund.fiona, key=f"test-{instalment.pk}")


def _statement(fund, hours: str = "13", rate: str = "20.00", others=()):  # type: ignore[no-untyped-def]
    lines = [LineInput(fund.line, fund.line.description, D(hours), D(rate))]
    lines += [LineInput(None, text, D("1"), D(amount)) for text, amount in others]
    return isf_statement_submit(allocation=fund.allocation, actor=fund.pat, month=MAY, lines=lines)


@pytest.mark.django_db
def test_accepting_a_statement_records_its_spending_from_what_the_provider_holds_once(fund):
    _paid(fund, 2)
    statement = _statement(fund, hours="14", others=[("Cinema tickets", "12.50")])

    isf_statement_accept(statement=statement, actor=fund.fiona)

    assert held_by_provider(fund.allocation) == D("520.00") - D("292.50")
    assert ledger.balance(ledger.allocation_account(fund.allocation, AccountKind.SPENT)) == D("292.50")
    with pytest.raises(TransitionNotAllowed):
        isf_statement_accept(statement=statement, actor=fund.fred)
    assert LedgerTransaction.objects.filter(kind=TransactionKind.ISF_SPEND).count() == 1


@pytest.mark.django_db
def test_a_statement_beyond_what_the_provider_holds_cannot_be_accepted(fund):
    _paid(fund, 1)
    statement = _statement(fund, hours="20")

    with pytest.raises(ValidationError, match="holds £260.00"):
        isf_statement_accept(statement=statement, actor=fund.fiona)


@pytest.mark.django_db
def test_the_reconciliation_flags_a_line_beyond_the_tolerance(fund):
    statement = _statement(fund, hours="15")  # £300.00 against £260.00 planned: £40.00 over a £13.00 tolerance

    result = statement_reconcile(statement)

    assert [line.flagged for line in result.lines] == [True]
    assert (result.planned, result.reported, result.difference) == (D("260.00"), D("300.00"), D("40.00"))


@pytest.mark.django_db
def test_a_query_needs_a_reason_and_the_provider_corrects_the_statement(fund):
    _paid(fund, 1)
    statement = _statement(fund, hours="15")
    with pytest.raises(ValidationError):
        isf_statement_query(statement=statement, actor=fund.fiona, reason=" ")

    isf_statement_query(statement=statement, actor=fund.fiona, reason="Two hours more than the plan: why?")
    isf_statement_resubmit(
        statement=statement, actor=fund.pat, lines=[LineInput(fund.line, "Support", D("13"), D("20.00"))]
    )

    statement.refresh_from_db()
    assert statement.status == StatementStatus.SUBMITTED
    assert statement_reconcile(statement).reported == D("260.00")
    assert [c.new_status for c in statement.status_changes.order_by("id")] == ["submitted", "queried", "submitted"]


@pytest.mark.django_db
def test_only_the_providers_staff_send_a_statement_and_one_a_month(fund):
    with pytest.raises(ValidationError, match="Only staff"):
        isf_statement_submit(
            allocation=fund.allocation,
            actor=fund.fiona,
            month=MAY,
            lines=[LineInput(fund.line, "Support", D("1"), D("20.00"))],
        )
    _statement(fund)
    with pytest.raises(ValidationError, match="already sent"):
        _statement(fund)


# --- The period end -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_at_the_period_end_unspent_money_is_returned_once(fund):
    _paid(fund, 2)
    isf_statement_accept(statement=_statement(fund), actor=fund.fiona)

    first = isf_period_end_close(allocation=fund.allocation, actor=fund.fiona, today=AFTER_THE_YEAR)
    again = isf_period_end_close(allocation=fund.allocation, actor=fund.fred, today=AFTER_THE_YEAR)

    assert first == again
    assert (first.unspent, first.returned, first.carried_forward) == (D("260.00"), D("260.00"), D("0.00"))
    assert held_by_provider(fund.allocation) == D("0.00")
    assert budget_statement(fund.allocation.budget).total("returned") == D("260.00")
    assert ServiceFundPeriodEnd.objects.count() == 1


@pytest.mark.django_db
def test_carrying_forward_moves_up_to_the_cap_to_next_years_fund_and_returns_the_rest(fund):
    ServiceFundPolicy.objects.create(
        council=fund.council, surplus_action=SurplusAction.CARRY_FORWARD, carry_forward_weeks=2
    )
    following = next_year_fund(fund)
    _paid(fund, 2)

    closed = isf_period_end_close(allocation=fund.allocation, actor=fund.fiona, today=AFTER_THE_YEAR)

    # Two weeks of planned spending may be carried forward (the plan's £3,120.00 over the year's 52 1/7 weeks is
    # £59.84 a week); the rest of the £520.00 goes back.
    assert (closed.carried_forward, closed.returned, closed.carried_to) == (D("119.68"), D("400.32"), following)
    assert held_by_provider(following) == D("119.68")


@pytest.mark.django_db
def test_the_period_cannot_close_before_it_ends_or_with_a_statement_waiting(fund):
    _paid(fund, 1)
    with pytest.raises(ValidationError, match="period ends"):
        isf_period_end_close(allocation=fund.allocation, actor=fund.fiona, today=datetime.date(2027, 3, 31))
    _statement(fund)
    with pytest.raises(ValidationError, match="Reconcile"):
        isf_period_end_close(allocation=fund.allocation, actor=fund.fiona, today=AFTER_THE_YEAR)


@pytest.mark.django_db
def test_the_budget_statement_counts_money_the_provider_holds_in_the_balance(fund):
    _paid(fund, 1)
    figures = budget_statement(fund.allocation.budget).allocations[0]
    assert figures.held_by_provider == D("260.00")
    assert figures.balance == D("3120.00")
