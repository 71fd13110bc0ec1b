"""What is left on a budget for the find-support page: the available money (not committed, not held back
as contingency) over the weeks still to run, to the penny; and whose budgets a user may plan with.

Tom's budget runs from 1 April 2026 to 31 March 2027. Alice is his lead professional and Sarah his
mother; bob is a lead professional Tom's mother never agreed to, carol works in another council.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from brokerage import ledger
from brokerage.selectors.headroom import budget_headroom, budget_weeks_left, budgets_for_planning
from brokerage.services.consent import access_grant
from brokerage.tests.factories import AllocationFactory, BudgetFactory
from brokerage.tests.test_views_people import case  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

FIRST_DAY = datetime.date(2026, 4, 1)
LAST_DAY = datetime.date(2027, 3, 31)


def budget_with(allocated: str, *, committed: str = "0", contingency: str = "0", person=None):  # type: ignore[no-untyped-def]
    budget = BudgetFactory(person=person) if person is not None else BudgetFactory()
    allocation = AllocationFactory(budget=budget)
    ledger.stream_fund(stream=allocation.stream, amount=D("50000.00"), key=f"fund-{allocation.pk}")
    ledger.allocate(allocation=allocation, amount=D(allocated), key=f"allocate-{allocation.pk}")
    if D(committed):
        ledger.commit(allocation=allocation, amount=D(committed), key=f"commit-{allocation.pk}", description="Plan")
    if D(contingency):
        ledger.contingency_hold(allocation=allocation, amount=D(contingency), key=f"hold-{allocation.pk}")
    return budget


def test_what_is_left_leaves_out_committed_money_and_contingency_and_is_spread_over_the_weeks_left():
    budget = budget_with("3000.00", committed="500.00", contingency="300.00")

    headroom = budget_headroom(budget, day=FIRST_DAY)

    assert headroom.available == D("2200.00")
    # 365 days are 52 1/7 weeks: £2,200.00 × 7 / 365 = £42.1917…, rounded down to the penny.
    assert headroom.weeks_left == D(365) / D(7)
    assert headroom.weekly == D("42.19")
    assert headroom.ends_on == LAST_DAY


def test_a_weekly_share_is_rounded_down_so_that_a_penny_over_never_fits():
    budget = budget_with("100.00")

    headroom = budget_headroom(budget, day=LAST_DAY - datetime.timedelta(days=20))

    assert headroom.weeks_left == D(3)
    assert headroom.weekly == D("33.33")


def test_with_two_weeks_left_the_whole_of_what_is_left_is_spread_over_two_weeks():
    budget = budget_with("1000.00", committed="400.00")

    headroom = budget_headroom(budget, day=datetime.date(2027, 3, 18))

    assert headroom.weeks_left == D(2)
    assert headroom.weekly == D("300.00")


def test_the_last_days_of_a_budget_count_as_one_week_not_less():
    budget = budget_with("1000.00")

    assert budget_weeks_left(budget, day=datetime.date(2027, 3, 29)) == D(1)
    assert budget_weeks_left(budget, day=datetime.date(2027, 6, 1)) == D(1)
    assert budget_headroom(budget, day=datetime.date(2027, 3, 29)).weekly == D("1000.00")


def test_a_budget_not_yet_started_counts_its_weeks_from_its_first_day():
    budget = budget_with("1000.00")

    assert budget_weeks_left(budget, day=datetime.date(2026, 1, 1)) == D(365) / D(7)


def test_a_budget_with_everything_committed_has_nothing_left():
    budget = budget_with("1000.00", committed="1000.00")

    headroom = budget_headroom(budget, day=FIRST_DAY)

    assert (headroom.available, headroom.weekly) == (D("0.00"), D("0.00"))


def test_a_budget_with_no_money_yet_has_nothing_left():
    headroom = budget_headroom(BudgetFactory(), day=FIRST_DAY)

    assert (headroom.available, headroom.weekly) == (D("0.00"), D("0.00"))


def test_the_family_and_the_lead_professional_plan_with_the_budget_and_nobody_else(case):  # noqa: F811
    budget = BudgetFactory(person=case.person)

    assert budgets_for_planning(user=case.mother, day=FIRST_DAY) == [budget]
    assert budgets_for_planning(user=case.alice, day=FIRST_DAY) == [budget]
    assert budgets_for_planning(user=case.bob, day=FIRST_DAY) == []
    assert budgets_for_planning(user=case.carol, day=FIRST_DAY) == []
    assert budgets_for_planning(user=case.commissioner, day=FIRST_DAY) == []
    assert budgets_for_planning(user=AnonymousUser(), day=FIRST_DAY) == []


def test_a_family_member_whose_membership_has_ended_no_longer_plans_with_the_budget(case):  # noqa: F811
    BudgetFactory(person=case.person)
    case.mother.memberships.update(is_active=False)

    assert budgets_for_planning(user=case.mother, day=FIRST_DAY) == []


def test_a_budget_that_has_ended_is_not_offered_but_next_years_is(case):  # noqa: F811
    ended = BudgetFactory(
        person=case.person,
        financial_year=2025,
        starts_on=datetime.date(2025, 4, 1),
        ends_on=datetime.date(2026, 3, 31),
    )
    this_year = BudgetFactory(person=case.person)

    assert budgets_for_planning(user=case.mother, day=FIRST_DAY) == [this_year]
    assert budgets_for_planning(user=case.mother, day=datetime.date(2026, 3, 1)) == [ended, this_year]


def test_a_practitioner_sees_a_budget_through_the_familys_grant(case):  # noqa: F811
    budget = BudgetFactory(person=case.person)
    dana = user_with_role(Role.BROKER, case.council)
    access_grant(person=case.person, grantee=dana, consent_from=case.mother, recorded_by=case.mother, scope="act")

    assert budgets_for_planning(user=dana, day=FIRST_DAY) == [budget]
