"""A family finds support in a real browser: they search by postcode, narrow the results with a filter and
open one, once without JavaScript (a plain GET form) and once with it (results update in place, a map shows
where they are). Tile requests are refused, as on a network that blocks the tile server: the page must
work and stay free of script errors without them. Every page is checked with axe.
"""

import re

import pytest
from playwright.sync_api import Page, Route, expect

from marketplace.views import find_support
from providers.models import ProfileStatus
from providers.tests.factories import ProviderProfileFactory
from search.backends import get_backend
from search.exceptions import SearchUnavailable
from search.tests.factories import gazetteer, listing, venue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def directory() -> None:
    gazetteer()
    offers = [
        published(
            name="Saturday swimming",
            needs=["autism"],
            locations=[venue("CV3 5AB", "Coventry pool")],
            attending_types=["venue"],
            service_areas=[],
        ),
        published(
            name="After-school club",
            needs=["adhd"],
            locations=[venue("CV1 2GT", "Youth centre")],
            attending_types=["venue"],
            service_areas=[],
        ),
        published(
            name="Birmingham climbing",
            needs=["autism"],
            locations=[venue("B1 1AA", "Climbing wall")],
            attending_types=["venue"],
            service_areas=[],
        ),
    ]
    get_backend().index([offer.pk for offer in offers])


def published(**content):  # type: ignore[no-untyped-def]
    return listing(profile=ProviderProfileFactory(status=ProfileStatus.PUBLISHED), **content)


class RefusedTiles:
    """Refuses every request to the tile server, as a network that blocks it would, and counts them.

    Chromium reports each refused image as a console error ("Failed to load resource"), which no page
    can prevent; ``problems`` takes those out and keeps everything else, script errors above all.
    """

    FAILED_LOAD = "console error: Failed to load resource: net::ERR_FAILED"

    def __init__(self, page: Page) -> None:
        self.count = 0
        page.route(re.compile(r"^https://tile\.openstreetmap\.org/"), self._refuse)

    def _refuse(self, route: Route) -> None:
        self.count += 1
        route.abort()

    def problems(self, browsing, page: Page) -> list[str]:  # type: ignore[no-untyped-def]
        problems = browsing.problems_on(page)
        refused = [problem for problem in problems if problem == self.FAILED_LOAD]
        assert len(refused) <= self.count, "failed loads that were not refused tiles"
        return [problem for problem in problems if problem != self.FAILED_LOAD]


def test_a_family_finds_support_near_them_without_javascript(no_js_page, visit, axe_check, directory):
    page = no_js_page
    visit(page, "/")
    page.get_by_role("link", name="Find support").first.click()
    expect(page.get_by_role("heading", name="Find support", level=1)).to_be_visible()
    axe_check(page)

    # They search within 5 miles of their postcode
    page.get_by_label("Your postcode (optional)").fill("CV1 2GT")
    page.get_by_label("How far you can travel").select_option("5")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-heading")).to_have_text("2 results")
    expect(page.get_by_role("link", name="Birmingham climbing")).to_have_count(0)
    axe_check(page)

    # They narrow the results to support for autism
    page.locator("summary", has_text="Needs and disabilities").click()
    page.get_by_label("Autism (1)").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#results-heading")).to_have_text("1 result")
    assert "needs=autism" in page.url
    axe_check(page)

    # And open the one that is left
    page.get_by_role("link", name="Saturday swimming", exact=True).click()
    expect(page.get_by_role("heading", name="Saturday swimming", level=1)).to_be_visible()


def test_a_family_finds_support_with_javascript_results_update_in_place(page, browsing, visit, directory):
    tiles = RefusedTiles(page)
    page.goto("/search/", wait_until="load")
    expect(page.locator("#find-support-map.leaflet-container")).to_be_visible()
    expect(page.locator("#find-support-map .leaflet-marker-icon")).to_have_count(3)
    browsing.axe_check(page)
    assert tiles.count > 0, "the map asked for no tiles"
    assert not tiles.problems(browsing, page)

    # The postcode and distance update the results as soon as they change, without a new page
    page.evaluate("window.samePage = true")
    page.get_by_label("Your postcode (optional)").fill("CV1 2GT")
    page.get_by_label("How far you can travel").select_option("5")
    expect(page.locator("#results-heading")).to_have_text("2 results")
    expect(page.locator("#find-support-status")).to_have_text("2 results")
    expect(page).to_have_url(re.compile(r"/search/\?.*radius_miles=5"))

    # Ticking a filter narrows them in place too, and the map shows the one result left
    page.locator("summary", has_text="Needs and disabilities").click()
    page.get_by_label("Autism (1)").check()
    expect(page.locator("#results-heading")).to_have_text("1 result")
    expect(page.locator("#find-support-status")).to_have_text("1 result")
    expect(page).to_have_url(re.compile(r"needs=autism"))
    expect(page.locator("#find-support-map .leaflet-marker-icon")).to_have_count(1)
    assert page.evaluate("window.samePage === true"), "the page was loaded again instead of updated in place"
    browsing.axe_check(page)
    assert not tiles.problems(browsing, page)

    # The address can be shared: opening it again gives the same results
    page.reload(wait_until="load")
    expect(page.locator("#results-heading")).to_have_text("1 result")
    assert not tiles.problems(browsing, page)

    page.get_by_role("link", name="Saturday swimming").first.click()
    expect(page.get_by_role("heading", name="Saturday swimming", level=1)).to_be_visible()


def test_when_search_stops_working_the_page_says_so_in_place(page, browsing, monkeypatch, directory):
    RefusedTiles(page)
    page.goto("/search/", wait_until="load")
    expect(page.locator("#results-heading")).to_have_text("3 results")

    def unavailable(query):  # type: ignore[no-untyped-def]
        raise SearchUnavailable("Connection refused")

    # The live server runs in this process: from now on every search finds the search cluster down.
    monkeypatch.setattr(find_support, "offers_search", unavailable)
    page.evaluate("window.samePage = true")
    page.get_by_label("Your postcode (optional)").fill("CV1 2GT")
    page.get_by_label("How far you can travel").select_option("5")

    expect(page.get_by_role("heading", name="Search is not working at the moment")).to_be_visible()
    assert page.evaluate("window.samePage === true")
    browsing.axe_check(page)
