"""The equity page: take-up and spend per child by postcode district, as a chart, a table and a CSV."""

from collections.abc import Iterator
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from accounts.charts import BarChart, bar_chart
from accounts.templatetags.money import money_text
from marketplace.insights.equity import WITHHELD, AreaEquity, EquityFigures, equity_figures
from marketplace.insights.views import _export, _page, _scope, commissioner_required


def _per_child_chart(figures: EquityFigures) -> BarChart:
    rows = [row for row in [figures.council, *figures.shown] if row.per_child is not None]
    return bar_chart(
        title="Spend per child by postcode district",
        labels=[row.area for row in rows],
        series=[("Spend per child", [row.per_child or Decimal(0) for row in rows])],
        formatter=money_text,
        label_heading="Postcode district",
    )


@commissioner_required
@require_GET
def equity(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    figures = equity_figures(scope)
    return _page(request, "equity.html", scope, figures=figures, chart=_per_child_chart(figures))


HEADER = ["Postcode district", "Children with a budget", "Children taking up", "Take-up (%)", "Spent", "Per child"]


def _shown(value: object) -> object:
    return WITHHELD if value is None else value


def _rows(figures: EquityFigures) -> Iterator[list[object]]:
    rows: list[AreaEquity] = [*figures.districts]
    if figures.withheld_together:
        rows.append(figures.withheld_together)
    rows.append(figures.council)
    for row in rows:
        yield [
            row.area,
            row.children_text,
            row.taking_up_text,
            _shown(row.take_up_percent),
            _shown(row.spent_shown),
            _shown(row.per_child),
        ]


@commissioner_required
@require_GET
def equity_export(request: HttpRequest, table: str) -> HttpResponse:
    scope = _scope(request)
    if table != "districts":
        raise Http404("No such table")
    return _export(scope, "equity-by-district", HEADER, _rows(equity_figures(scope)))
