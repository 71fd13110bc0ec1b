"""Every page type renders with GOV.UK Frontend markup, with each of its blocks."""

from decimal import Decimal

import pytest

from accounts.tests.factories import CouncilFactory
from cms.models import (
    Attendance,
    CouncilIndexPage,
    EventPage,
    FaqPage,
    GuidePage,
    MarketPositionStatementPage,
    NewsPage,
    StandardPage,
)
from cms.tests.pages import events_index, home, later, news_index, publish, text

pytestmark = pytest.mark.django_db

EVERY_GUIDE_BLOCK = [
    ("heading", "What you can buy"),
    text('<p>Your budget pays for <a href="/for-families/">support</a>.</p><ul><li>tuition</li></ul>'),
    ("inset", "<p>Ask your lead professional first.</p>"),
    ("callout", {"style": "warning", "text": "<p>A direct payment cannot pay for residential care.</p>"}),
    (
        "accordion",
        {
            "sections": [
                {
                    "heading": "Direct payments",
                    "summary": "Money paid to you",
                    "content": "<p>Paid into a bank account.</p>",
                },
                {"heading": "Managed accounts", "summary": "", "content": "<p>The council pays for you.</p>"},
            ]
        },
    ),
    (
        "step_by_step",
        {
            "heading": "How to start",
            "steps": [
                {"heading": "Ask for an assessment", "content": "<p>Talk to your council.</p>"},
                {"heading": "Make your plan", "content": "<p>Say what you want to change.</p>"},
            ],
        },
    ),
    (
        "story",
        {
            "heading": "Tom's football",
            "person": "Tom, 12",
            "quote": "I never miss a match now.",
            "story": "<p>His uncle drives him.</p>",
            "image": None,
        },
    ),
    (
        "budget_example",
        {
            "item": "Family group conference",
            "price": Decimal("1500.00"),
            "price_unit": "a session",
            "description": "The whole family met to make a plan.",
            "paid_by": "The council paid the provider",
        },
    ),
    (
        "directory_search",
        {"label": "Find short breaks", "q": "short breaks", "category": "short-breaks", "postcode": ""},
    ),
]


def _html(client, page) -> str:  # type: ignore[no-untyped-def]
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_guide_renders_every_block_in_govuk_markup(client):
    guide = publish(
        home(), GuidePage(title="Paying for support", slug="paying", summary="How it works.", body=EVERY_GUIDE_BLOCK)
    )

    html = _html(client, guide)

    assert '<h2 class="govuk-heading-m">What you can buy</h2>' in html
    assert '<p class="govuk-body"' in html and '<a class="govuk-link" href="/for-families/"' in html
    assert '<ul class="govuk-list govuk-list--bullet"' in html
    assert 'class="govuk-inset-text"' in html
    assert 'class="govuk-warning-text"' in html and "residential care" in html
    assert 'class="govuk-accordion" data-module="govuk-accordion"' in html
    assert html.count('class="govuk-accordion__section"') == 2
    assert 'class="app-step-by-step__list"' in html and "Step 2: </span>Make your plan" in html
    assert "Tom, 12" in html and "I never miss a match now." in html
    assert "£1,500.00 a session" in html
    # A directory link opens the find-support page with the search filled in.
    assert 'href="/search/?q=short+breaks&amp;category=short-breaks"' in html


def test_directory_links_fill_in_the_find_support_search_once_the_page_exists(monkeypatch):
    from cms import blocks

    monkeypatch.setattr(blocks, "reverse", lambda name: "/search/" if name == blocks.FIND_SUPPORT_URL_NAME else "")
    value = blocks.DirectorySearchLinkBlock().to_python(
        {"label": "Find short breaks", "q": "short breaks", "category": "short-breaks", "postcode": ""}
    )

    assert value.url() == "/search/?q=short+breaks&category=short-breaks"


def test_accordion_sections_are_in_the_page_without_javascript(client):
    guide = publish(home(), GuidePage(title="Ways to hold", slug="ways", summary="Choices.", body=EVERY_GUIDE_BLOCK))

    html = _html(client, guide)

    # GOV.UK Frontend hides section content only once its script has run; the text is in the HTML.
    assert "Paid into a bank account." in html and "The council pays for you." in html


def test_standard_page_lists_the_guides_inside_it(client):
    families = StandardPage.objects.get(slug="for-families")
    publish(
        families,
        GuidePage(
            title="Direct payments", slug="direct-payments", summary="Money paid to you.", body=[text("<p>x</p>")]
        ),
    )

    html = _html(client, families)

    assert "In this section" in html and "Direct payments" in html and "Money paid to you." in html


def test_faq_page_lists_its_questions_and_links_to_each_answer(client):
    faq = publish(
        home(),
        FaqPage(
            title="Questions families ask",
            slug="faq",
            questions=[
                ("heading", "Money"),
                (
                    "question",
                    {"question": "Can I pay my sister?", "answer": "<p>Usually not if she lives with you.</p>"},
                ),
            ],
        ),
    )

    html = _html(client, faq)

    question_id = faq.questions[1].id
    assert f'href="#question-{question_id}"' in html
    assert f'id="question-{question_id}">Can I pay my sister?</h2>' in html


def test_news_story_and_news_index_render(client):
    story = publish(
        news_index(),
        NewsPage(title="New guides", slug="new-guides", summary="Read them.", body=[text("<p>Hello.</p>")]),
    )

    assert "New guides" in _html(client, news_index())
    assert "Read them." in _html(client, story)


def test_event_shows_when_where_how_to_join_and_how_to_book(client):
    event = publish(
        events_index(),
        EventPage(
            title="Provider forum",
            slug="provider-forum",
            summary="Meet commissioners.",
            starts_at=later(days=10),
            ends_at=later(days=10, hours=2),
            attendance=Attendance.BOTH,
            venue="Council House, Coventry",
            online_details="On Microsoft Teams",
            booking_url="https://example.org/book",
        ),
    )

    html = _html(client, event)

    assert "Online and in person" in html
    assert "Council House, Coventry" in html and "On Microsoft Teams" in html
    assert 'href="https://example.org/book"' in html
    assert "Provider forum" in _html(client, events_index())


def test_council_section_and_its_market_position_statement_render(client):
    council = CouncilFactory(name="Coventry City Council", email="send@coventry.example")
    section = publish(
        home(), CouncilIndexPage(title="Coventry", slug="coventry", council=council, intro="Local pages.")
    )
    statement = publish(
        section,
        MarketPositionStatementPage(
            title="Market position statement",
            slug="market-position",
            period="2026 to 2027",
            summary="We need more short breaks at weekends.",
            body=[text("<p>Personal assistants are hard to find in rural areas.</p>")],
        ),
    )

    assert "send@coventry.example" in _html(client, section)
    html = _html(client, statement)
    assert "Market position statement, Coventry City Council" in html and "2026 to 2027" in html


def test_pages_below_the_home_page_show_breadcrumbs(client):
    families = StandardPage.objects.get(slug="for-families")
    guide = publish(families, GuidePage(title="Direct payments", slug="dp", summary="Money.", body=[text("<p>x</p>")]))

    html = _html(client, guide)

    assert 'class="govuk-breadcrumbs"' in html
    assert 'href="/for-families/">Support for families and young people</a>' in html
