"""On PostgreSQL, the same Stripe event delivered twice at the same moment is stored once and handled once."""

import threading

import pytest
from django.db import connection

from accounts.models import AuditEvent
from marketplace.payments.models import EventOutcome, PaymentStatus, StripeEvent
from marketplace.payments.tests.stripe_support import (
    connected_account,
    payment_run,
    signed,
    stripe_council,
    stripe_event,
    stripe_payment,
)
from marketplace.payments.webhooks import event_receive

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_deliveries_of_one_event_at_once_store_one_row_and_run_the_handler_once():
    council = stripe_council()
    payment = stripe_payment(payment_run(council), connected_account(council), status=PaymentStatus.SENT)
    transfer = {"id": "tr_1", "amount": 12345, "metadata": {"payment_id": str(payment.public_id)}}
    payload, signature = signed(stripe_event("transfer.reversed", transfer, event_id="evt_twice"))
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def deliver() -> None:
        try:
            start.wait()
            outcomes.append(event_receive(payload=payload, signature=signature, council=council).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == [EventOutcome.HANDLED, EventOutcome.HANDLED]
    stored = StripeEvent.objects.get(event_id="evt_twice")
    assert (stored.deliveries, stored.outcome) == (2, EventOutcome.HANDLED)
    assert AuditEvent.objects.filter(action="payments.transfer_reversed").count() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
