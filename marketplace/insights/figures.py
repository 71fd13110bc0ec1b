"""Figures an editor may embed in a council's market position statement, each computed live from one section.

Each figure has a stable key (stored in the page's StreamField, so a key is never renamed), a label for the
editor's choice, and a function ``(scope) -> LiveFigure`` built on the section selectors (``spend``, ``prices``,
``quality``, ``frameworks``, ``supply``): a headline sentence, an optional bar chart and the table of its figures.
Nothing is computed until a page renders a block that names the figure.

The statement is a public page, so the figures are aggregates only: no provider's spend, no person's name, and
counts of children and of signs of demand under ``SMALL_COUNT`` suppressed as on the commissioner's pages.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.charts import BarChart, bar_chart
from accounts.templatetags.money import money_text
from marketplace.insights.frameworks import FrameworkFigures, framework_figures
from marketplace.insights.prices import Distribution, distributions, offered_prices, paid_rates
from marketplace.insights.quality import LAPSE_BANDS, Lapse, dbs_lapsing, insurance_lapsing
from marketplace.insights.scope import SUPPRESSED, InsightScope, people_count_text
from marketplace.insights.spend import SpendFigures, SpendRow, spend_figures
from marketplace.insights.supply import supply_figures
from providers.selectors.frameworks import frameworks_for_council

SUPPRESSION_NOTE = f"Counts of children under 5 show as ‘{SUPPRESSED}’, so that no one can be identified."
AS_AT_TODAY = "Counted on the day shown below, whichever financial year is chosen."


@dataclass(frozen=True)
class LiveFigure:
    """One figure as a page shows it: a headline, its table (and, if it has one, a chart of it)."""

    title: str
    headline: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    chart: BarChart | None = None
    notes: tuple[str, ...] = ()
    as_at: datetime.datetime = field(default_factory=timezone.now)


@dataclass(frozen=True)
class FigureDefinition:
    key: str
    label: str
    compute: Callable[[InsightScope], LiveFigure]


FIGURES: dict[str, FigureDefinition] = {}


def _figure(key: str, label: str) -> Callable[[Callable[[InsightScope], LiveFigure]], Callable]:  # type: ignore[type-arg]
    def register(compute: Callable[[InsightScope], LiveFigure]) -> Callable[[InsightScope], LiveFigure]:
        FIGURES[key] = FigureDefinition(key=key, label=label, compute=compute)
        return compute

    return register


def figure_choices() -> list[tuple[str, str]]:
    """The figures in the order editors see them (a callable, so that the CMS's migrations need no change
    when a figure is added)."""
    return [(definition.key, definition.label) for definition in FIGURES.values()]


class UnknownFigure(LookupError):
    """A block names a figure that is no longer offered."""


def live_figure(key: str, scope: InsightScope) -> LiveFigure:
    """Compute one figure now, for the scope's council and financial year."""
    try:
        definition = FIGURES[key]
    except KeyError as error:
        raise UnknownFigure(key) from error
    return definition.compute(scope)


# --- Spend ---------------------------------------------------------------------------------------------


def spend_chart(title: str, rows: Sequence[SpendRow], heading: str) -> BarChart:
    """Money spent per row, as the spend page and the live figures draw it."""
    return bar_chart(
        title=title,
        labels=[row.label for row in rows],
        series=[("Spent", [row.amount for row in rows])],
        formatter=money_text,
        label_heading=heading,
    )


def _money_chart(title: str, rows: Sequence[SpendRow], heading: str) -> BarChart | None:
    return spend_chart(title, rows, heading) if rows else None


def _spend_breakdown(
    scope: InsightScope, what: str, heading: str, rows_of: Callable[[SpendFigures], list[SpendRow]]
) -> LiveFigure:
    figures = spend_figures(scope)
    title = f"Spend by {what}, {scope.label}"
    rows = rows_of(figures)
    return LiveFigure(
        title=title,
        headline=_spent_headline(figures, scope),
        headings=(heading, "Spent"),
        rows=tuple((row.label, money_text(row.amount)) for row in rows),
        chart=_money_chart(title, rows, heading),
    )


def _spent_headline(figures: SpendFigures, scope: InsightScope) -> str:
    return f"{money_text(figures.total)} was spent from personal budgets in {scope.label}."


@_figure("spend-by-stream", "Spend by funding stream, with the children supported")
def spend_by_stream(scope: InsightScope) -> LiveFigure:
    figures = spend_figures(scope)
    title = f"Spend by funding stream, {scope.label}"
    return LiveFigure(
        title=title,
        headline=_spent_headline(figures, scope),
        headings=("Funding stream", "Spent", "Children"),
        rows=tuple((row.label, money_text(row.amount), row.children_text) for row in figures.by_stream),
        chart=_money_chart(title, figures.by_stream, "Funding stream"),
        notes=(SUPPRESSION_NOTE,),
    )


@_figure("spend-by-category", "Spend by kind of support")
def spend_by_category(scope: InsightScope) -> LiveFigure:
    return _spend_breakdown(scope, "kind of support", "Kind of support", lambda figures: figures.by_category)


@_figure("spend-by-held-as", "Spend by how budgets are held (direct payment, service fund, managed)")
def spend_by_held_as(scope: InsightScope) -> LiveFigure:
    return _spend_breakdown(scope, "how budgets are held", "Held as", lambda figures: figures.by_held_as)


@_figure("spend-small-voluntary", "Spend with small and voluntary providers")
def spend_small_and_voluntary(scope: InsightScope) -> LiveFigure:
    figures = spend_figures(scope)
    title = f"Spend with small and voluntary providers, {scope.label}"
    share = figures.small_or_voluntary_percent
    headline = (
        f"{share}% of the {money_text(figures.total)} spent in {scope.label} went to small or voluntary providers."
        if share is not None
        else f"Nothing has been spent from personal budgets in {scope.label} yet."
    )
    rows = [
        SpendRow("With charities", figures.with_charities),
        SpendRow("With small providers (fewer than 10 staff, or a personal assistant)", figures.with_small),
        SpendRow("With small or voluntary providers", figures.with_small_or_voluntary),
        SpendRow("All spend", figures.total),
    ]
    return LiveFigure(
        title=title,
        headline=headline,
        headings=("With", "Spent"),
        rows=tuple((row.label, money_text(row.amount)) for row in rows),
        chart=_money_chart(title, rows, "With") if figures.total > 0 else None,
    )


# --- Prices --------------------------------------------------------------------------------------------


def _price_figure(title: str, rows: list[Distribution], headline: str, notes: tuple[str, ...]) -> LiveFigure:
    chart = None
    if rows:
        chart = bar_chart(
            title=title,
            labels=[f"{row.category}, {row.unit_label}" for row in rows],
            series=[("Median", [row.median for row in rows])],
            formatter=money_text,
            label_heading="Kind of support and unit",
        )
    return LiveFigure(
        title=title,
        headline=headline,
        headings=("Kind of support", "Unit", "Prices", "Lower quartile", "Median", "Upper quartile"),
        rows=tuple(
            (
                row.category,
                row.unit_label,
                str(row.count),
                money_text(row.lower_quartile),
                money_text(row.median),
                money_text(row.upper_quartile),
            )
            for row in rows
        ),
        chart=chart,
        notes=notes,
    )


@_figure("prices-offered", "Median price per unit by kind of support (published offers)")
def prices_offered(scope: InsightScope) -> LiveFigure:
    rows = distributions(offered_prices(scope))
    return _price_figure(
        "Prices offered per unit, by kind of support",
        rows,
        f"Providers publish prices for {len(rows)} kinds of support and unit.",
        ("The prices of offers published now. " + AS_AT_TODAY,),
    )


@_figure("rates-paid", "Median rate paid per unit by kind of support (agreed orders)")
def rates_paid(scope: InsightScope) -> LiveFigure:
    rows = distributions(paid_rates(scope))
    orders = sum(row.count for row in rows)
    return _price_figure(
        f"Rates paid per unit, by kind of support, {scope.label}",
        rows,
        f"Budget holders agreed {orders} orders with a kind of support recorded in {scope.label}.",
        ("Orders accepted, waiting on a proposed change or completed, placed during the year.",),
    )


# --- Quality -------------------------------------------------------------------------------------------


def _lapse_figure(title: str, what: str, lapses: list[Lapse]) -> LiveFigure:
    bands = [(days, sum(1 for lapse in lapses if lapse.days_left <= days)) for days in LAPSE_BANDS]
    return LiveFigure(
        title=title,
        headline=f"{len(lapses)} {what} in the market lapse in the next {max(LAPSE_BANDS)} days.",
        headings=("When", "Lapsing"),
        rows=tuple((f"Within {days} days", str(count)) for days, count in bands),
        chart=bar_chart(
            title=title,
            labels=[f"Within {days} days" for days, _ in bands],
            series=[("Lapsing", [count for _, count in bands])],
            label_heading="When",
        ),
        notes=("Each band includes the shorter ones. " + AS_AT_TODAY,),
    )


@_figure("dbs-lapsing", "DBS checks lapsing in the next 30, 60 and 90 days")
def dbs_checks_lapsing(scope: InsightScope) -> LiveFigure:
    return _lapse_figure("DBS checks lapsing", "verified DBS checks", dbs_lapsing(scope, timezone.localdate()))


@_figure("insurance-lapsing", "Insurance lapsing in the next 30, 60 and 90 days")
def insurance_policies_lapsing(scope: InsightScope) -> LiveFigure:
    return _lapse_figure(
        "Insurance lapsing", "verified insurance policies", insurance_lapsing(scope, timezone.localdate())
    )


# --- Frameworks ----------------------------------------------------------------------------------------


def _running(scope: InsightScope) -> list[FrameworkFigures]:
    frameworks = frameworks_for_council(council=scope.council).filter(
        starts_on__lte=scope.ends_on, ends_on__gte=scope.starts_on
    )
    # Coverage needs no spend: an empty SpendFigures leaves the members' spend at nought, which is not shown.
    return [framework_figures(scope, framework, SpendFigures()) for framework in frameworks]


@_figure("framework-coverage", "Framework coverage: postcode districts each lot reaches")
def framework_coverage(scope: InsightScope) -> LiveFigure:
    lots = [(figures.framework, lot) for figures in _running(scope) for lot in figures.lots]
    title = f"Framework lots: postcode districts reached, {scope.label}"
    complete = sum(1 for _, lot in lots if lot.covered and not lot.gaps)
    headline = (
        f"{complete} of {len(lots)} framework lots reach every postcode district of the council."
        if lots
        else f"The council has no framework running in {scope.label}."
    )
    labels = [f"{framework.name}, lot {lot.lot.number}: {lot.lot.name}" for framework, lot in lots]
    reached = [len(lot.covered) - len(lot.gaps) for _, lot in lots]
    return LiveFigure(
        title=title,
        headline=headline,
        headings=("Framework lot", "Districts reached", "Districts not reached"),
        rows=tuple(
            (label, f"{count} of {len(lot.covered)}", ", ".join(lot.gaps) or "None")
            for label, count, (_, lot) in zip(labels, reached, lots, strict=True)
        ),
        chart=bar_chart(
            title=title,
            labels=labels,
            series=[("Districts reached", reached)],
            label_heading="Framework lot",
        )
        if lots
        else None,
        notes=(
            "A lot reaches a district when an admitted member has a published offer in one of the lot's kinds "
            "of support covering it. " + AS_AT_TODAY,
        ),
    )


# --- Supply against demand -----------------------------------------------------------------------------

GAPS_SHOWN = 10


@_figure("supply-gaps", "The biggest gaps between demand and supply, by kind of support and district")
def supply_gaps(scope: InsightScope) -> LiveFigure:
    gaps = supply_figures(scope).gaps[:GAPS_SHOWN]
    headline = (
        f"The {len(gaps)} biggest gaps between what families looked for in {scope.label} and the support "
        "available, largest first."
        if gaps
        else f"No gaps between demand and supply were recorded in {scope.label}."
    )
    return LiveFigure(
        title=f"Gaps between demand and supply, {scope.label}",
        headline=headline,
        headings=("Kind of support", "Postcode district", "Providers available", "Signs of demand"),
        rows=tuple(
            (gap.category_label, gap.area_label, str(gap.supply), people_count_text(gap.demand)) for gap in gaps
        ),
        notes=(
            "Signs of demand are searches that found little, personal assistant adverts with no reply, orders "
            "providers declined and plan lines with no order. Districts nobody supplies come first, then the "
            "most signs of demand for each provider available.",
            f"Counts under 5 show as ‘{SUPPRESSED}’, so that no family can be identified.",
        ),
    )
