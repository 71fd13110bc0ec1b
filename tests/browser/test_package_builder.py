"""The broker's package in a real browser: from the caseload's "what needs doing" to a package of three
supports (a club, a therapist and a personal assistant) taken from the broker's shortlist and the one the
family shared, laid out over the week with its cost against the budget, sent to the family, who agree it
on their page. Every page is checked with axe, and the key pages are saved and checked at 320 px.
"""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Membership
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory, user_with_role
from brokerage import ledger
from brokerage.models import ConsentHolder, PlanStatus, SupportPlan
from brokerage.selectors.config import financial_year_current
from brokerage.services.consent import access_grant
from brokerage.services.people import Contact, person_create
from brokerage.services.plans import allocation_add, budget_create, plan_create, plan_outcome_add
from brokerage.tests.factories import FundingStreamFactory
from marketplace.services.shortlists import shortlist_offer_add, shortlist_share
from providers.models import ProfileStatus
from providers.tests.factories import PersonalAssistantProfileFactory, ProviderProfileFactory, published_offer
from tests.browser.helpers import journey_snapshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _offer(name: str, amount: str, unit: str, *, by_pa: bool = False):  # type: ignore[no-untyped-def]
    cost = [{"amount": Decimal(amount), "unit": unit}]
    if by_pa:
        profile = PersonalAssistantProfileFactory(status=ProfileStatus.PUBLISHED)
        return published_offer(personal_assistant=profile, name=name, cost_options=cost)
    profile = ProviderProfileFactory(status=ProfileStatus.PUBLISHED)
    return published_offer(organisation=profile.organisation, name=name, cost_options=cost)


@pytest.fixture
def tom():  # type: ignore[no-untyped-def]
    council = CouncilFactory(name="Coventry City Council")
    year = financial_year_current()
    stream = FundingStreamFactory(council=council, financial_year=year, name="Early help")
    ledger.stream_fund(stream=stream, amount=Decimal("50000.00"), key="fund")
    lead = user_with_role(Role.LEAD_PROFESSIONAL, council, first_name="Alice", last_name="Khan")
    mother = user_with_role(Role.FAMILY_MEMBER, council, first_name="Claire", last_name="Walsh")
    broker_org = OrganisationFactory(kind=OrganisationKind.BROKER, council=council, name="Brokerage CIC")
    broker = user_with_role(Role.BROKER, broker_org, first_name="Marcus", last_name="Reid")
    person = person_create(
        actor=lead,
        council=council,
        first_name="Tom",
        last_name="Walsh",
        date_of_birth=datetime.date(2014, 5, 14),
        holder=Contact(mother.email, "Claire", "Walsh"),
        relationship=ConsentHolder.Relationship.PARENT,
    )
    access_grant(person=person, grantee=broker, consent_from=mother, recorded_by=mother, scope="act")
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
    shortlist_offer_add(owner=broker, offer=_offer("Saturday club", "20.00", "session"))
    shortlist_offer_add(owner=broker, offer=_offer("Sleep therapy", "45.00", "session"))
    shortlist_offer_add(owner=mother, offer=_offer("After-school PA", "13.50", "hour", by_pa=True))
    shortlist_share(owner=mother, recipient_membership=Membership.objects.get(user=broker))
    return plan, broker, mother


def _add_to_package(page: Page, axe_check, name: str, *, quantity: str, outcome: str, day: str, times: tuple):  # type: ignore[no-untyped-def]
    offer = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=name, exact=True))
    offer.get_by_role("link", name="Add to package").click()
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
    page.get_by_role("button", name="Add to package").click()
    expect(page.get_by_text(f"You have added {name}")).to_be_visible()


def test_a_broker_builds_a_three_provider_package_and_the_family_agree_it(page: Page, browsing, visit, axe_check, tom):  # type: ignore[no-untyped-def]
    plan, broker, mother = tom
    sign_in(page, visit, broker.email)

    visit(page, "/budgets/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your caseload")
    journey_snapshot(page, "package-builder", "01-caseload-what-needs-doing")
    page.get_by_role("link", name="Plan draft not yet sent to the family for Tom Walsh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Build the package")
    axe_check(page)
    expect(page.get_by_text("No support works towards the outcome “Tom sees friends”")).to_be_visible()
    journey_snapshot(page, "package-builder", "02-builder-from-shortlists")

    _add_to_package(
        page,
        axe_check,
        "Saturday club",
        quantity="1",
        outcome="Tom sees friends",
        day="Saturday",
        times=("10:00", "13:00"),
    )
    _add_to_package(
        page,
        axe_check,
        "Sleep therapy",
        quantity="1",
        outcome="Tom sleeps well",
        day="Tuesday",
        times=("16:00", "17:00"),
    )
    _add_to_package(
        page,
        axe_check,
        "After-school PA",
        quantity="4",
        outcome="Tom sees friends",
        day="Monday",
        times=("15:30", "17:30"),
    )
    axe_check(page)
    # The PA's four hours a week have only two in the timetable so far: add Thursday.
    expect(page.get_by_text("After-school PA: 4 hours a week in the plan, 2 in the timetable")).to_be_visible()
    page.get_by_role("link", name="Add a time for After-school PA").click()
    axe_check(page)
    page.get_by_label("Day").select_option(label="Thursday")
    page.get_by_label("Starts at").fill("15:30")
    page.get_by_label("Ends at").fill("17:30")
    page.get_by_role("button", name="Add the time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Build the package")
    expect(page.get_by_text("Look at these before you send the plan")).to_have_count(0)

    # £20 + £45 + 4 × £13.50 = £119.00 a week; for 30 weeks £3,570.00 of the £5,000.00.
    costs = page.get_by_role("region", name="Cost against the budget by funding stream")
    expect(costs).to_contain_text("£119.00")
    expect(costs).to_contain_text("£3,570.00")
    expect(page.get_by_text("15:30 to 17:30: After-school PA").first).to_be_visible()
    visit(page, f"/budgets/plans/{plan.public_id}/package/")
    journey_snapshot(page, "package-builder", "03-package-timetable-and-cost")

    page.get_by_role("button", name="Send to the family to agree").click()
    expect(page.get_by_text("You have sent the plan to the family to agree")).to_be_visible()
    axe_check(page)

    family = browsing.new_page()
    sign_in(family, visit, mother.email)
    visit(family, f"/budgets/plans/{plan.public_id}/agree/")
    expect(family.get_by_role("heading", level=1)).to_have_text("Tom's support plan")
    expect(family.get_by_text("Saturday 10:00 to 13:00").first).to_be_visible()
    journey_snapshot(family, "package-builder", "04-family-agree-page")
    family.get_by_role("button", name="I agree").click()
    expect(family.get_by_text("you have agreed the plan")).to_be_visible()
    axe_check(family)
    journey_snapshot(family, "package-builder", "05-family-agreed")
    assert SupportPlan.objects.get(pk=plan.pk).status == PlanStatus.AGREED

    visit(page, "/budgets/people/")
    expect(page.get_by_role("link", name="The family agreed the plan: submit it for Tom Walsh")).to_be_visible()
