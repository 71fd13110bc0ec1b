"""Where each page type may go, what it may contain, and the fields it needs before publishing."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from accounts.roles import OrganisationKind
from accounts.tests.factories import CouncilFactory, OrganisationFactory
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
    StandardPage,
)
from cms.tests.pages import events_index, guide, home, later, publish

pytestmark = pytest.mark.django_db


def _allowed_children(page_class: type[Page]) -> set[type[Page]]:
    return set(page_class.allowed_subpage_models())


def test_home_page_sits_at_the_root_once_and_holds_sections_news_events_and_councils():
    assert HomePage.allowed_parent_page_models() == [Page]
    assert not HomePage.can_create_at(Page.get_first_root_node())  # there is one already
    assert _allowed_children(HomePage) == {
        StandardPage,
        GuidePage,
        FaqPage,
        NewsIndexPage,
        EventIndexPage,
        CouncilIndexPage,
    }


def test_news_stories_go_only_in_a_news_index_and_events_only_in_an_events_index():
    assert NewsPage.allowed_parent_page_models() == [NewsIndexPage]
    assert EventPage.allowed_parent_page_models() == [EventIndexPage]
    assert _allowed_children(NewsIndexPage) == {NewsPage}
    assert _allowed_children(EventIndexPage) == {EventPage}
    assert _allowed_children(NewsPage) == set() and _allowed_children(EventPage) == set()


def test_a_site_or_council_has_one_news_index_and_one_events_index():
    assert not NewsIndexPage.can_create_at(home())
    assert not EventIndexPage.can_create_at(home())


def test_guides_go_in_sections_guides_and_council_areas_and_hold_further_guides():
    assert set(GuidePage.allowed_parent_page_models()) == {HomePage, StandardPage, GuidePage, CouncilIndexPage}
    assert _allowed_children(GuidePage) == {GuidePage, FaqPage}
    assert _allowed_children(FaqPage) == set()


def test_a_market_position_statement_belongs_to_a_council_section():
    assert MarketPositionStatementPage.allowed_parent_page_models() == [CouncilIndexPage]
    assert MarketPositionStatementPage in _allowed_children(CouncilIndexPage)
    assert MarketPositionStatementPage not in _allowed_children(HomePage)
    assert CouncilIndexPage.allowed_parent_page_models() == [HomePage]


@pytest.mark.parametrize("missing", ["summary", "body"])
def test_a_guide_cannot_be_published_without_a_summary_and_a_body(missing):
    page = guide()
    setattr(page, missing, "" if missing == "summary" else [])

    with pytest.raises(ValidationError) as error:
        publish(home(), page)

    assert missing in error.value.message_dict


def test_a_news_story_needs_a_summary():
    page = NewsPage(title="New guides", slug="new-guides", body=[("text", "<p>x</p>")])

    with pytest.raises(ValidationError) as error:
        publish(NewsIndexPage.objects.get(), page)

    assert "summary" in error.value.message_dict


def _event(**fields) -> EventPage:  # type: ignore[no-untyped-def]
    values = {
        "title": "Family session",
        "slug": "family-session",
        "summary": "Getting started with a direct payment.",
        "starts_at": later(days=7),
        "attendance": Attendance.IN_PERSON,
        "venue": "Central Library",
    }
    return EventPage(**{**values, **fields})


def test_an_event_in_person_needs_a_place():
    with pytest.raises(ValidationError) as error:
        publish(events_index(), _event(venue=" "))

    assert "venue" in error.value.message_dict


def test_an_online_event_needs_joining_details_but_no_place():
    with pytest.raises(ValidationError) as error:
        publish(events_index(), _event(attendance=Attendance.ONLINE, venue=""))
    assert set(error.value.message_dict) == {"online_details"}

    event = publish(events_index(), _event(attendance=Attendance.ONLINE, venue="", online_details="On Zoom"))
    assert event.live


def test_an_event_cannot_end_before_it_starts():
    with pytest.raises(ValidationError) as error:
        publish(events_index(), _event(ends_at=later(days=6)))

    assert "ends_at" in error.value.message_dict


def test_an_event_draft_may_leave_the_place_until_it_is_published():
    event = _event(venue="", live=False)
    events_index().add_child(instance=event)  # a draft is saved without the publishing checks

    event.defers_publish_checks = True  # as the editor's form sets it while saving a draft
    event.full_clean()
    event.defers_publish_checks = False
    with pytest.raises(ValidationError):
        event.save_revision().publish()


def test_a_council_section_must_belong_to_a_council():
    provider = OrganisationFactory(kind=OrganisationKind.PROVIDER)

    with pytest.raises(ValidationError) as error:
        publish(home(), CouncilIndexPage(title="Not a council", slug="nope", council=provider, intro="x"))

    assert "council" in error.value.message_dict


def test_a_market_position_statement_knows_its_council():
    council = CouncilFactory()
    section = publish(home(), CouncilIndexPage(title="Area", slug="area", council=council, intro="Local pages."))
    statement = publish(
        section,
        MarketPositionStatementPage(
            title="Our market", slug="market", period="2026 to 2027", summary="x", body=[("text", "<p>x</p>")]
        ),
    )

    assert statement.council == council


def test_a_market_position_statement_needs_the_years_it_covers():
    section = publish(home(), CouncilIndexPage(title="Area", slug="area", council=CouncilFactory(), intro="x"))

    with pytest.raises(ValidationError) as error:
        publish(
            section, MarketPositionStatementPage(title="Ours", slug="ours", summary="x", body=[("text", "<p>x</p>")])
        )

    assert "period" in error.value.message_dict
