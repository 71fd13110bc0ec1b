"""Writes for framework contracts: a council's commissioners create frameworks and lots, admit providers
to lots, and suspend, reinstate or end their memberships.

A framework belongs to one council. Views reach frameworks through council-scoped selectors (another
council's framework answers 404); the checks here keep that rule when a service is called elsewhere.
A membership's status changes only through ``membership_set_status``.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import Membership, Organisation, User
from accounts.notifications import notification_send_many
from accounts.roles import OrganisationKind, Role
from providers.models import (
    CostUnit,
    FrameworkContract,
    FrameworkLot,
    FrameworkMembership,
    FrameworkMembershipChange,
    MembershipStatus,
    Taxonomy,
    TaxonomyTerm,
)
from providers.models.taxonomy import TaxonomyTermQuerySet

# Which status may follow which. Ending is final: a provider joins again through the next framework
# the council lets, which is how re-tendering works.
MEMBERSHIP_TRANSITIONS: dict[str, frozenset[str]] = {
    MembershipStatus.ADMITTED: frozenset({MembershipStatus.SUSPENDED, MembershipStatus.ENDED}),
    MembershipStatus.SUSPENDED: frozenset({MembershipStatus.ADMITTED, MembershipStatus.ENDED}),
    MembershipStatus.ENDED: frozenset(),
}

# What each move is called, for messages, audit rows and the provider's notification.
MEMBERSHIP_VERBS: dict[str, str] = {
    MembershipStatus.ADMITTED: "reinstated",
    MembershipStatus.SUSPENDED: "suspended",
    MembershipStatus.ENDED: "ended",
}


def _ensure_council_framework(council: Organisation, framework: FrameworkContract) -> None:
    if framework.council_id != council.pk:
        raise PermissionDenied(f"{framework.name} is not one of {council}'s frameworks")


def _framework_rules_check(
    *,
    council: Organisation,
    reference: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    exclude_pk: int | None = None,
) -> None:
    errors: dict[str, str] = {}
    if starts_on and ends_on and starts_on >= ends_on:
        errors["ends_on"] = "The end date must be after the start date"
    others = FrameworkContract.objects.filter(council=council, reference__iexact=reference)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        errors["reference"] = f"Your council already has a framework with the reference {reference}"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def framework_create(
    *,
    actor: User,
    council: Organisation,
    reference: str,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    terms: str = "",
) -> FrameworkContract:
    """Create a framework contract for ``council``; its reference must be new within the council."""
    if not council.is_council:
        raise PermissionDenied("Only a council can let a framework contract")
    reference = reference.strip()
    _framework_rules_check(council=council, reference=reference, starts_on=starts_on, ends_on=ends_on)
    framework = FrameworkContract(
        council=council, reference=reference, name=name.strip(), starts_on=starts_on, ends_on=ends_on, terms=terms
    )
    framework.full_clean()
    framework.save()
    audit_record(
        actor=actor,
        action="framework.created",
        target=framework,
        council=council,
        summary=f"Created the framework {framework.reference} {framework.name}",
        data={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
    )
    return framework


@transaction.atomic
def framework_update(
    *,
    actor: User,
    council: Organisation,
    framework: FrameworkContract,
    reference: str,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    terms: str = "",
) -> FrameworkContract:
    """Correct a framework's reference, name, dates or terms; a change that changes nothing writes nothing."""
    _ensure_council_framework(council, framework)
    framework = FrameworkContract.objects.select_for_update().get(pk=framework.pk)
    reference = reference.strip()
    _framework_rules_check(
        council=council, reference=reference, starts_on=starts_on, ends_on=ends_on, exclude_pk=framework.pk
    )
    wanted = {"reference": reference, "name": name.strip(), "starts_on": starts_on, "ends_on": ends_on, "terms": terms}
    changed = [field for field, value in wanted.items() if getattr(framework, field) != value]
    if not changed:
        return framework
    for field in changed:
        setattr(framework, field, wanted[field])
    framework.full_clean()
    framework.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="framework.updated",
        target=framework,
        council=council,
        summary=f"Changed the {', '.join(field.replace('_', ' ') for field in changed)} of {framework.name}",
        data={"fields": changed},
    )
    return framework


def service_categories_for(council: Organisation) -> TaxonomyTermQuerySet:
    """The service categories a council's lots may cover: the shared ones and the council's own."""
    return (
        TaxonomyTerm.objects.of_kind(Taxonomy.Kind.SERVICE_CATEGORY)
        .for_council(council)
        .filter(is_active=True)
        .order_by("name")
    )


@transaction.atomic
def lot_add(
    *,
    actor: User,
    council: Organisation,
    framework: FrameworkContract,
    number: int,
    name: str,
    categories: list[TaxonomyTerm],
    rate: Decimal | None = None,
    rate_unit: str = "",
) -> FrameworkLot:
    """Add a lot to the framework: what it covers (service categories) and the rate it pays."""
    _ensure_council_framework(council, framework)
    errors: dict[str, str] = {}
    if framework.lots.filter(number=number).exists():
        errors["number"] = f"This framework already has a lot {number}"
    allowed = set(service_categories_for(council).values_list("pk", flat=True))
    if not categories:
        errors["categories"] = "Choose at least one service category the lot covers"
    elif any(term.pk not in allowed for term in categories):
        errors["categories"] = "Choose service categories from the list"
    if (rate is None) != (not rate_unit):
        errors["rate_unit" if rate is not None else "rate"] = "Give the rate and what it is for, or neither"
    if rate_unit and rate_unit not in CostUnit.values:
        errors["rate_unit"] = "Choose what the rate is for: an hour, session, day, night, week or item"
    if errors:
        raise ValidationError(errors)
    lot = FrameworkLot(framework=framework, number=number, name=name.strip(), rate=rate, rate_unit=rate_unit)
    lot.full_clean(exclude=["categories"])
    lot.save()
    lot.categories.set(categories)
    audit_record(
        actor=actor,
        action="framework.lot_added",
        target=framework,
        council=council,
        summary=f"Added lot {lot.number}, {lot.name}, to {framework.name}",
        data={"lot": lot.number, "categories": sorted(term.code for term in categories)},
    )
    return lot


@transaction.atomic
def membership_admit(
    *,
    actor: User,
    council: Organisation,
    lot: FrameworkLot,
    organisation: Organisation,
    admitted_on: datetime.date,
    reason: str = "",
) -> FrameworkMembership:
    """Admit a provider organisation, registered with any council, to a lot of the council's framework."""
    framework = lot.framework
    _ensure_council_framework(council, framework)
    if organisation.kind != OrganisationKind.PROVIDER or not organisation.is_active:
        raise ValidationError({"organisation": "Choose a provider organisation that is open"})
    existing = FrameworkMembership.objects.select_for_update().filter(lot=lot, organisation=organisation).first()
    if existing is not None:
        raise ValidationError(
            {"organisation": f"{organisation} is already on lot {lot.number} ({existing.get_status_display().lower()})"}
        )
    if not framework.starts_on <= admitted_on <= framework.ends_on:
        raise ValidationError(
            {
                "admitted_on": f"The date must be within the framework: {framework.starts_on:%-d %B %Y} to "
                f"{framework.ends_on:%-d %B %Y}"
            }
        )
    membership = FrameworkMembership(lot=lot, organisation=organisation, admitted_on=admitted_on)
    membership.full_clean()
    membership.save()
    FrameworkMembershipChange.objects.create(
        membership=membership, old_status="", new_status=MembershipStatus.ADMITTED, actor=actor, reason=reason
    )
    audit_record(
        actor=actor,
        action="framework.membership_admitted",
        target=membership,
        council=council,
        summary=f"Admitted {organisation} to {framework.name}, lot {lot.number}",
        reason=reason,
    )
    _provider_tell(
        membership,
        subject=f"You are on {council}'s {framework.name}, lot {lot.number}",
        body=(
            f"{council} has admitted {organisation} to {framework.name} ({framework.reference}), lot {lot.number}: "
            f"{lot.name}, from {admitted_on:%-d %B %Y}. Your listing will show this."
        ),
    )
    return membership


def membership_set_status(
    *,
    actor: User,
    council: Organisation,
    membership: FrameworkMembership,
    new_status: str,
    reason: str,
    today: datetime.date | None = None,
) -> FrameworkMembership:
    """The one place a membership's status changes: checks the move, records history and audit, and tells
    the provider's staff. Suspending, reinstating and ending each need a reason."""
    _ensure_council_framework(council, membership.lot.framework)
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for this change"})
    with transaction.atomic():
        locked = FrameworkMembership.objects.select_for_update().select_related("lot__framework").get(pk=membership.pk)
        old_status = locked.status
        if new_status not in MEMBERSHIP_TRANSITIONS.get(old_status, frozenset()):
            raise ValidationError(
                f"A membership that is {MembershipStatus(old_status).label.lower()} cannot be "
                f"{MEMBERSHIP_VERBS.get(new_status, new_status)}"
            )
        locked.status = new_status
        fields = ["status"]
        if new_status == MembershipStatus.ENDED:
            locked.ended_on = today or timezone.localdate()
            fields.append("ended_on")
        locked.save(update_fields=fields)
        FrameworkMembershipChange.objects.create(
            membership=locked, old_status=old_status, new_status=new_status, actor=actor, reason=reason
        )
        _membership_change_record(actor=actor, council=council, membership=locked, new_status=new_status, reason=reason)
    membership.refresh_from_db()
    return membership


def _membership_change_record(
    *, actor: User, council: Organisation, membership: FrameworkMembership, new_status: str, reason: str
) -> None:
    verb = MEMBERSHIP_VERBS[new_status]
    lot, framework = membership.lot, membership.lot.framework
    audit_record(
        actor=actor,
        action=f"framework.membership_{verb}",
        target=membership,
        council=council,
        summary=f"{verb.capitalize()} {membership.organisation}'s membership of {framework.name}, lot {lot.number}",
        reason=reason,
    )
    _provider_tell(
        membership,
        subject=f"Your place on {council}'s {framework.name}, lot {lot.number}, has been {verb}",
        body=f"{council} has {verb} {membership.organisation}'s place on {framework.name} ({framework.reference}), "
        f"lot {lot.number}: {lot.name}.\n\nThe reason given: {reason}",
    )


def _provider_tell(membership: FrameworkMembership, *, subject: str, body: str) -> None:
    staff = Membership.objects.active().filter(organisation=membership.organisation, role=Role.PROVIDER_STAFF)
    notification_send_many(recipients=[m.user for m in staff.select_related("user")], subject=subject, body=body)
