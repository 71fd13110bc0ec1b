"""The public directory: only published offers and profiles are shown, to anyone, and a personal
assistant's home postcode never is."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from providers.models import OfferStatus, ProfileStatus, TaxonomyTerm, Upload
from providers.services.offers import offer_create, offer_edit, offer_set_status, offer_submit
from providers.services.profiles import profile_approve, profile_set_status, profile_submit
from providers.tests.factories import (
    PersonalAssistantProfileFactory,
    PostcodeFactory,
    ProviderProfileFactory,
    offer_content,
    published_offer,
    term,
)

pytestmark = pytest.mark.django_db

HOME_POSTCODE = "CV3 5AB"


def published(profile):  # type: ignore[no-untyped-def]
    """A profile taken through submit and approve, as the product does it."""
    checker = UserFactory()
    profile_submit(profile=profile, actor=checker)
    return profile_approve(profile=profile, actor=checker, reason="Checked")


@pytest.fixture
def provider():
    return published(ProviderProfileFactory(trading_name="Spires Short Breaks", phone="024 7600 0000"))


@pytest.fixture
def assistant():
    assistant = PersonalAssistantProfileFactory(
        display_name="Chloe D.", home_postcode=HOME_POSTCODE, home_district="CV3", areas=["CV3", "CV1"]
    )
    assistant.skills.set([term("peg-feeding"), term("makaton")])
    return published(assistant)


def offer_url(offer) -> str:  # type: ignore[no-untyped-def]
    return reverse("providers:public-offer", args=[offer.public_id])


def provider_url(profile) -> str:  # type: ignore[no-untyped-def]
    return reverse("providers:public-provider", args=[profile.public_id])


def assistant_url(profile) -> str:  # type: ignore[no-untyped-def]
    return reverse("providers:public-personal-assistant", args=[profile.public_id])


def page(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, f"{url} should be public, got {response.status_code}"
    return response.content.decode()


# --- Offers --------------------------------------------------------------------------------------------------


def test_a_published_offer_shows_its_live_version_to_anyone(provider):
    offer = published_offer(
        organisation=provider.organisation,
        cost_options=[{"amount": Decimal("18.50"), "unit": "hour", "vat_status": "exempt"}],
        schedules=[
            {"weekday": "SA", "opens_at": "10:00", "closes_at": "15:00"},
            {"weekday": "MO", "opens_at": "15:30", "closes_at": "18:00"},
        ],
        languages=["en", "pa"],
    )

    html = page(offer_url(offer))

    assert "Saturday club" in html
    assert "£18.50 per hour" in html
    assert "Exempt from VAT" in html
    assert html.index("Monday</th>") < html.index("Saturday</th>"), "the schedule runs Monday to Sunday"
    assert "3:30pm to 6pm" in html and "10am to 3pm" in html
    assert "Punjabi" in html
    assert "CV1" in html, "the areas an at-home offer reaches are listed"
    assert provider_url(provider) in html


def test_a_published_offer_with_a_change_waiting_for_checks_still_shows_the_checked_version(provider):
    offer = published_offer(organisation=provider.organisation)
    editor = UserFactory()
    offer_edit(offer=offer, actor=editor, content=offer_content(name="Sunday club"))
    offer_submit(offer=offer, actor=editor)

    html = page(offer_url(offer))

    assert "Saturday club" in html
    assert "Sunday club" not in html


def test_a_venue_offer_shows_the_venue_address_and_postcode(provider):
    PostcodeFactory(postcode="CV6 5BG")
    offer = published_offer(
        organisation=provider.organisation,
        attending_types=["venue"],
        locations=[
            {
                "name": "Foleshill Community Centre",
                "address": "Broad Street, Coventry",
                "postcode": "CV6 5BG",
                "latitude": Decimal("52.43"),
                "longitude": Decimal("-1.50"),
            }
        ],
    )

    html = page(offer_url(offer))

    assert "Foleshill Community Centre" in html
    assert "Broad Street, Coventry" in html and "CV6 5BG" in html


@pytest.mark.parametrize("state", ["draft", "pending", "suspended", "withdrawn"])
def test_an_offer_that_is_not_published_is_not_found(provider, state, access):
    alice = UserFactory()
    if state == "draft":
        offer = offer_create(actor=alice, content=offer_content(), organisation=provider.organisation)
    elif state == "pending":
        offer = offer_create(actor=alice, content=offer_content(), organisation=provider.organisation)
        offer = offer_submit(offer=offer, actor=alice)
    else:
        offer = published_offer(organisation=provider.organisation)
        offer_set_status(offer=offer, new_status=state, actor=alice, reason="Testing")
    assert offer.status == state

    access.not_found(None, offer_url(offer))
    access.not_found(alice, offer_url(offer))


def test_a_published_offer_of_a_provider_whose_profile_is_not_published_is_not_found(access):
    offer = published_offer()  # its provider's profile is still a draft

    access.not_found(None, offer_url(offer))


def test_a_published_offer_of_a_suspended_provider_is_not_found(provider, access):
    offer = published_offer(organisation=provider.organisation)
    profile_set_status(profile=provider, new_status=ProfileStatus.SUSPENDED, actor=UserFactory(), reason="Concern")

    access.not_found(None, offer_url(offer))


def test_an_unknown_offer_is_not_found(access):
    access.not_found(None, reverse("providers:public-offer", args=["3f0c2a9e-8d1b-4c55-9a43-1e2f6b7c8d90"]))


# --- Provider organisations ----------------------------------------------------------------------------------


def test_a_published_provider_shows_its_profile_and_only_its_published_offers(provider):
    published_offer(organisation=provider.organisation, name="Holiday play scheme")
    offer_create(
        actor=UserFactory(), content=offer_content(name="Draft drama club"), organisation=provider.organisation
    )
    withdrawn = published_offer(organisation=provider.organisation, name="Old swimming club")
    offer_set_status(offer=withdrawn, new_status=OfferStatus.WITHDRAWN, actor=UserFactory(), reason="Closed")

    html = page(provider_url(provider))

    assert "Spires Short Breaks" in html and "024 7600 0000" in html
    assert "Holiday play scheme" in html
    assert "Draft drama club" not in html
    assert "Old swimming club" not in html


def test_a_provider_logo_is_linked_through_the_view_that_checks_permission(provider):
    logo = Upload.objects.create(
        purpose=Upload.Purpose.LOGO,
        file="uploads/ab/logo.png",
        extension=".png",
        content_type="image/png",
        size=100,
        original_name="logo.png",
        owner_organisation=provider.organisation,
    )
    provider.logo = logo
    provider.save(update_fields=["logo"])

    html = page(provider_url(provider))

    assert reverse("providers:upload", args=[logo.public_id]) in html
    assert "uploads/ab/logo.png" not in html, "the stored file's path is never shown"


@pytest.mark.parametrize("status", ["draft", "pending", "suspended", "withdrawn"])
def test_a_provider_profile_that_is_not_published_is_not_found(status, access):
    profile = ProviderProfileFactory()
    checker = UserFactory()
    if status != "draft":
        profile_submit(profile=profile, actor=checker)
    if status in {"suspended", "withdrawn"}:
        profile_approve(profile=profile, actor=checker)
        profile_set_status(profile=profile, new_status=status, actor=checker, reason="Testing")
    profile.refresh_from_db()
    assert profile.status == status

    access.not_found(None, provider_url(profile))


def test_a_closed_organisation_is_not_found_even_with_a_published_profile(provider, access):
    provider.organisation.is_active = False
    provider.organisation.save(update_fields=["is_active"])

    access.not_found(None, provider_url(provider))


# --- Personal assistants ---------------------------------------------------------------------------------------


def test_a_published_personal_assistant_shows_districts_skills_and_availability(assistant):
    html = page(assistant_url(assistant))

    assert "Chloe D." in html
    assert "CV1, CV3" in html
    assert "PEG feeding" in html and "Makaton" in html


def test_a_personal_assistants_home_postcode_never_appears_on_their_pages(assistant):
    offer = published_offer(personal_assistant=assistant, name="Support at home and out and about")

    for url in (assistant_url(assistant), offer_url(offer)):
        html = page(url)
        assert HOME_POSTCODE not in html
        assert HOME_POSTCODE.replace(" ", "") not in html


@pytest.mark.parametrize("status", ["draft", "pending"])
def test_a_personal_assistant_who_is_not_published_is_not_found(status, access):
    assistant = PersonalAssistantProfileFactory()
    if status == "pending":
        profile_submit(profile=assistant, actor=assistant.user)

    access.not_found(None, assistant_url(assistant))


def test_an_inactive_skill_is_not_listed_on_a_personal_assistants_page(assistant):
    TaxonomyTerm.objects.filter(code="makaton").update(is_active=False)

    html = page(assistant_url(assistant))

    assert "Makaton" not in html


# --- Queries stay the same however many offers a page shows -------------------------------------------------


def queries_for(url: str) -> int:
    client = Client()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_a_provider_page_makes_the_same_queries_for_one_offer_or_many(provider, django_assert_max_num_queries):
    published_offer(organisation=provider.organisation)
    with_one = queries_for(provider_url(provider))
    for number in range(6):
        published_offer(organisation=provider.organisation, name=f"Club {number}")

    with django_assert_max_num_queries(with_one):
        page(provider_url(provider))


def test_an_offer_page_makes_the_same_queries_however_much_the_offer_lists(provider, django_assert_max_num_queries):
    PostcodeFactory(postcode="CV6 5BG")
    venue = {"name": "Hall", "address": "Broad Street", "postcode": "CV6 5BG", "latitude": 52, "longitude": -1}
    small = published_offer(organisation=provider.organisation, attending_types=["in_home", "venue"], locations=[venue])
    with_little = queries_for(offer_url(small))
    rich = published_offer(
        organisation=provider.organisation,
        attending_types=["in_home", "venue"],
        needs=[term("autism"), term("adhd"), term("learning-disability")],
        cost_options=[{"amount": Decimal(amount), "unit": "hour"} for amount in ("15.00", "18.50", "22.00")],
        service_areas=[{"postcode_district": f"CV{n}", "name": f"CV{n}"} for n in range(1, 7)],
        locations=[venue | {"name": f"Hall {n}"} for n in range(3)],
        schedules=[{"weekday": day, "opens_at": "09:00", "closes_at": "17:00"} for day in ("MO", "TU", "WE", "TH")],
    )

    # One query per kind of row the page shows, however many rows; the rest is the site's header and badges.
    with django_assert_max_num_queries(min(with_little, 20)):
        page(offer_url(rich))


def test_a_personal_assistant_page_makes_the_same_queries_for_one_offer_or_many(
    assistant, django_assert_max_num_queries
):
    published_offer(personal_assistant=assistant)
    with_one = queries_for(assistant_url(assistant))
    for number in range(5):
        published_offer(personal_assistant=assistant, name=f"Sitting service {number}")

    with django_assert_max_num_queries(with_one):
        page(assistant_url(assistant))


def test_provider_and_assistant_pages_link_to_a_working_concern_report_form(provider, assistant):
    import re

    for url in (provider_url(provider), assistant_url(assistant)):
        match = re.search(r'href="(/concerns/report/\?[^"]+)">Report a concern', page(url))
        assert match, url
        assert "What happened?" in page(match.group(1).replace("&amp;", "&"))
