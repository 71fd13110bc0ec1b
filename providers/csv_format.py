"""The directory CSV layout: one row per offer, the columns named here and explained in docs/directory-csv.md.

Exports write these columns and imports read them, so a file exported, edited in a spreadsheet and
imported again changes exactly what was edited. A council's directory file adds ``provider_…``
columns in front, naming the organisation each offer belongs to and its profile.

Lists in one cell are separated by semicolons. Prices and venues come in numbered groups
(``cost_1_amount``, ``cost_2_amount``, …; ``venue_1_name``, …): use as many groups as an offer needs.
"""

import re
from dataclasses import dataclass
from datetime import time

from providers.models import Weekday


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    example: str = ""
    required: bool = False
    export_only: bool = False  # written by exports for information; ignored when importing


OFFER_COLUMNS: tuple[Column, ...] = (
    Column(
        "offer_id",
        "The offer's id. Leave it empty to add a new offer; keep it to change that offer.",
        "3f0c2a9e-8d1b-4c55-9a43-1e2f6b7c8d90",
    ),
    Column(
        "status",
        "Where the offer is: draft, pending, published, suspended or withdrawn. Ignored when you import.",
        "published",
        export_only=True,
    ),
    Column("name", "The name families see, up to 150 characters.", "Saturday club", required=True),
    Column(
        "description",
        "What the offer is, who it is for and what happens.",
        "A club for disabled children aged 8 to 16.",
        required=True,
    ),
    Column(
        "categories",
        "Kinds of support, by code, separated by semicolons. At least one.",
        "short-breaks; leisure-and-activities",
        required=True,
    ),
    Column("needs", "Needs and disabilities supported, by code, separated by semicolons.", "autism; adhd"),
    Column("minimum_age", "The youngest age, in years (0 to 120). Empty means 0.", "8"),
    Column("maximum_age", "The oldest age, in years (0 to 120). Empty means 25.", "16"),
    Column(
        "attending_types",
        "Where the support is given: in_home, venue or online, separated by semicolons.",
        "venue; online",
        required=True,
    ),
    Column(
        "schedule",
        "Days and times, separated by semicolons: a day code (MO, TU, WE, TH, FR, SA, SU), opening and "
        "closing times (24-hour clock), then an optional note.",
        "MO 15:30-18:00; SA 10:00-15:00 Term time only",
    ),
    Column(
        "service_areas",
        "For support at home: postcode districts or council area codes, separated by semicolons.",
        "CV1; CV2; E08000026",
    ),
    Column("languages", "Languages spoken, as two-letter codes, separated by semicolons.", "en; pa"),
    Column("accessibility", "Access information: step-free access, hearing loops, quiet rooms.", "Step-free access"),
    Column("capacity_places", "How many places are free now, as a whole number.", "3"),
    Column("capacity_hours", "How many hours a week are free now, to one decimal place.", "12.5"),
    Column("capacity_note", "A note about availability, up to 200 characters.", "Waiting list for Saturdays"),
    Column("url", "A web page about the offer.", "https://example.org/saturday-club"),
    Column("email", "An email address for enquiries about this offer.", "clubs@example.org"),
)

COST_FIELDS: tuple[Column, ...] = (
    Column("amount", "The price in pounds and pence, without the £ sign.", "18.50", required=True),
    Column("unit", "What the price is for: hour, session, day, night, week or item.", "hour", required=True),
    Column(
        "vat_status",
        "not_registered, exempt, included or plus_vat (20% is added). Empty means not_registered.",
        "exempt",
    ),
    Column("description", "What this price covers, up to 200 characters.", "Evenings and weekends"),
    Column("valid_from", "The first day this price applies, as 2026-04-01 (or 01/04/2026).", "2026-04-01"),
    Column("valid_to", "The last day this price applies.", "2027-03-31"),
)

VENUE_FIELDS: tuple[Column, ...] = (
    Column("name", "The venue's name.", "Foleshill Community Centre", required=True),
    Column("address", "The street address, without the postcode.", "Broad Street, Coventry", required=True),
    Column("postcode", "The venue's full postcode: it places the venue on the map.", "CV6 5BG", required=True),
    Column("accessibility", "Access at this venue.", "Step-free entrance and accessible toilet"),
)

PROVIDER_COLUMNS: tuple[Column, ...] = (
    Column(
        "provider_id",
        "The organisation's id. Leave it empty for a new provider, or to match an existing one by name.",
        "8a41c0de-2f6b-4f1a-9b7e-5c3d2e1f0a9b",
    ),
    Column(
        "provider_name",
        "The organisation's name. A provider registered with your council with this name is matched; "
        "otherwise a new one is registered.",
        "Coventry Short Breaks Trust",
        required=True,
    ),
    Column("provider_legal_name", "The registered name. Empty means the same as provider_name.", ""),
    Column("provider_trading_name", "The name it trades under, if different.", ""),
    Column("provider_charity_number", "Registered charity number.", "1123456"),
    Column("provider_company_number", "Companies House number, 8 characters.", "07123456"),
    Column("provider_description", "What the organisation does.", ""),
    Column("provider_website", "The organisation's website.", "https://example.org"),
    Column("provider_email", "The organisation's public email address.", "hello@example.org"),
    Column("provider_phone", "The organisation's public phone number.", "024 7600 0000"),
    Column("provider_address", "The office address, without the postcode.", ""),
    Column("provider_postcode", "The office postcode.", "CV1 5RR"),
    Column("provider_languages", "Languages spoken, as two-letter codes, separated by semicolons.", "en; pl"),
    Column("provider_accessibility", "Access information for the organisation.", ""),
)

# Profile columns of a council's file and the ProviderProfile fields they fill.
PROFILE_FIELDS: dict[str, str] = {
    "provider_legal_name": "legal_name",
    "provider_trading_name": "trading_name",
    "provider_charity_number": "charity_number",
    "provider_company_number": "company_number",
    "provider_description": "description",
    "provider_website": "website",
    "provider_email": "email",
    "provider_phone": "phone",
    "provider_address": "address",
    "provider_postcode": "postcode",
    "provider_languages": "languages",
    "provider_accessibility": "accessibility",
}

GROUP_COLUMN = re.compile(r"^(cost|venue)_([1-9][0-9]?)_([a-z_]+)$")
GROUP_FIELDS: dict[str, tuple[Column, ...]] = {"cost": COST_FIELDS, "venue": VENUE_FIELDS}
LIST_SEPARATOR = "; "

_SCHEDULE_ENTRY = re.compile(
    r"^(?P<day>[A-Za-z]{2,9})\s+(?P<opens>\d{1,2}[:.]\d{2})\s*(?:-|–|to)\s*(?P<closes>\d{1,2}[:.]\d{2})(?:\s+(?P<note>.+))?$"
)
WEEKDAY_CODES: tuple[str, ...] = tuple(Weekday.values)
_DAY_NAMES = {label.lower(): code for code, label in Weekday.choices} | {code.lower(): code for code in Weekday.values}


# A cell starting with one of these runs as a formula when the file is opened in a spreadsheet. Exports
# put an apostrophe in front (spreadsheets hide it); imports take it off again, so round trips are exact.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_for_spreadsheet(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def cell_from_spreadsheet(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_STARTS) else value


def group_column(group: str, number: int, field: str) -> str:
    return f"{group}_{number}_{field}"


def offer_header(*, cost_groups: int, venue_groups: int, with_provider: bool = False) -> list[str]:
    header = [column.name for column in PROVIDER_COLUMNS] if with_provider else []
    header += [column.name for column in OFFER_COLUMNS]
    for number in range(1, cost_groups + 1):
        header += [group_column("cost", number, field.name) for field in COST_FIELDS]
    for number in range(1, venue_groups + 1):
        header += [group_column("venue", number, field.name) for field in VENUE_FIELDS]
    return header


def is_known_column(name: str, *, with_provider: bool) -> bool:
    names = {column.name for column in OFFER_COLUMNS}
    if with_provider:
        names |= {column.name for column in PROVIDER_COLUMNS}
    if name in names:
        return True
    match = GROUP_COLUMN.match(name)
    return bool(match) and match[3] in {field.name for field in GROUP_FIELDS[match[1]]}


def split_list(cell: str) -> list[str]:
    """The items in a semicolon-separated cell, trimmed, empty items dropped."""
    return [item.strip() for item in cell.split(";") if item.strip()]


def join_list(items: list[str]) -> str:
    return LIST_SEPARATOR.join(items)


@dataclass(frozen=True)
class ScheduleEntry:
    weekday: str
    opens_at: time
    closes_at: time
    description: str = ""


def schedule_cell(entries: list[ScheduleEntry]) -> str:
    parts = []
    for entry in entries:
        text = f"{entry.weekday} {entry.opens_at:%H:%M}-{entry.closes_at:%H:%M}"
        parts.append(f"{text} {entry.description}" if entry.description else text)
    return LIST_SEPARATOR.join(parts)


def schedule_entry_parse(text: str) -> ScheduleEntry:
    """One ``MO 09:00-17:00 note`` entry; raises ValueError with a message for the person fixing the file."""
    match = _SCHEDULE_ENTRY.match(text.strip())
    if not match:
        raise ValueError(f"“{text}” should be a day and times, like MO 09:00-17:00")
    weekday = _DAY_NAMES.get(match["day"].lower())
    if weekday is None:
        raise ValueError(f"“{match['day']}” is not a day: use MO, TU, WE, TH, FR, SA or SU")
    opens_at, closes_at = _clock(match["opens"]), _clock(match["closes"])
    # A closing time before the opening time is the next morning: overnight short breaks run 18:00-10:00.
    if closes_at == opens_at:
        raise ValueError(f"in “{text}” the opening and closing times are the same")
    return ScheduleEntry(weekday=weekday, opens_at=opens_at, closes_at=closes_at, description=match["note"] or "")


def _clock(text: str) -> time:
    hours, minutes = (int(part) for part in re.split(r"[:.]", text))
    if hours > 23 or minutes > 59:
        raise ValueError(f"“{text}” is not a time on the 24-hour clock")
    return time(hours, minutes)
