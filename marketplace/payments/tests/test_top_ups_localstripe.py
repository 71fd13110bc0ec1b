"""Top-ups by card against localstripe, a stateful fake Stripe server: the PaymentIntent is created on the
council's account, confirmed with Stripe's test cards, and the ledger records the money only when the
webhook localstripe signs and sends arrives, once however often it is delivered; refunds go through Stripe
and out of the budget.

localstripe knows the test payment methods pm_card_visa and pm_card_chargeCustomerFail (declined when
charged; it has no pm_card_chargeDeclined), and asks for 3-D Secure for card 4000002760003184 (a payment
method made from the number). It ignores Idempotency-Key and never sends charge.refunded, so that event is
signed here with Stripe's algorithm."""

import time
import uuid
from decimal import Decimal

import pytest
import requests
import stripe

from brokerage.models import LedgerTransaction, TransactionKind
from marketplace.payments import top_ups
from marketplace.payments.models import EventOutcome
from marketplace.payments.stripe_gateway import stripe_client
from marketplace.payments.tests.stripe_support import WEBHOOK_SECRET, signed, stripe_event
from marketplace.payments.tests.top_up_support import PUBLISHABLE_KEY, available, family, top_up
from marketplace.payments.top_up_models import RefundStatus, TopUpStatus
from marketplace.payments.webhooks import event_receive

pytestmark = pytest.mark.django_db

WEBHOOK_WAIT_SECONDS = 15  # localstripe waits a second before sending each webhook


def _listen(localstripe: str, recorder, events: list[str]) -> None:  # type: ignore[no-untyped-def]
    recorder.reply("POST", "/stripe-webhook", {})
    config = {"url": f"{recorder.url}/stripe-webhook", "secret": WEBHOOK_SECRET, "events": events}
    requests.post(f"{localstripe}/_config/webhooks/{uuid.uuid4().hex}", json=config, timeout=5).raise_for_status()


def _delivery(recorder, event_type: str):  # type: ignore[no-untyped-def]
    """The first webhook of ``event_type`` localstripe sent to the recorder."""
    deadline = time.monotonic() + WEBHOOK_WAIT_SECONDS
    while time.monotonic() < deadline:
        for request in recorder.requests:
            if request.path == "/stripe-webhook" and f'"type": "{event_type}"' in request.body.decode():
                return request
        time.sleep(0.1)
    raise AssertionError(f"localstripe sent no {event_type} webhook")


def _receive(delivery, council):  # type: ignore[no-untyped-def]
    return event_receive(payload=delivery.body, signature=delivery.headers["stripe-signature"], council=council)


def _pay_with(council, payment_intent_id: str, payment_method: str):  # type: ignore[no-untyped-def]
    """What Stripe.js does in the family's browser: attach the card, then confirm."""
    client = stripe_client(council)
    client.v1.payment_intents.update(payment_intent_id, params={"payment_method": payment_method})
    return client.v1.payment_intents.confirm(payment_intent_id)


def test_the_payment_intent_is_made_on_the_councils_account_in_pence_with_the_reference(localstripe):
    found = family(localstripe)
    made = top_up(found, amount="25.50")

    card = top_ups.top_up_card_start(top_up=made)

    intent = stripe_client(found.council).v1.payment_intents.retrieve(card.payment_intent_id)
    assert (intent.amount, intent.currency, intent.status) == (2550, "gbp", "requires_payment_method")
    assert intent.metadata["reference"] == made.reference and intent.metadata["top_up"] == str(made.public_id)
    assert card.client_secret.startswith(f"{intent.id}_secret_")
    made.refresh_from_db()
    assert made.payment_intent_id == intent.id


def test_starting_the_card_payment_again_reads_the_same_payment_intent(localstripe):
    made = top_up(family(localstripe))
    first = top_ups.top_up_card_start(top_up=made)

    again = top_ups.top_up_card_start(top_up=made)

    assert again.payment_intent_id == first.payment_intent_id


def test_a_visa_payment_is_recorded_in_the_budget_once_when_the_webhook_arrives_twice(localstripe, recorder):
    found = family(localstripe, allocated="500.00")
    made = top_up(found, amount="25.00")
    _listen(localstripe, recorder, ["payment_intent.succeeded"])
    card = top_ups.top_up_card_start(top_up=made)

    assert _pay_with(found.council, card.payment_intent_id, "pm_card_visa").status == "succeeded"
    made.refresh_from_db()
    assert made.status == TopUpStatus.WAITING  # the browser's word is not enough: the webhook decides

    delivery = _delivery(recorder, "payment_intent.succeeded")
    first = _receive(delivery, found.council)
    second = _receive(delivery, found.council)

    assert (first.outcome, second.outcome, second.deliveries) == (EventOutcome.HANDLED, EventOutcome.HANDLED, 2)
    made.refresh_from_db()
    assert made.status == TopUpStatus.PAID
    assert LedgerTransaction.objects.filter(kind=TransactionKind.TOP_UP, reference=made.reference).count() == 1
    assert available(found.allocation) == Decimal("525.00")


def test_a_declined_card_marks_the_top_up_failed_and_records_nothing(localstripe, recorder):
    found = family(localstripe)
    made = top_up(found)
    _listen(localstripe, recorder, ["payment_intent.payment_failed"])
    card = top_ups.top_up_card_start(top_up=made)

    with pytest.raises(stripe.CardError):
        _pay_with(found.council, card.payment_intent_id, "pm_card_chargeCustomerFail")
    stored = _receive(_delivery(recorder, "payment_intent.payment_failed"), found.council)

    assert stored.outcome == EventOutcome.HANDLED
    made.refresh_from_db()
    assert (made.status, made.failure_reason) == (TopUpStatus.FAILED, "Your card was declined.")
    assert made.transaction is None
    assert available(found.allocation) == Decimal("500.00")


def test_a_card_needing_3d_secure_waits_for_the_bank_and_is_recorded_once_authenticated(localstripe, recorder):
    found = family(localstripe)
    made = top_up(found, amount="40.00")
    _listen(localstripe, recorder, ["payment_intent.succeeded"])
    card = top_ups.top_up_card_start(top_up=made)
    client = stripe_client(found.council)
    three_d_secure = client.v1.payment_methods.create(
        params={"type": "card", "card": {"number": "4000002760003184", "exp_month": 12, "exp_year": 2030, "cvc": "123"}}
    )

    assert _pay_with(found.council, card.payment_intent_id, three_d_secure.id).status == "requires_action"
    # The family completes their bank's check (localstripe's stand-in for the 3-D Secure page).
    requests.post(
        f"{localstripe}/v1/payment_intents/{card.payment_intent_id}/_authenticate",
        data={"key": PUBLISHABLE_KEY, "client_secret": card.client_secret, "success": "true"},
        timeout=5,
    ).raise_for_status()
    _receive(_delivery(recorder, "payment_intent.succeeded"), found.council)

    made.refresh_from_db()
    assert made.status == TopUpStatus.PAID
    assert available(found.allocation) == Decimal("540.00")


def _paid_by_card(localstripe: str, recorder, amount: str = "30.00"):  # type: ignore[no-untyped-def]
    found = family(localstripe, allocated="100.00")
    made = top_up(found, amount=amount)
    _listen(localstripe, recorder, ["payment_intent.succeeded"])
    card = top_ups.top_up_card_start(top_up=made)
    _pay_with(found.council, card.payment_intent_id, "pm_card_visa")
    _receive(_delivery(recorder, "payment_intent.succeeded"), found.council)
    made.refresh_from_db()
    return found, made


def test_a_part_refund_goes_through_stripe_and_out_of_the_budget_then_the_rest(localstripe, recorder):
    found, made = _paid_by_card(localstripe, recorder, amount="30.00")

    part = top_ups.top_up_refund(top_up=made, actor=found.fay, amount=Decimal("10.00"), reason="Session cancelled")
    made.refresh_from_db()
    assert (made.status, part.status) == (TopUpStatus.PART_REFUNDED, RefundStatus.DONE)
    assert stripe_client(found.council).v1.refunds.retrieve(part.stripe_refund_id).amount == 1000
    assert available(found.allocation) == Decimal("120.00")

    rest = top_ups.top_up_refund(top_up=made, actor=found.fay, amount=Decimal("20.00"), reason="Plan changed")
    made.refresh_from_db()
    assert made.status == TopUpStatus.REFUNDED
    assert rest.stripe_refund_id != part.stripe_refund_id
    assert available(found.allocation) == Decimal("100.00")
    assert top_ups.refundable(made) == Decimal("0.00")


def test_charge_refunded_records_a_refund_made_in_stripes_dashboard_once_and_ours_not_again(localstripe, recorder):
    found, made = _paid_by_card(localstripe, recorder, amount="30.00")
    ours = top_ups.top_up_refund(top_up=made, actor=found.fay, amount=Decimal("5.00"), reason="Overpaid")
    dashboard = stripe_client(found.council).v1.refunds.create(
        params={"payment_intent": made.payment_intent_id, "amount": 700}
    )
    charge = {"id": "ch_1", "object": "charge", "payment_intent": made.payment_intent_id, "amount_refunded": 1200}

    for _ in range(2):
        payload, signature = signed(stripe_event("charge.refunded", charge, event_id="evt_refunded"))
        stored = event_receive(payload=payload, signature=signature, council=found.council)

    assert (stored.outcome, stored.deliveries) == (EventOutcome.HANDLED, 2)
    assert stored.outcome_detail == f"Refunds {dashboard.id} of {made} recorded"
    refunds = {refund.stripe_refund_id: refund.amount for refund in made.refunds.all()}
    assert refunds == {ours.stripe_refund_id: Decimal("5.00"), dashboard.id: Decimal("7.00")}
    assert available(found.allocation) == Decimal("118.00")
    made.refresh_from_db()
    assert made.status == TopUpStatus.PART_REFUNDED


def test_paying_by_bank_transfer_instead_cancels_the_payment_intent(localstripe):
    found = family(localstripe)
    made = top_up(found)
    card = top_ups.top_up_card_start(top_up=made)

    top_ups.top_up_switch_to_bank_transfer(top_up=made, actor=found.alice)

    assert stripe_client(found.council).v1.payment_intents.retrieve(card.payment_intent_id).status == "canceled"
    made.refresh_from_db()
    assert made.method == "bank_transfer"
