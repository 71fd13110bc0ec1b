"""Paying into a budget by bank transfer, without JavaScript, in a real browser checked with axe: Alice, who
holds consent for Tom, asks to pay a contribution from his budget page (first with a mistake, shown in the
error summary), reads the council's bank details and her reference; Fay, Northshire's finance officer, finds
it in the list by the reference and records it as received; Alice sees it paid in. (The card route needs
Stripe.js from the internet, so it is tested at the request boundary and against localstripe instead.)"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from marketplace.payments.tests.top_up_support import family
from marketplace.payments.top_up_models import TopUp, TopUpStatus
from tests.browser.helpers import expect_error_summary, open_from_navigation, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_family_pays_a_contribution_by_bank_transfer_and_the_finance_officer_records_it(browsing, visit, axe_check):  # type: ignore[no-untyped-def]
    found = family()
    alice, fay = browsing.new_page(javascript=False), browsing.new_page(javascript=False)

    sign_in(alice, visit, found.alice.email)
    visit(alice, reverse("brokerage:budget", args=[found.allocation.budget.public_id]))
    alice.get_by_role("link", name="Pay into this budget").click()
    axe_check(alice)
    alice.get_by_role("button", name="Continue").click()
    expect_error_summary(
        alice, axe_check, "Choose why you are paying", field_label="A dearer option than the plan allows"
    )

    alice.get_by_label("An assessed contribution").check()
    alice.get_by_label("How much are you paying?").fill("35.00")
    alice.get_by_label("By bank transfer from your own bank, quoting a reference").check()
    alice.get_by_role("button", name="Continue").click()
    made = TopUp.objects.get()
    expect(alice.get_by_role("heading", level=1)).to_have_text(f"Your payment {made.reference}")
    expect(alice.locator(".govuk-summary-list").last).to_contain_text("30-94-57")
    axe_check(alice)

    sign_in(fay, visit, found.fay.email)
    open_from_navigation(fay, axe_check, "Top-ups and contributions")
    fay.get_by_label("Reference or name").fill(made.reference.lower())
    fay.get_by_role("button", name="Show top-ups").click()
    fay.get_by_role("link", name=made.reference).click()
    axe_check(fay)
    fay.get_by_role("button", name="Record as received").click()
    axe_check(fay)
    fay.get_by_role("button", name="Record as received").click()
    expect(fay.locator(".govuk-notification-banner")).to_contain_text("is recorded as received")
    axe_check(fay)

    visit(alice, reverse("top_ups:detail", args=[made.public_id]))
    expect(alice.locator(".govuk-tag")).to_have_text("Paid in")
    made.refresh_from_db()
    assert made.status == TopUpStatus.PAID
