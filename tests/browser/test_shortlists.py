"""Shortlists in a real browser, with JavaScript and without: a family member adds two offers from their
pages, compares them, and shares the shortlist with a broker in their council's area, who then sees it.
Every page is checked with axe."""

import pytest
from playwright.sync_api import Page, expect

from marketplace.tests import shortlist_factories as make
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _add_from_offer_page(page: Page, visit, axe_check, offer, count: int, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    name = offer.live_version.name
    visit(page, f"/directory/offers/{offer.public_id}/")
    page.get_by_role("button", name=f"Add to shortlist {name}").click()
    if javascript:
        expect(page.get_by_role("status")).to_have_text(f"{name} is on your shortlist")
    else:
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{name} is on your shortlist")
    expect(page.get_by_role("button", name=f"Remove from shortlist {name}")).to_be_visible()
    expect(page.get_by_role("link", name=f"Shortlist ({count})")).to_be_visible()
    axe_check(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_family_member_shortlists_compares_and_shares_with_a_broker(browsing, visit, axe_check, javascript):
    # Given Alice, a family member in Coventry, Bob, a broker registered with Coventry, and two offers
    coventry = make.council("Coventry City Council")
    alice = make.family_member(coventry, first_name="Alice", last_name="Adams")
    bob = make.broker(coventry, first_name="Bob", last_name="Brown")
    club, swim = make.offer("Saturday club"), make.offer("Swimming lessons")
    page = browsing.new_page(javascript=javascript)

    # When she adds both offers from their pages
    sign_in(page, visit, alice.email)
    _add_from_offer_page(page, visit, axe_check, club, 1, javascript)
    _add_from_offer_page(page, visit, axe_check, swim, 2, javascript)

    # And compares them
    visit(page, "/shortlist/")
    page.get_by_label("Saturday club").check()
    page.get_by_label("Swimming lessons").check()
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="Compare offers")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Swimming lessons")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Price per unit")).to_be_visible()
    axe_check(page)

    # And shares her shortlist with Bob
    visit(page, "/shortlist/")
    page.get_by_role("link", name="Share your shortlist").click()
    axe_check(page)
    page.get_by_label("Who do you want to share your shortlist with?").select_option(
        label=f"{bob} – Broker, {bob.memberships.get().organisation.name}"
    )
    page.get_by_role("button", name="Share your shortlist").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your shortlist is shared with Bob Brown")
    axe_check(page)

    # Then Bob finds it under the shortlists shared with him, read-only
    bob_page = browsing.new_page(javascript=javascript)
    sign_in(bob_page, visit, bob.email)
    visit(bob_page, "/shortlist/shared/")
    bob_page.get_by_role("link", name="Alice Adams").click()
    expect(bob_page.get_by_role("heading", name="Shortlist of Alice Adams")).to_be_visible()
    expect(bob_page.get_by_role("link", name="Saturday club", exact=True)).to_be_visible()
    expect(bob_page.get_by_role("button", name="Remove")).to_have_count(0)
    axe_check(bob_page)


def test_a_visitor_who_is_not_signed_in_keeps_a_shortlist_that_is_saved_when_theysign_in(page, visit, axe_check):
    alice = make.family_member(make.council(), first_name="Alice", last_name="Adams")
    club = make.offer("Saturday club")

    _add_from_offer_page(page, visit, axe_check, club, 1, javascript=True)
    visit(page, "/shortlist/")
    expect(page.get_by_role("link", name="Saturday club", exact=True)).to_be_visible()

    sign_in(page, visit, alice.email)
    visit(page, "/shortlist/")
    expect(page.get_by_role("link", name="Saturday club", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Shortlist (1)")).to_be_visible()
