"""demo_data publishes the seed content: guides, news, events and a section for each council, with the
easy-read link, the featured guides on the home page, and editors for the demo councils."""

import pytest
from django.contrib.auth.models import Group

from cms.models import CouncilIndexPage, EventPage, GuidePage, HomePage, MarketPositionStatementPage, NewsPage
from demo import runner
from demo.builders.cms import TALLY_LABEL
from demo.builders.pa_adverts import EMPLOYER_GUIDES
from demo.councils import DEMO_COUNCILS

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(demo_built):  # type: ignore[no-untyped-def]
    # Built once for the module (conftest.py); each test's changes are rolled back.
    return demo_built


def test_demo_data_publishes_the_guides_news_events_and_council_sections(built):
    # The CMS builder's 13 guides, and the PA recruitment builder's guides to employing a PA.
    assert GuidePage.objects.live().count() == 13 + len(EMPLOYER_GUIDES)
    assert NewsPage.objects.live().count() == 3
    assert EventPage.objects.live().count() == 4
    assert CouncilIndexPage.objects.live().count() == len(DEMO_COUNCILS)
    assert MarketPositionStatementPage.objects.live().count() == len(DEMO_COUNCILS)


def test_the_home_page_shows_featured_guides_and_the_latest_news(client, built):
    html = client.get("/").content.decode()

    assert "Personal budgets: how they work" in html
    assert "What a budget can pay for" in html
    assert "The National Living Wage is now £12.71 an hour" in html


def test_the_personal_budgets_guide_and_its_easy_read_version_link_both_ways(client, built):
    guide = GuidePage.objects.get(slug="personal-budgets")
    easy_read = GuidePage.objects.get(slug="personal-budgets-easy-read")

    assert guide.easy_read_version == easy_read
    assert f'href="{guide.url}"' in client.get(easy_read.url).content.decode()


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/for-families/what-a-budget-can-pay-for/", "£1,500.00 a session"),
        ("/for-families/employing-a-personal-assistant/", "£12.71 an hour"),
        ("/for-families/seven-steps/", "Check and learn"),
        ("/for-families/dbs-checks-for-families/", "an enhanced check with the children"),
        ("/for-providers/how-providers-join/", "Send an invoice and get paid"),
        ("/for-families/peoples-stories/", "Tom, 12"),
    ],
)
def test_seed_guides_render(client, built, path, words):
    response = client.get(path)

    assert response.status_code == 200
    assert words in response.content.decode()


def test_the_coventry_commissioner_edits_and_the_administrator_approves_coventrys_pages(built):
    assert (
        Group.objects.get(name="Coventry City Council editors")
        .user_set.filter(email="commissioner@coventry.demo")
        .exists()
    )
    assert (
        Group.objects.get(name="Coventry City Council moderators").user_set.filter(email="admin@coventry.demo").exists()
    )


def test_running_demo_data_again_creates_no_more_pages(built):
    pages_before = HomePage.objects.get().get_descendants().count()

    again = runner.demo_data_build()

    assert HomePage.objects.get().get_descendants().count() == pages_before
    assert again.tally.counts[TALLY_LABEL].created == 0


def test_each_councils_market_position_statement_shows_its_live_figures(client, built):
    for statement in MarketPositionStatementPage.objects.live():
        html = client.get(statement.url).content.decode()
        assert html.count("Figures as at") == 5, statement.url
        assert "Live figures show only" not in html
