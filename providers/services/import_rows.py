"""Reading the cells of one directory CSV row into offer content or profile values.

Each cell is checked on its own and every problem is recorded with its line and column, so one pass
over a file tells its author everything to fix. Taxonomy codes and postcodes are looked up once per
import, not once per row.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from providers import csv_format
from providers.csv_format import COST_FIELDS, VENUE_FIELDS
from providers.exceptions import ImportFailed, PostcodeError
from providers.models import (
    AttendingType,
    CostUnit,
    OfferVersion,
    Postcode,
    ProviderProfile,
    Taxonomy,
    TaxonomyTerm,
    VatStatus,
)
from providers.postcodes import Place, locate, normalise, normalise_full
from providers.services.offers import OfferContent

T = TypeVar("T")

MAX_PROBLEMS = 500
_GSS_CODE = re.compile(r"^[A-Z][0-9]{8}$")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


class RowProblems:
    """(line, "column: message") for every problem found; raised together as ImportFailed."""

    def __init__(self) -> None:
        self.items: list[tuple[int, str]] = []

    def add(self, line: int, column: str, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append((line, f"{column}: {message}" if column else message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportFailed(sorted(self.items, key=lambda item: item[0]))


class Vocabulary:
    """The active taxonomy terms an importer may use: shared ones and their council's own."""

    def __init__(self, council: Organisation | None) -> None:
        terms = TaxonomyTerm.objects.filter(is_active=True).select_related("taxonomy")
        terms = terms.for_council(council) if council is not None else terms.shared()
        self._by_kind: dict[str, dict[str, TaxonomyTerm]] = {}
        for term in terms:
            self._by_kind.setdefault(term.taxonomy.kind, {})[term.code] = term

    def terms(self, kind: str, raw: str, *, what: str, required: bool = False) -> list[TaxonomyTerm]:
        codes = list(dict.fromkeys(code.lower() for code in csv_format.split_list(raw)))
        if required and not codes:
            raise ValueError(f"enter at least one {what} code")
        known = self._by_kind.get(kind, {})
        unknown = [code for code in codes if code not in known]
        if unknown:
            listed = ", ".join(f"“{code}”" for code in unknown)
            if len(unknown) == 1:
                raise ValueError(f"{listed} is not a {what} code we know")
            raise ValueError(f"{listed} are not {what} codes we know")
        return [known[code] for code in codes]


class Places:
    """Postcodes and council areas, looked up in the gazetteer once each."""

    def __init__(self) -> None:
        self._places: dict[str, Place | PostcodeError] = {}
        self._councils: dict[str, str | None] = {}

    def place(self, postcode: str) -> Place:
        if postcode not in self._places:
            try:
                self._places[postcode] = locate(postcode)
            except PostcodeError as error:
                self._places[postcode] = error
        found = self._places[postcode]
        if isinstance(found, PostcodeError):
            raise found
        return found

    def council_name(self, code: str) -> str | None:
        """The name of a council area the gazetteer or the councils know; None for an unknown code."""
        if code not in self._councils:
            names = Postcode.objects.filter(council_code=code).values_list("council_name", flat=True)
            council = Organisation.objects.filter(kind=OrganisationKind.COUNCIL, ons_code=code).first()
            in_gazetteer = list(names[:50])
            known = next((name for name in in_gazetteer if name), None) or (council.name if council else None)
            self._councils[code] = known or (code if in_gazetteer else None)
        return self._councils[code]

    def service_areas(self, raw: str) -> list[dict[str, str]]:
        areas = []
        for item in dict.fromkeys(item.upper() for item in csv_format.split_list(raw)):
            if _GSS_CODE.match(item):
                name = self.council_name(item)
                if name is None:
                    raise ValueError(f"“{item}” is not a council area we know")
                areas.append({"postcode_district": "", "council_code": item, "name": name})
                continue
            district = normalise(item)
            if " " in district:
                raise ValueError(f"“{item}” is a full postcode: use its district, like {district.split(' ')[0]}")
            self.place(district)
            areas.append({"postcode_district": district, "council_code": "", "name": district})
        return areas


class RowCells:
    """One row's cells, with every problem found in them recorded against the row's line."""

    def __init__(self, line: int, cells: dict[str, str], problems: RowProblems) -> None:
        self.line = line
        self.cells = cells
        self.problems = problems
        self.ok = True

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def fail(self, column: str, message: str) -> None:
        self.ok = False
        self.problems.add(self.line, column, message)

    def parse(self, column: str, parser: Callable[[str], T], default: T) -> T:
        try:
            return parser(self.get(column))
        except (ValueError, PostcodeError) as error:
            self.fail(column, _first_lower(str(error)))
        except ValidationError as error:
            self.fail(column, _first_lower(" ".join(error.messages)))
        return default


@dataclass
class OfferRowReader:
    """Turns rows into ``OfferContent``, knowing the file's numbered price and venue groups."""

    header: list[str]
    vocabulary: Vocabulary
    places: Places
    problems: RowProblems

    def __post_init__(self) -> None:
        self.cost_groups = _group_numbers(self.header, "cost")
        self.venue_groups = _group_numbers(self.header, "venue")

    def start(self, line: int, cells: dict[str, str]) -> RowCells:
        return RowCells(line, cells, self.problems)

    def content(self, cells: RowCells) -> OfferContent:
        """The row's offer content; problems are recorded in the order of the documented columns."""
        content = OfferContent(
            name=cells.parse("name", _text(_max_length("name"), required="enter the offer's name"), ""),
            description=cells.parse("description", _text(None, required="describe the offer"), ""),
            categories=cells.parse(
                "categories",
                lambda raw: self.vocabulary.terms(Taxonomy.Kind.SERVICE_CATEGORY, raw, what="category", required=True),
                [],
            ),
            needs=cells.parse("needs", lambda raw: self.vocabulary.terms(Taxonomy.Kind.NEED, raw, what="need"), []),
            minimum_age=cells.parse("minimum_age", _whole_number(default=0, maximum=120), 0),
            maximum_age=cells.parse("maximum_age", _whole_number(default=25, maximum=120), 25),
            attending_types=cells.parse("attending_types", _attending_types, []),
            schedules=cells.parse("schedule", _schedule, []),
            service_areas=cells.parse("service_areas", self.places.service_areas, []),
            languages=cells.parse("languages", languages, []),
            accessibility=cells.parse("accessibility", _text(None), ""),
            capacity_places=cells.parse("capacity_places", _whole_number(default=None, maximum=None), None),
            capacity_hours=cells.parse("capacity_hours", _hours, None),
            capacity_note=cells.parse("capacity_note", _text(_max_length("capacity_note")), ""),
            url=cells.parse("url", _url, ""),
            email=cells.parse("email", _email, ""),
            cost_options=[option for n in self.cost_groups if (option := self._cost(cells, n)) is not None],
            locations=[location for n in self.venue_groups if (location := self._venue(cells, n)) is not None],
        )
        if content.minimum_age > content.maximum_age:  # type: ignore[operator]
            cells.fail("maximum_age", "must not be less than minimum_age")
        if AttendingType.VENUE in content.attending_types and not content.locations:
            cells.fail("venue_1_name", "add the venue: attending_types includes venue")
        return content

    def _cost(self, cells: RowCells, number: int) -> dict[str, Any] | None:
        column = {f.name: csv_format.group_column("cost", number, f.name) for f in COST_FIELDS}
        if not any(cells.get(name) for name in column.values()):
            return None
        option = {
            "amount": cells.parse(column["amount"], _amount, Decimal(0)),
            "unit": cells.parse(column["unit"], _choice(CostUnit, "a unit", strip="per "), ""),
            "vat_status": cells.parse(
                column["vat_status"], _choice(VatStatus, "a VAT status", default="not_registered"), ""
            ),
            "description": cells.parse(column["description"], _text(200), ""),
            "valid_from": cells.parse(column["valid_from"], _date, None),
            "valid_to": cells.parse(column["valid_to"], _date, None),
        }
        if option["valid_from"] and option["valid_to"] and option["valid_to"] < option["valid_from"]:
            cells.fail(column["valid_to"], "must not be before valid_from")
        return option

    def _venue(self, cells: RowCells, number: int) -> dict[str, Any] | None:
        column = {f.name: csv_format.group_column("venue", number, f.name) for f in VENUE_FIELDS}
        if not any(cells.get(name) for name in column.values()):
            return None
        place = cells.parse(column["postcode"], lambda raw: self.places.place(normalise_full(raw)), None)
        venue = {
            "name": cells.parse(column["name"], _text(150, required="enter the venue's name"), ""),
            "address": cells.parse(column["address"], _text(300, required="enter the venue's address"), ""),
            "accessibility": cells.parse(column["accessibility"], _text(None), ""),
        }
        if place is None:
            return venue | {"postcode": "", "latitude": Decimal(0), "longitude": Decimal(0), "council_code": ""}
        return venue | {
            "postcode": place.postcode,
            "latitude": place.latitude,
            "longitude": place.longitude,
            "council_code": place.council_code,
        }


def offer_content_key(content: OfferContent) -> tuple:
    """What makes two contents the same offer, whatever the order of lists or the types of values.

    Text is compared without surrounding spaces and with one kind of line ending: forms send CR LF,
    spreadsheets may save LF alone, and neither is a change the provider made.
    """

    def decimal_or_none(value: object) -> Decimal | None:
        return None if value is None or value == "" else Decimal(str(value)).normalize()

    def text(value: str) -> str:
        return value.replace("\r\n", "\n").strip()

    return (
        text(content.name),
        text(content.description),
        content.url,
        content.email,
        sorted(term.pk for term in content.categories),
        sorted(term.pk for term in content.needs),
        int(content.minimum_age),
        int(content.maximum_age),
        sorted(content.attending_types),
        sorted(content.languages),
        text(content.accessibility),
        content.capacity_places,
        decimal_or_none(content.capacity_hours),
        text(content.capacity_note),
        sorted(
            (
                decimal_or_none(o["amount"]),
                o["unit"],
                o.get("vat_status", "not_registered"),
                o.get("description", ""),
                str(o.get("valid_from") or ""),
                str(o.get("valid_to") or ""),
            )
            for o in content.cost_options
        ),
        sorted(
            (s["weekday"], str(s["opens_at"])[:5], str(s["closes_at"])[:5], s.get("description", ""))
            for s in content.schedules
        ),
        sorted((a["postcode_district"], a["council_code"]) for a in content.service_areas),
        sorted((v["name"], v["address"], v["postcode"], v.get("accessibility", "")) for v in content.locations),
    )


def profile_value(field_name: str, raw: str) -> object:
    """A provider profile value from its cell, checked as the profile field checks it."""
    if field_name == "languages":
        return languages(raw)
    if field_name == "postcode":
        return normalise_full(raw)
    if field_name == "company_number" and raw.isdigit() and len(raw) < 8:
        # Spreadsheets drop the leading zeros of a number like 01234567.
        raw = raw.zfill(8)
    model_field = ProviderProfile._meta.get_field(field_name)
    return model_field.clean(raw, None)


def languages(raw: str) -> list[str]:
    codes = list(dict.fromkeys(code.lower() for code in csv_format.split_list(raw)))
    wrong = [code for code in codes if not _LANGUAGE_CODE.match(code)]
    if wrong:
        raise ValueError(f"“{wrong[0]}” is not a language code: use two letters, like en or pa")
    return codes


# --- Cell parsers: each returns the value or raises ValueError with a message for the file's author ----------


def _text(max_length: int | None, *, required: str = "") -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if required and not raw:
            raise ValueError(required)
        if max_length is not None and len(raw) > max_length:
            raise ValueError(f"this is {len(raw)} characters long: it must be {max_length} or fewer")
        return raw

    return parse


def _max_length(field_name: str) -> int:
    return OfferVersion._meta.get_field(field_name).max_length


def _whole_number(*, default: int | None, maximum: int | None) -> Callable[[str], int | None]:
    def parse(raw: str) -> int | None:
        if not raw:
            return default
        if not raw.isdigit():
            raise ValueError(f"“{raw}” is not a whole number")
        value = int(raw)
        if maximum is not None and value > maximum:
            raise ValueError(f"{value} is more than {maximum}")
        return value

    return parse


def _hours(raw: str) -> Decimal | None:
    if not raw:
        return None
    value = _decimal(raw)
    if value < 0 or value != value.quantize(Decimal("0.1")) or value >= 100000:
        raise ValueError(f"“{raw}” should be hours to one decimal place, like 12.5")
    return value.quantize(Decimal("0.1"))


def _amount(raw: str) -> Decimal:
    if not raw:
        raise ValueError("enter the price")
    value = _decimal(raw.replace("£", "").replace(",", "").strip())
    if value < 0 or value != value.quantize(Decimal("0.01")) or value >= Decimal("10000000000"):
        raise ValueError(f"“{raw}” should be pounds and pence, like 18.50")
    return value.quantize(Decimal("0.01"))


def _decimal(raw: str) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"“{raw}” is not a number") from None
    if not value.is_finite():
        raise ValueError(f"“{raw}” is not a number")
    return value


def _choice(choices: type, what: str, *, strip: str = "", default: str = "") -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.lower().strip()
        if strip and value.startswith(strip):
            value = value[len(strip) :]
        if not value and default:
            return default
        if value not in choices.values:
            raise ValueError(f"“{raw}” is not {what}: use {', '.join(choices.values)}")
        return value

    return parse


def _attending_types(raw: str) -> list[str]:
    values = list(dict.fromkeys(item.lower() for item in csv_format.split_list(raw)))
    if not values:
        raise ValueError("say where the support is given: in_home, venue or online")
    wrong = [value for value in values if value not in AttendingType.values]
    if wrong:
        raise ValueError(f"“{wrong[0]}” is not one of in_home, venue or online")
    return values


def _schedule(raw: str) -> list[dict[str, Any]]:
    entries = [csv_format.schedule_entry_parse(item) for item in csv_format.split_list(raw)]
    for entry in entries:
        if len(entry.description) > 200:
            raise ValueError(f"the note “{entry.description[:30]}…” is too long: 200 characters at most")
    return [
        {"weekday": e.weekday, "opens_at": e.opens_at, "closes_at": e.closes_at, "description": e.description}
        for e in entries
    ]


def _date(raw: str) -> date | None:
    if not raw:
        return None
    for date_format in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, date_format).date()
        except ValueError:
            continue
    raise ValueError(f"“{raw}” is not a date: write it as 2026-04-01 or 01/04/2026")


def _url(raw: str) -> str:
    if raw:
        URLValidator(schemes=["http", "https"], message=f"“{raw}” is not a web address starting https://")(raw)
    return raw


def _email(raw: str) -> str:
    if raw:
        EmailValidator(message=f"“{raw}” is not an email address")(raw)
    return raw


def _group_numbers(header: list[str], group: str) -> list[int]:
    numbers = {int(match[2]) for name in header if (match := csv_format.GROUP_COLUMN.match(name)) and match[1] == group}
    return sorted(numbers)


def _first_lower(message: str) -> str:
    return message[:1].lower() + message[1:] if message[:2] != message[:2].upper() else message
