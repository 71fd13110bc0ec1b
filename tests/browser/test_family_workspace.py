"""The family's workspace in a real browser, with the keyboard only: Tab, Shift+Tab, Enter, Space, arrows
and typing; never the mouse.

Claire holds consent for Tom, whose budget has money from one stream and whose draft plan his broker has
sent her to agree. She signs in, sees where they are in the seven steps and what to do next, reads her
budget (chart and table), gives Marcus (a broker registered with the council) access to place orders up
to £250 until a date, withdraws it, and asks the council's brokers for help. Every page is checked with
axe and must reflow at 320 px; screenshots are saved under test-results/journeys/family/.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from accounts.models import Notification
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import PASSWORD, CouncilFactory, OrganisationFactory, user_with_role
from brokerage import ledger
from brokerage.models import AccessGrant, Allocation, Budget, ConsentHolder, HeldAs, PersonSupported, SupportPlan
from brokerage.selectors.config import financial_year_current
from brokerage.tests.factories import FundingStreamFactory
from marketplace.models import HelpRequest
from tests.browser.helpers import journey_snapshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

Visit = Callable[[Page, str], object]
MOST_TABS = 120


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user moves through the page."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def follow(page: Page, target: Locator) -> None:
    """Move to a link or button with Tab and press Enter, waiting for the page it opens."""
    tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")


def sign_in(page: Page, visit: Visit, email: str) -> None:
    visit(page, "/account/sign-in/")
    tab_to(page, page.get_by_label("Email address"))
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/account/")


@pytest.fixture
def tom() -> PersonSupported:
    council = CouncilFactory(name="Coventry City Council")
    year = financial_year_current()
    stream = FundingStreamFactory(council=council, financial_year=year, name="Short breaks")
    ledger.stream_fund(stream=stream, amount=Decimal("5000.00"), key="fund")
    claire = user_with_role(Role.FAMILY_MEMBER, council, first_name="Claire", last_name="Walsh")
    brokers = OrganisationFactory(kind=OrganisationKind.BROKER, council=council, name="Coventry Brokerage")
    user_with_role(Role.BROKER, brokers, first_name="Marcus", last_name="Reid")
    person = PersonSupported.objects.create(
        council=council, first_name="Tom", last_name="Walsh", date_of_birth=datetime.date(2014, 5, 14)
    )
    ConsentHolder.objects.create(person=person, user=claire, relationship=ConsentHolder.Relationship.PARENT)
    budget = Budget.objects.create(
        person=person,
        council=council,
        financial_year=year,
        starts_on=datetime.date(year, 4, 1),
        ends_on=datetime.date(year + 1, 3, 31),
    )
    allocation = Allocation.objects.create(budget=budget, stream=stream, held_as=HeldAs.COUNCIL_MANAGED)
    ledger.allocate(allocation=allocation, amount=Decimal("2400.00"), key="allocate")
    SupportPlan.objects.create(person=person, budget=budget, sent_to_family_at=timezone.now())
    return person


def test_a_family_follows_their_support_gives_and_withdraws_a_brokers_access_and_asks_for_help_by_keyboard(
    page: Page, visit: Visit, axe_check, tom: PersonSupported
) -> None:
    claire = tom.consent_holders.get().user
    sign_in(page, visit, claire.email)

    # Home: one child, so straight to Tom's page, with the step and the next thing to do.
    visit(page, "/my/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tom's support")
    expect(page.get_by_text("You are at step 4 of 7: Agree your plan")).to_be_visible()
    expect(page.get_by_role("link", name="Read your plan and agree it, or ask for changes")).to_be_visible()
    journey_snapshot(page, "family", "01-home")

    # My budget: the chart and the table beside it.
    follow(page, page.get_by_role("link", name="My budget: what is left"))
    axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("My budget")
    expect(page.get_by_text("£2,400.00", exact=False).first).to_be_visible()
    expect(page.locator("figure.app-bar-chart")).to_be_visible()
    expect(page.locator("table.app-bar-chart__table")).to_contain_text("Short breaks")
    journey_snapshot(page, "family", "02-budget")

    # Who can see the record: give Marcus access to order up to £250 until a date.
    follow(page, page.get_by_role("link", name="Get help from a broker, and who can see your records"))
    axe_check(page)
    journey_snapshot(page, "family", "03-who-can-see")
    follow(page, page.get_by_role("button", name="Give someone access"))
    axe_check(page)
    tab_to(page, page.get_by_label("Who may see the record"))
    page.keyboard.type("Marcus")
    tab_to(page, page.get_by_label("See the plan and budget"))
    page.keyboard.press("ArrowDown")  # moves to, and chooses, "See, and place orders up to a limit"
    expect(page.get_by_label("See, and place orders up to a limit")).to_be_checked()
    tab_to(page, page.get_by_label("Spending limit in pounds (only if they may place orders)"))
    page.keyboard.type("250.00")
    until = timezone.localdate() + datetime.timedelta(days=60)
    tab_to(page, page.get_by_label("Until (optional)"))
    page.keyboard.type(f"{until.day}/{until.month}/{until.year}")
    journey_snapshot(page, "family", "04-give-access")
    follow(page, page.get_by_role("button", name="Give access"))
    axe_check(page)
    expect(page.get_by_text("Marcus Reid can now see Tom's record")).to_be_visible()
    expect(page.get_by_text("up to £250.00")).to_be_visible()
    grant = AccessGrant.objects.get(person=tom)
    assert (grant.scope, grant.spending_limit, grant.until) == (AccessGrant.Scope.ACT, Decimal("250.00"), until)
    journey_snapshot(page, "family", "05-access-given")

    # Withdraw it: it ends at once.
    follow(page, page.get_by_role("link", name="Withdraw access for Marcus Reid"))
    axe_check(page)
    tab_to(page, page.get_by_label("Why (optional)"))
    page.keyboard.type("We are managing for now")
    follow(page, page.get_by_role("button", name="Withdraw access"))
    axe_check(page)
    expect(page.get_by_text("You have not given anyone access to this record.")).to_be_visible()
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    journey_snapshot(page, "family", "06-access-withdrawn")

    # Ask the council's brokers for help.
    visit(page, f"/my/{tom.public_id}/")
    follow(page, page.get_by_role("link", name="Ask for help", exact=True))
    axe_check(page)
    tab_to(page, page.get_by_label("A broker at Coventry City Council"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("What would you like help with?"))
    page.keyboard.type("We would like help finding a personal assistant for Saturdays")
    tab_to(page, page.get_by_label("By email"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("By text message")).to_be_checked()
    journey_snapshot(page, "family", "07-ask-for-help")
    follow(page, page.get_by_role("button", name="Send your request"))
    axe_check(page)
    expect(page.get_by_text("We have sent your request for help")).to_be_visible()
    expect(page.get_by_text("Waiting for an answer")).to_be_visible()
    help_request = HelpRequest.objects.get(person=tom)
    assert help_request.to_user is None and help_request.contact_by == "text"
    assert Notification.objects.filter(link=f"/my/help-requests/{help_request.public_id}/").count() == 1
    journey_snapshot(page, "family", "08-help-asked")
