"""A search on PostgreSQL in one statement: the page of hits, the total and every facet count.

The documents matching the query are found once, in a CTE (``base``), with one true/false column per
facet filter in use. The page, the total and each facet's counts are then read from it, each over the
documents matching every filter but that facet's own, and returned as the rows of one ``UNION ALL``:

- ``page`` rows: offer id, public id, position, score, distance;
- one ``total`` row;
- ``facet`` rows: facet, value, label (category and need names, framework names), count.

This is the same result as the ORM path that SQLite uses (``database_filters``, ``database_facets``),
and the contract suite checks both. It exists because the ORM path sends 8 to 11 queries a search and
spends more time compiling them than PostgreSQL spends answering; here the SQL is put together from
fixed fragments, with every value of the query a named parameter.

When no word or place narrows the search and two facet filters or more are in use, every set counted
lies within the offers matching one of two of those filters (each set leaves out at most one filter),
so ``base`` is drawn from those offers alone rather than from every document.
"""

# ruff: noqa: S608 - the SQL is put together from this module's own table names and fixed fragments;
# every value that comes from the query is a named parameter.

import math
import uuid
from dataclasses import dataclass

from django.db import connection

from providers.models import Taxonomy, TaxonomyTerm
from search.backends.database_facets import DOCUMENT_FACETS, KEYWORD_FACETS
from search.backends.facet_values import Counts, Labels
from search.geo import EARTH_RADIUS_MILES, Origin, bounding_box
from search.models import (
    OfferCoverage,
    OfferDocument,
    OfferFramework,
    OfferKeyword,
    OfferPlace,
    OfferPrice,
    OfferSchedule,
)
from search.query import AGE_BANDS, PRICE_BANDS, PROVIDER_KINDS, Hit, SearchQuery
from search.text import QueryWord

DOCUMENTS = OfferDocument._meta.db_table
KEYWORDS = OfferKeyword._meta.db_table
PRICES = OfferPrice._meta.db_table
SCHEDULES = OfferSchedule._meta.db_table
PLACES = OfferPlace._meta.db_table
COVERAGE = OfferCoverage._meta.db_table
FRAMEWORKS = OfferFramework._meta.db_table
TERMS = TaxonomyTerm._meta.db_table
TAXONOMIES = Taxonomy._meta.db_table

CONFIG = "english"  # as search.backends.postgres
RANK_NORMALISATION = 1
# The taxonomy whose term names label each keyword facet's values.
TERM_KINDS = {"category": "service_category", "need": "need"}
# Which two filters, when no word or place narrows the search, draw ``base`` from their offers: the
# ones that usually match fewest offers first.
NARROWEST_FIRST = (
    "category",
    "need",
    "framework",
    "language",
    "price",
    "day",
    "age",
    "attending_type",
    "provider_kind",
    "dbs_checked",
    "has_capacity",
)
# Columns of ``base`` that the page and the document facets read.
DOCUMENT_COLUMNS = (
    "d.id, d.offer_id, d.public_id, d.name, d.assured_on, d.minimum_age, d.maximum_age, "
    "d.checks_current_until, d.provider_kind, d.has_capacity"
)


@dataclass(frozen=True)
class Condition:
    """A filter as SQL on the document row ``d``, and, when it is one, as a SELECT of document ids."""

    predicate: str
    ids: str | None = None


@dataclass(frozen=True)
class Found:
    hits: list[Hit]
    total: int
    counts: Counts
    labels: Labels


class _Parameters(dict):
    """Values of the statement, each under a name of its own."""

    def add(self, value: object) -> str:
        name = f"p{len(self)}"
        self[name] = value
        return f"%({name})s"


def search(query: SearchQuery, origin: Origin | None, words: list[QueryWord]) -> Found:
    statement = _Statement(query, origin, words)
    with connection.cursor() as cursor:
        cursor.execute(statement.sql(), statement.parameters)
        rows = cursor.fetchall()
    return _found(rows)


class _Statement:
    def __init__(self, query: SearchQuery, origin: Origin | None, words: list[QueryWord]) -> None:
        self.query = query
        self.origin = origin
        self.parameters = _Parameters()
        self.today = self.parameters.add(query.today)
        self.tsquery = self._tsquery(words) if words else None
        self.always = self._always()
        self.facets = {name: condition for name, condition in self._facet_conditions().items() if condition}

    # --- the statement ---------------------------------------------------------------------------

    def sql(self) -> str:
        narrowed = bool(self.always) or len(self.facets) >= 2
        # Drawn from a few offers, base is worth keeping; drawn from every document, reading the
        # documents again for each set costs less than writing them all down first.
        materialised = "MATERIALIZED" if narrowed else "NOT MATERIALIZED"
        selects = [
            self._page(),
            f"SELECT 'total', NULL, NULL, NULL, count(*), NULL, NULL FROM base WHERE {self._flags()}",
        ]
        selects += self._keyword_facets() + self._document_facets()
        selects += [self._day_facet(), self._price_facet(), self._framework_facet()]
        return f"WITH base AS {materialised} ({self._base()}) " + " UNION ALL ".join(f"({s})" for s in selects)

    def _base(self) -> str:
        columns = [DOCUMENT_COLUMNS]
        columns.append(
            f"ts_rank_cd(d.search_vector, {self.tsquery}, {RANK_NORMALISATION}) AS score"
            if self.tsquery
            else "NULL::real AS score"
        )
        if self.origin is not None:
            nearest = f"SELECT min({self._miles(self.origin)}) FROM {PLACES} p WHERE p.document_id = d.id"
            columns.append(f"({nearest}) AS distance")
        else:
            columns.append("NULL::double precision AS distance")
        if self.query.sort == "price":
            unit = self.parameters.add(self.query.price_unit)
            cheapest = f"SELECT min(pr.amount) FROM {PRICES} pr WHERE pr.document_id = d.id AND pr.unit = {unit}"
            columns.append(f"({cheapest}) AS unit_price")
        columns += [f"({condition.predicate}) AS in_{name}" for name, condition in self.facets.items()]
        where = [condition.predicate for condition in self.always]
        if not where and len(self.facets) >= 2:
            where.append(self._either_of_two())
        return f"SELECT {', '.join(columns)} FROM {DOCUMENTS} d" + (f" WHERE {' AND '.join(where)}" if where else "")

    def _either_of_two(self) -> str:
        first, second = sorted(self.facets, key=NARROWEST_FIRST.index)[:2]
        one, other = self.facets[first], self.facets[second]
        if one.ids and other.ids:
            return f"d.id IN ({one.ids} UNION {other.ids})"
        return f"(({one.predicate}) OR ({other.predicate}))"

    def _flags(self, *, excluding: str | None = None) -> str:
        """The documents of base matching every facet filter but ``excluding``'s."""
        return " AND ".join(["TRUE", *(f"in_{name}" for name in self.facets if name != excluding)])

    def _counted(self, *, excluding: str | None = None) -> bool:
        """Whether the documents counted for a facet are fewer than all: some condition applies."""
        return bool(self.always) or any(name != excluding for name in self.facets)

    def _of_base(self, alias: str, *, excluding: str | None) -> str:
        """A join of child rows (``alias``) to the documents counted, or nothing when that is every document."""
        if not self._counted(excluding=excluding):
            return ""
        return f" JOIN base b ON b.id = {alias}.document_id AND {self._flags(excluding=excluding)}"

    def _page(self) -> str:
        relevance = ["score DESC"] if self.tsquery else []
        nearest = ["distance ASC NULLS LAST"] if self.origin is not None else []
        first = {
            "relevance": relevance + nearest,
            "distance": nearest + relevance,
            "price": ["unit_price ASC NULLS LAST", *relevance],
            "assured": ["assured_on DESC NULLS LAST", *relevance],
        }[self.query.sort]
        order = ", ".join([*first, "name ASC", "id ASC"])
        limit = self.parameters.add(self.query.per_page)
        offset = self.parameters.add((self.query.page - 1) * self.query.per_page)
        return (
            f"SELECT 'page'::text, NULL::text, offer_id::text, public_id::text, "
            f"row_number() OVER (ORDER BY {order}), score, distance "
            f"FROM (SELECT * FROM base WHERE {self._flags()} ORDER BY {order} LIMIT {limit} OFFSET {offset}) AS page"
        )

    def _keyword_facets(self) -> list[str]:
        idle = [name for name in KEYWORD_FACETS if name not in self.facets]
        groups = [(idle, None)] if idle else []
        groups += [([name], name) for name in KEYWORD_FACETS if name in self.facets]
        labels = " ".join(
            f"WHEN '{KEYWORD_FACETS[name]}' THEN (SELECT t.name FROM {TERMS} t "
            f"JOIN {TAXONOMIES} x ON x.id = t.taxonomy_id WHERE x.kind = '{kind}' AND t.code = k.value "
            "ORDER BY t.id LIMIT 1)"
            for name, kind in TERM_KINDS.items()
        )
        return [
            f"SELECT 'facet', k.facet, k.value, CASE k.facet {labels} END, count(*), NULL, NULL "
            f"FROM {KEYWORDS} k{self._of_base('k', excluding=excluding)} "
            f"WHERE k.facet IN ({', '.join(repr(str(KEYWORD_FACETS[name])) for name in names)}) "
            "GROUP BY k.facet, k.value"
            for names, excluding in groups
        ]

    def _document_facets(self) -> list[str]:
        idle = [name for name in DOCUMENT_FACETS if name not in self.facets]
        groups = [(idle, None)] if idle else []
        groups += [([name], name) for name in DOCUMENT_FACETS if name in self.facets]
        return [self._document_counts(names, excluding) for names, excluding in groups]

    def _document_counts(self, names: list[str], excluding: str | None) -> str:
        """One pass over the documents counted, a count for each value of these facets, as rows."""
        counts = {
            "age": [
                (band.value, f"minimum_age <= {band.highest} AND maximum_age >= {band.lowest}") for band in AGE_BANDS
            ],
            "dbs_checked": [("true", f"checks_current_until >= {self.today}")],
            "provider_kind": [(kind, f"provider_kind = '{kind}'") for kind in PROVIDER_KINDS],
            "has_capacity": [("true", "has_capacity")],
        }
        wanted = [(name, value, condition) for name in names for value, condition in counts[name]]
        aggregates = ", ".join(
            f"count(*) FILTER (WHERE {condition}) AS n{i}" for i, (_, _, condition) in enumerate(wanted)
        )
        values = ", ".join(f"('{name}', '{value}', a.n{i})" for i, (name, value, _) in enumerate(wanted))
        return (
            "SELECT 'facet', v.facet, v.value, NULL, v.n, NULL, NULL "
            f"FROM (SELECT {aggregates} FROM base WHERE {self._flags(excluding=excluding)}) AS a "
            f"CROSS JOIN LATERAL (VALUES {values}) AS v(facet, value, n)"
        )

    def _day_facet(self) -> str:
        # With a time window, a day counts only the offers running on it within the window.
        window = " AND ".join(["TRUE", *self._time_window("s")])
        return (
            "SELECT 'facet', 'day', s.weekday, NULL, count(DISTINCT s.document_id), NULL, NULL "
            f"FROM {SCHEDULES} s{self._of_base('s', excluding='day')} WHERE {window} GROUP BY s.weekday"
        )

    def _price_facet(self) -> str:
        # Bands of one unit do not overlap, so each price falls in one band: one grouped count.
        return (
            "SELECT 'facet', 'price', band, NULL, count(DISTINCT document_id), NULL, NULL "
            f"FROM (SELECT pr.document_id, {PRICE_BAND_SQL} AS band FROM {PRICES} pr"
            f"{self._of_base('pr', excluding='price')}) AS priced WHERE band IS NOT NULL GROUP BY band"
        )

    def _framework_facet(self) -> str:
        return (
            "SELECT 'facet', 'framework', f.framework_public_id::text, max(f.name), count(DISTINCT f.document_id), "
            f"NULL, NULL FROM {FRAMEWORKS} f{self._of_base('f', excluding='framework')} "
            f"WHERE f.starts_on <= {self.today} AND f.ends_on >= {self.today} GROUP BY f.framework_public_id"
        )

    # --- the filters, as database_filters has them -------------------------------------------------

    def _tsquery(self, words: list[QueryWord]) -> str:
        groups = [
            " || ".join(f"websearch_to_tsquery('{CONFIG}', {self.parameters.add(word)})" for word in item.alternatives)
            for item in words
        ]
        return "(" + " && ".join(f"({group})" for group in groups) + ")"

    def _miles(self, origin: Origin) -> str:
        """Haversine distance from the origin to ``p``'s latitude and longitude, as ``search.geo.miles_from``."""
        diameter = self.parameters.add(2 * EARTH_RADIUS_MILES)
        latitude = self.parameters.add(math.radians(origin.latitude))
        longitude = self.parameters.add(math.radians(origin.longitude))
        cos_origin = self.parameters.add(math.cos(math.radians(origin.latitude)))
        return (
            f"{diameter} * asin(sqrt(least(power(sin((radians(p.latitude) - {latitude}) / 2.0), 2.0) "
            f"+ {cos_origin} * cos(radians(p.latitude)) * power(sin((radians(p.longitude) - {longitude}) / 2.0), 2.0), "
            "1.0)))"
        )

    def _always(self) -> list[Condition]:
        """Conditions that belong to no facet, so apply to every set counted: words and place."""
        conditions = []
        if self.tsquery:
            conditions.append(Condition(f"d.search_vector @@ {self.tsquery}"))
        place = self._place()
        if place:
            conditions.append(place)
        return conditions

    def _place(self) -> Condition | None:
        query, origin, add = self.query, self.origin, self.parameters.add
        if origin is None:
            return None
        if query.comes_to_home:
            covers = f"(c.kind = '{OfferCoverage.Kind.DISTRICT}' AND c.code = {add(origin.district)})"
            if origin.council_code:
                covers += f" OR (c.kind = '{OfferCoverage.Kind.COUNCIL}' AND c.code = {add(origin.council_code)})"
            return Condition(f"EXISTS (SELECT 1 FROM {COVERAGE} c WHERE c.document_id = d.id AND ({covers}))")
        if query.radius_miles is None:
            return None
        # The same box as search.geo.bounding_box, which the (latitude, longitude) index can use.
        box = dict(bounding_box(origin, query.radius_miles).children)
        (south, north), (west, east) = box["latitude__range"], box["longitude__range"]
        return Condition(
            f"EXISTS (SELECT 1 FROM {PLACES} p WHERE p.document_id = d.id "
            f"AND p.latitude BETWEEN {add(south)} AND {add(north)} AND p.longitude BETWEEN {add(west)} AND {add(east)} "
            f"AND {self._miles(origin)} <= {add(query.radius_miles)})"
        )

    def _facet_conditions(self) -> dict[str, Condition | None]:
        query, add = self.query, self.parameters.add
        return {
            "category": self._keyword("category", query.categories),
            "need": self._keyword("need", query.needs),
            "age": (
                Condition(f"d.minimum_age <= {add(query.age)} AND d.maximum_age >= {add(query.age)}")
                if query.age is not None
                else None
            ),
            "attending_type": self._keyword("attending_type", query.attending_types),
            "day": self._runs_when(),
            "price": (
                _ids(
                    f"SELECT pr.document_id FROM {PRICES} pr WHERE pr.unit = {add(query.price_unit)} "
                    f"AND pr.amount <= {add(query.price_max)}"
                )
                if query.price_max is not None
                else None
            ),
            "dbs_checked": Condition(f"d.checks_current_until >= {self.today}") if query.dbs_checked_only else None,
            "framework": self._on_framework(),
            "provider_kind": (
                Condition(f"d.provider_kind = {add(query.provider_kind)}") if query.provider_kind else None
            ),
            "language": self._keyword("language", query.languages),
            "has_capacity": Condition("d.has_capacity") if query.has_capacity else None,
        }

    def _keyword(self, name: str, values: tuple[str, ...]) -> Condition | None:
        if not values:
            return None
        return _ids(
            f"SELECT k.document_id FROM {KEYWORDS} k WHERE k.facet = '{KEYWORD_FACETS[name]}' "
            f"AND k.value = ANY({self.parameters.add(list(values))})"
        )

    def _time_window(self, alias: str) -> list[str]:
        window = []
        if self.query.time_to:
            window.append(f"{alias}.opens_at < {self.parameters.add(self.query.time_to)}")
        if self.query.time_from:
            window.append(f"{alias}.closes_at > {self.parameters.add(self.query.time_from)}")
        return window

    def _runs_when(self) -> Condition | None:
        query = self.query
        if not (query.days or query.time_from or query.time_to):
            return None
        spans = self._time_window("s")
        if query.days:
            spans.append(f"s.weekday = ANY({self.parameters.add(list(query.days))})")
        return _ids(f"SELECT s.document_id FROM {SCHEDULES} s WHERE {' AND '.join(spans)}")

    def _on_framework(self) -> Condition | None:
        query = self.query
        if not query.wants_framework:
            return None
        current = f"f.starts_on <= {self.today} AND f.ends_on >= {self.today}"
        if query.framework:
            current += f" AND f.framework_public_id = {self.parameters.add(uuid.UUID(query.framework))}"
        return _ids(f"SELECT f.document_id FROM {FRAMEWORKS} f WHERE {current}")


def _ids(select: str) -> Condition:
    return Condition(predicate=f"d.id IN ({select})", ids=select)


def _price_band_sql() -> str:
    """The band of a price (its ``PriceBand.value``), written once: the bands are fixed numbers."""
    cases = []
    for band in PRICE_BANDS:
        below = f" AND pr.amount < {band.below}" if band.below is not None else ""
        cases.append(f"WHEN pr.unit = '{band.unit}' AND pr.amount >= {band.lowest}{below} THEN '{band.value}'")
    return f"CASE {' '.join(cases)} END"


PRICE_BAND_SQL = _price_band_sql()


def _found(rows: list[tuple]) -> Found:
    hits: list[tuple[int, Hit]] = []
    total = 0
    counts: Counts = {}
    labels: Labels = {}
    by_facet = {str(facet): name for name, facet in KEYWORD_FACETS.items()}
    for part, facet, value, label, number, score, distance in rows:
        if part == "page":
            hit = Hit(
                offer_id=int(value), public_id=uuid.UUID(label), score=float(score or 0.0), distance_miles=distance
            )
            hits.append((number, hit))
        elif part == "total":
            total = number
        else:
            name = by_facet.get(facet, facet)
            counts.setdefault(name, {})[value] = number
            if label is not None:
                labels.setdefault(name, {})[value] = label
    return Found(
        hits=[hit for _, hit in sorted(hits, key=lambda pair: pair[0])], total=total, counts=counts, labels=labels
    )
