"""A commissioner reviews the gaps between supply and demand in a real browser: opens the section from the
overview, narrows it to short breaks, downloads the gaps and opens the dot map. Every page is checked with axe
and saved and checked at 320 px wide."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from marketplace.tests.insights_factories import YEAR, allocation_in, council, priced_offer, provider_of
from marketplace.tests.test_insights_supply import declined, published_on, reaching, signal
from search.tests.factories import COVENTRY, gazetteer
from tests.browser.helpers import journey_snapshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def commissioner():  # type: ignore[no-untyped-def]
    """Coventry: Sunrise reaches CV1 with 2 places free and Big Care the whole area; two short-break searches
    in CV3 found too little, a tuition search in CV1 found nothing, and Sunrise declined an order in CV1."""
    gazetteer()
    coventry = council("Coventry City Council", COVENTRY)
    sunrise = reaching(priced_offer(organisation=provider_of(coventry, "Sunrise")), "CV1", capacity_places=2)
    published_on(sunrise, datetime.date(YEAR, 5, 3))
    reaching(priced_offer(organisation=provider_of(coventry, "Big Care")), council_code=COVENTRY)
    signal(f"{YEAR}-05", "CV3", categories=["short-breaks"])
    signal(f"{YEAR}-05", "CV3", categories=["short-breaks"])
    signal(f"{YEAR}-06", "CV1", categories=["tuition"])
    family = allocation_in(coventry)
    type(family.budget.person).objects.filter(pk=family.budget.person_id).update(postcode="CV1 2GT")
    declined(family, sunrise, datetime.date(YEAR, 8, 10))
    return user_with_role(Role.COMMISSIONER, coventry, first_name="Priya", last_name="Shah")


def test_a_commissioner_reviews_the_gaps_downloads_them_and_opens_the_map(page: Page, visit, commissioner) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, visit, commissioner.email)
    visit(page, f"/insights/?year={YEAR}")
    page.get_by_role("link", name="Supply and demand").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supply and demand")
    visit(page, page.url)
    gaps = page.get_by_role("table", name="Gaps by kind of support and postcode district")
    expect(gaps.get_by_role("row").nth(1)).to_contain_text("Tuition")  # nobody supplies tuition in CV1
    journey_snapshot(page, "insights-supply", "01-gaps")

    page.get_by_label("Kind of support").select_option(label="Short breaks")
    page.get_by_role("button", name="Show this kind of support").click()
    expect(gaps.get_by_role("row")).to_have_count(3)
    expect(gaps.get_by_role("row").nth(1)).to_contain_text("CV3")
    visit(page, page.url)
    journey_snapshot(page, "insights-supply", "02-gaps-short-breaks")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the gaps (CSV)").click()
    assert f"supply-gaps-short-breaks-{YEAR}-" in download.value.suggested_filename
    content = download.value.path().read_text(encoding="utf-8-sig")
    assert "Short breaks,short-breaks,CV3,1,0,0,0,0,2,0,0,0,2,2.0,http" in content
    assert "Short breaks,short-breaks,CV1,2,0,1,2,0,0,0,1,0,1,0.5,http" in content

    page.get_by_role("link", name="See supply and demand on a map of your postcode districts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supply and demand map")
    visit(page, page.url)
    expect(page.get_by_role("img", name="Map of your postcode districts")).to_be_visible()
    districts = page.get_by_role("table", name="Supply and demand by postcode district: the figures on the map")
    expect(districts.get_by_role("row", name="CV3")).to_contain_text("2")
    journey_snapshot(page, "insights-supply", "03-map")
