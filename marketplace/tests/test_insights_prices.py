"""Prices: distributions of offers' prices and orders' rates, outliers and framework rates, on a market with
known answers (see insights_factories)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from brokerage.tests.factories import FundingStreamFactory
from marketplace.insights.prices import (
    distributions,
    offered_prices,
    offered_with_outliers,
    paid_rates,
    percentile_of,
    price_figures,
)
from marketplace.insights.scope import InsightScope
from marketplace.models import OrderStatus
from marketplace.tests.insights_factories import (
    PAGE_QUERIES,
    YEAR,
    allocation_in,
    assistant_offer,
    commissioner,
    council,
    order_of,
    priced_offer,
)
from providers.models import FrameworkContract, FrameworkLot
from providers.tests.factories import term

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():  # type: ignore[no-untyped-def]
    coventry, birmingham = council("Coventry City Council", "E08000026"), council("Birmingham City Council")
    offers = [priced_offer(coventry, amount) for amount in ("10.00", "12.00", "14.00", "16.00", "40.00")]
    assistant_offer(coventry, "15.00")
    priced_offer(birmingham, "100.00")
    allocation = allocation_in(coventry)
    for rate in ("20.00", "22.00", "30.00"):
        order_of(allocation, offers[0], rate)
    order_of(allocation, offers[1], "99.00", status=OrderStatus.CANCELLED)
    order_of(allocation_in(birmingham), priced_offer(birmingham, "100.00"), "500.00")
    return coventry, birmingham, offers


def short_breaks(rows):  # type: ignore[no-untyped-def]
    return next(row for row in rows if row.category == "Short breaks" and row.unit == "hour")


def test_prices_offered_have_known_quartiles_and_ignore_another_council(market) -> None:  # type: ignore[no-untyped-def]
    coventry, _, _ = market
    figures = price_figures(InsightScope(coventry, YEAR))
    row = short_breaks(figures.offered)
    assert (row.count, row.minimum, row.lower_quartile, row.median, row.upper_quartile, row.maximum) == (
        5,
        Decimal("10.00"),
        Decimal("12.00"),
        Decimal("14.00"),
        Decimal("16.00"),
        Decimal("40.00"),
    )
    assistants = next(row for row in figures.offered if row.unit == "hour" and row.category != "Short breaks")
    assert (assistants.count, assistants.median) == (1, Decimal("15.00"))


def test_rates_paid_count_only_agreed_orders_of_the_council(market) -> None:  # type: ignore[no-untyped-def]
    coventry, _, _ = market
    row = short_breaks(price_figures(InsightScope(coventry, YEAR)).paid)
    assert (row.count, row.lower_quartile, row.median, row.upper_quartile) == (
        3,
        Decimal("21.00"),
        Decimal("22.00"),
        Decimal("26.00"),
    )


def test_price_beyond_one_and_a_half_spreads_is_an_outlier_with_a_link(market) -> None:  # type: ignore[no-untyped-def]
    coventry, _, offers = market
    outliers = price_figures(InsightScope(coventry, YEAR)).outliers
    assert [(o.amount, o.low) for o in outliers] == [(Decimal("40.00"), False)]
    assert outliers[0].url == reverse("providers:public-offer", args=[offers[4].public_id])


def test_framework_lot_rates_and_price_points_are_the_councils_own(market) -> None:  # type: ignore[no-untyped-def]
    coventry, birmingham, _ = market
    for owner, rate in ((coventry, "18.00"), (birmingham, "50.00")):
        framework = FrameworkContract.objects.create(
            council=owner,
            reference="SB1",
            name="Short Breaks Framework",
            starts_on=datetime.date(2025, 4, 1),
            ends_on=datetime.date(2028, 3, 31),
        )
        lot = FrameworkLot.objects.create(
            framework=framework, number=1, name="Short breaks", rate=rate, rate_unit="hour"
        )
        lot.categories.add(term("short-breaks"))
    FundingStreamFactory(council=coventry, name="Social care", price_per_point=Decimal("71.00"))
    FundingStreamFactory(council=birmingham, name="Social care", price_per_point=Decimal("92.00"))
    figures = price_figures(InsightScope(coventry, YEAR))
    assert [rate.rate for rate in figures.lot_rates[term("short-breaks").pk]] == [Decimal("18.00")]
    assert [stream.price_per_point for stream in figures.price_points] == [Decimal("71.00")]


def test_percentile_interpolates_between_nearest_ranks() -> None:
    values = [Decimal(v) for v in ("1", "2", "4", "8")]
    assert percentile_of(values, Decimal("0.5")) == Decimal("3")
    assert percentile_of(values, Decimal("0.25")) == Decimal("1.75")
    assert percentile_of([Decimal("7")], Decimal("0.75")) == Decimal("7")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="percentile_cont is PostgreSQL's")
def test_database_and_portable_percentiles_agree(market) -> None:  # type: ignore[no-untyped-def]
    coventry, _, _ = market
    priced_offer(coventry, "13.37")
    priced_offer(coventry, "9.99", unit="session")
    scope = InsightScope(coventry, YEAR)
    for rows in (offered_prices(scope), paid_rates(scope)):
        in_database = distributions(rows, in_database=True)
        portable = distributions(rows, in_database=False)
        assert sorted(in_database, key=str) == sorted(portable, key=str)
        assert in_database


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="percentile_cont is PostgreSQL's")
def test_prices_read_once_give_the_same_distributions_and_outliers(market) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL's one statement (fences from the unrounded quartiles, widened, then the exact test in Python)
    against the portable path: with these prices the short-break quartiles are £12 and £16 and the fences £6 and
    £22, so £6.00 and £22.00 on the fences are not outliers and £5.99 and £22.01 a penny beyond them are."""
    coventry, _, _ = market
    for amount in ("12.00", "13.00", "13.00", "14.00", "15.00", "15.00", "16.00", "5.99", "6.00", "22.00", "22.01"):
        priced_offer(coventry, amount)
    priced_offer(coventry, "9.99", unit="session")
    scope = InsightScope(coventry, YEAR)
    in_database = offered_with_outliers(scope, in_database=True)
    assert in_database == offered_with_outliers(scope, in_database=False)
    assert in_database[0] == distributions(offered_prices(scope))
    row = short_breaks(in_database[0])
    assert (row.lower_quartile, row.upper_quartile, row.fences) == (
        Decimal("12.00"),
        Decimal("16.00"),
        (Decimal("6.000"), Decimal("22.000")),
    )
    assert [(o.amount, o.low) for o in in_database[1]] == [
        (Decimal("5.99"), True),
        (Decimal("22.01"), False),
        (Decimal("40.00"), False),
    ]


def test_prices_page_takes_a_bounded_number_of_queries(market, client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    coventry, _, _ = market
    client.force_login(commissioner(coventry))
    with django_assert_max_num_queries(PAGE_QUERIES + 8):
        response = client.get(reverse("marketplace:insights-prices"), {"year": YEAR})
    assert response.status_code == 200
    assert "£40.00" in response.content.decode()
