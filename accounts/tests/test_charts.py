from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from accounts.charts import SERIES_COLOURS, bar_chart
from accounts.templatetags.money import money_text


def _chart():  # type: ignore[no-untyped-def]
    return bar_chart(
        title="Budget by funding stream",
        labels=["Education", "Health"],
        series=[("Allocated", [Decimal("1500"), Decimal("750")]), ("Spent", [Decimal("300"), Decimal("-20")])],
        formatter=money_text,
        label_heading="Funding stream",
    )


def test_the_largest_value_fills_the_width_and_the_others_are_in_proportion() -> None:
    chart = _chart()
    education, health = chart.groups
    assert [bar.percent for bar in education.bars] == [100.0, 20.0]
    assert health.bars[0].percent == 50.0


def test_a_negative_value_gets_an_empty_bar_but_keeps_its_figure() -> None:
    overspent = _chart().groups[1].bars[1]
    assert overspent.percent == 0.0
    assert overspent.text == money_text(Decimal("-20"))


def test_each_series_keeps_one_colour_across_groups() -> None:
    chart = _chart()
    assert [entry.colour for entry in chart.series] == list(SERIES_COLOURS[:2])
    assert {bar.colour for group in chart.groups for bar in group.bars if bar.series == "Spent"} == {SERIES_COLOURS[1]}


def test_nothing_to_draw_gives_empty_bars_not_an_error() -> None:
    chart = bar_chart(title="Nothing yet", labels=["A"], series=[("Spent", [0])])
    assert chart.groups[0].bars[0].percent == 0.0


def test_a_series_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="2 labels"):
        bar_chart(title="Broken", labels=["A", "B"], series=[("Spent", [1])])


def test_the_table_under_the_chart_has_every_figure_and_the_bars_are_hidden_from_screen_readers() -> None:
    html = render_to_string("includes/bar_chart.html", {"chart": _chart()})
    assert 'class="app-bar-chart__bars" aria-hidden="true"' in html
    assert '<th scope="col" class="govuk-table__header">Funding stream</th>' in html
    for figure in ("£1,500.00", "£750.00", "£300.00", money_text(Decimal("-20"))):
        assert f'<td class="govuk-table__cell govuk-table__cell--numeric">{figure}</td>' in html
    assert '<rect width="20.0" height="10"' in html


def test_the_table_can_be_left_out_when_the_page_has_one() -> None:
    html = render_to_string("includes/bar_chart.html", {"chart": _chart(), "table": False})
    assert "<table" not in html
