"""The top-ups demo builder: Coventry's bank details for transfers, one contribution recorded in a budget and
one waiting for the money; a second run creates nothing."""

from collections.abc import Iterator
from decimal import Decimal

import pytest

from brokerage.models import LedgerTransaction, TransactionKind
from demo.builders import top_ups as top_ups_builder
from demo.context import DemoContext
from demo.councils import COVENTRY
from demo.tests.helpers import coventry_demo
from marketplace.payments.top_up_models import TopUp, TopUpSettings, TopUpStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[DemoContext]:  # type: ignore[no-untyped-def]
    with coventry_demo(django_db_blocker, top_ups_builder.build) as ctx:
        yield ctx


def test_one_contribution_is_in_a_budget_and_one_waits_for_the_transfer(built):
    council = built.organisations[COVENTRY.slug]

    statuses = sorted(TopUp.objects.filter(council=council).values_list("status", "amount"))

    assert statuses == [(TopUpStatus.PAID, Decimal("45.00")), (TopUpStatus.WAITING, Decimal("20.00"))]
    assert LedgerTransaction.objects.filter(council=council, kind=TransactionKind.TOP_UP).count() == 1
    assert TopUpSettings.objects.get(council=council).takes_bank_transfers


def test_a_second_run_creates_nothing(built):
    before = TopUp.objects.count()

    top_ups_builder.build(built)

    assert TopUp.objects.count() == before
