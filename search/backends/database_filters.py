"""A query's filters as SQL conditions on OfferDocument, one per facet, so that each facet can be
counted with every filter but its own (``FilterPlan.documents(excluding=...)``)."""

from datetime import date

from django.db.models import Exists, FloatField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from search.geo import Origin, bounding_box, miles_from
from search.models import (
    OfferCoverage,
    OfferDocument,
    OfferFramework,
    OfferKeyword,
    OfferPlace,
    OfferPrice,
    OfferSchedule,
)
from search.query import SearchQuery


def within(origin: Origin, miles: float) -> Q:
    places = (
        OfferPlace.objects.filter(document=OuterRef("pk"))
        .filter(bounding_box(origin, miles))
        .annotate(miles=miles_from(origin))
        .filter(miles__lte=miles)
    )
    return Q(Exists(places))


def nearest_miles(origin: Origin) -> Subquery:
    places = (
        OfferPlace.objects.filter(document=OuterRef("pk"))
        .annotate(miles=miles_from(origin))
        .order_by("miles")
        .values("miles")[:1]
    )
    return Subquery(places, output_field=FloatField())


def comes_to(origin: Origin) -> Q:
    covers = Q(kind=OfferCoverage.Kind.DISTRICT, code=origin.district)
    if origin.council_code:
        covers |= Q(kind=OfferCoverage.Kind.COUNCIL, code=origin.council_code)
    return Q(Exists(OfferCoverage.objects.filter(covers, document=OuterRef("pk"))))


def keyword(facet: str, values: tuple[str, ...]) -> Q:
    return Q(Exists(OfferKeyword.objects.filter(document=OuterRef("pk"), facet=facet, value__in=values)))


def time_window(query: SearchQuery) -> Q:
    """Schedule spans that overlap the query's time window (all spans when it has none)."""
    overlaps = Q()
    if query.time_to:
        overlaps &= Q(opens_at__lt=query.time_to)
    if query.time_from:
        overlaps &= Q(closes_at__gt=query.time_from)
    return overlaps


def runs_when(query: SearchQuery) -> Q:
    spans = OfferSchedule.objects.filter(time_window(query), document=OuterRef("pk"))
    if query.days:
        spans = spans.filter(weekday__in=query.days)
    return Q(Exists(spans))


def current_frameworks(today: date) -> Q:
    return Q(starts_on__lte=today, ends_on__gte=today)


def on_framework(query: SearchQuery) -> Q:
    frameworks = OfferFramework.objects.filter(current_frameworks(query.today), document=OuterRef("pk"))
    if query.framework:
        frameworks = frameworks.filter(framework_public_id=query.framework)
    return Q(Exists(frameworks))


def priced_within(query: SearchQuery) -> Q:
    prices = OfferPrice.objects.filter(document=OuterRef("pk"), unit=query.price_unit, amount__lte=query.price_max)
    return Q(Exists(prices))


class FilterPlan:
    """The conditions a query puts on documents, named by the facet each belongs to ("text" and
    "place" belong to none, so they always apply)."""

    def __init__(self, query: SearchQuery, origin: Origin | None, text_condition: Q | None) -> None:
        self.query = query
        self.origin = origin
        self.conditions = _conditions(query, origin, text_condition)
        self._document_ids_sql: dict[str | None, RawSQL] = {}

    def is_active(self, facet: str) -> bool:
        return facet in self.conditions

    def documents(self, *, excluding: str | None = None) -> QuerySet[OfferDocument]:
        conditions = [condition for name, condition in self.conditions.items() if name != excluding]
        return OfferDocument.objects.filter(*conditions)

    def document_ids_sql(self, *, excluding: str | None = None) -> RawSQL:
        """The ids of ``documents(excluding=...)`` as SQL, compiled once per search.

        Facet queries each filter their rows by one of these sets; several share one. Compiling the
        conditions (word search, distance) is most of a facet query's cost in Python, so it is done once.
        """
        key = excluding if self.is_active(excluding or "") else None
        if key not in self._document_ids_sql:
            sql, params = self.documents(excluding=key).values("pk").order_by().query.sql_with_params()
            # Django compiled this SQL with its parameters kept apart: nothing from the query is spliced in.
            self._document_ids_sql[key] = RawSQL(sql, params)  # noqa: S611
        return self._document_ids_sql[key]


def _conditions(query: SearchQuery, origin: Origin | None, text_condition: Q | None) -> dict[str, Q]:
    optional: dict[str, Q | None] = {
        "text": text_condition,
        "place": _place_condition(query, origin),
        "category": keyword(OfferKeyword.Facet.CATEGORY, query.categories) if query.categories else None,
        "need": keyword(OfferKeyword.Facet.NEED, query.needs) if query.needs else None,
        "age": Q(minimum_age__lte=query.age, maximum_age__gte=query.age) if query.age is not None else None,
        "attending_type": (
            keyword(OfferKeyword.Facet.ATTENDING_TYPE, query.attending_types) if query.attending_types else None
        ),
        "day": runs_when(query) if (query.days or query.time_from or query.time_to) else None,
        "price": priced_within(query) if query.price_max is not None else None,
        "dbs_checked": Q(checks_current_until__gte=query.today) if query.dbs_checked_only else None,
        "framework": on_framework(query) if query.wants_framework else None,
        "provider_kind": Q(provider_kind=query.provider_kind) if query.provider_kind else None,
        "language": keyword(OfferKeyword.Facet.LANGUAGE, query.languages) if query.languages else None,
        "has_capacity": Q(has_capacity=True) if query.has_capacity else None,
    }
    return {name: condition for name, condition in optional.items() if condition is not None}


def _place_condition(query: SearchQuery, origin: Origin | None) -> Q | None:
    if origin is None:
        return None
    if query.comes_to_home:
        return comes_to(origin)
    if query.radius_miles is not None:
        return within(origin, query.radius_miles)
    return None
