"""Budget statements computed from the ledger: what was allocated, committed, spent and returned."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import Coalesce

from brokerage.models import AccountKind, Allocation, Budget, Posting, TransactionKind

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")


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
    spent: Decimal = ZERO
    direct_payments: Decimal = ZERO
    returned: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        """Money still held for the person: everything not yet spent or returned."""
        return self.available + self.contingency + self.committed + self.payable + self.in_family_account


@dataclass
class BudgetStatement:
    budget: Budget
    allocations: list[AllocationFigures] = field(default_factory=list)

    def total(self, name: str) -> Decimal:
        return sum((getattr(figures, name) for figures in self.allocations), ZERO)


def budget_statement(budget: Budget) -> BudgetStatement:
    """All figures for a budget from one aggregate query over its postings."""
    # A reversal counts as the opposite of what it reverses: a reversed allocation is not allocated.
    rows = (
        Posting.objects.filter(account__allocation__budget=budget)
        .annotate(effective_kind=Coalesce("transaction__reverses__kind", "transaction__kind"))
        .values("account__allocation_id", "account__kind", "effective_kind")
        .annotate(total=Sum("amount"))
    )
    sums: dict[int, dict[tuple[str, str], Decimal]] = defaultdict(dict)
    for row in rows:
        key = (row["account__kind"], row["effective_kind"])
        sums[row["account__allocation_id"]][key] = row["total"].quantize(PENNY)
    statement = BudgetStatement(budget=budget)
    for allocation in budget.allocations.select_related("stream", "locality_fund").order_by("id"):
        statement.allocations.append(_figures(allocation, sums.get(allocation.pk, {})))
    return statement


def _figures(allocation: Allocation, sums: dict[tuple[str, str], Decimal]) -> AllocationFigures:
    def balance_of(kind: str) -> Decimal:
        return sum((total for (account, _), total in sums.items() if account == kind), ZERO)

    def moved(account: str, kind: str) -> Decimal:
        return sums.get((account, kind), ZERO)

    return AllocationFigures(
        allocation=allocation,
        allocated=moved(AccountKind.AVAILABLE, TransactionKind.ALLOCATE),
        topped_up=moved(AccountKind.AVAILABLE, TransactionKind.TOP_UP),
        available=balance_of(AccountKind.AVAILABLE),
        contingency=balance_of(AccountKind.CONTINGENCY),
        committed=balance_of(AccountKind.COMMITTED),
        payable=balance_of(AccountKind.PROVIDER_PAYABLE),
        in_family_account=balance_of(AccountKind.FAMILY_ACCOUNT),
        spent=balance_of(AccountKind.SPENT),
        direct_payments=moved(AccountKind.FAMILY_ACCOUNT, TransactionKind.DP_INSTALMENT),
        returned=-moved(AccountKind.AVAILABLE, TransactionKind.RETURN),
    )
