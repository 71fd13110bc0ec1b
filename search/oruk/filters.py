"""The UK profile's query parameters for /services and /service_at_locations.

- ``search``: words, matched by the search engine (with its typo tolerance); defunct services have no
  words in the index, so a word search finds active services only.
- ``taxonomy_term_id``: services with that term (a category or a need) or any term below it.
- ``taxonomy_id``: services with any term of that taxonomy.
- ``minimum_age=N``: services whose maximum age is N or more; ``maximum_age=N``: services whose
  minimum age is N or less. Together they find services whose age range overlaps N to M.
- ``day``, ``start_time``, ``end_time``: a schedule on that day (MO..SU or the day's name) opening
  at or after the start time and closing at or before the end time, all on the same schedule.
- ``postcode`` (service_at_locations): venues of services whose service area covers the postcode, or
  in its council area; with ``proximity`` (metres), venues within that distance of its centre.
"""

import math
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from drf_spectacular.utils import extend_schema_field

from providers.exceptions import PostcodeError
from providers.models import Offer, OfferLocation, OfferVersion, Schedule, ServiceArea, Taxonomy, TaxonomyTerm, Weekday
from providers.postcodes import locate
from search.backends import get_backend
from search.geo import Origin, bounding_box, miles_from
from search.oruk.selectors import services, term_and_descendants

METRES_PER_MILE = 1609.344
MAX_PROXIMITY_METRES = 200 * METRES_PER_MILE
MAX_AGE = 150  # years; more is a mistake, answered with a 400
SCHEDULE_PARAMETERS = ("day", "start_time", "end_time")
_DAY_NAMES = {label.lower(): code for code, label in Weekday.choices}


class WeekdayField(forms.CharField):
    def clean(self, value: Any) -> str | None:
        value = super().clean(value)
        if not value:
            return None
        text = value.strip()
        code = text.upper() if text.upper() in Weekday.values else _DAY_NAMES.get(text.lower())
        if code is None:
            raise forms.ValidationError("Give a day of the week: MO, TU, WE, TH, FR, SA or SU")
        return code


class PostcodeField(forms.CharField):
    def clean(self, value: Any) -> Origin | None:
        value = super().clean(value)
        if not value:
            return None
        try:
            place = locate(value)
        except PostcodeError as error:
            raise forms.ValidationError(str(error)) from error
        return Origin(float(place.latitude), float(place.longitude), place.district, place.council_code)


def _any_case(word: str) -> str:
    return "".join(f"[{letter.upper()}{letter.lower()}]" for letter in word)


# A day's code or name, in any case (JSON Schema's patterns have no flag for that).
WEEKDAY = "^$|^(" + "|".join(_any_case(word) for word in [*Weekday.values, *_DAY_NAMES]) + ")$"


@extend_schema_field({"type": "string", "pattern": WEEKDAY, "example": "SA"})
class WeekdayFilter(django_filters.Filter):
    field_class = WeekdayField


@extend_schema_field({"type": "string", "pattern": "^[^\\u0000]*$", "example": "CV1 2GT"})
class PostcodeFilter(django_filters.Filter):
    field_class = PostcodeField


# Hours and minutes, with seconds if wanted, and no time zone: the times of day in schedules (a "time" in
# OpenAPI's sense would carry a time zone, which a weekly schedule does not have).
TIME_OF_DAY = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
UUID = r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"


# Empty, as every parameter may be, means the parameter is not given.
@extend_schema_field({"type": "string", "pattern": f"^$|{TIME_OF_DAY}", "example": "09:30"})
class TimeOfDayFilter(django_filters.TimeFilter):
    pass


@extend_schema_field({"type": "string", "pattern": f"^$|{UUID}", "example": "3f0c2a9e-8d1b-4c55-9a43-1e2f6b7c8d90"})
class PublicIdFilter(django_filters.UUIDFilter):
    pass


# Text without NUL characters, which no form field accepts (and PostgreSQL could not store or compare).
@extend_schema_field({"type": "string", "pattern": "^[^\\u0000]*$"})
class TextFilter(django_filters.CharFilter):
    pass


@extend_schema_field({"type": "number", "minimum": 0, "maximum": MAX_AGE})
class AgeFilter(django_filters.NumberFilter):
    pass


@extend_schema_field({"type": "number", "minimum": 1, "maximum": math.floor(MAX_PROXIMITY_METRES)})
class ProximityFilter(django_filters.NumberFilter):
    pass


class ServiceFilter(django_filters.FilterSet):
    search = TextFilter(method="filter_search", help_text="Words to search for")
    taxonomy_term_id = PublicIdFilter(method="filter_term", help_text="A taxonomy term's id")
    taxonomy_id = PublicIdFilter(method="filter_taxonomy", help_text="A taxonomy's id")
    minimum_age = AgeFilter(
        method="filter_minimum_age",
        min_value=0,
        max_value=MAX_AGE,
        help_text="Services whose maximum age is this or more",
    )
    maximum_age = AgeFilter(
        method="filter_maximum_age",
        min_value=0,
        max_value=MAX_AGE,
        help_text="Services whose minimum age is this or less",
    )
    day = WeekdayFilter(help_text="MO, TU, WE, TH, FR, SA or SU (or the day's name)")
    start_time = TimeOfDayFilter(help_text="Opening at or after this time, e.g. 09:00")
    end_time = TimeOfDayFilter(help_text="Closing at or before this time, e.g. 17:30")

    class Meta:
        model = Offer
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return self.filter_services(queryset)

    def filter_services(self, offers: QuerySet[Offer]) -> QuerySet[Offer]:
        """Apply the service parameters; the three schedule parameters together, to one schedule."""
        data = self.form.cleaned_data
        for name in ServiceFilter.base_filters:
            if name not in SCHEDULE_PARAMETERS:
                offers = self.filters[name].filter(offers, data.get(name))
        return self.filter_schedule(offers, *(data.get(name) for name in SCHEDULE_PARAMETERS))

    def filter_search(self, queryset: QuerySet[Offer], name: str, value: str) -> QuerySet[Offer]:
        return queryset.filter(pk__in=get_backend().text_matches(value))

    def filter_term(self, queryset: QuerySet[Offer], name: str, value: Any) -> QuerySet[Offer]:
        term = TaxonomyTerm.objects.filter(public_id=value).first()
        if term is None:
            return queryset.none()
        ids = term_and_descendants(term)
        return queryset.filter(live_version__in=_versions_with_terms(Q(categories__in=ids) | Q(needs__in=ids)))

    def filter_taxonomy(self, queryset: QuerySet[Offer], name: str, value: Any) -> QuerySet[Offer]:
        taxonomy = Taxonomy.objects.filter(public_id=value).first()
        if taxonomy is None:
            return queryset.none()
        in_taxonomy = Q(categories__taxonomy=taxonomy) | Q(needs__taxonomy=taxonomy)
        return queryset.filter(live_version__in=_versions_with_terms(in_taxonomy))

    def filter_minimum_age(self, queryset: QuerySet[Offer], name: str, value: Any) -> QuerySet[Offer]:
        return queryset.filter(live_version__maximum_age__gte=value)

    def filter_maximum_age(self, queryset: QuerySet[Offer], name: str, value: Any) -> QuerySet[Offer]:
        return queryset.filter(live_version__minimum_age__lte=value)

    def filter_schedule(self, queryset: QuerySet[Offer], day: Any, start_time: Any, end_time: Any) -> QuerySet[Offer]:
        if not (day or start_time or end_time):
            return queryset
        conditions = {"weekday": day, "opens_at__gte": start_time, "closes_at__lte": end_time}
        schedules = Schedule.objects.filter(
            version=OuterRef("live_version"), **{field: value for field, value in conditions.items() if value}
        )
        return queryset.filter(Exists(schedules))


class ServiceAtLocationForm(forms.Form):
    def clean(self) -> dict:
        data = super().clean()
        if data.get("proximity") is not None and "postcode" not in self.errors and not data.get("postcode"):
            self.add_error("proximity", "Give a postcode to measure the distance from")
        return data


class ServiceAtLocationFilter(ServiceFilter):
    """The service parameters, applied to the service of each venue, and the place parameters."""

    postcode = PostcodeFilter(help_text="A postcode, e.g. CV1 2GT")
    proximity = ProximityFilter(
        min_value=1, max_value=MAX_PROXIMITY_METRES, help_text="Metres from the postcode's centre"
    )

    class Meta:
        model = OfferLocation
        fields: list[str] = []
        form = ServiceAtLocationForm

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.form.cleaned_data
        queryset = queryset.filter(version__live_for__in=self.filter_services(services()))
        origin = data.get("postcode")
        if origin is None:
            return queryset
        if data.get("proximity") is not None:
            return _within(queryset, origin, float(data["proximity"]) / METRES_PER_MILE)
        return _covering(queryset, origin)


def _versions_with_terms(condition: Q) -> QuerySet[OfferVersion]:
    return OfferVersion.objects.filter(condition).values("pk")


def _within(locations: QuerySet[OfferLocation], origin: Origin, miles: float) -> QuerySet[OfferLocation]:
    return locations.filter(bounding_box(origin, miles)).alias(miles=miles_from(origin)).filter(miles__lte=miles)


def _covering(locations: QuerySet[OfferLocation], origin: Origin) -> QuerySet[OfferLocation]:
    covers = Q(postcode_district=origin.district)
    if origin.council_code:
        covers |= Q(council_code=origin.council_code)
    areas = ServiceArea.objects.filter(covers, version=OuterRef("version"))
    same_council = Q(council_code=origin.council_code) if origin.council_code else Q(pk__in=[])
    return locations.filter(Q(Exists(areas)) | same_council)
