"""The package builder's writes: an offer from the directory becomes a plan line with its weekly times,
and times and lines are changed or removed while the plan is a draft.

A line is added through ``plan_line_add``, so the funding stream's refusals and the warnings (the
National Living Wage, double funding) apply exactly as on the plan page. Any change to a draft that
was sent to the family takes it back: the family agree to what they are shown, so a changed package
is sent again.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.events import audit_record
from accounts.models import User
from accounts.templatetags.money import money_text
from brokerage.models import FundingStream, LineFrequency, Outcome, PlanLine, PlanLineSlot, PlanStatus, SupportPlan
from brokerage.services.plans import LineCheck, plan_line_add, plan_line_check, plan_line_remove
from providers.models import CostOption, Offer


@dataclass(frozen=True)
class SlotTimes:
    weekday: int
    starts_at: datetime.time
    ends_at: datetime.time


def _ensure_draft(plan: SupportPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError("Only a draft plan can be changed: move it back to draft first")


def _audit(actor: User, action: str, plan: SupportPlan, summary: str) -> None:
    audit_record(actor=actor, action=action, target=plan, summary=summary, council=plan.budget.council)


def _take_back_from_family(plan: SupportPlan) -> None:
    """A changed draft is no longer what the family were asked to agree to."""
    if plan.sent_to_family_at is not None:
        SupportPlan.objects.filter(pk=plan.pk).update(sent_to_family_at=None)
        plan.sent_to_family_at = None


@transaction.atomic
def package_line_add(
    *,
    plan: SupportPlan,
    actor: User,
    offer: Offer,
    cost_option: CostOption,
    stream: FundingStream,
    outcome: Outcome | None,
    quantity: Decimal,
    weeks: int,
    slots: list[SlotTimes],
) -> tuple[PlanLine, LineCheck]:
    """Add an offer (a provider's or a personal assistant's) as a weekly line priced from the offer."""
    if cost_option.version_id != offer.live_version_id:
        raise ValidationError({"cost_option": "Choose one of the offer's prices"})
    category = offer.live_version.categories.order_by("pk").first()
    if category is None:
        raise ValidationError("This offer has no kind of support recorded: add it on the plan page instead")
    line, check = plan_line_add(
        plan=plan,
        actor=actor,
        offer=offer,
        category=category,
        description=offer.live_version.name[:200],
        given_by=PlanLine.Giver.PROVIDER,
        outcome=outcome,
        stream=stream,
        quantity=quantity,
        unit=cost_option.unit,
        unit_cost=cost_option.amount,
        frequency=LineFrequency.WEEKLY,
        periods=weeks,
        is_pa_wage=offer.is_by_personal_assistant and cost_option.unit == "hour",
    )
    for times in slots:
        _slot_save(PlanLineSlot(line=line, **_fields(times)))
    _take_back_from_family(plan)
    return line, check


def _fields(times: SlotTimes) -> dict:
    return {"weekday": times.weekday, "starts_at": times.starts_at, "ends_at": times.ends_at}


def _slot_save(slot: PlanLineSlot) -> PlanLineSlot:
    if slot.starts_at is not None and slot.ends_at is not None and slot.starts_at >= slot.ends_at:
        raise ValidationError({"ends_at": "The end time must be after the start time"})
    slot.full_clean()
    slot.save()
    return slot


@transaction.atomic
def package_line_change(
    *, line: PlanLine, actor: User, quantity: Decimal, weeks: int, outcome: Outcome | None
) -> tuple[PlanLine, LineCheck]:
    """Change how much a week, for how many weeks, and which outcome a line serves."""
    _ensure_draft(line.plan)
    if line.frequency != LineFrequency.WEEKLY:
        raise ValidationError("Only a weekly line can be changed here: change it on the plan page")
    line.quantity, line.periods, line.outcome = quantity, weeks, outcome
    line.full_clean()
    check = plan_line_check(line)
    if check.refusals:
        raise ValidationError({"stream": check.refusals})
    line.save(update_fields=["quantity", "periods", "outcome"])
    _audit(actor, "plan.line_changed", line.plan, f"Changed “{line}” to {money_text(line.total)}")
    _take_back_from_family(line.plan)
    return line, check


def package_line_remove(*, line: PlanLine, actor: User) -> None:
    with transaction.atomic():
        plan = line.plan
        plan_line_remove(line=line, actor=actor)
        _take_back_from_family(plan)


@transaction.atomic
def slot_add(*, line: PlanLine, actor: User, times: SlotTimes) -> PlanLineSlot:
    _ensure_draft(line.plan)
    slot = _slot_save(PlanLineSlot(line=line, **_fields(times)))
    _audit(actor, "plan.slot_added", line.plan, f"“{line}” on {slot}")
    _take_back_from_family(line.plan)
    return slot


@transaction.atomic
def slot_change(*, slot: PlanLineSlot, actor: User, times: SlotTimes) -> PlanLineSlot:
    _ensure_draft(slot.line.plan)
    before = str(slot)
    for name, value in _fields(times).items():
        setattr(slot, name, value)
    _slot_save(slot)
    _audit(actor, "plan.slot_changed", slot.line.plan, f"“{slot.line}” moved from {before} to {slot}")
    _take_back_from_family(slot.line.plan)
    return slot


@transaction.atomic
def slot_remove(*, slot: PlanLineSlot, actor: User) -> None:
    plan = slot.line.plan
    _ensure_draft(plan)
    _audit(actor, "plan.slot_removed", plan, f"“{slot.line}” no longer on {slot}")
    slot.delete()
    _take_back_from_family(plan)
