"""Two-step verification in a real browser, without JavaScript: a finance officer sets up an
authenticator app from the key shown as text, saves the recovery codes, signs out, signs in with a
security code, then with a recovery code. Every page is checked with axe."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from accounts.roles import Role
from accounts.tests.factories import PASSWORD, user_with_role
from accounts.tests.mfa_helpers import app_set_up, code_for
from tests.browser.helpers import expect_error_summary, journey_snapshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTEFACTS = "mfa"


@pytest.fixture(autouse=True)
def mfa_required(settings):  # type: ignore[no-untyped-def]
    settings.MFA_REQUIRED = True


def _password_step(page: Page, visit, email: str) -> None:  # type: ignore[no-untyped-def]
    visit(page, "/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _code(key: bytes, *, steps_ahead: int = 0) -> str:
    # t0 moved back by whole steps gives the code an app shows that many steps later (tolerance is one step).
    return f"{totp(key, t0=-30 * steps_ahead):06d}"


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_load_state("load")


def test_a_finance_officer_sets_up_an_app_and_signs_in_with_a_code_then_a_recovery_code(no_js_page, visit, axe_check):  # type: ignore[no-untyped-def]
    page = no_js_page
    neil = user_with_role(Role.FINANCE_OFFICER, email="neil@coventry.example")

    # Given the password step, the finance officer is sent to set up an app before any other page
    _password_step(page, visit, neil.email)
    page.wait_for_url("**/account/two-step-verification/set-up/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    axe_check(page)
    journey_snapshot(page, ARTEFACTS, "01-set-up")
    key = b32decode(page.locator("#secret-key").inner_text().replace(" ", ""))
    code_field = page.get_by_label("Security code")
    assert code_field.get_attribute("autocomplete") == "one-time-code"
    assert code_field.get_attribute("inputmode") == "numeric"

    # A wrong code is explained in an error summary that links to the field
    wrong = "000000" if _code(key) != "000000" else "111111"
    code_field.fill(wrong)
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(page, axe_check, "The security code is not right", field_label="Security code")
    time.sleep(1.2)  # the throttle's wait after one wrong code

    # When they enter the code their app shows
    page.get_by_label("Security code").fill(_code(key))
    page.get_by_role("button", name="Continue").click()

    # Then they see 10 recovery codes once, and download them as text
    page.wait_for_url("**/two-step-verification/recovery-codes/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    axe_check(page)
    journey_snapshot(page, ARTEFACTS, "02-recovery-codes")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download your recovery codes as a text file").click()
    downloaded = download_info.value.path().read_text()
    assert all(code in downloaded for code in codes)
    page.get_by_role("button", name="I have saved my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    axe_check(page)

    # When they sign out and in again, they are asked for a security code
    _sign_out(page)
    _password_step(page, visit, neil.email)
    page.wait_for_url("**/account/two-step-verification/code/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a security code")
    axe_check(page)
    journey_snapshot(page, ARTEFACTS, "03-code")
    page.get_by_label("Security code").fill(_code(key, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")

    # And once more, with a recovery code instead
    _sign_out(page)
    _password_step(page, visit, neil.email)
    page.wait_for_url("**/account/two-step-verification/code/**")
    page.get_by_role("link", name="Use a recovery code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a recovery code")
    axe_check(page)
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_text("You have 9 left")).to_be_visible()

    # The account page shows how many codes are left
    page.get_by_role("link", name="Two-step verification and recovery codes").click()
    expect(page.locator("#recovery-codes-left")).to_have_text("9 of 10")
    axe_check(page)
    journey_snapshot(page, ARTEFACTS, "04-manage")


def test_the_code_step_works_by_keyboard(page, visit, axe_check):  # type: ignore[no-untyped-def]
    fatima = user_with_role(Role.QA_OFFICER)
    device, _ = app_set_up(fatima)
    _password_step(page, visit, fatima.email)
    page.wait_for_url("**/account/two-step-verification/code/**")
    axe_check(page)

    page.get_by_label("Security code").focus()
    page.keyboard.type(code_for(device, steps_ahead=1))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
