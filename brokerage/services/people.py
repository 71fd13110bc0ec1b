"""Recording a person supported and their consent holder, the hand-over of consent, and the log of
every staff view of a child's records."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.events import audit_record
from accounts.models import Membership, Organisation, User
from accounts.roles import Role
from accounts.services import user_invite
from brokerage.exceptions import BrokerageError
from brokerage.models import AccessGrant, ConsentHolder, PersonSupported, RecordView
from brokerage.services.consent import access_grant, consent_handover, consent_holder_set


@dataclass(frozen=True)
class Contact:
    """Someone who may not have an account yet: they are invited by email if not."""

    email: str
    first_name: str
    last_name: str


def account_for(*, actor: User, council: Organisation, contact: Contact, role: str) -> User:
    """The account for ``contact`` with ``role`` at the council, inviting them if they have neither."""
    user = User.objects.filter(email__iexact=contact.email.strip()).first()
    if user is not None and Membership.objects.active().filter(user=user, organisation=council, role=role).exists():
        return user
    invitation = user_invite(
        actor=actor,
        council=council,
        email=contact.email,
        first_name=contact.first_name,
        last_name=contact.last_name,
        organisation=council,
        role=role,
    )
    return invitation.membership.user


@transaction.atomic
def person_create(
    *,
    actor: User,
    council: Organisation,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    holder: Contact,
    relationship: str,
    postcode: str = "",
    needs_notes: str = "",
    caf_reference: str = "",
    as_lead_professional: bool = True,
) -> PersonSupported:
    """Record a person and who holds consent for them. The consent holder agreed that the worker
    recording them may see and act on the records, so the worker gets an access grant from them."""
    person = PersonSupported(
        council=council,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        postcode=postcode.strip().upper(),
        needs_notes=needs_notes,
        caf_reference=caf_reference.strip(),
        lead_professional=actor if as_lead_professional else None,
        created_by=actor,
    )
    person.full_clean()
    person.save()
    audit_record(actor=actor, action="person.created", target=person, council=council, summary=f"Recorded {person}")
    is_self = relationship == ConsentHolder.Relationship.SELF
    holder_user = account_for(
        actor=actor, council=council, contact=holder, role=Role.YOUNG_PERSON if is_self else Role.FAMILY_MEMBER
    )
    if is_self:
        person.young_person_user = holder_user
        person.save(update_fields=["young_person_user"])
    try:
        consent_holder_set(
            person=person, user=holder_user, relationship=relationship, actor=actor, reason="Recorded with the person"
        )
    except BrokerageError as error:
        raise ValidationError({"relationship": str(error)}) from error
    access_grant(person=person, grantee=actor, consent_from=holder_user, recorded_by=actor, scope=AccessGrant.Scope.ACT)
    return person


@transaction.atomic
def person_consent_handover(
    *, person: PersonSupported, actor: User, council: Organisation, young_person: Contact
) -> ConsentHolder:
    """Pass consent to the young person at the council's consent age; the hand-over is recorded and
    the parent's consent ends. Workers who could see the records keep their grants: the young person
    may withdraw them."""
    user = account_for(actor=actor, council=council, contact=young_person, role=Role.YOUNG_PERSON)
    try:
        return consent_handover(person=person, young_person=user, actor=actor)
    except BrokerageError as error:
        raise ValidationError(str(error)) from error


def record_view_log(*, person: PersonSupported, viewer: User, what: str) -> RecordView:
    """Log a member of staff looking at a child's records; the council administrator sees the log."""
    view = RecordView(person=person, viewer=viewer, what=what[:100])
    view.full_clean()
    view.save()
    return view
