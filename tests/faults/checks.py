"""What every fault test asserts afterwards: nothing lost, nothing paid twice, the ledger balances and no
payment is left half written."""

import psycopg
from django.db import connection
from django.db.models import Count

from brokerage.models import LedgerTransaction, TransactionKind
from marketplace.payments.models import ItemStatus, Payment, PaymentItem, PaymentStatus
from marketplace.tests.dataprotection_factories import unbalanced_transactions

# What a payment's items must be in, for each state the payment can be left in.
ITEMS_OF = {
    PaymentStatus.PENDING: {ItemStatus.PENDING},
    PaymentStatus.SENT: {ItemStatus.SENT},
    PaymentStatus.PAID: {ItemStatus.PAID},
}


def ledger_balances() -> None:
    """Every ledger transaction's postings add up to nothing (double entry)."""
    assert unbalanced_transactions() == []


def nothing_half_written() -> None:
    """A payment is either wholly recorded (items sent or paid, each with its ledger movement) or not at
    all (pending items, no movement under their keys)."""
    for payment in Payment.objects.prefetch_related("items"):
        items = list(payment.items.all())
        assert {item.status for item in items} <= ITEMS_OF[payment.status], (payment, payment.status)
        keys = [item.ledger_key for item in items]
        moved = LedgerTransaction.objects.filter(idempotency_key__in=keys).count()
        assert moved == (len(items) if payment.status != PaymentStatus.PENDING else 0), payment


def each_item_paid_once(items: int) -> None:
    """``items`` invoices, each in exactly one live payment item and moved to spent exactly once."""
    paid = PaymentItem.objects.filter(status__in=(ItemStatus.SENT, ItemStatus.PAID))
    assert paid.count() == items
    assert paid.values("invoice").distinct().count() == items
    assert not paid.values("invoice").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert LedgerTransaction.objects.filter(kind=TransactionKind.PAY).count() == items


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate_backend(pid: int) -> None:
    """Drop a backend's connection from a second connection, as a failover or a restarted server would."""
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
