"""The home page shows featured guides, the latest news and what is coming up."""

from datetime import date

import pytest

from cms import selectors
from cms.models import Attendance, EventPage, HomePage, NewsPage
from cms.tests.pages import events_index, guide, home, later, news_index, publish

pytestmark = pytest.mark.django_db


def _news(title: str, day: date) -> NewsPage:
    return publish(
        news_index(),
        NewsPage(
            title=title,
            slug=title.lower().replace(" ", "-"),
            date=day,
            summary=f"{title}.",
            body=[("text", "<p>x</p>")],
        ),
    )


def _event(title: str, **when) -> EventPage:  # type: ignore[no-untyped-def]
    return publish(
        events_index(),
        EventPage(
            title=title,
            slug=title.lower().replace(" ", "-"),
            summary=f"{title}.",
            attendance=Attendance.ONLINE,
            online_details="On Teams",
            **when,
        ),
    )


def test_latest_news_is_newest_first_and_leaves_out_unpublished_stories():
    _news("Older story", date(2026, 1, 5))
    _news("Newer story", date(2026, 4, 1))
    _news("Withdrawn story", date(2026, 5, 1)).unpublish()

    titles = [page.title for page in selectors.latest_news(within=home())]

    assert titles == ["Newer story", "Older story"]


def test_upcoming_events_are_soonest_first_and_past_events_are_listed_apart():
    _event("Next month", starts_at=later(days=30))
    _event("Next week", starts_at=later(days=7))
    _event("Last week", starts_at=later(days=-7))
    _event("On now", starts_at=later(hours=-1), ends_at=later(hours=1))

    assert [e.title for e in selectors.upcoming_events(within=home())] == ["On now", "Next week", "Next month"]
    assert [e.title for e in selectors.past_events(within=home(), limit=5)] == ["Last week"]


def test_home_page_shows_featured_guides_in_the_chosen_order_and_the_latest_news(client):
    first = publish(home(), guide("What a budget can pay for"))
    second = publish(home(), guide("The seven steps"))
    unpublished = publish(home(), guide("Old guide"))
    unpublished.unpublish()
    page: HomePage = home()
    page.featured_guides = [("guide", second), ("guide", first), ("guide", unpublished)]
    page.save_revision().publish()
    _news("New guides for families", date(2026, 4, 1))

    html = client.get("/").content.decode()

    assert html.index("The seven steps") < html.index("What a budget can pay for")
    assert "Old guide" not in html
    assert "New guides for families" in html
