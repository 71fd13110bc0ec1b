"""Elasticsearch request bodies for a ``SearchQuery``, and ``SearchResults`` read from the responses.

The meaning of every filter, sort and facet is the database backend's (``search.query`` says what each
is); here it is written as Elasticsearch query DSL:

- Words: every word must match the name (weight 10), categories and needs (4) or description (1),
  English-stemmed. Typos are tolerated as ``search.text`` defines for every backend: a word of 5 or more
  letters that no offer uses also matches the vocabulary words one edit away (the term suggester finds
  them; the corrections are then searched as alternatives of the word and listed as suggestions).
  Elasticsearch's ``fuzziness: AUTO`` would also accept two edits in long words, one in four-letter
  words, and near-misses of words offers do use, all of which the search contract refuses.
- The place (a radius, or "comes to my home") is part of the query; facet filters are in
  ``post_filter``, and each facet is counted in an aggregation filtered by every other facet's filter,
  so that a facet's count says how many results choosing its value would give.
- Sorts end with name, then id, so that paging is stable.
"""

import math
import uuid
from collections.abc import Callable

from elasticsearch_dsl import Q, Search
from elasticsearch_dsl.query import Query

from providers.models import Weekday
from search.backends.elasticsearch_mapping import MAX_RESULT_WINDOW, TEXT_FIELDS
from search.backends.facet_values import Counts, facets_present, term_names
from search.geo import EARTH_RADIUS_MILES, Origin
from search.query import (
    AGE_BANDS,
    FACETS,
    PRICE_BANDS,
    PROVIDER_KINDS,
    FacetValue,
    Hit,
    SearchQuery,
    SearchResults,
    Suggestion,
)
from search.text import TYPO_MIN_LENGTH, QueryWord, could_be_typo, query_words, words_of

KEYWORD_FACET_FIELDS = {
    "category": "category_codes",
    "need": "need_codes",
    "attending_type": "attending_types",
    "language": "languages",
}
# Enough buckets for every value of an open list: the taxonomy has a few hundred terms, ISO 639 fewer languages.
OPEN_LIST_SIZE = 1000
# Candidates the term suggester returns per word; they are confirmed (one edit at most) and the 3 most used kept.
CANDIDATES_PER_WORD = 20
TEXT_MATCHES_PAGE = 1000
SOURCE_FIELDS = ["offer_id", "public_id", "places"]
TYPEAHEAD_FIELDS = ["name.typeahead", "name.typeahead._2gram", "name.typeahead._3gram"]
TIE_BREAKERS = ({"name.sort": {"order": "asc"}}, {"offer_id": {"order": "asc"}})
SCORE = {"_score": {"order": "desc"}}


# --- Words ---------------------------------------------------------------------------------------


def typo_candidates(text: str) -> list[str]:
    """The words of ``text`` that may be typos (5 or more letters), which the vocabulary request checks."""
    return [word for word in words_of(text) if could_be_typo(word)]


def vocabulary_request(search: Search, words: list[str]) -> Search:
    """One request that answers which of ``words`` offers use, and the vocabulary words near each."""
    search = search[0:0]
    search.aggs.bucket("known", "terms", field="vocabulary", include=words, size=len(words))
    for number, word in enumerate(words):
        search = search.suggest(
            f"word_{number}",
            word,
            term={
                "field": "vocabulary",
                "suggest_mode": "always",
                "max_edits": 1,
                "prefix_length": 0,
                "min_word_length": TYPO_MIN_LENGTH,
                "size": CANDIDATES_PER_WORD,
                "sort": "frequency",
            },
        )
    return search


def words_from(text: str, words: list[str], body: dict | None) -> list[QueryWord]:
    """The query's words with their corrections, from the vocabulary response (None: no word needed checking)."""
    known: set[str] = set()
    candidates: dict[str, list[tuple[str, int]]] = {}
    if body is not None:
        known = {bucket["key"] for bucket in body["aggregations"]["known"]["buckets"]}
        suggestions = body.get("suggest", {})
        for number, word in enumerate(words):
            entries = suggestions.get(f"word_{number}", [])
            candidates[word] = [(option["text"], option["freq"]) for entry in entries for option in entry["options"]]
    return query_words(text, known=lambda _: known, candidates=lambda word: candidates.get(word, []))


def text_query(words: list[QueryWord]) -> Query:
    """Every word (or one of its corrections) must match; names that begin with the words score higher."""
    if not words:
        return Q("match_all")
    typed = " ".join(word.word for word in words)
    return Q(
        "bool",
        must=[_word_clause(word) for word in words],
        should=[Q("multi_match", query=typed, type="bool_prefix", fields=TYPEAHEAD_FIELDS)],
    )


def _word_clause(word: QueryWord) -> Query:
    matches = [Q("multi_match", query=text, fields=list(TEXT_FIELDS), type="most_fields") for text in word.alternatives]
    return matches[0] if len(matches) == 1 else Q("bool", should=matches, minimum_should_match=1)


def text_matches_request(search: Search, words: list[QueryWord], after: list | None) -> Search:
    """A page of ids matching the words, best first; ``after`` is the previous page's last sort values."""
    sorts = ([SCORE] if words else []) + list(TIE_BREAKERS)
    search = search.query(text_query(words)).sort(*sorts).source(False)[0:TEXT_MATCHES_PAGE]
    return search.extra(search_after=after) if after else search


# --- Filters -------------------------------------------------------------------------------------


def place_filter(query: SearchQuery, origin: Origin | None) -> Query | None:
    if origin is None:
        return None
    if query.comes_to_home:
        covers = [Q("term", districts=origin.district)]
        if origin.council_code:
            covers.append(Q("term", council_codes=origin.council_code))
        return Q("bool", should=covers, minimum_should_match=1)
    if query.radius_miles is not None:
        return Q("geo_distance", distance=f"{query.radius_miles}mi", places=_point(origin))
    return None


def facet_filters(query: SearchQuery) -> dict[str, Query]:
    """Each active filter, named by the facet it belongs to."""
    today = query.today.isoformat()
    optional: dict[str, Query | None] = {
        "category": Q("terms", category_codes=list(query.categories)) if query.categories else None,
        "need": Q("terms", need_codes=list(query.needs)) if query.needs else None,
        "age": _covers_age(query.age, query.age) if query.age is not None else None,
        "attending_type": Q("terms", attending_types=list(query.attending_types)) if query.attending_types else None,
        "day": _runs_when(query) if (query.days or query.time_from or query.time_to) else None,
        "price": _priced_within(query) if query.price_max is not None else None,
        "dbs_checked": _checks_current(today) if query.dbs_checked_only else None,
        "framework": _on_framework(query) if query.wants_framework else None,
        "provider_kind": Q("term", provider_kind=query.provider_kind) if query.provider_kind else None,
        "language": Q("terms", languages=list(query.languages)) if query.languages else None,
        "has_capacity": Q("term", has_capacity=True) if query.has_capacity else None,
    }
    return {name: condition for name, condition in optional.items() if condition is not None}


def _covers_age(lowest: int, highest: int) -> Query:
    """Offers whose age range overlaps ``lowest`` to ``highest`` (one age when they are equal)."""
    return Q("bool", filter=[Q("range", minimum_age={"lte": highest}), Q("range", maximum_age={"gte": lowest})])


def _time_window(query: SearchQuery) -> list[Query]:
    window = []
    if query.time_to:
        window.append(Q("range", **{"spans.opens_at": {"lt": query.time_to.strftime("%H:%M:%S")}}))
    if query.time_from:
        window.append(Q("range", **{"spans.closes_at": {"gt": query.time_from.strftime("%H:%M:%S")}}))
    return window


def _runs_when(query: SearchQuery) -> Query:
    # Nested, so that the day and the hours are those of one span.
    conditions = _time_window(query)
    if query.days:
        conditions.insert(0, Q("terms", **{"spans.weekday": list(query.days)}))
    return Q("nested", path="spans", query=Q("bool", filter=conditions))


def _priced_within(query: SearchQuery) -> Query:
    conditions = [
        Q("term", **{"prices.unit": query.price_unit}),
        Q("range", **{"prices.amount": {"lte": float(query.price_max or 0)}}),
    ]
    return Q("nested", path="prices", query=Q("bool", filter=conditions))


def _checks_current(today: str) -> Query:
    return Q("range", checks_current_until={"gte": today})


def _current_frameworks(today: str) -> list[Query]:
    return [
        Q("range", **{"frameworks.starts_on": {"lte": today}}),
        Q("range", **{"frameworks.ends_on": {"gte": today}}),
    ]


def _on_framework(query: SearchQuery) -> Query:
    conditions = _current_frameworks(query.today.isoformat())
    if query.framework:
        conditions.append(Q("term", **{"frameworks.public_id": query.framework}))
    return Q("nested", path="frameworks", query=Q("bool", filter=conditions))


# --- The search request --------------------------------------------------------------------------


def search_request(search: Search, query: SearchQuery, origin: Origin | None, words: list[QueryWord]) -> Search:
    """One request for a page of hits, the total and every facet's counts."""
    place = place_filter(query, origin)
    scored = text_query(words)
    search = search.query(Q("bool", must=[scored], filter=[place]) if place is not None else scored)
    filters = facet_filters(query)
    if filters:
        search = search.post_filter(Q("bool", filter=list(filters.values())))
    for name in FACETS:
        others = [condition for facet, condition in filters.items() if facet != name]
        scope = search.aggs.bucket(name, "filter", filter=Q("bool", filter=others) if others else Q("match_all"))
        _COUNTERS[name](scope, query)
    search = search.sort(*_sorts(query, origin, has_words=bool(words)))
    start, stop = _page_window(query)
    return search.source(SOURCE_FIELDS).extra(track_total_hits=True)[start:stop]


def _page_window(query: SearchQuery) -> tuple[int, int]:
    """The hits to fetch; pages past Elasticsearch's result window have none (the total and facets still count)."""
    start = (query.page - 1) * query.per_page
    if start >= MAX_RESULT_WINDOW:
        return 0, 0
    return start, min(start + query.per_page, MAX_RESULT_WINDOW)


def _sorts(query: SearchQuery, origin: Origin | None, *, has_words: bool) -> list[dict]:
    relevance = [SCORE] if has_words else []
    nearest = [_nearest_first(origin)] if origin is not None else []
    first: dict[str, list[dict]] = {
        "relevance": relevance + nearest,
        "distance": nearest + relevance,
        "price": [_cheapest_first(query.price_unit), *relevance],
        "assured": [{"assured_on": {"order": "desc", "missing": "_last"}}, *relevance],
    }
    return [*first[query.sort], *TIE_BREAKERS]


def _nearest_first(origin: Origin) -> dict:
    # An offer with several venues is as near as its nearest; one without a venue sorts last (infinitely far).
    return {"_geo_distance": {"places": _point(origin), "order": "asc", "unit": "mi", "mode": "min"}}


def _cheapest_first(unit: str) -> dict:
    return {
        "prices.amount": {
            "order": "asc",
            "mode": "min",
            "missing": "_last",
            "nested": {"path": "prices", "filter": {"term": {"prices.unit": unit}}},
        }
    }


def _point(origin: Origin) -> dict[str, float]:
    return {"lat": origin.latitude, "lon": origin.longitude}


# --- Facet aggregations (each under a filter aggregation of the other facets' filters) ------------


def _count_keywords(name: str) -> Callable:
    def count(scope, query: SearchQuery) -> None:  # type: ignore[no-untyped-def]
        scope.bucket("counts", "terms", field=KEYWORD_FACET_FIELDS[name], size=OPEN_LIST_SIZE)

    return count


def _count_ages(scope, query: SearchQuery) -> None:  # type: ignore[no-untyped-def]
    bands = {band.value: _covers_age(band.lowest, band.highest) for band in AGE_BANDS}
    scope.bucket("counts", "filters", filters=bands)


def _count_days(scope, query: SearchQuery) -> None:  # type: ignore[no-untyped-def]
    # With a time window, a day counts only the offers running on it within the window.
    window = _time_window(query)
    spans = scope.bucket("spans", "nested", path="spans")
    within = spans.bucket("window", "filter", filter=Q("bool", filter=window) if window else Q("match_all"))
    days = within.bucket("counts", "terms", field="spans.weekday", size=len(Weekday.choices))
    days.bucket("offers", "reverse_nested")


def _count_prices(scope, query: SearchQuery) -> None:  # type: ignore[no-untyped-def]
    bands = {}
    for band in PRICE_BANDS:
        amount = {"gte": float(band.lowest), **({"lt": float(band.below)} if band.below is not None else {})}
        bands[band.value] = Q(
            "bool", filter=[Q("term", **{"prices.unit": band.unit}), Q("range", **{"prices.amount": amount})]
        )
    prices = scope.bucket("prices", "nested", path="prices")
    prices.bucket("counts", "filters", filters=bands).bucket("offers", "reverse_nested")


def _count_checks(scope, query: SearchQuery) -> None:  # type: ignore[no-untyped-def]
    scope.bucket("counts", "filter", filter=_checks_current(query.today.isoformat()))


def _count_frameworks(scope, query: SearchQuery) -> None:  # type: ignore[no-untyped-def]
    frameworks = scope.bucket("frameworks", "nested", path="frameworks")
    current = frameworks.bucket(
        "current", "filter", filter=Q("bool", filter=_current_frameworks(query.today.isoformat()))
    )
    counts = current.bucket("counts", "terms", field="frameworks.public_id", size=OPEN_LIST_SIZE)
    counts.bucket("offers", "reverse_nested")
    counts.bucket("names", "terms", field="frameworks.name", size=1)


def _count_provider_kinds(scope, query: SearchQuery) -> None:  # type: ignore[no-untyped-def]
    scope.bucket("counts", "filters", filters={kind: Q("term", provider_kind=kind) for kind in PROVIDER_KINDS})


def _count_capacity(scope, query: SearchQuery) -> None:  # type: ignore[no-untyped-def]
    scope.bucket("counts", "filter", filter=Q("term", has_capacity=True))


_COUNTERS: dict[str, Callable] = {
    "category": _count_keywords("category"),
    "need": _count_keywords("need"),
    "age": _count_ages,
    "attending_type": _count_keywords("attending_type"),
    "day": _count_days,
    "price": _count_prices,
    "dbs_checked": _count_checks,
    "framework": _count_frameworks,
    "provider_kind": _count_provider_kinds,
    "language": _count_keywords("language"),
    "has_capacity": _count_capacity,
}


# --- Reading the response ------------------------------------------------------------------------


def results_from(body: dict, query: SearchQuery, origin: Origin | None, words: list[QueryWord]) -> SearchResults:
    return SearchResults(
        hits=[_hit(hit, origin, has_words=bool(words)) for hit in body["hits"]["hits"]],
        total=body["hits"]["total"]["value"],
        facets=facets_from(body["aggregations"]),
        suggestions=[Suggestion(word.word, word.corrections) for word in words if word.corrections],
        page=query.page,
        per_page=query.per_page,
    )


def _hit(hit: dict, origin: Origin | None, *, has_words: bool) -> Hit:
    source = hit["_source"]
    places = source.get("places", [])
    return Hit(
        offer_id=int(source["offer_id"]),
        public_id=uuid.UUID(source["public_id"]),
        score=float(hit.get("_score") or 0.0) if has_words else 0.0,
        # Measured here as the database backend measures it (haversine, in miles), from the stored venues.
        distance_miles=min((_miles(origin, place) for place in places), default=None) if origin else None,
    )


def _miles(origin: Origin, place: dict[str, float]) -> float:
    latitude, longitude = math.radians(place["lat"]), math.radians(place["lon"])
    origin_latitude = math.radians(origin.latitude)
    a = (
        math.sin((latitude - origin_latitude) / 2) ** 2
        + math.cos(origin_latitude)
        * math.cos(latitude)
        * math.sin((longitude - math.radians(origin.longitude)) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(min(a, 1.0)))


def facets_from(aggregations: dict) -> dict[str, list[FacetValue]]:
    """The counts in an Elasticsearch answer, presented as every backend presents its counts."""
    counts: Counts = {
        name: {bucket["key"]: bucket["doc_count"] for bucket in aggregations[name]["counts"]["buckets"]}
        for name in KEYWORD_FACET_FIELDS
    }
    ages = aggregations["age"]["counts"]["buckets"]
    kinds = aggregations["provider_kind"]["counts"]["buckets"]
    counts["age"] = {band.value: ages[band.value]["doc_count"] for band in AGE_BANDS}
    counts["provider_kind"] = {kind: kinds[kind]["doc_count"] for kind in PROVIDER_KINDS}
    counts["dbs_checked"] = {"true": aggregations["dbs_checked"]["counts"]["doc_count"]}
    counts["has_capacity"] = {"true": aggregations["has_capacity"]["counts"]["doc_count"]}
    counts["day"] = _day_counts(aggregations["day"])
    counts["price"] = _price_counts(aggregations["price"])
    counts["framework"], framework_names = _framework_counts(aggregations["framework"])
    labels = {
        "category": term_names("service_category", counts["category"]),
        "need": term_names("need", counts["need"]),
        "framework": framework_names,
    }
    return facets_present(counts, labels)


def _day_counts(aggregation: dict) -> dict[str, int]:
    buckets = aggregation["spans"]["window"]["counts"]["buckets"]
    return {bucket["key"]: bucket["offers"]["doc_count"] for bucket in buckets}


def _price_counts(aggregation: dict) -> dict[str, int]:
    buckets = aggregation["prices"]["counts"]["buckets"]
    return {band.value: buckets.get(band.value, {}).get("offers", {}).get("doc_count", 0) for band in PRICE_BANDS}


def _framework_counts(aggregation: dict) -> tuple[dict[str, int], dict[str, str]]:
    buckets = [
        bucket for bucket in aggregation["frameworks"]["current"]["counts"]["buckets"] if bucket["names"]["buckets"]
    ]
    counts = {bucket["key"]: bucket["offers"]["doc_count"] for bucket in buckets}
    names = {bucket["key"]: bucket["names"]["buckets"][0]["key"] for bucket in buckets}
    return counts, names
