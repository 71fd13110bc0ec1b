"""Facet counts for the database backend, each an aggregate query.

A facet is counted over the documents matching every filter except its own. Facets whose own filter
is not in use share the same documents, so they are counted together: one query for the keyword
facets, one for the document facets, and one each for days, price bands and frameworks, plus one per
facet whose filter is in use.
"""

from django.db.models import Count, IntegerField, Max, Q, QuerySet
from django.db.models.expressions import RawSQL

from providers.models import AttendingType, TaxonomyTerm, Weekday
from search.backends.database_filters import FilterPlan, current_frameworks, time_window
from search.labels import language_name
from search.models import OfferDocument, OfferFramework, OfferKeyword, OfferPrice, OfferSchedule
from search.query import AGE_BANDS, FACETS, PRICE_BANDS, PROVIDER_KINDS, FacetValue

KEYWORD_FACETS = {
    "category": OfferKeyword.Facet.CATEGORY,
    "need": OfferKeyword.Facet.NEED,
    "attending_type": OfferKeyword.Facet.ATTENDING_TYPE,
    "language": OfferKeyword.Facet.LANGUAGE,
}
DOCUMENT_FACETS = ("age", "dbs_checked", "provider_kind", "has_capacity")
PROVIDER_KIND_LABELS = {"organisation": "Organisations", "personal_assistant": "Personal assistants"}


def facet_counts(plan: FilterPlan) -> dict[str, list[FacetValue]]:
    facets: dict[str, list[FacetValue]] = {}
    facets.update(_keyword_facets(plan))
    facets.update(_document_facets(plan))
    facets["day"] = _day_facet(plan)
    facets["price"] = _price_facet(plan)
    facets["framework"] = _framework_facet(plan)
    return {name: facets[name] for name in FACETS}


def _groups(plan: FilterPlan, names: tuple[str, ...]) -> list[tuple[tuple[str, ...], str | None]]:
    """Facets to count together, with the facet whose filter is left out of the documents they count."""
    idle = tuple(name for name in names if not plan.is_active(name))
    groups: list[tuple[tuple[str, ...], str | None]] = [((name,), name) for name in names if plan.is_active(name)]
    if idle:
        groups.append((idle, None))
    return groups


def _keyword_facets(plan: FilterPlan) -> dict[str, list[FacetValue]]:
    counts: dict[str, dict[str, int]] = {name: {} for name in KEYWORD_FACETS}
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
    labels = {
        "category": _term_names("service_category", counts["category"]),
        "need": _term_names("need", counts["need"]),
        "language": {code: language_name(code) for code in counts["language"]},
    }
    facets = {name: _by_count(counts[name], labels[name]) for name in labels}
    facets["attending_type"] = [
        FacetValue(value, str(label), counts["attending_type"].get(value, 0)) for value, label in AttendingType.choices
    ]
    return facets


def _document_facets(plan: FilterPlan) -> dict[str, list[FacetValue]]:
    today = plan.query.today
    aggregates = {
        "age": {
            f"age_{i}": _count(Q(minimum_age__lte=b.highest, maximum_age__gte=b.lowest))
            for i, b in enumerate(AGE_BANDS)
        },
        "dbs_checked": {"dbs_checked": _count(Q(checks_current_until__gte=today))},
        "provider_kind": {f"kind_{kind}": _count(Q(provider_kind=kind)) for kind in PROVIDER_KINDS},
        "has_capacity": {"has_capacity": _count(Q(has_capacity=True))},
    }
    totals: dict[str, int] = {}
    for names, excluding in _groups(plan, DOCUMENT_FACETS):
        documents = OfferDocument.objects.all()
        if plan.conditions:
            documents = documents.filter(pk__in=plan.document_ids_sql(excluding=excluding))
        totals.update(documents.aggregate(**{key: value for name in names for key, value in aggregates[name].items()}))
    return {
        "age": [FacetValue(band.value, band.label, totals[f"age_{i}"]) for i, band in enumerate(AGE_BANDS)],
        "dbs_checked": [FacetValue("true", "DBS checked", totals["dbs_checked"])],
        "provider_kind": [
            FacetValue(kind, PROVIDER_KIND_LABELS[kind], totals[f"kind_{kind}"]) for kind in PROVIDER_KINDS
        ],
        "has_capacity": [FacetValue("true", "Has places or hours free now", totals["has_capacity"])],
    }


def _day_facet(plan: FilterPlan) -> list[FacetValue]:
    # With a time window, a day counts only the offers running on it within the window.
    rows = (
        _of_documents(OfferSchedule.objects.filter(time_window(plan.query)), plan, excluding="day")
        .values("weekday")
        .annotate(count=Count("document_id", distinct=True))
        .order_by()
    )
    counts = {row["weekday"]: row["count"] for row in rows}
    return [FacetValue(day, str(label), counts.get(day, 0)) for day, label in Weekday.choices]


def _price_facet(plan: FilterPlan) -> list[FacetValue]:
    # Bands of one unit do not overlap, so each price falls in one band: one grouped count, not one per band.
    rows = (
        _of_documents(OfferPrice.objects.all(), plan, excluding="price")
        .annotate(band=RawSQL(*_PRICE_BAND_SQL, output_field=IntegerField()))  # noqa: S611 (fixed SQL, parameters apart)
        .values("band")
        .annotate(count=Count("document_id", distinct=True))
        .order_by()
    )
    counts = {row["band"]: row["count"] for row in rows}
    return [FacetValue(b.value, b.label, counts[i]) for i, b in enumerate(PRICE_BANDS) if counts.get(i)]


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


def _framework_facet(plan: FilterPlan) -> list[FacetValue]:
    rows = (
        _of_documents(OfferFramework.objects.filter(current_frameworks(plan.query.today)), plan, excluding="framework")
        .values("framework_public_id")
        .annotate(count=Count("document_id", distinct=True), name=Max("name"))
        .order_by()
    )
    return sorted(
        (FacetValue(str(row["framework_public_id"]), row["name"], row["count"]) for row in rows),
        key=lambda value: (-value.count, value.label),
    )


def _of_documents(rows: QuerySet, plan: FilterPlan, *, excluding: str | None) -> QuerySet:
    """Child rows of the documents matching every filter but one facet's."""
    # Documents with no condition at all are every document: no need to ask the database to check.
    if not [name for name in plan.conditions if name != excluding]:
        return rows
    return rows.filter(document_id__in=plan.document_ids_sql(excluding=excluding))


def _count(condition: Q) -> Count:
    return Count("pk", filter=condition)


def _by_count(counts: dict[str, int], labels: dict[str, str]) -> list[FacetValue]:
    values = [FacetValue(value, labels.get(value, value), count) for value, count in counts.items()]
    return sorted(values, key=lambda value: (-value.count, value.label))


def _term_names(kind: str, codes: dict[str, int]) -> dict[str, str]:
    if not codes:
        return {}
    return dict(TaxonomyTerm.objects.filter(taxonomy__kind=kind, code__in=list(codes)).values_list("code", "name"))
