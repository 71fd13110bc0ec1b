"""Reads of the marketplace: what a page of search results shows about each offer.

``offer_cards`` turns the search engine's hits into cards (name, provider, distance, prices, badges,
capacity and where to put the offer on the map) in a fixed number of queries however many hits there
are: every related row is fetched for the whole page at once. Given what is left on a budget, each card
also says what the offer would cost a week and whether that fits (``BudgetFit``).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from django.db.models import Prefetch
from django.utils import timezone

from brokerage.selectors.headroom import BudgetHeadroom
from providers.badges import Badge, badges_for_offers
from providers.models import (
    CostOption,
    Offer,
    OfferVersion,
    Postcode,
    VatStatus,
)
from providers.selectors.public import public_offers
from providers.selectors.ratings import Rating, offer_rating
from search.documents import VAT_RATE
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
# (one, more than one) for "£36.00 a week for 2 hours"; a week is a week however many are asked for.
UNIT_NAMES = {
    "hour": ("hour", "hours"),
    "session": ("session", "sessions"),
    "day": ("day", "days"),
    "night": ("night", "nights"),
    "week": ("week", "weeks"),
    "item": ("item", "items"),
}
# An item is bought once, not every week: it is measured against all that is left, not a week's share.
ONE_OFF_UNITS = frozenset({"item"})
PENNY = Decimal("0.01")


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
class BudgetFit:
    """What one offer would cost the budget at ``units`` a week (for an item: ``units`` once), with
    any VAT, against what is left: a week's share of it, or all of it for a one-off item."""

    price: CardPrice
    units: Decimal
    cost: Decimal
    headroom: BudgetHeadroom

    @property
    def is_weekly(self) -> bool:
        return self.price.unit not in ONE_OFF_UNITS

    @property
    def units_text(self) -> str:
        """Like "2.5 hours" or "1 session"; empty for an offer priced by the week, whose cost is its price."""
        if self.price.unit == "week":
            return ""
        one, more = UNIT_NAMES.get(self.price.unit, (self.price.unit, self.price.unit))
        return f"{self.units.normalize():f} {one if self.units == 1 else more}"

    @property
    def left(self) -> Decimal:
        return self.headroom.weekly if self.is_weekly else self.headroom.available

    @property
    def fits(self) -> bool:
        return self.cost <= self.left

    @property
    def short_by(self) -> Decimal:
        return max(self.cost - self.left, Decimal("0.00"))


def budget_fit(price: CardPrice, *, units: Decimal, headroom: BudgetHeadroom) -> BudgetFit:
    paid = price.amount * VAT_RATE if price.plus_vat else price.amount
    count = Decimal(1) if price.unit == "week" else units
    cost = (paid * count).quantize(PENNY, rounding=ROUND_HALF_UP)
    return BudgetFit(price=price, units=units, cost=cost, headroom=headroom)


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
    fit: BudgetFit | None = None
    rating: Rating | None = None

    @property
    def is_located_by_area(self) -> bool:
        """A personal assistant without a venue is placed at their home district's centre."""
        return bool(self.places) and all(place.is_approximate for place in self.places)


def offer_cards(
    hits: Iterable[Hit],
    *,
    today: datetime.date | None = None,
    price_unit: str = "",
    headroom: BudgetHeadroom | None = None,
    units: Decimal | None = None,
) -> list[OfferCard]:
    """Cards for a page of hits, in the hits' order. A hit whose offer has no public page now (withdrawn
    since it was indexed, or its provider's profile not published) is left out. With ``headroom`` and
    ``units``, each card with a price says what its first price (the unit the family chose, if any) would
    cost the budget."""
    today = today or timezone.localdate()
    hits = list(hits)
    offers = {offer.pk: offer for offer in _offers([hit.offer_id for hit in hits])}
    badges = badges_for_offers(list(offers.values()), today)
    centres = _district_centres({o.personal_assistant.home_district for o in offers.values() if o.personal_assistant})
    cards = [
        _card(offers[hit.offer_id], hit, badges[hit.offer_id], centres, today=today, price_unit=price_unit)
        for hit in hits
        if hit.offer_id in offers
    ]
    if headroom is None or units is None:
        return cards
    return [_with_fit(card, units=units, headroom=headroom) for card in cards]


def _with_fit(card: OfferCard, *, units: Decimal, headroom: BudgetHeadroom) -> OfferCard:
    if not card.prices:
        return card
    return replace(card, fit=budget_fit(card.prices[0], units=units, headroom=headroom))


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
        rating=offer_rating(offer),
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
