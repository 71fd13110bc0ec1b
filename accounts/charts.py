"""Horizontal bar charts for any page, with the same figures in a table beside them.

Each bar is a small SVG stretched to the width it stands for, on a line of its own with its figure written
after it in ordinary text, so the chart reads on a 320-pixel phone (text in a scaled SVG would shrink with
it) and needs no inline style under the content security policy. The chart is a picture for sighted
readers and hidden from assistive technology; the table that ``templates/includes/bar_chart.html``
renders with it carries every figure for everyone.

    chart = bar_chart(
        title="Budget by funding stream",
        labels=["Education", "Health"],
        series=[("Allocated", [Decimal("1500"), Decimal("800")]), ("Spent", [Decimal("400"), Decimal("0")])],
        formatter=money_text,
    )
    {% include "includes/bar_chart.html" with chart=chart %}
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import slugify

Number = Decimal | int | float

# GOV.UK colours with at least 3:1 contrast against white (WCAG 2.2, 1.4.11 non-text contrast).
SERIES_COLOURS = ("#1d70b8", "#00703c", "#4c2c92", "#d4351c", "#0b0c0c")


@dataclass(frozen=True)
class ChartBar:
    series: str
    value: Number
    text: str
    colour: str
    percent: float  # of the longest bar in the chart, 0 to 100


@dataclass(frozen=True)
class ChartGroup:
    label: str
    bars: tuple[ChartBar, ...]


@dataclass(frozen=True)
class ChartSeries:
    name: str
    colour: str


@dataclass(frozen=True)
class BarChart:
    title: str
    groups: tuple[ChartGroup, ...]
    series: tuple[ChartSeries, ...]
    caption: str = ""
    label_heading: str = ""

    @property
    def slug(self) -> str:
        return slugify(self.title) or "chart"

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """The table beside the chart: one row per group, one column per series."""
        return [(group.label, [bar.text for bar in group.bars]) for group in self.groups]


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number]]],
    formatter: Callable[[Number], str] = str,
    caption: str = "",
    label_heading: str = "",
) -> BarChart:
    """One group of bars per label, one bar per series; the largest value fills the width.

    A negative value (an overspend, a fall) gets an empty bar, since a length would suggest an amount in the
    wrong direction; its figure is still written beside it and in the table."""
    for name, values in series:
        if len(values) != len(labels):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(labels)} labels")
    largest = max((max((float(v) for v in values), default=0.0) for _, values in series), default=0.0)
    colours = {name: SERIES_COLOURS[index % len(SERIES_COLOURS)] for index, (name, _) in enumerate(series)}
    groups = []
    for index, label in enumerate(labels):
        bars = []
        for name, values in series:
            value = values[index]
            percent = max(float(value), 0.0) / largest * 100 if largest > 0 else 0.0
            text = formatter(value)
            bars.append(ChartBar(series=name, value=value, text=text, colour=colours[name], percent=round(percent, 1)))
        groups.append(ChartGroup(label=label, bars=tuple(bars)))
    return BarChart(
        title=title,
        groups=tuple(groups),
        series=tuple(ChartSeries(name=name, colour=colour) for name, colour in colours.items()),
        caption=caption,
        label_heading=label_heading,
    )
