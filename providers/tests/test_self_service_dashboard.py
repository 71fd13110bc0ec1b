"""The provider dashboard: the profile's status, what needs attention, offers by status, and an honest
place for the enquiries that arrive with orders."""

import re

import pytest

from accounts.roles import Role
from accounts.tests.factories import MembershipFactory, user_with_role
from providers.models import OfferStatus
from providers.services.offers import offer_create, offer_edit, offer_reject, offer_set_status, offer_submit
from providers.services.profiles import profile_approve, profile_reject, profile_submit, profile_update
from providers.tests.factories import (
    PersonalAssistantProfileFactory,
    ProviderProfileFactory,
    offer_content,
    published_offer,
)

pytestmark = pytest.mark.django_db

URL = "/providers/"


@pytest.fixture
def alice():
    profile = ProviderProfileFactory(legal_name="Bright Steps")
    return user_with_role(Role.PROVIDER_STAFF, organisation=profile.organisation)


def organisation_of(user):  # type: ignore[no-untyped-def]
    return user.memberships.get().organisation


def page_for(client, user) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_a_draft_profile_asks_to_be_sent_for_checking(client, alice):
    html = page_for(client, alice)

    assert "Send your profile for checking" in html
    assert 'href="/providers/profile/submit/"' in html


def test_a_returned_profile_shows_the_checker_s_reason(client, alice):
    profile = organisation_of(alice).provider_profile
    profile_submit(profile=profile, actor=alice)
    profile_reject(profile=profile, actor=user_with_role(Role.QA_OFFICER), reason="Add your charity number")

    html = page_for(client, alice)

    assert "The checkers returned your profile: “Add your charity number”" in html


def test_unsent_changes_to_a_published_profile_need_attention(client, alice):
    profile = organisation_of(alice).provider_profile
    profile_submit(profile=profile, actor=alice)
    profile_approve(profile=profile, actor=user_with_role(Role.QA_OFFICER))
    profile_update(profile=profile, actor=alice, changes={"description": "Now with holiday clubs."})

    html = page_for(client, alice)

    assert "Send your changes for checking" in html
    assert "Not sent for checking yet" in html


def test_offers_are_grouped_by_status_with_links(client, alice):
    organisation = organisation_of(alice)
    draft = offer_create(actor=alice, content=offer_content(name="Draft club"), organisation=organisation)
    pending = offer_create(actor=alice, content=offer_content(name="Waiting club"), organisation=organisation)
    offer_submit(offer=pending, actor=alice)
    published_offer(organisation=organisation, name="Live club")
    withdrawn = published_offer(organisation=organisation, name="Old club")
    offer_set_status(offer=withdrawn, new_status=OfferStatus.WITHDRAWN, actor=alice, reason="Closed")

    html = page_for(client, alice)

    captions = re.findall(r'<caption class="govuk-table__caption[^"]*">([^<]+)</caption>', html)
    assert captions == ["Draft (1)", "Waiting for checks (1)", "Published (1)", "Withdrawn (1)"]
    assert f'href="/providers/offers/{draft.public_id}/"' in html
    assert f'href="/providers/offers/{draft.public_id}/edit/"' in html
    for name in ("Draft club", "Waiting club", "Live club", "Old club"):
        assert name in html


def test_a_returned_offer_shows_the_checker_s_reason(client, alice):
    offer = offer_create(actor=alice, content=offer_content(name="Saturday club"), organisation=organisation_of(alice))
    offer_submit(offer=offer, actor=alice)
    offer_reject(offer=offer, actor=user_with_role(Role.QA_OFFICER), reason="Add a price")

    html = page_for(client, alice)

    assert "The checkers returned Saturday club: “Add a price”" in html


def test_a_change_to_a_published_offer_waiting_for_checks_is_shown(client, alice):
    offer = published_offer(organisation=organisation_of(alice), name="Saturday club")
    offer_edit(offer=offer, actor=alice, content=offer_content(name="Saturday club"))
    offer_submit(offer=offer, actor=alice)

    html = page_for(client, alice)

    assert "Your change is waiting for checks" in html


def test_orders_and_invoices_show_no_made_up_figures_when_nothing_waits(client, alice):
    html = page_for(client, alice)

    section = html[html.index("Orders and invoices</h2>") : html.index("</main>")]
    text = re.sub(r"<[^>]+>", " ", section)
    assert "No orders or invoice queries are waiting for you." in text
    assert not re.search(r"\d", text)


def test_an_organisation_without_a_profile_is_asked_to_write_one(client):
    bob = user_with_role(Role.PROVIDER_STAFF)

    html = page_for(client, bob)

    assert "Your organisation has no profile yet" in html
    assert "You have no offers yet" in html


def test_a_personal_assistant_sees_their_own_listings_and_never_their_home_postcode(client):
    profile = PersonalAssistantProfileFactory(home_postcode="CV3 5AB", display_name="Sam K.")
    MembershipFactory(user=profile.user, organisation=profile.council, role=Role.PERSONAL_ASSISTANT)
    offer_create(actor=profile.user, content=offer_content(name="Sam's support"), personal_assistant=profile)

    html = page_for(client, profile.user)

    assert "Sam K." in html
    assert "Sam&#x27;s support" in html
    assert "CV3 5AB" not in html


def test_your_listings_is_in_the_navigation_of_providers_only(client, alice):
    pa = PersonalAssistantProfileFactory()
    MembershipFactory(user=pa.user, organisation=pa.council, role=Role.PERSONAL_ASSISTANT)
    pa_without_profile = user_with_role(Role.PERSONAL_ASSISTANT)
    family = user_with_role(Role.FAMILY_MEMBER)

    def labels(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return [item["label"] for item in client.get("/account/").context["nav_items"]]

    assert "Your listings" in labels(alice)
    assert "Your listings" in labels(pa.user)
    assert "Your listings" not in labels(pa_without_profile)
    assert "Your listings" not in labels(family)
