"""On PostgreSQL: payment_intent.succeeded for one top-up delivered twice at the same moment, as one event
and as two events with different ids, records the top-up in the ledger once."""

import threading

import pytest
from django.db import connection

from brokerage.models import LedgerTransaction, TransactionKind
from marketplace.payments.models import EventOutcome, StripeEvent
from marketplace.payments.tests.stripe_support import signed, stripe_event
from marketplace.payments.tests.top_up_support import family, top_up
from marketplace.payments.top_up_models import TopUp, TopUpStatus
from marketplace.payments.webhooks import event_receive

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _at_once(council, deliveries: list[tuple[bytes, str]]) -> list[str]:  # type: ignore[no-untyped-def]
    start = threading.Barrier(len(deliveries))
    outcomes: list[str] = []

    def deliver(payload: bytes, signature: str) -> None:
        try:
            start.wait()
            outcomes.append(event_receive(payload=payload, signature=signature, council=council).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=delivery) for delivery in deliveries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _paid_event(made: TopUp, event_id: str) -> tuple[bytes, str]:
    intent = {"id": made.payment_intent_id, "object": "payment_intent", "amount": 2500, "currency": "gbp"}
    return signed(stripe_event("payment_intent.succeeded", intent, event_id=event_id))


def _card_top_up():  # type: ignore[no-untyped-def]
    found = family()
    made = top_up(found, amount="25.00")
    TopUp.objects.filter(pk=made.pk).update(payment_intent_id="pi_race")
    made.refresh_from_db()
    return found, made


def test_one_event_delivered_twice_at_once_records_the_top_up_once():
    found, made = _card_top_up()
    delivery = _paid_event(made, "evt_twice")

    outcomes = _at_once(found.council, [delivery, delivery])

    assert outcomes == [EventOutcome.HANDLED, EventOutcome.HANDLED]
    assert StripeEvent.objects.get(event_id="evt_twice").deliveries == 2
    assert LedgerTransaction.objects.filter(kind=TransactionKind.TOP_UP).count() == 1
    made.refresh_from_db()
    assert made.status == TopUpStatus.PAID
    assert made.status_changes.count() == 1


def test_two_events_for_one_payment_at_once_record_the_top_up_once():
    found, made = _card_top_up()

    outcomes = _at_once(found.council, [_paid_event(made, "evt_a"), _paid_event(made, "evt_b")])

    assert outcomes == [EventOutcome.HANDLED, EventOutcome.HANDLED]
    assert LedgerTransaction.objects.filter(kind=TransactionKind.TOP_UP).count() == 1
    made.refresh_from_db()
    assert made.status_changes.count() == 1
