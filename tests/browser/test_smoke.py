"""The service in a real browser: every role signs in through the form and can open every page its
navigation offers; visitors can read the public pages; keyboard users can skip to the content; and
signing in works without JavaScript. Every page visited is checked with axe."""

import pytest
from playwright.sync_api import Page, expect

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SERVICE_NAVIGATION_LINKS = "nav.govuk-service-navigation__wrapper a"
FOOTER_LINKS = "footer.govuk-footer a"


def _hrefs(page: Page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("links => links.map(link => link.href)")


@pytest.mark.parametrize("role", Role.values)
def test_each_role_can_sign_in_and_open_every_page_in_its_navigation(page, visit, axe_check, role):
    # Given a user holding the role (with a provider or broker organisation where the role needs one)
    user = user_with_role(role)

    # When they sign in through the form
    sign_in(page, visit, user.email)

    # Then they land on their account page, which passes axe
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    axe_check(page)
    # And every page their navigation offers opens and passes axe
    links = _hrefs(page, SERVICE_NAVIGATION_LINKS)
    assert links, "a signed-in user must have at least one navigation link"
    for href in links:
        visit(page, href)


def test_visitors_can_open_the_home_page_and_every_footer_link(page, visit):
    visit(page, "/")

    links = _hrefs(page, FOOTER_LINKS)

    assert links, "the footer must link to the accessibility statement, privacy notice and cookies"
    for href in links:
        visit(page, href)


def test_styles_are_served_by_the_live_server(page, visit):
    visit(page, "/")

    # GOV.UK's stylesheet moves the skip link off screen until it is focused.
    position = page.locator(".govuk-skip-link").evaluate("link => getComputedStyle(link).position")

    assert position == "absolute"


def test_the_skip_link_is_the_first_stop_for_keyboard_users_and_moves_focus_to_the_content(page, visit):
    visit(page, "/")

    page.keyboard.press("Tab")

    skip_link = page.locator(".govuk-skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_text("Skip to main content")

    page.keyboard.press("Enter")

    expect(page.locator("#main-content")).to_be_focused()


def test_signing_in_works_without_javascript(no_js_page, visit):
    user = user_with_role(Role.FAMILY_MEMBER)

    sign_in(no_js_page, visit, user.email)

    expect(no_js_page.get_by_role("heading", level=1)).to_have_text("Your account")
    visit(no_js_page, "/account/")


def test_a_wrong_password_is_explained_without_javascript(no_js_page, visit, axe_check):
    user = user_with_role(Role.FAMILY_MEMBER)
    visit(no_js_page, "/account/sign-in/")

    no_js_page.get_by_label("Email address").fill(user.email)
    no_js_page.get_by_label("Password").fill("not-the-password")
    no_js_page.get_by_role("button", name="Sign in").press("Enter")

    expect(no_js_page).to_have_title("Error: Sign in – Support Exchange")
    expect(no_js_page.locator(".govuk-error-summary")).to_contain_text("Enter a correct email address and password")
    axe_check(no_js_page)
