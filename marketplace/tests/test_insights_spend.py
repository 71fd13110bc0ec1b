"""Spend from the ledger: by stream, category, provider, framework, how budgets are held and month, with the
share of small and voluntary providers; another council's money is never counted.

The market (pounds; May 2026 unless said):

- Sunrise, a charity, framework member for short breaks from 1 May 2026, from allocation A (early help,
  council-managed): 100 short breaks, 50 tuition, 5 short breaks on 20 April (before it was a member), and
  1,000 in March 2026 (the year before: not counted);
- Tiny Club (declares 4 staff), from A: 30 with no category, on 3 June;
- a personal assistant, from A: 20 PA support;
- Big Care (declares 50 staff), from B (social care, council-managed): 200 short breaks, 25 of it refunded;
  and from C (social care, an individual service fund it holds): 40;
- the family, from D (early help, direct payment): 10;
- Birmingham: 999 that must never count.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from brokerage import ledger
from brokerage.models import HeldAs
from brokerage.tests.factories import FundingStreamFactory
from marketplace.insights.scope import InsightScope, people_count_text
from marketplace.insights.spend import NO_PROVIDER, UNTAGGED, spend_figures
from marketplace.tests.insights_factories import (
    PAGE_QUERIES,
    YEAR,
    allocation_in,
    assistant_offer,
    commissioner,
    council,
    family_spent,
    fund_spent,
    order_of,
    paid,
    priced_offer,
    provider_of,
)
from providers.models import FrameworkContract, FrameworkLot, FrameworkMembership, SaferRecruitmentDeclaration
from providers.tests.factories import term

pytestmark = pytest.mark.django_db


def declared(organisation, staff: int) -> None:  # type: ignore[no-untyped-def]
    SaferRecruitmentDeclaration.objects.create(
        organisation=organisation,
        declared_by=commissioner(organisation.council),
        staff_count=staff,
        verification="verified",
    )


def framework_of(council_, members: dict[str, list], admitted_on=datetime.date(2026, 5, 1)):  # type: ignore[no-untyped-def]
    """A framework of the council with one lot per category, each with its members."""
    framework = FrameworkContract.objects.create(
        council=council_,
        reference=f"FW{council_.pk}",
        name="Short Breaks Framework",
        starts_on=datetime.date(2025, 4, 1),
        ends_on=datetime.date(2028, 3, 31),
    )
    for number, (category, organisations) in enumerate(members.items(), start=1):
        lot = FrameworkLot.objects.create(
            framework=framework, number=number, name=category, rate="18.00", rate_unit="hour"
        )
        lot.categories.add(term(category))
        for organisation in organisations:
            FrameworkMembership.objects.create(lot=lot, organisation=organisation, admitted_on=admitted_on)
    return framework


@pytest.fixture
def market():  # type: ignore[no-untyped-def]
    coventry, birmingham = council("Coventry City Council", "E08000026"), council("Birmingham City Council")
    early_help = FundingStreamFactory(council=coventry, name="Early help")
    social_care = FundingStreamFactory(council=coventry, name="Social care")
    sunrise = provider_of(coventry, "Sunrise", charity_number="1100001")
    tiny, big = provider_of(coventry, "Tiny Club"), provider_of(coventry, "Big Care")
    declared(tiny, 4)
    declared(big, 50)
    framework_of(coventry, {"short-breaks": [sunrise]})
    a = allocation_in(coventry, stream=early_help)
    b = allocation_in(coventry, stream=social_care)
    c = allocation_in(coventry, stream=social_care, held_as=HeldAs.ISF, isf_provider=big)
    d = allocation_in(coventry, stream=early_help, held_as=HeldAs.DIRECT_PAYMENT)
    sunrise_order = order_of(a, priced_offer(organisation=sunrise), "20.00")
    paid(sunrise_order, "100.00", category="short-breaks")
    paid(sunrise_order, "50.00", category="tuition")
    paid(sunrise_order, "5.00", category="short-breaks", on=datetime.date(2026, 4, 20))
    paid(sunrise_order, "1000.00", category="short-breaks", on=datetime.date(2026, 3, 15))  # the year before
    paid(order_of(a, priced_offer(organisation=tiny), "20.00"), "30.00", on=datetime.date(2026, 6, 3))
    paid(order_of(a, assistant_offer(coventry, "15.00"), "15.00"), "20.00", category="pa-support")
    big_order = order_of(b, priced_offer(organisation=big), "20.00")
    paid(big_order, "200.00", category="short-breaks")
    ledger.refund(
        allocation=b,
        amount=Decimal("25.00"),
        key="refund-big",
        description="Refund",
        reference=big_order.ledger_reference,
        category=term("short-breaks"),
        occurred_on=datetime.date(2026, 5, 20),
    )
    fund_spent(c, "40.00")
    family_spent(d, "10.00")
    elsewhere = allocation_in(birmingham)
    paid(order_of(elsewhere, priced_offer(birmingham, "99.00"), "99.00"), "999.00", category="short-breaks")
    return coventry


def test_total_spend_is_net_of_refunds_within_the_year_and_council(market) -> None:  # type: ignore[no-untyped-def]
    assert spend_figures(InsightScope(market, YEAR)).total == Decimal("430.00")


def rows(figures_rows):  # type: ignore[no-untyped-def]
    return {row.label: row.amount for row in figures_rows}


def test_spend_by_stream_category_held_as_and_month(market) -> None:  # type: ignore[no-untyped-def]
    figures = spend_figures(InsightScope(market, YEAR))
    assert rows(figures.by_stream) == {"Early help": Decimal("215.00"), "Social care": Decimal("215.00")}
    assert rows(figures.by_category) == {
        "Short breaks": Decimal("280.00"),
        "Tuition": Decimal("50.00"),
        term("pa-support").name: Decimal("20.00"),
        UNTAGGED: Decimal("80.00"),
    }
    assert rows(figures.by_held_as) == {
        "Managed by the council": Decimal("380.00"),
        "Individual service fund held by a provider": Decimal("40.00"),
        "Direct payment to the family": Decimal("10.00"),
    }
    assert rows(figures.by_month) == {
        "April 2026": Decimal("5.00"),
        "May 2026": Decimal("395.00"),
        "June 2026": Decimal("30.00"),
    }


def test_spend_by_provider_follows_orders_and_service_funds(market) -> None:  # type: ignore[no-untyped-def]
    figures = spend_figures(InsightScope(market, YEAR))
    by_name = {row.name: row.amount for row in figures.providers}
    assistant = next(name for name in by_name if name not in {"Big Care", "Sunrise", "Tiny Club", NO_PROVIDER})
    assert by_name == {
        "Big Care": Decimal("215.00"),
        "Sunrise": Decimal("155.00"),
        "Tiny Club": Decimal("30.00"),
        assistant: Decimal("20.00"),
        NO_PROVIDER: Decimal("10.00"),
    }
    assert [row.name for row in figures.top_providers] == ["Big Care", "Sunrise", "Tiny Club", assistant]


def test_framework_spend_needs_membership_for_the_category_on_the_day(market) -> None:  # type: ignore[no-untyped-def]
    figures = spend_figures(InsightScope(market, YEAR))
    assert [row.amount for row in figures.by_framework] == [Decimal("100.00"), Decimal("330.00")]


def test_small_and_voluntary_share(market) -> None:  # type: ignore[no-untyped-def]
    figures = spend_figures(InsightScope(market, YEAR))
    assert figures.with_charities == Decimal("155.00")
    assert figures.with_small == Decimal("50.00")  # Tiny Club and the personal assistant
    assert figures.with_small_or_voluntary == Decimal("205.00")
    assert figures.small_or_voluntary_percent == 48


def test_children_counted_per_stream_are_suppressed_under_five() -> None:
    coventry = council("Coventry City Council")
    stream = FundingStreamFactory(council=coventry, name="Short breaks")
    for _ in range(4):
        family_spent(allocation_in(coventry, stream=stream, held_as=HeldAs.DIRECT_PAYMENT), "1.00")
    assert spend_figures(InsightScope(coventry, YEAR)).by_stream[0].children_text == "fewer than 5"
    family_spent(allocation_in(coventry, stream=stream, held_as=HeldAs.DIRECT_PAYMENT), "1.00")
    assert spend_figures(InsightScope(coventry, YEAR)).by_stream[0].children_text == "5"
    assert people_count_text(0) == "fewer than 5"


def test_spend_page_and_export_take_a_bounded_number_of_queries(market, client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client.force_login(commissioner(market))
    with django_assert_max_num_queries(PAGE_QUERIES + 12):
        response = client.get(reverse("marketplace:insights-spend"), {"year": YEAR})
    assert "£430.00" in response.content.decode()
    with django_assert_max_num_queries(PAGE_QUERIES + 12):
        export = client.get(reverse("marketplace:insights-spend-export", args=["providers"]), {"year": YEAR})
    assert export["Content-Type"].startswith("text/csv")
    assert "Big Care,215.00" in export.content.decode()
