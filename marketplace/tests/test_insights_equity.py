"""Equity: take-up and spend per child by postcode district, with small counts and the figures derived from
them suppressed; another council's children and money never count.

The market (children with a Coventry budget for 2026; direct-payment spending in May 2026):

- CV1: 6 children, 5 of them spent £100 each: £500, £83.33 per child, take-up 83%;
- CV4: 7 children, none spent anything: £0, take-up 0%;
- CV2: 5 children, all spent £20 each: £100 (shown only if nothing forces it to be withheld);
- CV3: 2 children, 1 spent £40: fewer than 5, so suppressed. On its own it would be given away by the council
  figure less the others, so the smallest other district (CV2, 5 children) is suppressed too; together they are
  7 children, 6 spending, £140, £20.00 per child, take-up 86%;
- all Coventry: 20 children, 11 spending, £640, £32.00 per child, take-up 55%;
- Birmingham: a child in CV1 who spent £999, never counted.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import OrganisationFactory
from brokerage.models import HeldAs
from marketplace.insights.equity import NOT_RECORDED, WITHHELD, _district, equity_figures
from marketplace.insights.scope import InsightScope
from marketplace.insights.spend import spend_figures
from marketplace.tests.insights_factories import PAGE_QUERIES, YEAR, allocation_in, commissioner, council, family_spent
from marketplace.tests.order_factories import member

pytestmark = pytest.mark.django_db


def children(council_, postcode: str, count: int, spending: list[str]) -> None:
    """``count`` children living at the postcode; the first ones spent the amounts given."""
    for index in range(count):
        allocation = allocation_in(council_, held_as=HeldAs.DIRECT_PAYMENT)
        person = allocation.budget.person
        person.postcode = postcode
        person.save(update_fields=["postcode"])
        if index < len(spending):
            family_spent(allocation, spending[index])


@pytest.fixture
def coventry():  # type: ignore[no-untyped-def]
    coventry = council("Coventry")
    children(coventry, "CV1 2AB", 6, ["100.00"] * 5)
    children(coventry, "CV4 7AL", 7, [])
    children(coventry, "CV2 1AA", 5, ["20.00"] * 5)
    children(coventry, "CV3 4EE", 2, ["40.00"])
    children(council("Birmingham"), "CV1 2AB", 1, ["999.00"])
    return coventry


def by_area(figures) -> dict:  # type: ignore[no-untyped-def]
    return {row.area: row for row in figures.districts}


def test_districts_show_children_take_up_spend_and_spend_per_child(coventry) -> None:  # type: ignore[no-untyped-def]
    figures = equity_figures(InsightScope(coventry, YEAR))
    cv1, cv4 = by_area(figures)["CV1"], by_area(figures)["CV4"]
    assert (cv1.children, cv1.taking_up, cv1.spent_shown, cv1.per_child) == (6, 5, Decimal("500.00"), Decimal("83.33"))
    assert cv1.take_up_percent == 83
    assert (cv4.children, cv4.taking_up, cv4.spent_shown, cv4.per_child, cv4.take_up_percent) == (
        7,
        0,
        Decimal("0.00"),
        Decimal("0.00"),
        0,
    )
    assert [row.area for row in figures.shown] == ["CV1", "CV4"]


def test_council_wide_figure_counts_every_child_once_and_no_other_council(coventry) -> None:  # type: ignore[no-untyped-def]
    everyone = equity_figures(InsightScope(coventry, YEAR)).council
    assert (everyone.children, everyone.taking_up, everyone.spent_shown) == (20, 11, Decimal("640.00"))
    assert (everyone.per_child, everyone.take_up_percent) == (Decimal("32.00"), 55)


def test_district_spend_adds_up_to_the_spend_sections_total(coventry) -> None:  # type: ignore[no-untyped-def]
    scope = InsightScope(coventry, YEAR)
    assert equity_figures(scope).council.spent == spend_figures(scope).total == Decimal("640.00")


def test_small_district_is_suppressed_with_the_next_smallest_so_the_total_cannot_give_it_away(coventry) -> None:  # type: ignore[no-untyped-def]
    figures = equity_figures(InsightScope(coventry, YEAR))
    cv2, cv3 = by_area(figures)["CV2"], by_area(figures)["CV3"]
    assert (cv3.children_text, cv3.taking_up_text) == ("fewer than 5", "fewer than 5")
    assert (cv3.spent_shown, cv3.per_child, cv3.take_up_percent) == (None, None, None)
    # CV2 has 5 children, all spending, yet is withheld: CV3 alone is under 5.
    assert (cv2.children_text, cv2.withheld, cv2.spent_shown, cv2.per_child) == ("5", True, None, None)
    together = figures.withheld_together
    assert (together.children, together.taking_up, together.spent_shown) == (7, 6, Decimal("140.00"))
    assert (together.per_child, together.take_up_percent) == (Decimal("20.00"), 86)


def test_a_district_with_enough_children_but_few_spending_has_its_money_suppressed() -> None:
    coventry = council("Coventry")
    children(coventry, "CV1 2AB", 6, ["100.00"] * 2)
    children(coventry, "CV4 7AL", 6, ["10.00"] * 5)
    children(coventry, "CV5 6AA", 5, ["10.00"] * 5)
    figures = equity_figures(InsightScope(coventry, YEAR))
    cv1 = by_area(figures)["CV1"]
    assert (cv1.children_text, cv1.taking_up_text, cv1.spent_shown, cv1.per_child) == ("6", "fewer than 5", None, None)
    # 2 spending is still a small group: the smallest other district (CV5) is withheld with it.
    assert by_area(figures)["CV5"].withheld and not by_area(figures)["CV4"].withheld
    assert figures.withheld_together.taking_up == 7


def test_council_wide_figure_is_suppressed_when_the_council_has_fewer_than_5_children() -> None:
    coventry = council("Coventry")
    children(coventry, "CV1 2AB", 3, ["50.00"])
    figures = equity_figures(InsightScope(coventry, YEAR))
    assert figures.council.children_text == "fewer than 5"
    assert (figures.council.spent_shown, figures.council.per_child) == (None, None)
    assert figures.withheld_together.spent_shown is None


def test_a_postcode_that_cannot_be_read_counts_as_not_recorded() -> None:
    assert _district("") == NOT_RECORDED
    assert _district("not a postcode") == NOT_RECORDED
    assert _district("cv1 2ab") == "CV1"


def test_equity_page_shows_the_figures_and_suppression_within_a_bounded_number_of_queries(
    client, coventry, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(commissioner(coventry))
    with django_assert_max_num_queries(PAGE_QUERIES + 4):
        response = client.get(reverse("marketplace:insights-equity"), {"year": YEAR})
    text = response.content.decode()
    assert response.status_code == 200
    assert "£83.33" in text and "£32.00" in text and "£999" not in text
    assert "suppressed" in text and "no characteristic" in text


def test_equity_csv_gives_every_district_with_suppressed_figures_marked(client, coventry) -> None:  # type: ignore[no-untyped-def]
    client.force_login(commissioner(coventry))
    response = client.get(reverse("marketplace:insights-equity-export", args=["districts"]), {"year": YEAR})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Postcode district"
    by_district = {row[0]: row[1:] for row in rows[1:]}
    assert by_district["CV1"] == ["6", "5", "83", "500.00", "83.33"]
    assert by_district["CV3"] == ["fewer than 5", "fewer than 5", WITHHELD, WITHHELD, WITHHELD]
    assert by_district["All your children"] == ["20", "11", "55", "640.00", "32.00"]


def test_equity_pages_are_for_commissioners_only(access) -> None:  # type: ignore[no-untyped-def]
    coventry = council("Coventry")
    provider = OrganisationFactory(kind=OrganisationKind.PROVIDER, council=coventry)
    staff = member(Role.PROVIDER_STAFF, provider)
    access.forbidden(staff, reverse("marketplace:insights-equity"))
    access.forbidden(staff, reverse("marketplace:insights-equity-export", args=["districts"]))
    access.sign_in_required(reverse("marketplace:insights-equity"))
    access.ok(commissioner(coventry), reverse("marketplace:insights-equity"))
