"""A DBS check in a real browser: a personal assistant sends their check, a quality-assurance officer verifies
it after seeing the original, and the PA's public listing shows "DBS checked"; when the clock passes the
council's recheck date the listing stays visible, marked as lapsed. Every page is checked with axe.

The clock is moved with time_machine, which changes the time for the whole process, so the live server's
thread sees it too.
"""

import datetime

import pytest
from playwright.sync_api import expect

from providers.tests import qa_factories as qa
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_verified_check_makes_the_listing_dbs_checked_until_the_recheck_date(
    page, browsing, visit, axe_check, time_machine
):
    # Given a published personal assistant and Coventry's quality-assurance officer, on 3 March 2026
    time_machine.move_to(datetime.datetime(2026, 3, 3, 10, tzinfo=datetime.UTC), tick=True)
    coventry = qa.council("Coventry City Council")
    sam = qa.personal_assistant(of_council=coventry)
    officer = qa.qa_officer(coventry)
    listing = f"/directory/personal-assistants/{sam.public_id}/"

    # When the PA sends their DBS check through their checks page
    sign_in(page, visit, sam.user.email)
    visit(page, "/quality/my-checks/")
    page.get_by_role("button", name="Send your DBS check").click()
    axe_check(page)
    page.get_by_label("Full name on the certificate").fill("Sam Kaur")
    page.get_by_label("Enhanced with children's barred list", exact=True).check()
    page.get_by_label("Certificate number").fill("001234567890")
    page.get_by_label("Date of issue").fill("3/3/2025")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Send for checking").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been sent for checking")
    axe_check(page)

    # Then the listing is not DBS checked yet
    visit(page, listing)
    expect(page.get_by_text("DBS checked", exact=True)).to_have_count(0)

    # When the officer finds it in the queue and verifies it, having seen the original today
    officer_page = browsing.new_page()
    sign_in(officer_page, visit, officer.email)
    visit(officer_page, "/quality/")
    officer_page.get_by_role("link", name="DBS check").click()
    axe_check(officer_page)
    expect(officer_page.get_by_text("•••• 7890", exact=True)).to_be_visible()
    verify = officer_page.locator("form[action$='/verify/']")
    verify.get_by_label("Date you saw the original certificate").fill("3/3/2026")
    verify.get_by_role("button", name="Verify the check").click()
    expect(officer_page.locator(".govuk-notification-banner")).to_contain_text("is verified")
    axe_check(officer_page)

    # And the officer's other pages pass axe too
    for url in (
        f"/quality/personal-assistants/{sam.public_id}/",
        f"/quality/profiles/{sam.public_id}/",
        f"/quality/councils/{coventry.slug}/policy/",
        f"/quality/councils/{coventry.slug}/reveals/",
    ):
        visit(officer_page, url)

    # Then the public listing shows the PA as DBS checked, assured by Coventry
    visit(page, listing)
    expect(page.get_by_text("DBS checked", exact=True)).to_be_visible()
    expect(page.get_by_text("Assured by Coventry City Council on 3 March 2026")).to_be_visible()

    visit(page, "/quality/my-checks/")
    expect(page.get_by_text("Verified", exact=True)).to_be_visible()

    # When the clock passes the recheck date (3 years from issue under Coventry's policy)
    time_machine.move_to(datetime.datetime(2028, 3, 5, 10, tzinfo=datetime.UTC), tick=True)

    # Then the listing is still there, marked as lapsed, and no longer DBS checked
    visit(page, listing)
    expect(page.get_by_text("DBS check lapsed on 4 March 2028")).to_be_visible()
    expect(page.get_by_text("DBS checked", exact=True)).to_have_count(0)
