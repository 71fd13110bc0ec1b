"""Equity: take-up and spend per child by postcode district, against the council-wide figure.

Children counted are those with a budget of the council for the financial year; a child "takes up" their
budget when money was spent from one of their budgets in the year. Spend is the spend section's own figure
(``spend_postings``: money moved into SPENT accounts in the period, net of refunds and reversals), grouped by
the postcode district of the child whose budget it came from.

Area is the only characteristic shown. The person record holds a date of birth and needs, but they are kept to
run the child's plan, not given with consent for monitoring; nothing else (ethnicity, sex, disability type) is
recorded, so nothing else is counted.

Suppression, so that no child can be singled out:
- any count of children under 5 shows as "fewer than 5" (``people_count_text``);
- a district with fewer than 5 children with a budget, or with 1 to 4 children taking up, has its spend, spend
  per child and take-up withheld, since each would be the money or choice of one to four children;
- when the withheld districts together hold fewer than 5 children (or 1 to 4 taking up), the council-wide figure
  minus the districts shown would give them away, so the smallest shown districts are withheld too until they
  do not; the withheld districts' pooled figures are then shown as one row.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from brokerage.models import Budget
from marketplace.insights.scope import SMALL_COUNT, InsightScope, people_count_text
from marketplace.insights.spend import ZERO, _money, spend_postings
from providers.exceptions import PostcodeError
from providers.postcodes import district_of

NOT_RECORDED = "No postcode recorded"
WITHHELD = "suppressed"
PERSON_POSTCODE = "account__allocation__budget__person__postcode"


@dataclass
class AreaEquity:
    area: str
    children: int = 0  # with a budget of the council for the year
    taking_up: int = 0  # of those, with money spent from one of their budgets in the year
    spent: Decimal = ZERO
    withheld: bool = False

    @property
    def small(self) -> bool:
        return self.children < SMALL_COUNT or 0 < self.taking_up < SMALL_COUNT

    @property
    def children_text(self) -> str:
        return people_count_text(self.children)

    @property
    def taking_up_text(self) -> str:
        return people_count_text(self.taking_up)

    @property
    def spent_shown(self) -> Decimal | None:
        return None if self.withheld else self.spent

    @property
    def per_child(self) -> Decimal | None:
        if self.withheld or not self.children:
            return None
        return _money(self.spent / self.children)

    @property
    def take_up_percent(self) -> int | None:
        if self.withheld or not self.children:
            return None
        return round(100 * self.taking_up / self.children)

    def add(self, other: "AreaEquity") -> None:
        self.children += other.children
        self.taking_up += other.taking_up
        self.spent += other.spent


@dataclass
class EquityFigures:
    districts: list[AreaEquity] = field(default_factory=list)
    withheld_together: AreaEquity | None = None
    council: AreaEquity = field(default_factory=lambda: AreaEquity("All your children"))
    # Spend on SPENT accounts of no child's budget (none today; kept so the districts always add up).
    not_on_a_budget: Decimal = ZERO

    @property
    def shown(self) -> list[AreaEquity]:
        return [row for row in self.districts if not row.withheld]

    @property
    def characteristics_recorded(self) -> bool:
        """Whether any characteristic besides area is recorded with consent for monitoring: none is."""
        return False


def _district(postcode: str | None) -> str:
    try:
        return district_of(postcode or "")
    except PostcodeError:
        return NOT_RECORDED


def _children_by_district(scope: InsightScope) -> dict[str, AreaEquity]:
    spent_from = spend_postings(scope).filter(account__allocation__budget__person=OuterRef("person"), amount__gt=0)
    rows = (
        Budget.objects.filter(council=scope.council, financial_year=scope.year)
        .annotate(took_up=Exists(spent_from))
        .values("person__postcode")
        .annotate(
            children=Count("person", distinct=True),
            taking_up=Count("person", distinct=True, filter=Q(took_up=True)),
        )
        .order_by()
    )
    areas: dict[str, AreaEquity] = {}
    for row in rows:
        area = areas.setdefault(_district(row["person__postcode"]), AreaEquity(_district(row["person__postcode"])))
        area.children += row["children"]
        area.taking_up += row["taking_up"]
    return areas


def equity_figures(scope: InsightScope) -> EquityFigures:
    """Two grouped queries (children by postcode, spend by postcode); districts are gathered from postcodes
    here, since a postcode's district is its outward code as the postcodes module reads it."""
    figures = EquityFigures()
    areas = _children_by_district(scope)
    spend_rows = spend_postings(scope).values(PERSON_POSTCODE).annotate(total=Sum("amount")).order_by()
    for row in spend_rows:
        if row[PERSON_POSTCODE] is None:
            figures.not_on_a_budget += _money(row["total"])
            continue
        name = _district(row[PERSON_POSTCODE])
        areas.setdefault(name, AreaEquity(name)).spent += _money(row["total"])
    figures.districts = sorted(areas.values(), key=lambda row: (row.area == NOT_RECORDED, row.area))
    for row in figures.districts:
        figures.council.add(row)
    _withhold(figures)
    return figures


def _pool(rows: list[AreaEquity]) -> AreaEquity:
    pooled = AreaEquity("Districts with figures withheld, together")
    for row in rows:
        pooled.add(row)
    return pooled


def _withhold(figures: EquityFigures) -> None:
    withheld = [row for row in figures.districts if row.small]
    others = sorted((row for row in figures.districts if not row.small), key=lambda row: (row.children, row.area))
    # Secondary suppression: the council-wide figure less the districts shown must not be a small group.
    while withheld and _pool(withheld).small and others:
        withheld.append(others.pop(0))
    for row in withheld:
        row.withheld = True
    figures.council.withheld = figures.council.small
    if withheld:
        pooled = _pool(withheld)
        pooled.withheld = pooled.small
        figures.withheld_together = pooled
