"""Supply against demand: supply by category and district with capacity, each kind of demand signal, the ranked
gaps, months and district centroids on a hand-built market; another council's offers and signals never count;
other roles get 403; the pages' queries do not grow with the market."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from brokerage.models import PlanLine, PlanStatus, SupportPlan
from marketplace.insights.scope import InsightScope
from marketplace.insights.supply import (
    DECLINED,
    PA_ADVERT,
    SEARCH,
    UNORDERED,
    district_centroids,
    map_dots,
    supply_figures,
)
from marketplace.models import Order, OrderStatus, OrderStatusChange
from marketplace.tests.insights_factories import (
    PAGE_QUERIES,
    YEAR,
    allocation_in,
    assistant_offer,
    commissioner,
    council,
    order_of,
    priced_offer,
    provider_of,
)
from providers.models import Offer, ServiceArea
from providers.tests.factories import term
from search.models import DemandSignal
from search.tests.factories import BIRMINGHAM, COVENTRY, gazetteer

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 10, 0))


def reaching(offer: Offer, district: str = "", council_code: str = "", **capacity) -> Offer:  # type: ignore[no-untyped-def]
    ServiceArea.objects.create(
        version=offer.live_version, postcode_district=district, council_code=council_code, name=district or "All"
    )
    if capacity:
        type(offer.live_version).objects.filter(pk=offer.live_version_id).update(**capacity)
    return offer


def published_on(offer: Offer, day: datetime.date) -> None:
    Offer.objects.filter(pk=offer.pk).update(published_at=aware(day))


def signal(month: str, district: str = "", *, categories=(), source=DemandSignal.Source.SEARCH, code=COVENTRY):  # type: ignore[no-untyped-def]
    filters = {"categories": list(categories)} if categories else {}
    DemandSignal.objects.create(
        source=source,
        filters=filters,
        postcode_district=district,
        council_code=code,
        month=datetime.date.fromisoformat(f"{month}-01"),
        results=0,
    )


def declined(allocation, offer: Offer, on: datetime.date) -> Order:  # type: ignore[no-untyped-def]
    order = order_of(allocation, offer, "20.00", status=OrderStatus.DECLINED)
    change = OrderStatusChange.objects.create(
        order=order, old_status=OrderStatus.PLACED, new_status=OrderStatus.DECLINED, reason="We are full"
    )
    OrderStatusChange.objects.filter(pk=change.pk).update(created_at=aware(on))
    return order


def approved_line(allocation, category: str, approved: datetime.date) -> PlanLine:  # type: ignore[no-untyped-def]
    budget = allocation.budget
    plan = SupportPlan.objects.create(
        person=budget.person,
        budget=budget,
        version=SupportPlan.objects.filter(person=budget.person).count() + 1,
        status=PlanStatus.APPROVED,
        approved_at=aware(approved),
    )
    return PlanLine.objects.create(
        plan=plan,
        category=term(category),
        description="Tuition",
        stream=allocation.stream,
        quantity=Decimal("2"),
        unit="hour",
        unit_cost=Decimal("20.00"),
        frequency="weekly",
        periods=10,
    )


@pytest.fixture
def market():  # type: ignore[no-untyped-def]
    """Coventry: Sunrise reaches CV1 with 2 places free, Big Care the whole council area, a PA reaches CV3
    with 10 hours a week free. Demand in 2026-27: 2 short-break searches in CV3 (May), a tuition search in
    CV1 (June), a search naming no category and no place (May), a PA advert in CV3 (July), an order Sunrise
    declined for a family in CV1 (August), a tuition line in CV3 unordered 28 days after approval (June).
    Birmingham's provider (reaching CV1) and signals, and signals of the year before, must not count."""
    gazetteer()
    coventry, birmingham = council("Coventry City Council", COVENTRY), council("Birmingham City Council", BIRMINGHAM)
    sunrise = reaching(priced_offer(organisation=provider_of(coventry, "Sunrise")), "CV1", capacity_places=2)
    published_on(sunrise, datetime.date(2026, 5, 3))
    reaching(priced_offer(organisation=provider_of(coventry, "Big Care")), council_code=COVENTRY)
    assistant = reaching(assistant_offer(coventry, "15.00"), "CV3", capacity_hours=Decimal("10"))
    published_on(assistant, datetime.date(2026, 7, 15))
    outsider = reaching(priced_offer(organisation=provider_of(birmingham, "Outsider")), "CV1", capacity_places=5)
    published_on(outsider, datetime.date(2026, 5, 4))

    signal("2026-05", "CV3", categories=["short-breaks"])
    signal("2026-05", "CV3", categories=["short-breaks"])
    signal("2026-06", "CV1", categories=["tuition"])
    signal("2026-05")
    signal("2026-07", "CV3", source=DemandSignal.Source.PA_ADVERT)
    signal("2026-03", "CV3", categories=["short-breaks"])  # the year before
    signal("2026-05", "B1", categories=["short-breaks"], code=BIRMINGHAM)

    family = allocation_in(coventry)
    type(family.budget.person).objects.filter(pk=family.budget.person_id).update(postcode="CV1 2GT")
    declined(family, sunrise, datetime.date(2026, 8, 10))
    waiting = allocation_in(coventry)
    type(waiting.budget.person).objects.filter(pk=waiting.budget.person_id).update(postcode="CV3 5AB")
    approved_line(waiting, "tuition", datetime.date(2026, 6, 1))
    met = approved_line(waiting, "tuition", datetime.date(2026, 6, 1))
    order = order_of(waiting, sunrise, "20.00")
    Order.objects.filter(pk=order.pk).update(plan_line=met, placed_at=aware(datetime.date(2026, 6, 10)))
    # Birmingham's own demand: a declined order and an unordered line of its people.
    elsewhere = allocation_in(birmingham)
    declined(elsewhere, outsider, datetime.date(2026, 8, 10))
    approved_line(elsewhere, "tuition", datetime.date(2026, 6, 1))
    return coventry


def figures_of(coventry, category: str = ""):  # type: ignore[no-untyped-def]
    return supply_figures(InsightScope(council=coventry, year=YEAR), category, today=TODAY)


def gap(figures, category: str, district: str):  # type: ignore[no-untyped-def]
    return next(row for row in figures.gaps if row.category_code == category and row.district == district)


def test_supply_counts_providers_reaching_each_district_with_their_capacity(market) -> None:  # type: ignore[no-untyped-def]
    figures = figures_of(market)
    short_breaks_cv1 = gap(figures, "short-breaks", "CV1")
    assert (short_breaks_cv1.supply, short_breaks_cv1.with_capacity, short_breaks_cv1.places_free) == (2, 1, 2)
    assert gap(figures, "short-breaks", "CV3").supply == 1  # Big Care, through the whole council area
    pa_cv3 = gap(figures, "pa-support", "CV3")
    assert (pa_cv3.supply, pa_cv3.assistants, pa_cv3.with_capacity, pa_cv3.hours_free) == (1, 1, 1, Decimal("10"))
    whole = {row.category_code: row for row in figures.areas}
    assert (whole["short-breaks"].supply, whole["short-breaks"].demand) == (2, 3)
    assert (whole["tuition"].supply, whole["tuition"].demand) == (0, 2)
    assert whole[""].demand == 1  # the search that named no kind of support


def test_each_provider_and_offer_counts_once_in_every_cell_it_reaches(market) -> None:  # type: ignore[no-untyped-def]
    """Both Ways has an offer in two kinds of support reaching CV1, CV3, the whole council area and B1 (not
    Coventry's), with 3 places, and a tuition offer in CV3 with 2.5 hours: each provider counts once in a cell,
    each offer's places and hours once, and B1 nowhere."""
    both = provider_of(market, "Both Ways")
    wide = reaching(priced_offer(organisation=both), "CV1", capacity_places=3)
    wide.live_version.categories.add(term("tuition"))
    for area in ({"district": "CV3"}, {"council_code": COVENTRY}, {"district": "B1"}):
        reaching(wide, **area)
    reaching(priced_offer(organisation=both, category="tuition"), "CV3", capacity_hours=Decimal("2.5"))
    figures = figures_of(market)

    def shown(row):  # type: ignore[no-untyped-def]
        return (row.supply, row.assistants, row.with_capacity, row.places_free, str(row.hours_free))

    assert shown(gap(figures, "short-breaks", "CV1")) == (3, 0, 2, 5, "0")  # Sunrise, Big Care, Both Ways
    assert shown(gap(figures, "tuition", "CV3")) == (1, 0, 1, 3, "2.5")
    whole = {row.category_code: row for row in figures.areas}
    assert shown(whole["tuition"]) == (1, 0, 1, 3, "2.5")  # the wide offer once, though it reaches three ways
    assert shown(whole[""]) == (4, 1, 3, 5, "12.5")  # every provider and offer of every kind, once each
    assert figures.districts_supply == {"CV1": (3, 2, 2), "CV3": (3, 2, 4)}


def test_each_kind_of_demand_signal_is_counted_in_its_category_and_district(market) -> None:  # type: ignore[no-untyped-def]
    figures = figures_of(market)
    assert figures.totals == {SEARCH: 4, PA_ADVERT: 1, DECLINED: 1, UNORDERED: 1}
    assert gap(figures, "short-breaks", "CV3").by_kind[SEARCH] == 2
    assert gap(figures, "tuition", "CV1").by_kind[SEARCH] == 1
    assert gap(figures, "pa-support", "CV3").by_kind[PA_ADVERT] == 1
    assert gap(figures, "short-breaks", "CV1").by_kind[DECLINED] == 1
    assert gap(figures, "tuition", "CV3").by_kind[UNORDERED] == 1


def test_a_plan_line_is_not_unordered_before_the_wait_runs_out(market) -> None:  # type: ignore[no-untyped-def]
    figures = supply_figures(InsightScope(council=market, year=YEAR), today=datetime.date(2026, 6, 20))
    assert figures.totals[UNORDERED] == 0


def test_gaps_rank_districts_nobody_supplies_first_then_signals_per_provider(market) -> None:  # type: ignore[no-untyped-def]
    ranked = [(row.category_code, row.district, row.score) for row in figures_of(market).gaps]
    assert ranked == [
        ("tuition", "CV1", None),
        ("tuition", "CV3", None),
        ("short-breaks", "CV3", Decimal("2.0")),
        ("pa-support", "CV3", Decimal("1.0")),
        ("short-breaks", "CV1", Decimal("0.5")),
    ]


def test_a_category_filter_keeps_only_its_supply_and_demand(market) -> None:  # type: ignore[no-untyped-def]
    figures = figures_of(market, "short-breaks")
    assert [(row.district, row.demand) for row in figures.gaps] == [("CV3", 2), ("CV1", 1)]
    assert figures.totals == {SEARCH: 2, PA_ADVERT: 0, DECLINED: 1, UNORDERED: 0}
    assert figures.districts_supply == {"CV1": (2, 1, 1), "CV3": (1, 0, 2)}


def test_months_count_demand_signals_and_new_offers_over_the_year(market) -> None:  # type: ignore[no-untyped-def]
    months = {row.month.month: row for row in figures_of(market).months}
    assert len(months) == 12
    assert (months[5].by_kind[SEARCH], months[5].new_offers) == (3, 1)
    assert (months[6].by_kind[SEARCH], months[6].by_kind[UNORDERED]) == (1, 1)
    assert (months[7].by_kind[PA_ADVERT], months[7].new_offers) == (1, 1)
    assert months[8].by_kind[DECLINED] == 1
    assert sum(row.demand for row in months.values()) == 7


def test_dots_sit_on_district_centroids_sized_by_demand(market) -> None:  # type: ignore[no-untyped-def]
    assert district_centroids(["CV1", "CV3"]) == {
        "CV1": (Decimal("52.408050"), Decimal("-1.510250")),
        "CV3": (Decimal("52.386000"), Decimal("-1.496000")),
    }
    figures = figures_of(market)
    assert figures.districts_supply == {"CV1": (2, 1, 2), "CV3": (2, 1, 4)}
    dots = {dot.district: dot for dot in map_dots(figures)}
    assert dots["CV1"].y < dots["CV3"].y  # CV1 is north of CV3
    assert dots["CV1"].x < dots["CV3"].x  # and west of it
    assert dots["CV3"].radius == 24.0
    assert dots["CV1"].radius == 18.1
    assert dots["CV1"].band == "low"


def test_the_page_shows_the_gaps_map_and_months(client, market, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client.force_login(commissioner(market))
    with django_assert_max_num_queries(PAGE_QUERIES + 10):
        response = client.get(reverse("marketplace:insights-supply"), {"year": YEAR})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Gaps by kind of support and postcode district" in content
    assert "categories=tuition&amp;postcode=CV1&amp;comes_to_home=yes" in content
    with django_assert_max_num_queries(PAGE_QUERIES + 10):
        response = client.get(reverse("marketplace:insights-supply-map"), {"year": YEAR, "category": "short-breaks"})
    content = response.content.decode()
    assert "<title>CV3: 2 demand signals, 1 provider available</title>" in content
    assert 'viewBox="0 0 600 400"' in content


def test_an_unknown_category_is_an_error_on_the_form(client, market) -> None:  # type: ignore[no-untyped-def]
    client.force_login(commissioner(market))
    response = client.get(reverse("marketplace:insights-supply"), {"year": YEAR, "category": "nonsense"})
    assert response.status_code == 200
    assert "<title>Error: Supply and demand" in response.content.decode()


def test_the_gaps_download_has_each_ranked_row(client, market) -> None:  # type: ignore[no-untyped-def]
    client.force_login(commissioner(market))
    response = client.get(reverse("marketplace:insights-supply-export", args=["gaps"]), {"year": YEAR})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Kind of support,Category code,Postcode district,Providers and PAs available")
    assert lines[1].startswith("Tuition,tuition,CV1,0,0,0,0,0,1,0,0,0,1,no supply,http://testserver/search/")
    assert len(lines) == 6
    months = client.get(reverse("marketplace:insights-supply-export", args=["months"]), {"year": YEAR})
    assert "2026-05,3,0,0,0,3,1" in months.content.decode("utf-8-sig")
    districts = client.get(reverse("marketplace:insights-supply-export", args=["districts"]), {"year": YEAR})
    assert "CV1,52.408050,-1.510250,2,1,2" in districts.content.decode("utf-8-sig")
    assert client.get(reverse("marketplace:insights-supply-export", args=["nothing"])).status_code == 404


@pytest.mark.parametrize("role", [Role.BROKER, Role.PROVIDER_STAFF, Role.FAMILY_MEMBER])
def test_other_roles_are_refused(access, market, role) -> None:  # type: ignore[no-untyped-def]
    user = user_with_role(role)
    for url in (
        reverse("marketplace:insights-supply"),
        reverse("marketplace:insights-supply-map"),
        reverse("marketplace:insights-supply-export", args=["gaps"]),
    ):
        access.forbidden(user, url)


def test_signing_in_is_required(access) -> None:  # type: ignore[no-untyped-def]
    access.sign_in_required(reverse("marketplace:insights-supply"))


def test_another_councils_commissioner_sees_only_their_own_market(market) -> None:  # type: ignore[no-untyped-def]
    birmingham = Organisation.objects.get(ons_code=BIRMINGHAM)
    figures = supply_figures(InsightScope(council=birmingham, year=YEAR), today=TODAY)
    # Its own search in B1, its own declined order and unordered line (its people have no postcode); its
    # provider's offer reaches only Coventry's CV1, which is not its area; nothing of Coventry's.
    assert [(row.category_code, row.district, row.supply, row.demand) for row in figures.gaps] == [
        ("short-breaks", "B1", 0, 1)
    ]
    assert figures.totals == {SEARCH: 1, PA_ADVERT: 0, DECLINED: 1, UNORDERED: 1}
