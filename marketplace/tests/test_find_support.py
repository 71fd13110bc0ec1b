"""The find-support page, /search/: words, place and filters with counts, sorting, paging, errors,
demand signals, the htmx fragment, and the cards' queries."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, UserFactory, user_with_role
from marketplace.selectors import offer_cards
from providers.badges import badges_for_offer
from providers.models import (
    InsurancePolicy,
    OfferStatus,
    ProfileStatus,
    ProviderProfile,
    RegulatorRegistration,
    Verification,
)
from providers.services.offers import offer_set_status
from providers.tests.factories import PersonalAssistantProfileFactory, ProviderProfileFactory
from search.backends import get_backend
from search.models import DemandSignal
from search.query import SearchQuery
from search.selectors import offers_search
from search.tests import factories
from search.tests.factories import gazetteer, venue

URL = "/search/"


@pytest.fixture(autouse=True)
def places(db) -> None:  # type: ignore[no-untyped-def]
    gazetteer()


def listing(*, checks_current_until=None, assured_on=None, profile=None, **content):  # type: ignore[no-untyped-def]
    """A published offer of a provider whose profile is published, so that its public page answers."""
    profile = profile or ProviderProfileFactory(
        status=ProfileStatus.PUBLISHED, checks_current_until=checks_current_until, assured_on=assured_on
    )
    return factories.listing(profile=profile, **content)


def pa_listing(*, pa=None, **content):  # type: ignore[no-untyped-def]
    return factories.pa_listing(pa=pa or PersonalAssistantProfileFactory(status=ProfileStatus.PUBLISHED), **content)


def indexed(*offers):  # type: ignore[no-untyped-def]
    get_backend().index([offer.pk for offer in offers])
    return offers


def at(postcode: str, **content):  # type: ignore[no-untyped-def]
    return listing(locations=[venue(postcode)], attending_types=["venue"], service_areas=[], **content)


def html_of(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return response.content.decode()


# --- Searching ---------------------------------------------------------------------------------------


def test_a_postcode_and_distance_find_only_nearby_offers_with_how_far_they_are(client):
    indexed(at("CV3 5AB", name="Coventry swimming"), at("B1 1AA", name="Birmingham swimming"))

    html = html_of(client.get(URL, {"text": "swimming", "postcode": "CV1 2GT", "radius_miles": "5"}))

    assert "Coventry swimming" in html and "Birmingham swimming" not in html
    assert "1 result<" in html
    assert re.search(r"Distance</dt>\s*<dd[^>]*>1\.\d miles", html)


def test_comes_to_my_home_finds_offers_whose_area_covers_the_postcode(client):
    indexed(listing(name="Home respite", service_areas=[{"postcode_district": "CV1", "name": "CV1"}]))
    indexed(listing(name="Leeds respite", service_areas=[{"postcode_district": "LS1", "name": "LS1"}]))

    html = html_of(client.get(URL, {"postcode": "CV1 2GT", "comes_to_home": "true"}))

    assert "Home respite" in html and "Leeds respite" not in html


def test_each_result_links_to_its_public_page_with_provider_price_and_capacity(client):
    (offer,) = indexed(
        listing(
            name="Saturday club",
            capacity_places=3,
            cost_options=[{"amount": Decimal("40.00"), "unit": "session", "vat_status": "plus_vat"}],
        )
    )

    html = html_of(client.get(URL))

    assert f'href="/directory/offers/{offer.public_id}/"' in html
    assert offer.provider_name in html
    assert "£40.00 a session plus VAT" in html
    assert "3 places" in html


def test_links_from_content_pages_use_their_short_names(client):
    indexed(listing(name="Swimming club", categories=["leisure-and-activities"]), listing(name="Tutor"))

    html = html_of(client.get(URL, {"q": "swimming", "category": "leisure-and-activities"}))

    assert "Swimming club" in html and "Tutor<" not in html
    assert 'value="swimming"' in html


def test_drafts_and_suspended_offers_are_never_shown(client):
    shown, suspended = listing(name="Open club"), listing(name="Suspended club")
    offer_set_status(offer=suspended, new_status=OfferStatus.SUSPENDED, actor=UserFactory(), reason="Concern")
    indexed(shown, suspended)

    html = html_of(client.get(URL))

    assert "Open club" in html and "Suspended club" not in html


def test_an_offer_without_a_public_page_gets_no_card_while_the_index_catches_up(client):
    hidden = factories.listing(name="Unpublished provider's club")
    indexed(listing(name="Open club"), hidden)
    # The provider's profile went back to draft, and the index has not been told yet.
    ProviderProfile.objects.filter(organisation=hidden.organisation).update(status=ProfileStatus.DRAFT)

    html = html_of(client.get(URL))

    assert "Open club" in html and "Unpublished provider" not in html


def test_a_misspelt_word_offers_the_word_it_was_taken_for(client):
    indexed(listing(name="Swimming lessons"))

    html = html_of(client.get(URL, {"text": "swiming"}))

    assert "Swimming lessons" in html
    assert "Did you mean" in html and ">swimming</a>" in html


def test_a_search_that_finds_nothing_gives_advice(client):
    indexed(listing(name="Swimming lessons"))

    html = html_of(client.get(URL, {"text": "trampoline", "dbs_checked_only": "true"}))

    assert "No support matches your search" in html
    assert "removing your filters" in html and 'href="?text=trampoline"' in html


# --- Filters and facets --------------------------------------------------------------------------------


def test_filters_show_how_many_results_each_choice_would_give(client):
    indexed(
        listing(needs=["autism"], categories=["respite-at-home"]),
        listing(needs=["autism"], categories=["tuition"]),
        listing(needs=["adhd"], categories=["tuition"]),
    )

    html = html_of(client.get(URL))

    assert 'for="needs">Autism (2)</label>' in html
    assert "ADHD (1)</label>" in html
    assert "Tuition (2)" in html
    assert "Organisations (3)" in html and "Personal assistants (0)" in html


def test_ticked_filters_narrow_the_results_and_stay_ticked(client):
    indexed(listing(name="Autism club", needs=["autism"]), listing(name="ADHD club", needs=["adhd"]))

    html = html_of(client.get(URL, {"needs": "adhd"}))

    assert "ADHD club" in html and "Autism club<" not in html
    assert 'value="adhd" checked' in html
    assert "Clear filters" in html


def test_dbs_checked_only_keeps_providers_whose_checks_are_current(client):
    today = timezone.localdate()
    indexed(
        listing(name="Checked club", checks_current_until=today + timedelta(days=30)),
        listing(name="Lapsed club", checks_current_until=today - timedelta(days=1)),
    )

    html = html_of(client.get(URL, {"dbs_checked_only": "true"}))

    assert "Checked club" in html and "Lapsed club" not in html
    assert "DBS checked" in html


def test_personal_assistants_can_be_chosen_apart_from_organisations(client):
    sam = PersonalAssistantProfileFactory(display_name="Sam K.", status=ProfileStatus.PUBLISHED)
    indexed(listing(name="Club"), pa_listing(name="PA support", pa=sam))

    html = html_of(client.get(URL, {"provider_kind": "personal_assistant"}))

    assert "Personal assistant: Sam K." in html and ">Club</a>" not in html


# --- Sorting and paging --------------------------------------------------------------------------------


def test_sorting_by_price_puts_the_cheapest_first(client):
    indexed(
        listing(name="Dear", cost_options=[{"amount": Decimal("30.00"), "unit": "hour"}]),
        listing(name="Cheap", cost_options=[{"amount": Decimal("12.00"), "unit": "hour"}]),
    )

    html = html_of(client.get(URL, {"sort": "price", "price_unit": "hour"}))

    assert html.index(">Cheap</a>") < html.index(">Dear</a>")


def test_sorting_by_distance_puts_the_nearest_first(client):
    indexed(at("B1 1AA", name="Far"), at("CV3 5AB", name="Near"))

    html = html_of(client.get(URL, {"sort": "distance", "postcode": "CV1 2GT"}))

    assert html.index(">Near</a>") < html.index(">Far</a>")


def test_results_come_in_pages_with_govuk_pagination(client):
    indexed(*(listing(name=f"Club {letter}") for letter in "ABC"))

    html = html_of(client.get(URL, {"per_page": "2", "page": "2"}))

    assert "Club C" in html and "Club A" not in html
    assert "Showing 3 to 3 of 3" in html
    assert 'class="govuk-pagination"' in html and 'rel="prev"' in html and 'aria-current="page">2<' in html


# --- Errors --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"postcode": "ZZ9 9ZZ", "radius_miles": "5"}, "postcode"),
        ({"postcode": "CV1 2GT", "radius_miles": "lots"}, "radius_miles"),
        ({"age": "seven"}, "age"),
        ({"price_max": "10"}, "price_unit"),
        ({"time_from": "17:00", "time_to": "09:00"}, "time_to"),
    ],
)
def test_bad_input_redisplays_the_page_with_an_error_summary_linking_to_the_field(client, params, field):
    indexed(listing())

    html = html_of(client.get(URL, params))

    assert "<title>Error: Find support" in html
    assert 'class="govuk-error-summary"' in html and f'href="#{field}"' in html
    assert f'id="{field}"' in html
    assert "Correct the problem" in html


# --- Demand signals --------------------------------------------------------------------------------


def test_a_search_that_finds_little_is_recorded_as_demand(client):
    indexed(listing(name="Swimming lessons"))

    client.get(URL, {"text": "horse riding", "postcode": "CV1 2GT"})

    signal = DemandSignal.objects.get()
    assert signal.text == "horse riding" and signal.results == 0 and signal.postcode_district == "CV1"


def test_a_commissioner_watching_the_market_is_not_counted_as_demand_but_a_lead_professional_is(client):
    indexed(listing(name="Swimming lessons"))
    council = CouncilFactory()
    commissioner = user_with_role(Role.COMMISSIONER, council)
    lead = user_with_role(Role.LEAD_PROFESSIONAL, council)

    client.force_login(commissioner)
    client.get(URL, {"text": "horse riding"})
    client.force_login(lead)
    client.get(URL, {"text": "wheelchair football"})

    assert list(DemandSignal.objects.values_list("text", flat=True)) == ["wheelchair football"]


def test_opening_the_page_without_a_search_records_no_demand(client):
    client.get(URL)
    client.get(URL, {"sort": "assured"})

    assert not DemandSignal.objects.exists()


# --- htmx --------------------------------------------------------------------------------------------


def test_an_htmx_request_gets_only_the_search_fragment_with_the_count_to_announce(client):
    indexed(listing(name="Swimming lessons"))

    response = client.get(URL, {"text": "swimming"}, headers={"HX-Request": "true"})

    html = html_of(response)
    assert "<html" not in html and "<footer" not in html
    assert 'id="find-support-form"' in html and "Swimming lessons" in html
    assert 'hx-swap-oob="innerHTML:#find-support-status">1 result<' in html
    assert "HX-Request" in response["Vary"]


def test_a_full_page_has_the_live_region_map_box_and_map_settings_as_json(client):
    indexed(at("CV3 5AB", name="Swimming lessons"))

    html = html_of(client.get(URL))

    assert 'id="find-support-status"' in html and 'aria-live="polite"' in html
    assert 'id="find-support-map"' in html and 'hx-preserve="true"' in html
    assert '<script id="find-support-places" type="application/json">' in html
    assert '"latitude": 52.387' in html
    assert '<script id="find-support-map-config" type="application/json">' in html


def test_the_page_is_linked_from_the_header_for_everyone(client):
    html = html_of(client.get("/"))

    assert 'href="/search/"' in html and "Find support" in html


# --- The cards' reads ----------------------------------------------------------------------------------


def _hits(count: int):  # type: ignore[no-untyped-def]
    council = CouncilFactory()
    today = timezone.localdate()
    offers = []
    for number in range(count):
        profile = ProviderProfileFactory(
            status=ProfileStatus.PUBLISHED,
            checks_current_until=today + timedelta(days=90),
            assured_on=today,
            assured_by_council=council,
        )
        RegulatorRegistration.objects.create(
            organisation=profile.organisation,
            regulator="ofsted",
            registration_id=f"SC{profile.pk:06d}",
            rating="good",
            inspection_date=date(2025, 6, 1),
            recorded_by_council=council,
        )
        InsurancePolicy.objects.create(
            organisation=profile.organisation,
            kind="public_liability",
            insurer="Acme",
            cover_amount=Decimal("5000000"),
            expires_on=today + timedelta(days=200),
            verification=Verification.VERIFIED,
        )
        offers.append(at("CV3 5AB", profile=profile, name=f"Club {number}"))
    offers.append(pa_listing())
    indexed(*offers)
    return offers, offers_search(SearchQuery(per_page=50)).hits


def test_cards_are_read_in_a_fixed_number_of_queries_whatever_the_page_size(django_assert_max_num_queries):
    _, few = _hits(1)
    with django_assert_max_num_queries(12) as captured:
        offer_cards(few)
    baseline = len(captured.captured_queries)
    _, many = _hits(6)

    with django_assert_max_num_queries(baseline):
        cards = offer_cards(many)

    assert len(cards) == 9


def test_cards_carry_the_same_badges_as_the_public_pages():
    offers, hits = _hits(2)
    today = timezone.localdate()

    cards = {card.public_id: card for card in offer_cards(hits, today=today)}

    for offer in offers:
        assert cards[offer.public_id].badges == badges_for_offer(offer, today)
    assert any(badge.label.startswith("Registered with Ofsted") for badge in cards[offers[0].public_id].badges)
