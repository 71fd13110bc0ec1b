"""Facet counts turned into the lists of ``SearchResults.facets``, the same way for every backend: each
backend counts (aggregate queries, one statement, or Elasticsearch aggregations) and hands its counts
here, so that facet names, labels, order and which values show are the backends' contract, not copies.
"""

from providers.models import AttendingType, TaxonomyTerm, Weekday
from search.labels import language_name
from search.query import AGE_BANDS, FACETS, PRICE_BANDS, PROVIDER_KINDS, FacetValue

PROVIDER_KIND_LABELS = {"organisation": "Organisations", "personal_assistant": "Personal assistants"}

# Counts by facet, then by value (a price band's ``PriceBand.value``); labels likewise, for the
# facets whose labels come from the data (categories and needs from the taxonomy, framework names).
Counts = dict[str, dict[str, int]]
Labels = dict[str, dict[str, str]]


def facets_present(counts: Counts, labels: Labels) -> dict[str, list[FacetValue]]:
    """The facets in order, each value with its label and count. Fixed lists include values with no
    offers; open lists (categories, needs, languages, price bands, frameworks) only values with some."""

    def of(name: str) -> dict[str, int]:
        return counts.get(name, {})

    facets = {
        "category": _by_count(of("category"), labels.get("category", {})),
        "need": _by_count(of("need"), labels.get("need", {})),
        "language": _by_count(of("language"), {code: language_name(code) for code in of("language")}),
        "framework": _by_count(of("framework"), labels.get("framework", {})),
        "attending_type": [
            FacetValue(value, str(label), of("attending_type").get(value, 0)) for value, label in AttendingType.choices
        ],
        "age": [FacetValue(band.value, band.label, of("age").get(band.value, 0)) for band in AGE_BANDS],
        "dbs_checked": [FacetValue("true", "DBS checked", of("dbs_checked").get("true", 0))],
        "provider_kind": [
            FacetValue(kind, PROVIDER_KIND_LABELS[kind], of("provider_kind").get(kind, 0)) for kind in PROVIDER_KINDS
        ],
        "has_capacity": [FacetValue("true", "Has places or hours free now", of("has_capacity").get("true", 0))],
        "day": [FacetValue(day, str(label), of("day").get(day, 0)) for day, label in Weekday.choices],
        "price": [
            FacetValue(band.value, band.label, of("price")[band.value])
            for band in PRICE_BANDS
            if of("price").get(band.value)
        ],
    }
    return {name: facets[name] for name in FACETS}


def _by_count(counts: dict[str, int], labels: dict[str, str]) -> list[FacetValue]:
    values = [FacetValue(value, labels.get(value, value), count) for value, count in counts.items()]
    return sorted(values, key=lambda value: (-value.count, value.label))


def term_names(kind: str, codes: dict[str, int]) -> dict[str, str]:
    if not codes:
        return {}
    return dict(TaxonomyTerm.objects.filter(taxonomy__kind=kind, code__in=list(codes)).values_list("code", "name"))
