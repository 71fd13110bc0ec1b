"""Site search finds live, public pages of every type, and nothing else."""

import pytest
from wagtail.models import PageViewRestriction

from cms.models import NewsPage
from cms.tests.pages import guide, home, news_index, publish

pytestmark = pytest.mark.django_db


def _search(client, words: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get("/site-search/", {"q": words})
    assert response.status_code == 200
    return response.content.decode()


def test_site_search_finds_guides_and_news(client):
    publish(home(), guide("Employing a personal assistant", summary="Right to work, insurance and payroll."))
    publish(
        news_index(),
        NewsPage(title="Payroll services", slug="payroll", summary="Payroll news.", body=[("text", "<p>x</p>")]),
    )

    html = _search(client, "payroll")

    assert "Employing a personal assistant" in html and "Payroll services" in html


def test_site_search_leaves_out_drafts_and_private_pages(client):
    draft = guide("Payroll draft guide", live=False)
    home().add_child(instance=draft)
    draft.save_revision()
    private = publish(home(), guide("Payroll private guide"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    html = _search(client, "payroll")

    assert "Payroll draft guide" not in html and "Payroll private guide" not in html


def test_site_search_ignores_nul_characters(client):
    publish(home(), guide("Employing a personal assistant", summary="Right to work, insurance and payroll."))

    assert "Employing a personal assistant" in _search(client, "pay\x00roll")
    assert "Employing a personal assistant" not in _search(client, "\x00")
