"""The family agree the draft plan: the worker sends it to the consent holder, who agrees it (the plan
becomes agreed, with them as the actor) or asks for changes (it stays a draft and the worker is told).

After agreement the worker submits it as before (``plan_submit``).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import User
from accounts.notifications import notification_send
from brokerage.exceptions import BrokerageError
from brokerage.models import PlanStatus, SupportPlan
from brokerage.services.consent import consent_holder
from brokerage.services.plans import plan_set_status


def _locked(plan: SupportPlan) -> SupportPlan:
    return SupportPlan.objects.select_for_update().select_related("person", "budget__council").get(pk=plan.pk)


def _require_holder(plan: SupportPlan, holder: User) -> None:
    current = consent_holder(plan.person)
    if current is None or current.user_id != holder.pk:
        raise ValidationError("Only the person who gives consent can agree the plan")


def _require_sent(plan: SupportPlan) -> None:
    if plan.status != PlanStatus.DRAFT or plan.sent_to_family_at is None:
        raise ValidationError("There is no plan waiting for you to agree")


@transaction.atomic
def plan_send_to_family(*, plan: SupportPlan, actor: User) -> SupportPlan:
    """Ask the consent holder to agree the draft; they are told by email and in the site."""
    locked = _locked(plan)
    if locked.status != PlanStatus.DRAFT:
        raise ValidationError("Only a draft plan can be sent to the family to agree")
    if not locked.lines.filter(stopped_on__isnull=True).exists():
        raise ValidationError("Add the support to the plan before sending it to the family")
    holder = consent_holder(locked.person)
    if holder is None:
        raise ValidationError(f"Nobody gives consent for {locked.person.first_name}: record who does first")
    locked.sent_to_family_at = timezone.now()
    locked.sent_to_family_by = actor
    locked.family_changes_asked = ""
    locked.save(update_fields=["sent_to_family_at", "sent_to_family_by", "family_changes_asked"])
    audit_record(
        actor=actor,
        action="plan.sent_to_family",
        target=locked,
        summary=f"Sent {locked} to {holder.user} to agree",
        council=locked.budget.council,
    )
    notification_send(
        recipient=holder.user,
        subject=f"Please look at {locked.person.first_name}'s support plan",
        body=f"{actor} has written the plan with you. Read it, then agree it or tell them what to change.",
        link=reverse("brokerage:plan-agree", args=[locked.public_id]),
    )
    plan.refresh_from_db()
    return plan


@transaction.atomic
def plan_family_agree(*, plan: SupportPlan, holder: User) -> SupportPlan:
    locked = _locked(plan)
    _require_holder(locked, holder)
    _require_sent(locked)
    try:
        plan_set_status(plan=locked, new_status=PlanStatus.AGREED, actor=holder, reason="The family agreed the plan")
    except BrokerageError as error:
        raise ValidationError(str(error)) from error
    audit_record(
        actor=holder,
        action="plan.family_agreed",
        target=locked,
        summary=f"{holder} agreed {locked}",
        council=locked.budget.council,
    )
    if locked.sent_to_family_by is not None:
        notification_send(
            recipient=locked.sent_to_family_by,
            subject=f"{locked.person.first_name}'s family agreed the plan",
            body="Submit it for approval now.",
            link=reverse("brokerage:plan", args=[locked.public_id]),
        )
    plan.refresh_from_db()
    return plan


@transaction.atomic
def plan_family_ask_changes(*, plan: SupportPlan, holder: User, changes: str) -> SupportPlan:
    """The plan stays a draft and goes back to whoever sent it, with what the family want changed."""
    locked = _locked(plan)
    _require_holder(locked, holder)
    _require_sent(locked)
    if not changes.strip():
        raise ValidationError({"changes": "Tell us what you would like to change"})
    locked.family_changes_asked = changes.strip()
    locked.sent_to_family_at = None
    locked.save(update_fields=["family_changes_asked", "sent_to_family_at"])
    audit_record(
        actor=holder,
        action="plan.family_asked_changes",
        target=locked,
        summary=f"{holder} asked for changes to {locked}",
        council=locked.budget.council,
        reason=locked.family_changes_asked,
    )
    if locked.sent_to_family_by is not None:
        notification_send(
            recipient=locked.sent_to_family_by,
            subject=f"{locked.person.first_name}'s family asked for changes to the plan",
            body=locked.family_changes_asked,
            link=reverse("marketplace:package", args=[locked.public_id]),
        )
    plan.refresh_from_db()
    return plan
