"""Writes for complaints: making one, the provider's response, the family accepting it or asking the council
to look at it, the council's decision, and the daily escalation of complaints the provider left unanswered.

The status moves only through ``_complaint_move`` and its transitions table; each move writes a
``ComplaintEvent`` (the timeline) and an audit row, and tells whoever now has to act.

    open --provider responds--> responded --family accepts--> resolved
      |                             |
      +--no response in time--+     +--family asks the council--+
                              v                                 v
                          escalated --council decides with an outcome--> closed
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import Membership, Organisation, User
from accounts.notifications import notification_send_many
from accounts.roles import FAMILY_ROLES, OrganisationKind
from brokerage.models import PersonSupported
from marketplace.complaint_selectors import (
    COUNCIL_ROLES,
    complaint_family_users,
    complaint_may_be_answered_by,
    complaint_officers,
    complaint_provider_users,
    complaints_overdue,
    people_user_may_complain_for,
)
from marketplace.models import Complaint, ComplaintEvent, ComplaintOutcome, ComplaintStatus, Order
from marketplace.payments.working_days import banking_days_after
from providers.models import Offer

TRANSITIONS: dict[str, frozenset[str]] = {
    ComplaintStatus.OPEN: frozenset({ComplaintStatus.RESPONDED, ComplaintStatus.ESCALATED}),
    ComplaintStatus.RESPONDED: frozenset({ComplaintStatus.RESOLVED, ComplaintStatus.ESCALATED}),
    ComplaintStatus.ESCALATED: frozenset({ComplaintStatus.CLOSED}),
    ComplaintStatus.RESOLVED: frozenset(),
    ComplaintStatus.CLOSED: frozenset(),
}


def response_due_on(made_on: date) -> date:
    """The last day the provider has to respond: ``COMPLAINT_RESPONSE_WORKING_DAYS`` working days on."""
    return banking_days_after(made_on, settings.COMPLAINT_RESPONSE_WORKING_DAYS)


# --- Making a complaint --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """What a complaint is about: an order, an offer, or a provider organisation as a whole."""

    provider_organisation: Organisation | None = None
    offer: Offer | None = None
    order: Order | None = None

    @classmethod
    def of_order(cls, order: Order) -> "Subject":
        return cls(offer=order.offer, order=order)

    @property
    def organisation(self) -> Organisation | None:
        if self.offer is not None:
            return self.offer.organisation
        return self.provider_organisation


@transaction.atomic
def complaint_make(
    *,
    made_by: User,
    membership: Membership,
    person: PersonSupported,
    subject: Subject,
    what_happened: str,
    what_they_want: str,
    now: datetime | None = None,
) -> Complaint:
    """Record a family's complaint about a service and tell the provider, who has until the response date
    to respond before the complaint goes to the council."""
    now = now or timezone.now()
    _maker_check(made_by=made_by, membership=membership, person=person)
    _subject_check(subject=subject, person=person)
    offer = subject.offer
    complaint = Complaint(
        person=person,
        council=person.council,
        provider_organisation=subject.organisation,
        personal_assistant=offer.personal_assistant if offer else None,
        offer=offer,
        order=subject.order,
        made_by=made_by,
        made_as=membership.role,
        what_happened=what_happened.strip(),
        what_they_want=what_they_want.strip(),
        status=ComplaintStatus.OPEN,
        response_due_on=response_due_on(timezone.localdate(now)),
        created_at=now,
        status_changed_at=now,
    )
    complaint.full_clean()
    complaint.save()
    ComplaintEvent.objects.create(complaint=complaint, new_status=ComplaintStatus.OPEN, actor=made_by, created_at=now)
    audit_record(
        actor=made_by,
        action="complaint.made",
        target=complaint,
        council=complaint.council,
        summary=f"Made a complaint about {complaint.about}",
        data={"order": str(subject.order.public_id) if subject.order else None},
    )
    _tell_provider(
        complaint,
        subject="A family has made a complaint about your service",
        body=(
            f"A family has made a complaint about {complaint.about}. Read it and respond by "
            f"{complaint.response_due_on:%-d %B %Y}. If you do not respond by then, the council will look at it."
        ),
    )
    return complaint


def _maker_check(*, made_by: User, membership: Membership, person: PersonSupported) -> None:
    if membership.user_id != made_by.pk or membership.role not in FAMILY_ROLES or not membership.is_active:
        raise PermissionDenied("Only family members and young people make complaints here")
    if not people_user_may_complain_for(made_by).filter(pk=person.pk).exists():
        raise ValidationError({"person": "Choose someone you give consent for"})


def _subject_check(*, subject: Subject, person: PersonSupported) -> None:
    if subject.order is not None and subject.order.person_id != person.pk:
        raise ValidationError("This order is for someone else")
    organisation = subject.organisation
    if subject.offer is None and (organisation is None or organisation.kind != OrganisationKind.PROVIDER):
        raise ValidationError("Choose the provider or the service you are complaining about")


# --- The provider responds -----------------------------------------------------------------------------


@transaction.atomic
def complaint_respond(*, complaint: Complaint, responder: User, response: str) -> Complaint:
    """The provider's response; the family is told and can accept it or ask the council to look at it."""
    complaint = _locked(complaint)
    if not complaint_may_be_answered_by(complaint=complaint, user=responder):
        raise PermissionDenied("Only the provider the complaint is about can respond to it")
    if complaint.status != ComplaintStatus.OPEN:
        raise ValidationError("This complaint has already been responded to or has gone to the council")
    text = _required(response, field="provider_response", message="Enter your response")
    now = timezone.now()
    complaint.provider_response = text
    complaint.responded_by = responder
    complaint.responded_at = now
    _complaint_move(
        complaint,
        to=ComplaintStatus.RESPONDED,
        actor=responder,
        at=now,
        note=text,
        also=["provider_response", "responded_by", "responded_at"],
    )
    _tell_family(
        complaint,
        subject="The provider has responded to your complaint",
        body=(
            f"{complaint.provider_name} has responded to your complaint. Read the response, then tell us whether "
            "it puts things right or whether you want the council to look at your complaint."
        ),
    )
    return complaint


# --- The family accepts the response or asks the council ------------------------------------------------


@transaction.atomic
def complaint_accept(*, complaint: Complaint, actor: User) -> Complaint:
    """The family is satisfied with the provider's response: the complaint is resolved."""
    complaint = _locked(complaint)
    _family_check(complaint=complaint, actor=actor)
    if complaint.status != ComplaintStatus.RESPONDED:
        raise ValidationError("You can accept a response only once the provider has responded")
    _complaint_move(complaint, to=ComplaintStatus.RESOLVED, actor=actor, at=timezone.now())
    _tell_provider(
        complaint,
        subject="A complaint about your service is resolved",
        body=f"The family accepted your response to their complaint about {complaint.about}.",
    )
    return complaint


@transaction.atomic
def complaint_escalate(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    """The family is not satisfied with the provider's response and asks the council to look at it."""
    complaint = _locked(complaint)
    _family_check(complaint=complaint, actor=actor)
    if complaint.status != ComplaintStatus.RESPONDED:
        raise ValidationError("You can ask the council to look at your complaint once the provider has responded")
    text = _required(reason, field="reason", message="Say why the response does not put things right")
    return _escalate(complaint, actor=actor, reason=text, at=timezone.now())


def _family_check(*, complaint: Complaint, actor: User) -> None:
    if not any(user.pk == actor.pk for user in complaint_family_users(complaint)):
        raise PermissionDenied("Only the family who made the complaint can do this")


# --- Escalation when the provider does not respond -----------------------------------------------------


@dataclass(frozen=True)
class EscalationRun:
    checked: int
    escalated: int


def complaints_escalate_overdue(*, now: datetime | None = None) -> EscalationRun:
    """Send to the council every complaint the provider has not responded to by its response date.

    Run daily (``manage.py complaints_escalate`` or the ``complaints_escalate_overdue_task`` task); running
    it again escalates nothing twice, since an escalated complaint is no longer open. Each complaint is
    escalated in its own transaction, so that one failure does not hold back the rest.
    """
    now = now or timezone.now()
    overdue_ids = list(complaints_overdue(timezone.localdate(now)).values_list("pk", flat=True))
    escalated = sum(_escalate_if_still_overdue(complaint_id, now=now) for complaint_id in overdue_ids)
    return EscalationRun(checked=len(overdue_ids), escalated=escalated)


@transaction.atomic
def _escalate_if_still_overdue(complaint_id: int, *, now: datetime) -> bool:
    # The provider may have responded since the list was read: check again under the row lock.
    complaint = Complaint.objects.select_for_update().get(pk=complaint_id)
    if complaint.status != ComplaintStatus.OPEN or complaint.response_due_on >= timezone.localdate(now):
        return False
    reason = f"The provider did not respond by {complaint.response_due_on:%-d %B %Y}"
    _escalate(complaint, actor=None, reason=reason, at=now)
    _tell_family(
        complaint,
        subject="Your complaint has gone to the council",
        body=f"{complaint.provider_name} did not respond to your complaint in time, so the council will look at it.",
    )
    return True


def _escalate(complaint: Complaint, *, actor: User | None, reason: str, at: datetime) -> Complaint:
    complaint.escalation_reason = reason
    complaint.escalated_at = at
    _complaint_move(
        complaint,
        to=ComplaintStatus.ESCALATED,
        actor=actor,
        at=at,
        note=reason,
        also=["escalation_reason", "escalated_at"],
    )
    notification_send_many(
        recipients=complaint_officers(complaint.council),
        subject="A complaint needs the council's decision",
        body=f"A complaint about {complaint.about} has been escalated to the council. {reason}.",
        link=reverse("marketplace:complaint-council", args=[complaint.public_id]),
    )
    _tell_provider(
        complaint,
        subject="A complaint about your service has gone to the council",
        body=f"The complaint about {complaint.about} has gone to the council, which will decide on it.",
    )
    return complaint


# --- The council decides -------------------------------------------------------------------------------


@transaction.atomic
def complaint_decide(*, complaint: Complaint, officer: User, outcome: str, decision: str) -> Complaint:
    """The council's decision on an escalated complaint, with its outcome; the complaint is closed and the
    family and the provider are told."""
    complaint = _locked(complaint)
    _officer_check(complaint=complaint, officer=officer)
    if complaint.status != ComplaintStatus.ESCALATED:
        raise ValidationError("The council decides only on complaints escalated to it")
    if outcome not in ComplaintOutcome.values:
        raise ValidationError({"outcome": "Choose whether the complaint is upheld"})
    text = _required(decision, field="council_outcome", message="Explain the council's decision")
    now = timezone.now()
    complaint.outcome = outcome
    complaint.council_outcome = text
    complaint.decided_by = officer
    complaint.decided_at = now
    label = ComplaintOutcome(outcome).label
    _complaint_move(
        complaint,
        to=ComplaintStatus.CLOSED,
        actor=officer,
        at=now,
        note=f"{label}. {text}",
        also=["outcome", "council_outcome", "decided_by", "decided_at"],
    )
    body = f"The council has decided on the complaint about {complaint.about}: {label.lower()}."
    _tell_family(complaint, subject="The council has decided on your complaint", body=body)
    _tell_provider(complaint, subject="The council has decided on a complaint about your service", body=body)
    return complaint


def _officer_check(*, complaint: Complaint, officer: User) -> None:
    is_officer = (
        Membership.objects.active()
        .filter(user=officer, organisation=complaint.council, role__in=COUNCIL_ROLES)
        .exists()
    )
    if not is_officer:
        raise PermissionDenied("Only the council's quality-assurance officers and administrators decide complaints")


# --- Telling each side ---------------------------------------------------------------------------------


def _tell_family(complaint: Complaint, *, subject: str, body: str) -> None:
    notification_send_many(
        recipients=complaint_family_users(complaint),
        subject=subject,
        body=body,
        link=reverse("marketplace:complaint", args=[complaint.public_id]),
    )


def _tell_provider(complaint: Complaint, *, subject: str, body: str) -> None:
    notification_send_many(
        recipients=complaint_provider_users(complaint),
        subject=subject,
        body=body,
        link=reverse("marketplace:complaint-received", args=[complaint.public_id]),
    )


# --- The one place the status changes ------------------------------------------------------------------


def _complaint_move(
    complaint: Complaint,
    *,
    to: str,
    actor: User | None,
    at: datetime,
    note: str = "",
    also: list[str] | None = None,
) -> None:
    old = complaint.status
    if to not in TRANSITIONS[old]:
        raise ValidationError(f"A complaint that is {ComplaintStatus(old).label.lower()} cannot move to {to}")
    complaint.status = to
    complaint.status_changed_at = at
    complaint.full_clean()
    complaint.save(update_fields=["status", "status_changed_at", *(also or [])])
    ComplaintEvent.objects.create(
        complaint=complaint, old_status=old, new_status=to, actor=actor, note=note, created_at=at
    )
    audit_record(
        actor=actor,
        action=f"complaint.{to}",
        target=complaint,
        council=complaint.council,
        summary=f"Complaint about {complaint.about}: {ComplaintStatus(to).label.lower()}",
        reason=note,
        data={"from": old, "to": to},
    )


def _locked(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("person", "council", "offer__live_version", "provider_organisation__provider_profile")
        .select_related("personal_assistant__user", "made_by")
        .get(pk=complaint.pk)
    )


def _required(text: str, *, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text
