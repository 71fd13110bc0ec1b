"""Publishing content in a real browser: a council editor writes a guide in the Wagtail admin and submits
it for review, the council's moderator approves it, and a visitor reads it. Every public page type is
checked with axe, with JavaScript and without. The Wagtail admin itself is third-party and is not
audited here."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from accounts.tests.factories import CouncilFactory, UserFactory
from cms.models import (
    Attendance,
    CouncilIndexPage,
    EventIndexPage,
    EventPage,
    FaqPage,
    GuidePage,
    HomePage,
    MarketPositionStatementPage,
    NewsIndexPage,
    NewsPage,
)
from cms.services import council_editor_add, council_section_create
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

GUIDE_TITLE = "Short breaks in Coventry"


def _add_block(page: Page, label: str) -> None:
    page.locator(".c-sf-add-button").last.click()
    page.get_by_role("option", name=label, exact=True).click()


def _type_rich_text(page: Page, field_id: str, words: str) -> None:
    # Draftail keeps the value in a hidden input beside its editable area.
    page.locator(f"#{field_id}").locator("xpath=..").locator(".public-DraftEditor-content").click()
    page.keyboard.type(words)


def _open_footer_actions(page: Page) -> None:
    page.locator("footer .w-dropdown__toggle").click()


@pytest.fixture
def coventry(site_tree: None) -> tuple[CouncilIndexPage, User, User]:
    council = CouncilFactory(name="Coventry City Council", slug="coventry")
    section = council_section_create(council=council, parent=HomePage.objects.get(), intro="Local pages.")
    editor = UserFactory(email="editor@coventry.example", first_name="Andrew")
    moderator = UserFactory(email="moderator@coventry.example", first_name="Margaret")
    council_editor_add(council=council, user=editor)
    council_editor_add(council=council, user=moderator, can_publish=True)
    return section, editor, moderator


def test_an_editor_writes_a_guide_a_moderator_publishes_it_and_a_visitor_reads_it(browsing, visit, coventry):
    section, editor, moderator = coventry

    # Given the council's editor writes a guide with several blocks in the Wagtail admin
    writer = browsing.new_page()
    sign_in(writer, visit, editor)
    writer.goto(f"/cms-admin/pages/add/cms/guidepage/{section.pk}/")
    writer.locator("#id_title").fill(GUIDE_TITLE)
    writer.locator("#id_summary").fill("Where to find a short break for your child.")
    _add_block(writer, "Heading")
    writer.locator("#body-0-value").fill("What a short break is")
    _add_block(writer, "Text")
    _type_rich_text(writer, "body-1-value", "A short break gives your child time away doing something they enjoy.")
    _add_block(writer, "Call-out")
    writer.locator("#body-2-value-style").select_option("warning")
    _type_rich_text(writer, "body-2-value-text", "Book early for the school holidays.")
    _add_block(writer, "What a budget can pay for")
    writer.locator("#body-3-value-item").fill("Saturday sports club")
    writer.locator("#body-3-value-price").fill("45.00")
    writer.locator("#body-3-value-price_unit").fill("a session")
    writer.locator("#body-3-value-description").fill("A morning of sport with friends.")
    _add_block(writer, "Link to a directory search")
    writer.locator("#body-4-value-label").fill("Find short breaks near you")
    writer.locator("#body-4-value-q").fill("short breaks")

    # When they submit it for review (they cannot publish it themselves)
    _open_footer_actions(writer)
    expect(writer.locator("button[name='action-publish']")).to_have_count(0)
    writer.locator("button[name='action-submit']").click()

    # Then it is in review and nobody can read it yet
    # Wagtail says "created and submitted" for a page that had not been saved yet, "has been submitted" once
    # its autosave has created the draft first: which one depends on how fast the editor's script ran.
    submitted = re.compile(rf"Page '{re.escape(GUIDE_TITLE)}' (has been|created and) submitted for moderation\.")
    expect(writer.get_by_text(submitted)).to_be_visible()
    guide = GuidePage.objects.get(title=GUIDE_TITLE)
    assert guide.workflow_in_progress and not guide.live
    visitor = browsing.new_page()
    assert visitor.request.get("/coventry/short-breaks-in-coventry/").status == 404

    # When the council's moderator approves it
    approver = browsing.new_page()
    sign_in(approver, visit, moderator)
    approver.goto(f"/cms-admin/pages/{guide.pk}/edit/")
    _open_footer_actions(approver)
    approver.locator("button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])").click()
    approver.wait_for_url(f"**/cms-admin/pages/{section.pk}/")
    guide.refresh_from_db()
    assert guide.live and not guide.workflow_in_progress

    # Then a visitor reads it, with every block in place, and the page passes axe
    visit(visitor, "/coventry/short-breaks-in-coventry/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(GUIDE_TITLE)
    expect(visitor.get_by_role("heading", name="What a short break is")).to_be_visible()
    expect(visitor.locator(".govuk-warning-text")).to_contain_text("Book early for the school holidays.")
    expect(visitor.locator(".govuk-summary-card")).to_contain_text("£45.00 a session")
    expect(visitor.get_by_role("link", name="Find short breaks near you")).to_have_attribute(
        "href", "/search/?q=short+breaks"
    )


def _publish(parent, page):  # type: ignore[no-untyped-def]
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def every_page_type(site_tree: None) -> list[str]:
    home = HomePage.objects.get()
    council = CouncilFactory(name="Gloucestershire County Council", slug="gloucestershire")
    section = council_section_create(council=council, parent=home, intro="Local pages.")
    easy_read = _publish(
        home,
        GuidePage(
            title="Personal budgets: easy read",
            slug="personal-budgets-easy-read",
            summary="An easy read guide.",
            body=[("text", "<p>A personal budget is money for your support.</p>")],
            is_easy_read=True,
        ),
    )
    guide = _publish(
        home,
        GuidePage(
            title="Personal budgets",
            slug="personal-budgets",
            summary="How a personal budget works.",
            easy_read_version=easy_read,
            body=[
                ("heading", "Four ways to hold the money"),
                ("text", '<p>You choose. <a href="/for-families/">Read more</a>.</p><ul><li>one</li></ul>'),
                ("callout", {"style": "warning", "text": "<p>A direct payment cannot pay for residential care.</p>"}),
                ("callout", {"style": "inset", "text": "<p>Ask your lead professional.</p>"}),
                (
                    "accordion",
                    {
                        "sections": [
                            {
                                "heading": "Direct payment",
                                "summary": "Paid to you",
                                "content": "<p>Into a bank account.</p>",
                            },
                            {"heading": "Managed account", "summary": "", "content": "<p>The council pays.</p>"},
                        ]
                    },
                ),
                (
                    "step_by_step",
                    {
                        "heading": "How to start",
                        "steps": [
                            {"heading": "Ask", "content": "<p>Talk to the council.</p>"},
                            {"heading": "Plan", "content": "<p>Make a plan.</p>"},
                        ],
                    },
                ),
                (
                    "story",
                    {
                        "heading": "Tom's year",
                        "person": "Tom, 12",
                        "quote": "",
                        "story": "<p>Football.</p>",
                        "image": None,
                    },
                ),
                (
                    "budget_example",
                    {
                        "item": "Family group conference",
                        "price": Decimal("1500.00"),
                        "price_unit": "a session",
                        "description": "The family made a plan.",
                        "paid_by": "",
                    },
                ),
                ("directory_search", {"label": "Find support near you", "q": "", "category": "", "postcode": ""}),
            ],
        ),
    )
    welsh = _publish(
        home,
        GuidePage(
            title="Taliadau uniongyrchol",
            slug="taliadau-uniongyrchol",
            language="cy",
            summary="Arian i chi.",
            body=[("text", "<p>Taliad uniongyrchol.</p>")],
        ),
    )
    faq = _publish(
        home,
        FaqPage(
            title="Questions families ask",
            slug="questions",
            questions=[("question", {"question": "Can I pay my sister?", "answer": "<p>Usually not.</p>"})],
        ),
    )
    story = _publish(
        NewsIndexPage.objects.child_of(home).get(),
        NewsPage(title="New guides", slug="new-guides", summary="Read them.", body=[("text", "<p>x</p>")]),
    )
    starts = timezone.now() + timedelta(days=14)
    event = _publish(
        EventIndexPage.objects.child_of(home).get(),
        EventPage(
            title="Provider forum",
            slug="provider-forum",
            summary="Meet commissioners.",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            attendance=Attendance.BOTH,
            venue="Shire Hall, Gloucester",
            online_details="On Teams",
            booking_url="https://example.org/book",
        ),
    )
    statement = _publish(
        section,
        MarketPositionStatementPage(
            title="Market position statement",
            slug="market-position-statement",
            period="2026 to 2027",
            summary="What families want to buy.",
            body=[("text", "<p>More short breaks at weekends.</p>")],
        ),
    )
    pages = [guide, easy_read, welsh, faq, story, event, statement, section]
    return ["/", "/for-families/", "/news/", "/events/", *(page.url for page in pages), "/site-search/?q=budget"]


def test_every_public_page_type_passes_axe(page, visit, every_page_type):
    for url in every_page_type:
        visit(page, url)


def test_every_public_page_type_passes_axe_without_javascript(no_js_page, visit, every_page_type):
    for url in every_page_type:
        visit(no_js_page, url)


def test_accordion_sections_are_open_without_javascript_and_closed_with_it(page, no_js_page, visit, every_page_type):
    visit(no_js_page, "/personal-budgets/")
    expect(no_js_page.get_by_text("Into a bank account.")).to_be_visible()

    visit(page, "/personal-budgets/")
    expect(page.get_by_text("Into a bank account.")).to_be_hidden()
    page.get_by_role("button", name="Direct payment").click()
    expect(page.get_by_text("Into a bank account.")).to_be_visible()
