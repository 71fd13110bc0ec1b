"""Complaints in a real browser without JavaScript: Alice complains about Tom's tuition from the order's page
(meeting the error summary first); Pat at Sunrise Tutors responds; Alice is not satisfied and asks the
council; Queenie, Coventry's quality-assurance officer, decides; Cora, its commissioner, reads the figures.
Every page is checked with axe."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from marketplace.tests.order_factories import family, fund, member, place, provider
from tests.browser.helpers import expect_error_summary, open_from_navigation, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_family_complains_provider_responds_and_the_council_decides(browsing, visit, axe_check):
    # Given Tom's tuition ordered from Sunrise Tutors
    tom, seller = family(available="0"), provider()
    fund(tom.allocation, Decimal("500.00"))
    order = place(tom, seller)
    queenie = member(Role.QA_OFFICER, tom.council, first_name="Queenie")
    cora = member(Role.COMMISSIONER, tom.council, first_name="Cora")
    alice, pat, officer, commissioner = (browsing.new_page(javascript=False) for _ in range(4))

    # When Alice opens the order and makes a complaint, first leaving out what happened
    sign_in(alice, visit, tom.parent.email)
    visit(alice, reverse("marketplace:order", args=[order.public_id]))
    alice.get_by_role("link", name="Make a complaint about this order").click()
    expect(alice.get_by_role("heading", name="Make a complaint")).to_be_visible()
    expect(alice.get_by_role("link", name="report a concern")).to_be_visible()
    axe_check(alice)
    alice.get_by_label("What would you like to happen").fill("The missed sessions made up.")
    alice.get_by_role("button", name="Send your complaint").click()
    expect_error_summary(alice, axe_check, "Say what happened", field_label="What happened")
    alice.get_by_label("What happened").fill("Three sessions were cancelled with no notice.")
    alice.get_by_role("button", name="Send your complaint").click()
    expect(alice.locator(".govuk-notification-banner")).to_contain_text("Your complaint has been sent")
    axe_check(alice)

    # Then Pat finds it and responds
    sign_in(pat, visit, seller.staff.email)
    open_from_navigation(pat, axe_check, "Complaints about your services")
    pat.get_by_role("link", name="complaint about").first.click()
    axe_check(pat)
    pat.get_by_label("Your response").fill("We are sorry; we can offer two sessions in the holidays.")
    pat.get_by_role("button", name="Send your response").click()
    expect(pat.locator(".govuk-notification-banner")).to_contain_text("Your response has been sent")

    # And Alice asks the council to look at it
    open_from_navigation(alice, axe_check, "Your complaints")
    alice.get_by_role("link", name="complaint about").first.click()
    alice.get_by_label("Why does the response not put things right?").fill("Three were missed, not two.")
    alice.get_by_role("button", name="Ask the council to look at it").click()
    expect(alice.locator(".govuk-notification-banner")).to_contain_text("Your complaint has gone to the council")
    axe_check(alice)

    # And Queenie decides, partly upholding it
    sign_in(officer, visit, queenie.email)
    open_from_navigation(officer, axe_check, "Complaints")
    officer.get_by_role("link", name="complaint about").first.click()
    officer.get_by_label("Partly upheld").check()
    officer.get_by_label("The council's decision").fill("Sunrise must offer a third session.")
    officer.get_by_role("button", name="Record the decision").click()
    expect(officer.locator(".govuk-notification-banner")).to_contain_text("Your decision has been recorded")
    axe_check(officer)

    # And Cora sees it in the complaints by provider
    sign_in(commissioner, visit, cora.email)
    open_from_navigation(commissioner, axe_check, "Complaints by provider")
    expect(commissioner.get_by_role("rowheader", name="Sunrise Tutors")).to_be_visible()
