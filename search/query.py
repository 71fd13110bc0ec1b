"""The search engine's contract: a typed query in, hits with facet counts out.

Every backend (the database one, Elasticsearch later) takes a ``SearchQuery`` and answers a
``SearchResults``; the find-support page, the open API and the budget screens use nothing else.

What each filter means:

- ``text``: every word must match the offer's name, categories, needs or description (English
  stemming; common words such as "the" are ignored). A word of 5 or more letters that no offer uses
  also matches the words one edit away from it (a letter added, dropped, changed or two swapped); the
  results list those in ``suggestions``.
- ``postcode`` is where distances are measured from. ``radius_miles`` keeps offers with a venue
  within that distance; ``comes_to_home`` keeps offers whose service area (a postcode district or a
  council area, or a personal assistant's districts) covers the postcode. They are alternatives: a
  query may use one of them, not both.
- ``categories``: any of the codes; a parent code matches its children ("short-breaks" matches
  "respite-at-home"). ``needs``, ``attending_types``, ``languages``: any of the codes.
- ``age``: the offer's age range includes it.
- ``days``: the offer runs on any of the days; with ``time_from``/``time_to``, in a span on one of
  those days that overlaps the window (without days, on any day).
- ``price_max`` with ``price_unit``: the offer has a price in that unit at or below it. Prices
  "plus VAT" are compared with VAT added: that is what the family pays.
- ``dbs_checked_only``: the provider's checks are current on ``today`` (``checks_current_until >=
  today``). The index keeps the date, not a flag, so a lapse takes effect at once.
- ``framework_only``: the offer is on a council framework current on ``today``; ``framework`` (a
  framework's public id) narrows it to that framework.
- ``provider_kind``: "organisation" or "personal_assistant". ``has_capacity``: places or hours free now.

Sorts: "relevance" (best match first; without words, nearest first when there is a postcode, else by
name), "distance" (needs a postcode; offers without a venue last), "price" (lowest price in
``price_unit`` first, which it needs; offers without one last) and "assured" (most recently assured
first). Ties are broken by name, then by id, so that paging is stable.

Facets (``SearchResults.facets``) are counted with every filter applied except the facet's own, so a
count says how many results choosing that value would add. Fixed lists (age bands, attending types,
days, provider kinds and the yes/no facets) include values with no offers; open lists (categories,
needs, languages, price bands, frameworks) list only values that have some.
"""

import dataclasses
import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from accounts.ids import is_uuid
from search.exceptions import InvalidQuery

SORTS = ("relevance", "distance", "price", "assured")
PROVIDER_KINDS = ("organisation", "personal_assistant")
ATTENDING_TYPES = ("in_home", "venue", "online")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PRICE_UNITS = ("hour", "session", "day", "night", "week", "item")
MAX_PER_PAGE = 100
MAX_RADIUS_MILES = 200
MAX_TEXT_LENGTH = 200
MAX_AGE = 120

FACETS = (
    "category",
    "need",
    "age",
    "attending_type",
    "day",
    "price",
    "dbs_checked",
    "framework",
    "provider_kind",
    "language",
    "has_capacity",
)


@dataclass(frozen=True)
class AgeBand:
    value: str
    label: str
    lowest: int
    highest: int


AGE_BANDS = (
    AgeBand("0-4", "Under 5", 0, 4),
    AgeBand("5-10", "5 to 10", 5, 10),
    AgeBand("11-15", "11 to 15", 11, 15),
    AgeBand("16-17", "16 to 17", 16, 17),
    AgeBand("18-25", "18 to 25", 18, 25),
)


@dataclass(frozen=True)
class PriceBand:
    """Prices from ``lowest`` (inclusive) to ``below`` (exclusive) in one unit; ``below`` None is open."""

    unit: str
    lowest: Decimal
    below: Decimal | None

    @property
    def value(self) -> str:
        return f"{self.unit}:{self.lowest}-{self.below if self.below is not None else ''}"

    @property
    def label(self) -> str:
        per = {"hour": "an hour", "night": "a night", "item": "an item"}.get(self.unit, f"a {self.unit}")
        if self.lowest == 0:
            return f"Under £{self.below} {per}"
        if self.below is None:
            return f"£{self.lowest} or more {per}"
        return f"£{self.lowest} to £{self.below} {per}"


def _bands(unit: str, *edges: int) -> tuple[PriceBand, ...]:
    limits = [Decimal(0), *(Decimal(edge) for edge in edges), None]
    return tuple(PriceBand(unit, limits[i], limits[i + 1]) for i in range(len(limits) - 1))


# Bands chosen from what budgets pay in the pilots: around the National Living Wage for PAs, and
# typical short-break, overnight and weekly package prices.
PRICE_BANDS: tuple[PriceBand, ...] = (
    *_bands("hour", 15, 25, 40),
    *_bands("session", 20, 50, 100),
    *_bands("day", 50, 100, 200),
    *_bands("night", 100, 200, 350),
    *_bands("week", 200, 500, 1000),
    *_bands("item", 25, 100, 500),
)

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_TRUE = {"1", "true", "on", "yes"}
_FALSE = {"", "0", "false", "off", "no"}


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    postcode: str = ""
    radius_miles: float | None = None
    comes_to_home: bool = False
    categories: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    age: int | None = None
    attending_types: tuple[str, ...] = ()
    days: tuple[str, ...] = ()
    time_from: time | None = None
    time_to: time | None = None
    price_max: Decimal | None = None
    price_unit: str = ""
    dbs_checked_only: bool = False
    framework_only: bool = False
    framework: str = ""
    provider_kind: str | None = None
    languages: tuple[str, ...] = ()
    has_capacity: bool = False
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    today: date = field(default_factory=timezone.localdate)

    def __post_init__(self) -> None:
        # Lists become tuples so that a query stays hashable and cannot change after it is checked.
        for name in ("categories", "needs", "attending_types", "days", "languages"):
            object.__setattr__(self, name, tuple(dict.fromkeys(getattr(self, name))))
        object.__setattr__(self, "text", " ".join(self.text.split()))
        object.__setattr__(self, "postcode", self.postcode.strip())
        errors = _query_errors(self)
        if errors:
            raise InvalidQuery(errors)

    @classmethod
    def from_params(cls, params: Mapping[str, Any], *, today: date | None = None) -> "SearchQuery":
        """A query from a query string (a ``QueryDict`` or a plain dict); every bad value is reported at once."""
        values, errors = _parse_params(params)
        if today is not None:
            values["today"] = today
        try:
            query = cls(**values)
        except InvalidQuery as invalid:
            raise InvalidQuery({**invalid.errors, **errors}) from None
        if errors:
            raise InvalidQuery(errors)
        return query

    def replace(self, **changes: Any) -> "SearchQuery":
        return dataclasses.replace(self, **changes)

    @property
    def is_place_search(self) -> bool:
        return bool(self.postcode)

    @property
    def wants_framework(self) -> bool:
        return self.framework_only or bool(self.framework)


@dataclass(frozen=True)
class Hit:
    offer_id: int
    public_id: uuid.UUID
    score: float
    distance_miles: float | None


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Suggestion:
    """A word no offer uses, and the words it was taken to mean."""

    word: str
    corrections: tuple[str, ...]


@dataclass(frozen=True)
class SearchResults:
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]]
    suggestions: list[Suggestion]
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        """The position of the first hit on this page, counting from 1 (0 when there are none)."""
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    @property
    def last_index(self) -> int:
        return (self.page - 1) * self.per_page + len(self.hits)

    def facet(self, name: str) -> list[FacetValue]:
        return self.facets.get(name, [])


def _query_errors(query: SearchQuery) -> dict[str, str]:
    errors: dict[str, str] = {}
    checks = (
        _text_errors,
        _place_errors,
        _code_errors,
        _age_errors,
        _time_errors,
        _price_errors,
        _choice_errors,
        _paging_errors,
    )
    for check in checks:
        for name, message in check(query).items():
            errors.setdefault(name, message)
    return errors


def _text_errors(query: SearchQuery) -> dict[str, str]:
    if len(query.text) > MAX_TEXT_LENGTH:
        return {"text": f"Search words must be {MAX_TEXT_LENGTH} characters or fewer"}
    return {}


def _place_errors(query: SearchQuery) -> dict[str, str]:
    errors = {}
    if query.radius_miles is not None:
        if not isinstance(query.radius_miles, int | float) or not 0 < query.radius_miles <= MAX_RADIUS_MILES:
            errors["radius_miles"] = f"Distance must be more than 0 and no more than {MAX_RADIUS_MILES} miles"
        elif query.comes_to_home:
            errors["radius_miles"] = "Choose a distance or 'comes to your home', not both"
        elif not query.postcode:
            errors["postcode"] = "Enter a postcode to search within a distance"
    if query.comes_to_home and not query.postcode:
        errors["postcode"] = "Enter your postcode to find support that comes to your home"
    if query.sort == "distance" and not query.postcode:
        errors["postcode"] = "Enter a postcode to sort by distance"
    return errors


def _code_errors(query: SearchQuery) -> dict[str, str]:
    errors = {}
    for name in ("categories", "needs"):
        if any(not _CODE.match(code) for code in getattr(query, name)):
            errors[name] = "Choose from the list"
    if any(code not in ATTENDING_TYPES for code in query.attending_types):
        errors["attending_types"] = "Choose at home, at a venue or online"
    if any(day not in WEEKDAYS for day in query.days):
        errors["days"] = "Choose days of the week"
    if any(not _LANGUAGE.match(code) for code in query.languages):
        errors["languages"] = "Choose languages from the list"
    if query.framework and not is_uuid(query.framework):
        errors["framework"] = "Choose a framework from the list"
    return errors


def _age_errors(query: SearchQuery) -> dict[str, str]:
    if query.age is not None and (isinstance(query.age, bool) or not 0 <= query.age <= MAX_AGE):
        return {"age": f"Age must be a whole number from 0 to {MAX_AGE}"}
    return {}


def _time_errors(query: SearchQuery) -> dict[str, str]:
    if query.time_from and query.time_to and query.time_from >= query.time_to:
        return {"time_to": "The end time must be after the start time"}
    return {}


def _price_errors(query: SearchQuery) -> dict[str, str]:
    errors = {}
    if query.price_unit and query.price_unit not in PRICE_UNITS:
        errors["price_unit"] = "Choose what the price is for: an hour, a session, a day, a night, a week or an item"
    if query.price_max is not None:
        if not isinstance(query.price_max, Decimal) or query.price_max < 0:
            errors["price_max"] = "Enter a price of £0 or more, like 25 or 25.50"
        elif not query.price_unit:
            errors["price_unit"] = "Choose what the price is for"
    if query.sort == "price" and not query.price_unit:
        # Prices in different units cannot be put in one order: an hour is not a week.
        errors["price_unit"] = "Choose what the price is for, to sort by price"
    return errors


def _choice_errors(query: SearchQuery) -> dict[str, str]:
    errors = {}
    if query.sort not in SORTS:
        errors["sort"] = "Choose how to sort the results"
    if query.provider_kind is not None and query.provider_kind not in PROVIDER_KINDS:
        errors["provider_kind"] = "Choose organisations or personal assistants"
    return errors


def _paging_errors(query: SearchQuery) -> dict[str, str]:
    errors = {}
    if isinstance(query.page, bool) or not isinstance(query.page, int) or query.page < 1:
        errors["page"] = "Page must be a whole number, 1 or more"
    if (
        isinstance(query.per_page, bool)
        or not isinstance(query.per_page, int)
        or not 1 <= query.per_page <= MAX_PER_PAGE
    ):
        errors["per_page"] = f"Results per page must be a whole number from 1 to {MAX_PER_PAGE}"
    return errors


# --- Reading a query string ----------------------------------------------------------------------

_LISTS = ("categories", "needs", "attending_types", "days", "languages")
_FLAGS = ("comes_to_home", "dbs_checked_only", "framework_only", "has_capacity")
_STRINGS = ("text", "postcode", "price_unit", "framework", "sort")


def _parse_params(params: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in _LISTS:
        items = [item for raw in _all(params, name) for item in str(raw).split(",") if item.strip()]
        if items:
            values[name] = tuple(item.strip().upper() if name == "days" else item.strip() for item in items)
    for name in _STRINGS:
        raw = _one(params, name)
        if raw:
            values[name] = raw
    for name in _FLAGS:
        raw = _one(params, name).lower()
        if raw in _TRUE:
            values[name] = True
        elif raw not in _FALSE:
            errors[name] = "Answer yes or no"
    kind = _one(params, "provider_kind")
    if kind:
        values["provider_kind"] = kind
    parsers = (
        ("radius_miles", _float, "Enter the distance in miles, like 5"),
        ("age", _whole, "Enter an age in whole years, like 7"),
        ("time_from", _time, "Enter a time like 09:30"),
        ("time_to", _time, "Enter a time like 17:00"),
        ("price_max", _money, "Enter a price like 25 or 25.50"),
        ("page", _whole, "Page must be a whole number"),
        ("per_page", _whole, "Results per page must be a whole number"),
    )
    for name, parse, message in parsers:
        raw = _one(params, name)
        if not raw:
            continue
        try:
            values[name] = parse(raw)
        except (ValueError, InvalidOperation):
            errors[name] = message
    return values, errors


def _all(params: Mapping[str, Any], name: str) -> list[Any]:
    if hasattr(params, "getlist"):
        return params.getlist(name)
    value = params.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _one(params: Mapping[str, Any], name: str) -> str:
    values = _all(params, name)
    return str(values[-1]).strip() if values else ""


def _float(raw: str) -> float:
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


def _whole(raw: str) -> int:
    if not re.fullmatch(r"-?\d{1,6}", raw):
        raise ValueError(raw)
    return int(raw)


def _time(raw: str) -> time:
    for layout in ("%H:%M", "%H:%M:%S", "%H.%M"):
        try:
            return datetime.strptime(raw, layout).time()  # a time of day, not a moment
        except ValueError:
            continue
    raise ValueError(raw)


def _money(raw: str) -> Decimal:
    value = Decimal(raw.replace("£", "").replace(",", ""))
    if not value.is_finite() or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(raw)
    return value
