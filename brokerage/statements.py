"""Budget statements computed from the ledger: what was allocated, committed, spent and returned.

One aggregate query over a budget's postings gives every figure: per allocation (and so per funding
stream) and per outcome of the plan the money was committed for.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from brokerage.models import AccountKind, Allocation, Budget, LedgerTransaction, Outcome, Posting, TransactionKind

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")
FIGURES = ("allocated", "topped_up", "committed", "spent", "direct_payments", "returned", "balance")


@dataclass
class AllocationFigures:
    allocation: Allocation
    allocated: Decimal = ZERO
    topped_up: Decimal = ZERO
    available: Decimal = ZERO
    contingency: Decimal = ZERO
    committed: Decimal = ZERO
    payable: Decimal = ZERO
    in_family_account: Decimal = ZERO
    held_by_provider: Decimal = ZERO
    spent: Decimal = ZERO
    direct_payments: Decimal = ZERO
    returned: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        """Money still held for the person: everything not yet spent or returned."""
        held = self.in_family_account + self.held_by_provider
        return self.available + self.contingency + self.committed + self.payable + held


@dataclass
class StreamFigures:
    """The figures of every allocation from one funding stream (its own and a locality fund's) added up."""

    name: str
    finance_code: str
    allocations: list[AllocationFigures] = field(default_factory=list)

    def __getattr__(self, name: str) -> Decimal:
        if name in {"available", "contingency", "payable", "in_family_account", "held_by_provider", *FIGURES}:
            return sum((getattr(figures, name) for figures in self.allocations), ZERO)
        raise AttributeError(name)


@dataclass
class OutcomeFigures:
    """Money committed for an outcome's lines (less releases) and spending recorded against the outcome.

    ``outcome`` None holds money not tied to an outcome (for instance an invoice paid without naming one).
    """

    outcome: Outcome | None
    committed: Decimal = ZERO
    spent: Decimal = ZERO


@dataclass
class BudgetStatement:
    budget: Budget
    allocations: list[AllocationFigures] = field(default_factory=list)
    outcomes: list[OutcomeFigures] = field(default_factory=list)

    def total(self, name: str) -> Decimal:
        return sum((getattr(figures, name) for figures in self.allocations), ZERO)

    def __getattr__(self, name: str) -> Decimal:
        # ``allocated_total`` and the like, for templates, which cannot call total("allocated").
        figure = name.removesuffix("_total")
        if name.endswith("_total") and figure in {"available", "contingency", "payable", *FIGURES}:
            return self.total(figure)
        raise AttributeError(name)

    @property
    def streams(self) -> list[StreamFigures]:
        by_stream: dict[int, StreamFigures] = {}
        for figures in self.allocations:
            stream = figures.allocation.stream
            by_stream.setdefault(stream.pk, StreamFigures(stream.name, stream.finance_code)).allocations.append(figures)
        return list(by_stream.values())


def budget_statement(budget: Budget) -> BudgetStatement:
    """All figures for a budget from one aggregate query over its postings."""
    # A reversal counts as the opposite of what it reverses: a reversed allocation is not allocated,
    # and a reversed commitment is no longer committed for its outcome.
    rows = (
        Posting.objects.filter(account__allocation__budget=budget)
        .annotate(
            effective_kind=Coalesce("transaction__reverses__kind", "transaction__kind"),
            effective_outcome=Coalesce("transaction__reverses__outcome_id", "transaction__outcome_id"),
        )
        .values("account__allocation_id", "account__kind", "effective_kind", "effective_outcome")
        .annotate(total=Sum("amount"))
    )
    sums: dict[int, dict[tuple[str, str], Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    by_outcome: dict[int | None, dict[tuple[str, str], Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row in rows:
        # SQLite sums decimals with trailing digits; money is always to the penny.
        total = row["total"].quantize(PENNY)
        sums[row["account__allocation_id"]][(row["account__kind"], row["effective_kind"])] += total
        by_outcome[row["effective_outcome"]][(row["account__kind"], row["effective_kind"])] += total
    statement = BudgetStatement(budget=budget)
    for allocation in budget.allocations.select_related("stream", "locality_fund").order_by("id"):
        statement.allocations.append(_figures(allocation, sums.get(allocation.pk, {})))
    statement.outcomes = _outcome_figures(budget, by_outcome)
    return statement


def _figures(allocation: Allocation, sums: dict[tuple[str, str], Decimal]) -> AllocationFigures:
    def balance_of(kind: str) -> Decimal:
        return sum((total for (account, _), total in sums.items() if account == kind), ZERO)

    def moved(account: str, kind: str) -> Decimal:
        return sums.get((account, kind), ZERO)

    return AllocationFigures(
        allocation=allocation,
        allocated=moved(AccountKind.AVAILABLE, TransactionKind.ALLOCATE),
        # Net of refunds: a top-up refunded in full no longer counts as topped up.
        topped_up=moved(AccountKind.AVAILABLE, TransactionKind.TOP_UP)
        + moved(AccountKind.AVAILABLE, TransactionKind.TOP_UP_REFUND),
        available=balance_of(AccountKind.AVAILABLE),
        contingency=balance_of(AccountKind.CONTINGENCY),
        committed=balance_of(AccountKind.COMMITTED),
        payable=balance_of(AccountKind.PROVIDER_PAYABLE),
        in_family_account=balance_of(AccountKind.FAMILY_ACCOUNT),
        held_by_provider=balance_of(AccountKind.ISF_HELD),
        spent=balance_of(AccountKind.SPENT),
        direct_payments=moved(AccountKind.FAMILY_ACCOUNT, TransactionKind.DP_INSTALMENT),
        returned=-moved(AccountKind.AVAILABLE, TransactionKind.RETURN)
        - moved(AccountKind.FAMILY_ACCOUNT, TransactionKind.RETURN)
        - moved(AccountKind.ISF_HELD, TransactionKind.RETURN),
    )


def _outcome_figures(
    budget: Budget, by_outcome: dict[int | None, dict[tuple[str, str], Decimal]]
) -> list[OutcomeFigures]:
    """Every outcome of the budget's plans (in plan order), then money not tied to an outcome, if any."""
    outcomes = Outcome.objects.filter(plan__budget=budget).select_related("plan").order_by("plan__version", "id")
    result = [_for_outcome(outcome, by_outcome.get(outcome.pk, {})) for outcome in outcomes]
    untied = _for_outcome(None, by_outcome.get(None, {}))
    if untied.committed or untied.spent:
        result.append(untied)
    return result


def _for_outcome(outcome: Outcome | None, sums: dict[tuple[str, str], Decimal]) -> OutcomeFigures:
    committed = sums.get((AccountKind.COMMITTED, TransactionKind.COMMIT), ZERO) + sums.get(
        (AccountKind.COMMITTED, TransactionKind.RELEASE), ZERO
    )
    spent = sum((total for (account, _), total in sums.items() if account == AccountKind.SPENT), ZERO)
    return OutcomeFigures(outcome=outcome, committed=committed, spent=spent)


def budget_transactions(budget: Budget) -> QuerySet[LedgerTransaction]:
    """The budget's transactions in the order they happened, each with the amount it moved."""
    return (
        LedgerTransaction.objects.filter(budget=budget)
        .annotate(amount=Sum("postings__amount", filter=Q(postings__amount__gt=0)))
        .select_related("outcome", "reverses")
        .order_by("occurred_on", "created_at", "id")
    )
