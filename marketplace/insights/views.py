"""The commissioner's market insights pages: parse the period, call a section's selector, render or export.

Only commissioners use these pages (anyone else gets 403); every figure is of the council they act for, and a
framework of another council answers 404.
"""

from collections.abc import Iterable, Sequence
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.charts import BarChart, bar_chart
from accounts.exports import csv_filename, csv_response
from accounts.permissions import role_required
from accounts.roles import Role
from accounts.templatetags.money import money_text
from marketplace.insights import SECTIONS
from marketplace.insights.figures import spend_chart
from marketplace.insights.frameworks import FrameworkFigures, framework_figures, frameworks_summary
from marketplace.insights.prices import Distribution, PriceFigures, price_figures
from marketplace.insights.quality import QualityFigures, quality_figures
from marketplace.insights.scope import InsightScope, scope_from_params, years_offered
from marketplace.insights.spend import SpendFigures, SpendRow, spend_figures
from providers.selectors.frameworks import framework_get_for_council

TEMPLATES = "marketplace/insights/"
commissioner_required = role_required(Role.COMMISSIONER)
Rows = Iterable[Sequence[object]]


def _scope(request: HttpRequest) -> InsightScope:
    return scope_from_params(request.council, request.GET)  # type: ignore[attr-defined]


def _page(request: HttpRequest, template: str, scope: InsightScope, **context: object) -> HttpResponse:
    context.update(scope=scope, council=scope.council, years=years_offered(), sections=SECTIONS)
    return render(request, TEMPLATES + template, context)


def _export(scope: InsightScope, what: str, header: Sequence[str], rows: Rows) -> HttpResponse:
    return csv_response(csv_filename(scope.council, f"{what}-{scope.year}"), header, rows)


# --- Overview ------------------------------------------------------------------------------------------


@commissioner_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    return _page(request, "overview.html", scope)


# --- Prices --------------------------------------------------------------------------------------------


def _distribution_chart(title: str, rows: list[Distribution]) -> BarChart:
    return bar_chart(
        title=title,
        labels=[f"{row.category}, {row.unit_label}" for row in rows],
        series=[
            ("Lower quartile", [row.lower_quartile for row in rows]),
            ("Median", [row.median for row in rows]),
            ("Upper quartile", [row.upper_quartile for row in rows]),
        ],
        formatter=money_text,
        label_heading="Kind of support and unit",
    )


@commissioner_required
@require_GET
def prices(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    figures = price_figures(scope)
    return _page(
        request,
        "prices.html",
        scope,
        figures=figures,
        offered_chart=_distribution_chart("Prices offered", figures.offered),
        paid_chart=_distribution_chart("Rates paid", figures.paid),
    )


DISTRIBUTION_HEADER = [
    "Kind of support",
    "Unit",
    "Count",
    "Minimum",
    "Lower quartile",
    "Median",
    "Upper quartile",
    "Maximum",
]


def _distribution_rows(rows: list[Distribution], figures: PriceFigures, with_rates: bool) -> Rows:
    for row in rows:
        values = [
            row.category,
            row.unit,
            row.count,
            row.minimum,
            row.lower_quartile,
            row.median,
            row.upper_quartile,
            row.maximum,
        ]
        if with_rates:
            rates = figures.lot_rates.get(row.category_id, [])
            values.append("; ".join(f"{rate.framework} {rate.lot}: {rate.rate} per {rate.unit}" for rate in rates))
        yield values


@commissioner_required
@require_GET
def prices_export(request: HttpRequest, table: str) -> HttpResponse:
    scope = _scope(request)
    figures = price_figures(scope)
    if table == "offered":
        header = [*DISTRIBUTION_HEADER, "Framework lot rates"]
        return _export(scope, "prices-offered", header, _distribution_rows(figures.offered, figures, True))
    if table == "paid":
        return _export(scope, "rates-paid", DISTRIBUTION_HEADER, _distribution_rows(figures.paid, figures, False))
    if table == "outliers":
        header = ["Kind of support", "Unit", "Price", "Below or above", "Offer", "Provider", "Page"]
        rows = (
            [
                o.category,
                o.unit,
                o.amount,
                "below" if o.low else "above",
                o.offer_name,
                o.provider,
                request.build_absolute_uri(o.url),
            ]
            for o in figures.outliers
        )
        return _export(scope, "price-outliers", header, rows)
    if table == "price-points":
        rows = ([stream.name, stream.finance_code, stream.price_per_point] for stream in figures.price_points)
        return _export(scope, "price-points", ["Funding stream", "Finance code", "Per point"], rows)
    raise Http404("No such table")


# --- Spend ---------------------------------------------------------------------------------------------


def _spend_tables(figures: SpendFigures) -> dict[str, tuple[str, str, list[SpendRow]]]:
    """Each table of the spend page: (slug: title, first column heading, rows)."""
    top = [SpendRow(row.name, row.amount) for row in figures.top_providers]
    return {
        "streams": ("Spend by funding stream", "Funding stream", figures.by_stream),
        "categories": ("Spend by kind of support", "Kind of support", figures.by_category),
        "providers": ("Top 10 providers by spend", "Provider", top),
        "framework": ("Spend on and off framework", "With", figures.by_framework),
        "held-as": ("Spend by how budgets are held", "Held as", figures.by_held_as),
        "months": ("Spend by month", "Month", figures.by_month),
    }


@commissioner_required
@require_GET
def spend(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    figures = spend_figures(scope)
    charts = [
        (slug, spend_chart(title, rows, heading))
        for slug, (title, heading, rows) in _spend_tables(figures).items()
        if slug != "streams"
    ]
    return _page(
        request,
        "spend.html",
        scope,
        figures=figures,
        charts=charts,
        stream_chart=spend_chart("Spend by funding stream", figures.by_stream, "Funding stream"),
    )


@commissioner_required
@require_GET
def spend_export(request: HttpRequest, table: str) -> HttpResponse:
    scope = _scope(request)
    figures = spend_figures(scope)
    if table == "summary":
        rows = [
            ["Total spent", figures.total],
            ["With charities", figures.with_charities],
            ["With small providers", figures.with_small],
            ["With small or voluntary providers", figures.with_small_or_voluntary],
            [
                "Small or voluntary share (%)",
                "" if figures.small_or_voluntary_percent is None else figures.small_or_voluntary_percent,
            ],
        ]
        return _export(scope, "spend-summary", ["Figure", "Value"], rows)
    if table == "all-providers":
        rows = ([row.name, row.amount] for row in figures.providers)
        return _export(scope, "spend-by-provider", ["Provider", "Spent"], rows)
    tables = _spend_tables(figures)
    if table not in tables:
        raise Http404("No such table")
    _, heading, rows = tables[table]
    if table == "streams":
        return _export(
            scope,
            "spend-by-stream",
            [heading, "Spent", "Children"],
            ([row.label, row.amount, row.children_text] for row in rows),
        )
    return _export(scope, f"spend-by-{table}", [heading, "Spent"], ([row.label, row.amount] for row in rows))


# --- Quality -------------------------------------------------------------------------------------------


def _band_chart(title: str, bands: list[tuple[int, int]]) -> BarChart:
    return bar_chart(
        title=title,
        labels=[f"Within {days} days" for days, _ in bands],
        series=[("Lapsing", [count for _, count in bands])],
        label_heading="When",
    )


@commissioner_required
@require_GET
def quality(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    figures = quality_figures(scope)
    return _page(
        request,
        "quality.html",
        scope,
        figures=figures,
        dbs_chart=_band_chart("DBS checks lapsing", figures.dbs_bands),
        insurance_chart=_band_chart("Insurance lapsing", figures.insurance_bands),
    )


def _lapse_rows(lapses: list) -> Rows:  # type: ignore[type-arg]
    return ([lapse.what, lapse.holder, lapse.lapses_on.isoformat(), lapse.days_left] for lapse in lapses)


def _quality_summary(figures: QualityFigures) -> Rows:
    yield ["Profiles not yet verified", figures.profiles_waiting]
    yield ["Offers not yet verified", figures.offers_waiting]
    for label, count in figures.concerns_open.items():
        yield [f"Concerns open: {label.lower()}", count]
    labels = {
        "total": "Complaints made",
        "undecided": "Complaints still being dealt with",
        "resolved": "Complaints resolved with the provider",
        "upheld": "Complaints upheld",
        "partly_upheld": "Complaints partly upheld",
        "not_upheld": "Complaints not upheld",
    }
    for name, label in labels.items():
        yield [label, figures.complaints[name]]


@commissioner_required
@require_GET
def quality_export(request: HttpRequest, table: str) -> HttpResponse:
    scope = _scope(request)
    figures = quality_figures(scope)
    lapse_header = ["Check", "Held by", "Lapses on", "Days left"]
    if table == "dbs":
        return _export(scope, "dbs-lapsing", lapse_header, _lapse_rows(figures.dbs_lapsing))
    if table == "insurance":
        return _export(scope, "insurance-lapsing", lapse_header, _lapse_rows(figures.insurance_lapsing))
    if table == "summary":
        return _export(scope, "quality-summary", ["Figure", "Count"], _quality_summary(figures))
    if table == "low-ratings":
        rows = (
            [r.offer_name, r.provider, r.average, r.reviews, request.build_absolute_uri(r.url)]
            for r in figures.low_ratings
        )
        return _export(scope, "low-ratings", ["Offer", "Provider", "Average rating", "Reviews", "Page"], rows)
    if table == "registrations":
        rows = (
            [
                r.organisation.name,
                r.get_regulator_display(),
                r.registration_id,
                r.get_rating_display(),
                r.inspection_date.isoformat() if r.inspection_date else "",
            ]
            for r in figures.registrations_of_concern
        )
        return _export(scope, "registrations", ["Provider", "Regulator", "Registration", "Rating", "Inspected"], rows)
    raise Http404("No such table")


# --- Frameworks ----------------------------------------------------------------------------------------


@commissioner_required
@require_GET
def frameworks(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    spent = spend_figures(scope)
    summaries = frameworks_summary(scope, spent)
    return _page(request, "frameworks.html", scope, frameworks=summaries, total_spend=spent.total)


@commissioner_required
@require_GET
def frameworks_export(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    header = [
        "Framework",
        "Reference",
        "Starts",
        "Ends",
        "Lots",
        "Lot memberships",
        "Spend with members",
        "Members' checks lapsing",
    ]
    rows = (
        [
            row.framework.name,
            row.framework.reference,
            row.framework.starts_on.isoformat(),
            row.framework.ends_on.isoformat(),
            row.lot_count,
            row.admitted_count,
            row.members_spend,
            row.members_lapsing,
        ]
        for row in frameworks_summary(scope, spend_figures(scope))
    )
    return _export(scope, "frameworks", header, rows)


def _framework(request: HttpRequest, public_id: UUID) -> tuple[InsightScope, FrameworkFigures]:
    scope = _scope(request)
    framework = framework_get_for_council(council=scope.council, public_id=public_id)
    return scope, framework_figures(scope, framework, spend_figures(scope))


def _coverage_chart(lot) -> BarChart:  # type: ignore[no-untyped-def]
    return bar_chart(
        title=f"Lot {lot.lot.number}: {lot.lot.name}, members reaching each district",
        labels=list(lot.covered),
        series=[("Members", list(lot.covered.values()))],
        label_heading="Postcode district",
    )


@commissioner_required
@require_GET
def framework(request: HttpRequest, public_id: UUID) -> HttpResponse:
    scope, figures = _framework(request, public_id)
    charts = [(lot, _coverage_chart(lot)) for lot in figures.lots]
    return _page(request, "framework.html", scope, figures=figures, charts=charts)


@commissioner_required
@require_GET
def framework_export(request: HttpRequest, public_id: UUID, table: str) -> HttpResponse:
    scope, figures = _framework(request, public_id)
    reference = figures.framework.reference
    if table == "coverage":
        rows = (
            [f"Lot {lot.lot.number}: {lot.lot.name}", district, count]
            for lot in figures.lots
            for district, count in lot.covered.items()
        )
        return _export(scope, f"{reference}-coverage", ["Lot", "Postcode district", "Members reaching it"], rows)
    if table == "lots":
        rows = (
            [f"Lot {lot.lot.number}: {lot.lot.name}", len(lot.members), lot.spend, ", ".join(lot.gaps)]
            for lot in figures.lots
        )
        return _export(
            scope, f"{reference}-lots", ["Lot", "Members", "Spend with members", "Districts not reached"], rows
        )
    if table == "lapsing":
        rows = (
            [row.lot, row.member, row.checks_current_until.isoformat() if row.checks_current_until else "not recorded"]
            for row in figures.lapsing
        )
        return _export(scope, f"{reference}-checks-lapsing", ["Lot", "Member", "Checks current until"], rows)
    raise Http404("No such table")
