"""Reads for the public directory: only what is published, with everything a page shows fetched up front.

An offer is public when it is published (its live version is shown, never a change waiting for checks)
and its provider's profile is published too: suspending a provider hides its offers at once. Anything
else answers 404, whoever asks, so a draft or a suspension is not revealed.
"""

from uuid import UUID

from django.db.models import Prefetch, Q
from django.http import Http404

from providers.models import (
    Offer,
    OfferQuerySet,
    PersonalAssistantProfile,
    ProfileStatus,
    ProviderProfile,
    TaxonomyTerm,
)

# What an offer page shows from its live version; each is one query however many rows there are.
_LIVE_VERSION_DETAIL = (
    "live_version__categories",
    "live_version__needs",
    "live_version__cost_options",
    "live_version__schedules",
    "live_version__service_areas",
    "live_version__locations",
)
# What a list of offers (on a profile page) shows of each.
_LIVE_VERSION_SUMMARY = ("live_version__categories", "live_version__cost_options")


def public_offers() -> OfferQuerySet:
    """Published offers of providers and personal assistants whose profiles are published."""
    return Offer.objects.published().filter(
        Q(organisation__provider_profile__status=ProfileStatus.PUBLISHED, organisation__is_active=True)
        | Q(personal_assistant__status=ProfileStatus.PUBLISHED, personal_assistant__user__is_active=True)
    )


def public_offer_get(*, public_id: UUID) -> Offer:
    offer = (
        public_offers()
        .select_related("live_version", "organisation__provider_profile", "personal_assistant")
        .prefetch_related(*_LIVE_VERSION_DETAIL)
        .filter(public_id=public_id)
        .first()
    )
    if offer is None:
        raise Http404("No published offer has this address")
    return offer


def public_provider_get(*, public_id: UUID) -> ProviderProfile:
    profile = (
        ProviderProfile.objects.filter(status=ProfileStatus.PUBLISHED, organisation__is_active=True)
        .select_related("organisation", "logo")
        .filter(public_id=public_id)
        .first()
    )
    if profile is None:
        raise Http404("No published provider has this address")
    return profile


def public_personal_assistant_get(*, public_id: UUID) -> PersonalAssistantProfile:
    profile = (
        PersonalAssistantProfile.objects.filter(status=ProfileStatus.PUBLISHED, user__is_active=True)
        .select_related("photo")
        .prefetch_related(Prefetch("skills", queryset=TaxonomyTerm.objects.filter(is_active=True)))
        .filter(public_id=public_id)
        .first()
    )
    if profile is None:
        raise Http404("No published personal assistant has this address")
    return profile


def public_offers_of_provider(profile: ProviderProfile) -> list[Offer]:
    offers = public_offers().filter(organisation_id=profile.organisation_id)
    return _summaries(offers)


def public_offers_of_personal_assistant(profile: PersonalAssistantProfile) -> list[Offer]:
    offers = public_offers().filter(personal_assistant=profile)
    return _summaries(offers)


def _summaries(offers: OfferQuerySet) -> list[Offer]:
    return list(
        offers.select_related("live_version")
        .prefetch_related(*_LIVE_VERSION_SUMMARY)
        .order_by("live_version__name", "pk")
    )
