"""Writes for offers: content in versions, status through one audited transition function."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from providers.changes import listings_changed
from providers.exceptions import ProvidersError, TransitionNotAllowed
from providers.models import (
    AttendingType,
    CostOption,
    Offer,
    OfferLocation,
    OfferStatus,
    OfferStatusChange,
    OfferVersion,
    PersonalAssistantProfile,
    Schedule,
    ServiceArea,
    TaxonomyTerm,
    VersionState,
)

# Which status may follow which: the only moves an offer can make.
OFFER_TRANSITIONS: dict[str, frozenset[str]] = {
    OfferStatus.DRAFT: frozenset({OfferStatus.PENDING}),
    OfferStatus.PENDING: frozenset({OfferStatus.PUBLISHED, OfferStatus.DRAFT}),
    OfferStatus.PUBLISHED: frozenset({OfferStatus.SUSPENDED, OfferStatus.WITHDRAWN}),
    OfferStatus.SUSPENDED: frozenset({OfferStatus.PUBLISHED, OfferStatus.WITHDRAWN}),
    OfferStatus.WITHDRAWN: frozenset({OfferStatus.PENDING}),
}


@dataclass
class OfferContent:
    """Everything a provider writes about an offer; nested rows as plain dicts of model fields."""

    name: str
    description: str
    categories: list[TaxonomyTerm]
    minimum_age: int = 0
    maximum_age: int = 25
    attending_types: list[str] = field(default_factory=list)
    needs: list[TaxonomyTerm] = field(default_factory=list)
    url: str = ""
    email: str = ""
    languages: list[str] = field(default_factory=lambda: ["en"])
    accessibility: str = ""
    capacity_places: int | None = None
    capacity_hours: Decimal | None = None
    capacity_note: str = ""
    cost_options: list[dict] = field(default_factory=list)
    schedules: list[dict] = field(default_factory=list)
    service_areas: list[dict] = field(default_factory=list)
    locations: list[dict] = field(default_factory=list)

    SCALAR_FIELDS = (
        "name",
        "description",
        "minimum_age",
        "maximum_age",
        "attending_types",
        "url",
        "email",
        "languages",
        "accessibility",
        "capacity_places",
        "capacity_hours",
        "capacity_note",
    )


def offer_set_status(*, offer: Offer, new_status: str, actor: User | None, reason: str = "") -> Offer:
    """The one place an offer's status changes: locks the row, checks the move, records history."""
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        old_status = locked.status
        if new_status not in OFFER_TRANSITIONS.get(old_status, frozenset()):
            raise TransitionNotAllowed(
                f"An offer that is {OfferStatus(old_status).label.lower()} cannot become "
                f"{OfferStatus(new_status).label.lower()}"
            )
        now = timezone.now()
        locked.status = new_status
        locked.status_changed_at = now
        fields = ["status", "status_changed_at"]
        if new_status == OfferStatus.PUBLISHED and locked.published_at is None:
            locked.published_at = now
            fields.append("published_at")
        locked.save(update_fields=fields)
        OfferStatusChange.objects.create(
            offer=locked, old_status=old_status, new_status=new_status, actor=actor, reason=reason
        )
        listings_changed([locked.pk])
    offer.refresh_from_db()
    return offer


@transaction.atomic
def offer_create(
    *,
    actor: User,
    content: OfferContent,
    organisation: Organisation | None = None,
    personal_assistant: PersonalAssistantProfile | None = None,
) -> Offer:
    offer = Offer(organisation=organisation, personal_assistant=personal_assistant)
    offer.full_clean()
    offer.save()
    version = _version_write(offer=offer, number=1, content=content, actor=actor)
    offer.working_version = version
    offer.save(update_fields=["working_version"])
    return offer


@transaction.atomic
def offer_edit(*, offer: Offer, actor: User, content: OfferContent) -> OfferVersion:
    """Save new content. A published offer keeps showing its live version until the change is approved."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    working = offer.working_version
    if working is not None and working.state in {VersionState.DRAFT, VersionState.REJECTED, VersionState.SUBMITTED}:
        # Editing a submitted version takes it back to draft: it has to be submitted again.
        _children_clear(working)
        version = _version_write(offer=offer, number=working.number, content=content, actor=actor, into=working)
    else:
        number = (offer.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = _version_write(offer=offer, number=number, content=content, actor=actor)
        offer.working_version = version
        offer.save(update_fields=["working_version"])
    if offer.status == OfferStatus.PUBLISHED:
        listings_changed([offer.pk])
    return version


@transaction.atomic
def offer_submit(*, offer: Offer, actor: User) -> Offer:
    """Send the working version for checking. A first version also moves the offer to pending."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    version = offer.working_version
    if version is None or version.state not in {VersionState.DRAFT, VersionState.REJECTED}:
        raise ProvidersError("There are no changes to send for checking")
    version.state = VersionState.SUBMITTED
    version.submitted_at = timezone.now()
    version.save(update_fields=["state", "submitted_at"])
    if offer.status in {OfferStatus.DRAFT, OfferStatus.WITHDRAWN}:
        offer_set_status(offer=offer, new_status=OfferStatus.PENDING, actor=actor, reason="Sent for checking")
    return offer


@transaction.atomic
def offer_approve(*, offer: Offer, actor: User, reason: str = "") -> Offer:
    """Make the submitted version live; the previous live version is kept as history."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    version = offer.working_version
    if version is None or version.state != VersionState.SUBMITTED:
        raise ProvidersError("There is nothing waiting for approval")
    now = timezone.now()
    previous = offer.live_version
    if previous is not None:
        previous.state = VersionState.SUPERSEDED
        previous.save(update_fields=["state"])
    version.state = VersionState.APPROVED
    version.decided_at, version.decided_by, version.decision_reason = now, actor, reason
    version.save(update_fields=["state", "decided_at", "decided_by", "decision_reason"])
    # Two one-to-one fields may not point at the same version at once, so clear working first.
    offer.working_version = None
    offer.save(update_fields=["working_version"])
    offer.live_version = version
    offer.save(update_fields=["live_version"])
    listings_changed([offer.pk])
    if offer.status == OfferStatus.PENDING:
        offer_set_status(offer=offer, new_status=OfferStatus.PUBLISHED, actor=actor, reason=reason or "Approved")
    return offer


@transaction.atomic
def offer_reject(*, offer: Offer, actor: User, reason: str) -> Offer:
    if not reason.strip():
        raise ProvidersError("Give a reason, so that the provider knows what to change")
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    version = offer.working_version
    if version is None or version.state != VersionState.SUBMITTED:
        raise ProvidersError("There is nothing waiting for a decision")
    version.state = VersionState.REJECTED
    version.decided_at, version.decided_by, version.decision_reason = timezone.now(), actor, reason
    version.save(update_fields=["state", "decided_at", "decided_by", "decision_reason"])
    if offer.status == OfferStatus.PENDING:
        offer_set_status(offer=offer, new_status=OfferStatus.DRAFT, actor=actor, reason=reason)
    return offer


def offer_content_of(version: OfferVersion) -> OfferContent:
    """The content of a version, ready to edit or compare."""
    return OfferContent(
        **{name: getattr(version, name) for name in OfferContent.SCALAR_FIELDS},
        categories=list(version.categories.all()),
        needs=list(version.needs.all()),
        cost_options=list(
            version.cost_options.values("amount", "unit", "vat_status", "description", "valid_from", "valid_to")
        ),
        schedules=list(version.schedules.values("weekday", "opens_at", "closes_at", "description")),
        service_areas=list(version.service_areas.values("postcode_district", "council_code", "name")),
        locations=list(
            version.locations.values(
                "name", "address", "postcode", "latitude", "longitude", "council_code", "accessibility"
            )
        ),
    )


def _content_check(content: OfferContent) -> None:
    if not content.categories:
        raise ProvidersError("Choose at least one kind of support")
    unknown = set(content.attending_types) - set(AttendingType.values)
    if unknown or not content.attending_types:
        raise ProvidersError("Say where the support is given: at home, at a venue or online")
    if AttendingType.VENUE in content.attending_types and not content.locations:
        raise ProvidersError("Add the venue where the support is given")


def _children_clear(version: OfferVersion) -> None:
    for related in (version.cost_options, version.schedules, version.service_areas, version.locations):
        related.all().delete()


def _version_write(
    *, offer: Offer, number: int, content: OfferContent, actor: User, into: OfferVersion | None = None
) -> OfferVersion:
    _content_check(content)
    version = into or OfferVersion(offer=offer, number=number)
    for name in OfferContent.SCALAR_FIELDS:
        setattr(version, name, getattr(content, name))
    version.state = VersionState.DRAFT
    version.created_by = actor
    version.full_clean(exclude=["categories", "needs"])
    version.save()
    version.categories.set(content.categories)
    version.needs.set(content.needs)
    _children_write(version, CostOption, content.cost_options)
    _children_write(version, Schedule, content.schedules)
    _children_write(version, ServiceArea, content.service_areas)
    _children_write(version, OfferLocation, content.locations)
    return version


def _children_write(version: OfferVersion, model: type, rows: list[dict]) -> None:
    objects = [model(version=version, **row) for row in rows]
    for obj in objects:
        obj.full_clean(exclude=["version"])
    model.objects.bulk_create(objects)
