"""Year end: each funding stream's surplus policy applied to the budgets of a financial year.

A stream either carries unspent money over (nothing moves) or takes it back: all of the money still
available in a council-, provider- or broker-held allocation. For an allocation held as a direct payment
the unspent money is what is still available plus what sits unspent in the family's direct-payment
account; the family keeps the stream's ``surplus_weeks`` of their spending and the rest is returned,
first from the money not yet paid to them and then reclaimed from their account. Money
committed to orders, waiting to be paid or held as contingency is left where it is: it is owed or still
being decided on.

Each return is one ledger transaction with the key ``year-end:<allocation>:<year>``, so an allocation is
returned at most once for the period: running the year end again changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db import transaction

from accounts.events import audit_record
from accounts.models import Organisation, User
from accounts.templatetags.money import money_text
from brokerage import ledger
from brokerage.models import Allocation, Budget, HeldAs, LedgerTransaction
from brokerage.statements import AllocationFigures, budget_statement

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")


class Decision:
    RETURNED = "returned"
    CARRIED_OVER = "carried over"
    KEPT = "kept within the surplus allowance"
    NOTHING_LEFT = "nothing left to return"
    ALREADY_DONE = "already returned"
    STILL_RUNNING = "period not ended"


@dataclass
class AllocationYearEnd:
    allocation: Allocation
    decision: str
    available: Decimal = ZERO
    to_return: Decimal = ZERO
    # Of ``to_return``, what the council reclaims from the family's direct-payment account.
    from_family_account: Decimal = ZERO


@dataclass
class YearEndReport:
    council: Organisation
    year: int
    dry_run: bool
    lines: list[AllocationYearEnd] = field(default_factory=list)

    @property
    def returned(self) -> Decimal:
        return sum((line.to_return for line in self.lines if line.decision == Decision.RETURNED), ZERO)

    @property
    def carried_over(self) -> Decimal:
        return sum((line.available for line in self.lines if line.decision == Decision.CARRIED_OVER), ZERO)

    def count(self, decision: str) -> int:
        return sum(1 for line in self.lines if line.decision == decision)


def year_end_key(allocation: Allocation, year: int) -> str:
    return f"year-end:{allocation.public_id}:{year}"


def year_end_budgets(*, council: Organisation, year: int) -> list[Budget]:
    return list(Budget.objects.filter(council=council, financial_year=year).select_related("person").order_by("id"))


def year_end_apply(
    *,
    council: Organisation,
    year: int,
    today: date,
    dry_run: bool,
    actor: User | None = None,
    progress: Callable[[int], None] | None = None,
) -> YearEndReport:
    """Apply each stream's surplus policy to every budget of ``council`` for ``year`` that has ended.

    With ``dry_run`` nothing is recorded: the report says what would be returned.
    """
    report = YearEndReport(council=council, year=year, dry_run=dry_run)
    for budget in year_end_budgets(council=council, year=year):
        report.lines.extend(_budget_year_end(budget, year=year, today=today, dry_run=dry_run, actor=actor))
        if progress:
            progress(1)
    return report


@transaction.atomic
def _budget_year_end(
    budget: Budget, *, year: int, today: date, dry_run: bool, actor: User | None
) -> list[AllocationYearEnd]:
    lines = []
    for figures in budget_statement(budget).allocations:
        line = _decide(figures, year=year, ended=budget.ends_on < today)
        if line.decision == Decision.RETURNED and not dry_run:
            _return(line, budget=budget, year=year, actor=actor)
        lines.append(line)
    return lines


def _decide(figures: AllocationFigures, *, year: int, ended: bool) -> AllocationYearEnd:
    allocation, available = figures.allocation, figures.available
    if not ended:
        return AllocationYearEnd(allocation, Decision.STILL_RUNNING, available)
    if LedgerTransaction.objects.filter(idempotency_key=year_end_key(allocation, year)).exists():
        return AllocationYearEnd(allocation, Decision.ALREADY_DONE, available)
    if allocation.stream.carries_over:
        return AllocationYearEnd(allocation, Decision.CARRIED_OVER, available)
    unspent = available + figures.in_family_account
    to_return = unspent - _surplus_allowance(figures)
    if to_return <= 0:
        decision = Decision.NOTHING_LEFT if unspent <= 0 else Decision.KEPT
        return AllocationYearEnd(allocation, decision, available)
    from_family_account = max(to_return - available, ZERO)
    return AllocationYearEnd(allocation, Decision.RETURNED, available, to_return, from_family_account)


def _surplus_allowance(figures: AllocationFigures) -> Decimal:
    """What a direct-payment family may keep: the stream's weeks of their average weekly spending."""
    allocation = figures.allocation
    if allocation.held_as != HeldAs.DIRECT_PAYMENT:
        return ZERO
    budget = allocation.budget
    weeks = Decimal((budget.ends_on - budget.starts_on).days + 1) / 7
    weekly_spend = figures.spent / weeks
    return (weekly_spend * allocation.stream.surplus_weeks).quantize(PENNY, rounding=ROUND_DOWN)


def _return(line: AllocationYearEnd, *, budget: Budget, year: int, actor: User | None) -> None:
    allocation = line.allocation
    ledger.return_to_stream(
        allocation=allocation,
        amount=line.to_return - line.from_family_account,
        from_family_account=line.from_family_account,
        key=year_end_key(allocation, year),
        occurred_on=budget.ends_on,
        actor=actor,
        description=f"Year end {year}/{str(year + 1)[-2:]}: unspent money returned to {allocation.stream.name}",
    )
    audit_record(
        actor=actor,
        action="budget.year_end_returned",
        target=budget,
        council=budget.council,
        summary=f"{money_text(line.to_return)} of {budget} returned to {allocation.stream.name} at year end",
        data={
            "allocation": str(allocation.public_id),
            "amount": str(line.to_return),
            "from_family_account": str(line.from_family_account),
            "year": year,
        },
    )
