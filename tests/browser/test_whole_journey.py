"""Issue #13's acceptance, end to end in one browser session per person, on the pages only.

Claire, Tom's mother, signs in and, with the keyboard only, gives Marcus (a broker) access to place
orders up to £3,000 until a date. Marcus finds a Saturday club, a sleep therapist and a personal
assistant on the find support page, shortlists them, builds a weekly package of the three against
Tom's budget and sends it to Claire, who agrees it with the keyboard. A broker may not approve money,
so Marcus submits the agreed plan and Sanjay, a budget-holding manager, approves it. Marcus orders each
line of the plan within the £3,000 Claire allowed; the club's and the therapist's staff and the PA each
sign in and accept their order. Gemma, Tom's lead professional, buys more therapy beyond her delegated
authority, asks a manager to approve it, and Sanjay approves it: the order exists once. Claire then
withdraws Marcus's access with the keyboard, and in the same browser session Marcus gets 404 on Tom's
record, one page, plan, package and orders, and Tom is gone from his caseload.

Every page goes through axe (``visit``), and the key pages are saved under
test-results/journeys/whole-journey/ and must reflow at 320 px (``journey_snapshot``).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from accounts.models import User
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory, user_with_role
from brokerage import ledger
from brokerage.models import AccessGrant, ConsentHolder, DelegatedAuthority, PersonSupported, PlanStatus, SupportPlan
from brokerage.selectors.config import financial_year_current
from brokerage.services.people import Contact, person_create
from brokerage.services.plans import allocation_add, budget_create, plan_create, plan_outcome_add
from brokerage.tests.factories import FundingStreamFactory
from marketplace.models import Order, OrderRequest, OrderStatus
from providers.models import Offer, ProfileStatus
from providers.tests.factories import PersonalAssistantProfileFactory, ProviderProfileFactory
from search.tests.factories import listing, pa_listing
from tests.browser.helpers import journey_snapshot, sign_in
from tests.browser.test_family_workspace import follow, tab_to
from tests.browser.test_family_workspace import sign_in as sign_in_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

JOURNEY = "whole-journey"
# The journey opens some sixty pages for seven people: on a machine shared with other test runs a page can
# take longer than the browser tests' usual 15 seconds, and that is not what this test is about.
PATIENCE_MS = 60_000
GRANT_LIMIT = "3000.00"


@dataclass
class Coventry:
    """Tom's record, budget and draft plan (the lead professional's, from casework), and who takes part."""

    person: PersonSupported
    plan: SupportPlan
    year: int
    mother: User
    broker: User
    lead: User
    manager: User
    club_staff: User
    therapy_staff: User
    pa: User
    club: Offer
    therapy: Offer
    pa_offer: Offer


@pytest.fixture
def coventry() -> Coventry:
    council = CouncilFactory(name="Coventry City Council")
    year = financial_year_current()
    stream = FundingStreamFactory(council=council, financial_year=year, name="Short breaks")
    ledger.stream_fund(stream=stream, amount=Decimal("50000.00"), key="fund")
    DelegatedAuthority.objects.create(
        council=council, financial_year=year, role=Role.LEAD_PROFESSIONAL, limit_per_person=Decimal("1000.00")
    )
    lead = user_with_role(Role.LEAD_PROFESSIONAL, council, first_name="Gemma", last_name="Hart")
    manager = user_with_role(Role.BUDGET_HOLDING_MANAGER, council, first_name="Sanjay", last_name="Patel")
    mother = user_with_role(Role.FAMILY_MEMBER, council, first_name="Claire", last_name="Walsh")
    brokers = OrganisationFactory(kind=OrganisationKind.BROKER, council=council, name="Coventry Brokerage")
    broker = user_with_role(Role.BROKER, brokers, first_name="Marcus", last_name="Reid")

    person = person_create(
        actor=lead,
        council=council,
        first_name="Tom",
        last_name="Walsh",
        date_of_birth=datetime.date(2014, 5, 14),
        holder=Contact(mother.email, "Claire", "Walsh"),
        relationship=ConsentHolder.Relationship.PARENT,
    )
    budget = budget_create(
        person=person,
        actor=lead,
        financial_year=year,
        starts_on=datetime.date(year, 4, 1),
        ends_on=datetime.date(year + 1, 3, 31),
    )
    allocation_add(budget=budget, actor=lead, stream=stream, held_as="council_managed", amount=Decimal("5000.00"))
    plan = plan_create(budget=budget, actor=lead, family_own_support="Grandad takes Tom swimming on Sundays")
    plan_outcome_add(
        plan=plan, actor=lead, domain="social_participation", description="Tom sees friends", baseline_score=3
    )
    plan_outcome_add(plan=plan, actor=lead, domain="be_healthy", description="Tom sleeps well", baseline_score=4)

    club_profile = ProviderProfileFactory(organisation__name="Coventry Saturday Club")
    therapy_profile = ProviderProfileFactory(organisation__name="Sleep Well Therapies")
    pa_user = user_with_role(Role.PERSONAL_ASSISTANT, council, first_name="Chloe", last_name="Evans")
    pa_profile = PersonalAssistantProfileFactory(user=pa_user, council=council, status=ProfileStatus.PUBLISHED)
    return Coventry(
        person=person,
        plan=plan,
        year=year,
        mother=mother,
        broker=broker,
        lead=lead,
        manager=manager,
        club_staff=user_with_role(Role.PROVIDER_STAFF, club_profile.organisation, first_name="Aisha"),
        therapy_staff=user_with_role(Role.PROVIDER_STAFF, therapy_profile.organisation, first_name="Priya"),
        pa=pa_user,
        club=listing(profile=club_profile, name="Saturday club", cost_options=_price("20.00", "session")),
        therapy=listing(profile=therapy_profile, name="Sleep therapy", cost_options=_price("45.00", "session")),
        pa_offer=pa_listing(pa=pa_profile, name="After-school PA", cost_options=_price("13.50", "hour")),
    )


def _price(amount: str, unit: str) -> list[dict]:
    return [{"amount": Decimal(amount), "unit": unit}]


def patient(browsing) -> Page:  # type: ignore[no-untyped-def]
    page = browsing.new_page()
    page.set_default_timeout(PATIENCE_MS)
    page.set_default_navigation_timeout(PATIENCE_MS)
    return page


def go(page: Page, target: Locator) -> None:
    """Click a link or button and wait for the page it opens: on a busy machine a page can take seconds."""
    with page.expect_navigation():
        target.click()
    page.wait_for_load_state("load")


# --- The steps ----------------------------------------------------------------------------------------


def family_gives_the_broker_access(page: Page, visit, axe_check, case: Coventry) -> None:  # type: ignore[no-untyped-def]
    """Step 1, keyboard only: Claire lets Marcus place orders up to £3,000 until a date."""
    sign_in_by_keyboard(page, visit, case.mother.email)
    visit(page, "/my/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tom's support")
    journey_snapshot(page, JOURNEY, "01-family-home")
    follow(page, page.get_by_role("link", name="Get help from a broker, and who can see your records"))
    axe_check(page)
    follow(page, page.get_by_role("button", name="Give someone access"))
    axe_check(page)
    tab_to(page, page.get_by_label("Who may see the record"))
    page.keyboard.type("Marcus")
    tab_to(page, page.get_by_label("See the plan and budget"))
    page.keyboard.press("ArrowDown")  # moves to, and chooses, "See, and place orders up to a limit"
    expect(page.get_by_label("See, and place orders up to a limit")).to_be_checked()
    tab_to(page, page.get_by_label("Spending limit in pounds (only if they may place orders)"))
    page.keyboard.type(GRANT_LIMIT)
    until = timezone.localdate() + datetime.timedelta(days=90)
    tab_to(page, page.get_by_label("Until (optional)"))
    page.keyboard.type(f"{until.day}/{until.month}/{until.year}")
    journey_snapshot(page, JOURNEY, "02-family-gives-access")
    follow(page, page.get_by_role("button", name="Give access"))
    axe_check(page)
    expect(page.get_by_text("Marcus Reid can now see Tom's record")).to_be_visible()
    grant = AccessGrant.objects.get(person=case.person, grantee=case.broker)
    assert (grant.scope, grant.spending_limit, grant.until) == (AccessGrant.Scope.ACT, Decimal(GRANT_LIMIT), until)


def broker_shortlists_from_search(page: Page, visit, offer: Offer) -> None:  # type: ignore[no-untyped-def]
    name = offer.live_version.name
    visit(page, f"/search/?text={name.replace(' ', '+')}")
    go(page, page.get_by_role("link", name=name, exact=True))
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    page.get_by_role("button", name=f"Add to shortlist {name}").click()
    expect(page.get_by_role("button", name=f"Remove from shortlist {name}")).to_be_visible()


def add_to_package(page: Page, axe_check, name: str, *, quantity: str, outcome: str, day: str, times: tuple) -> None:  # type: ignore[no-untyped-def]
    offer = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=name, exact=True))
    go(page, offer.get_by_role("link", name="Add to package"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Add {name} to the package")
    axe_check(page)
    page.get_by_role("radio").first.check()
    page.get_by_label("How many a week").fill(quantity)
    page.get_by_label("For how many weeks").fill("30")
    page.get_by_label("Outcome it works towards").select_option(label=outcome)
    page.get_by_label("Funding stream").select_option(index=1)
    page.get_by_label("First weekly time: day").select_option(label=day)
    page.get_by_label("Starts at").fill(times[0])
    page.get_by_label("Ends at").fill(times[1])
    go(page, page.get_by_role("button", name="Add to package"))
    expect(page.get_by_text(f"You have added {name}")).to_be_visible()


def broker_builds_and_sends_the_package(page: Page, visit, axe_check, case: Coventry) -> None:  # type: ignore[no-untyped-def]
    """Step 2: three providers, one a PA, laid out over the week, costed against the budget, sent."""
    sign_in(page, visit, case.broker)
    for offer in (case.club, case.therapy, case.pa_offer):
        broker_shortlists_from_search(page, visit, offer)
    visit(page, "/budgets/people/")
    journey_snapshot(page, JOURNEY, "03-broker-caseload")
    go(page, page.get_by_role("link", name="Plan draft not yet sent to the family for Tom Walsh"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Build the package")
    axe_check(page)
    add_to_package(page, axe_check, "Saturday club", quantity="1", outcome="Tom sees friends", day="Saturday",
                   times=("10:00", "13:00"))  # fmt: skip
    add_to_package(page, axe_check, "Sleep therapy", quantity="1", outcome="Tom sleeps well", day="Tuesday",
                   times=("16:00", "17:00"))  # fmt: skip
    add_to_package(page, axe_check, "After-school PA", quantity="2", outcome="Tom sees friends", day="Monday",
                   times=("15:30", "17:30"))  # fmt: skip
    # £20 + £45 + 2 × £13.50 = £92.00 a week; for 30 weeks £2,760.00 of the £5,000.00.
    costs = page.get_by_role("region", name="Cost against the budget by funding stream")
    expect(costs).to_contain_text("£92.00")
    expect(costs).to_contain_text("£2,760.00")
    expect(page.get_by_text("Look at these before you send the plan")).to_have_count(0)
    visit(page, f"/budgets/plans/{case.plan.public_id}/package/")
    journey_snapshot(page, JOURNEY, "04-broker-package")
    go(page, page.get_by_role("button", name="Send to the family to agree"))
    expect(page.get_by_text("You have sent the plan to the family to agree")).to_be_visible()
    axe_check(page)


def family_agrees_the_plan(page: Page, visit, axe_check, case: Coventry) -> None:  # type: ignore[no-untyped-def]
    """Step 3, keyboard only."""
    visit(page, "/my/")
    follow(page, page.get_by_role("link", name="Read your plan and agree it, or ask for changes"))
    axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tom's support plan")
    expect(page.get_by_text("Saturday 10:00 to 13:00").first).to_be_visible()
    journey_snapshot(page, JOURNEY, "05-family-agrees")
    follow(page, page.get_by_role("button", name="I agree"))
    axe_check(page)
    expect(page.get_by_text("you have agreed the plan")).to_be_visible()
    assert SupportPlan.objects.get(pk=case.plan.pk).status == PlanStatus.AGREED


def broker_submits_and_a_manager_approves(broker: Page, manager: Page, visit, axe_check, case: Coventry) -> None:  # type: ignore[no-untyped-def]
    """Step 3, the council's part: a broker has no delegated authority, so a manager approves the money."""
    visit(broker, "/budgets/people/")
    # The caseload's task opens the submission page itself.
    go(broker, broker.get_by_role("link", name="The family agreed the plan: submit it for Tom Walsh"))
    expect(broker.get_by_role("heading", level=1)).to_have_text("Submit the plan for approval")
    axe_check(broker)
    broker.get_by_label("Why the family needs this").fill("Tom needs time with friends and better sleep")
    go(broker, broker.get_by_role("button", name="Submit for approval"))
    expect(broker.get_by_text("Waiting for a budget-holding manager to approve £2,760.00")).to_be_visible()
    axe_check(broker)

    sign_in(manager, visit, case.manager)
    visit(manager, "/budgets/approvals/")
    go(manager, manager.get_by_role("link", name="Tom Walsh"))
    expect(manager.get_by_role("heading", level=1)).to_have_text("Approve £2,760.00?")
    axe_check(manager)
    journey_snapshot(manager, JOURNEY, "06-manager-approves-plan")
    manager.get_by_label("Approved", exact=True).check()
    go(manager, manager.get_by_role("button", name="Send the decision"))
    expect(manager.get_by_role("table", name="Approval requests")).to_contain_text("Approved")
    axe_check(manager)
    assert SupportPlan.objects.get(pk=case.plan.pk).status == PlanStatus.ACTIVE


def broker_orders_each_line(page: Page, visit, axe_check, case: Coventry) -> list[Order]:  # type: ignore[no-untyped-def]
    """Step 4: from the plan's lines, within the £3,000 the family allowed."""
    plan_url = f"/budgets/plans/{case.plan.public_id}/"
    for number, offer in enumerate((case.club, case.therapy, case.pa_offer), start=1):
        visit(page, plan_url)
        go(page, page.get_by_role("link", name=f"Order this support ({offer.live_version.name})"))
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {offer} for Tom")
        axe_check(page)
        page.get_by_role("group", name="Paid from").get_by_role("radio").first.check()
        if offer.personal_assistant_id:
            page.get_by_label("Self-employed or through an agency: sends invoices").check()
            journey_snapshot(page, JOURNEY, "07-broker-orders-a-plan-line")
        go(page, page.get_by_role("button", name="Place the order"))
        expect(page.get_by_text(f"Your order has been sent to {offer.provider_name}")).to_be_visible()
        axe_check(page)
        assert Order.objects.filter(person=case.person, placed_by=case.broker).count() == number
    return list(Order.objects.filter(person=case.person).order_by("placed_at"))


def provider_accepts(page: Page, visit, axe_check, who: User, order: Order, snapshot: str = "") -> None:  # type: ignore[no-untyped-def]
    """Step 5: from "Orders and invoices", what waits on them."""
    sign_in(page, visit, who)
    visit(page, "/orders/")
    orders = page.get_by_role("table", name="Orders you can see, newest first")
    go(page, orders.get_by_role("link", name=order.description, exact=True))
    expect(page.get_by_text("Waiting for the provider").first).to_be_visible()
    axe_check(page)
    if snapshot:
        journey_snapshot(page, JOURNEY, snapshot)
    go(page, page.get_by_role("button", name="Accept the order"))
    expect(page.get_by_text("You have accepted the order")).to_be_visible()
    axe_check(page)
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED


def lead_professional_escalates_and_a_manager_approves(  # type: ignore[no-untyped-def]
    lead: Page, manager: Page, visit, axe_check, case: Coventry
) -> None:
    """Step 6: beyond the £1,000 delegated authority (the approved plan already commits £2,760)."""
    sign_in(lead, visit, case.lead)
    visit(lead, "/budgets/people/")
    go(lead, lead.get_by_role("link", name="One page for Tom Walsh"))
    expect(lead.get_by_role("heading", level=1)).to_have_text("Tom Walsh")
    axe_check(lead)
    go(lead, lead.get_by_role("link", name="Buy Sleep therapy for Tom"))
    expect(lead.get_by_role("heading", level=1)).to_have_text("Buy Sleep therapy")
    axe_check(lead)
    starts = timezone.localdate() + datetime.timedelta(days=7)
    ends = min(starts + datetime.timedelta(days=60), datetime.date(case.year + 1, 3, 31))
    lead.get_by_label("How many in all").fill("6")
    lead.get_by_label("Start date").fill(f"{starts.day}/{starts.month}/{starts.year}")
    lead.get_by_label("End date").fill(f"{ends.day}/{ends.month}/{ends.year}")
    go(lead, lead.get_by_role("button", name="Continue"))
    expect(lead.get_by_role("heading", level=1)).to_have_text("Check the order")
    axe_check(lead)
    go(lead, lead.get_by_role("button", name="Place the order"))
    expect(lead.get_by_role("heading", level=1)).to_have_text("Ask a manager to approve this order")
    axe_check(lead)
    journey_snapshot(lead, JOURNEY, "09-lead-professional-beyond-authority")
    lead.get_by_label("Why is this needed?").fill("Tom's sleep has got worse since the clocks changed")
    go(lead, lead.get_by_role("button", name="Ask a manager to approve"))
    expect(lead.get_by_text("Your request has been sent")).to_be_visible()
    axe_check(lead)
    request = OrderRequest.objects.get(person=case.person)
    assert not Order.objects.filter(person=case.person, placed_by=case.lead).exists()

    visit(manager, "/orders/requests/")
    expect(manager.get_by_role("heading", level=1)).to_have_text("Orders waiting for approval")
    go(manager, manager.get_by_role("link", name="Tom Walsh"))
    expect(manager.get_by_text("Tom's sleep has got worse since the clocks changed")).to_be_visible()
    axe_check(manager)
    journey_snapshot(manager, JOURNEY, "10-manager-approves-order")
    go(manager, manager.get_by_role("button", name="Approve and place the order"))
    expect(manager.get_by_text("You approved the request")).to_be_visible()
    axe_check(manager)
    request.refresh_from_db()
    ordered = Order.objects.filter(person=case.person, offer=case.therapy)
    assert ordered.count() == 2, "the broker's order and the one the manager approved, each once"
    assert request.order_id is not None and ordered.filter(pk=request.order_id).count() == 1


def family_withdraws_the_access(page: Page, visit, axe_check) -> None:  # type: ignore[no-untyped-def]
    """Step 7, keyboard only."""
    visit(page, "/my/")
    follow(page, page.get_by_role("link", name="Get help from a broker, and who can see your records"))
    axe_check(page)
    follow(page, page.get_by_role("link", name="Withdraw access for Marcus Reid"))
    axe_check(page)
    tab_to(page, page.get_by_label("Why (optional)"))
    page.keyboard.type("We have the support we need now")
    follow(page, page.get_by_role("button", name="Withdraw access"))
    axe_check(page)
    # The lead professional's access stands; Marcus's is gone from the list.
    expect(page.get_by_role("link", name="Withdraw access for Marcus Reid")).to_have_count(0)
    journey_snapshot(page, JOURNEY, "11-family-withdrew-access")


def broker_has_lost_access(page: Page, visit, case: Coventry, orders: list[Order]) -> None:  # type: ignore[no-untyped-def]
    """Step 7, at once and in the broker's same browser session."""
    person, plan = case.person.public_id, case.plan.public_id
    for url in (
        f"/budgets/people/{person}/",
        f"/children/{person}/",
        f"/budgets/plans/{plan}/",
        f"/budgets/plans/{plan}/package/",
        *(f"/orders/{order.public_id}/" for order in orders),
    ):
        response = page.goto(url)
        assert response is not None and response.status == 404, f"{url} answered {response and response.status}"
    visit(page, "/budgets/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your caseload")
    expect(page.get_by_text("Tom Walsh")).to_have_count(0)
    journey_snapshot(page, JOURNEY, "12-broker-caseload-after-withdrawal")


# --- The journey ---------------------------------------------------------------------------------------


def test_a_family_a_broker_providers_a_lead_professional_and_a_manager_follow_the_whole_journey(
    browsing, visit, axe_check, coventry: Coventry
):  # type: ignore[no-untyped-def]
    family, broker, manager = patient(browsing), patient(browsing), patient(browsing)

    family_gives_the_broker_access(family, visit, axe_check, coventry)
    broker_builds_and_sends_the_package(broker, visit, axe_check, coventry)
    family_agrees_the_plan(family, visit, axe_check, coventry)
    broker_submits_and_a_manager_approves(broker, manager, visit, axe_check, coventry)
    orders = broker_orders_each_line(broker, visit, axe_check, coventry)

    staff = (coventry.club_staff, coventry.therapy_staff, coventry.pa)
    for who, order in zip(staff, orders, strict=True):
        snapshot = "08-pa-accepts-order" if who == coventry.pa else ""
        provider_accepts(patient(browsing), visit, axe_check, who, order, snapshot)

    lead_professional_escalates_and_a_manager_approves(patient(browsing), manager, visit, axe_check, coventry)

    family_withdraws_the_access(family, visit, axe_check)
    broker_has_lost_access(broker, visit, coventry, orders)
