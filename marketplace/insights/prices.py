"""Prices: what providers in the council's market charge per unit, and what budget holders paid.

Percentiles are computed two ways on purpose. PostgreSQL computes them itself (``percentile_cont``, one
grouped query whatever the number of offers). SQLite has no percentile function, so there the same grouped
query returns the sorted amounts and ``percentile_of`` interpolates exactly as ``percentile_cont`` does
(linearly between the two nearest values). Tests check that both paths give the same answers on the same data.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import Aggregate, Count, DecimalField, F, FloatField, Max, Min, Q, QuerySet
from django.urls import reverse

from brokerage.models import FundingStream
from marketplace.insights.scope import InsightScope, council_offers
from marketplace.models import Order, OrderStatus
from providers.models import CostOption, CostUnit, FrameworkLot, OfferStatus, OfferVersion, TaxonomyTerm

PENNY = Decimal("0.01")
QUARTILES = (Decimal("0.25"), Decimal("0.5"), Decimal("0.75"))
# Beyond this many interquartile ranges below the lower or above the upper quartile, a price is an outlier
# (Tukey's fences).
OUTLIER_IQR = Decimal("1.5")
UNIT_LABELS = dict(CostUnit.choices)
# Orders that were agreed: what a budget holder actually pays. Placed, declined and cancelled orders were not.
PAID_ORDER_STATUSES = (OrderStatus.ACCEPTED, OrderStatus.CHANGE_PROPOSED, OrderStatus.COMPLETED)


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate ``percentile_cont(ARRAY[fractions]) WITHIN GROUP (ORDER BY expression)``:
    every fraction from one sort of the group."""

    function = "percentile_cont"
    template = "%(function)s(ARRAY[%(fractions)s]::float8[]) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = ArrayField(FloatField())

    def __init__(self, expression, fractions: Iterable[Decimal], **extra):  # type: ignore[no-untyped-def]
        super().__init__(expression, fractions=", ".join(str(float(fraction)) for fraction in fractions), **extra)


@dataclass(frozen=True)
class Distribution:
    """Prices per one unit kind in one category."""

    category: str
    category_id: int
    unit: str
    count: int
    minimum: Decimal
    lower_quartile: Decimal
    median: Decimal
    upper_quartile: Decimal
    maximum: Decimal

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS.get(self.unit, self.unit)

    @property
    def fences(self) -> tuple[Decimal, Decimal]:
        spread = (self.upper_quartile - self.lower_quartile) * OUTLIER_IQR
        return self.lower_quartile - spread, self.upper_quartile + spread


@dataclass(frozen=True)
class Outlier:
    category: str
    unit: str
    amount: Decimal
    offer_name: str
    provider: str
    url: str
    low: bool

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS.get(self.unit, self.unit)


@dataclass(frozen=True)
class LotRate:
    category_id: int
    framework: str
    lot: str
    rate: Decimal
    unit: str


@dataclass
class PriceFigures:
    offered: list[Distribution] = field(default_factory=list)
    paid: list[Distribution] = field(default_factory=list)
    outliers: list[Outlier] = field(default_factory=list)
    lot_rates: dict[int, list[LotRate]] = field(default_factory=dict)
    price_points: list[FundingStream] = field(default_factory=list)


def percentile_of(ordered: list[Decimal], fraction: Decimal) -> Decimal:
    """``percentile_cont`` of sorted values: linear interpolation between the two nearest ranks."""
    position = fraction * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


# Prices are in pennies and the quartiles interpolate at quarters, so an exact quartile has at most four
# decimal places; PostgreSQL's percentile_cont answers in floating point (13.684999… for 13.685), which six
# places put back to the exact value before it is rounded to the penny like the portable path's.
FLOAT_PLACES = 6


def _penny(value: Decimal | float) -> Decimal:
    if isinstance(value, float):
        value = round(value, FLOAT_PLACES)
    return Decimal(str(value)).quantize(PENNY, rounding=ROUND_HALF_UP)


def offered_prices(scope: InsightScope) -> QuerySet[CostOption]:
    """Every price of a published offer in the council's market (``scope.council_offers``, written here as joins
    from the price rather than a subquery of offers, which would read every offer twice), once per category of the
    offer."""
    council = scope.council
    return CostOption.objects.filter(
        Q(version__live_for__organisation__council=council) | Q(version__live_for__personal_assistant__council=council),
        version__live_for__status=OfferStatus.PUBLISHED,
    ).annotate(category_id=F("version__categories"), category=F("version__categories__name"))


def paid_rates(scope: InsightScope) -> QuerySet[Order]:
    """Rates of the council's agreed orders placed in the period, once per category of the offer ordered."""
    return Order.objects.filter(
        person__council=scope.council,
        status__in=PAID_ORDER_STATUSES,
        placed_at__date__range=(scope.starts_on, scope.ends_on),
    ).annotate(
        amount=F("rate"),
        category_id=F("offer__live_version__categories"),
        category=F("offer__live_version__categories__name"),
    )


def distributions(rows: QuerySet, *, in_database: bool | None = None) -> list[Distribution]:  # type: ignore[type-arg]
    """Count, quartiles, minimum and maximum of ``amount`` per category and unit: one query either way."""
    if in_database is None:
        in_database = connection.vendor == "postgresql"
    rows = rows.exclude(category_id=None)
    if in_database:
        return _distributions_in_database(rows)
    return _distributions_portable(rows)


def _distributions_in_database(rows: QuerySet) -> list[Distribution]:  # type: ignore[type-arg]
    """Grouped by category id and unit only (narrow rows sort in memory), the names looked up afterwards."""
    grouped = list(
        rows.values("category_id", "unit")
        .annotate(
            count=Count("pk"),
            minimum=Min("amount", output_field=DecimalField()),
            maximum=Max("amount", output_field=DecimalField()),
            quartiles=PercentileCont("amount", QUARTILES),
        )
        .order_by()
    )
    names = dict(TaxonomyTerm.objects.filter(pk__in={row["category_id"] for row in grouped}).values_list("pk", "name"))
    distributions = [
        _distribution(
            names[row["category_id"]],
            row["category_id"],
            row["unit"],
            row["count"],
            row["minimum"],
            row["maximum"],
            row["quartiles"],
        )
        for row in grouped
    ]
    return sorted(distributions, key=lambda row: (row.category, row.unit))


def _distribution(
    category: str,
    category_id: int,
    unit: str,
    count: int,
    minimum: Decimal,
    maximum: Decimal,
    quartiles: list[float],
) -> Distribution:
    """A group of PostgreSQL's answer, its quartiles from ``percentile_cont``."""
    return Distribution(
        category=category,
        category_id=category_id,
        unit=unit,
        count=count,
        minimum=_penny(minimum),
        lower_quartile=_penny(quartiles[0]),
        median=_penny(quartiles[1]),
        upper_quartile=_penny(quartiles[2]),
        maximum=_penny(maximum),
    )


def _distributions_portable(rows: QuerySet) -> list[Distribution]:  # type: ignore[type-arg]
    amounts: dict[tuple[int, str, str], list[Decimal]] = defaultdict(list)
    for category_id, category, unit, amount in rows.values_list("category_id", "category", "unit", "amount").order_by(
        "category", "unit", "amount"
    ):
        amounts[(category_id, category, unit)].append(Decimal(amount))
    return [
        Distribution(
            category=category,
            category_id=category_id,
            unit=unit,
            count=len(ordered),
            minimum=_penny(ordered[0]),
            lower_quartile=_penny(percentile_of(ordered, QUARTILES[0])),
            median=_penny(percentile_of(ordered, QUARTILES[1])),
            upper_quartile=_penny(percentile_of(ordered, QUARTILES[2])),
            maximum=_penny(ordered[-1]),
        )
        for (category_id, category, unit), ordered in amounts.items()
    ]


def outliers(
    scope: InsightScope, offered: Iterable[Distribution], candidates: Iterable[int] | None = None
) -> list[Outlier]:
    """Prices beyond the fences of their category and unit, in one query for every group: among all the council's
    prices, or only among ``candidates`` (price ids that ``offered_with_outliers`` found near or beyond them)."""
    offered = list(offered)
    fences = {(group.category_id, group.unit): group.fences for group in offered}
    if candidates is None:
        beyond = Q(pk__in=[])
        for group in offered:
            low, high = group.fences
            same = Q(category_id=group.category_id, unit=group.unit)
            beyond |= same & (Q(amount__lt=low) | Q(amount__gt=high))
    else:
        beyond = Q(pk__in=list(candidates))
    rows = (
        offered_prices(scope)
        .filter(beyond)
        .values(
            "category",
            "category_id",
            "unit",
            "amount",
            "version__name",
            "version__live_for__public_id",
            "version__live_for__organisation__name",
            "version__live_for__personal_assistant__display_name",
        )
        .order_by("category", "unit", "amount")
    )
    found = []
    for row in rows:
        low, high = fences.get((row["category_id"], row["unit"]), (None, None))
        if low is None or low <= row["amount"] <= high:
            continue  # a candidate inside the fences, or a price of the offer in another category
        found.append(
            Outlier(
                category=row["category"],
                unit=row["unit"],
                amount=_penny(row["amount"]),
                offer_name=row["version__name"],
                provider=row["version__live_for__organisation__name"]
                or row["version__live_for__personal_assistant__display_name"],
                url=reverse("providers:public-offer", args=[row["version__live_for__public_id"]]),
                low=row["amount"] < low,
            )
        )
    return found


# Distributions of the offered prices and the ids of the prices near or beyond their fences, in one statement that
# reads the council's prices once (``prices``, kept for both uses): each price of a live version of a published
# offer of the council's market, once per category of the version, joined straight from the price to its
# version's categories (the versions themselves are not read). The fences are worked out once per group
# (``fences``, materialised: inlined, the array of quartiles was taken apart again for each of 100,000 prices)
# from the quartiles in floating point, before they are rounded to the penny, so they may be up to 4p away from
# the exact fences (2.5 times the lower quartile's rounding and 1.5 times the upper's, each at most half a penny);
# widening them by CANDIDATE_MARGIN makes the candidates a superset of the outliers, and ``outliers`` keeps those
# beyond the exact fences.
CANDIDATE_MARGIN = Decimal("0.05")
_OFFERED_SQL = """
WITH prices (id, category_id, unit, amount) AS MATERIALIZED (
    SELECT price.id, category.{category}, price.unit, price.amount
    FROM {prices} AS price JOIN {categories} AS category ON category.{version} = price.version_id
    WHERE price.version_id IN ({live_versions})
),
groups AS (
    SELECT category_id, unit, COUNT(*) AS count, MIN(amount) AS minimum, MAX(amount) AS maximum,
        percentile_cont(ARRAY[{fractions}]::float8[]) WITHIN GROUP (ORDER BY amount) AS quartiles
    FROM prices
    GROUP BY category_id, unit
),
fences AS MATERIALIZED (
    SELECT category_id, unit,
        (quartiles[1] - (quartiles[3] - quartiles[1]) * %s + %s)::numeric AS low,
        (quartiles[3] + (quartiles[3] - quartiles[1]) * %s - %s)::numeric AS high
    FROM groups
),
candidates AS (
    SELECT prices.category_id, prices.unit, array_agg(prices.id) AS ids
    FROM prices JOIN fences ON fences.category_id = prices.category_id AND fences.unit = prices.unit
    WHERE prices.amount < fences.low OR prices.amount > fences.high
    GROUP BY prices.category_id, prices.unit
)
SELECT term.name, groups.category_id, groups.unit, groups.count, groups.minimum, groups.maximum, groups.quartiles,
    candidates.ids
FROM groups JOIN {terms} AS term ON term.id = groups.category_id
    LEFT JOIN candidates ON candidates.category_id = groups.category_id AND candidates.unit = groups.unit
"""


def _offered_sql(scope: InsightScope) -> tuple[str, list]:  # type: ignore[type-arg]
    live_versions, params = (
        council_offers(scope.council).filter(status=OfferStatus.PUBLISHED).values("live_version_id").order_by()
    ).query.sql_with_params()
    through = OfferVersion.categories.through
    quote = connection.ops.quote_name
    sql = _OFFERED_SQL.format(
        prices=quote(CostOption._meta.db_table),
        terms=quote(TaxonomyTerm._meta.db_table),
        categories=quote(through._meta.db_table),
        category=quote(through._meta.get_field("taxonomyterm").column),
        version=quote(through._meta.get_field("offerversion").column),
        live_versions=live_versions,
        fractions=", ".join(str(float(fraction)) for fraction in QUARTILES),
    )
    return sql, [*params, *[OUTLIER_IQR, CANDIDATE_MARGIN] * 2]


def offered_with_outliers(
    scope: InsightScope, *, in_database: bool | None = None
) -> tuple[list[Distribution], list[Outlier]]:
    """The distributions of the prices offered (as ``distributions(offered_prices(scope))``) and their outliers.
    On PostgreSQL the prices are read once for both (``_OFFERED_SQL``) and only the candidates' offers are looked
    up; elsewhere the distributions are worked out in Python and the outliers found by a second query, with the
    same answers."""
    if in_database is None:
        in_database = connection.vendor == "postgresql"
    if not in_database:
        offered = distributions(offered_prices(scope), in_database=False)
        return offered, outliers(scope, offered)
    with connection.cursor() as cursor:
        cursor.execute(*_offered_sql(scope))
        grouped = cursor.fetchall()
    offered = sorted(
        (
            _distribution(name, category_id, unit, count, minimum, maximum, quartiles)
            for name, category_id, unit, count, minimum, maximum, quartiles, _ in grouped
        ),
        key=lambda row: (row.category, row.unit),
    )
    candidates = {price for *_, ids in grouped for price in ids or ()}
    return offered, outliers(scope, offered, candidates) if candidates else []


def lot_rates(scope: InsightScope) -> dict[int, list[LotRate]]:
    """The rates of the lots of the council's frameworks running during the period, by category."""
    rows = (
        FrameworkLot.objects.filter(
            framework__council=scope.council,
            framework__starts_on__lte=scope.ends_on,
            framework__ends_on__gte=scope.starts_on,
            rate__isnull=False,
            categories__isnull=False,
        )
        .values("categories", "framework__name", "number", "name", "rate", "rate_unit")
        .order_by("framework__name", "number")
    )
    rates: dict[int, list[LotRate]] = defaultdict(list)
    for row in rows:
        rates[row["categories"]].append(
            LotRate(
                category_id=row["categories"],
                framework=row["framework__name"],
                lot=f"Lot {row['number']}: {row['name']}",
                rate=row["rate"],
                unit=row["rate_unit"],
            )
        )
    return dict(rates)


def price_points(scope: InsightScope) -> list[FundingStream]:
    """The council's RAS price points (pounds per assessment point) for the year, per funding stream."""
    return list(
        FundingStream.objects.filter(
            council=scope.council, financial_year=scope.year, price_per_point__isnull=False
        ).order_by("name")
    )


def price_figures(scope: InsightScope) -> PriceFigures:
    offered, beyond = offered_with_outliers(scope)
    return PriceFigures(
        offered=offered,
        paid=distributions(paid_rates(scope)),
        outliers=beyond,
        lot_rates=lot_rates(scope),
        price_points=price_points(scope),
    )
