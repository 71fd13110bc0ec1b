"""The lead professional's journey in a real browser: Tom's one page (assessment reference, team, plan,
budget, what the money achieved), a purchase within delegated authority in two steps, a larger one
beyond it sent to a budget-holding manager, who approves it, and the order placed. Every page is
checked with axe; the key pages are saved and checked at 320 px."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, user_with_role
from brokerage import ledger
from brokerage.models import ConsentHolder, DelegatedAuthority, PlanStatus, SupportPlan
from brokerage.selectors.config import financial_year_current
from brokerage.services.people import Contact, person_create
from brokerage.services.plans import allocation_add, budget_create, plan_create, plan_line_add, plan_outcome_add
from brokerage.tests.factories import FundingStreamFactory
from marketplace.models import Order, OrderRequest
from providers.models import ProfileStatus
from providers.tests.factories import ProviderProfileFactory, published_offer, term
from tests.browser.helpers import journey_snapshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def tom():  # type: ignore[no-untyped-def]
    council = CouncilFactory(name="Coventry City Council")
    year = financial_year_current()
    stream = FundingStreamFactory(council=council, financial_year=year, name="Early help")
    ledger.stream_fund(stream=stream, amount=Decimal("50000.00"), key="fund")
    DelegatedAuthority.objects.create(
        council=council, financial_year=year, role=Role.LEAD_PROFESSIONAL, limit_per_person=Decimal("1000.00")
    )
    lead = user_with_role(Role.LEAD_PROFESSIONAL, council, first_name="Gemma", last_name="Hart")
    manager = user_with_role(Role.BUDGET_HOLDING_MANAGER, council, first_name="Sanjay", last_name="Patel")
    mother = user_with_role(Role.FAMILY_MEMBER, council, first_name="Claire", last_name="Walsh")
    person = person_create(
        actor=lead,
        council=council,
        first_name="Tom",
        last_name="Walsh",
        date_of_birth=datetime.date(2014, 5, 14),
        holder=Contact(mother.email, "Claire", "Walsh"),
        relationship=ConsentHolder.Relationship.PARENT,
    )
    person.caf_reference = "CAF-2026-0042"
    person.save(update_fields=["caf_reference"])
    budget = budget_create(
        person=person,
        actor=lead,
        financial_year=year,
        starts_on=datetime.date(year, 4, 1),
        ends_on=datetime.date(year + 1, 3, 31),
    )
    allocation_add(budget=budget, actor=lead, stream=stream, held_as="council_managed", amount=Decimal("5000.00"))
    plan = plan_create(budget=budget, actor=lead)
    outcome = plan_outcome_add(
        plan=plan, actor=lead, domain="enjoy_and_achieve", description="Tom keeps up at school", baseline_score=3
    )
    provider = ProviderProfileFactory(status=ProfileStatus.PUBLISHED)
    offer = published_offer(
        organisation=provider.organisation,
        name="Maths tuition",
        cost_options=[{"amount": Decimal("20.00"), "unit": "hour"}],
    )
    plan_line_add(
        plan=plan,
        actor=lead,
        outcome=outcome,
        offer=offer,
        category=term("short-breaks"),
        description="Maths tuition",
        stream=stream,
        quantity=Decimal("2"),
        unit="hour",
        unit_cost=Decimal("20.00"),
        frequency="weekly",
        periods=30,
    )
    # The plan's approval is the casework journey's; here it is simply live.
    SupportPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.ACTIVE)
    return person, lead, manager, year


def _buy(page: Page, axe_check, *, hours: str, year: int) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("How many in all").fill(hours)
    page.get_by_label("Start date").fill(f"1/5/{year}")
    page.get_by_label("End date").fill(f"31/7/{year}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the order")
    axe_check(page)


def test_a_lead_professional_buys_within_authority_and_escalates_a_larger_purchase(
    page: Page, browsing, visit, axe_check, tom
):  # type: ignore[no-untyped-def]
    person, lead, manager, year = tom
    sign_in(page, visit, lead.email)

    visit(page, "/budgets/people/")
    page.get_by_role("link", name="One page for Tom Walsh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tom Walsh")
    axe_check(page)
    expect(page.get_by_text("CAF-2026-0042")).to_be_visible()
    journey_snapshot(page, "lead-professional", "01-child-one-page")

    page.get_by_role("link", name="Buy Maths tuition for Tom").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Buy Maths tuition")
    axe_check(page)
    journey_snapshot(page, "lead-professional", "02-quick-purchase")
    _buy(page, axe_check, hours="10", year=year)
    journey_snapshot(page, "lead-professional", "03-check-the-order")
    page.get_by_role("button", name="Place the order").click()
    expect(page.get_by_text("Your order has been sent")).to_be_visible()
    axe_check(page)
    assert Order.objects.filter(person=person).count() == 1

    visit(page, f"/children/{person.public_id}/")
    page.get_by_role("link", name="Buy Maths tuition for Tom").click()
    _buy(page, axe_check, hours="60", year=year)  # £1,200 more: £1,400 in all, above the £1,000 authority
    page.get_by_role("button", name="Place the order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask a manager to approve this order")
    axe_check(page)
    journey_snapshot(page, "lead-professional", "04-beyond-authority")
    page.get_by_label("Why is this needed?").fill("Tom's exams are in the summer term")
    page.get_by_role("button", name="Ask a manager to approve").click()
    expect(page.get_by_text("Your request has been sent")).to_be_visible()
    axe_check(page)
    request = OrderRequest.objects.get()

    sanjay = browsing.new_page()
    sign_in(sanjay, visit, manager.email)
    visit(sanjay, "/orders/requests/")
    expect(sanjay.get_by_role("heading", level=1)).to_have_text("Orders waiting for approval")
    journey_snapshot(sanjay, "lead-professional", "05-managers-queue")
    sanjay.get_by_role("link", name="Tom Walsh").click()
    expect(sanjay.get_by_text("Tom's exams are in the summer term")).to_be_visible()
    axe_check(sanjay)
    journey_snapshot(sanjay, "lead-professional", "06-request-page")
    sanjay.get_by_role("button", name="Approve and place the order").click()
    expect(sanjay.get_by_text("You approved the request")).to_be_visible()
    axe_check(sanjay)

    visit(page, f"/orders/requests/{request.public_id}/")
    expect(page.get_by_text("Approved and placed").first).to_be_visible()
    page.get_by_role("link", name="See the order").click()
    expect(page.get_by_text("Waiting for the provider").first).to_be_visible()
    axe_check(page)
    journey_snapshot(page, "lead-professional", "07-order-placed")
    assert Order.objects.filter(person=person).count() == 2
