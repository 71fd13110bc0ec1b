"""Casework in a real browser: a plan from the caseload to the manager's approval and the statement,
the family's direct-payment spending, and the finance officer's monitoring queue and postings export.

The journeys run without JavaScript, by filling fields and pressing buttons and links only; the last
test opens the same pages again with JavaScript on. Every page is checked with axe.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Organisation, User
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, user_with_role
from brokerage import ledger
from brokerage.models import (
    ApprovalRequest,
    Budget,
    ConsentHolder,
    DelegatedAuthority,
    FundingStream,
    HeldAs,
    MonitoringFlag,
    OutcomeDomain,
    PersonSupported,
    PlanStatus,
    SupportPlan,
)
from brokerage.selectors.config import financial_year_current
from brokerage.services.direct_payments import dp_instalment_pay, dp_spend_record
from brokerage.services.people import Contact, person_create
from brokerage.services.plans import (
    allocation_add,
    budget_create,
    plan_create,
    plan_line_add,
    plan_outcome_add,
    plan_status_change,
    plan_submit,
)
from brokerage.tests.factories import FundingStreamFactory
from providers.models import TaxonomyTerm
from tests.browser.helpers import ERROR_TITLE, Browsing, expect_error_summary, open_from_navigation, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

Visit = Callable[[Page, str], object]


@dataclass
class Council:
    """A council with one funding stream and a £1,000 delegated limit for lead professionals."""

    council: Organisation
    stream: FundingStream
    year: int
    lead: User
    manager: User
    finance: User
    mother: User


@pytest.fixture
def coventry() -> Council:
    council = CouncilFactory(name="Coventry City Council")
    year = financial_year_current()
    stream = FundingStreamFactory(council=council, financial_year=year, name="Early help")
    ledger.stream_fund(stream=stream, amount=Decimal("50000.00"), key="fund")
    DelegatedAuthority.objects.create(
        council=council, financial_year=year, role=Role.LEAD_PROFESSIONAL, limit_per_person=Decimal("1000.00")
    )
    return Council(
        council=council,
        stream=stream,
        year=year,
        lead=user_with_role(Role.LEAD_PROFESSIONAL, council, first_name="Alice", last_name="Khan"),
        manager=user_with_role(Role.BUDGET_HOLDING_MANAGER, council, first_name="Maya", last_name="Patel"),
        finance=user_with_role(Role.FINANCE_OFFICER, council, first_name="Femi", last_name="Ade"),
        mother=user_with_role(Role.FAMILY_MEMBER, council, first_name="Sarah", last_name="Walsh"),
    )


# --- 1. From the caseload to an approved plan -------------------------------------------------------


def test_a_lead_professional_builds_a_plan_a_manager_approves_it_and_the_statement_shows_it(
    no_js_page: Page, browsing: Browsing, visit: Visit, axe_check, coventry: Council
) -> None:
    page = no_js_page
    sign_in(page, visit, coventry.lead)

    open_from_navigation(page, axe_check, "People and plans")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your caseload")
    page.get_by_role("button", name="Record a child or young person").click()
    axe_check(page)
    page.get_by_role("button", name="Save the record").click()
    expect_error_summary(
        page,
        axe_check,
        "You can record someone only with their consent holder's agreement",
        field_label="The consent holder agrees that you see these records and act on them with the family",
    )

    page.get_by_label("First name", exact=True).fill("Tom")
    page.get_by_label("Last name", exact=True).fill("Walsh")
    page.get_by_label("Date of birth").fill("14/5/2014")
    page.get_by_label("Parent", exact=True).check()
    page.get_by_label("Consent holder's first name").fill("Sarah")
    page.get_by_label("Consent holder's last name").fill("Walsh")
    page.get_by_label("Consent holder's email address").fill(coventry.mother.email)
    page.get_by_label("The consent holder agrees").check()
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tom Walsh")
    expect(page.get_by_text("You have recorded Tom Walsh")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Start a budget for a period").click()
    axe_check(page)
    page.get_by_label("Financial year").fill(str(coventry.year))
    page.get_by_role("button", name="Start the budget").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Budget from 1 April")
    axe_check(page)

    page.get_by_role("link", name="Add money from a funding stream").click()
    axe_check(page)
    page.get_by_label("Funding stream").select_option(label=str(coventry.stream))
    page.get_by_label("Amount (£)").fill("3000")
    page.get_by_label("Managed by the council").check()
    page.get_by_role("button", name="Add the money").click()
    expect(page.get_by_role("table", name="Money by funding stream")).to_contain_text("£3,000.00")
    axe_check(page)

    page.get_by_role("button", name="Start a support plan").click()
    axe_check(page)
    page.get_by_label("What the family and their network will do themselves").fill("Grandad takes him to school")
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Support plan")
    axe_check(page)

    page.get_by_role("link", name="Add an outcome").click()
    axe_check(page)
    page.get_by_label("Outcome area").select_option(label=OutcomeDomain.ENJOY_AND_ACHIEVE.label)
    page.get_by_label("The outcome", exact=True).fill("Tom feels able to go to school every day by July")
    page.get_by_label("Where things are now, from 1 to 10").fill("3")
    page.get_by_role("button", name="Add the outcome").click()
    expect(page.get_by_role("table", name="Outcomes")).to_contain_text("Tom feels able to go to school")

    page.get_by_role("link", name="Add a costed line").click()
    axe_check(page)
    page.get_by_role("button", name="Add the line").click()
    expect_error_summary(
        page, axe_check, "Describe the item, or give an offer from the directory", field_label="Description"
    )
    page.get_by_label("Description").fill("Counselling")
    page.get_by_label("Kind of support").select_option(label="Counselling")
    page.get_by_label("Given by").select_option(label="A provider or personal assistant")
    page.get_by_label("Outcome it serves").select_option(index=1)
    page.get_by_label("Funding stream").select_option(label=str(coventry.stream))
    page.get_by_label("Quantity").fill("30")
    page.get_by_label("Unit", exact=True).select_option("session")
    page.get_by_label("Cost of one unit (£)").fill("50.00")
    page.get_by_label("One-off").check()
    page.get_by_label("For how many weeks or months").fill("1")
    page.get_by_role("button", name="Add the line").click()
    expect(page.get_by_text("You have added Counselling, £1,500.00")).to_be_visible()
    expect(page.get_by_role("table", name="Costed lines")).to_contain_text("£1,500.00")
    axe_check(page)

    page.get_by_role("button", name="Record that the family agrees").click()
    expect(page.get_by_text("The plan is now agreed with the family")).to_be_visible()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit the plan for approval")
    axe_check(page)
    page.get_by_label("Why the family needs this").fill("He has not been to school for a month")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("£1,500.00 is more than you may approve: a manager has been asked")).to_be_visible()
    expect(page.get_by_text("Waiting for a budget-holding manager to approve £1,500.00")).to_be_visible()
    axe_check(page)
    plan_url = page.url

    manager = browsing.new_page(javascript=False)
    sign_in(manager, visit, coventry.manager)
    open_from_navigation(manager, axe_check, "Approvals")
    manager.get_by_role("link", name="Tom Walsh").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Approve £1,500.00?")
    axe_check(manager)
    manager.get_by_role("button", name="Send the decision").click()
    expect(manager).to_have_title(ERROR_TITLE)
    expect(manager.get_by_role("alert")).to_contain_text("Choose whether you approve the request")
    expect(manager.locator('.govuk-error-summary a[href="#id_decision_0"]')).to_have_count(1)
    axe_check(manager)
    manager.get_by_label("Approved", exact=True).check()
    manager.get_by_role("button", name="Send the decision").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Approvals")
    expect(manager.get_by_role("table", name="Approval requests")).to_contain_text("Approved")
    axe_check(manager)

    visit(page, plan_url)
    expect(page.locator(".govuk-tag").first).to_have_text("Active")
    expect(page.get_by_text("Approved by Maya Patel")).to_be_visible()
    page.get_by_role("link", name="Back to Tom's record").click()
    page.get_by_role("link", name="1 April").click()
    page.get_by_role("link", name="Read the budget statement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Budget statement")
    statement = page.get_by_role("table", name="Money by funding stream")
    expect(statement.get_by_role("row", name="Early help")).to_contain_text("£1,500.00")
    expect(page.get_by_role("table", name="Money by outcome")).to_contain_text("Tom feels able to go to school")
    axe_check(page)


# --- 2. Direct payments, monitoring and the finance export ------------------------------------------


def _tom_with_a_direct_payment(coventry: Council) -> Budget:
    """Tom's £1,200 direct payment for transport, quarterly, and his plan approved within authority."""
    tom = _tom(coventry)
    budget = budget_create(
        person=tom,
        actor=coventry.lead,
        financial_year=coventry.year,
        starts_on=datetime.date(coventry.year, 4, 1),
        ends_on=datetime.date(coventry.year + 1, 3, 31),
    )
    allocation_add(
        budget=budget,
        actor=coventry.lead,
        stream=coventry.stream,
        held_as=HeldAs.DIRECT_PAYMENT,
        amount=Decimal("1200.00"),
    )
    plan = plan_create(budget=budget, actor=coventry.lead)
    outcome = plan_outcome_add(
        plan=plan,
        actor=coventry.lead,
        domain=OutcomeDomain.SOCIAL_PARTICIPATION,
        description="Tom goes to youth club on his own by March",
        baseline_score=2,
    )
    plan_line_add(
        plan=plan,
        actor=coventry.lead,
        description="Bus fares to youth club",
        category=TaxonomyTerm.objects.get(code="transport"),
        stream=coventry.stream,
        outcome=outcome,
        quantity=Decimal("2"),
        unit="trip",
        unit_cost=Decimal("5.00"),
        frequency="weekly",
        periods=40,
        by_direct_payment=True,
    )
    plan_status_change(plan=plan, actor=coventry.lead, new_status=PlanStatus.AGREED)
    plan_submit(plan=plan, actor=coventry.lead, role=Role.LEAD_PROFESSIONAL)
    return budget


def _tom(coventry: Council) -> PersonSupported:
    return person_create(
        actor=coventry.lead,
        council=coventry.council,
        first_name="Tom",
        last_name="Walsh",
        date_of_birth=datetime.date(2014, 5, 14),
        holder=Contact(coventry.mother.email, "Sarah", "Walsh"),
        relationship=ConsentHolder.Relationship.PARENT,
    )


def test_the_family_records_spending_and_the_finance_officer_reviews_the_flag_and_exports(
    no_js_page: Page, browsing: Browsing, visit: Visit, axe_check, coventry: Council
) -> None:
    budget = _tom_with_a_direct_payment(coventry)
    dp_url = f"/budgets/budget/{budget.public_id}/direct-payments/"

    finance = no_js_page
    sign_in(finance, visit, coventry.finance)
    visit(finance, dp_url)
    finance.get_by_role("link", name="Mark instalment 1 as paid").click()
    axe_check(finance)
    finance.get_by_role("button", name="Mark as paid").click()
    expect(finance.get_by_text("Instalment 1 is marked as paid")).to_be_visible()
    axe_check(finance)

    family = browsing.new_page(javascript=False)
    sign_in(family, visit, coventry.mother)
    open_from_navigation(family, axe_check, "People and plans")
    expect(family.get_by_role("heading", level=1)).to_have_text("Your family's records")
    family.get_by_role("link", name="Tom Walsh").click()
    axe_check(family)
    family.get_by_role("link", name="1 April").click()
    axe_check(family)
    family.get_by_role("link", name="Direct payments: instalments and your spending").click()
    expect(family.get_by_text("In your direct-payment account now: £300.00")).to_be_visible()
    axe_check(family)

    family.get_by_role("button", name="Record what you spent").click()
    axe_check(family)
    family.get_by_role("button", name="Record the spending").click()
    expect_error_summary(family, axe_check, "Enter how much you spent", field_label="Amount (£)")
    family.get_by_label("Amount (£)").fill("40.00")
    family.get_by_label("Date you spent it").fill(datetime.date.today().strftime("%d/%m/%Y"))
    family.get_by_label("What it was for").fill("Swimming lessons")
    family.get_by_label("Something not in the plan").check()
    family.get_by_role("button", name="Record the spending").click()
    expect(family.get_by_text("You have recorded what you spent")).to_be_visible()
    expect(family.get_by_role("row", name="Swimming lessons")).to_contain_text("£40.00")
    expect(family.get_by_text("In your direct-payment account now: £260.00")).to_be_visible()
    axe_check(family)

    open_from_navigation(finance, axe_check, "Direct payments to review")
    # A quarter's money arrived at once, so more than 10 weeks of planned spend waits: a second flag.
    flags = finance.get_by_role("table", name="2 flags")
    expect(flags.get_by_role("link", name="Surplus above policy for Tom Walsh")).to_be_visible()
    outside_plan = flags.get_by_role("row").filter(has_text="Spent on something not in the plan")
    expect(outside_plan).to_contain_text("Swimming lessons")
    outside_plan.get_by_role("link").click()
    axe_check(finance)
    finance.get_by_role("button", name="Resolve").click()
    expect_error_summary(
        finance, axe_check, "Say what you found and what was done", field_label="What you found and what was done"
    )
    finance.get_by_label("What you found and what was done").fill("Swimming builds his confidence: agreed")
    finance.get_by_role("button", name="Resolve").click()
    expect(finance.get_by_text("You have resolved the flag")).to_be_visible()
    outside_plan_flag = MonitoringFlag.objects.get(kind=MonitoringFlag.Kind.OUTSIDE_PLAN)
    assert outside_plan_flag.status == MonitoringFlag.Status.RESOLVED

    open_from_navigation(finance, axe_check, "Ledger postings")
    from_date = finance.get_by_role("group", name="From date")
    to_date = finance.get_by_role("group", name="To date")
    from_date.get_by_label("Day").fill("1")
    from_date.get_by_label("Month").fill("4")
    from_date.get_by_label("Year").fill(str(coventry.year))
    to_date.get_by_label("Day").fill("31")
    to_date.get_by_label("Month").fill("3")
    to_date.get_by_label("Year").fill(str(coventry.year))
    finance.get_by_role("button", name="Download the postings (CSV)").click()
    expect_error_summary(
        finance, axe_check, "The to date must be the same as or after the from date", field_label="Day"
    )
    expect(finance.get_by_role("alert").get_by_role("link")).to_have_attribute("href", "#id_ends_on_0")
    expect(to_date.get_by_label("Year")).to_have_value(str(coventry.year))

    to_date.get_by_label("Year").fill(str(coventry.year + 1))
    with finance.expect_download() as download:
        finance.get_by_role("button", name="Download the postings (CSV)").click()
    period = f"{coventry.year}-04-01-to-{coventry.year + 1}-03-31"
    assert download.value.suggested_filename.endswith(f"-postings-{period}.csv")


# --- 3. The same pages with JavaScript on -----------------------------------------------------------


def test_the_casework_pages_pass_axe_with_javascript_on(
    page: Page, browsing: Browsing, visit: Visit, axe_check, coventry: Council
) -> None:
    budget = _tom_with_a_direct_payment(coventry)
    allocation = budget.allocations.get()
    dp_instalment_pay(instalment=allocation.dp_schedule.instalments.get(number=1), actor=coventry.finance)
    dp_spend_record(
        allocation=allocation,
        actor=coventry.mother,
        amount=Decimal("40.00"),
        spent_on=datetime.date.today(),
        description="Swimming lessons",
        category=None,
    )
    toms_plan = budget.plans.get()
    plan = _plan_waiting_for_the_manager(coventry)
    request = ApprovalRequest.objects.get(plan=plan)
    flag = MonitoringFlag.objects.get(kind=MonitoringFlag.Kind.OUTSIDE_PLAN)
    person = budget.person

    sign_in(page, visit, coventry.lead)
    for url in (
        "/budgets/people/",
        "/budgets/people/add/",
        f"/budgets/people/{person.public_id}/",
        f"/budgets/budget/{budget.public_id}/",
        f"/budgets/budget/{budget.public_id}/allocations/add/",
        f"/budgets/plans/{toms_plan.public_id}/",
        f"/budgets/plans/{plan.public_id}/",
        f"/budgets/budget/{budget.public_id}/statement/",
        f"/budgets/budget/{budget.public_id}/direct-payments/",
    ):
        visit(page, url)

    manager = browsing.new_page()
    sign_in(manager, visit, coventry.manager)
    visit(manager, "/budgets/approvals/")
    visit(manager, f"/budgets/approvals/{request.public_id}/")
    manager.get_by_role("button", name="Send the decision").click()
    expect(manager.locator(".govuk-error-summary")).to_be_focused()
    expect(manager.get_by_role("alert")).to_contain_text("Choose whether you approve the request")
    axe_check(manager)

    family = browsing.new_page()
    sign_in(family, visit, coventry.mother)
    visit(family, f"/budgets/budget/{budget.public_id}/direct-payments/")
    visit(family, f"/budgets/budget/{budget.public_id}/direct-payments/spending/add/")

    finance = browsing.new_page()
    sign_in(finance, visit, coventry.finance)
    visit(finance, "/budgets/monitoring/")
    visit(finance, f"/budgets/monitoring/{flag.public_id}/")
    visit(finance, "/budgets/finance/postings/")
    finance.get_by_role("button", name="Download the postings (CSV)").click()
    summary = finance.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter the from date")
    axe_check(finance)


def _plan_waiting_for_the_manager(coventry: Council) -> SupportPlan:
    """Tom's sister Amy's plan, £1,500 of counselling: above the lead professional's £1,000."""
    amy = person_create(
        actor=coventry.lead,
        council=coventry.council,
        first_name="Amy",
        last_name="Walsh",
        date_of_birth=datetime.date(2016, 2, 3),
        holder=Contact(coventry.mother.email, "Sarah", "Walsh"),
        relationship=ConsentHolder.Relationship.PARENT,
    )
    budget = budget_create(
        person=amy,
        actor=coventry.lead,
        financial_year=coventry.year,
        starts_on=datetime.date(coventry.year, 4, 1),
        ends_on=datetime.date(coventry.year + 1, 3, 31),
    )
    allocation_add(
        budget=budget,
        actor=coventry.lead,
        stream=coventry.stream,
        held_as=HeldAs.COUNCIL_MANAGED,
        amount=Decimal("3000.00"),
    )
    plan = plan_create(budget=budget, actor=coventry.lead)
    plan_line_add(
        plan=plan,
        actor=coventry.lead,
        description="Counselling",
        category=TaxonomyTerm.objects.get(code="counselling"),
        stream=coventry.stream,
        quantity=Decimal("30"),
        unit="session",
        unit_cost=Decimal("50.00"),
        frequency="one_off",
        periods=1,
    )
    plan_status_change(plan=plan, actor=coventry.lead, new_status=PlanStatus.AGREED)
    plan_submit(plan=plan, actor=coventry.lead, role=Role.LEAD_PROFESSIONAL, reason="A crisis at school")
    return plan
