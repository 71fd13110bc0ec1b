"""Scheduled publishing: a page approved to go live later appears when `publish_scheduled` runs after
its time, and not before."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from cms.models import NewsPage
from cms.tests.pages import news_index

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 30, 9, 0, tzinfo=LONDON)
GO_LIVE = datetime(2026, 4, 1, 7, 0, tzinfo=LONDON)


@pytest.fixture
def scheduled_story():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        page = NewsPage(
            title="The National Living Wage goes up today",
            slug="national-living-wage-april-2026",
            summary="Personal assistants aged 21 and over must be paid at least £12.71 an hour.",
            body=[("text", "<p>Check your PA's pay.</p>")],
            go_live_at=GO_LIVE,
            live=False,
        )
        news_index().add_child(instance=page)
        page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_a_page_scheduled_for_later_is_not_live_yet(scheduled_story):
    assert not scheduled_story.live
    assert scheduled_story.status_string == "scheduled"


def test_publish_scheduled_before_the_time_leaves_the_page_waiting(scheduled_story):
    with time_machine.travel(datetime(2026, 4, 1, 6, 59, tzinfo=LONDON), tick=False):
        call_command("publish_scheduled")

    scheduled_story.refresh_from_db()
    assert not scheduled_story.live


def test_publish_scheduled_after_the_time_publishes_the_page(client, scheduled_story):
    with time_machine.travel(datetime(2026, 4, 1, 7, 5, tzinfo=LONDON), tick=False):
        call_command("publish_scheduled")

    scheduled_story.refresh_from_db()
    assert scheduled_story.live
    assert "goes up today" in client.get(news_index().url).content.decode()
