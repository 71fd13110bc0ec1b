"""On PostgreSQL, orders placed at the same moment cannot overspend a budget or overdraw a block contract."""

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection

from brokerage.exceptions import BrokerageError, InsufficientFunds
from marketplace.models import Order
from marketplace.order_selectors import block_contract_remaining
from marketplace.tests.order_factories import balances, block_contract, family, place, provider

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _at_once(count: int, action: Callable[[], None], refusal: type[Exception]) -> list[str]:
    start = threading.Barrier(count)
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            start.wait()
            action()
            outcomes.append("placed")
        except refusal:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_twenty_orders_placed_at_once_cannot_overspend_a_budget():
    tom, tutor = family(available="1000.00"), provider()

    outcomes = _at_once(20, lambda: place(tom, tutor, units="5", rate="30.00"), InsufficientFunds)

    assert outcomes.count("placed") == 6  # 6 × £150 = £900 ≤ £1,000; a seventh would overspend
    assert outcomes.count("refused") == 14
    assert Order.objects.filter(person=tom.person).count() == 6
    assert balances(tom.allocation)["available"] == Decimal("100.00")


def test_ten_block_orders_at_once_cannot_take_a_contract_below_zero():
    tom, tutor = family(), provider()
    contract = block_contract(tom, tutor, units="20")

    outcomes = _at_once(10, lambda: place(tom, tutor, units="3", block_contract=contract), BrokerageError)

    assert outcomes.count("placed") == 6  # 6 × 3 = 18 hours of 20
    assert block_contract_remaining(contract) == Decimal("2")
