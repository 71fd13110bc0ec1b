"""The council's contingency: money held back from each budget for crises or changing needs.

When money is allocated, the policy for the budget's year (a percentage of the allocation, or a
number of weeks of planned spend) decides how much moves from "available" to "contingency" in the
ledger. Held-back money cannot be committed: committing beyond what is available is refused by the
ledger until an authorised user releases contingency, with a reason, here.
"""

from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum

from accounts.events import audit_record
from accounts.models import User
from accounts.roles import Role
from accounts.templatetags.money import money_text
from brokerage import ledger
from brokerage.exceptions import BrokerageError
from brokerage.models import (
    AccountKind,
    Allocation,
    BrokeragePolicy,
    LedgerTransaction,
    Posting,
    TransactionKind,
)

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


def contingency_amount(*, allocated: Decimal, percent: Decimal, weeks: int, weekly_spend: Decimal) -> Decimal:
    """What to hold back, to the penny (half a penny rounds up), never more than the allocation."""
    if allocated <= 0:
        return ZERO
    wanted = Decimal(weeks) * weekly_spend if weeks else allocated * percent / Decimal(100)
    return min(wanted.quantize(PENNY, rounding=ROUND_HALF_UP), allocated).max(ZERO)


def budget_weeks(allocation: Allocation) -> Decimal:
    budget = allocation.budget
    days = (budget.ends_on - budget.starts_on).days + 1
    return max(Decimal(days) / Decimal(7), Decimal(1))


def weekly_planned_spend(allocation: Allocation, *, allocated: Decimal | None = None) -> Decimal:
    """The plan's cost a week for this allocation's stream: its live lines spread over the budget's
    weeks. Before there is a plan, the allocation itself spread over the weeks."""
    plan = allocation.budget.plans.order_by("-version").first()
    lines = []
    if plan is not None:
        lines = list(plan.lines.filter(stream=allocation.stream, stopped_on__isnull=True))
    total = sum((line.total for line in lines), ZERO)
    if not total:
        if allocated is None:
            allocated = ledger_allocated(allocation)
        total = allocated
    return (total / budget_weeks(allocation)).quantize(PENNY, rounding=ROUND_HALF_UP)


def ledger_allocated(allocation: Allocation) -> Decimal:
    """Allocated and topped up, net of any reversal of either."""
    kinds = (TransactionKind.ALLOCATE, TransactionKind.TOP_UP)
    total = (
        Posting.objects.filter(account__allocation=allocation, account__kind=AccountKind.AVAILABLE)
        .filter(Q(transaction__kind__in=kinds) | Q(transaction__reverses__kind__in=kinds))
        .aggregate(total=Sum("amount"))["total"]
    )
    return (total or ZERO).quantize(PENNY)


def policy_for_allocation(allocation: Allocation) -> BrokeragePolicy:
    budget = allocation.budget
    policy, _ = BrokeragePolicy.objects.get_or_create(council=budget.council, financial_year=budget.financial_year)
    return policy


@transaction.atomic
def contingency_hold_on_allocation(
    *, allocation: Allocation, allocated: Decimal, actor: User | None
) -> LedgerTransaction | None:
    """Hold back the policy's contingency from a new allocation (once: keyed by the allocation)."""
    policy = policy_for_allocation(allocation)
    amount = contingency_amount(
        allocated=allocated,
        percent=policy.contingency_percent,
        weeks=policy.contingency_weeks,
        weekly_spend=weekly_planned_spend(allocation, allocated=allocated),
    )
    if amount <= 0:
        return None
    rule = (
        f"{policy.contingency_weeks} weeks of planned spend"
        if policy.contingency_weeks
        else (f"{policy.contingency_percent.normalize():f}% of the allocation")
    )
    return ledger.contingency_hold(
        allocation=allocation,
        amount=amount,
        key=f"contingency-{allocation.public_id}",
        actor=actor,
        description=f"Contingency held back: {rule}",
    )


def contingency_held(allocation: Allocation) -> Decimal:
    return ledger.balance(ledger.allocation_account(allocation, AccountKind.CONTINGENCY))


def may_release_contingency(*, allocation: Allocation, user: User, role: str, amount: Decimal) -> bool:
    """A budget-holding manager may always; a lead professional or broker within their delegated
    authority for the person this year (what is committed and spent so far, plus this release)."""
    if role == Role.BUDGET_HOLDING_MANAGER:
        return True
    from brokerage.services.plans import committed_for_person_this_year, delegated_limit

    plan = allocation.budget.plans.order_by("-version").first()
    if plan is None:
        return False
    limit = delegated_limit(plan=plan, role=role)
    return limit is not None and committed_for_person_this_year(plan) + amount <= limit


@transaction.atomic
def contingency_release_with_reason(
    *, allocation: Allocation, actor: User, role: str, amount: Decimal, reason: str, request_id: UUID
) -> LedgerTransaction:
    """Release contingency so that it can be committed. ``request_id`` comes from the form, so that
    sending the same form twice releases the money once."""
    key = f"contingency-release-{request_id}"
    already = LedgerTransaction.objects.filter(idempotency_key=key).first()
    if already is not None:
        return already
    if not reason.strip():
        raise ValidationError({"reason": "Say why the contingency is needed"})
    if amount <= 0:
        raise ValidationError({"amount": "Enter an amount more than £0"})
    held = contingency_held(allocation)
    if amount > held:
        raise ValidationError({"amount": f"Only {money_text(held)} is held back as contingency"})
    if not may_release_contingency(allocation=allocation, user=actor, role=role, amount=amount):
        raise ValidationError("This is more than your delegated authority: ask a budget-holding manager to release it")
    try:
        record = ledger.contingency_release(allocation=allocation, amount=amount, key=key, actor=actor, reason=reason)
    except BrokerageError as error:
        raise ValidationError(str(error)) from error
    audit_record(
        actor=actor,
        action="budget.contingency_released",
        target=allocation.budget,
        summary=f"Released {money_text(amount)} of contingency from {allocation}",
        council=allocation.budget.council,
        reason=reason,
    )
    return record
