"""Search at 10,000 and 100,000 offers (issue 6): the search service against a naive baseline and the raw SQL floor.

For each query of the mix, four ways of getting the same page, total and facet counts are timed in turn:
the search service (``search.selectors.offers_search``), the find-support page over HTTP (Django's test
client, templates included), a naive first version (``baseline_search``) and hand-written SQL
(``benchmarks.search_floor``). They are checked to agree before anything is timed. The data is built
by ``benchmarks.search_data``; PostgreSQL only (the floor is PostgreSQL's SQL).
"""

import math
from collections.abc import Iterator
from datetime import date

from django.db import connection
from django.db.models import Q, QuerySet
from django.test import Client

from benchmarks.harness import Row, Table, TableResult, benchmark
from benchmarks.search_data import CENTRE, PROBE_CATEGORY, PROBE_NEED, offers_ensure
from benchmarks.search_floor import Outcome, floor_search, unsupported
from providers.models import TaxonomyTerm
from search.geo import EARTH_RADIUS_MILES, origin_of
from search.models import OfferDocument, OfferKeyword, OfferPlace, SearchWord
from search.query import AGE_BANDS, ATTENDING_TYPES, PRICE_BANDS, PROVIDER_KINDS, WEEKDAYS, SearchQuery, SearchResults
from search.selectors import offers_search
from search.text import query_words, within_one_edit

SCALES: tuple[int, ...] = (10_000, 100_000)
REPETITIONS = 50  # the baseline takes up to seconds a call at 100,000 offers
WARMUP = 5
QUERY_MIX: dict[str, dict[str, str]] = {
    "words": {"text": "hydrotherapy swimming"},
    "words + postcode + 10 miles": {"text": "hydrotherapy", "postcode": CENTRE, "radius_miles": "10"},
    "two facets": {"categories": PROBE_CATEGORY, "needs": PROBE_NEED},
    "typo": {"text": "hydrotherpy"},
}
SEARCH_PATH = "/search/"
TARGET_P95_MS = 50.0
TARGET_BASELINE_RATIO = 10.0
TARGET_FLOOR_RATIO = 2.0
TARGET_GROWTH = 2.0


def scales_choose(sizes: list[int]) -> None:
    """Run at these numbers of offers instead (``run.py --scale``)."""
    global SCALES  # one run's choice, made before the benchmark starts
    SCALES = tuple(sorted(sizes))


def outcome_of(results: SearchResults) -> Outcome:
    return Outcome(
        page=tuple(hit.offer_id for hit in results.hits),
        total=results.total,
        facets={
            name: {value.value: value.count for value in values if value.count}
            for name, values in results.facets.items()
            if any(value.count for value in values)
        },
    )


def service_search(query: SearchQuery) -> Outcome:
    return outcome_of(offers_search(query))


# --- The baseline: search as a first version would write it ------------------------------------


def baseline_search(query: SearchQuery) -> Outcome:
    """``icontains`` for words, distances in Python, and one count query per facet value."""
    unsupported(query, by="baseline")
    documents = OfferDocument.objects.all()
    words = query_words(query.text, known=_known_words, candidates=_vocabulary) if query.text else []
    for word in words:
        matches = Q()
        for alternative in word.alternatives:
            matches |= Q(name__icontains=alternative) | Q(categories__icontains=alternative)
            matches |= Q(description__icontains=alternative)
        documents = documents.filter(matches)
    distances: dict[int, float] = {}
    if query.postcode:
        distances = _nearest_miles(documents, query.postcode)
        if query.radius_miles is not None:
            documents = OfferDocument.objects.filter(
                pk__in=[pk for pk, m in distances.items() if m <= query.radius_miles]
            )
    facet_filters = {
        "category": Q(keywords__facet="category", keywords__value__in=query.categories) if query.categories else None,
        "need": Q(keywords__facet="need", keywords__value__in=query.needs) if query.needs else None,
    }
    matching = _filtered(documents, facet_filters)
    rows = list(matching.values_list("pk", "offer_id", "name"))
    rows.sort(key=lambda row: (distances.get(row[0], math.inf), row[2], row[0]))
    start = (query.page - 1) * query.per_page
    return Outcome(
        page=tuple(offer_id for _, offer_id, _ in rows[start : start + query.per_page]),
        total=matching.count(),
        facets=_facets(documents, facet_filters, query.today),
    )


def _known_words(words: list[str]) -> set[str]:
    return set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))


def _vocabulary(word: str) -> list[tuple[str, int]]:
    return [(w, f) for w, f in SearchWord.objects.values_list("word", "frequency") if within_one_edit(word, w)]


def _nearest_miles(documents: QuerySet[OfferDocument], postcode: str) -> dict[int, float]:
    origin = origin_of(postcode)
    nearest: dict[int, float] = {}
    for document_id, latitude, longitude in OfferPlace.objects.filter(document__in=documents).values_list(
        "document_id", "latitude", "longitude"
    ):
        miles = _haversine(origin.latitude, origin.longitude, latitude, longitude)
        nearest[document_id] = min(miles, nearest.get(document_id, math.inf))
    return nearest


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(min(a, 1.0)))


def _filtered(
    documents: QuerySet[OfferDocument], filters: dict[str, Q | None], *, excluding: str | None = None
) -> QuerySet[OfferDocument]:
    for name, condition in filters.items():
        if condition is not None and name != excluding:
            documents = documents.filter(condition)
    return documents.distinct()


def _facets(documents: QuerySet[OfferDocument], filters: dict[str, Q | None], today: date) -> dict[str, dict[str, int]]:
    values: dict[str, dict[str, Q]] = {
        "category": _keyword_values("category", _codes("service_category")),
        "need": _keyword_values("need", _codes("need")),
        "attending_type": _keyword_values("attending_type", list(ATTENDING_TYPES)),
        "language": _keyword_values("language", _distinct_keywords("language")),
        "age": {b.value: Q(minimum_age__lte=b.highest, maximum_age__gte=b.lowest) for b in AGE_BANDS},
        "day": {day: Q(schedules__weekday=day) for day in WEEKDAYS},
        "price": {
            b.value: Q(prices__unit=b.unit, prices__amount__gte=b.lowest)
            & (Q(prices__amount__lt=b.below) if b.below is not None else Q())
            for b in PRICE_BANDS
        },
        "dbs_checked": {"true": Q(checks_current_until__gte=today)},
        "framework": {
            str(public_id): Q(
                frameworks__framework_public_id=public_id,
                frameworks__starts_on__lte=today,
                frameworks__ends_on__gte=today,
            )
            for public_id in OfferDocument.objects.values_list("frameworks__framework_public_id", flat=True).distinct()
            if public_id is not None
        },
        "provider_kind": {kind: Q(provider_kind=kind) for kind in PROVIDER_KINDS},
        "has_capacity": {"true": Q(has_capacity=True)},
    }
    facets: dict[str, dict[str, int]] = {}
    for name, conditions in values.items():
        counted = _filtered(documents, filters, excluding=name)
        counts = {value: counted.filter(condition).distinct().count() for value, condition in conditions.items()}
        if any(counts.values()):
            facets[name] = {value: count for value, count in counts.items() if count}
    return facets


def _keyword_values(facet: str, codes: list[str]) -> dict[str, Q]:
    return {code: Q(keywords__facet=facet, keywords__value=code) for code in codes}


def _codes(kind: str) -> list[str]:
    return list(TaxonomyTerm.objects.filter(taxonomy__kind=kind).values_list("code", flat=True))


def _distinct_keywords(facet: str) -> list[str]:
    return list(OfferKeyword.objects.filter(facet=facet).values_list("value", flat=True).distinct())


# --- The benchmark -----------------------------------------------------------------------------


def queries() -> dict[str, SearchQuery]:
    return {label: SearchQuery.from_params(params) for label, params in QUERY_MIX.items()}


def disagreements(query: SearchQuery) -> list[str]:
    """How the baseline and the floor differ from the service for this query (nothing when they agree)."""
    ours = service_search(query)
    problems = []
    for name, other in (("baseline", baseline_search(query)), ("floor", floor_search(query))):
        for part in ("page", "total", "facets"):
            if getattr(ours, part) != getattr(other, part):
                problems.append(f"{name} {part}: {getattr(other, part)!r}, the service {getattr(ours, part)!r}")
    return problems


def _get_ok(client: Client, params: dict[str, str]) -> None:
    response = client.get(SEARCH_PATH, params)
    if response.status_code != 200:
        raise RuntimeError(f"{SEARCH_PATH} answered {response.status_code}: the benchmark would time an error page")


def _rows(size: int) -> list[Row]:
    client = Client()
    rows = []
    for label, query in queries().items():
        problems = disagreements(query)
        if problems:
            raise RuntimeError(f"at {size:,} offers, {label!r} differs: " + "; ".join(problems))
        params = QUERY_MIX[label]
        _get_ok(client, params)
        rows.append(
            Row(
                label=f"{size:,} offers: {label}",
                calls={
                    "service": lambda q=query: offers_search(q),
                    "HTTP": lambda p=params: client.get(SEARCH_PATH, p),
                    "baseline": lambda q=query: baseline_search(q),
                    "floor": lambda q=query: floor_search(q),
                },
            )
        )
    return rows


def _stages() -> Iterator[list[Row]]:
    for size in SCALES:
        print(f"  building {size:,} offers ...", flush=True)
        offers_ensure(size)
        yield _rows(size)


def _p95(result: TableResult, label_start: str, column: str) -> list[float]:
    return [row.timings[column].p95_ms for row in result.rows if row.label.startswith(label_start)]


def targets(result: TableResult) -> list[str]:
    """Whether the issue's targets were met at the largest size, worst query of the mix first."""
    largest, smallest = f"{max(SCALES):,} offers", f"{min(SCALES):,} offers"
    service = _p95(result, largest, "service")
    baseline_ratio = min(b / s for s, b in zip(service, _p95(result, largest, "baseline"), strict=True))
    floor_ratio = max(s / f for s, f in zip(service, _p95(result, largest, "floor"), strict=True))
    lines = [
        _target(
            f"p95 of the service at {largest} ≤ {TARGET_P95_MS:.0f} ms",
            max(service) <= TARGET_P95_MS,
            f"slowest query {max(service):.1f} ms",
        ),
        _target(
            f"≥ {TARGET_BASELINE_RATIO:.0f}× faster than the baseline (p95)",
            baseline_ratio >= TARGET_BASELINE_RATIO,
            f"least {baseline_ratio:.1f}×",
        ),
        _target(
            f"≤ {TARGET_FLOOR_RATIO:.0f}× the floor (p95)",
            floor_ratio <= TARGET_FLOOR_RATIO,
            f"most {floor_ratio:.1f}×",
        ),
    ]
    if largest != smallest:
        growth = max(b / s for s, b in zip(_p95(result, smallest, "service"), service, strict=True))
        lines.append(
            _target(
                f"p95 at {largest} ≤ {TARGET_GROWTH:.0f}× p95 at {smallest}",
                growth <= TARGET_GROWTH,
                f"most {growth:.1f}×",
            )
        )
    return lines


def _target(what: str, met: bool, detail: str) -> str:
    return f"{what}: {'met' if met else '**missed**'} ({detail})"


@benchmark(
    "search",
    description=(
        "the search service (`offers_search`) for each query of a fixed mix (words; words + postcode + 10 miles; "
        "two facets; a typo) whose results stay about the same size as the offers grow; the same query as a GET "
        f"of {SEARCH_PATH} through Django's test client; all computing the same page of 20, total and facet counts"
    ),
    baseline=(
        "a naive first version on the same index tables: `icontains` filters, haversine distance in Python, "
        "typo candidates by scanning the vocabulary in Python, one count query per facet value. "
        "Floor: hand-written SQL on the same tables, everything but the word and postcode look-ups in one statement"
    ),
    heavy=True,
)
def search() -> Iterator[Table]:
    if connection.vendor != "postgresql":
        raise RuntimeError("the search benchmark needs PostgreSQL: run it through `make bench`, which starts one")
    yield Table(
        columns=("service", "HTTP", "baseline", "floor"),
        ratios=("baseline", "floor"),
        stages=_stages,
        repetitions=REPETITIONS,
        warmup=WARMUP,
        summary=targets,
    )
