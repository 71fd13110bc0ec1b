"""The find-support page's filters as the template draws them: each facet's values with their counts,
ticked as the query string says, and the other fields' values as the person typed them.

Field names are ``SearchQuery.from_params``'s, so the form's query string is the query itself and a
result page's address can be shared. The first input of every field has the field's name as its id,
so that the error summary can link to it.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from search.query import PRICE_UNITS, FacetValue

# What the "Where" options mean for the person choosing; the index keeps the codes.
SORT_CHOICES = (
    ("relevance", "Best match"),
    ("distance", "Nearest first"),
    ("price", "Lowest price first"),
    ("assured", "Most recently checked by a council"),
)
DISTANCE_CHOICES = ("1", "3", "5", "10", "20", "50")
PRICE_UNIT_CHOICES = (
    ("hour", "An hour"),
    ("session", "A session"),
    ("day", "A day"),
    ("night", "A night"),
    ("week", "A week"),
    ("item", "An item"),
)
assert tuple(unit for unit, _ in PRICE_UNIT_CHOICES) == PRICE_UNITS

# (query string name, facet name, legend) for facets whose values are ticked in checkboxes.
CHECKBOX_FACETS = (
    ("categories", "category", "Kind of support"),
    ("needs", "need", "Needs and disabilities"),
    ("attending_types", "attending_type", "Where the support happens"),
    ("days", "day", "Days"),
    ("languages", "language", "Languages spoken"),
)


@dataclass(frozen=True)
class Option:
    id: str
    value: str
    label: str
    count: int | None  # None when there are no counts to show (the query could not run)
    checked: bool


@dataclass(frozen=True)
class FilterGroup:
    name: str
    legend: str
    options: list[Option]
    error: str = ""

    @property
    def chosen(self) -> int:
        return sum(option.checked for option in self.options)


@dataclass(frozen=True)
class Filters:
    """Everything the filter form shows. ``values`` holds single fields as typed."""

    values: dict[str, str]
    checkbox_groups: list[FilterGroup]
    provider_kind: FilterGroup
    framework: FilterGroup
    flags: dict[str, Option]
    age_bands: list[FacetValue]
    price_bands: list[FacetValue]
    errors: dict[str, str] = field(default_factory=dict)
    sort_choices: tuple = SORT_CHOICES
    distance_choices: tuple = DISTANCE_CHOICES
    price_unit_choices: tuple = PRICE_UNIT_CHOICES

    @property
    def time_fields(self) -> list[tuple[str, str, str, str]]:
        """(name, label, value, error) of the two times, drawn alike."""
        return [
            (name, label, self.values.get(name, ""), self.errors.get(name, ""))
            for name, label in (("time_from", "From"), ("time_to", "To"))
        ]

    @property
    def active_count(self) -> int:
        ticked = sum(option.checked for group in self.checkbox_groups for option in group.options)
        ticked += sum(option.checked for option in self.flags.values())
        others = ("age", "time_from", "time_to", "price_max", "provider_kind", "framework")
        return ticked + sum(bool(self.values.get(name)) for name in others)


SINGLE_FIELDS = (
    "text",
    "postcode",
    "radius_miles",
    "age",
    "time_from",
    "time_to",
    "price_max",
    "price_unit",
    "provider_kind",
    "framework",
    "sort",
)
FLAG_FIELDS = (
    ("dbs_checked_only", "dbs_checked", "DBS checked only"),
    ("has_capacity", "has_capacity", "Has places or hours free now"),
    ("comes_to_home", "", "Only support that comes to my home"),
    ("framework_only", "", "On a council framework only"),
)


def filters_for(
    params: Mapping[str, Any], facets: dict[str, list[FacetValue]], errors: dict[str, str], *, counted: bool = True
) -> Filters:
    """The form as the person left it, with the facets' values; ``counted`` False hides the counts (they
    are not of the person's query when it could not run)."""
    values = {name: _one(params, name) for name in SINGLE_FIELDS}
    groups = [
        _group(name, legend, facets.get(facet, []), set(_many(params, name)), counted, errors.get(name, ""))
        for name, facet, legend in CHECKBOX_FACETS
    ]
    kinds = [
        FacetValue("", "Either", sum(value.count for value in facets.get("provider_kind", []))),
        *facets.get("provider_kind", []),
    ]
    provider_kind = _group(
        "provider_kind",
        "Organisation or personal assistant",
        kinds,
        {values["provider_kind"]},
        counted,
        errors.get("provider_kind", ""),
    )
    frameworks = [FacetValue("", "Any framework", 0), *facets.get("framework", [])]
    framework = _group(
        "framework", "Which framework", frameworks, {values["framework"]}, counted, errors.get("framework", "")
    )
    return Filters(
        values=values,
        checkbox_groups=groups,
        provider_kind=_without_count_on_first(provider_kind, counted),
        framework=_without_count_on_first(framework, False),
        flags={name: _flag(params, name, facets.get(facet, []), label, counted) for name, facet, label in FLAG_FIELDS},
        age_bands=facets.get("age", []) if counted else [],
        price_bands=_price_bands(facets.get("price", []), values["price_unit"]) if counted else [],
        errors=errors,
    )


def _price_bands(bands: list[FacetValue], unit: str) -> list[FacetValue]:
    """With a unit chosen, only its bands: an hour's prices say nothing about a week's."""
    return [band for band in bands if not unit or band.value.startswith(f"{unit}:")]


def _group(
    name: str, legend: str, values: list[FacetValue], chosen: set[str], counted: bool, error: str
) -> FilterGroup:
    options = [_option(name, index, value, chosen, counted) for index, value in enumerate(values)]
    # A ticked value that the counts no longer list (nothing has it now) stays on the form, so it can be unticked.
    known = {option.value for option in options}
    for extra in sorted(chosen - known - {""}):
        options.append(Option(f"{name}-{len(options) + 1}", extra, extra, 0 if counted else None, True))
    return FilterGroup(name, legend, options, error)


def _option(name: str, index: int, value: FacetValue, chosen: set[str], counted: bool) -> Option:
    option_id = name if index == 0 else f"{name}-{index + 1}"
    return Option(option_id, value.value, value.label, value.count if counted else None, value.value in chosen)


def _without_count_on_first(group: FilterGroup, counted: bool) -> FilterGroup:
    first, *rest = group.options
    first = Option(
        first.id,
        first.value,
        first.label,
        first.count if counted else None,
        first.checked or not any(o.checked for o in rest),
    )
    return FilterGroup(group.name, group.legend, [first, *rest], group.error)


def _flag(params: Mapping[str, Any], name: str, values: list[FacetValue], label: str, counted: bool) -> Option:
    count = values[0].count if values and counted else None
    return Option(name, "true", label, count, _one(params, name).lower() in {"1", "true", "on", "yes"})


def _one(params: Mapping[str, Any], name: str) -> str:
    values = _all(params, name)
    return str(values[-1]).strip() if values else ""


def _many(params: Mapping[str, Any], name: str) -> list[str]:
    items = [item.strip() for raw in _all(params, name) for item in str(raw).split(",") if item.strip()]
    return [item.upper() for item in items] if name == "days" else items


def _all(params: Mapping[str, Any], name: str) -> list[Any]:
    if hasattr(params, "getlist"):
        return params.getlist(name)
    value = params.get(name)
    return [] if value is None else [value]
