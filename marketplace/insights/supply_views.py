"""Supply against demand pages: the ranked gaps with trends, the dot map, and their CSV downloads.

Commissioners only (anyone else gets 403); every figure is of the council they act for. The category filter
is an ordinary GET form, so the pages work without JavaScript.
"""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from accounts.charts import BarChart, bar_chart
from marketplace.insights.scope import InsightScope
from marketplace.insights.supply import (
    KIND_LABELS,
    LARGEST_DOT,
    MAP_HEIGHT,
    MAP_WIDTH,
    THIN_SUPPLY,
    Category,
    GapRow,
    SupplyFigures,
    district_centroids,
    map_dots,
    supply_figures,
)
from marketplace.insights.views import Rows, _export, _page, _scope, commissioner_required


class CategoryFilterForm(forms.Form):
    category = forms.ChoiceField(label="Kind of support", required=False)

    def __init__(self, data: object, categories: list[Category]) -> None:
        super().__init__(data)
        self.fields["category"].choices = [("", "Every kind of support")] + [
            (category.code, category.label) for category in categories
        ]


def _figures(request: HttpRequest) -> tuple[InsightScope, SupplyFigures, CategoryFilterForm]:
    scope = _scope(request)
    figures = supply_figures(scope, request.GET.get("category", ""))
    form = CategoryFilterForm(request.GET if "category" in request.GET else None, figures.categories)
    form.is_valid()
    return scope, figures, form


def _query_string(scope: InsightScope, figures: SupplyFigures) -> str:
    chosen = f"&category={figures.category.code}" if figures.category else ""
    return f"{scope.query_string}{chosen}"


def _trend_chart(figures: SupplyFigures) -> BarChart:
    return bar_chart(
        title="Demand signals and new offers by month",
        labels=[f"{row.month:%B %Y}" for row in figures.months],
        series=[
            ("Demand signals", [row.demand for row in figures.months]),
            ("New offers published", [row.new_offers for row in figures.months]),
        ],
        label_heading="Month",
    )


def _context(request: HttpRequest) -> tuple[InsightScope, dict[str, object]]:
    scope, figures, form = _figures(request)
    return scope, {
        "figures": figures,
        "form": form,
        "kinds": KIND_LABELS,
        "filter_query": _query_string(scope, figures),
        "thin_supply": THIN_SUPPLY,
    }


@commissioner_required
@require_GET
def supply(request: HttpRequest) -> HttpResponse:
    scope, context = _context(request)
    figures: SupplyFigures = context["figures"]  # type: ignore[assignment]
    return _page(request, "supply.html", scope, trend_chart=_trend_chart(figures), **context)


@commissioner_required
@require_GET
def supply_map(request: HttpRequest) -> HttpResponse:
    scope, context = _context(request)
    figures: SupplyFigures = context["figures"]  # type: ignore[assignment]
    dots = map_dots(figures)
    placed = {dot.district for dot in dots}
    unplaced = [district for district in figures.districts_supply if district not in placed]
    return _page(
        request,
        "supply_map.html",
        scope,
        dots=dots,
        unplaced=unplaced,
        map_width=MAP_WIDTH,
        map_height=MAP_HEIGHT,
        largest_dot=LARGEST_DOT,
        **context,
    )


GAP_HEADER = [
    "Kind of support",
    "Category code",
    "Postcode district",
    "Providers and PAs available",
    "Of which PAs",
    "With capacity",
    "Places free",
    "Hours a week free",
    *KIND_LABELS.values(),
    "Demand signals",
    "Signals per provider",
    "Search",
]


def _gap_rows(request: HttpRequest, rows: list[GapRow]) -> Rows:
    for row in rows:
        yield [
            row.category_label,
            row.category_code,
            row.area_label,
            row.supply,
            row.assistants,
            row.with_capacity,
            row.places_free,
            row.hours_free,
            *(row.by_kind[kind] for kind in KIND_LABELS),
            row.demand,
            row.score_text,
            request.build_absolute_uri(row.search_url),
        ]


@commissioner_required
@require_GET
def supply_export(request: HttpRequest, table: str) -> HttpResponse:
    scope, figures, _ = _figures(request)
    suffix = f"-{figures.category.code}" if figures.category else ""
    if table == "gaps":
        return _export(scope, f"supply-gaps{suffix}", GAP_HEADER, _gap_rows(request, figures.gaps))
    if table == "categories":
        return _export(scope, f"supply-by-category{suffix}", GAP_HEADER, _gap_rows(request, figures.areas))
    if table == "months":
        header = ["Month", *KIND_LABELS.values(), "Demand signals", "New offers published"]
        rows = (
            [f"{row.month:%Y-%m}", *(row.by_kind[kind] for kind in KIND_LABELS), row.demand, row.new_offers]
            for row in figures.months
        )
        return _export(scope, f"supply-by-month{suffix}", header, rows)
    if table == "districts":
        header = ["Postcode district", "Latitude", "Longitude", "Providers and PAs available", "With capacity"]
        header.append("Demand signals")
        centroids = district_centroids(figures.districts_supply)
        rows = (
            [district, *centroids.get(district, ("", "")), supply, capacity, demand]
            for district, (supply, capacity, demand) in figures.districts_supply.items()
        )
        return _export(scope, f"supply-by-district{suffix}", header, rows)
    raise Http404("No such table")
