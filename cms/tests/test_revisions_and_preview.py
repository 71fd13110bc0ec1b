"""Every save keeps a revision that can be published again, and editors can preview a draft."""

import pytest

from cms.models import GuidePage
from cms.tests.pages import guide, home, publish

pytestmark = pytest.mark.django_db


def test_each_save_keeps_a_revision_and_an_older_one_can_be_published_again(client):
    page = publish(home(), guide("Direct payments", summary="First words."))
    first = page.live_revision
    page.summary = "Second words."
    page.save_revision().publish()

    first.publish()

    assert page.revisions.count() == 2
    assert "First words." in client.get(page.url).content.decode()


def test_a_draft_change_is_not_shown_until_it_is_published(client):
    page = publish(home(), guide("Direct payments", summary="Published words."))
    page.summary = "Draft words."
    page.save_revision()

    html = client.get(page.url).content.decode()

    assert "Published words." in html and "Draft words." not in html


def test_preview_shows_the_draft_in_the_public_template():
    page = publish(home(), guide("Direct payments", summary="Published words."))
    draft: GuidePage = page.get_latest_revision_as_object()
    draft.summary = "Draft words."

    response = draft.make_preview_request()

    assert response.status_code == 200
    assert "Draft words." in response.content.decode()
