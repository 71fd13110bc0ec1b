"""The demo directory: built through the providers' services, the same on every run, and safe to run again."""

from collections import Counter
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import Role
from demo.builders import accounts, providers
from demo.builders.providers import DIRECTORY_PROVIDERS_PER_COUNCIL, GAZETTEER, directory_providers
from demo.context import DemoContext
from demo.councils import DEMO_COUNCILS
from providers.models import (
    CostOption,
    Offer,
    OfferLocation,
    OfferStatus,
    OfferVersion,
    PersonalAssistantProfile,
    Postcode,
    ProfileStatus,
    ProviderProfile,
    ServiceArea,
)

pytestmark = pytest.mark.django_db


def build_directory() -> DemoContext:
    ctx = DemoContext()
    accounts.build(ctx)
    providers.build(ctx)
    return ctx


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Postcode,
            ProviderProfile,
            PersonalAssistantProfile,
            Offer,
            OfferVersion,
            CostOption,
            ServiceArea,
            OfferLocation,
            Membership,
        )
    }


def test_building_the_directory_twice_creates_nothing_the_second_time():
    build_directory()
    first = row_counts()

    again = build_directory()

    assert row_counts() == first
    for label in ("Postcodes", "Directory providers", "Provider profiles", "Personal assistant profiles", "Offers"):
        assert again.tally.counts[label].created == 0, f"{label} were created again"


def test_the_demo_directory_has_what_the_demo_needs():
    build_directory()

    # Several hundred providers and personal assistants across the councils, mostly published.
    assert ProviderProfile.objects.count() + PersonalAssistantProfile.objects.count() >= 300
    for council in DEMO_COUNCILS:
        assert ProviderProfile.objects.filter(organisation__council__slug=council.slug).count() >= 20
        assert PersonalAssistantProfile.objects.filter(council__slug=council.slug).count() >= 10
    statuses = Counter(ProviderProfile.objects.values_list("status", flat=True))
    assert statuses[ProfileStatus.PUBLISHED] > sum(statuses.values()) * 0.8

    # Offers in every state, including published with a change waiting for checks.
    assert set(Offer.objects.values_list("status", flat=True)) == set(OfferStatus.values)
    offers = Offer.objects.select_related("live_version", "working_version")
    assert any(offer.has_pending_change for offer in offers)

    # Personal assistants at or above the National Living Wage (April 2026).
    pa_hourly = CostOption.objects.filter(version__offer__personal_assistant__isnull=False, unit="hour")
    assert pa_hourly.exists()
    assert not pa_hourly.filter(amount__lt=Decimal("12.71")).exists()

    # Every venue and service area is in the demo gazetteer.
    districts = set(Postcode.objects.filter(kind=Postcode.Kind.DISTRICT).values_list("postcode", flat=True))
    assert set(OfferLocation.objects.values_list("postcode", flat=True)) and all(
        postcode.split(" ")[0] in districts for postcode in OfferLocation.objects.values_list("postcode", flat=True)
    )
    assert set(ServiceArea.objects.values_list("postcode_district", flat=True)) <= districts
    assert Postcode.objects.count() == len(GAZETTEER.read_text().splitlines()) - 1

    # One build serves the checks below too: building takes a while.
    toms_tutor_counselling_charity_and_taxi_firm_are_published_in_coventry()
    the_demo_sign_ins_for_a_provider_and_a_personal_assistant_have_published_listings()


def toms_tutor_counselling_charity_and_taxi_firm_are_published_in_coventry() -> None:
    client = Client()
    for slug, category in (
        ("godiva-tuition", "tuition"),
        ("open-door-counselling-coventry", "counselling"),
        ("earlsdon-cars", "transport"),
    ):
        profile = ProviderProfile.objects.get(organisation__slug=slug)
        assert (profile.status, profile.organisation.council.slug) == (ProfileStatus.PUBLISHED, "coventry")
        offer = Offer.objects.published().filter(organisation__slug=slug, live_version__categories__code=category)
        assert offer.exists(), f"{slug} needs a published {category} offer"
        assert client.get(reverse("providers:public-offer", args=[offer.first().public_id])).status_code == 200


def the_demo_sign_ins_for_a_provider_and_a_personal_assistant_have_published_listings() -> None:
    provider_org = Membership.objects.get(user__email="provider@coventry.demo", role=Role.PROVIDER_STAFF).organisation
    assert provider_org.provider_profile.status == ProfileStatus.PUBLISHED
    assert Offer.objects.published().filter(organisation=provider_org).exists()
    assistant = PersonalAssistantProfile.objects.get(user__email="pa@coventry.demo")
    assert assistant.status == ProfileStatus.PUBLISHED
    assert Offer.objects.published().filter(personal_assistant=assistant).count() >= 2

    html = Client().get(reverse("providers:public-personal-assistant", args=[assistant.public_id])).content.decode()
    assert assistant.display_name in html
    assert assistant.home_postcode not in html


def test_a_larger_scale_adds_providers_without_renaming_the_first_ones():
    for council in DEMO_COUNCILS:
        at_one = directory_providers(council, 1)
        at_three = directory_providers(council, 3)

        assert at_three[:DIRECTORY_PROVIDERS_PER_COUNCIL] == at_one
        assert len({provider.name for provider in at_three}) == len(at_three), "names never repeat in a council"
        assert not {provider.name for provider in at_three} & {provider.name for provider in council.providers}
