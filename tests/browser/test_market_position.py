"""The market position statement in a real browser: a commissioner reviews the gaps between supply and demand
and downloads them as CSV; then the council's editor writes a market position statement with a live figure in
the Wagtail admin, the council's moderator publishes it, and a visitor reads the figure, counted when the page
opens. Every public page is checked with axe and saved and checked at 320 px wide. The Wagtail admin itself is
third-party and is not audited here."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, UserFactory, user_with_role
from cms.models import HomePage, MarketPositionStatementPage
from cms.services import council_editor_add, council_section_create
from marketplace.tests.insights_factories import YEAR, allocation_in, order_of, paid, priced_offer, provider_of
from marketplace.tests.test_insights_supply import reaching, signal
from search.tests.factories import COVENTRY, gazetteer
from tests.browser.helpers import journey_snapshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Market position statement 2026 to 2027"
FOLDER = "market-position"


@pytest.fixture
def coventry(site_tree: None):  # type: ignore[no-untyped-def]
    gazetteer()  # Coventry's districts are CV1 and CV3
    council = CouncilFactory(name="Coventry City Council", slug="coventry", ons_code=COVENTRY)
    sunrise = provider_of(council, "Sunrise Short Breaks", charity_number="1100001")
    sunrise_offer = reaching(priced_offer(organisation=sunrise), "CV1")
    signal(f"{YEAR}-05", "CV3", categories=["short-breaks"])
    signal(f"{YEAR}-06", "CV3", categories=["short-breaks"])
    allocation = allocation_in(council)
    paid(order_of(allocation, sunrise_offer, "18.00"), "180.00", category="short-breaks")
    paid(order_of(allocation, priced_offer(council, "12.00"), "12.00"), "60.00", category="tuition")
    section = council_section_create(council=council, parent=HomePage.objects.get(), intro="Local pages.")
    editor = UserFactory(email="editor@coventry.example", first_name="Andrew")
    moderator = UserFactory(email="moderator@coventry.example", first_name="Margaret")
    council_editor_add(council=council, user=editor)
    council_editor_add(council=council, user=moderator, can_publish=True)
    commissioner = user_with_role(Role.COMMISSIONER, council, first_name="Priya", last_name="Shah")
    return section, commissioner, editor, moderator


def _add_block(page: Page, label: str) -> None:
    page.locator(".c-sf-add-button").last.click()
    page.get_by_role("option", name=label, exact=True).click()


def _open_footer_actions(page: Page) -> None:
    page.locator("footer .w-dropdown__toggle").click()


def test_a_commissioner_reviews_the_gaps_and_downloads_them(page: Page, visit, coventry) -> None:  # type: ignore[no-untyped-def]
    _, commissioner, _, _ = coventry
    sign_in(page, visit, commissioner)
    visit(page, f"/insights/?year={YEAR}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Market insights")
    journey_snapshot(page, FOLDER, "01-insights")

    page.get_by_role("link", name="Supply and demand").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supply and demand")
    visit(page, page.url)
    gaps = page.get_by_role("table", name="Gaps by kind of support and postcode district")
    expect(gaps.get_by_role("row").nth(1)).to_contain_text("CV3")  # searched for twice; nobody supplies it
    journey_snapshot(page, FOLDER, "02-gaps")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the gaps (CSV)").click()
    assert f"supply-gaps-{YEAR}-" in download.value.suggested_filename
    assert "Short breaks,short-breaks,CV3," in download.value.path().read_text(encoding="utf-8-sig")


def test_an_editor_writes_a_statement_with_a_live_figure_and_a_moderator_publishes_it(
    browsing, visit, coventry
) -> None:  # type: ignore[no-untyped-def]
    section, _, editor, moderator = coventry

    # Given the council's editor writes a statement with a live figure in the Wagtail admin
    writer = browsing.new_page()
    sign_in(writer, visit, editor)
    writer.goto(f"/cms-admin/pages/add/cms/marketpositionstatementpage/{section.pk}/")
    writer.locator("#id_title").fill(TITLE)
    writer.locator("#id_period").fill("2026 to 2027")
    writer.locator("#id_summary").fill("Where families' money goes, and what we want more of.")
    _add_block(writer, "Heading")
    writer.locator("#body-0-value").fill("Where the money goes")
    _add_block(writer, "Live figure from the market insights")
    writer.locator("#body-1-value-figure").select_option("spend-by-category")
    writer.locator("#body-1-value-heading").fill("Spending on each kind of support")
    writer.locator("#body-1-value-note").fill("We want more short breaks at weekends.")
    writer.locator("#body-1-value-year").select_option(str(YEAR))

    # When they submit it for review, and the council's moderator approves it
    _open_footer_actions(writer)
    writer.locator("button[name='action-submit']").click()
    submitted = re.compile(rf"Page '{re.escape(TITLE)}' (has been|created and) submitted for moderation\.")
    expect(writer.get_by_text(submitted)).to_be_visible()
    statement = MarketPositionStatementPage.objects.get(title=TITLE)
    assert statement.workflow_in_progress and not statement.live

    approver = browsing.new_page()
    sign_in(approver, visit, moderator)
    approver.goto(f"/cms-admin/pages/{statement.pk}/edit/")
    _open_footer_actions(approver)
    approver.locator("button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])").click()
    approver.wait_for_url(f"**/cms-admin/pages/{section.pk}/")
    statement.refresh_from_db()
    assert statement.live

    # Then a visitor reads the figure, counted from the council's ledger as the page opens
    visitor = browsing.new_page()
    visit(visitor, statement.url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_role("heading", name="Spending on each kind of support")).to_be_visible()
    expect(visitor.get_by_text("£240.00 was spent from personal budgets in 2026 to 2027.")).to_be_visible()
    expect(visitor.get_by_text("We want more short breaks at weekends.")).to_be_visible()
    expect(visitor.get_by_role("row", name="Short breaks £180.00")).to_be_visible()
    expect(visitor.get_by_text(re.compile(r"^Figures as at \d{1,2} \w+ \d{4}, "))).to_be_visible()
    journey_snapshot(visitor, FOLDER, "03-statement")

    # And it passes axe without JavaScript too
    no_js = browsing.new_page(javascript=False)
    visit(no_js, statement.url)
    journey_snapshot(no_js, FOLDER, "04-statement-without-javascript")
