"""Reading individual service funds: what the plan expects of the provider in a month, a statement reconciled
against it (differences beyond the council's tolerance flagged, per line and in total), and which funds and
statements a provider's staff or a council's finance officers may see (anything else answers 404).

Planned amounts for a month: a weekly line is its weekly amount × 52 ÷ 12 (an average month), a monthly line
its amount, a one-off line its whole amount in the month it starts. A line that has not started, has ended or
was stopped before the month plans nothing for it.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Organisation, User
from accounts.roles import Role
from brokerage import ledger
from brokerage.models import (
    AccountKind,
    Allocation,
    Budget,
    HeldAs,
    LineFrequency,
    PlanLine,
    ServiceFundPolicy,
    ServiceFundStatement,
)

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)


# --- Policy ----------------------------------------------------------------------------------------


def service_fund_policy(council: Organisation) -> ServiceFundPolicy:
    """The council's saved policy, or the documented defaults (return surplus; 5% or £10 tolerance)."""
    return ServiceFundPolicy.objects.filter(council=council).first() or ServiceFundPolicy(council=council)


# --- Reconciliation (pure arithmetic) ----------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """What the plan expects for one plan line in the month."""

    key: int
    label: str
    quantity: Decimal
    rate: Decimal
    amount: Decimal
    unit: str = ""


@dataclass(frozen=True)
class Reported:
    """One line of the provider's statement; ``key`` is its plan line, or None for other spending."""

    key: int | None
    label: str
    quantity: Decimal
    rate: Decimal
    amount: Decimal


@dataclass
class ReconciledLine:
    label: str
    in_plan: bool
    planned_quantity: Decimal
    planned: Decimal
    reported_quantity: Decimal
    reported: Decimal
    tolerance: Decimal
    rates: list[Decimal] = field(default_factory=list)
    unit: str = ""

    @property
    def difference(self) -> Decimal:
        return self.reported - self.planned

    @property
    def flagged(self) -> bool:
        return abs(self.difference) > self.tolerance


@dataclass
class Reconciliation:
    lines: list[ReconciledLine]
    tolerance: Decimal

    @property
    def planned(self) -> Decimal:
        return sum((line.planned for line in self.lines), ZERO)

    @property
    def reported(self) -> Decimal:
        return sum((line.reported for line in self.lines), ZERO)

    @property
    def difference(self) -> Decimal:
        return self.reported - self.planned

    @property
    def flagged(self) -> bool:
        return abs(self.difference) > self.tolerance

    @property
    def flagged_lines(self) -> list[ReconciledLine]:
        return [line for line in self.lines if line.flagged]


def reconcile(*, planned: Iterable[Planned], reported: Iterable[Reported], policy: ServiceFundPolicy) -> Reconciliation:
    """Each plan line against what the statement reports for it, then each piece of other spending (planned
    at nothing). A line is flagged when its difference is beyond the tolerance for its planned amount; the
    total is flagged when the total difference is beyond the tolerance for the total planned."""
    rows: dict[int, ReconciledLine] = {}
    for expected in planned:
        rows[expected.key] = ReconciledLine(
            label=expected.label,
            in_plan=True,
            planned_quantity=expected.quantity,
            planned=expected.amount,
            reported_quantity=ZERO,
            reported=ZERO,
            tolerance=policy.tolerance_for(expected.amount),
            unit=expected.unit,
        )
    others: list[ReconciledLine] = []
    for line in reported:
        row = rows.get(line.key) if line.key is not None else None
        if row is None:
            others.append(
                ReconciledLine(line.label, False, ZERO, ZERO, line.quantity, line.amount, policy.tolerance_for(ZERO))
            )
            others[-1].rates.append(line.rate)
            continue
        row.reported_quantity += line.quantity
        row.reported += line.amount
        row.rates.append(line.rate)
    lines = [*rows.values(), *others]
    total_planned = sum((line.planned for line in lines), ZERO)
    return Reconciliation(lines=lines, tolerance=policy.tolerance_for(total_planned))


# --- The plan for a month -------------------------------------------------------------------------------


def month_of(day: date) -> tuple[date, date]:
    """The first and last day of ``day``'s month."""
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def isf_plan_lines(allocation: Allocation) -> list[PlanLine]:
    """The lines of the budget's current plan the fund pays for: provider support from the fund's stream that
    is not bought by direct payment."""
    plan = allocation.budget.plans.order_by("-version").first()
    if plan is None:
        return []
    lines = plan.lines.filter(
        stream=allocation.stream, by_direct_payment=False, given_by=PlanLine.Giver.PROVIDER
    ).select_related("category")
    return list(lines.order_by("id"))


def _runs_in(line: PlanLine, start: date, end: date) -> bool:
    if line.starts_on and line.starts_on > end:
        return False
    if line.ends_on and line.ends_on < start:
        return False
    return not (line.stopped_on and line.stopped_on < start)


def planned_for_month(line: PlanLine, start: date, end: date) -> Planned:
    quantity = ZERO
    if _runs_in(line, start, end):
        if line.frequency == LineFrequency.WEEKLY:
            quantity = line.quantity * WEEKS_PER_MONTH
        elif line.frequency == LineFrequency.MONTHLY:
            quantity = line.quantity
        elif line.starts_on and start <= line.starts_on <= end:
            quantity = line.quantity * line.periods
    amount = (quantity * line.unit_cost).quantize(PENNY)
    return Planned(line.pk, line.description, quantity.quantize(PENNY), line.unit_cost, amount, line.unit)


def statement_reconcile(statement: ServiceFundStatement) -> Reconciliation:
    allocation = statement.allocation
    planned = [
        planned_for_month(line, statement.period_start, statement.period_end) for line in isf_plan_lines(allocation)
    ]
    reported = [
        Reported(line.plan_line_id, line.description, line.quantity, line.rate, line.total)
        for line in statement.lines.all()
    ]
    return reconcile(planned=planned, reported=reported, policy=service_fund_policy(allocation.budget.council))


# --- Money the provider holds ---------------------------------------------------------------------------


def held_by_provider(allocation: Allocation) -> Decimal:
    return ledger.balance(ledger.allocation_account(allocation, AccountKind.ISF_HELD))


# --- Who sees what ----------------------------------------------------------------------------------------


def _provider_organisations(user: User) -> list[int]:
    memberships = user.memberships.active().filter(role=Role.PROVIDER_STAFF)
    return list(memberships.values_list("organisation_id", flat=True))


def _finance_councils(user: User) -> list[int]:
    memberships = user.memberships.active().filter(role=Role.FINANCE_OFFICER)
    return list(memberships.values_list("organisation_id", flat=True))


def isf_allocations(**filters) -> QuerySet[Allocation]:  # type: ignore[no-untyped-def]
    return (
        Allocation.objects.filter(held_as=HeldAs.ISF, **filters)
        .select_related("budget__person", "budget__council", "stream", "isf_provider")
        .order_by("budget__person__last_name", "budget__person__first_name", "-budget__starts_on")
    )


def isf_allocations_for_provider(user: User) -> QuerySet[Allocation]:
    return isf_allocations(isf_provider_id__in=_provider_organisations(user))


def isf_allocations_for_council(user: User) -> QuerySet[Allocation]:
    return isf_allocations(budget__council_id__in=_finance_councils(user))


def isf_allocation_get_for(*, user: User, public_id: UUID | str) -> Allocation:
    """A fund the user works on, as staff of the provider that holds it or a finance officer of its council."""
    allocation = (
        isf_allocations_for_provider(user).filter(public_id=public_id).first()
        or isf_allocations_for_council(user).filter(public_id=public_id).first()
    )
    if allocation is None:
        raise Http404("No such individual service fund")
    return allocation


def statements_for_council(user: User) -> QuerySet[ServiceFundStatement]:
    return (
        ServiceFundStatement.objects.filter(allocation__budget__council_id__in=_finance_councils(user))
        .select_related("allocation__budget__person", "allocation__isf_provider", "allocation__stream", "submitted_by")
        .prefetch_related("lines")
        .order_by("-period_start", "allocation__budget__person__last_name", "id")
    )


def statement_get_for(*, user: User, public_id: UUID | str) -> ServiceFundStatement:
    providers, councils = _provider_organisations(user), _finance_councils(user)
    statement = (
        ServiceFundStatement.objects.filter(public_id=public_id)
        .select_related("allocation__budget__person", "allocation__budget__council", "allocation__isf_provider")
        .first()
    )
    if statement is None or not (
        statement.allocation.isf_provider_id in providers or statement.allocation.budget.council_id in councils
    ):
        raise Http404("No such statement")
    return statement


# --- What the family reads -----------------------------------------------------------------------------


@dataclass
class FamilyFund:
    """One fund on the family's budget statement, in plain words."""

    allocation: Allocation
    held: Decimal
    paid_to_provider: Decimal
    statements: list[tuple[ServiceFundStatement, Reconciliation]]


def family_funds(budget: Budget) -> list[FamilyFund]:
    funds = []
    for allocation in budget.allocations.filter(held_as=HeldAs.ISF).select_related("isf_provider", "stream"):
        statements = allocation.isf_statements.order_by("period_start").prefetch_related("lines")
        paid = (
            sum((i.amount for i in allocation.isf_schedule.instalments.filter(paid_at__isnull=False)), ZERO)
            if hasattr(allocation, "isf_schedule")
            else ZERO
        )
        funds.append(
            FamilyFund(
                allocation=allocation,
                held=held_by_provider(allocation),
                paid_to_provider=paid,
                statements=[(statement, statement_reconcile(statement)) for statement in statements],
            )
        )
    return funds
