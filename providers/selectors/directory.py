"""Reads for a council administrator's directory: the providers and personal assistants registered with
the council. Another council's are never included."""

from django.db.models import Count, Q, QuerySet

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from providers.models import OfferStatus, PersonalAssistantProfile

_PUBLISHED_OFFERS = Count("offers", filter=Q(offers__status=OfferStatus.PUBLISHED), distinct=True)
_ALL_OFFERS = Count("offers", distinct=True)


def council_provider_organisations(council: Organisation) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(council=council, kind=OrganisationKind.PROVIDER)
        .select_related("provider_profile")
        .annotate(published_offers=_PUBLISHED_OFFERS, all_offers=_ALL_OFFERS)
        .order_by("name", "pk")
    )


def council_personal_assistants(council: Organisation) -> QuerySet[PersonalAssistantProfile]:
    """Personal assistants on the council's register. Callers show only public fields: never the home postcode."""
    return (
        PersonalAssistantProfile.objects.filter(council=council)
        .annotate(published_offers=_PUBLISHED_OFFERS, all_offers=_ALL_OFFERS)
        .order_by("display_name", "pk")
    )
