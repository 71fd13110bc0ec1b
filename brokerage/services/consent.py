"""Consent: who speaks for the person, and who may see them.

A parent or carer holds consent until the council's consent age (18 by default); then it passes to the
young person, and the hand-over is recorded. Practitioners and brokers see a person only through an
access grant made with the consent holder's agreement; nobody else does, whatever their role.
"""

from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import User
from accounts.notifications import notification_send
from brokerage.exceptions import BrokerageError
from brokerage.models import AccessGrant, BrokeragePolicy, ConsentHolder, PersonSupported


def financial_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def consent_age_for(person: PersonSupported, day: date) -> int:
    policy = BrokeragePolicy.objects.filter(council=person.council, financial_year=financial_year_of(day)).first()
    return policy.consent_age if policy else 18


def consent_holder(person: PersonSupported) -> ConsentHolder | None:
    return person.consent_holders.filter(ended_at__isnull=True).select_related("user").first()


def consent_handover_due(person: PersonSupported, day: date | None = None) -> bool:
    """The young person has reached the consent age but a parent or carer still holds consent."""
    day = day or timezone.localdate()
    holder = consent_holder(person)
    return (
        person.age_on(day) >= consent_age_for(person, day)
        and holder is not None
        and holder.relationship != ConsentHolder.Relationship.SELF
    )


@transaction.atomic
def consent_holder_set(
    *, person: PersonSupported, user: User, relationship: str, actor: User, reason: str
) -> ConsentHolder:
    """Record who now holds consent; the previous holder's consent ends at the same moment."""
    today = timezone.localdate()
    if relationship != ConsentHolder.Relationship.SELF and person.age_on(today) >= consent_age_for(person, today):
        raise BrokerageError(
            f"{person.first_name} is {person.age_on(today)}: from {consent_age_for(person, today)} "
            "the young person gives consent themselves"
        )
    now = timezone.now()
    # Lock the person so that two hand-overs at once cannot leave two current consent holders.
    PersonSupported.objects.select_for_update().filter(pk=person.pk).first()
    person.consent_holders.filter(ended_at__isnull=True).update(ended_at=now, ended_reason=reason[:200])
    holder = ConsentHolder.objects.create(person=person, user=user, relationship=relationship, started_at=now)
    audit_record(
        actor=actor,
        action="consent.holder_set",
        target=person,
        summary=f"Consent for {person} now held by {user} ({holder.get_relationship_display().lower()})",
        council=person.council,
        reason=reason,
    )
    return holder


def consent_handover(*, person: PersonSupported, young_person: User, actor: User) -> ConsentHolder:
    if not consent_handover_due(person):
        raise BrokerageError("Consent passes to the young person only when they reach the council's consent age")
    person.young_person_user = young_person
    person.save(update_fields=["young_person_user"])
    return consent_holder_set(
        person=person,
        user=young_person,
        relationship=ConsentHolder.Relationship.SELF,
        actor=actor,
        reason=f"{person.first_name} reached the consent age",
    )


def people_visible_to(user: User, day: date | None = None) -> QuerySet[PersonSupported]:
    """The people a user may see: those they hold consent for, or have an active grant to."""
    day = day or timezone.localdate()
    grants = Q(
        access_grants__grantee=user,
        access_grants__revoked_at__isnull=True,
    ) & (Q(access_grants__until__isnull=True) | Q(access_grants__until__gte=day))
    holder = Q(consent_holders__user=user, consent_holders__ended_at__isnull=True)
    return PersonSupported.objects.filter(grants | holder).distinct()


@transaction.atomic
def access_grant(
    *, person: PersonSupported, grantee: User, consent_from: User, recorded_by: User, scope: str, **terms
) -> AccessGrant:  # type: ignore[no-untyped-def]
    holder = consent_holder(person)
    if holder is None or holder.user != consent_from:
        raise BrokerageError("Only the person who holds consent can agree to share these records")
    grant = AccessGrant(
        person=person, grantee=grantee, consent_from=consent_from, recorded_by=recorded_by, scope=scope, **terms
    )
    grant.full_clean()
    grant.save()
    audit_record(
        actor=recorded_by,
        action="consent.access_granted",
        target=person,
        summary=f"{grantee} may now {grant.get_scope_display().lower()} for {person}",
        council=person.council,
    )
    return grant


@transaction.atomic
def access_revoke(*, grant: AccessGrant, actor: User, reason: str) -> AccessGrant:
    """Takes effect at once: the next request from the grantee no longer finds the person."""
    grant = AccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="consent.access_revoked",
            target=grant.person,
            summary=f"{grant.grantee} can no longer see {grant.person}",
            council=grant.person.council,
            reason=reason,
        )
    return grant


@transaction.atomic
def access_grant_by_holder(*, person: PersonSupported, grantee: User, holder: User, **terms) -> AccessGrant:  # type: ignore[no-untyped-def]
    # The grant and the practitioner's notification stand or fall together: nobody is told about
    # access that was not recorded, and the email goes only after the grant commits.
    grant = access_grant(person=person, grantee=grantee, consent_from=holder, recorded_by=holder, **terms)
    notification_send(
        recipient=grantee,
        subject=f"{holder} has given you access to {person}'s record",
        body=f"You may now {grant.get_scope_display().lower()} for {person}.",
        link=reverse("brokerage:person", args=[person.public_id]),
    )
    return grant


@transaction.atomic
def access_revoke_by_holder(*, grant: AccessGrant, holder: User, reason: str) -> AccessGrant:
    grant = access_revoke(grant=grant, actor=holder, reason=reason)
    notification_send(
        recipient=grant.grantee,
        subject=f"{holder} has withdrawn your access to {grant.person}'s record",
        body=f"You can no longer see {grant.person}'s record. Reason given: {reason}",
    )
    return grant
