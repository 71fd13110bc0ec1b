"""Frameworks: coverage of each lot by postcode district, members' share of spend, members whose checks lapse;
another council's framework answers 404."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.insights.frameworks import framework_figures
from marketplace.insights.scope import InsightScope
from marketplace.insights.spend import spend_figures
from marketplace.tests.insights_factories import (
    PAGE_QUERIES,
    YEAR,
    allocation_in,
    commissioner,
    council,
    order_of,
    paid,
    priced_offer,
    provider_of,
)
from marketplace.tests.test_insights_spend import framework_of
from providers.models import ProviderProfile, ServiceArea
from search.tests.factories import COVENTRY, gazetteer

pytestmark = pytest.mark.django_db


def reaching(offer, district: str = "", council_code: str = "") -> None:  # type: ignore[no-untyped-def]
    ServiceArea.objects.create(
        version=offer.live_version, postcode_district=district, council_code=council_code, name=district or "All"
    )


def checks_until(organisation, days: int) -> None:  # type: ignore[no-untyped-def]
    until = timezone.localdate() + datetime.timedelta(days=days)
    ProviderProfile.objects.filter(organisation=organisation).update(checks_current_until=until)


@pytest.fixture
def market():  # type: ignore[no-untyped-def]
    gazetteer()  # Coventry's districts are CV1 and CV3
    coventry, birmingham = council("Coventry City Council", COVENTRY), council("Birmingham City Council")
    sunrise, big, outsider = (
        provider_of(coventry, "Sunrise"),
        provider_of(coventry, "Big Care"),
        provider_of(coventry, "Outsider"),
    )
    framework = framework_of(coventry, {"short-breaks": [sunrise], "tuition": [big]})
    reaching(priced_offer(organisation=sunrise), "CV1")
    reaching(priced_offer(organisation=sunrise, category="tuition"), "CV3")  # not in its lot's category
    reaching(priced_offer(organisation=big, category="tuition"), council_code=COVENTRY)
    reaching(priced_offer(organisation=outsider), "CV3")  # not a member
    checks_until(sunrise, 20)
    checks_until(big, 200)
    allocation = allocation_in(coventry)
    paid(order_of(allocation, priced_offer(organisation=sunrise), "20.00"), "100.00", category="short-breaks")
    paid(order_of(allocation, priced_offer(organisation=big), "20.00"), "60.00", category="short-breaks")
    paid(order_of(allocation, priced_offer(organisation=outsider), "20.00"), "40.00", category="short-breaks")
    elsewhere = framework_of(birmingham, {"short-breaks": [provider_of(birmingham, "Brum Club")]})
    return coventry, framework, elsewhere


def test_lot_coverage_by_district_counts_members_offering_the_lots_categories(market) -> None:  # type: ignore[no-untyped-def]
    coventry, framework, _ = market
    scope = InsightScope(coventry, YEAR)
    figures = framework_figures(scope, framework, spend_figures(scope))
    assert [lot.covered for lot in figures.lots] == [{"CV1": 1, "CV3": 0}, {"CV1": 1, "CV3": 1}]
    assert figures.lots[0].gaps == ["CV3"]


def test_members_share_of_spend_comes_from_the_spend_figures(market) -> None:  # type: ignore[no-untyped-def]
    coventry, framework, _ = market
    scope = InsightScope(coventry, YEAR)
    figures = framework_figures(scope, framework, spend_figures(scope))
    assert [lot.spend for lot in figures.lots] == [Decimal("100.00"), Decimal("60.00")]
    assert (figures.members_spend, figures.total_spend) == (Decimal("160.00"), Decimal("200.00"))
    assert figures.share(figures.members_spend) == 80


def test_members_whose_checks_lapse_within_ninety_days(market) -> None:  # type: ignore[no-untyped-def]
    coventry, framework, _ = market
    scope = InsightScope(coventry, YEAR)
    figures = framework_figures(scope, framework, spend_figures(scope))
    assert [(row.member, row.lot) for row in figures.lapsing] == [("Sunrise", "Lot 1: short-breaks")]


def test_another_councils_framework_answers_404(market, access) -> None:  # type: ignore[no-untyped-def]
    coventry, framework, elsewhere = market
    user = commissioner(coventry)
    access.ok(user, reverse("marketplace:insights-framework", args=[framework.public_id]))
    access.not_found(user, reverse("marketplace:insights-framework", args=[elsewhere.public_id]))
    access.not_found(user, reverse("marketplace:insights-framework-export", args=[elsewhere.public_id, "coverage"]))


def test_framework_pages_take_a_bounded_number_of_queries(market, client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    coventry, framework, _ = market
    client.force_login(commissioner(coventry))
    with django_assert_max_num_queries(PAGE_QUERIES + 14):
        assert client.get(reverse("marketplace:insights-frameworks")).status_code == 200
    with django_assert_max_num_queries(PAGE_QUERIES + 14):
        response = client.get(reverse("marketplace:insights-framework-export", args=[framework.public_id, "coverage"]))
    assert "short-breaks,CV3,0" in response.content.decode()
    lots = client.get(reverse("marketplace:insights-framework-export", args=[framework.public_id, "lots"]))
    assert "Lot 1: short-breaks,1,100.00,CV3" in lots.content.decode()
    with django_assert_max_num_queries(PAGE_QUERIES + 14):
        summary = client.get(reverse("marketplace:insights-frameworks-export"))
    assert "Short Breaks Framework" in summary.content.decode()
