"""Supply against demand: who can give each kind of support in each postcode district, against the signs that
families could not get it, ranked into gaps, placed on a dot map and counted by month.

- **Supply**: published offers of the council's market (``scope.council_offers``) whose service areas name the
  district or the whole council area, the same coverage rule as the frameworks section, over the same districts
  (``frameworks.council_districts``). A provider organisation or personal assistant counts once per category and
  district however many offers it has there. **Capacity** is what offers record as free now: ``capacity_places``
  (places) and ``capacity_hours`` (hours a week); a provider "has capacity" when one of its offers there records
  either above zero.
- **Demand** in the financial year, four kinds of signal: searches that found fewer than 3 offers and PA adverts
  nobody answered (``search.DemandSignal``), orders the provider declined (an enquiry cannot be declined, and a
  decline records a free-text reason rather than "no capacity", so every decline counts), and provider lines of
  approved plans with no order placed within ``PLAN_LINE_UNORDERED_DAYS`` of approval that is still live or
  completed.
- **Gaps** are the (category, district) pairs with demand, ranked: pairs nobody supplies first, by demand;
  then by demand signals per available provider, highest first.

Every figure is one aggregate or one flat query for the whole council, whatever the number of offers or signals.
"""

import datetime
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count, Min, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from brokerage.models import PlanLine
from marketplace.insights.frameworks import council_districts
from marketplace.insights.scope import InsightScope, council_offers
from marketplace.models import OrderStatus, OrderStatusChange
from marketplace.models.orders import LIVE_ORDER_STATUSES
from providers.exceptions import PostcodeError
from providers.models import Offer, OfferVersion, Postcode, Taxonomy, TaxonomyTerm
from providers.postcodes import district_of
from search.models import DemandSignal

SEARCH = "search"
PA_ADVERT = "pa_advert"
DECLINED = "declined"
UNORDERED = "unordered"
KIND_LABELS = {
    SEARCH: "Searches finding fewer than 3",
    PA_ADVERT: "PA adverts with no replies",
    DECLINED: "Orders declined by the provider",
    UNORDERED: "Plan lines not ordered",
}
# A PA advert names no category: a family advertising for a personal assistant wants personal assistant support.
PA_CATEGORY_CODE = "pa-support"
# Orders that met a plan line: still running, or done. Declined and cancelled ones did not.
ORDERED_STATUSES = frozenset({*LIVE_ORDER_STATUSES, OrderStatus.COMPLETED})
UNNAMED = "Not named (words only)"
WHOLE_AREA = "Whole council area"
SCORE_PLACES = Decimal("0.1")


@dataclass(frozen=True)
class Category:
    id: int
    code: str
    label: str


@dataclass(frozen=True)
class Signal:
    kind: str
    categories: tuple[int, ...]  # empty when the record names none
    district: str  # "" when the record has no place
    month: datetime.date


@dataclass
class Cell:
    """Supply and demand of one category (None: whatever the category) in one district ("": anywhere): how many
    providers reach it (a provider organisation or personal assistant once, however many offers it has there),
    how many of them are personal assistants and how many have capacity, and the places and hours a week free
    summed over the offers that reach it (each offer once)."""

    supply: int = 0
    assistants: int = 0
    with_capacity: int = 0
    places_free: int = 0
    hours_free: Decimal = Decimal("0")
    demand: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class GapRow:
    category_code: str  # "" for searches that named no category
    category_label: str
    district: str  # "" for the whole council area
    supply: int
    assistants: int
    with_capacity: int
    places_free: int
    hours_free: Decimal
    demand: int
    by_kind: dict[str, int]
    score: Decimal | None  # demand signals per available provider; None when nobody supplies it
    search_url: str

    @property
    def area_label(self) -> str:
        return self.district or WHOLE_AREA

    @property
    def score_text(self) -> str:
        return "no supply" if self.score is None else str(self.score)


@dataclass(frozen=True)
class MapDot:
    district: str
    latitude: Decimal
    longitude: Decimal
    x: float
    y: float
    radius: float
    supply: int
    with_capacity: int
    demand: int
    band: str  # "none", "low" or "more": how the dot is drawn

    @property
    def title(self) -> str:
        providers = "1 provider" if self.supply == 1 else f"{self.supply} providers"
        signals = "1 demand signal" if self.demand == 1 else f"{self.demand} demand signals"
        return f"{self.district}: {signals}, {providers} available"


@dataclass(frozen=True)
class MonthRow:
    month: datetime.date
    by_kind: dict[str, int]
    new_offers: int

    @property
    def demand(self) -> int:
        return sum(self.by_kind.values())


@dataclass
class SupplyFigures:
    categories: list[Category]
    category: Category | None  # the category chosen, or None for every category
    districts: list[str]
    unordered_days: int
    gaps: list[GapRow] = field(default_factory=list)
    areas: list[GapRow] = field(default_factory=list)  # each category across the whole council area
    districts_supply: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # supply, capacity, demand
    months: list[MonthRow] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)  # signals of each kind

    @property
    def totals_shown(self) -> list[tuple[str, int]]:
        return [(KIND_LABELS[kind], count) for kind, count in self.totals.items()]


# --- Reading -------------------------------------------------------------------------------------------


def service_categories(scope: InsightScope) -> list[Category]:
    terms = (
        TaxonomyTerm.objects.for_council(scope.council)
        .of_kind(Taxonomy.Kind.SERVICE_CATEGORY)
        .filter(is_active=True)
        .order_by("name")
        .values_list("pk", "code", "name")
    )
    return [Category(pk, code, name) for pk, code, name in terms]


def _district(postcode: str) -> str:
    try:
        return district_of(postcode) if postcode else ""
    except PostcodeError:
        return ""


def _supply_rows(scope: InsightScope, districts: list[str]) -> QuerySet[Offer]:
    """(offer, organisation, PA, category, district, council code, places, hours) per category and service area
    of every published offer of the council's market that reaches one of ``districts`` or the whole council area
    (any district when ``districts`` is empty, as the cells count them): a row may repeat. The areas are chosen
    first, so that the offers of a large market that serve somewhere else (most of them, when providers reach
    other councils' districts too) are never joined."""
    offers = council_offers(scope.council).published()
    if districts:
        offers = offers.filter(
            Q(live_version__service_areas__postcode_district__in=districts)
            | Q(
                live_version__service_areas__postcode_district="",
                live_version__service_areas__council_code=scope.council.ons_code,
            )
        )
    else:
        offers = offers.filter(live_version__service_areas__isnull=False)
    return offers.values_list(
        "pk",
        "organisation",
        "personal_assistant",
        "live_version__categories",
        "live_version__service_areas__postcode_district",
        "live_version__service_areas__council_code",
        "live_version__capacity_places",
        "live_version__capacity_hours",
    ).order_by()


def _search_signals(scope: InsightScope, codes: dict[str, int]) -> list[Signal]:
    if not scope.council.ons_code:
        return []
    rows = DemandSignal.objects.filter(
        council_code=scope.council.ons_code, month__range=(scope.starts_on.replace(day=1), scope.ends_on)
    ).values_list("source", "filters", "postcode_district", "month")
    signals = []
    for source, filters, district, month in rows:
        is_advert = source == DemandSignal.Source.PA_ADVERT
        named = [PA_CATEGORY_CODE] if is_advert else (filters or {}).get("categories", [])
        categories = tuple(dict.fromkeys(codes[code] for code in named if code in codes))
        signals.append(Signal(source, categories, district, month))
    return signals


def _declined_signals(scope: InsightScope) -> list[Signal]:
    """Orders of the council's people that a provider declined in the period, under the plan line's category
    or else the offer's categories, in the person's postcode district."""
    rows = OrderStatusChange.objects.filter(
        new_status=OrderStatus.DECLINED,
        order__person__council=scope.council,
        created_at__date__range=(scope.starts_on, scope.ends_on),
    ).values_list(
        "order",
        "order__plan_line__category",
        "order__offer__live_version__categories",
        "order__person__postcode",
        "created_at",
    )
    orders: dict[int, tuple[list[int], str, datetime.date]] = {}
    for order_id, line_category, offer_category, postcode, at in rows:
        categories, _, _ = orders.setdefault(order_id, ([], _district(postcode), timezone.localdate(at).replace(day=1)))
        chosen = line_category or offer_category
        if chosen is not None and chosen not in categories:
            categories.append(chosen)
    return [Signal(DECLINED, tuple(cats), district, month) for cats, district, month in orders.values()]


def _unordered_signals(scope: InsightScope, days: int, today: datetime.date) -> list[Signal]:
    """Provider lines (not by direct payment) of the council's approved plans with no order placed within
    ``days`` of approval that is live or completed; the signal falls on the day the wait ran out."""
    wait = datetime.timedelta(days=days)
    last_due = min(scope.ends_on, today)
    if last_due < scope.starts_on:
        return []
    rows = (
        PlanLine.objects.filter(
            plan__person__council=scope.council,
            given_by=PlanLine.Giver.PROVIDER,
            by_direct_payment=False,
            plan__approved_at__date__range=(scope.starts_on - wait, last_due - wait),
        )
        .annotate(first_ordered=Min("orders__placed_at", filter=Q(orders__status__in=ORDERED_STATUSES)))
        .values_list("category", "plan__person__postcode", "plan__approved_at", "stopped_on", "first_ordered")
    )
    signals = []
    for category, postcode, approved_at, stopped_on, first_ordered in rows:
        due_at = approved_at + wait
        due_on = timezone.localdate(due_at)
        if not scope.starts_on <= due_on <= last_due:
            continue
        if first_ordered is not None and first_ordered <= due_at:
            continue
        if stopped_on is not None and stopped_on <= due_on:
            continue
        signals.append(Signal(UNORDERED, (category,), _district(postcode), due_on.replace(day=1)))
    return signals


def _new_offers_by_month(scope: InsightScope, category: Category | None) -> dict[datetime.date, int]:
    # Published from the first day's midnight to the midnight after the last, local time: the same offers as
    # published_at__date__range, but as a range of the column itself, whose size the planner can estimate (the
    # date of a timestamp it cannot, and at 100,000 offers it then sorted them on disk rather than hashing them).
    starts, ends = (
        timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        for day in (scope.starts_on, scope.ends_on + datetime.timedelta(days=1))
    )
    offers = council_offers(scope.council).filter(published_at__gte=starts, published_at__lt=ends)
    if category is not None:
        offers = offers.filter(live_version__categories=category.id)
    # Each offer is one row: the council filter follows foreign keys and the category filter matches one category.
    rows = offers.annotate(month=TruncMonth("published_at")).values("month").annotate(count=Count("pk")).order_by()
    return {_as_date(row["month"]): row["count"] for row in rows}


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


# --- Working out ---------------------------------------------------------------------------------------


# The supply cells, counted by the database. ``offer_areas`` is ``_supply_rows``; ``reach`` is each (offer, category,
# district) an offer reaches once, an offer naming the whole council area reaching each of its districts; then one
# aggregate per kind of cell, each over the rows made distinct on what that cell must count once (an offer with
# two categories is one offer of a district's "every kind" cell, and one offer reaching two districts is one
# offer of its category's whole-area cell). The provider is its organisation or, when it has none, its personal
# assistant (an offer has exactly one of them).
_CELL_COUNTS = """
    COUNT(DISTINCT organisation) + COUNT(DISTINCT assistant),
    COUNT(DISTINCT assistant),
    COUNT(DISTINCT CASE WHEN places > 0 OR hours > 0 THEN organisation END)
        + COUNT(DISTINCT CASE WHEN places > 0 OR hours > 0 THEN assistant END),
    SUM(places),
    SUM(hours)"""
_SUPPLY_CELLS_SQL = """
WITH offer_areas (offer, organisation, assistant, category, district, council_code, places, hours) AS (
    {rows}
){districts},
reach AS (
    SELECT DISTINCT offer, organisation, CASE WHEN organisation IS NULL THEN assistant END AS assistant,
        category, district, places, hours
    FROM offer_areas
    WHERE category IS NOT NULL AND district <> ''{known}{whole_area}
)
SELECT category, district, {counts} FROM reach GROUP BY category, district
UNION ALL
SELECT NULL, district, {counts}
FROM (SELECT DISTINCT offer, organisation, assistant, district, places, hours FROM reach) AS offers
GROUP BY district
UNION ALL
SELECT category, '', {counts}
FROM (SELECT DISTINCT offer, organisation, assistant, category, places, hours FROM reach) AS offers
GROUP BY category
UNION ALL
SELECT NULL, '', {counts}
FROM (SELECT DISTINCT offer, organisation, assistant, places, hours FROM reach) AS offers
"""
# An offer naming the whole council area reaches every district of the council.
_WHOLE_AREA_SQL = """
    UNION
    SELECT DISTINCT offer, organisation, CASE WHEN organisation IS NULL THEN assistant END,
        category, districts.district, places, hours
    FROM offer_areas CROSS JOIN districts
    WHERE category IS NOT NULL AND offer_areas.district = '' AND offer_areas.council_code = %s"""


def _supply_cells(scope: InsightScope, districts: list[str]) -> dict[tuple[int | None, str], Cell]:
    """Cells for each (category or None, district or "") that some offer reaches: one query, whose aggregates
    the database works out, so that a few thousand cells come back rather than a row per offer, category and
    area (100,000 and more in a large market). A district outside ``districts`` is left out, unless the council
    has no districts in the gazetteer."""
    rows_sql, params = _supply_rows(scope, districts).query.sql_with_params()
    params = list(params)
    districts_sql = known = whole_area = ""
    if districts:
        values = ", ".join(["(%s)"] * len(districts))
        districts_sql = f",\ndistricts (district) AS (VALUES {values})"
        params += districts
        known = " AND district IN (SELECT district FROM districts)"
        if scope.council.ons_code:
            whole_area = _WHOLE_AREA_SQL
            params.append(scope.council.ons_code)
    sql = _SUPPLY_CELLS_SQL.format(
        rows=rows_sql, districts=districts_sql, known=known, whole_area=whole_area, counts=_CELL_COUNTS
    )
    hours_places = Decimal(1).scaleb(-OfferVersion._meta.get_field("capacity_hours").decimal_places)
    cells: dict[tuple[int | None, str], Cell] = defaultdict(Cell)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for category, district, supply, assistants, with_capacity, places, hours in cursor.fetchall():
            if not supply:
                continue  # the last aggregate's one row when no offer reaches anywhere
            cells[(category, district)] = Cell(
                supply=supply,
                assistants=assistants,
                with_capacity=with_capacity,
                places_free=places or 0,
                # As a sum of the offers' own values: none recorded is 0, any recorded keeps the field's places
                # (SQLite sums in floating point).
                hours_free=Decimal("0") if hours is None else Decimal(str(hours)).quantize(hours_places),
            )
    return cells


def _add_demand(cells: dict[tuple[int | None, str], Cell], signals: list[Signal]) -> None:
    for signal in signals:
        for category in signal.categories or (None,):
            for each in {signal.district, ""}:
                cells[(category, each)].demand[signal.kind] += 1


def _score(demand: int, supply: int) -> Decimal | None:
    if supply == 0:
        return None
    return (Decimal(demand) / supply).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def search_url(code: str, district: str, path: str = "") -> str:
    """The find-support search a family in the district would make for the category (``path``: the search page's,
    when the caller has already looked it up for many rows)."""
    params = {"categories": code} if code else {}
    if district:
        params.update(postcode=district, comes_to_home="yes")
    query = urlencode(params)
    return (path or reverse("marketplace:find-support")) + (f"?{query}" if query else "")


def _row(category: Category | None, district: str, cell: Cell, search_path: str) -> GapRow:
    demand = sum(cell.demand.values())
    code = category.code if category else ""
    return GapRow(
        category_code=code,
        category_label=category.label if category else UNNAMED,
        district=district,
        supply=cell.supply,
        assistants=cell.assistants,
        with_capacity=cell.with_capacity,
        places_free=cell.places_free,
        hours_free=cell.hours_free,
        demand=demand,
        by_kind={kind: cell.demand[kind] for kind in KIND_LABELS},
        score=_score(demand, cell.supply),
        search_url=search_url(code, district, search_path),
    )


def gap_rank(row: GapRow) -> tuple:  # type: ignore[type-arg]
    """Nobody supplying first (most demand first), then most demand per available provider."""
    if row.score is None:
        return (0, -row.demand, row.category_label, row.district)
    return (1, -row.score, -row.demand, row.category_label, row.district)


def _months(scope: InsightScope) -> list[datetime.date]:
    return [datetime.date(scope.year + (month < 4), month, 1) for month in (*range(4, 13), *range(1, 4))]


def supply_figures(scope: InsightScope, category_code: str = "", today: datetime.date | None = None) -> SupplyFigures:
    """Supply and demand of the council's market in the scope's year, for one category (by code) or all."""
    today = today or timezone.localdate()
    categories = service_categories(scope)
    by_code = {category.code: category for category in categories}
    chosen = by_code.get(category_code)
    districts = council_districts(scope)
    days = settings.PLAN_LINE_UNORDERED_DAYS
    signals = [
        *_search_signals(scope, {code: category.id for code, category in by_code.items()}),
        *_declined_signals(scope),
        *_unordered_signals(scope, days, today),
    ]
    if chosen is not None:
        signals = [signal for signal in signals if chosen.id in signal.categories]
    cells = _supply_cells(scope, districts)
    _add_demand(cells, signals)
    figures = SupplyFigures(categories=categories, category=chosen, districts=districts, unordered_days=days)
    by_id: dict[int | None, Category | None] = {category.id: category for category in categories}
    by_id[None] = None
    shown = [chosen] if chosen else [*categories, None]
    wanted = {category.id if category else None for category in shown}
    search_path = reverse("marketplace:find-support")
    rows = [
        _row(by_id[key], district, cell, search_path)
        for (key, district), cell in cells.items()
        if key in wanted and key in by_id
    ]
    figures.gaps = sorted((row for row in rows if row.district and row.demand > 0), key=gap_rank)
    figures.areas = sorted(
        (row for row in rows if not row.district and (row.demand or row.category_code)),
        key=lambda row: (-row.demand, row.category_label),
    )
    total_key = chosen.id if chosen else None
    for (key, district), cell in cells.items():
        if key == total_key and district:
            figures.districts_supply[district] = (cell.supply, cell.with_capacity, 0)
    for district, count in Counter(signal.district for signal in signals if signal.district).items():
        supply, capacity, _ = figures.districts_supply.get(district, (0, 0, 0))
        figures.districts_supply[district] = (supply, capacity, count)
    figures.districts_supply = dict(sorted(figures.districts_supply.items()))
    counted = Counter(signal.kind for signal in signals)
    figures.totals = {kind: counted[kind] for kind in KIND_LABELS}
    figures.months = _month_rows(scope, signals, _new_offers_by_month(scope, chosen))
    return figures


def _month_rows(scope: InsightScope, signals: list[Signal], new_offers: dict[datetime.date, int]) -> list[MonthRow]:
    counts: dict[datetime.date, Counter[str]] = defaultdict(Counter)
    for signal in signals:
        counts[signal.month][signal.kind] += 1
    return [
        MonthRow(month, {kind: counts[month][kind] for kind in KIND_LABELS}, new_offers.get(month, 0))
        for month in _months(scope)
    ]


# --- The dot map ---------------------------------------------------------------------------------------

MAP_WIDTH = 600
MAP_HEIGHT = 400
MAP_MARGIN = 70  # room for the largest dot and its label inside the box
SMALLEST_DOT = 4.0
LARGEST_DOT = 24.0
# Fewer providers than this in a district is thin supply: one or two leave families little choice.
THIN_SUPPLY = 3


def district_centroids(districts: Iterable[str]) -> dict[str, tuple[Decimal, Decimal]]:
    """The mean latitude and longitude of each district's gazetteer rows (its postcodes and its own centre):
    one aggregate query."""
    rows = (
        Postcode.objects.filter(district__in=list(districts))
        .values("district")
        .annotate(latitude=Avg("latitude"), longitude=Avg("longitude"))
        .order_by("district")
    )
    places = Decimal("0.000001")
    return {
        row["district"]: (Decimal(row["latitude"]).quantize(places), Decimal(row["longitude"]).quantize(places))
        for row in rows
    }


def supply_band(supply: int) -> str:
    if supply == 0:
        return "none"
    return "low" if supply < THIN_SUPPLY else "more"


def map_dots(figures: SupplyFigures) -> list[MapDot]:
    """A dot on each district's centroid, equirectangular (longitudes shrunk by the cosine of the middle
    latitude, so that distances look right at England's latitudes), fitted into the map's box."""
    centroids = district_centroids(figures.districts_supply)
    if not centroids:
        return []
    latitudes = [float(lat) for lat, _ in centroids.values()]
    middle = math.radians((min(latitudes) + max(latitudes)) / 2)
    points = {district: (float(lon) * math.cos(middle), -float(lat)) for district, (lat, lon) in centroids.items()}
    xs, ys = [x for x, _ in points.values()], [y for _, y in points.values()]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    room_x, room_y = MAP_WIDTH - 2 * MAP_MARGIN, MAP_HEIGHT - 2 * MAP_MARGIN
    scale = min(room_x / span_x if span_x else math.inf, room_y / span_y if span_y else math.inf)
    scale = 0.0 if scale == math.inf else scale
    offset_x = (MAP_WIDTH - span_x * scale) / 2
    offset_y = (MAP_HEIGHT - span_y * scale) / 2
    most = max((demand for _, _, demand in figures.districts_supply.values()), default=0)
    dots = []
    for district, (x, y) in points.items():
        supply, capacity, demand = figures.districts_supply[district]
        latitude, longitude = centroids[district]
        radius = SMALLEST_DOT
        if demand and most:
            radius += (LARGEST_DOT - SMALLEST_DOT) * math.sqrt(demand / most)
        dots.append(
            MapDot(
                district=district,
                latitude=latitude,
                longitude=longitude,
                x=round(offset_x + (x - min(xs)) * scale, 1),
                y=round(offset_y + (y - min(ys)) * scale, 1),
                radius=round(radius, 1),
                supply=supply,
                with_capacity=capacity,
                demand=demand,
                band=supply_band(supply),
            )
        )
    return dots
