"""Helpers for the CSV import and export tests: files written from dicts, read back into dicts."""

import csv
import io
from decimal import Decimal

from providers.tests.factories import PostcodeFactory


def csv_text(rows: list[dict[str, str]], header: list[str] | None = None) -> str:
    header = header or list(dict.fromkeys(name for row in rows for name in row))
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return output.getvalue()


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def lines(text: str) -> io.StringIO:
    return io.StringIO(text, newline="")


def coventry_gazetteer() -> None:
    """The districts and one venue postcode the rows below use."""
    for district, latitude, longitude in (("CV1", "52.409390", "-1.506000"), ("CV2", "52.422700", "-1.464670")):
        PostcodeFactory(postcode=district, latitude=Decimal(latitude), longitude=Decimal(longitude))
    PostcodeFactory(postcode="CV6 5BG", latitude=Decimal("52.430000"), longitude=Decimal("-1.500000"))


def offer_row(**cells: str) -> dict[str, str]:
    row = {
        "offer_id": "",
        "name": "Saturday club",
        "description": "A club for disabled children aged 8 to 16.",
        "categories": "short-breaks; leisure-and-activities",
        "needs": "autism",
        "minimum_age": "8",
        "maximum_age": "16",
        "attending_types": "in_home",
        "schedule": "SA 10:00-15:00",
        "service_areas": "CV1; CV2",
        "languages": "en",
        "cost_1_amount": "18.50",
        "cost_1_unit": "hour",
        "cost_1_vat_status": "exempt",
    }
    row.update(cells)
    return row


def venue_cells(**cells: str) -> dict[str, str]:
    venue = {
        "attending_types": "venue",
        "venue_1_name": "Foleshill Community Centre",
        "venue_1_address": "Broad Street, Coventry",
        "venue_1_postcode": "cv6 5bg",
    }
    venue.update(cells)
    return venue
