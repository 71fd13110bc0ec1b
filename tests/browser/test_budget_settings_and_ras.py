"""The budget settings and the RAS in a real browser without JavaScript, every page checked with axe."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, user_with_role
from brokerage.models import AccessGrant, ConsentHolder
from brokerage.selectors.config import financial_year_current
from brokerage.tests.factories import (
    FundingStreamFactory,
    PersonSupportedFactory,
    RASQuestionnaireFactory,
    ras_question,
)
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_administrator_adds_a_funding_stream(no_js_page, visit, axe_check):
    council = CouncilFactory(name="Coventry City Council")
    alice = user_with_role(Role.COUNCIL_ADMIN, council)
    year = financial_year_current()
    sign_in(no_js_page, visit, alice.email)

    visit(no_js_page, "/budgets/settings/")
    no_js_page.get_by_role("link", name="Manage funding streams").click()
    no_js_page.get_by_role("button", name="Add a funding stream").click()
    no_js_page.get_by_role("button", name="Add funding stream").click()
    expect(no_js_page.get_by_role("alert")).to_contain_text("Enter the stream's name")
    axe_check(no_js_page)

    no_js_page.get_by_label("Name", exact=True).fill("Short breaks")
    no_js_page.get_by_label("Finance code").fill("SB100")
    no_js_page.get_by_label("RAS price point in pounds (optional)").fill("71")
    no_js_page.get_by_role("button", name="Add funding stream").click()
    expect(no_js_page.get_by_role("link", name="Short breaks (change)")).to_be_visible()
    assert no_js_page.url.endswith(f"/budgets/settings/{year}/streams/")
    axe_check(no_js_page)


def test_a_lead_professional_completes_the_ras_with_a_family(no_js_page, visit, axe_check):
    council = CouncilFactory(name="Coventry City Council")
    year = financial_year_current()
    stream = FundingStreamFactory(
        council=council, financial_year=year, name="Social care", price_per_point=Decimal("71")
    )
    questionnaire = RASQuestionnaireFactory(council=council, financial_year=year, name="Children's RAS")
    ras_question(questionnaire, stream, "Personal care", [("No help", 0), ("Some help", 5)])
    tom = PersonSupportedFactory(council=council)
    mother = user_with_role(Role.FAMILY_MEMBER, council)
    ConsentHolder.objects.create(person=tom, user=mother, relationship=ConsentHolder.Relationship.PARENT)
    lead = user_with_role(Role.LEAD_PROFESSIONAL, council)
    AccessGrant.objects.create(person=tom, grantee=lead, consent_from=mother, recorded_by=lead)
    sign_in(no_js_page, visit, lead.email)

    visit(no_js_page, "/budgets/ras/")
    no_js_page.get_by_role("link", name="Tom Walsh").click()
    axe_check(no_js_page)
    no_js_page.get_by_role("link", name="Children's RAS").click()
    no_js_page.get_by_role("button", name="See the indicative budget").click()
    expect(no_js_page.get_by_role("alert")).to_contain_text("Answer question 1")
    axe_check(no_js_page)

    no_js_page.get_by_label("Some help").check()
    no_js_page.get_by_role("button", name="See the indicative budget").click()
    expect(no_js_page.get_by_role("heading", level=1)).to_have_text("Indicative budget for Tom: £355.00")
    axe_check(no_js_page)
