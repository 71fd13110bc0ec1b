"""On PostgreSQL, concurrent commitments against one budget cannot overspend it."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from brokerage import ledger
from brokerage.exceptions import InsufficientFunds
from brokerage.models import AccountKind
from brokerage.tests.factories import AllocationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_twenty_concurrent_commitments_cannot_overspend_a_budget():
    allocation = AllocationFactory()
    ledger.stream_fund(stream=allocation.stream, amount=Decimal("5000.00"), key="fund")
    ledger.allocate(allocation=allocation, amount=Decimal("1000.00"), key="allocate")
    start = threading.Barrier(20)
    outcomes: list[str] = []

    def commit(n: int) -> None:
        try:
            start.wait()
            ledger.commit(allocation=allocation, amount=Decimal("150.00"), key=f"order-{n}", description="order")
            outcomes.append("committed")
        except InsufficientFunds:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=commit, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("committed") == 6  # 6 × £150 = £900 ≤ £1,000; a seventh would overspend
    assert outcomes.count("refused") == 14
    assert ledger.balance(ledger.allocation_account(allocation, AccountKind.AVAILABLE)) == Decimal("100.00")


def test_the_same_key_sent_twice_at_once_is_recorded_once():
    allocation = AllocationFactory()
    ledger.stream_fund(stream=allocation.stream, amount=Decimal("500.00"), key="fund")
    ledger.allocate(allocation=allocation, amount=Decimal("500.00"), key="allocate")
    start = threading.Barrier(10)

    def commit() -> None:
        try:
            start.wait()
            ledger.commit(allocation=allocation, amount=Decimal("40.00"), key="same-order", description="order")
        finally:
            connection.close()

    threads = [threading.Thread(target=commit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert ledger.balance(ledger.allocation_account(allocation, AccountKind.COMMITTED)) == Decimal("40.00")
