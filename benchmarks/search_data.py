"""Offers for the search benchmark, written with bulk inserts and then indexed by the backend's ``rebuild()``.

Going through the providers' services would take hours for 100,000 offers (each is checked, audited
and indexed on its own); the rows written here are the ones those services would leave behind for a
published offer of a published provider, and the index is then built by the real indexer.

The offers are of two kinds, so that the query mix finds about as many results at any size:

- ``PROBES`` probe offers, always the same: named "Hydrotherapy swimming …", in ``PROBE_CATEGORY``
  (every other one also for ``PROBE_NEED``), with venues in the districts nearest ``CENTRE``. Every
  probe has the same number of words in the same places, so word search ranks them all alike and the
  order is by name, which a baseline without ranking can reproduce.
- filler offers, as many as it takes: other words, other categories and needs, venues spread over every
  postcode district of the gazetteer (``../shared/data/uk-postcode-districts.csv``, read here only).

``offers_ensure(total)`` adds offers up to ``total``, so the 100,000 run builds on the 10,000 one.
"""

import csv
import math
import random
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from providers.models import (
    CostOption,
    Offer,
    OfferLocation,
    OfferStatus,
    OfferVersion,
    Postcode,
    ProfileStatus,
    ProviderProfile,
    Schedule,
    ServiceArea,
    TaxonomyTerm,
    VersionState,
)
from search.backends import get_backend
from search.backends.database_index import rows_insert

GAZETTEER = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "uk-postcode-districts.csv"
CENTRE = "CV1"
PROBES = 200
PROBE_NEAREST_DISTRICTS = 40
PROBE_CATEGORY = "physiotherapy"
PROBE_NEED = "mental-health"
# The odd probes' need: as many words as PROBE_NEED's name, so that every probe ranks alike.
PROBE_OTHER_NEED = "physical-disability"
PROBE_WORDS = ("hydrotherapy", "swimming")
OFFERS_PER_PROVIDER = 10
BATCH = 5000

# Filler words: none of them is a probe word or one edit away from one.
ACTIVITIES = [
    "football",
    "art",
    "music",
    "drama",
    "cooking",
    "gardening",
    "climbing",
    "cycling",
    "dance",
    "yoga",
    "chess",
    "reading",
    "coding",
    "pottery",
    "karate",
    "tennis",
    "archery",
    "baking",
    "singing",
    "theatre",
    "photography",
    "walking",
    "camping",
    "fishing",
    "riding",
]
KINDS = ["club", "group", "sessions", "lessons", "workshop", "activities", "holiday", "scheme", "outings", "support"]
PLACES_WORDS = [
    "community",
    "riverside",
    "village",
    "hillside",
    "parkland",
    "city",
    "harbour",
    "meadow",
    "valley",
    "town",
]
COLOURS = [
    "amber",
    "birch",
    "cedar",
    "daisy",
    "elm",
    "fern",
    "hazel",
    "iris",
    "juniper",
    "laurel",
    "maple",
    "oak",
    "poppy",
    "rowan",
    "sage",
]


@dataclass(frozen=True)
class District:
    code: str
    latitude: Decimal
    longitude: Decimal
    county: str


def districts() -> list[District]:
    with GAZETTEER.open(newline="", encoding="utf-8") as file:
        return [
            District(
                row["postcode"].strip().upper(), Decimal(row["latitude"]), Decimal(row["longitude"]), row["county"]
            )
            for row in csv.DictReader(file)
            if row["latitude"] and row["longitude"]
        ]


def _miles(first: District, second: District) -> float:
    lat1, lon1, lat2, lon2 = map(
        math.radians, map(float, (first.latitude, first.longitude, second.latitude, second.longitude))
    )
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 3958.8 * math.asin(min(1.0, math.sqrt(a)))


class Gazetteer:
    """The districts, loaded into ``Postcode`` once, with the ones nearest the centre for the probes."""

    def __init__(self) -> None:
        self.all = districts()
        centre = next(district for district in self.all if district.code == CENTRE)
        self.nearest = sorted(self.all, key=lambda district: (_miles(centre, district), district.code))[
            :PROBE_NEAREST_DISTRICTS
        ]

    def load(self) -> None:
        if Postcode.objects.filter(postcode=CENTRE).exists():
            return
        Postcode.objects.bulk_create(
            [
                Postcode(
                    postcode=d.code,
                    kind=Postcode.Kind.DISTRICT,
                    district=d.code,
                    latitude=d.latitude,
                    longitude=d.longitude,
                    council_name=d.county,
                )
                for d in self.all
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )


def probe_count(total: int) -> int:
    """``PROBES``, or a fifth of a small dataset (the unit test's)."""
    return min(PROBES, max(1, total // 5))


def offers_ensure(total: int, *, seed: int = 6, index: bool = True) -> int:
    """Add offers until there are ``total``, then rebuild the index (unless ``index`` is false: a benchmark that
    never searches); answers how many were added."""
    gazetteer = Gazetteer()
    gazetteer.load()
    existing = Offer.objects.count()
    probes = probe_count(total)
    terms = _terms()
    rng = random.Random(seed + existing)
    for start in range(existing, total, BATCH):
        _offers_write(range(start, min(total, start + BATCH)), probes, gazetteer, terms, rng)
    if index:
        get_backend().rebuild()
    if connection.vendor == "postgresql":
        # Fresh statistics, and the rebuild's dead rows gone, as autovacuum would leave a real database
        # (VACUUM cannot run inside a transaction: a test's database gets statistics only).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return max(0, total - existing)


def _terms() -> dict[str, list[TaxonomyTerm]]:
    categories = list(TaxonomyTerm.objects.filter(taxonomy__kind="service_category").order_by("code"))
    needs = list(TaxonomyTerm.objects.filter(taxonomy__kind="need").order_by("code"))
    by_code = {term.code: term for term in categories + needs}
    return {
        "probe_category": [by_code[PROBE_CATEGORY]],
        "probe_need": [by_code[PROBE_NEED]],
        "probe_other_need": [by_code[PROBE_OTHER_NEED]],
        # Not the probe category, nor its parent (a search for the parent finds its children).
        "categories": [t for t in categories if t.code != PROBE_CATEGORY and t.pk != by_code[PROBE_CATEGORY].parent_id],
        "needs": [term for term in needs if term.code != PROBE_NEED],
    }


@transaction.atomic
def _offers_write(
    numbers: range, probes: int, gazetteer: Gazetteer, terms: dict[str, list[TaxonomyTerm]], rng: random.Random
) -> None:
    today = timezone.localdate()
    providers = _providers_ensure(numbers, today)
    offers = Offer.objects.bulk_create(
        [
            Offer(
                organisation_id=providers[n // OFFERS_PER_PROVIDER],
                status=OfferStatus.PUBLISHED,
                published_at=timezone.now(),
            )
            for n in numbers
        ]
    )
    versions = OfferVersion.objects.bulk_create(
        [_version(offer, n, n < probes, rng) for offer, n in zip(offers, numbers, strict=True)]
    )
    _links_write(versions, numbers, probes, gazetteer, terms, rng)
    with connection.cursor() as cursor:
        table, versions_table = Offer._meta.db_table, OfferVersion._meta.db_table
        cursor.execute(
            f"UPDATE {table} SET live_version_id = v.id FROM {versions_table} v "  # noqa: S608
            f"WHERE v.offer_id = {table}.id AND {table}.id BETWEEN %s AND %s",
            [offers[0].pk, offers[-1].pk],
        )


def _providers_ensure(numbers: range, today: date) -> dict[int, int]:
    """Organisation ids by provider number, made for the numbers that do not have one yet."""
    wanted = range(numbers.start // OFFERS_PER_PROVIDER, (numbers.stop - 1) // OFFERS_PER_PROVIDER + 1)
    slugs = {f"bench-provider-{n}": n for n in wanted}
    known = dict(Organisation.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    new = Organisation.objects.bulk_create(
        [
            Organisation(kind=OrganisationKind.PROVIDER, name=f"Provider {n}", slug=slug)
            for slug, n in slugs.items()
            if slug not in known
        ]
    )
    ProviderProfile.objects.bulk_create(
        [
            ProviderProfile(
                organisation=organisation,
                legal_name=organisation.name,
                status=ProfileStatus.PUBLISHED,
                languages=["en"] if slugs[organisation.slug] % 4 else ["en", "pa"],
                checks_current_until=today + timedelta(days=200) if slugs[organisation.slug] % 3 else None,
                published_at=timezone.now(),
            )
            for organisation in new
        ]
    )
    known.update({organisation.slug: organisation.pk for organisation in new})
    return {n: known[slug] for slug, n in slugs.items()}


def _version(offer: Offer, number: int, is_probe: bool, rng: random.Random) -> OfferVersion:
    colour = COLOURS[number % len(COLOURS)]
    if is_probe:
        name = f"Hydrotherapy swimming {colour} {number:06d}"
        description = f"Warm water {PLACES_WORDS[number % len(PLACES_WORDS)]} pool sessions with trained staff."
    else:
        activity, kind = rng.choice(ACTIVITIES), rng.choice(KINDS)
        name = f"{activity.title()} {kind} {colour} {number:06d}"
        description = f"{activity.title()} {kind} in a {rng.choice(PLACES_WORDS)} setting with trained staff."
    minimum_age = rng.choice((0, 5, 8, 11, 16))
    return OfferVersion(
        offer=offer,
        number=1,
        state=VersionState.APPROVED,
        name=name,
        description=description,
        minimum_age=minimum_age,
        maximum_age=minimum_age + rng.choice((4, 7, 9)),
        attending_types=["venue"] if number % 3 else ["venue", "in_home"],
        capacity_places=rng.choice((None, 0, 3)),
        decided_at=timezone.now(),
    )


def _links_write(
    versions: list[OfferVersion],
    numbers: range,
    probes: int,
    gazetteer: Gazetteer,
    terms: dict[str, list[TaxonomyTerm]],
    rng: random.Random,
) -> None:
    categories, needs, costs, schedules, areas, locations = [], [], [], [], [], []
    for version, n in zip(versions, numbers, strict=True):
        is_probe = n < probes
        if is_probe:
            category = terms["probe_category"][0]
            need = terms["probe_need"][0] if n % 2 == 0 else terms["probe_other_need"][0]
            district = gazetteer.nearest[n % len(gazetteer.nearest)]
        else:
            category, need = rng.choice(terms["categories"]), rng.choice(terms["needs"])
            district = rng.choice(gazetteer.all)
        categories.append(OfferVersion.categories.through(offerversion_id=version.pk, taxonomyterm_id=category.pk))
        needs.append(OfferVersion.needs.through(offerversion_id=version.pk, taxonomyterm_id=need.pk))
        unit = rng.choice(("hour", "session", "day"))
        costs.append(CostOption(version=version, amount=Decimal(rng.randrange(500, 12000)) / 100, unit=unit))
        opens = time(rng.choice((8, 9, 10, 13)), 0)
        for weekday in rng.sample(("MO", "TU", "WE", "TH", "FR", "SA", "SU"), 2):
            schedules.append(Schedule(version=version, weekday=weekday, opens_at=opens, closes_at=time(17, 0)))
        areas.append(ServiceArea(version=version, postcode_district=district.code, name=district.code))
        locations.append(
            OfferLocation(
                version=version,
                name="Venue",
                address=f"1 High Street, {district.county}",
                postcode=district.code,
                latitude=district.latitude,
                longitude=district.longitude,
            )
        )
    for model, rows in (
        (OfferVersion.categories.through, categories),
        (OfferVersion.needs.through, needs),
        (CostOption, costs),
        (Schedule, schedules),
        (ServiceArea, areas),
        (OfferLocation, locations),
    ):
        rows_insert(model, rows)
