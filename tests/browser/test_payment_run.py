"""A payment run in a real browser: Ann, a Coventry finance officer, prepares a run paying Sunrise Tutors'
approved invoice into their verified bank account; Ben, a second finance officer, authorises it, pays it,
downloads the payment file (which is audited) and marks it paid; Pat at Sunrise Tutors sees the remittance.
Every page is checked with axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import AuditEvent
from marketplace.payments.models import PaymentRun, RunStatus
from marketplace.payments.tests.run_screen_data import approved_invoice, finance
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _banner(page: Page):  # type: ignore[no-untyped-def]
    return expect(page.locator(".govuk-notification-banner"))


def test_two_finance_officers_prepare_authorise_and_pay_a_run_and_the_provider_sees_the_remittance(
    browsing, visit, axe_check
):
    # Given Sunrise Tutors' approved invoice ST-101 of £40 and their verified bank account
    people = finance()
    approved_invoice(people)
    ann, ben, pat = browsing.new_page(), browsing.new_page(), browsing.new_page(javascript=False)

    # When Ann prepares a payment run from the preview
    sign_in(ann, visit, people.ann.email)
    visit(ann, reverse("payments:runs"))
    ann.get_by_role("link", name="Prepare a payment run").click()
    expect(ann.get_by_role("heading", name="Prepare a payment run")).to_be_visible()
    expect(ann.get_by_role("row", name="Sunrise Tutors")).to_contain_text("**-**-56 ****6819")
    axe_check(ann)
    ann.get_by_role("button", name="Prepare the payment run for").click()
    _banner(ann).to_contain_text("A different finance officer must authorise it")
    expect(ann.get_by_text("You prepared this run, so a different finance officer must authorise it")).to_be_visible()
    expect(ann.get_by_role("button", name="Authorise £40.00")).to_have_count(0)
    axe_check(ann)
    run = PaymentRun.objects.get(council=people.council)

    # Then Ben authorises it and pays it
    sign_in(ben, visit, people.ben.email)
    visit(ben, reverse("payments:run", args=[run.public_id]))
    ben.get_by_role("button", name="Authorise £40.00").click()
    _banner(ben).to_contain_text(f"You have authorised payment run {run.reference}")
    axe_check(ben)
    ben.get_by_role("button", name="Pay £40.00").click()
    _banner(ben).to_contain_text(f"You have started paying payment run {run.reference}")
    axe_check(ben)

    # And downloads the payment file, which is recorded
    with ben.expect_download() as download:
        ben.get_by_role("link", name="Download the payment file").click()
    assert f"payment-file-{run.reference}" in download.value.suggested_filename
    assert AuditEvent.objects.filter(action="payment_file.downloaded", actor=people.ben).exists()

    # And marks the payment paid once the bank confirms
    ben.get_by_role("button", name="Mark the rest paid").click()
    _banner(ben).to_contain_text(f"You have marked the rest of payment run {run.reference} paid")
    axe_check(ben)
    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED

    # And Pat at Sunrise Tutors sees the remittance, without JavaScript
    sign_in(pat, visit, people.sunrise.staff.email)
    visit(pat, reverse("payments:remittances"))
    expect(pat.get_by_role("cell", name="ST-101")).to_be_visible()
    pat.get_by_role("link", name=f"{run.reference}-").click()
    expect(pat.get_by_role("heading", name=f"Payment {run.reference}-")).to_be_visible()
    expect(pat.get_by_role("row", name="Invoice ST-101")).to_contain_text("£40.00")
    axe_check(pat)
