"""A commissioner reviews their market in a real browser: the overview, then prices, spend, quality and a
framework's coverage, downloading a CSV on the way. Every page is checked with axe and saved and checked at
320 px wide."""

import pytest
from playwright.sync_api import Page, expect

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from marketplace.tests.insights_factories import YEAR, allocation_in, council, order_of, paid, priced_offer, provider_of
from marketplace.tests.test_insights_spend import framework_of
from tests.browser.helpers import journey_snapshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def commissioner():  # type: ignore[no-untyped-def]
    coventry = council("Coventry City Council", "E08000026")
    sunrise = provider_of(coventry, "Sunrise Short Breaks", charity_number="1100001")
    framework_of(coventry, {"short-breaks": [sunrise]})
    offers = [priced_offer(coventry, amount) for amount in ("10.00", "12.00", "14.00", "16.00", "40.00")]
    allocation = allocation_in(coventry)
    paid(order_of(allocation, priced_offer(organisation=sunrise), "18.00"), "180.00", category="short-breaks")
    paid(order_of(allocation, offers[0], "10.00"), "50.00", category="short-breaks")
    return user_with_role(Role.COMMISSIONER, coventry, first_name="Priya", last_name="Shah")


def test_a_commissioner_reviews_prices_spend_quality_and_frameworks(page: Page, visit, commissioner) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, visit, commissioner.email)
    page.get_by_role("link", name="Market insights").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Market insights")
    visit(page, page.url)
    journey_snapshot(page, "insights", "01-overview")

    visit(page, f"/insights/prices/?year={YEAR}")
    expect(page.get_by_role("cell", name="£40.00 per hour")).to_be_visible()
    journey_snapshot(page, "insights", "02-prices")

    visit(page, f"/insights/spend/?year={YEAR}")
    expect(page.get_by_text("£230.00 spent")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download top 10 providers by spend (CSV)").click()
    assert f"spend-by-providers-{YEAR}-" in download.value.suggested_filename
    content = download.value.path().read_text(encoding="utf-8-sig")
    assert "Sunrise Short Breaks,180.00" in content
    journey_snapshot(page, "insights", "03-spend")

    visit(page, f"/insights/quality/?year={YEAR}")
    expect(page.get_by_role("heading", name="Offers with low ratings")).to_be_visible()
    journey_snapshot(page, "insights", "04-quality")

    visit(page, f"/insights/frameworks/?year={YEAR}")
    page.get_by_role("link", name="Short Breaks Framework").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Short Breaks Framework")
    visit(page, page.url)
    journey_snapshot(page, "insights", "05-framework")
