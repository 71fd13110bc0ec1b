"""The payment pages around the runs, in a real browser and checked with axe: a provider's bank details from
entry to verification by two finance officers, the council's payment settings, the provider's "Get paid
through Stripe" page when the council pays by payment file, and the commissioners' prompt-payment figures.

Pat works for Northshire's provider Sunrise Care; Ann and Ben are Northshire's finance officers. The forms
are driven without JavaScript, as a visitor without it gets them.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from marketplace.payments.models import (
    BankAccount,
    BankAccountStatus,
    Gateway,
    PaymentSettings,
    PaymentStatus,
    RunStatus,
)
from marketplace.payments.tests import run_screen_data
from marketplace.payments.tests.bank_fixtures import ACCOUNT_NUMBER, FULL_NUMBERS, SORT_CODE, bank_make
from providers.tests.factories import ProviderProfileFactory
from tests.browser.helpers import expect_error_summary, open_from_navigation, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _banner(page: Page):  # type: ignore[no-untyped-def]
    return expect(page.locator(".govuk-notification-banner"))


def _shows_no_full_number(page: Page) -> None:
    content = page.content()
    shown = [number for number in FULL_NUMBERS if number in content]
    assert not shown, f"{page.url} shows the full numbers {shown}"


def _fill_bank_details(page: Page, *, sort_code: str) -> None:
    page.get_by_label("Name on the account").fill("Sunrise Care Ltd")
    page.get_by_label("Sort code").fill(sort_code)
    page.get_by_label("Account number").fill(ACCOUNT_NUMBER)
    page.get_by_role("button", name="Send the new details for checking").click()


def test_a_provider_gives_bank_details_and_two_finance_officers_verify_them_without_the_full_number_shown(
    browsing, visit, axe_check
):
    # Given Pat at Sunrise Care, which has a profile, and Northshire's finance officers Ann and Ben
    bank = bank_make()
    ProviderProfileFactory(organisation=bank.provider)
    pat, ann, ben = (browsing.new_page(javascript=False), browsing.new_page(), browsing.new_page(javascript=False))

    # When Pat opens their bank details from their listings and sends a sort code one digit short
    sign_in(pat, visit, bank.pat.email)
    visit(pat, reverse("providers:dashboard"))
    pat.get_by_role("link", name="Your bank details").click()
    expect(pat.get_by_role("heading", name="Bank details", exact=True)).to_be_visible()
    axe_check(pat)
    _fill_bank_details(pat, sort_code="12-34-5")

    # Then the form comes back with an error summary, without the numbers Pat typed
    expect_error_summary(pat, axe_check, "Enter a valid sort code like 309430", field_label="Sort code")
    _shows_no_full_number(pat)
    assert not BankAccount.objects.filter(provider_organisation=bank.provider).exists()

    # When Pat sends valid details, payments are held until they are checked
    _fill_bank_details(pat, sort_code=SORT_CODE)
    _banner(pat).to_contain_text("Your new bank details are saved")
    expect(pat.get_by_text("Payments are held until the new details are checked")).to_be_visible()
    axe_check(pat)
    _shows_no_full_number(pat)

    # And Ann records the call-back from the queue of bank details to check
    sign_in(ann, visit, bank.ann.email)
    open_from_navigation(ann, axe_check, "Bank details to check")
    expect(ann.get_by_role("row", name="Sunrise Care")).to_contain_text("Waiting for a call-back")
    ann.get_by_role("link", name="Sunrise Care").click()
    expect(ann.get_by_role("heading", name="Bank details of Sunrise Care")).to_be_visible()
    expect(ann.get_by_role("cell", name="024 7600 0001").first).to_be_visible()
    axe_check(ann)
    ann.get_by_label("What happened on the call").fill("Called Pat on 024 7600 0001, who confirmed the new account.")
    ann.get_by_role("button", name="Record the call-back").click()
    _banner(ann).to_contain_text("You have recorded the call-back")
    expect(ann.get_by_role("button", name="Approve the bank details")).to_have_count(0)
    axe_check(ann)
    _shows_no_full_number(ann)

    # And Ben, a second finance officer, approves them
    sign_in(ben, visit, bank.ben.email)
    open_from_navigation(ben, axe_check, "Bank details to check")
    ben.get_by_role("link", name="Sunrise Care").click()
    ben.get_by_role("button", name="Approve the bank details").press("Enter")
    _banner(ben).to_contain_text("You have approved the bank details")
    axe_check(ben)
    assert BankAccount.objects.get(provider_organisation=bank.provider).status == BankAccountStatus.VERIFIED

    # Then Pat's page shows the verified details, masked, and never the full account number
    visit(pat, reverse("bank_details:own"))
    expect(pat.get_by_text("New details waiting to be checked")).to_have_count(0)
    details_in_use = pat.locator(".govuk-summary-list")
    expect(details_in_use).to_contain_text("Verified")
    expect(details_in_use).to_contain_text("••••6819")
    expect(details_in_use).to_contain_text("••-••-56")
    _shows_no_full_number(pat)


def test_a_finance_officer_is_refused_stripe_without_keys_then_keeps_the_payment_file_with_a_finance_code(
    no_js_page: Page, visit, axe_check
):
    # Given a finance officer of Northshire, which has never changed its payment settings
    council = bank_make().council
    officer = user_with_role(Role.FINANCE_OFFICER, council, first_name="Ann")
    page = no_js_page
    sign_in(page, visit, officer.email)

    # When they open the payment settings from the payment runs and choose Stripe Connect without keys
    visit(page, reverse("payments:runs"))
    page.get_by_role("link", name="Payment settings: how the council pays and its Stripe keys").click()
    expect(page.get_by_role("heading", name="Payment settings")).to_be_visible()
    axe_check(page)
    page.get_by_role("radio", name=re.compile(r"^Stripe Connect")).check()
    page.get_by_role("button", name="Save the payment settings").click()

    # Then the form comes back with an error summary and nothing is saved
    expect_error_summary(
        page,
        axe_check,
        "Enter the council's Stripe secret key to pay through Stripe Connect",
        field_label="New Stripe secret key",
    )
    expect(page.get_by_role("alert")).to_contain_text("Enter the webhook signing secret to pay through Stripe Connect")
    assert not PaymentSettings.objects.filter(council=council).exists()

    # When they keep the payment file and give a finance code
    page.get_by_role("radio", name=re.compile(r"^Payment file")).check()
    page.get_by_label("Finance code (optional)").fill("CYP-DP-4410")
    page.get_by_role("button", name="Save the payment settings").press("Enter")

    # Then the page shows the change
    _banner(page).to_contain_text("The payment settings are saved")
    summary = page.locator(".govuk-summary-list")
    expect(summary).to_contain_text("CYP-DP-4410")
    expect(summary).to_contain_text("By payment file")
    expect(summary).to_contain_text(f"by {officer}")
    axe_check(page)
    saved = PaymentSettings.objects.get(council=council)
    assert (saved.gateway, saved.finance_code) == (Gateway.PAYMENT_FILE, "CYP-DP-4410")


def test_a_provider_whose_council_pays_by_payment_file_is_told_stripe_needs_nothing_from_them(
    no_js_page: Page, visit, axe_check
):
    # Given Pat at Sunrise Care, whose council Northshire pays by payment file
    bank = bank_make()
    page = no_js_page
    sign_in(page, visit, bank.pat.email)

    # When Pat opens "Get paid through Stripe" from their listings
    visit(page, reverse("providers:dashboard"))
    page.get_by_role("link", name="Get paid through Stripe").click()

    # Then the page says there is nothing to do, and offers no Stripe account
    expect(page.get_by_role("heading", name="Get paid through Stripe")).to_be_visible()
    expect(page.get_by_text("Northshire pays by bank transfer")).to_contain_text("You do not need to do anything here")
    expect(page.get_by_role("button", name="Set up your Stripe account")).to_have_count(0)
    axe_check(page)


def test_a_commissioner_sees_the_share_of_invoices_paid_promptly(no_js_page: Page, visit, axe_check):
    # Given Coventry sent a payment this month for Sunrise Tutors' invoice ST-101, received the same day
    people = run_screen_data.finance()
    invoice = run_screen_data.approved_invoice(people)
    run_screen_data.run_with_payment(people, status=RunStatus.SENT, payment_status=PaymentStatus.SENT, invoice=invoice)
    page = no_js_page

    # When Cathy, a Coventry commissioner, opens the prompt-payment figures
    sign_in(page, visit, people.cathy.email)
    open_from_navigation(page, axe_check, "Prompt payment")

    # Then this month counts one invoice paid within the terms
    expect(page.get_by_role("heading", name="Prompt payment of invoices")).to_be_visible()
    this_month = page.get_by_role("table").get_by_role("row").last  # the months run oldest first
    expect(this_month).to_contain_text("100%")
    expect(page.get_by_role("link", name="Download these figures (CSV)")).to_be_visible()
