"""Open Referral UK (HSDS 3.0) shapes of our offers, venues and taxonomy.

Optional values we do not have are left out rather than sent empty: an empty string is not a valid
URI, email address or date to an HSDS validator.
"""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from providers.models import (
    CostOption,
    Offer,
    OfferLocation,
    OfferStatus,
    OfferVersion,
    Schedule,
    ServiceArea,
    TaxonomyTerm,
)
from search.labels import language_name
from search.oruk.filters import TIME_OF_DAY
from search.oruk.identifiers import derived_id
from search.oruk.selectors import council_name

STATUSES = {OfferStatus.PUBLISHED: "active", OfferStatus.WITHDRAWN: "defunct"}
ONS_AREA_URI = "http://statistics.data.gov.uk/id/statistical-geography/{code}"
COUNTRY = "GB"


@extend_schema_field({"type": "string", "pattern": TIME_OF_DAY, "example": "09:30"})
class TimeOfDayField(serializers.TimeField):
    """Hours and minutes: a weekly schedule's times have no time zone, so they are no OpenAPI "time"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class OpenReferralSerializer(serializers.Serializer):
    """Leaves out empty values. The fields that may be empty are named in ``may_be_left_out``, so that
    the API's OpenAPI document does not promise them (search.oruk.schema)."""

    may_be_left_out: frozenset[str] = frozenset()

    def to_representation(self, instance: Any) -> dict:
        return {name: value for name, value in super().to_representation(instance).items() if value not in (None, "")}


class TaxonomySerializer(OpenReferralSerializer):
    may_be_left_out = frozenset({"uri"})

    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    description = serializers.CharField()
    uri = serializers.URLField()
    version = serializers.CharField()


class TaxonomyTermSerializer(OpenReferralSerializer):
    may_be_left_out = frozenset({"parent_id", "term_uri"})

    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    description = serializers.CharField()
    parent_id = serializers.UUIDField(source="parent.public_id", default=None)
    taxonomy = serializers.CharField(source="taxonomy.name")
    taxonomy_id = serializers.UUIDField(source="taxonomy.public_id")
    term_uri = serializers.URLField()
    term = serializers.CharField(source="code", help_text="Our stable code for the term")


class OrganizationSerializer(OpenReferralSerializer):
    may_be_left_out = frozenset({"email", "website"})

    id = serializers.UUIDField(source="public_id")
    name = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()
    website = serializers.SerializerMethodField()

    def to_representation(self, instance: Any) -> dict:
        data = super().to_representation(instance)
        data.setdefault("description", "")  # required, even when the provider wrote nothing
        return data

    def get_name(self, organisation: Any) -> str:
        profile = _profile(organisation)
        return profile.display_name if profile else organisation.name

    def get_description(self, organisation: Any) -> str:
        profile = _profile(organisation)
        return profile.description if profile else ""

    @extend_schema_field(OpenApiTypes.EMAIL)
    def get_email(self, organisation: Any) -> str:
        profile = _profile(organisation)
        return (profile.email if profile else "") or organisation.email

    @extend_schema_field(OpenApiTypes.URI)
    def get_website(self, organisation: Any) -> str:
        profile = _profile(organisation)
        return profile.website if profile else ""


class ServiceListSerializer(OpenReferralSerializer):
    """A service with its one-to-one fields: what the paginated list shows."""

    may_be_left_out = frozenset({"url", "email", "assured_date", "assurer_email", "alert"})
    id = serializers.UUIDField(source="public_id")
    organization_id = serializers.UUIDField(source="organisation.public_id")
    name = serializers.CharField(source="live_version.name")
    description = serializers.CharField(source="live_version.description")
    url = serializers.URLField(source="live_version.url")
    email = serializers.EmailField(source="live_version.email")
    status = serializers.SerializerMethodField()
    minimum_age = serializers.IntegerField(source="live_version.minimum_age")
    maximum_age = serializers.IntegerField(source="live_version.maximum_age")
    assured_date = serializers.SerializerMethodField()
    assurer_email = serializers.SerializerMethodField()
    alert = serializers.CharField(source="live_version.capacity_note")
    last_modified = serializers.SerializerMethodField()
    organization = OrganizationSerializer(source="organisation")

    @extend_schema_field({"type": "string", "enum": sorted(STATUSES.values())})
    def get_status(self, offer: Offer) -> str:
        return STATUSES[offer.status]

    @extend_schema_field(OpenApiTypes.DATE)
    def get_assured_date(self, offer: Offer) -> str | None:
        profile = _profile(offer.organisation)
        return profile.assured_on.isoformat() if profile and profile.assured_on else None

    @extend_schema_field(OpenApiTypes.EMAIL)
    def get_assurer_email(self, offer: Offer) -> str | None:
        profile = _profile(offer.organisation)
        council = profile.assured_by_council if profile and profile.assured_on else None
        return council.email if council else None

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_last_modified(self, offer: Offer) -> str:
        version = offer.live_version
        changed = max(filter(None, (offer.status_changed_at, version.decided_at, version.created_at)))
        return serializers.DateTimeField().to_representation(changed)


class ScheduleSerializer(OpenReferralSerializer):
    may_be_left_out = frozenset({"description"})

    id = serializers.SerializerMethodField()
    service_id = serializers.SerializerMethodField()
    freq = serializers.SerializerMethodField()
    byday = serializers.CharField(source="weekday")
    opens_at = TimeOfDayField()
    closes_at = TimeOfDayField()
    description = serializers.CharField()

    @extend_schema_field(OpenApiTypes.UUID)
    def get_id(self, schedule: Schedule) -> str:
        return str(derived_id("schedule", schedule.pk))

    @extend_schema_field(OpenApiTypes.UUID)
    def get_service_id(self, schedule: Schedule) -> str:
        return str(self.context["service"].public_id)

    @extend_schema_field({"type": "string", "enum": ["WEEKLY"]})
    def get_freq(self, schedule: Schedule) -> str:
        return "WEEKLY"


class ServiceAreaSerializer(OpenReferralSerializer):
    may_be_left_out = frozenset({"uri"})

    id = serializers.SerializerMethodField()
    service_id = serializers.SerializerMethodField()
    name = serializers.CharField()
    extent = serializers.SerializerMethodField()
    extent_type = serializers.SerializerMethodField()
    uri = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.UUID)
    def get_id(self, area: ServiceArea) -> str:
        return str(derived_id("service_area", area.pk))

    @extend_schema_field(OpenApiTypes.UUID)
    def get_service_id(self, area: ServiceArea) -> str:
        return str(self.context["service"].public_id)

    def get_extent(self, area: ServiceArea) -> str:
        return area.postcode_district or area.council_code

    def get_extent_type(self, area: ServiceArea) -> str:
        return "text"

    @extend_schema_field(OpenApiTypes.URI)
    def get_uri(self, area: ServiceArea) -> str | None:
        return ONS_AREA_URI.format(code=area.council_code) if area.council_code else None


class CostOptionSerializer(OpenReferralSerializer):
    may_be_left_out = frozenset({"valid_from", "valid_to"})

    id = serializers.SerializerMethodField()
    service_id = serializers.SerializerMethodField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()
    option = serializers.SerializerMethodField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)
    currency = serializers.CharField()
    amount_description = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.UUID)
    def get_id(self, option: CostOption) -> str:
        return str(derived_id("cost_option", option.pk))

    @extend_schema_field(OpenApiTypes.UUID)
    def get_service_id(self, option: CostOption) -> str:
        return str(self.context["service"].public_id)

    def get_option(self, option: CostOption) -> str:
        return option.description or option.get_unit_display()

    def get_amount_description(self, option: CostOption) -> str:
        return f"£{option.amount} {option.get_unit_display()}. {option.get_vat_status_display()}."


class LanguageSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    service_id = serializers.UUIDField()
    name = serializers.CharField()
    code = serializers.CharField()


class AttributeSerializer(serializers.Serializer):
    """A link from the service to one of its taxonomy terms (a category or a need)."""

    id = serializers.UUIDField()
    link_id = serializers.UUIDField()
    link_type = serializers.CharField()
    taxonomy_term_id = serializers.UUIDField()
    taxonomy_term = TaxonomyTermSerializer()


class AddressSerializer(OpenReferralSerializer):
    id = serializers.SerializerMethodField()
    location_id = serializers.SerializerMethodField()
    address_1 = serializers.CharField(source="address")
    city = serializers.SerializerMethodField()
    state_province = serializers.SerializerMethodField()
    postal_code = serializers.CharField(source="postcode")
    country = serializers.SerializerMethodField()
    address_type = serializers.SerializerMethodField()

    def to_representation(self, instance: Any) -> dict:
        data = super().to_representation(instance)
        # Required by the schema even when we cannot tell the town.
        for name in ("city", "state_province"):
            data.setdefault(name, "")
        return data

    @extend_schema_field(OpenApiTypes.UUID)
    def get_id(self, location: OfferLocation) -> str:
        return str(derived_id("address", location.public_id))

    @extend_schema_field(OpenApiTypes.UUID)
    def get_location_id(self, location: OfferLocation) -> str:
        return str(derived_id("location", location.public_id))

    def get_city(self, location: OfferLocation) -> str:
        # Addresses are written "street, town": the last part that is not the postcode is the town.
        parts = [part.strip() for part in location.address.split(",") if part.strip()]
        parts = [part for part in parts if part.upper().replace(" ", "") != location.postcode.replace(" ", "")]
        return parts[-1] if len(parts) > 1 else self.get_state_province(location)

    def get_state_province(self, location: OfferLocation) -> str:
        names = self.context.setdefault("council_names", {})
        if location.council_code not in names:
            names[location.council_code] = council_name(location.council_code)
        return names[location.council_code]

    def get_country(self, location: OfferLocation) -> str:
        return COUNTRY

    @extend_schema_field({"type": "string", "description": "Always physical: a venue's street address"})
    def get_address_type(self, location: OfferLocation) -> str:
        return "physical"


class LocationSerializer(OpenReferralSerializer):
    may_be_left_out = frozenset({"accessibility"})

    id = serializers.SerializerMethodField()
    location_type = serializers.SerializerMethodField()
    name = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    addresses = serializers.SerializerMethodField()
    accessibility = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.UUID)
    def get_id(self, location: OfferLocation) -> str:
        return str(derived_id("location", location.public_id))

    @extend_schema_field({"type": "string", "enum": ["physical"]})
    def get_location_type(self, location: OfferLocation) -> str:
        return "physical"

    @extend_schema_field(AddressSerializer(many=True))
    def get_addresses(self, location: OfferLocation) -> list[dict]:
        return [AddressSerializer(location, context=self.context).data]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_accessibility(self, location: OfferLocation) -> list[dict] | None:
        if not location.accessibility:
            return None
        location_id = self.get_id(location)
        return [
            {
                "id": str(derived_id("accessibility", location.public_id)),
                "location_id": location_id,
                "description": location.accessibility,
            }
        ]


class VenueOfServiceSerializer(OpenReferralSerializer):
    """A venue inside its service's record: the service at the location without the service again."""

    id = serializers.UUIDField(source="public_id")
    service_id = serializers.SerializerMethodField()
    location_id = serializers.SerializerMethodField()
    location = LocationSerializer(source="*")

    @extend_schema_field(OpenApiTypes.UUID)
    def get_service_id(self, location: OfferLocation) -> str:
        return str(self.context["service"].public_id)

    @extend_schema_field(OpenApiTypes.UUID)
    def get_location_id(self, location: OfferLocation) -> str:
        return str(derived_id("location", location.public_id))


class ServiceAtLocationListSerializer(OpenReferralSerializer):
    """A venue of a service, with the service's one-to-one fields: what the paginated list shows."""

    id = serializers.UUIDField(source="public_id")
    service_id = serializers.UUIDField(source="version.live_for.public_id")
    location_id = serializers.SerializerMethodField()
    location = LocationSerializer(source="*")
    service = ServiceListSerializer(source="version.live_for")

    @extend_schema_field(OpenApiTypes.UUID)
    def get_location_id(self, location: OfferLocation) -> str:
        return str(derived_id("location", location.public_id))


class ServiceNestedSerializer(ServiceListSerializer):
    """A service with all its related data, but not its venues (for a service at a location)."""

    schedules = serializers.SerializerMethodField()
    service_areas = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    cost_options = serializers.SerializerMethodField()
    attributes = serializers.SerializerMethodField()

    def _nested(self, serializer: type[serializers.Serializer], rows: Any, offer: Offer) -> list[dict]:
        return serializer(rows, many=True, context={**self.context, "service": offer}).data

    @extend_schema_field(ScheduleSerializer(many=True))
    def get_schedules(self, offer: Offer) -> list[dict]:
        return self._nested(ScheduleSerializer, offer.live_version.schedules.all(), offer)

    @extend_schema_field(ServiceAreaSerializer(many=True))
    def get_service_areas(self, offer: Offer) -> list[dict]:
        return self._nested(ServiceAreaSerializer, offer.live_version.service_areas.all(), offer)

    @extend_schema_field(CostOptionSerializer(many=True))
    def get_cost_options(self, offer: Offer) -> list[dict]:
        return self._nested(CostOptionSerializer, offer.live_version.cost_options.all(), offer)

    @extend_schema_field(LanguageSerializer(many=True))
    def get_languages(self, offer: Offer) -> list[dict]:
        rows = [
            {
                "id": derived_id("language", offer.public_id, code),
                "service_id": offer.public_id,
                "name": language_name(code),
                "code": code,
            }
            for code in offer.live_version.languages
        ]
        return LanguageSerializer(rows, many=True).data

    @extend_schema_field(AttributeSerializer(many=True))
    def get_attributes(self, offer: Offer) -> list[dict]:
        version: OfferVersion = offer.live_version
        terms: list[TaxonomyTerm] = [*version.categories.all(), *version.needs.all()]
        rows = [
            {
                "id": derived_id("attribute", offer.public_id, term.public_id),
                "link_id": offer.public_id,
                "link_type": "service",
                "taxonomy_term_id": term.public_id,
                "taxonomy_term": term,
            }
            for term in terms
        ]
        return AttributeSerializer(rows, many=True).data


class ServiceSerializer(ServiceNestedSerializer):
    """A fully nested service: everything about it, venues included."""

    service_at_locations = serializers.SerializerMethodField()

    @extend_schema_field(VenueOfServiceSerializer(many=True))
    def get_service_at_locations(self, offer: Offer) -> list[dict]:
        return self._nested(VenueOfServiceSerializer, offer.live_version.locations.all(), offer)


class ServiceAtLocationSerializer(ServiceAtLocationListSerializer):
    """A venue of a service with the service fully nested."""

    service = ServiceNestedSerializer(source="version.live_for")


def _profile(organisation: Any) -> Any:
    return getattr(organisation, "provider_profile", None)
