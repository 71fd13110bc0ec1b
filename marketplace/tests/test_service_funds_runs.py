"""Individual service fund instalments in the payment run: each due instalment is paid to the provider that
holds the fund, once; a payment the bank returns makes them due again."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from brokerage.models import LedgerTransaction, TransactionKind
from brokerage.selectors.service_funds import held_by_provider
from brokerage.tests.service_fund_factories import isf_fund
from marketplace.payments import runs
from marketplace.payments.models import PaymentItem
from marketplace.payments.tests.factories import finance, verified_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund(time_machine):  # type: ignore[no-untyped-def]
    """Tom's fund on Monday 15 June 2026: the April, May and June instalments are due."""
    time_machine.move_to(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC), tick=False)
    team = finance()
    fund = isf_fund(council=team.council)
    verified_account(team.council, checked_by=(team.ann, team.ben), provider_organisation=fund.provider)
    fund.team = team
    return fund


def _run(fund):  # type: ignore[no-untyped-def]
    run = runs.run_prepare(council=fund.council, actor=fund.team.ann)
    runs.run_authorise(run=run, actor=fund.team.ben)
    return runs.run_execute(run=run, actor=fund.team.ben)


def _due(fund, run):  # type: ignore[no-untyped-def]
    return fund.allocation.isf_schedule.instalments.filter(due_on__lte=run.pay_on)


def test_due_instalments_are_paid_to_the_provider_that_holds_the_fund_once(fund):
    run = _run(fund)
    due = list(_due(fund, run))
    assert [i.due_on.month for i in due] == [4, 5, 6]

    (payment,) = run.payments.all()
    assert payment.provider_organisation == fund.provider
    assert {item.isf_instalment for item in payment.items.all()} == set(due)
    assert all(instalment.is_paid for instalment in _due(fund, run))
    assert held_by_provider(fund.allocation) == sum(i.amount for i in due)

    with pytest.raises(ValidationError, match="nothing to pay"):
        runs.run_prepare(council=fund.council, actor=fund.team.ann)
    assert LedgerTransaction.objects.filter(kind=TransactionKind.ISF_INSTALMENT).count() == len(due)


def test_a_payment_the_bank_returns_makes_the_instalments_due_again(fund):
    run = _run(fund)
    payment = run.payments.get()

    runs.payment_confirm(payment=payment, actor=fund.team.ann, outcome="returned", reason="Account closed")

    assert not any(instalment.is_paid for instalment in _due(fund, run))
    assert held_by_provider(fund.allocation) == D("0.00")
    again = runs.run_prepare(council=fund.council, actor=fund.team.ann)
    assert again.item_count == PaymentItem.objects.filter(run=run).count()
