"""A commissioner writes to the members of a framework lot, linking the council's provider forum: the check step
shows the reach, sending records it, and a member's staff reads the message. The commissioner also looks at the
equity page. Every page is checked with axe and saved and checked at 320 px wide."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from brokerage.models import HeldAs
from cms.models import CouncilIndexPage, EventIndexPage, EventPage
from cms.tests.pages import home, publish
from marketplace.tests.insights_factories import YEAR, allocation_in, council, family_spent, provider_of
from marketplace.tests.order_factories import member
from marketplace.tests.test_insights_spend import framework_of
from tests.browser.helpers import journey_snapshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def market():  # type: ignore[no-untyped-def]
    coventry = council("Coventry City Council", "E08000026")
    sunrise = provider_of(coventry, "Sunrise Short Breaks", charity_number="1100001")
    framework_of(coventry, {"short-breaks": [sunrise]})
    staff = member(Role.PROVIDER_STAFF, sunrise, first_name="Sam", last_name="Okafor")
    for _ in range(5):
        allocation = allocation_in(coventry, held_as=HeldAs.DIRECT_PAYMENT)
        allocation.budget.person.postcode = "CV1 2AB"
        allocation.budget.person.save(update_fields=["postcode"])
        family_spent(allocation, "60.00")
    section = publish(home(), CouncilIndexPage(title="Coventry", slug="coventry", council=coventry, intro="Local."))
    events = publish(section, EventIndexPage(title="Coventry events", slug="events"))
    publish(
        events,
        EventPage(
            title="Provider forum",
            slug="provider-forum",
            summary="Meet the commissioners.",
            starts_at=timezone.now() + datetime.timedelta(days=20),
            online_details="On Teams",
            attendance="online",
        ),
    )
    commissioner = user_with_role(Role.COMMISSIONER, coventry, first_name="Priya", last_name="Shah")
    return commissioner, staff


def test_a_commissioner_writes_to_a_lots_members_and_a_member_reads_it(page: Page, visit, market) -> None:  # type: ignore[no-untyped-def]
    commissioner, staff = market
    sign_in(page, visit, commissioner.email)
    visit(page, f"/insights/equity/?year={YEAR}")
    expect(page.get_by_role("row").filter(has_text="CV1")).to_contain_text("£60.00")
    journey_snapshot(page, "market-messages", "01-equity")

    page.get_by_role("link", name="Messages to providers").first.click()
    visit(page, page.url)
    journey_snapshot(page, "market-messages", "02-list")
    page.get_by_role("link", name="Write to providers").click()
    visit(page, page.url)
    page.get_by_label("Who should get this message?").select_option(label="Short Breaks Framework, lot 1: short-breaks")
    page.get_by_label("Subject").fill("Provider forum in June")
    page.get_by_label("Message", exact=True).fill("Come and tell us what families ask for.")
    page.get_by_label("Link an event (optional)").select_option(index=1)
    journey_snapshot(page, "market-messages", "03-write")
    page.get_by_role("button", name="Check who it reaches").click()
    expect(page.get_by_text("It will reach 1 organisation and 0 personal assistants.")).to_be_visible()
    journey_snapshot(page, "market-messages", "04-check")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Provider forum in June")
    visit(page, page.url)
    expect(page.get_by_role("cell", name="Sunrise Short Breaks")).to_be_visible()
    journey_snapshot(page, "market-messages", "05-sent")

    page.context.clear_cookies()
    sign_in(page, visit, staff.email)
    visit(page, "/market/messages/received/")
    page.get_by_role("link", name="Provider forum in June").click()
    visit(page, page.url)
    expect(page.get_by_role("link", name="Provider forum", exact=True)).to_be_visible()
    journey_snapshot(page, "market-messages", "06-received")
