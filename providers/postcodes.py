"""UK postcodes: normalising, validating and looking up where they are.

A full postcode is an outward code (area + district, e.g. "CV1", "SW1A") and an inward code (sector
digit + unit letters, e.g. "2GT"). We store them upper case with one space, and look them up in the
``Postcode`` gazetteer, falling back to the district's centre for a full postcode the gazetteer lacks.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from providers.exceptions import PostcodeError
from providers.models import Postcode

# Outward code: 1-2 letters, a digit, then an optional digit or letter. Inward: digit + 2 letters
# (the letters C, I, K, M, O and V are never used in the unit).
_OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
FULL_POSTCODE = re.compile(rf"^({_OUTWARD}) ?({_INWARD})$")
DISTRICT = re.compile(rf"^{_OUTWARD}$")


@dataclass(frozen=True)
class Place:
    postcode: str
    district: str
    latitude: Decimal
    longitude: Decimal
    council_code: str
    council_name: str


def normalise(raw: str) -> str:
    """Upper case, one space before the inward code; raises PostcodeError for anything else."""
    compact = re.sub(r"\s+", "", raw or "").upper()
    if not compact:
        raise PostcodeError("Enter a postcode")
    match = FULL_POSTCODE.match(compact)
    if match:
        return f"{match.group(1)} {match.group(2)}"
    if DISTRICT.match(compact):
        return compact
    raise PostcodeError("Enter a real postcode, like CV1 2GT")


def normalise_full(raw: str) -> str:
    postcode = normalise(raw)
    if " " not in postcode:
        raise PostcodeError("Enter a full postcode, like CV1 2GT")
    return postcode


def normalise_district(raw: str) -> str:
    postcode = normalise(raw)
    return postcode.split(" ")[0]


def district_of(postcode: str) -> str:
    return normalise(postcode).split(" ")[0]


def locate(raw: str) -> Place:
    """Where a postcode or district is; raises PostcodeError when it is not in the gazetteer."""
    postcode = normalise(raw)
    district = postcode.split(" ")[0]
    row = Postcode.objects.filter(postcode=postcode).first()
    if row is None and postcode != district:
        row = Postcode.objects.filter(postcode=district).first()
    if row is None:
        raise PostcodeError(f"We do not know the postcode {postcode}. Check it and try again")
    return Place(
        postcode=postcode,
        district=district,
        latitude=row.latitude,
        longitude=row.longitude,
        council_code=row.council_code,
        council_name=row.council_name,
    )
