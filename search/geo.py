"""Distances on the database: a postcode's centre, a bounding box an index can use, and the haversine
distance in SQL (SQLite and PostgreSQL both have the math functions it needs)."""

import math
from dataclasses import dataclass

from django.db.models import Expression, F, FloatField, Q, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

from providers.exceptions import PostcodeError
from providers.postcodes import locate
from search.exceptions import InvalidQuery

EARTH_RADIUS_MILES = 3958.8
# A degree of latitude is 68.7 to 69.4 miles; the smaller figure makes the box a little too big, never too small.
MILES_PER_DEGREE = 68.7


@dataclass(frozen=True)
class Origin:
    """Where distances are measured from: the searched postcode's centre, district and council area."""

    latitude: float
    longitude: float
    district: str
    council_code: str


def origin_of(postcode: str) -> Origin:
    try:
        place = locate(postcode)
    except PostcodeError as error:
        raise InvalidQuery({"postcode": str(error)}) from error
    return Origin(float(place.latitude), float(place.longitude), place.district, place.council_code)


def miles_from(origin: Origin) -> Expression:
    """Haversine distance in miles from the origin to the row's ``latitude`` and ``longitude``, in SQL."""
    latitude = Radians(F("latitude"), output_field=FloatField())
    longitude = Radians(F("longitude"), output_field=FloatField())
    half_dlat = (latitude - Value(math.radians(origin.latitude))) / Value(2.0)
    half_dlon = (longitude - Value(math.radians(origin.longitude))) / Value(2.0)
    cos_origin = Value(math.cos(math.radians(origin.latitude)))
    a = Power(Sin(half_dlat), Value(2.0)) + cos_origin * Cos(latitude) * Power(Sin(half_dlon), Value(2.0))
    # Rounding can push a just above 1 for antipodal points, and asin(1.0000001) is an error.
    return Value(2 * EARTH_RADIUS_MILES) * ASin(Sqrt(Least(a, Value(1.0), output_field=FloatField())))


def bounding_box(origin: Origin, miles: float) -> Q:
    """A latitude/longitude box around the circle, which the (latitude, longitude) index can use."""
    dlat = miles / MILES_PER_DEGREE
    # Degrees of longitude shrink towards the pole: use the box's poleward edge so the box is wide enough.
    poleward = min(89.0, abs(origin.latitude) + dlat)
    dlon = miles / (MILES_PER_DEGREE * math.cos(math.radians(poleward)))
    return Q(
        latitude__range=(origin.latitude - dlat, origin.latitude + dlat),
        longitude__range=(origin.longitude - dlon, origin.longitude + dlon),
    )
