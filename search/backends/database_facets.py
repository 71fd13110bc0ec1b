"""Facet counts for the database backend: counted with aggregate queries, then presented.

A facet is counted over the documents matching every filter except its own. On SQLite
(``facet_counts``), facets whose own filter is not in use share the same documents, so they are
counted together: one query for the keyword facets, one for the document facets, and one each for
days, price bands and frameworks, plus one per facet whose filter is in use. PostgreSQL counts them
all in the search's one statement (``search.backends.database_statement``). Both hand their counts
to ``search.backends.facet_values.facets_present``, which turns them into the lists of
``SearchResults.facets``, as it does for the Elasticsearch backend.
"""

from django.db.models import Count, IntegerField, Max, Q, QuerySet
from django.db.models.expressions import RawSQL

from search.backends.database_filters import FilterPlan, current_frameworks, time_window
from search.backends.facet_values import Counts, facets_present, term_names
from search.models import OfferDocument, OfferFramework, OfferKeyword, OfferPrice, OfferSchedule
from search.query import AGE_BANDS, PRICE_BANDS, PROVIDER_KINDS, FacetValue

KEYWORD_FACETS = {
    "category": OfferKeyword.Facet.CATEGORY,
    "need": OfferKeyword.Facet.NEED,
    "attending_type": OfferKeyword.Facet.ATTENDING_TYPE,
    "language": OfferKeyword.Facet.LANGUAGE,
}
DOCUMENT_FACETS = ("age", "dbs_checked", "provider_kind", "has_capacity")


def facet_counts(plan: FilterPlan) -> dict[str, list[FacetValue]]:
    counts: Counts = {}
    counts.update(_keyword_counts(plan))
    counts.update(_document_counts(plan))
    counts["day"] = _day_counts(plan)
    counts["price"] = _price_counts(plan)
    counts["framework"], framework_names = _framework_counts(plan)
    labels = {
        "category": term_names("service_category", counts["category"]),
        "need": term_names("need", counts["need"]),
        "framework": framework_names,
    }
    return facets_present(counts, labels)


def _groups(plan: FilterPlan, names: tuple[str, ...]) -> list[tuple[tuple[str, ...], str | None]]:
    """Facets to count together, with the facet whose filter is left out of the documents they count."""
    idle = tuple(name for name in names if not plan.is_active(name))
    groups: list[tuple[tuple[str, ...], str | None]] = [((name,), name) for name in names if plan.is_active(name)]
    if idle:
        groups.append((idle, None))
    return groups


def _keyword_counts(plan: FilterPlan) -> Counts:
    counts: Counts = {name: {} for name in KEYWORD_FACETS}
    by_facet = {facet: name for name, facet in KEYWORD_FACETS.items()}
    for names, excluding in _groups(plan, tuple(KEYWORD_FACETS)):
        keywords = OfferKeyword.objects.filter(facet__in=[KEYWORD_FACETS[name] for name in names])
        rows = (
            _of_documents(keywords, plan, excluding=excluding)
            .values("facet", "value")
            .annotate(count=Count("document_id"))
            .order_by()
        )
        for row in rows:
            counts[by_facet[row["facet"]]][row["value"]] = row["count"]
    return counts


def _document_counts(plan: FilterPlan) -> Counts:
    today = plan.query.today
    aggregates = {
        "age": {
            band.value: _count(Q(minimum_age__lte=band.highest, maximum_age__gte=band.lowest)) for band in AGE_BANDS
        },
        "dbs_checked": {"true": _count(Q(checks_current_until__gte=today))},
        "provider_kind": {kind: _count(Q(provider_kind=kind)) for kind in PROVIDER_KINDS},
        "has_capacity": {"true": _count(Q(has_capacity=True))},
    }
    counts: Counts = {}
    for names, excluding in _groups(plan, DOCUMENT_FACETS):
        documents = OfferDocument.objects.all()
        if plan.conditions:
            documents = documents.filter(pk__in=plan.document_ids_sql(excluding=excluding))
        # Aggregate names must be identifiers: number them, and read each back under its facet and value.
        keys = [(name, value) for name in names for value in aggregates[name]]
        totals = documents.aggregate(**{f"n{i}": aggregates[name][value] for i, (name, value) in enumerate(keys)})
        for i, (name, value) in enumerate(keys):
            counts.setdefault(name, {})[value] = totals[f"n{i}"]
    return counts


def _day_counts(plan: FilterPlan) -> dict[str, int]:
    # With a time window, a day counts only the offers running on it within the window.
    rows = (
        _of_documents(OfferSchedule.objects.filter(time_window(plan.query)), plan, excluding="day")
        .values("weekday")
        .annotate(count=Count("document_id", distinct=True))
        .order_by()
    )
    return {row["weekday"]: row["count"] for row in rows}


def _price_counts(plan: FilterPlan) -> dict[str, int]:
    # Bands of one unit do not overlap, so each price falls in one band: one grouped count, not one per band.
    rows = (
        _of_documents(OfferPrice.objects.all(), plan, excluding="price")
        .annotate(band=RawSQL(*_PRICE_BAND_SQL, output_field=IntegerField()))  # noqa: S611 (fixed SQL, parameters apart)
        .values("band")
        .annotate(count=Count("document_id", distinct=True))
        .order_by()
    )
    return {PRICE_BANDS[row["band"]].value: row["count"] for row in rows if row["band"] is not None}


def _price_band_sql() -> tuple[str, tuple[object, ...]]:
    """The band number of a price, as SQL written once: the bands are fixed, and building them as
    expressions for every search cost more than the query itself."""
    table = OfferPrice._meta.db_table
    unit, amount = f'"{table}"."unit"', f'"{table}"."amount"'
    cases, params = [], []
    for number, band in enumerate(PRICE_BANDS):
        below = f" AND {amount} < %s" if band.below is not None else ""
        cases.append(f"WHEN {unit} = %s AND {amount} >= %s{below} THEN {number}")
        params += [band.unit, band.lowest, *([band.below] if band.below is not None else [])]
    return f"CASE {' '.join(cases)} END", tuple(params)


_PRICE_BAND_SQL = _price_band_sql()


def _framework_counts(plan: FilterPlan) -> tuple[dict[str, int], dict[str, str]]:
    rows = (
        _of_documents(OfferFramework.objects.filter(current_frameworks(plan.query.today)), plan, excluding="framework")
        .values("framework_public_id")
        .annotate(count=Count("document_id", distinct=True), name=Max("name"))
        .order_by()
    )
    counts = {str(row["framework_public_id"]): row["count"] for row in rows}
    names = {str(row["framework_public_id"]): row["name"] for row in rows}
    return counts, names


def _of_documents(rows: QuerySet, plan: FilterPlan, *, excluding: str | None) -> QuerySet:
    """Child rows of the documents matching every filter but one facet's."""
    # Documents with no condition at all are every document: no need to ask the database to check.
    if not [name for name in plan.conditions if name != excluding]:
        return rows
    return rows.filter(document_id__in=plan.document_ids_sql(excluding=excluding))


def _count(condition: Q) -> Count:
    return Count("pk", filter=condition)
