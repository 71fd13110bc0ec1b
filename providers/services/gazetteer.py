"""Loading the postcode gazetteer from the ONS Postcode Directory or from a simple CSV.

Two formats, told apart by the header (docs/postcodes.md):

- the ONS Postcode Directory (ONSPD): one row per full postcode with ``pcds``, ``lat``, ``long``, the
  local authority (``oslaua`` or ``ladNNcd``), the county (``oscty`` or ``ctyNNcd``) and ``doterm``;
- a simple ``postcode,latitude,longitude[,council_code[,council_name]]`` file, header optional, rows
  being full postcodes or districts.

The whole file is one transaction: any bad row means nothing is saved, so a half-loaded gazetteer
never locates some postcodes and not others. Rows are written in batches while reading, so a national
file (2.7 million rows) never has to fit in memory.
"""

import csv
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from providers.exceptions import ImportFailed, PostcodeError
from providers.models import Postcode
from providers.postcodes import normalise

BATCH_SIZE = 2000
MAX_ERRORS = 200  # after this many, reading stops: the file is clearly not what we expect

# Roughly the United Kingdom with the Channel Islands, Isles of Scilly and Shetland: a row outside it
# has its latitude and longitude swapped, a sign missing or is not a UK place at all.
UK_LATITUDE = (Decimal("49"), Decimal("61"))
UK_LONGITUDE = (Decimal("-9"), Decimal("2.5"))

# ONSPD marks a postcode without a grid reference with this latitude (and longitude 0).
ONS_NO_GRID_LATITUDE = Decimal("99.999999")
_GSS_CODE = re.compile(r"^[A-Z][0-9]{8}$")
_SIX_PLACES = Decimal("0.000001")


class GazetteerFormat:
    ONS = "ONS Postcode Directory"
    SIMPLE = "postcode, latitude, longitude"


@dataclass
class PostcodeImportResult:
    file_format: str = ""
    dry_run: bool = False
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    skipped_terminated: int = 0
    skipped_without_location: int = 0
    districts_derived: int = 0

    @property
    def saved(self) -> int:
        return self.created + self.updated


@dataclass(frozen=True)
class _Columns:
    """Where each value sits in a row; ``None`` when the file does not have that column."""

    file_format: str
    postcode: int
    latitude: int
    longitude: int
    council_code: int | None = None
    council_name: int | None = None
    county_code: int | None = None
    terminated: int | None = None
    has_header: bool = True


@dataclass
class _DistrictCentre:
    """Running totals for the centre of a district, from the full postcodes in it."""

    latitude_sum: Decimal = Decimal(0)
    longitude_sum: Decimal = Decimal(0)
    count: int = 0
    councils: Counter = field(default_factory=Counter)

    def add(self, row: Postcode) -> None:
        self.latitude_sum += row.latitude
        self.longitude_sum += row.longitude
        self.count += 1
        if row.council_code:
            self.councils[(row.council_code, row.council_name)] += 1


class _RowSkipped(Exception):
    def __init__(self, counter: str) -> None:
        self.counter = counter


@transaction.atomic
def postcodes_import(
    *, lines: Iterable[str], dry_run: bool = False, progress: Callable[[int], None] | None = None
) -> PostcodeImportResult:
    """Add or update the postcodes in ``lines`` (a CSV file opened in text mode with ``newline=""``).

    Raises ``ImportFailed`` with (line, message) for each bad row; nothing is saved then. With
    ``dry_run`` the file is checked and counted but nothing is saved either. ``progress`` is called
    with the number of rows read since its last call.
    """
    result = PostcodeImportResult(dry_run=dry_run)
    reader = csv.reader(lines)
    columns, rows = _columns_and_rows(reader)
    result.file_format = columns.file_format
    errors: list[tuple[int, str]] = []
    centres: dict[str, _DistrictCentre] = {}
    districts_in_file: set[str] = set()
    batch: dict[str, Postcode] = {}
    for line, row in _counted(rows, result, progress):
        try:
            postcode = _postcode_from_row(row, columns)
        except _RowSkipped as skipped:
            setattr(result, skipped.counter, getattr(result, skipped.counter) + 1)
            continue
        except PostcodeError as error:
            errors.append((line, str(error)))
            if len(errors) >= MAX_ERRORS:
                errors.append((line, f"We stopped reading after {MAX_ERRORS} problems"))
                break
            continue
        if postcode.kind == Postcode.Kind.DISTRICT:
            districts_in_file.add(postcode.postcode)
        else:
            centres.setdefault(postcode.district, _DistrictCentre()).add(postcode)
        if errors:
            continue  # keep checking the rest of the file, but stop writing: nothing will be kept
        batch[postcode.postcode] = postcode  # a postcode repeated in one batch: the later row wins
        if len(batch) >= BATCH_SIZE:
            _save(batch, result)
            batch = {}
    if errors:
        raise ImportFailed(errors)
    _save(batch, result)
    _derive_districts(centres, districts_in_file, result)
    if dry_run:
        transaction.set_rollback(True)
    return result


def _columns_and_rows(reader: Iterator[list[str]]) -> tuple["_Columns", Iterator[tuple[int, list[str]]]]:
    """The file's columns, and (line number, cells) for each data row.

    Line numbers count rows as a spreadsheet shows them, so a header is line 1.
    """
    first = next(reader, None)
    if first is None:
        raise ImportFailed([(1, "The file is empty")])
    columns = _columns_of(first)
    numbered = enumerate(reader, start=2)
    if columns.has_header:
        return columns, numbered
    return columns, itertools.chain([(1, first)], numbered)


def _counted(
    rows: Iterator[tuple[int, list[str]]], result: PostcodeImportResult, progress: Callable[[int], None] | None
) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows, counted, reporting progress every thousand rows."""
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        result.rows_read += 1
        if progress and result.rows_read % 1000 == 0:
            progress(1000)
        yield line, row
    if progress:
        progress(result.rows_read % 1000)


def _columns_of(first_row: list[str]) -> _Columns:
    names = [cell.strip().lower().lstrip("\ufeff") for cell in first_row]
    if "pcds" in names:
        return _ons_columns(names)
    if "postcode" in names:
        return _simple_columns(names)
    try:
        normalise(first_row[0])
    except PostcodeError:
        raise ImportFailed(
            [(1, "The first line must name the columns (postcode,latitude,longitude or the ONS pcds,lat,long)")]
        ) from None
    if len(first_row) < 3:
        raise ImportFailed([(1, "Each line needs a postcode, a latitude and a longitude")])
    return _Columns(GazetteerFormat.SIMPLE, 0, 1, 2, council_code=3, council_name=4, has_header=False)


def _ons_columns(names: list[str]) -> _Columns:
    missing = [name for name in ("lat", "long") if name not in names]
    if missing:
        raise ImportFailed([(1, f"An ONS Postcode Directory file needs the column {missing[0]}")])
    return _Columns(
        GazetteerFormat.ONS,
        postcode=names.index("pcds"),
        latitude=names.index("lat"),
        longitude=names.index("long"),
        council_code=_first_matching(names, r"oslaua|lad\d{2}cd"),
        county_code=_first_matching(names, r"oscty|cty\d{2}cd"),
        terminated=names.index("doterm") if "doterm" in names else None,
    )


def _simple_columns(names: list[str]) -> _Columns:
    latitude = _first_matching(names, r"latitude|lat")
    longitude = _first_matching(names, r"longitude|long|lng")
    if latitude is None or longitude is None:
        raise ImportFailed([(1, "The file needs columns called latitude and longitude after postcode")])
    return _Columns(
        GazetteerFormat.SIMPLE,
        postcode=names.index("postcode"),
        latitude=latitude,
        longitude=longitude,
        council_code=_first_matching(names, r"council_code|council"),
        council_name=_first_matching(names, r"council_name"),
    )


def _first_matching(names: list[str], pattern: str) -> int | None:
    wanted = re.compile(rf"^(?:{pattern})$")
    return next((index for index, name in enumerate(names) if wanted.match(name)), None)


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _postcode_from_row(row: list[str], columns: _Columns) -> Postcode:
    if columns.file_format == GazetteerFormat.ONS:
        if _cell(row, columns.terminated):
            raise _RowSkipped("skipped_terminated")
        if _decimal(_cell(row, columns.latitude), "latitude") == ONS_NO_GRID_LATITUDE:
            raise _RowSkipped("skipped_without_location")
    postcode = normalise(_cell(row, columns.postcode))
    latitude = _within(_decimal(_cell(row, columns.latitude), "latitude"), "latitude", UK_LATITUDE)
    longitude = _within(_decimal(_cell(row, columns.longitude), "longitude"), "longitude", UK_LONGITUDE)
    council_code = _council_code(row, columns)
    council_name = _cell(row, columns.council_name)
    if len(council_name) > Postcode._meta.get_field("council_name").max_length:
        raise PostcodeError("council_name: the council name is too long (100 characters at most)")
    district = postcode.split(" ")[0]
    return Postcode(
        postcode=postcode,
        kind=Postcode.Kind.UNIT if " " in postcode else Postcode.Kind.DISTRICT,
        district=district,
        latitude=latitude,
        longitude=longitude,
        council_code=council_code,
        council_name=council_name,
    )


def _council_code(row: list[str], columns: _Columns) -> str:
    """The council that runs children's services: the county where there is one, else the district.

    In two-tier areas (Gloucestershire, Devon, Derbyshire) the district council (``oslaua``) does not
    hold personal budgets; the county does. ONSPD gives a pseudo code ending in 99999999 where there
    is no county, and for places outside any council (Channel Islands, Isle of Man).
    """
    for index in (columns.county_code, columns.council_code):
        code = _cell(row, index).upper()
        if not code or code.endswith("99999999"):
            continue
        if not _GSS_CODE.match(code):
            raise PostcodeError(f"council_code: “{code}” is not an ONS area code, like E08000026")
        return code
    return ""


def _decimal(raw: str, column: str) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise PostcodeError(f"{column}: “{raw}” is not a number" if raw else f"{column}: this is empty") from None
    if not value.is_finite():
        raise PostcodeError(f"{column}: “{raw}” is not a number")
    return value.quantize(_SIX_PLACES)


def _within(value: Decimal, column: str, bounds: tuple[Decimal, Decimal]) -> Decimal:
    low, high = bounds
    if not low <= value <= high:
        raise PostcodeError(f"{column}: {value.normalize()} is not in the UK (it must be between {low} and {high})")
    return value


_UPDATED_FIELDS = ["kind", "district", "latitude", "longitude", "council_code", "council_name"]


def _save(batch: dict[str, Postcode], result: PostcodeImportResult) -> None:
    if not batch:
        return
    existing = set(Postcode.objects.filter(postcode__in=list(batch)).values_list("postcode", flat=True))
    Postcode.objects.bulk_create(
        list(batch.values()), update_conflicts=True, unique_fields=["postcode"], update_fields=_UPDATED_FIELDS
    )
    result.created += len(batch) - len(existing)
    result.updated += len(existing)


def _derive_districts(
    centres: dict[str, _DistrictCentre], districts_in_file: set[str], result: PostcodeImportResult
) -> None:
    """Give each district that has full postcodes but no row of its own a centre and a council.

    Search by distance falls back to a district's centre for postcodes the gazetteer lacks, and
    offers list districts as service areas, so every district needs a row. Its centre is the mean of
    its postcodes; its council the one most of them are in.
    """
    wanted = set(centres) - districts_in_file
    wanted -= set(Postcode.objects.filter(postcode__in=wanted).values_list("postcode", flat=True))
    derived = []
    for district in sorted(wanted):
        centre = centres[district]
        (council_code, council_name), _count = centre.councils.most_common(1)[0] if centre.councils else (("", ""), 0)
        derived.append(
            Postcode(
                postcode=district,
                kind=Postcode.Kind.DISTRICT,
                district=district,
                latitude=(centre.latitude_sum / centre.count).quantize(_SIX_PLACES),
                longitude=(centre.longitude_sum / centre.count).quantize(_SIX_PLACES),
                council_code=council_code,
                council_name=council_name,
            )
        )
    Postcode.objects.bulk_create(derived, batch_size=BATCH_SIZE)
    result.districts_derived = len(derived)
