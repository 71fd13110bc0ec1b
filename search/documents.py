"""What the index knows about an offer, read from ``providers`` in a few queries per batch.

``IndexedOffer`` is engine-neutral: the database backend writes it to its tables, an Elasticsearch
backend would write it as a document. An offer is searchable when it is published with a live
version and its provider's profile is neither suspended nor withdrawn.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from providers.models import (
    CostOption,
    FrameworkMembership,
    MembershipStatus,
    Offer,
    OfferVersion,
    PersonalAssistantProfile,
    Postcode,
    TaxonomyTerm,
    VatStatus,
)
from providers.selectors.public import public_offers
from search.text import vocabulary_of

VAT_RATE = Decimal("1.20")
END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True)
class Price:
    unit: str
    amount: Decimal


@dataclass(frozen=True)
class Span:
    weekday: str
    opens_at: time
    closes_at: time


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    is_approximate: bool = False


@dataclass(frozen=True)
class FrameworkPlace:
    public_id: UUID
    name: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class IndexedOffer:
    offer_id: int
    public_id: UUID
    name: str
    description: str
    categories_text: str
    category_codes: tuple[str, ...]
    need_codes: tuple[str, ...]
    minimum_age: int
    maximum_age: int
    attending_types: tuple[str, ...]
    languages: tuple[str, ...]
    spans: tuple[Span, ...]
    prices: tuple[Price, ...]
    has_capacity: bool
    provider_kind: str
    provider_name: str
    organisation_pk: int | None
    pa_profile_pk: int | None
    checks_current_until: date | None
    assured_on: date | None
    places: tuple[Place, ...]
    districts: tuple[str, ...]
    council_codes: tuple[str, ...]
    frameworks: tuple[FrameworkPlace, ...]

    @property
    def cheapest(self) -> Price | None:
        return min(self.prices, key=lambda price: price.amount, default=None)

    @property
    def vocabulary(self) -> set[str]:
        return vocabulary_of(self.name, self.categories_text, self.description)


def searchable_offers() -> QuerySet[Offer]:
    """Offers that search may return: exactly those with a public page (published, from a published
    profile of an active provider), so that no result leads to a page that answers 404."""
    return public_offers()


def indexed_offers(offer_ids: Iterable[int], *, today: date) -> list[IndexedOffer]:
    """The searchable offers among ``offer_ids``, ready to index (the others are left out)."""
    offers = list(_with_everything(searchable_offers().filter(pk__in=list(offer_ids))))
    return _build(offers, today=today)


def indexed_offers_in_batches(*, today: date, batch_size: int = 500) -> Iterator[list[IndexedOffer]]:
    ids = list(searchable_offers().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        yield indexed_offers(ids[start : start + batch_size], today=today)


def _with_everything(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    versions = OfferVersion.objects.prefetch_related(
        "categories", "needs", "cost_options", "schedules", "service_areas", "locations"
    )
    return offers.select_related("organisation__provider_profile", "personal_assistant").prefetch_related(
        Prefetch("live_version", queryset=versions)
    )


def _build(offers: list[Offer], *, today: date) -> list[IndexedOffer]:
    terms = _Terms()
    frameworks = _frameworks_by_organisation({offer.organisation_id for offer in offers if offer.organisation_id})
    districts = _district_centres({o.personal_assistant.home_district for o in offers if o.personal_assistant_id})
    return [
        _indexed(offer, terms=terms, frameworks=frameworks, district_centres=districts, today=today) for offer in offers
    ]


def _indexed(
    offer: Offer,
    *,
    terms: "_Terms",
    frameworks: dict[int, list[tuple[FrameworkPlace, set[str]]]],
    district_centres: dict[str, Place],
    today: date,
) -> IndexedOffer:
    version = offer.live_version
    pa = offer.personal_assistant
    profile = pa if pa is not None else getattr(offer.organisation, "provider_profile", None)
    categories = list(version.categories.all())
    needs = list(version.needs.all())
    category_codes, category_names = terms.with_ancestors(categories)
    return IndexedOffer(
        offer_id=offer.pk,
        public_id=offer.public_id,
        name=version.name,
        description=version.description,
        categories_text=" ".join([*category_names, *(need.name for need in needs)]),
        category_codes=category_codes,
        need_codes=tuple(sorted(need.code for need in needs)),
        minimum_age=version.minimum_age,
        maximum_age=version.maximum_age,
        attending_types=tuple(version.attending_types),
        languages=tuple(
            sorted({code.lower() for code in (version.languages or (profile.languages if profile else []))})
        ),
        spans=_spans(version, pa),
        prices=_prices(version, today=today),
        has_capacity=version.has_capacity,
        provider_kind="personal_assistant" if pa is not None else "organisation",
        provider_name=offer.provider_name,
        organisation_pk=offer.organisation_id,
        pa_profile_pk=offer.personal_assistant_id,
        checks_current_until=profile.checks_current_until if profile else None,
        assured_on=profile.assured_on if profile else None,
        places=_places(version, pa, district_centres),
        districts=_districts(version, pa),
        council_codes=tuple(sorted({area.council_code for area in version.service_areas.all() if area.council_code})),
        frameworks=_offer_frameworks(frameworks.get(offer.organisation_id or 0, []), set(category_codes)),
    )


def _spans(version: OfferVersion, pa: PersonalAssistantProfile | None) -> tuple[Span, ...]:
    spans = [Span(row.weekday, row.opens_at, row.closes_at) for row in version.schedules.all()]
    if not spans and pa is not None:
        # A PA without a timetable for this offer works when their profile says they are available.
        opens, closes = pa.available_from or time(0, 0), pa.available_until or END_OF_DAY
        spans = [Span(day, opens, closes) for day in pa.available_days]
    return tuple(spans)


def _prices(version: OfferVersion, *, today: date) -> tuple[Price, ...]:
    return tuple(
        Price(option.unit, _price_paid(option))
        for option in version.cost_options.all()
        if (option.valid_from is None or option.valid_from <= today)
        and (option.valid_to is None or option.valid_to >= today)
    )


def _price_paid(option: CostOption) -> Decimal:
    if option.vat_status == VatStatus.PLUS_VAT:
        return (option.amount * VAT_RATE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return option.amount


def _places(
    version: OfferVersion, pa: PersonalAssistantProfile | None, district_centres: dict[str, Place]
) -> tuple[Place, ...]:
    places = [Place(float(row.latitude), float(row.longitude)) for row in version.locations.all()]
    if pa is not None and pa.home_district in district_centres:
        places.append(district_centres[pa.home_district])
    return tuple(places)


def _districts(version: OfferVersion, pa: PersonalAssistantProfile | None) -> tuple[str, ...]:
    districts = {area.postcode_district.upper() for area in version.service_areas.all() if area.postcode_district}
    if pa is not None:
        districts.update(district.upper() for district in pa.areas)
        if pa.home_district:
            districts.add(pa.home_district.upper())
    return tuple(sorted(districts))


def _district_centres(districts: set[str]) -> dict[str, Place]:
    """Centres of PAs' home districts: distance to a PA is measured from there, never from their home."""
    rows = Postcode.objects.filter(postcode__in=[d for d in districts if d]).values_list(
        "postcode", "latitude", "longitude"
    )
    return {postcode: Place(float(lat), float(lng), is_approximate=True) for postcode, lat, lng in rows}


def _frameworks_by_organisation(organisation_ids: set[int]) -> dict[int, list[tuple[FrameworkPlace, set[str]]]]:
    """Each organisation's admitted framework lots, with the category codes each lot covers."""
    memberships = (
        FrameworkMembership.objects.filter(organisation_id__in=organisation_ids, status=MembershipStatus.ADMITTED)
        .select_related("lot__framework")
        .prefetch_related("lot__categories")
    )
    result: dict[int, list[tuple[FrameworkPlace, set[str]]]] = defaultdict(list)
    for membership in memberships:
        framework = membership.lot.framework
        place = FrameworkPlace(framework.public_id, framework.name, framework.starts_on, framework.ends_on)
        result[membership.organisation_id].append((place, {term.code for term in membership.lot.categories.all()}))
    return result


def _offer_frameworks(
    lots: list[tuple[FrameworkPlace, set[str]]], category_codes: set[str]
) -> tuple[FrameworkPlace, ...]:
    # A lot covers the offers in its categories (a lot without categories covers them all): a
    # provider admitted to a short-breaks lot is not on the framework for its tuition.
    return tuple(sorted({place for place, codes in lots if not codes or codes & category_codes}, key=str))


class _Terms:
    """Every taxonomy term's code, name and parent, loaded once per batch (the taxonomy is small)."""

    def __init__(self) -> None:
        self._by_id = {row["pk"]: row for row in TaxonomyTerm.objects.values("pk", "code", "name", "parent_id")}

    def with_ancestors(self, terms: list[TaxonomyTerm]) -> tuple[tuple[str, ...], list[str]]:
        """The codes and names of the terms and of every term above them: a search for a parent
        category finds offers in its children."""
        found: dict[str, str] = {}
        for term in terms:
            row = self._by_id.get(term.pk)
            while row is not None and row["code"] not in found:
                found[row["code"]] = row["name"]
                row = self._by_id.get(row["parent_id"])
        return tuple(sorted(found)), list(found.values())
