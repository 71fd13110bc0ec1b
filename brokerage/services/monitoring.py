"""Light-touch monitoring of direct payments: flags for the council to review, instead of asking the
family for a receipt for everything.

Four checks, with thresholds from the council's policy for the year (and the stream's surplus weeks):

- a spend on something that is not in the plan;
- an unusual amount: above the policy's single-spend threshold, or above N times the plan's weekly cost
  for that kind of support (for one-off lines, above what the plan has for it in all);
- a surplus: more in the family's account than N weeks of planned spend;
- no spending recorded for N weeks since the last spend (or the first instalment).

Each flag has a key that says what it is about, so a check run twice (after each spend and by the
daily ``monitoring_flags`` command) raises it once. The lead professional is told about each flag.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import Organisation, User
from accounts.notifications import notification_send
from accounts.templatetags.money import money_text
from brokerage.models import (
    Allocation,
    DirectPaymentInstalment,
    FamilySpend,
    HeldAs,
    MonitoringFlag,
    TransactionKind,
)
from brokerage.services.contingency import policy_for_allocation, weekly_planned_spend
from brokerage.services.direct_payments import family_account_balance, plan_categories, plan_lines_for

ZERO = Decimal("0.00")


def _flag_raise(
    *, key: str, kind: str, allocation: Allocation, detail: str, spend: FamilySpend | None = None
) -> MonitoringFlag | None:
    """Raise a flag once per key and tell the lead professional; None when it was raised before."""
    if MonitoringFlag.objects.filter(key=key).exists():
        return None
    budget = allocation.budget
    flag = MonitoringFlag(key=key, kind=kind, budget=budget, allocation=allocation, spend=spend, detail=detail[:300])
    flag.full_clean()
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError:
        # The daily run and a spend raised the same flag at the same moment: it exists once.
        return None
    lead = budget.person.lead_professional
    if lead is not None:
        notification_send(
            recipient=lead,
            subject=f"A direct payment for {budget.person.first_name} has been flagged for review",
            body=f"{flag.get_kind_display()}: {flag.detail}. The council's finance team will review it.",
            link=reverse("brokerage:direct-payments", args=[budget.public_id]),
        )
    return flag


# --- Checks on one spend --------------------------------------------------------------------------


def unusual_limit(spend: FamilySpend) -> Decimal | None:
    """The most a single spend of this kind should be, from the plan; None when the plan has no line."""
    lines = plan_lines_for(spend.allocation.budget, spend.category)
    if not lines:
        return None
    policy = policy_for_allocation(spend.allocation)
    weekly = sum((line.weekly_cost for line in lines), ZERO)
    if weekly > 0:
        return weekly * policy.monitoring_unusual_multiple
    return sum((line.total for line in lines), ZERO)


@transaction.atomic
def monitoring_check_spend(*, spend: FamilySpend) -> list[MonitoringFlag]:
    allocation = spend.allocation
    raised = []
    in_plan = spend.category_id is not None and plan_categories(allocation.budget).filter(pk=spend.category_id).exists()
    if not in_plan:
        what = spend.category.name if spend.category else "something not in the plan"
        raised.append(
            _flag_raise(
                key=f"outside-plan-{spend.public_id}",
                kind=MonitoringFlag.Kind.OUTSIDE_PLAN,
                allocation=allocation,
                spend=spend,
                detail=f"{money_text(spend.amount)} on {spend.spent_on:%d %B %Y} for {spend.description} ({what})",
            )
        )
    reason = _unusual_reason(spend)
    if reason:
        raised.append(
            _flag_raise(
                key=f"unusual-{spend.public_id}",
                kind=MonitoringFlag.Kind.UNUSUAL_AMOUNT,
                allocation=allocation,
                spend=spend,
                detail=f"{money_text(spend.amount)} on {spend.spent_on:%d %B %Y} for {spend.description}: {reason}",
            )
        )
    raised.append(monitoring_check_surplus(allocation=allocation))
    return [flag for flag in raised if flag is not None]


def _unusual_reason(spend: FamilySpend) -> str:
    policy = policy_for_allocation(spend.allocation)
    if spend.amount > policy.monitoring_unusual_amount:
        return f"more than the council's {money_text(policy.monitoring_unusual_amount)} for a single spend"
    limit = unusual_limit(spend)
    if limit is not None and spend.amount > limit:
        return f"more than the {money_text(limit)} the plan suggests for {spend.category.name.lower()}"  # type: ignore[union-attr]
    return ""


# --- Checks on an allocation ----------------------------------------------------------------------


def monitoring_check_surplus(*, allocation: Allocation) -> MonitoringFlag | None:
    weeks = allocation.stream.surplus_weeks
    weekly = weekly_planned_spend(allocation)
    held = family_account_balance(allocation)
    allowed = weekly * weeks
    if weekly <= 0 or held <= allowed:
        return None
    # Keyed by the last movement of the family's money: the same surplus is flagged once, a new one again.
    last = allocation.ledger_accounts.filter(kind="family_account").aggregate(last=Max("postings__transaction_id"))
    return _flag_raise(
        key=f"surplus-{allocation.public_id}-{last['last']}",
        kind=MonitoringFlag.Kind.SURPLUS,
        allocation=allocation,
        detail=f"{money_text(held)} unspent in the family's account, more than {weeks} weeks of planned spend "
        f"({money_text(allowed)})",
    )


def monitoring_check_quiet(*, allocation: Allocation, today: date) -> MonitoringFlag | None:
    first_paid = (
        DirectPaymentInstalment.objects.filter(schedule__allocation=allocation, paid_at__isnull=False)
        .order_by("paid_at")
        .values_list("transaction__occurred_on", flat=True)
        .first()
    )
    if first_paid is None:
        return None
    last_spend = FamilySpend.objects.filter(allocation=allocation).aggregate(last=Max("spent_on"))["last"]
    since = max(filter(None, [first_paid, last_spend]))
    weeks = policy_for_allocation(allocation).monitoring_quiet_weeks
    if today - since < timedelta(weeks=weeks):
        return None
    return _flag_raise(
        key=f"no-spending-{allocation.public_id}-{since.isoformat()}",
        kind=MonitoringFlag.Kind.NO_SPENDING,
        allocation=allocation,
        detail=f"No spending recorded since {since:%d %B %Y}, more than {weeks} weeks",
    )


def allocations_to_monitor() -> QuerySet[Allocation]:
    """Direct payments the family has had money for."""
    return (
        Allocation.objects.filter(
            held_as=HeldAs.DIRECT_PAYMENT,
            ledger_accounts__postings__transaction__kind=TransactionKind.DP_INSTALMENT,
        )
        .distinct()
        .select_related("budget__person__lead_professional", "stream")
        .order_by("pk")
    )


@dataclass
class MonitoringRun:
    checked: int = 0
    raised: int = 0


def monitoring_flags_raise(
    *, today: date, allocations: list[Allocation], on_each: Callable[[int], object] = lambda _: None
) -> MonitoringRun:
    """The daily run: surplus and no-spending checks for each direct payment."""
    run = MonitoringRun()
    for allocation in allocations:
        with transaction.atomic():
            flags = [
                monitoring_check_surplus(allocation=allocation),
                monitoring_check_quiet(allocation=allocation, today=today),
            ]
        run.checked += 1
        run.raised += sum(1 for flag in flags if flag is not None)
        on_each(1)
    return run


# --- The council's review queue -------------------------------------------------------------------


def flags_for_council(*, council: Organisation, status: str = MonitoringFlag.Status.OPEN) -> QuerySet[MonitoringFlag]:
    flags = MonitoringFlag.objects.filter(budget__council=council).select_related(
        "budget__person", "allocation__stream", "spend", "resolved_by"
    )
    if status:
        flags = flags.filter(status=status)
    return flags.order_by("raised_at", "pk")


def flag_get_for_council(*, council: Organisation, public_id: UUID) -> MonitoringFlag:
    return get_object_or_404(flags_for_council(council=council, status=""), public_id=public_id)


@transaction.atomic
def flag_resolve(*, flag: MonitoringFlag, actor: User, note: str) -> MonitoringFlag:
    flag = MonitoringFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.status == MonitoringFlag.Status.RESOLVED:
        raise ValidationError("This flag has already been resolved")
    if not note.strip():
        raise ValidationError({"note": "Say what you found and what was done"})
    flag.status = MonitoringFlag.Status.RESOLVED
    flag.resolved_by = actor
    flag.resolved_at = timezone.now()
    flag.resolution_note = note.strip()
    flag.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])
    audit_record(
        actor=actor,
        action="direct_payment.flag_resolved",
        target=flag.budget,
        summary=f"Resolved the flag “{flag}”",
        council=flag.budget.council,
        reason=note,
    )
    return flag
