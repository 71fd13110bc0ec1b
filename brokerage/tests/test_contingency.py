"""The council's contingency: worked out from the policy, held back on allocation, released with a reason."""

import datetime
import uuid
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import AuditEvent
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from brokerage import ledger
from brokerage.exceptions import InsufficientFunds
from brokerage.models import BrokeragePolicy
from brokerage.services.contingency import contingency_amount, contingency_held, contingency_release_with_reason
from brokerage.services.plans import allocation_add, budget_create
from brokerage.tests.factories import FundingStreamFactory
from brokerage.tests.test_views_people import case  # noqa: F401  (the fixture)

pence = st.integers(min_value=0, max_value=10_000_000).map(lambda p: D(p) / 100)


@given(allocated=pence, percent=st.integers(min_value=0, max_value=5000).map(lambda p: D(p) / 100))
def test_a_percentage_is_to_the_penny_and_never_more_than_the_allocation(allocated, percent):
    amount = contingency_amount(allocated=allocated, percent=percent, weeks=0, weekly_spend=D("0"))
    assert amount == amount.quantize(D("0.01"))
    assert D("0.00") <= amount <= allocated
    assert abs(amount - allocated * percent / 100) <= D("0.005")


@given(allocated=pence, weeks=st.integers(min_value=1, max_value=52), weekly=pence)
def test_weeks_of_spend_never_hold_back_more_than_the_allocation(allocated, weeks, weekly):
    amount = contingency_amount(allocated=allocated, percent=D("0"), weeks=weeks, weekly_spend=weekly)
    assert amount == min(weekly * weeks, allocated)


def test_half_a_penny_rounds_up():
    assert contingency_amount(allocated=D("0.05"), percent=D("10"), weeks=0, weekly_spend=D("0")) == D("0.01")


@pytest.fixture
def money(case):  # noqa: F811
    stream = FundingStreamFactory(council=case.council)
    ledger.stream_fund(stream=stream, amount=D("50000.00"), key="fund")
    budget = budget_create(
        person=case.person,
        actor=case.alice,
        financial_year=2026,
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2027, 3, 31),
    )
    case.stream, case.budget = stream, budget
    return case


@pytest.mark.django_db
def test_allocating_holds_back_the_policy_percentage(money):
    BrokeragePolicy.objects.create(council=money.council, financial_year=2026, contingency_percent=D("10"))
    allocation = allocation_add(
        budget=money.budget, actor=money.alice, stream=money.stream, held_as="council_managed", amount=D("3000.00")
    )
    assert contingency_held(allocation) == D("300.00")
    assert ledger.balance(ledger.allocation_account(allocation, "available")) == D("2700.00")


@pytest.mark.django_db
def test_allocating_holds_back_weeks_of_spend_before_there_is_a_plan(money):
    BrokeragePolicy.objects.create(council=money.council, financial_year=2026, contingency_weeks=4)
    allocation = allocation_add(
        budget=money.budget, actor=money.alice, stream=money.stream, held_as="council_managed", amount=D("3650.00")
    )
    # £3,650 over the 365 days of the year is £70.00 a week; four weeks are held back.
    assert contingency_held(allocation) == D("280.00")


@pytest.mark.django_db
def test_without_a_contingency_rule_nothing_is_held_back(money):
    allocation = allocation_add(
        budget=money.budget, actor=money.alice, stream=money.stream, held_as="council_managed", amount=D("3000.00")
    )
    assert contingency_held(allocation) == D("0.00")


@pytest.mark.django_db
def test_committing_into_the_contingency_is_refused_until_a_manager_releases_it(money):
    BrokeragePolicy.objects.create(council=money.council, financial_year=2026, contingency_percent=D("10"))
    allocation = allocation_add(
        budget=money.budget, actor=money.alice, stream=money.stream, held_as="council_managed", amount=D("1000.00")
    )
    with pytest.raises(InsufficientFunds):
        ledger.commit(allocation=allocation, amount=D("950.00"), key="order-1", description="Short break")
    manager = user_with_role(Role.BUDGET_HOLDING_MANAGER, money.council)
    contingency_release_with_reason(
        allocation=allocation,
        actor=manager,
        role=Role.BUDGET_HOLDING_MANAGER,
        amount=D("50.00"),
        reason="Mother in hospital: an extra short break",
        request_id=uuid.uuid4(),
    )
    ledger.commit(allocation=allocation, amount=D("950.00"), key="order-1", description="Short break")
    assert contingency_held(allocation) == D("50.00")
    assert AuditEvent.objects.filter(action="budget.contingency_released").count() == 1


@pytest.mark.django_db
def test_sending_the_release_twice_releases_once(money):
    BrokeragePolicy.objects.create(council=money.council, financial_year=2026, contingency_percent=D("10"))
    allocation = allocation_add(
        budget=money.budget, actor=money.alice, stream=money.stream, held_as="council_managed", amount=D("1000.00")
    )
    manager = user_with_role(Role.BUDGET_HOLDING_MANAGER, money.council)
    request_id = uuid.uuid4()
    for _ in range(2):
        contingency_release_with_reason(
            allocation=allocation,
            actor=manager,
            role=Role.BUDGET_HOLDING_MANAGER,
            amount=D("40.00"),
            reason="Crisis",
            request_id=request_id,
        )
    assert contingency_held(allocation) == D("60.00")


@pytest.mark.django_db
def test_a_lead_professional_without_delegated_authority_may_not_release(money):
    BrokeragePolicy.objects.create(council=money.council, financial_year=2026, contingency_percent=D("10"))
    allocation = allocation_add(
        budget=money.budget, actor=money.alice, stream=money.stream, held_as="council_managed", amount=D("1000.00")
    )
    with pytest.raises(ValidationError, match="delegated authority"):
        contingency_release_with_reason(
            allocation=allocation,
            actor=money.alice,
            role=Role.LEAD_PROFESSIONAL,
            amount=D("40.00"),
            reason="Crisis",
            request_id=uuid.uuid4(),
        )
    assert contingency_held(allocation) == D("100.00")
