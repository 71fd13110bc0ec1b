"""Listings for search tests, made through providers' own services, and a small gazetteer.

Places (real postcode district centres, rounded): Coventry CV1 and CV3, Birmingham B1 (about 18
miles west of CV1) and Leeds LS1 (about 95 miles north).
"""

from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from providers.models import Offer, PersonalAssistantProfile, Postcode, ProfileStatus, ProviderProfile
from providers.tests.factories import PersonalAssistantProfileFactory, ProviderProfileFactory, published_offer, term

COVENTRY = "E08000026"
BIRMINGHAM = "E08000025"
LEEDS = "E08000035"

PLACES: dict[str, tuple[str, str, str, str]] = {
    # postcode: (latitude, longitude, council code, council name)
    "CV1 2GT": ("52.408100", "-1.510500", COVENTRY, "Coventry"),
    "CV1": ("52.408000", "-1.510000", COVENTRY, "Coventry"),
    "CV3 5AB": ("52.387000", "-1.497000", COVENTRY, "Coventry"),
    "CV3": ("52.385000", "-1.495000", COVENTRY, "Coventry"),
    "B1 1AA": ("52.479600", "-1.902600", BIRMINGHAM, "Birmingham"),
    "B1": ("52.479000", "-1.903000", BIRMINGHAM, "Birmingham"),
    "LS1 4AP": ("53.796500", "-1.547800", LEEDS, "Leeds"),
    "LS1": ("53.796000", "-1.548000", LEEDS, "Leeds"),
}


def gazetteer() -> None:
    for postcode, (latitude, longitude, council_code, council_name) in PLACES.items():
        Postcode.objects.update_or_create(
            postcode=postcode,
            defaults={
                "kind": Postcode.Kind.UNIT if " " in postcode else Postcode.Kind.DISTRICT,
                "district": postcode.split(" ")[0],
                "latitude": Decimal(latitude),
                "longitude": Decimal(longitude),
                "council_code": council_code,
                "council_name": council_name,
            },
        )


ProfileT = TypeVar("ProfileT", ProviderProfile, PersonalAssistantProfile)


def venue(postcode: str, name: str = "Community centre") -> dict[str, Any]:
    latitude, longitude, council_code, _ = PLACES[postcode]
    return {
        "name": name,
        "address": f"1 High Street, {PLACES[postcode][3]}",
        "postcode": postcode,
        "latitude": Decimal(latitude),
        "longitude": Decimal(longitude),
        "council_code": council_code,
    }


def listing(
    *,
    checks_current_until: date | None = None,
    assured_on: date | None = None,
    profile: ProviderProfile | None = None,
    **content: Any,
) -> Offer:
    """A published offer of a provider organisation with a published profile (what search shows).
    Content is as in providers' ``offer_content``, with categories and needs given as codes."""
    profile = _published(
        profile or ProviderProfileFactory(checks_current_until=checks_current_until, assured_on=assured_on)
    )
    return published_offer(organisation=profile.organisation, **_content(content))


def pa_listing(*, pa: PersonalAssistantProfile | None = None, **content: Any) -> Offer:
    """A published offer of a personal assistant (home in CV3, covering CV1 to CV3 unless told)."""
    pa = _published(pa or PersonalAssistantProfileFactory())
    content.setdefault("categories", ["pa-support"])
    content.setdefault("service_areas", [])
    return published_offer(personal_assistant=pa, **_content(content))


def _published(profile: ProfileT) -> ProfileT:
    """A draft or pending profile made published, as a listing's profile is once checked."""
    if profile.status in {ProfileStatus.DRAFT, ProfileStatus.PENDING}:
        type(profile).objects.filter(pk=profile.pk).update(status=ProfileStatus.PUBLISHED)
        profile.status = ProfileStatus.PUBLISHED
    return profile


def _content(content: dict[str, Any]) -> dict[str, Any]:
    for name in ("categories", "needs"):
        if name in content:
            content[name] = [term(code) for code in content[name]]
    return content
