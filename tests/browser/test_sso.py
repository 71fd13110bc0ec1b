"""Single sign-on in a real browser, without JavaScript, against a real OpenID provider on 127.0.0.1:
a commissioner types their work email, goes through their council's provider and lands on their
account; a mistyped address is explained in an error summary. Every page is checked with axe."""

import pytest
from playwright.sync_api import Page, expect

from accounts.models import CouncilSignOn
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, user_with_role
from accounts.tests.sso_provider import CLIENT_SECRET, LocalProvider
from tests.browser.helpers import expect_error_summary, journey_snapshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTEFACTS = "sso"


@pytest.fixture(autouse=True)
def local_provider(settings):  # type: ignore[no-untyped-def]
    settings.SSO_ALLOW_HTTP = True
    settings.MFA_REQUIRED = True
    with LocalProvider() as provider:
        yield provider


def test_a_commissioner_signs_in_through_their_councils_provider(no_js_page: Page, visit, axe_check, local_provider):  # type: ignore[no-untyped-def]
    page = no_js_page
    council = CouncilFactory(name="Coventry City Council", slug="coventry")
    CouncilSignOn.objects.create(
        council=council,
        issuer_url=local_provider.issuer,
        client_id=local_provider.client_id,
        client_secret=CLIENT_SECRET,
        allowed_email_domains=["coventry.gov.uk"],
        is_enabled=True,
    )
    user_with_role(Role.COMMISSIONER, council, email="staff@coventry.gov.uk")

    # The password page offers the council account
    visit(page, "/account/sign-in/")
    page.get_by_role("link", name="Sign in with your council account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in with your council account")
    axe_check(page)
    journey_snapshot(page, ARTEFACTS, "01-sign-in")

    # A personal address is explained, linked to the field
    page.get_by_label("Work email address").fill("priya@gmail.com")
    page.get_by_role("button", name="Continue").click()
    expect_error_summary(
        page,
        axe_check,
        "No council signs in addresses like this one through its own account. "
        "Sign in with your email address and password instead",
        field_label="Work email address",
    )

    # The work address goes to the council's provider and back, signed in, with no code step
    page.get_by_label("Work email address").fill("staff@coventry.gov.uk")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    axe_check(page)
    journey_snapshot(page, ARTEFACTS, "02-signed-in")
    assert "/authorize" in local_provider.requests
    assert "/token" in local_provider.requests
