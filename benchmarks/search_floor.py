"""The raw SQL floor of the search benchmark: hand-written SQL on the index tables that answers the same
page, total and facet counts as ``offers_search`` in as few round trips as PostgreSQL allows (a postcode
lookup, one vocabulary lookup per word that may be a typo, then one statement for everything else).

It covers the filters of the benchmark's query mix (words, a postcode with a radius, categories and
needs) and refuses any other, rather than answer something different.
"""

# ruff: noqa: S608 - the SQL is put together from this module's own names, codes and numbers; the
# query's words, codes and distances go as parameters.

import math
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction

from providers.models import Postcode
from search.geo import EARTH_RADIUS_MILES, MILES_PER_DEGREE
from search.models import OfferDocument, OfferFramework, OfferKeyword, OfferPlace, OfferPrice, OfferSchedule, SearchWord
from search.query import AGE_BANDS, PRICE_BANDS, SearchQuery
from search.text import query_words

TRIGRAM_THRESHOLD = "0.19"  # as search.backends.postgres
CANDIDATE_LIMIT = 50
# The SQL below names tables by their models' short names; these are the names in the database.
TABLES = {
    f"search_{model.__name__.lower()}": model._meta.db_table
    for model in (OfferDocument, OfferFramework, OfferKeyword, OfferPlace, OfferPrice, OfferSchedule, SearchWord)
} | {"providers_postcode": Postcode._meta.db_table}


@dataclass(frozen=True)
class Outcome:
    """What the three implementations must agree on: a page of offer ids, the total, the non-zero facet counts."""

    page: tuple[int, ...]
    total: int
    facets: dict[str, dict[str, int]]


def unsupported(query: SearchQuery, *, by: str) -> None:
    covered = SearchQuery(
        text=query.text,
        postcode=query.postcode,
        radius_miles=query.radius_miles,
        categories=query.categories,
        needs=query.needs,
        page=query.page,
        per_page=query.per_page,
        today=query.today,
    )
    if covered != query or query.sort != "relevance":
        raise ValueError(
            f"the {by} covers the benchmark's query mix only: words, postcode and radius, categories, needs"
        )


def floor_search(query: SearchQuery) -> Outcome:
    unsupported(query, by="floor")
    with transaction.atomic(), connection.cursor() as cursor:
        words = query_words(query.text, known=lambda w: _known(cursor, w), candidates=lambda w: _candidates(cursor, w))
        origin = _origin(cursor, query.postcode) if query.postcode else None
        sql, params = _statement(query, [item.alternatives for item in words], origin)
        cursor.execute(_tables(sql), params)
        rows = cursor.fetchall()
    page = tuple(int(value) for kind, _, value, _ in sorted(rows, key=lambda row: row[3]) if kind == "page")
    total = next(count for kind, _, _, count in rows if kind == "total")
    facets: dict[str, dict[str, int]] = {}
    for kind, facet, value, count in rows:
        if kind == "facet" and count:
            facets.setdefault(facet, {})[value] = count
    return Outcome(page=page, total=total, facets=facets)


def _known(cursor, words: list[str]) -> set[str]:  # type: ignore[no-untyped-def]
    cursor.execute(_tables("SELECT word FROM search_searchword WHERE word = ANY(%s)"), [words])
    return {row[0] for row in cursor.fetchall()}


def _candidates(cursor, word: str) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [TRIGRAM_THRESHOLD])
    cursor.execute(
        _tables(
            "SELECT word, frequency FROM search_searchword WHERE word %% %s AND length BETWEEN %s AND %s "
            "ORDER BY similarity(word, %s) DESC LIMIT %s"
        ),
        [word, len(word) - 1, len(word) + 1, word, CANDIDATE_LIMIT],
    )
    return list(cursor.fetchall())


def _origin(cursor, postcode: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    cursor.execute(
        _tables("SELECT latitude, longitude FROM providers_postcode WHERE postcode = %s"), [postcode.upper()]
    )
    latitude, longitude = cursor.fetchone()
    return float(latitude), float(longitude)


def _tables(sql: str) -> str:
    for short, table in TABLES.items():
        sql = sql.replace(f"{short} ", f"{table} ")
    return sql


def _miles_sql(origin: tuple[float, float]) -> tuple[str, list[float]]:
    latitude, longitude = origin
    sql = (
        "(%s * asin(sqrt(least(power(sin((radians(p.latitude) - %s) / 2.0), 2.0) "
        "+ %s * cos(radians(p.latitude)) * power(sin((radians(p.longitude) - %s) / 2.0), 2.0), 1.0))))"
    )
    return sql, [
        2 * EARTH_RADIUS_MILES,
        math.radians(latitude),
        math.cos(math.radians(latitude)),
        math.radians(longitude),
    ]


def _tsquery(alternatives: list[tuple[str, ...]]) -> tuple[str, list[str]]:
    groups = [" || ".join(["websearch_to_tsquery('english', %s)"] * len(words)) for words in alternatives]
    return " && ".join(f"({group})" for group in groups), [word for words in alternatives for word in words]


def _statement(
    query: SearchQuery, alternatives: list[tuple[str, ...]], origin: tuple[float, float] | None
) -> tuple[str, list]:
    columns, where, params, order = ["d.id", "d.offer_id", "d.name"], [], [], []
    where_params: list = []
    if alternatives:
        tsquery, words = _tsquery(alternatives)
        columns.append(f"ts_rank_cd(d.search_vector, {tsquery}, 1) AS score")
        params += words
        where.append(f"d.search_vector @@ ({tsquery})")
        where_params += words
        order.append("score DESC")
    if origin is not None:
        miles, miles_params = _miles_sql(origin)
        columns.append(f"(SELECT min({miles}) FROM search_offerplace p WHERE p.document_id = d.id) AS distance")
        params += miles_params
        order.append("distance ASC NULLS LAST")
        if query.radius_miles is not None:
            box = _box(origin, query.radius_miles)
            where.append(
                "EXISTS (SELECT 1 FROM search_offerplace p WHERE p.document_id = d.id "
                f"AND p.latitude BETWEEN %s AND %s AND p.longitude BETWEEN %s AND %s AND {miles} <= %s)"
            )
            where_params += [*box, *miles_params, query.radius_miles]
    facets = {"category": query.categories, "need": query.needs}
    active = {name: values for name, values in facets.items() if values}
    for name, values in active.items():
        columns.append(
            f"d.id IN (SELECT document_id FROM search_offerkeyword WHERE facet = '{name}' "
            f"AND value = ANY(%s)) AS in_{name}"
        )
        params.append(list(values))
    source = "search_offerdocument d"
    if len(active) >= 2 and not where:
        # Every set counted lacks at most one facet filter, so lies within the union of the facets' offers.
        union = " UNION ".join(
            f"SELECT document_id FROM search_offerkeyword WHERE facet = '{name}' AND value = ANY(%s)" for name in active
        )
        source = f"({union}) c JOIN search_offerdocument d ON d.id = c.document_id"
        where_params = [list(values) for values in active.values()] + where_params
    ctes = [
        f"base AS (SELECT {', '.join(columns)}, d.minimum_age, d.maximum_age, d.checks_current_until, "
        f"d.provider_kind, d.has_capacity FROM {source}{' WHERE ' + ' AND '.join(where) if where else ''})",
        "m AS (SELECT * FROM base WHERE " + " AND ".join(["TRUE", *(f"in_{name}" for name in active)]) + ")",
    ]
    for name in active:
        others = [f"in_{other}" for other in active if other != name]
        ctes.append(f"ex_{name} AS (SELECT * FROM base WHERE {' AND '.join(['TRUE', *others])})")
    order_sql = ", ".join([*order, "name", "id"])
    start = (query.page - 1) * query.per_page
    selects = [
        f"SELECT 'page', '', offer_id::text, row_number() OVER (ORDER BY {order_sql}) FROM "
        f"(SELECT * FROM m ORDER BY {order_sql} LIMIT {query.per_page} OFFSET {start}) AS page",
        "SELECT 'total', '', '', count(*) FROM m",
        *_facet_selects(active, query.today),
    ]
    sql = f"WITH {', '.join(ctes)} " + " UNION ALL ".join(f"({select})" for select in selects)
    return sql, params + where_params


def _facet_selects(active: dict[str, tuple[str, ...]], today: date) -> list[str]:
    idle = [name for name in ("category", "need", "attending_type", "language") if name not in active]
    selects = [
        f"SELECT 'facet', k.facet, k.value, count(*) FROM search_offerkeyword k JOIN {sets} s ON s.id = k.document_id "
        f"WHERE k.facet IN ({', '.join(repr(name) for name in names)}) GROUP BY k.facet, k.value"
        for sets, names in [("m", idle), *((f"ex_{name}", [name]) for name in active)]
        if names
    ]
    bands = ", ".join(f"('{band.value}', {band.lowest}, {band.highest})" for band in AGE_BANDS)
    prices = " ".join(
        f"WHEN p.unit = '{band.unit}' AND p.amount >= {band.lowest}"
        + (f" AND p.amount < {band.below}" if band.below is not None else "")
        + f" THEN '{band.value}'"
        for band in PRICE_BANDS
    )
    selects += [
        f"SELECT 'facet', 'age', b.value, count(*) FROM m JOIN (VALUES {bands}) AS b(value, lowest, highest) "
        "ON m.minimum_age <= b.highest AND m.maximum_age >= b.lowest GROUP BY b.value",
        "SELECT 'facet', 'provider_kind', provider_kind, count(*) FROM m GROUP BY provider_kind",
        f"SELECT 'facet', 'dbs_checked', 'true', count(*) FILTER (WHERE checks_current_until >= '{today}') FROM m",
        "SELECT 'facet', 'has_capacity', 'true', count(*) FILTER (WHERE has_capacity) FROM m",
        "SELECT 'facet', 'day', s.weekday, count(DISTINCT s.document_id) FROM search_offerschedule s "
        "JOIN m ON m.id = s.document_id GROUP BY s.weekday",
        f"SELECT 'facet', 'price', band, count(DISTINCT document_id) FROM (SELECT p.document_id, CASE {prices} END "
        "AS band FROM search_offerprice p JOIN m ON m.id = p.document_id) AS priced "
        "WHERE band IS NOT NULL GROUP BY band",
        "SELECT 'facet', 'framework', f.framework_public_id::text, count(DISTINCT f.document_id) "
        f"FROM search_offerframework f JOIN m ON m.id = f.document_id WHERE f.starts_on <= '{today}' "
        f"AND f.ends_on >= '{today}' GROUP BY f.framework_public_id",
    ]
    return selects


def _box(origin: tuple[float, float], miles: float) -> list[float]:
    latitude, longitude = origin
    dlat = miles / MILES_PER_DEGREE
    dlon = miles / (MILES_PER_DEGREE * math.cos(math.radians(min(89.0, abs(latitude) + dlat))))
    return [latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon]
