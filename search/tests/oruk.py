"""Helpers for the open API tests: the Open Referral UK schemas from ../shared, and a small directory
with a service in every state."""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from accounts.tests.factories import CouncilFactory, UserFactory
from providers.models import Offer, OfferStatus
from providers.services.offers import offer_create, offer_set_status
from providers.tests.factories import ProviderProfileFactory, offer_content
from search.backends import get_backend
from search.tests.factories import BIRMINGHAM, gazetteer, listing, pa_listing, venue

SCHEMA_FOLDER = Path(settings.BASE_DIR).parent / "shared" / "specs" / "openreferral-uk" / "schema"
PAGE_FIELDS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


@cache
def _registry() -> Registry:
    """Every entity schema by file name, so that ``"$ref": "taxonomy_term.json"`` resolves."""
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012))
        for path in SCHEMA_FOLDER.glob("*.json")
    ]
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for ``compiled/service.json``, ``taxonomy.json`` and so on, checking formats (UUIDs)."""
    schema = json.loads((SCHEMA_FOLDER / name).read_text())
    return Draft202012Validator(schema, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def page_schema() -> dict:
    return json.loads((SCHEMA_FOLDER / "openapi.json").read_text())["components"]["schemas"]["Page"]


def assert_valid(document: Any, schema_name: str) -> None:
    errors = sorted(validator(schema_name).iter_errors(document), key=str)
    assert not errors, "\n".join(f"{list(error.absolute_path)}: {error.message}" for error in errors)


def assert_valid_page(body: dict, item_schema_name: str) -> None:
    assert set(body) == PAGE_FIELDS
    Draft202012Validator(page_schema()).validate(body)
    for item in body["contents"]:
        assert_valid(item, item_schema_name)


@dataclass
class Directory:
    swimming: Offer
    music: Offer
    withdrawn: Offer
    suspended: Offer
    draft: Offer
    personal_assistant: Offer


def directory() -> Directory:
    """Two active services, a defunct one, and offers that must never be published."""
    gazetteer()
    assurer = CouncilFactory(email="quality@coventry.example.org")
    swimming = listing(
        profile=ProviderProfileFactory(
            assured_on=date(2026, 2, 1), assured_by_council=assurer, website="https://swim.example.org"
        ),
        name="Swimming lessons",
        description="Small groups in a warm pool.",
        categories=["respite-at-home"],
        needs=["autism"],
        minimum_age=5,
        maximum_age=12,
        attending_types=["venue"],
        url="https://swim.example.org/lessons",
        email="swim@example.org",
        languages=["en", "pa"],
        locations=[{**venue("CV1 2GT", "Leisure centre"), "accessibility": "Step-free entrance and a hoist"}],
        schedules=[{"weekday": "SA", "opens_at": "10:00", "closes_at": "15:00"}],
        cost_options=[{"amount": Decimal("18.50"), "unit": "hour", "description": "Weekdays"}],
        service_areas=[{"postcode_district": "CV1", "name": "Central Coventry"}],
    )
    music = listing(
        name="Music tuition",
        description="Guitar and piano.",
        categories=["tuition"],
        needs=[],
        minimum_age=11,
        maximum_age=18,
        attending_types=["venue"],
        locations=[venue("B1 1AA", "Music room")],
        schedules=[{"weekday": "MO", "opens_at": "16:00", "closes_at": "18:00"}],
        service_areas=[{"council_code": BIRMINGHAM, "name": "Birmingham"}],
    )
    withdrawn = listing(name="Old club", attending_types=["venue"], locations=[venue("CV1 2GT", "Old hall")])
    offer_set_status(offer=withdrawn, new_status=OfferStatus.WITHDRAWN, actor=None, reason="Closed")
    suspended = listing(name="Suspended club", attending_types=["venue"], locations=[venue("CV1 2GT", "Hall")])
    offer_set_status(offer=suspended, new_status=OfferStatus.SUSPENDED, actor=None, reason="Concern raised")
    draft = offer_create(
        actor=UserFactory(),
        content=offer_content(name="Draft club"),
        organisation=ProviderProfileFactory().organisation,
    )
    personal_assistant = pa_listing(name="Sam, personal assistant")
    get_backend().rebuild()
    return Directory(swimming, music, withdrawn, suspended, draft, personal_assistant)
