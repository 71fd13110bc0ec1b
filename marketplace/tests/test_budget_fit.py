"""Budget fit on the find-support page: what each offer costs a week for a chosen number of units, with
any VAT, and whether it fits what is left on the signed-in budget holder's budget.

Tom's mother Sarah holds consent for him; his budget has £1,000.00 available over exactly 10 weeks
left, so £100.00 a week. Another family's budget must never be read through the page's ``budget``.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone

from brokerage import ledger
from brokerage.models import Budget
from brokerage.selectors.headroom import BudgetHeadroom
from brokerage.tests.factories import AllocationFactory, BudgetFactory, PersonSupportedFactory
from brokerage.tests.test_views_people import case  # noqa: F401  (the fixture)
from marketplace.selectors import CardPrice, budget_fit
from providers.models import ProfileStatus
from providers.tests.factories import ProviderProfileFactory
from search.backends import get_backend
from search.models import DemandSignal
from search.tests import factories
from search.tests.factories import gazetteer

URL = "/search/"


def headroom(available: str, weeks: int = 10) -> BudgetHeadroom:
    budget = Budget(starts_on=datetime.date(2026, 4, 1), ends_on=datetime.date(2027, 3, 31))
    return BudgetHeadroom(budget=budget, available=D(available), weeks_left=D(weeks))


# --- What an offer costs a week -------------------------------------------------------------------


def test_an_hourly_price_costs_the_hours_a_week_times_the_price():
    fit = budget_fit(CardPrice("hour", D("18.50"), plus_vat=False), units=D("2.5"), headroom=headroom("1000.00"))

    assert fit.cost == D("46.25")
    assert fit.units_text == "2.5 hours"
    assert fit.is_weekly and fit.fits
    assert fit.left == D("100.00")


def test_a_price_plus_vat_is_costed_with_the_vat_to_the_penny():
    fit = budget_fit(CardPrice("session", D("12.34"), plus_vat=True), units=D("3"), headroom=headroom("1000.00"))

    # £12.34 × 1.2 × 3 = £44.424
    assert fit.cost == D("44.42")
    assert fit.units_text == "3 sessions"


def test_one_unit_is_named_in_the_singular():
    fit = budget_fit(CardPrice("night", D("95.00"), plus_vat=False), units=D("1"), headroom=headroom("1000.00"))

    assert fit.units_text == "1 night"


def test_a_weekly_price_is_the_cost_a_week_whatever_the_units():
    fit = budget_fit(CardPrice("week", D("120.00"), plus_vat=False), units=D("3"), headroom=headroom("1000.00"))

    assert fit.cost == D("120.00")
    assert fit.units_text == ""
    assert not fit.fits
    assert fit.short_by == D("20.00")


def test_a_cost_equal_to_what_is_left_a_week_fits():
    fit = budget_fit(CardPrice("day", D("50.00"), plus_vat=False), units=D("2"), headroom=headroom("1000.00"))

    assert fit.fits and fit.short_by == D("0.00")


def test_an_item_is_a_one_off_measured_against_all_that_is_left():
    fit = budget_fit(CardPrice("item", D("300.00"), plus_vat=False), units=D("2"), headroom=headroom("1000.00"))

    assert fit.cost == D("600.00")
    assert not fit.is_weekly
    assert fit.left == D("1000.00")
    assert fit.fits


def test_with_nothing_left_nothing_fits_and_it_costs_all_its_price_more():
    fit = budget_fit(CardPrice("hour", D("18.50"), plus_vat=False), units=D("2"), headroom=headroom("0.00"))

    assert not fit.fits
    assert fit.short_by == D("37.00")


# --- The page -------------------------------------------------------------------------------------


@pytest.fixture
def tom(db, case):  # noqa: F811
    """Tom's budget: £1,000.00 available (after £200.00 committed and £100.00 of contingency) and
    exactly 10 weeks to run from today, with one published offer at £18.50 an hour."""
    today = timezone.localdate()
    case.budget = funded_budget(
        BudgetFactory(
            person=case.person, starts_on=today - datetime.timedelta(days=30), ends_on=today + datetime.timedelta(69)
        ),
        allocated="1300.00",
        committed="200.00",
        contingency="100.00",
    )
    gazetteer()
    offer = factories.listing(profile=ProviderProfileFactory(status=ProfileStatus.PUBLISHED), name="Saturday club")
    get_backend().index([offer.pk])
    return case


def funded_budget(budget: Budget, *, allocated: str, committed: str = "0", contingency: str = "0") -> Budget:
    allocation = AllocationFactory(budget=budget)
    ledger.stream_fund(stream=allocation.stream, amount=D("50000.00"), key=f"fund-{allocation.pk}")
    ledger.allocate(allocation=allocation, amount=D(allocated), key=f"allocate-{allocation.pk}")
    if D(committed):
        ledger.commit(allocation=allocation, amount=D(committed), key=f"commit-{allocation.pk}", description="Plan")
    if D(contingency):
        ledger.contingency_hold(allocation=allocation, amount=D(contingency), key=f"hold-{allocation.pk}")
    return budget


def page(client, **params) -> str:  # type: ignore[no-untyped-def]
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def the_end(budget: Budget) -> str:
    return f"{budget.ends_on.day} {budget.ends_on:%B %Y}"


def test_someone_not_signed_in_sees_no_budget_box_and_no_costs_a_week(client, tom):
    html = page(client, text="club")

    assert "Saturday club" in html
    assert "Your budget" not in html
    assert 'name="units"' not in html
    assert "With your budget" not in html


def test_a_signed_in_user_without_a_budget_sees_no_budget_box(client, tom):
    client.force_login(tom.bob)

    html = page(client, text="club")

    assert "Saturday club" in html and "Your budget" not in html


def test_a_budget_holder_sees_what_is_left_and_what_each_offer_costs_a_week(client, tom):
    client.force_login(tom.mother)

    html = page(client, text="club", units="2")

    assert f"£100.00 a week is left on Tom’s budget until {the_end(tom.budget)} (£1,000.00 not yet committed" in html
    assert 'name="units"' in html and 'value="2"' in html
    assert "£37.00 a week for 2 hours" in html
    assert f"Fits what is left: £100.00 a week available until {the_end(tom.budget)}" in html


def test_an_offer_that_costs_more_than_is_left_says_by_how_much(client, tom):
    client.force_login(tom.mother)

    html = page(client, text="club", units="10")

    assert "£185.00 a week for 10 hours" in html
    assert "Costs £85.00 a week more than is left" in html


def test_without_units_the_page_prices_one_unit_a_week(client, tom):
    client.force_login(tom.mother)

    html = page(client, text="club")

    assert "£18.50 a week for 1 hour" in html


def test_the_lead_professional_sees_the_budget_of_the_person_they_work_with(client, tom):
    client.force_login(tom.alice)

    assert "£100.00 a week is left on Tom’s budget" in page(client, text="club")


def test_another_familys_budget_in_the_address_is_ignored(client, tom):
    other = funded_budget(
        BudgetFactory(
            person=PersonSupportedFactory(council=tom.council, first_name="Zara", last_name="Other"),
            starts_on=tom.budget.starts_on,
            ends_on=tom.budget.ends_on,
        ),
        allocated="9000.00",
    )
    client.force_login(tom.mother)

    html = page(client, text="club", budget=str(other.public_id))

    assert "£100.00 a week is left on Tom’s budget" in html
    assert "Zara" not in html
    assert "£9,000.00" not in html
    assert f'value="{other.public_id}"' not in html


def test_a_holder_of_two_budgets_chooses_which_one_to_measure_against(client, tom):
    sister = PersonSupportedFactory(council=tom.council, first_name="Amy")
    sister.consent_holders.create(user=tom.mother, relationship="parent")
    funded_budget(
        BudgetFactory(person=sister, starts_on=tom.budget.starts_on, ends_on=tom.budget.ends_on), allocated="500.00"
    )
    client.force_login(tom.mother)

    first = page(client, text="club")
    chosen = page(client, text="club", budget=str(tom.budget.public_id))

    # People in name order: Amy's budget comes first until another is chosen.
    assert 'name="budget"' in first and "£50.00 a week is left on Amy’s budget" in first
    assert "Fits what is left: £50.00 a week" in first
    assert "£100.00 a week is left on Tom’s budget" in chosen
    assert f'<option value="{tom.budget.public_id}" selected>' in chosen


def test_a_number_of_units_that_is_not_a_number_is_shown_again_with_an_error(client, tom):
    client.force_login(tom.mother)

    html = page(client, text="club", units="lots")

    assert "<title>Error: " in html
    assert 'href="#units">Enter how many a week as a number, like 3 or 2.5</a>' in html
    assert 'value="lots"' in html and 'aria-describedby="units-hint units-error"' in html


@pytest.mark.parametrize(("units", "message"), [("0", "more than 0"), ("500", "no more than 168")])
def test_a_number_of_units_out_of_range_is_refused(client, tom, units, message):
    client.force_login(tom.mother)

    assert message in page(client, text="club", units=units)


def test_choosing_units_alone_is_not_recorded_as_a_search(client, tom):
    client.force_login(tom.mother)

    page(client, units="3")

    assert not DemandSignal.objects.exists()


def test_a_results_page_link_keeps_the_units_and_the_budget(client, tom):
    client.force_login(tom.mother)

    html = page(client, text="clubb", units="3", budget=str(tom.budget.public_id))

    # The "did you mean" link is built from the same query string as the page links.
    assert f'Did you mean <a class="govuk-link" href="?text=club&amp;units=3&amp;budget={tom.budget.public_id}"' in html
