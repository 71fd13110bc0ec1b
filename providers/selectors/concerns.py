"""Reads for concerns. Officers see only their council's concerns; a reporter only their own, and of those
only the status and the notes shared with them. Anything else answers 404."""

from uuid import UUID

from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind
from providers.models import (
    Concern,
    ConcernNote,
    ConcernStatus,
    Offer,
    OfferStatus,
    PersonalAssistantProfile,
    ProfileStatus,
)


def _concerns() -> QuerySet[Concern]:
    return Concern.objects.select_related(
        "council", "organisation", "organisation__provider_profile", "pa_profile", "reporter"
    )


def concerns_for_council(*, council: Organisation, status: str = "") -> QuerySet[Concern]:
    """Open concerns first, those marked for the LADO at the top of each, newest first."""
    concerns = _concerns().filter(council=council)
    if status in ConcernStatus.values:
        concerns = concerns.filter(status=status)
    is_closed = Case(
        When(status=ConcernStatus.CLOSED, then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    return concerns.annotate(is_closed=is_closed).order_by("is_closed", "-involves_harm_to_child", "-created_at", "-pk")


def concern_get_for_council(*, council: Organisation, public_id: UUID) -> Concern:
    return get_object_or_404(_concerns().filter(council=council), public_id=public_id)


def concern_notes(*, concern: Concern) -> QuerySet[ConcernNote]:
    """Every note, for the council's officers."""
    return concern.notes.select_related("author").order_by("created_at", "id")


def concern_listing_offers(*, concern: Concern) -> dict[str, int]:
    """How many of the listing's offers are published and suspended, for the officer's page."""
    offers = (
        Offer.objects.of_personal_assistant(concern.pa_profile)
        if concern.pa_profile_id
        else Offer.objects.of_organisation(concern.organisation)
    )
    return {
        "published": offers.filter(status=OfferStatus.PUBLISHED).count(),
        "suspended": offers.filter(status=OfferStatus.SUSPENDED).count(),
    }


def concerns_reported_by(*, user: User) -> QuerySet[Concern]:
    return _concerns().filter(reporter=user).order_by("-created_at", "-pk")


def concern_get_for_reporter(*, user: User, public_id: UUID) -> Concern:
    return get_object_or_404(concerns_reported_by(user=user), public_id=public_id)


def concern_shared_notes(*, concern: Concern) -> QuerySet[ConcernNote]:
    """The notes the reporter may read: only those the officer chose to share."""
    return concern.notes.filter(shared_with_reporter=True).order_by("created_at", "id")


def listing_for_report(
    *, organisation_id: str | None, pa_id: str | None
) -> tuple[Organisation | None, PersonalAssistantProfile | None]:
    """The published listing named in the report page's address; anything else answers 404."""
    if bool(organisation_id) == bool(pa_id):
        raise Http404("Say which listing the concern is about")
    try:
        public_id = UUID(organisation_id or pa_id)
    except ValueError as error:
        raise Http404("No such listing") from error
    if pa_id:
        pa_profile = get_object_or_404(
            PersonalAssistantProfile.objects.select_related("council"),
            public_id=public_id,
            status=ProfileStatus.PUBLISHED,
        )
        return None, pa_profile
    organisation = get_object_or_404(
        Organisation.objects.active().select_related("provider_profile", "council"),
        public_id=public_id,
        kind=OrganisationKind.PROVIDER,
        provider_profile__status=ProfileStatus.PUBLISHED,
    )
    return organisation, None
