"""Random sequences of ledger operations never break the invariants.

Every transaction balances; no account that must not go negative does; replaying any idempotency key
changes nothing; the statement's totals equal the ledger's sums.
"""

import contextlib
import os
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from brokerage import ledger
from brokerage.exceptions import BrokerageError
from brokerage.models import MAY_GO_NEGATIVE, LedgerAccount, LedgerTransaction, Posting
from brokerage.statements import budget_statement
from brokerage.tests.factories import AllocationFactory

CI = os.environ.get("HYPOTHESIS_PROFILE") == "ci"
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("400.00"), places=2)

OPERATIONS = {
    "commit": lambda a, amount, key: ledger.commit(allocation=a, amount=amount, key=key, description="commit"),
    "release": lambda a, amount, key: ledger.release(allocation=a, amount=amount, key=key, description="release"),
    "settle": lambda a, amount, key: ledger.settle(allocation=a, amount=amount, key=key, description="settle"),
    "pay": lambda a, amount, key: ledger.pay(allocation=a, amount=amount, key=key, description="pay"),
    "refund": lambda a, amount, key: ledger.refund(allocation=a, amount=amount, key=key, description="refund"),
    "top_up": lambda a, amount, key: ledger.top_up(allocation=a, amount=amount, key=key, description="top up"),
    "dp": lambda a, amount, key: ledger.dp_instalment(allocation=a, amount=amount, key=key),
    "dp_spend": lambda a, amount, key: ledger.dp_spend(allocation=a, amount=amount, key=key, description="spend"),
    "return": lambda a, amount, key: ledger.return_to_stream(allocation=a, amount=amount, key=key),
    "allocate": lambda a, amount, key: ledger.allocate(allocation=a, amount=amount, key=key),
}


class LedgerMachine(RuleBasedStateMachine):
    @initialize()
    def budget(self) -> None:
        self.allocation = AllocationFactory()
        ledger.stream_fund(stream=self.allocation.stream, amount=Decimal("2000.00"), key=f"fund-{self.allocation.pk}")
        ledger.allocate(allocation=self.allocation, amount=Decimal("1000.00"), key=f"allocate-{self.allocation.pk}")
        self.done: list[tuple[str, Decimal, str]] = []
        # Keys unique to this example: examples share one database transaction in the test.
        self.prefix = f"{self.allocation.pk}-"
        self.counter = 0

    @rule(operation=st.sampled_from(sorted(OPERATIONS)), amount=amounts)
    def operate(self, operation: str, amount: Decimal) -> None:
        self.counter += 1
        key = f"{self.prefix}{operation}-{self.counter}"
        try:
            OPERATIONS[operation](self.allocation, amount, key)
        except BrokerageError:
            assert not LedgerTransaction.objects.filter(idempotency_key=key).exists()
            return
        self.done.append((operation, amount, key))

    @rule(pick=st.integers(min_value=0, max_value=10_000))
    def replay(self, pick: int) -> None:
        # Draw an index always, then choose: what is drawn must not depend on the database.
        if not self.done:
            return
        operation, amount, key = self.done[pick % len(self.done)]
        before = Posting.objects.count()
        OPERATIONS[operation](self.allocation, amount, key)
        assert Posting.objects.count() == before

    @rule(pick=st.integers(min_value=0, max_value=10_000))
    def reverse_one(self, pick: int) -> None:
        candidates = list(
            LedgerTransaction.objects.filter(budget=self.allocation.budget, reversed_by__isnull=True)
            .exclude(kind="reversal")
            .order_by("id")
        )
        if not candidates:
            return
        original = candidates[pick % len(candidates)]
        self.counter += 1
        with contextlib.suppress(BrokerageError):
            ledger.reverse(original=original, key=f"{self.prefix}reverse-{self.counter}", actor=None, reason="test")

    @invariant()
    def every_transaction_balances(self) -> None:
        # Added up here, in Decimal: SQLite's SUM is floating point and would leave 1e-17 where 0 is due.
        totals: dict[int, Decimal] = defaultdict(Decimal)
        for transaction_id, amount in Posting.objects.values_list("transaction_id", "amount"):
            totals[transaction_id] += amount
        assert [total for total in totals.values() if total != 0] == []

    @invariant()
    def no_account_that_must_not_go_negative_does(self) -> None:
        for account in LedgerAccount.objects.exclude(kind__in=MAY_GO_NEGATIVE):
            assert ledger.balance(account) >= 0, account

    @invariant()
    def statement_totals_equal_ledger_sums(self) -> None:
        statement = budget_statement(self.allocation.budget)
        postings = Posting.objects.filter(account__allocation=self.allocation)
        # SQLite adds decimals up as floating point (0.01 may come back as 0.00999999999999091): to the penny.
        held = _pennies(postings.exclude(account__kind="spent").aggregate(total=Sum("amount"))["total"])
        spent = _pennies(postings.filter(account__kind="spent").aggregate(total=Sum("amount"))["total"])
        assert statement.total("balance") == held
        assert statement.total("spent") == spent
        money_in = statement.total("allocated") + statement.total("topped_up")
        assert money_in == held + spent + statement.total("returned")


def _pennies(total: Decimal | None) -> Decimal:
    return (total or Decimal(0)).quantize(Decimal("0.01"))


@pytest.mark.django_db
def test_random_sequences_of_ledger_operations_keep_every_invariant():
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=10 if CI else 25,
            stateful_step_count=20 if CI else 25,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
