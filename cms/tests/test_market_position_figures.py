"""Live figures in a market position statement: each registered figure on a hand-built market with known
answers, computed for the council whose section holds the page and never another's.

Coventry's market (pounds, financial year 2026 to 2027):

- Sunrise, a charity, framework member for short breaks from 1 May 2026, offers short breaks at 10.00 an
  hour; an early-help budget paid it 100 for short breaks and 50 for tuition on an order at 20.00 an hour;
- Big Care (declares 50 staff) offers short breaks at 20.00; a social-care budget paid it 200 for short
  breaks on an order at 30.00;
- three more providers offer short breaks at 12.00, 14.00 and 16.00;
- Coventry's districts are CV1 and CV3; Sunrise's short breaks reach CV1 only;
- verified DBS checks lapse in 10 and 45 days, and in 120 days (beyond the bands); public liability
  insurance lapses in 70 days;
- families searched for short breaks twice in CV3 (which nobody supplies) and once in CV1 in May 2026.

Birmingham has its own offer at 100.00, an order at 500.00 paid 999.00, a DBS check and insurance lapsing in
10 days: none of it may ever show on Coventry's page.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.tests.factories import CouncilFactory
from brokerage.tests.factories import FundingStreamFactory
from cms.blocks import FIGURE_WITHDRAWN, OUTSIDE_A_COUNCIL
from cms.models import MarketPositionStatementPage
from cms.services import council_section_create
from cms.tests.pages import home, publish
from marketplace.insights.figures import FIGURES, live_figure
from marketplace.insights.scope import InsightScope
from marketplace.tests.insights_factories import (
    YEAR,
    allocation_in,
    order_of,
    paid,
    priced_offer,
    provider_of,
)
from marketplace.tests.test_insights_frameworks import reaching
from marketplace.tests.test_insights_spend import declared, framework_of
from marketplace.tests.test_insights_supply import signal
from providers.models import DBSCheck, InsurancePolicy
from search.tests.factories import BIRMINGHAM, COVENTRY, gazetteer

pytestmark = pytest.mark.django_db

# What the public page costs before its figures: the site, the page and its section, the site settings and
# navigation. Each figure adds a fixed number of queries, whatever the size of the market.
PAGE_QUERIES = 12


def dbs(holder, days: int) -> None:  # type: ignore[no-untyped-def]
    DBSCheck.objects.create(
        organisation=holder,
        person_name=f"Person {days}",
        level="enhanced_children",
        certificate_number="001234567890",
        certificate_last4="7890",
        issue_date=datetime.date(2024, 1, 1),
        verification="verified",
        current_until=timezone.localdate() + datetime.timedelta(days=days),
    )


def insured(holder, days: int) -> None:  # type: ignore[no-untyped-def]
    InsurancePolicy.objects.create(
        organisation=holder,
        kind="public_liability",
        insurer="Acme",
        cover_amount="5000000.00",
        expires_on=timezone.localdate() + datetime.timedelta(days=days),
        verification="verified",
    )


def _birmingham_market(birmingham) -> None:  # type: ignore[no-untyped-def]
    elsewhere = provider_of(birmingham, "Brum Club")
    offer = priced_offer(organisation=elsewhere, amount="100.00")
    stream = FundingStreamFactory(council=birmingham, name="Brum stream")
    paid(order_of(allocation_in(birmingham, stream=stream), offer, "500.00"), "999.00", category="short-breaks")
    dbs(elsewhere, 10)
    insured(elsewhere, 10)
    framework_of(birmingham, {"short-breaks": [elsewhere]})
    signal("2026-05", "B1", categories=["short-breaks"], code=BIRMINGHAM)


@pytest.fixture
def market():  # type: ignore[no-untyped-def]
    gazetteer()  # Coventry's districts are CV1 and CV3
    coventry = CouncilFactory(name="Coventry City Council", slug="coventry", ons_code=COVENTRY)
    birmingham = CouncilFactory(name="Birmingham City Council", slug="birmingham", ons_code=BIRMINGHAM)
    sunrise = provider_of(coventry, "Sunrise", charity_number="1100001")
    big = provider_of(coventry, "Big Care")
    declared(big, 50)
    framework_of(coventry, {"short-breaks": [sunrise]})
    sunrise_offer = priced_offer(organisation=sunrise, amount="10.00")
    reaching(sunrise_offer, "CV1")
    for amount in ("12.00", "14.00", "16.00"):
        priced_offer(coventry, amount)
    early_help = FundingStreamFactory(council=coventry, name="Early help")
    social_care = FundingStreamFactory(council=coventry, name="Social care")
    sunrise_order = order_of(allocation_in(coventry, stream=early_help), sunrise_offer, "20.00")
    paid(sunrise_order, "100.00", category="short-breaks")
    paid(sunrise_order, "50.00", category="tuition")
    big_order = order_of(
        allocation_in(coventry, stream=social_care), priced_offer(organisation=big, amount="20.00"), "30.00"
    )
    paid(big_order, "200.00", category="short-breaks")
    for days in (10, 45, 120):
        dbs(sunrise, days)
    insured(big, 70)
    for district in ("CV3", "CV3", "CV1"):
        signal("2026-05", district, categories=["short-breaks"])
    _birmingham_market(birmingham)
    return coventry, birmingham


def figure_of(key: str, council) -> tuple[str, list[tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    figure = live_figure(key, InsightScope(council, YEAR))
    return figure.headline, list(figure.rows)


EXPECTED = {
    "spend-by-stream": (
        "£350.00 was spent from personal budgets in 2026 to 2027.",
        [("Early help", "£150.00", "fewer than 5"), ("Social care", "£200.00", "fewer than 5")],
    ),
    "spend-by-category": (
        "£350.00 was spent from personal budgets in 2026 to 2027.",
        [("Short breaks", "£300.00"), ("Tuition", "£50.00")],
    ),
    "spend-by-held-as": (
        "£350.00 was spent from personal budgets in 2026 to 2027.",
        [("Managed by the council", "£350.00")],
    ),
    "spend-small-voluntary": (
        "43% of the £350.00 spent in 2026 to 2027 went to small or voluntary providers.",
        [
            ("With charities", "£150.00"),
            ("With small providers (fewer than 10 staff, or a personal assistant)", "£0.00"),
            ("With small or voluntary providers", "£150.00"),
            ("All spend", "£350.00"),
        ],
    ),
    "prices-offered": (
        "Providers publish prices for 1 kinds of support and unit.",
        [("Short breaks", "per hour", "5", "£12.00", "£14.00", "£16.00")],
    ),
    "rates-paid": (
        "Budget holders agreed 2 orders with a kind of support recorded in 2026 to 2027.",
        [("Short breaks", "per hour", "2", "£22.50", "£25.00", "£27.50")],
    ),
    "dbs-lapsing": (
        "2 verified DBS checks in the market lapse in the next 90 days.",
        [("Within 30 days", "1"), ("Within 60 days", "2"), ("Within 90 days", "2")],
    ),
    "insurance-lapsing": (
        "1 verified insurance policies in the market lapse in the next 90 days.",
        [("Within 30 days", "0"), ("Within 60 days", "0"), ("Within 90 days", "1")],
    ),
    "supply-gaps": (
        "The 2 biggest gaps between what families looked for in 2026 to 2027 and the support available, largest first.",
        [("Short breaks", "CV3", "0", "fewer than 5"), ("Short breaks", "CV1", "1", "fewer than 5")],
    ),
    "framework-coverage": (
        "0 of 1 framework lots reach every postcode district of the council.",
        [("Short Breaks Framework, lot 1: short-breaks", "1 of 2", "CV3")],
    ),
}


def test_every_registered_figure_has_known_answers_here():
    assert set(FIGURES) == set(EXPECTED)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_figure_counts_only_the_councils_market(market, key):
    coventry, _ = market
    assert figure_of(key, coventry) == EXPECTED[key]


def test_children_counted_per_stream_are_suppressed_under_five_and_shown_from_five(market):
    coventry, _ = market
    stream = FundingStreamFactory(council=coventry, name="Short breaks fund")
    sunrise_offer = priced_offer(coventry, "10.00")
    for number in range(5):
        allocation = allocation_in(coventry, stream=stream)
        paid(order_of(allocation, sunrise_offer, "10.00"), "1.00", key=f"child-{number}")
        _, rows = figure_of("spend-by-stream", coventry)
        expected = "5" if number == 4 else "fewer than 5"
        assert ("Short breaks fund", f"£{number + 1}.00", expected) in rows


def test_another_councils_figures_are_its_own(market):
    _, birmingham = market
    assert figure_of("spend-by-stream", birmingham) == (
        "£999.00 was spent from personal budgets in 2026 to 2027.",
        [("Brum stream", "£999.00", "fewer than 5")],
    )
    assert figure_of("dbs-lapsing", birmingham)[1][0] == ("Within 30 days", "1")


def test_a_figure_with_nothing_to_count_says_so():
    headline, rows = figure_of("spend-small-voluntary", CouncilFactory(name="Empty Council"))
    assert headline == "Nothing has been spent from personal budgets in 2026 to 2027 yet."
    assert rows[-1] == ("All spend", "£0.00")
    assert figure_of("framework-coverage", CouncilFactory(name="No Frameworks"))[0] == (
        "The council has no framework running in 2026 to 2027."
    )


# --- The page --------------------------------------------------------------------------------------------


def block(figure: str, *, year: str = str(YEAR), heading: str = "", note: str = "", chart: bool = True):  # type: ignore[no-untyped-def]
    return ("live_figure", {"figure": figure, "heading": heading, "note": note, "show_chart": chart, "year": year})


def statement(parent, *blocks, slug: str = "market-position-statement") -> MarketPositionStatementPage:  # type: ignore[no-untyped-def]
    return publish(
        parent,
        MarketPositionStatementPage(
            title="Market position statement",
            slug=slug,
            period="2026 to 2027",
            summary="What families want to buy.",
            body=[("text", "<p>We need more short breaks.</p>"), *blocks],
        ),
    )


def section_of(council):  # type: ignore[no-untyped-def]
    return council_section_create(council=council, parent=home(), intro=f"Pages from {council.name}.")


def test_the_page_shows_the_figure_with_chart_table_note_and_time_counted(client, market):
    coventry, _ = market
    page = statement(section_of(coventry), block("spend-by-stream", heading="Where the money goes", note="Plan ahead."))

    html = client.get(page.url).content.decode()

    assert '<h2 class="govuk-heading-m" id="live-figure-' in html and "Where the money goes</h2>" in html
    assert "£350.00 was spent from personal budgets in 2026 to 2027." in html
    assert "Plan ahead." in html
    assert 'class="app-bar-chart"' in html
    assert "Spend by funding stream, 2026 to 2027: the figures</caption>" in html
    assert (
        '<th scope="row" class="govuk-table__header">Early help</th><td class="govuk-table__cell">£150.00</td>' in html
    )
    assert "fewer than 5" in html and "Counts of children under 5" in html
    assert "Figures as at <time datetime=" in html


def test_the_chart_is_left_out_when_the_editor_says_so(client, market):
    coventry, _ = market
    page = statement(section_of(coventry), block("spend-by-category", chart=False))

    html = client.get(page.url).content.decode()

    assert 'class="app-bar-chart"' not in html
    assert "£300.00" in html


def test_the_page_of_one_council_never_shows_another_councils_figures(client, market):
    coventry, birmingham = market
    ours = statement(section_of(coventry), block("spend-by-stream"), block("prices-offered"))
    theirs = statement(section_of(birmingham), block("spend-by-stream"), block("prices-offered"))

    ours_html, theirs_html = (client.get(page.url).content.decode() for page in (ours, theirs))

    assert "£350.00" in ours_html and "£999.00" not in ours_html and "Brum stream" not in ours_html
    assert "£999.00" in theirs_html and "Early help" not in theirs_html and "£350.00" not in theirs_html


def test_a_statement_outside_a_council_section_shows_a_message_instead_of_figures(client, market):
    # The page rules allow a statement only inside a council section; one put elsewhere (by a script, or a
    # section deleted around it) must still answer, with no council's figures.
    page = statement(home(), block("spend-by-stream"), slug="stray-statement")

    response = client.get(page.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert OUTSIDE_A_COUNCIL.replace("'", "&#x27;") in html
    assert "£" not in html


def test_a_figure_no_longer_offered_shows_a_message(client, market):
    coventry, _ = market
    page = statement(section_of(coventry), block("withdrawn-figure"))

    response = client.get(page.url)

    assert response.status_code == 200
    assert FIGURE_WITHDRAWN in response.content.decode()


def test_current_year_follows_the_date_of_the_view(client, market):
    coventry, _ = market
    page = statement(section_of(coventry), block("spend-by-stream", year="current"))

    with time_machine.travel(datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)):
        assert "£350.00 was spent from personal budgets in 2026 to 2027." in client.get(page.url).content.decode()
    with time_machine.travel(datetime.datetime(2027, 5, 1, 12, 0, tzinfo=datetime.UTC)):
        assert "£0.00 was spent from personal budgets in 2027 to 2028." in client.get(page.url).content.decode()


def test_figures_are_counted_again_on_every_view_and_never_cached(client, market):
    coventry, _ = market
    page = statement(section_of(coventry), block("spend-by-category"))
    first = client.get(page.url)
    paid(
        order_of(allocation_in(coventry), priced_offer(coventry, "10.00"), "10.00"),
        "7.00",
        category="tuition",
    )

    second = client.get(page.url)

    assert "£50.00" in first.content.decode() and "£57.00" in second.content.decode()
    assert "no-cache" in second["Cache-Control"] and "private" in second["Cache-Control"]


def test_the_editors_preview_shows_the_live_figures(market):
    coventry, _ = market
    page = statement(section_of(coventry), block("spend-by-held-as"))

    response = page.make_preview_request()

    assert response.status_code == 200
    assert "Managed by the council" in response.content.decode()


def test_a_page_with_every_figure_takes_a_bounded_number_of_queries(client, market, django_assert_max_num_queries):
    coventry, _ = market
    page = statement(section_of(coventry), *(block(key) for key in FIGURES))

    with django_assert_max_num_queries(PAGE_QUERIES + 60):
        response = client.get(page.url)

    assert response.status_code == 200
    assert "Sunrise" not in response.content.decode()  # aggregates only: no provider is named
