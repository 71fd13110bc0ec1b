"""Individual service fund pages in a real browser, without JavaScript and checked with axe: Sunrise Care's Pat
sends a monthly statement (first with a mistake), Fiona, a finance officer, finds it flagged in the
reconciliation list and accepts it, and Tom's mother Alice reads it in plain English on the budget statement.

The fund is made for the financial year that contains today, and the statement is for its first month (April),
which has always started: nothing here depends on the date beyond that.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from brokerage.models import StatementStatus
from brokerage.services.service_funds import isf_instalment_pay
from brokerage.tests.service_fund_factories import isf_fund
from tests.browser.helpers import expect_error_summary, open_from_navigation, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _this_financial_year() -> int:
    today = timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def test_a_provider_sends_a_statement_the_council_accepts_it_and_the_family_reads_it(browsing, visit, axe_check):
    # Given Sunrise Care holds Tom's fund, whose first two instalments (£520.00) have been paid
    year = _this_financial_year()
    fund = isf_fund(year=year)
    for instalment in fund.allocation.isf_schedule.instalments.all()[:2]:
        isf_instalment_pay(instalment=instalment, actor=None, key=f"browser-paid-{instalment.number}")
    april = datetime.date(year, 4, 1)
    pat, fiona, alice = (browsing.new_page(javascript=False) for _ in range(3))

    # When Pat opens the fund from the navigation and sends April's statement with other spending but no description
    sign_in(pat, visit, fund.pat.email)
    open_from_navigation(pat, axe_check, "Individual service funds")
    pat.get_by_role("link", name=str(fund.allocation.budget.person)).click()
    axe_check(pat)
    pat.get_by_role("link", name="Send a monthly statement").click()
    pat.get_by_label("Which month is the statement for?").select_option(april.isoformat())
    pat.get_by_label("Hours delivered").fill("15")
    pat.get_by_label("Amount, £").first.fill("4.50")
    pat.get_by_role("button", name="Send the statement").click()

    # Then the form comes back with an error summary; with the description it is sent
    expect_error_summary(pat, axe_check, "Say what the money was spent on", field_label="What it was for")
    pat.get_by_label("What it was for").first.fill("Swimming entry")
    pat.get_by_role("button", name="Send the statement").click()
    expect(pat.get_by_role("heading", name=f"Statement for April {year}")).to_be_visible()
    axe_check(pat)

    # When Fiona lists the statements with differences beyond the tolerance and accepts it
    sign_in(fiona, visit, fund.fiona.email)
    open_from_navigation(fiona, axe_check, "Service fund statements")
    fiona.get_by_label("Only statements with differences beyond the tolerance").check()
    fiona.get_by_role("button", name="Show statements").click()
    fiona.get_by_role("link", name=f"{fund.allocation.budget.person}, April {year}").click()
    line = fiona.get_by_role("row", name="Support worker after school")
    expect(line).to_contain_text("Beyond the £13.00 tolerance")
    axe_check(fiona)
    fiona.get_by_role("button", name="Accept the statement").click()
    expect(fiona.locator(".govuk-notification-banner")).to_contain_text("You accepted the statement")
    statement = fund.allocation.isf_statements.get()
    assert statement.status == StatementStatus.ACCEPTED

    # Then Alice reads it in plain English on Tom's budget statement
    sign_in(alice, visit, fund.alice.email)
    visit(alice, reverse("brokerage:budget-statement", args=[fund.allocation.budget.public_id]))
    expect(alice.get_by_text("15 hours delivered, costing £300.00")).to_be_visible()
    expect(alice.get_by_text("The council has checked and accepted this statement.")).to_be_visible()
    axe_check(alice)
