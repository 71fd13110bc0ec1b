"""ledger_post_many: a batch of transactions recorded together, each once under its key, never overdrawing."""

from decimal import Decimal

import pytest

from brokerage import ledger
from brokerage.exceptions import IdempotencyConflict, InsufficientFunds
from brokerage.models import AccountKind, LedgerTransaction, TransactionKind
from brokerage.tests.factories import AllocationFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def allocation():  # type: ignore[no-untyped-def]
    allocation = AllocationFactory()
    ledger.stream_fund(stream=allocation.stream, amount=D("1000.00"), key="fund-1")
    ledger.allocate(allocation=allocation, amount=D("1000.00"), key="alloc-1")
    return allocation


def _entries(allocation, *amounts: str, prefix: str = "move"):  # type: ignore[no-untyped-def]
    available = ledger.allocation_account(allocation, AccountKind.AVAILABLE)
    committed = ledger.allocation_account(allocation, AccountKind.COMMITTED)
    return [
        ledger.Entry(
            key=f"{prefix}-{number}",
            council=allocation.budget.council,
            kind=TransactionKind.COMMIT,
            movements=[ledger.Movement(available, committed, D(amount))],
            description="Batch",
            budget=allocation.budget,
        )
        for number, amount in enumerate(amounts)
    ]


def _balance(allocation, kind: str) -> Decimal:  # type: ignore[no-untyped-def]
    return ledger.balance(ledger.allocation_account(allocation, kind))


def test_a_batch_records_one_balanced_transaction_per_entry(allocation):
    pks = ledger.ledger_post_many(entries=_entries(allocation, "100.00", "250.00"))

    records = [LedgerTransaction.objects.get(pk=pk) for pk in pks]
    assert [record.idempotency_key for record in records] == ["move-0", "move-1"]
    assert all(sum(p.amount for p in record.postings.all()) == 0 for record in records)
    assert _balance(allocation, AccountKind.COMMITTED) == D("350.00")


def test_replaying_a_batch_records_nothing_twice(allocation):
    first = ledger.ledger_post_many(entries=_entries(allocation, "100.00", "250.00"))

    again = ledger.ledger_post_many(entries=_entries(allocation, "100.00", "250.00", "5.00"))

    assert again[:2] == first
    assert LedgerTransaction.objects.filter(kind=TransactionKind.COMMIT).count() == 3
    assert _balance(allocation, AccountKind.COMMITTED) == D("355.00")


def test_replaying_a_key_with_another_amount_is_refused(allocation):
    ledger.ledger_post_many(entries=_entries(allocation, "100.00"))

    with pytest.raises(IdempotencyConflict):
        ledger.ledger_post_many(entries=_entries(allocation, "90.00"))


def test_a_batch_that_would_overdraw_records_what_fits_one_at_a_time_and_refuses_the_rest(allocation):
    with pytest.raises(InsufficientFunds):
        ledger.ledger_post_many(entries=_entries(allocation, "600.00", "600.00"))

    assert _balance(allocation, AccountKind.COMMITTED) == D("600.00")
    assert _balance(allocation, AccountKind.AVAILABLE) == D("400.00")


def test_allocation_accounts_finds_the_existing_accounts_and_creates_the_missing_ones_once(allocation) -> None:  # type: ignore[no-untyped-def]
    other = AllocationFactory()
    available = ledger.allocation_account(allocation, AccountKind.AVAILABLE)
    kinds = (AccountKind.AVAILABLE, AccountKind.SPENT)

    found = ledger.allocation_accounts([allocation, other], kinds)
    again = ledger.allocation_accounts([allocation, other], kinds)

    assert found == again
    assert found[allocation.pk, AccountKind.AVAILABLE] == available
    for record in (allocation, other):
        for kind in kinds:
            account = found[record.pk, kind]
            assert account == ledger.allocation_account(record, kind)
            assert (account.council, account.stream) == (record.budget.council, record.stream)
