from decimal import Decimal

import pytest

from brokerage import ledger
from brokerage.exceptions import BrokerageError, IdempotencyConflict, InsufficientFunds
from brokerage.models import AccountKind, LedgerTransaction, Posting
from brokerage.tests.factories import AllocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def allocation():
    allocation = AllocationFactory()
    ledger.stream_fund(stream=allocation.stream, amount=Decimal("10000.00"), key="fund-1")
    ledger.allocate(allocation=allocation, amount=Decimal("3000.00"), key="alloc-1")
    return allocation


def _balance(allocation, kind):
    return ledger.balance(ledger.allocation_account(allocation, kind))


def test_every_transaction_balances(allocation):
    ledger.commit(allocation=allocation, amount=Decimal("100.00"), key="c1", description="Tuition")

    for record in LedgerTransaction.objects.all():
        assert sum(p.amount for p in record.postings.all()) == 0


def test_allocating_moves_money_from_the_stream_pool_to_the_budget(allocation):
    pool = ledger.stream_account(allocation.stream, AccountKind.STREAM_POOL)

    assert ledger.balance(pool) == Decimal("7000.00")
    assert _balance(allocation, AccountKind.AVAILABLE) == Decimal("3000.00")


def test_committing_beyond_what_is_available_is_refused_and_records_nothing(allocation):
    count = LedgerTransaction.objects.count()

    with pytest.raises(InsufficientFunds, match="Not enough money"):
        ledger.commit(allocation=allocation, amount=Decimal("3000.01"), key="c-too-much", description="Too much")

    assert LedgerTransaction.objects.count() == count
    assert _balance(allocation, AccountKind.AVAILABLE) == Decimal("3000.00")


def test_replaying_a_key_changes_nothing(allocation):
    first = ledger.commit(allocation=allocation, amount=Decimal("50.00"), key="order-7", description="Taxi")
    again = ledger.commit(allocation=allocation, amount=Decimal("50.00"), key="order-7", description="Taxi")

    assert first == again
    assert _balance(allocation, AccountKind.COMMITTED) == Decimal("50.00")


def test_reusing_a_key_for_a_different_amount_is_refused(allocation):
    ledger.commit(allocation=allocation, amount=Decimal("50.00"), key="order-8", description="Taxi")

    with pytest.raises(IdempotencyConflict):
        ledger.commit(allocation=allocation, amount=Decimal("60.00"), key="order-8", description="Taxi")


def test_fractions_of_a_penny_and_non_positive_amounts_are_refused(allocation):
    with pytest.raises(BrokerageError, match="fractions of a penny"):
        ledger.commit(allocation=allocation, amount=Decimal("1.005"), key="c-frac", description="x")
    with pytest.raises(BrokerageError, match="more than £0.00"):
        ledger.commit(allocation=allocation, amount=Decimal("0.00"), key="c-zero", description="x")


def test_a_reversal_posts_the_opposite_once_and_leaves_the_original(allocation):
    original = ledger.commit(allocation=allocation, amount=Decimal("80.00"), key="c-rev", description="Wrong")

    ledger.reverse(original=original, key="rev-1", actor=None, reason="Entered twice")

    assert _balance(allocation, AccountKind.COMMITTED) == Decimal("0.00")
    assert original.postings.count() == 2
    with pytest.raises(BrokerageError, match="already been reversed"):
        ledger.reverse(original=original, key="rev-2", actor=None, reason="Again")
    assert ledger.reverse(original=original, key="rev-1", actor=None, reason="Replay") == original.reversed_by


def test_a_reversal_that_would_overdraw_is_refused(allocation):
    committed = ledger.commit(allocation=allocation, amount=Decimal("80.00"), key="c-x", description="Order")
    ledger.settle(allocation=allocation, amount=Decimal("80.00"), key="s-x", description="Invoice")

    with pytest.raises(InsufficientFunds):
        ledger.reverse(original=committed, key="rev-x", actor=None, reason="Too late: already settled")


def test_contingency_cannot_be_committed_until_released(allocation):
    ledger.contingency_hold(allocation=allocation, amount=Decimal("300.00"), key="hold")
    ledger.commit(allocation=allocation, amount=Decimal("2700.00"), key="c-all", description="Plan")

    with pytest.raises(InsufficientFunds):
        ledger.commit(allocation=allocation, amount=Decimal("100.00"), key="c-more", description="Crisis")
    ledger.contingency_release(
        allocation=allocation, amount=Decimal("100.00"), key="release", actor=None, reason="Heating emergency"
    )
    ledger.commit(allocation=allocation, amount=Decimal("100.00"), key="c-more", description="Crisis")

    assert _balance(allocation, AccountKind.CONTINGENCY) == Decimal("200.00")


def test_postings_are_never_zero(allocation):
    assert not Posting.objects.filter(amount=0).exists()
