"""Reads of the marketplace: what a page of search results shows about each offer.

``offer_cards`` turns the search engine's hits into cards (name, provider, distance, prices, badges,
capacity and where to put the offer on the map) in a fixed number of queries however many hits there
are: every related row is fetched for the whole page at once.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.db.models import Prefetch, Q
from django.utils import timezone

from accounts.models import Organisation
from providers.badges import _ORGANISATION_WORDS, _PA_WORDS, Badge, _check_badges, long_date
from providers.frameworks import framework_badges_for
from providers.models import (
    CostOption,
    InsuranceKind,
    InsurancePolicy,
    Offer,
    OfferVersion,
    Postcode,
    Regulator,
    RegulatorRating,
    RegulatorRegistration,
    SaferRecruitmentDeclaration,
    VatStatus,
    Verification,
)
from providers.selectors.public import public_offers
from search.query import Hit

PER_UNIT = {
    "hour": "an hour",
    "session": "a session",
    "day": "a day",
    "night": "a night",
    "week": "a week",
    "item": "an item",
}
_UNIT_ORDER = {unit: index for index, unit in enumerate(PER_UNIT)}


@dataclass(frozen=True)
class CardPrice:
    unit: str
    amount: Decimal
    plus_vat: bool

    @property
    def text(self) -> str:
        vat = " plus VAT" if self.plus_vat else ""
        return f"£{self.amount:,.2f} {PER_UNIT.get(self.unit, self.unit)}{vat}"


@dataclass(frozen=True)
class MapPlace:
    latitude: float
    longitude: float
    is_approximate: bool  # a personal assistant's home district centre, never their address


@dataclass(frozen=True)
class OfferCard:
    public_id: UUID
    name: str
    summary: str
    provider_name: str
    is_personal_assistant: bool
    based_in: str
    distance_miles: float | None
    prices: list[CardPrice]
    badges: list[Badge]
    has_capacity: bool
    capacity_places: int | None
    capacity_hours: Decimal | None
    capacity_note: str
    places: list[MapPlace]

    @property
    def is_located_by_area(self) -> bool:
        """A personal assistant without a venue is placed at their home district's centre."""
        return bool(self.places) and all(place.is_approximate for place in self.places)


def offer_cards(hits: Iterable[Hit], *, today: datetime.date | None = None, price_unit: str = "") -> list[OfferCard]:
    """Cards for a page of hits, in the hits' order. A hit whose offer has no public page now (withdrawn
    since it was indexed, or its provider's profile not published) is left out."""
    today = today or timezone.localdate()
    hits = list(hits)
    offers = {offer.pk: offer for offer in _offers([hit.offer_id for hit in hits])}
    badges = _badges_by_offer(list(offers.values()), today)
    centres = _district_centres({o.personal_assistant.home_district for o in offers.values() if o.personal_assistant})
    return [
        _card(offers[hit.offer_id], hit, badges[hit.offer_id], centres, today=today, price_unit=price_unit)
        for hit in hits
        if hit.offer_id in offers
    ]


def _offers(ids: list[int]) -> list[Offer]:
    versions = OfferVersion.objects.prefetch_related("cost_options", "locations")
    # Only offers whose public page answers: a card must never lead to "page not found".
    return list(
        public_offers()
        .filter(pk__in=ids)
        .select_related("organisation__provider_profile__assured_by_council", "personal_assistant__assured_by_council")
        .prefetch_related(Prefetch("live_version", queryset=versions))
    )


def _card(
    offer: Offer,
    hit: Hit,
    badges: list[Badge],
    centres: dict[str, MapPlace],
    *,
    today: datetime.date,
    price_unit: str,
) -> OfferCard:
    version = offer.live_version
    pa = offer.personal_assistant
    return OfferCard(
        public_id=offer.public_id,
        name=version.name,
        summary=version.description,
        provider_name=offer.provider_name,
        is_personal_assistant=pa is not None,
        based_in=pa.home_district if pa is not None else "",
        distance_miles=hit.distance_miles,
        prices=_lowest_prices(version.cost_options.all(), today=today, first_unit=price_unit),
        badges=badges,
        has_capacity=version.has_capacity,
        capacity_places=version.capacity_places,
        capacity_hours=version.capacity_hours,
        capacity_note=version.capacity_note,
        places=_places(version, pa.home_district if pa is not None else "", centres),
    )


def _lowest_prices(options: Iterable[CostOption], *, today: datetime.date, first_unit: str) -> list[CardPrice]:
    """The lowest current price in each unit; the unit the family chose comes first."""
    lowest: dict[str, CostOption] = {}
    for option in options:
        if (option.valid_from and option.valid_from > today) or (option.valid_to and option.valid_to < today):
            continue
        if option.unit not in lowest or option.amount < lowest[option.unit].amount:
            lowest[option.unit] = option
    units = sorted(lowest, key=lambda unit: (unit != first_unit, _UNIT_ORDER.get(unit, len(_UNIT_ORDER))))
    return [CardPrice(unit, lowest[unit].amount, lowest[unit].vat_status == VatStatus.PLUS_VAT) for unit in units]


def _places(version: OfferVersion, district: str, centres: dict[str, MapPlace]) -> list[MapPlace]:
    venues = [
        MapPlace(float(location.latitude), float(location.longitude), False) for location in version.locations.all()
    ]
    if venues or not district:
        return venues
    return [centres[district]] if district in centres else []


def _district_centres(districts: set[str]) -> dict[str, MapPlace]:
    rows = Postcode.objects.filter(kind=Postcode.Kind.DISTRICT, postcode__in=districts - {""})
    return {row.postcode: MapPlace(float(row.latitude), float(row.longitude), True) for row in rows}


# --- Badges for a page of offers ---------------------------------------------------------------------
#
# The same badges as ``providers.badges.badges_for_offer`` (a test holds them equal), read for every
# offer of the page at once instead of a few queries per offer.


def _badges_by_offer(offers: list[Offer], today: datetime.date) -> dict[int, list[Badge]]:
    organisations = {offer.organisation_id: offer.organisation for offer in offers if offer.organisation_id}
    pa_ids = [offer.personal_assistant_id for offer in offers if offer.personal_assistant_id]
    insurance = _insurance_kinds(list(organisations), pa_ids, today)
    registrations = _registrations(list(organisations))
    frameworks = framework_badges_for(organisations.values(), today) if organisations else {}
    declarations = _declarations([o for o in organisations.values() if not _has_profile(o)])
    badges: dict[int, list[Badge]] = {}
    for offer in offers:
        if offer.personal_assistant_id:
            pa = offer.personal_assistant
            badges[offer.pk] = [
                *_check_badges(pa, today, _PA_WORDS),
                *_insurance_badges(insurance[("pa", pa.pk)]),
            ]
            continue
        organisation = offer.organisation
        assured = organisation.provider_profile if _has_profile(organisation) else declarations.get(organisation.pk)
        badges[offer.pk] = [
            *(_check_badges(assured, today, _ORGANISATION_WORDS) if assured is not None else []),
            *registrations[organisation.pk],
            *_insurance_badges(insurance[("organisation", organisation.pk)]),
            *(Badge(text, FRAMEWORK_EXPLANATION, "grey") for text in frameworks.get(organisation.pk, [])),
        ]
    return badges


FRAMEWORK_EXPLANATION = (
    "A council has admitted this provider to one of its framework contracts, after checking it meets the "
    "framework's quality requirements. It is a sign of quality, not a rule: you can buy from providers on "
    "or off a framework."
)
_REGULATOR_SHORT_NAMES = {Regulator.CQC: "CQC", Regulator.OFSTED: "Ofsted"}


def _has_profile(organisation: Organisation) -> bool:
    return getattr(organisation, "provider_profile", None) is not None


def _insurance_kinds(organisation_ids: list[int], pa_ids: list[int], today: datetime.date) -> dict[tuple, set[str]]:
    kinds: dict[tuple, set[str]] = defaultdict(set)
    rows = InsurancePolicy.objects.filter(
        Q(organisation_id__in=organisation_ids) | Q(pa_profile_id__in=pa_ids),
        verification=Verification.VERIFIED,
        expires_on__gte=today,
    )
    for organisation_id, pa_id, kind in rows.values_list("organisation_id", "pa_profile_id", "kind"):
        kinds[("organisation", organisation_id) if organisation_id else ("pa", pa_id)].add(kind)
    return kinds


def _insurance_badges(kinds: set[str]) -> list[Badge]:
    present = [kind for kind in InsuranceKind if kind in kinds]
    if not present:
        return []
    names = " and ".join(kind.label.lower() for kind in present)
    explanation = (
        f"A council officer has seen a current {names} insurance certificate. Public liability insurance "
        "covers injury or damage to you or your property caused by the provider's work."
    )
    return [Badge(f"Insured: {names}", explanation, "blue")]


def _registrations(organisation_ids: list[int]) -> dict[int, list[Badge]]:
    badges: dict[int, list[Badge]] = defaultdict(list)
    for registration in RegulatorRegistration.objects.filter(organisation_id__in=organisation_ids):
        badges[registration.organisation_id].append(_registration_badge(registration))
    return badges


def _registration_badge(registration: RegulatorRegistration) -> Badge:
    regulator = _REGULATOR_SHORT_NAMES[registration.regulator]
    if registration.rating == RegulatorRating.NOT_YET_RATED:
        label = f"Registered with {regulator}: not yet rated"
    else:
        label = f"Registered with {regulator}: {registration.get_rating_display()}"
    if registration.inspection_date:
        label += f" (inspected {long_date(registration.inspection_date)})"
    explanation = (
        f"{registration.get_regulator_display()} inspects and rates this kind of service. Registration "
        f"number {registration.registration_id}, recorded from the regulator's register by a council officer."
    )
    return Badge(label, explanation, "turquoise")


@dataclass(frozen=True)
class _DeclarationAssurance:
    checks_current_until: datetime.date
    assured_by_council: Organisation | None
    assured_on: datetime.date


def _declarations(organisations: list[Organisation]) -> dict[int, _DeclarationAssurance]:
    """A broker organisation has no profile: its assurance is its latest verified declaration."""
    if not organisations:
        return {}
    rows = (
        SaferRecruitmentDeclaration.objects.filter(
            organisation__in=organisations, verified_at__isnull=False, current_until__isnull=False
        )
        .select_related("verified_by_council")
        .order_by("organisation_id", "-current_until")
    )
    latest: dict[int, _DeclarationAssurance] = {}
    for row in rows:
        latest.setdefault(
            row.organisation_id,
            _DeclarationAssurance(row.current_until, row.verified_by_council, timezone.localdate(row.verified_at)),
        )
    return latest
