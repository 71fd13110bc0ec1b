"""The Elasticsearch index: its exact settings and mapping, and the document built from an offer."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.tests.factories import CouncilFactory
from providers.models import FrameworkContract, FrameworkLot, FrameworkMembership
from providers.tests.factories import PersonalAssistantProfileFactory
from search.backends.elasticsearch_mapping import index_definition, live_settings, offer_source
from search.documents import indexed_offers
from search.tests.factories import COVENTRY, gazetteer, listing, pa_listing, venue

KEYWORD = {"type": "keyword"}
ENGLISH = {"type": "text", "analyzer": "english"}
DAY = {"type": "date", "format": "date"}
TIME_OF_DAY = {"type": "date", "format": "hour_minute_second"}


def test_a_new_index_loads_without_replicas_or_refreshes_and_maps_every_field():
    assert index_definition("offers-20260302", shards=3, replicas=2).to_dict() == {
        "settings": {
            "number_of_shards": 3,
            "number_of_replicas": 0,
            "refresh_interval": "-1",
            "max_result_window": 10000,
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "offer_id": {"type": "integer"},
                "public_id": KEYWORD,
                "name": {
                    **ENGLISH,
                    "fields": {"sort": KEYWORD, "typeahead": {"type": "search_as_you_type", "analyzer": "standard"}},
                },
                "description": ENGLISH,
                "categories": ENGLISH,
                "category_codes": KEYWORD,
                "need_codes": KEYWORD,
                "minimum_age": {"type": "integer"},
                "maximum_age": {"type": "integer"},
                "attending_types": KEYWORD,
                "languages": KEYWORD,
                "spans": {
                    "type": "nested",
                    "properties": {"weekday": KEYWORD, "opens_at": TIME_OF_DAY, "closes_at": TIME_OF_DAY},
                },
                "prices": {
                    "type": "nested",
                    "properties": {"unit": KEYWORD, "amount": {"type": "scaled_float", "scaling_factor": 100}},
                },
                "has_capacity": {"type": "boolean"},
                "provider_kind": KEYWORD,
                "provider_name": KEYWORD,
                "checks_current_until": DAY,
                "assured_on": DAY,
                "places": {"type": "geo_point"},
                "districts": KEYWORD,
                "council_codes": KEYWORD,
                "frameworks": {
                    "type": "nested",
                    "properties": {"public_id": KEYWORD, "name": KEYWORD, "starts_on": DAY, "ends_on": DAY},
                },
                "vocabulary": KEYWORD,
            },
        },
    }


def test_a_complete_index_gets_its_replicas_and_refreshes_every_second():
    assert live_settings(replicas=2) == {"index": {"number_of_replicas": 2, "refresh_interval": "1s"}}


@pytest.mark.django_db
def test_the_document_of_an_offer_holds_what_search_filters_counts_and_sorts_on():
    gazetteer()
    offer = listing(
        name="Swimming lessons",
        description="Small groups in a warm pool.",
        categories=["respite-at-home"],
        needs=["autism"],
        minimum_age=5,
        maximum_age=12,
        attending_types=["venue", "in_home"],
        locations=[venue("CV1 2GT")],
        schedules=[
            {"weekday": "SA", "opens_at": "10:00", "closes_at": "15:00"},
            {"weekday": "MO", "opens_at": "16:00", "closes_at": "18:30"},
        ],
        cost_options=[{"amount": Decimal("20.00"), "unit": "hour", "vat_status": "plus_vat"}],
        service_areas=[{"postcode_district": "CV3", "name": "CV3"}, {"council_code": COVENTRY, "name": "Coventry"}],
        languages=["en", "pa"],
        capacity_places=2,
        checks_current_until=date(2026, 12, 31),
        assured_on=date(2026, 1, 5),
    )

    [indexed] = indexed_offers([offer.pk], today=timezone.localdate())

    assert offer_source(indexed) == {
        "offer_id": offer.pk,
        "public_id": str(offer.public_id),
        "name": "Swimming lessons",
        "description": "Small groups in a warm pool.",
        # The parent category's name too, so that "short breaks" finds the offer.
        "categories": "Respite at home Short breaks Autism",
        "category_codes": ["respite-at-home", "short-breaks"],
        "need_codes": ["autism"],
        "minimum_age": 5,
        "maximum_age": 12,
        "attending_types": ["in_home", "venue"],
        "languages": ["en", "pa"],
        "spans": [
            {"weekday": "MO", "opens_at": "16:00:00", "closes_at": "18:30:00"},
            {"weekday": "SA", "opens_at": "10:00:00", "closes_at": "15:00:00"},
        ],
        "prices": [{"unit": "hour", "amount": 24.0}],  # VAT added: what the family pays
        "has_capacity": True,
        "provider_kind": "organisation",
        "provider_name": offer.provider_name,
        "checks_current_until": "2026-12-31",
        "assured_on": "2026-01-05",
        "places": [{"lat": 52.4081, "lon": -1.5105}],
        "districts": ["CV3"],
        "council_codes": [COVENTRY],
        "vocabulary": [
            "autism",
            "breaks",
            "groups",
            "home",
            "lessons",
            "pool",
            "respite",
            "short",
            "small",
            "swimming",
            "warm",
        ],
    }


@pytest.mark.django_db
def test_a_personal_assistant_is_placed_at_their_districts_centre_and_covers_their_areas():
    gazetteer()
    pa = PersonalAssistantProfileFactory(home_postcode="CV3 5AB", home_district="CV3", areas=["CV1", "CV3"])
    offer = pa_listing(pa=pa, schedules=[])

    [indexed] = indexed_offers([offer.pk], today=timezone.localdate())
    source = offer_source(indexed)

    assert source["provider_kind"] == "personal_assistant"
    assert source["places"] == [{"lat": 52.385, "lon": -1.495}]  # CV3's centre, never the home postcode
    assert source["districts"] == ["CV1", "CV3"]
    assert "council_codes" not in source  # empty lists are left out of the document


@pytest.mark.django_db
def test_the_frameworks_an_offer_is_on_are_kept_with_their_dates():
    offer = listing(categories=["respite-at-home"])
    framework = FrameworkContract.objects.create(
        council=CouncilFactory(),
        reference="SB-1",
        name="Short Breaks Framework",
        starts_on=date(2025, 4, 1),
        ends_on=date(2027, 3, 31),
    )
    lot = FrameworkLot.objects.create(framework=framework, number=1, name="Short breaks")
    FrameworkMembership.objects.create(lot=lot, organisation=offer.organisation, admitted_on=date(2025, 4, 1))

    [indexed] = indexed_offers([offer.pk], today=timezone.localdate())

    assert offer_source(indexed)["frameworks"] == [
        {
            "public_id": str(framework.public_id),
            "name": "Short Breaks Framework",
            "starts_on": "2025-04-01",
            "ends_on": "2027-03-31",
        }
    ]
