"""The budget page offers "Release contingency" only when the council holds something back."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from brokerage import ledger
from brokerage.models import BrokeragePolicy
from brokerage.services.plans import allocation_add, budget_create
from brokerage.tests.factories import FundingStreamFactory
from brokerage.tests.test_views_people import case  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(case):  # noqa: F811
    stream = FundingStreamFactory(council=case.council)
    ledger.stream_fund(stream=stream, amount=D("50000.00"), key="fund")
    budget = budget_create(
        person=case.person,
        actor=case.alice,
        financial_year=2026,
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2027, 3, 31),
    )
    case.stream = stream
    return budget


def allocate(case, budget) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    allocation_add(budget=budget, actor=case.alice, stream=case.stream, held_as="council_managed", amount=D("3000.00"))


def test_release_contingency_is_offered_when_money_is_held_back(client, case, budget):  # noqa: F811
    BrokeragePolicy.objects.create(council=case.council, financial_year=2026, contingency_percent=D("10"))
    allocate(case, budget)
    client.force_login(case.alice)

    page = client.get(reverse("brokerage:budget", args=[budget.public_id])).content.decode()

    assert reverse("brokerage:contingency-release", args=[budget.public_id]) in page
    assert "£300.00 held back" in page


def test_release_contingency_is_not_offered_when_nothing_is_held_back(client, case, budget):  # noqa: F811
    allocate(case, budget)
    client.force_login(case.alice)

    page = client.get(reverse("brokerage:budget", args=[budget.public_id])).content.decode()

    assert "Add money from a funding stream" in page
    assert reverse("brokerage:contingency-release", args=[budget.public_id]) not in page
