"""Against localstripe, a stateful fake Stripe server: the council's client reaches a Stripe-shaped API with
the council's key at its api_base, and a webhook that localstripe signs itself is accepted and handled.
(localstripe has no Connect endpoints: those requests are checked at the recorder, test_stripe_gateway.py.)"""

import time
import uuid

import pytest
import requests
import stripe

from marketplace.payments.models import EventOutcome
from marketplace.payments.stripe_gateway import stripe_client
from marketplace.payments.tests.stripe_support import WEBHOOK_SECRET, stripe_council
from marketplace.payments.webhooks import event_receive

pytestmark = pytest.mark.django_db

WEBHOOK_WAIT_SECONDS = 15  # localstripe waits a second before sending each webhook


def test_a_payment_intent_created_through_the_councils_client_can_be_read_back(localstripe):
    client = stripe_client(stripe_council(api_base=localstripe))

    created = client.v1.payment_intents.create(params={"amount": 2500, "currency": "gbp"})
    read = client.v1.payment_intents.retrieve(created.id)

    assert created.id.startswith("pi_")
    assert (read.id, read.amount, read.currency, read.status) == (created.id, 2500, "gbp", created.status)


def test_a_council_key_the_server_does_not_accept_is_an_authentication_error(localstripe):
    council = stripe_council(api_base=localstripe)
    council.payment_settings.stripe_secret_key = "not_a_secret_key"
    council.payment_settings.save()

    with pytest.raises(stripe.AuthenticationError):
        stripe_client(council).v1.payment_intents.create(params={"amount": 2500, "currency": "gbp"})


def _register_webhook(localstripe: str, url: str) -> None:
    """localstripe's own configuration call: where to send which events, signed with which secret."""
    config = {"url": url, "secret": WEBHOOK_SECRET, "events": ["payout.paid"]}
    requests.post(f"{localstripe}/_config/webhooks/{uuid.uuid4().hex}", json=config, timeout=5).raise_for_status()


def test_a_webhook_localstripe_signs_is_verified_stored_and_handled(localstripe, recorder):
    council = stripe_council(api_base=localstripe)
    recorder.reply("POST", "/stripe-webhook", {})
    _register_webhook(localstripe, f"{recorder.url}/stripe-webhook")

    # localstripe pays out only in euros
    payout = stripe_client(council).v1.payouts.create(params={"amount": 1000, "currency": "eur", "status": "paid"})
    deadline = time.monotonic() + WEBHOOK_WAIT_SECONDS
    while not [r for r in recorder.requests if r.path == "/stripe-webhook"] and time.monotonic() < deadline:
        time.sleep(0.1)
    [delivery] = [r for r in recorder.requests if r.path == "/stripe-webhook"]

    stored = event_receive(payload=delivery.body, signature=delivery.headers["stripe-signature"], council=council)

    assert (stored.type, stored.outcome) == ("payout.paid", EventOutcome.HANDLED)
    assert stored.outcome_detail == f"Payout {payout.id} of 10.00 EUR from the council's account: paid"
