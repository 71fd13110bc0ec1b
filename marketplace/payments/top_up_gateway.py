"""Stripe calls for top-ups, on the council's own Stripe account (``stripe_client``): the PaymentIntent a
family pays with the Payment Element, cancelling it when they pay by bank transfer instead, refunds, and the
refunds of a PaymentIntent (to find one made in Stripe's dashboard).

Amounts are pence only here. Every POST carries an idempotency key, so a retried request makes one object.
"""

from dataclasses import dataclass
from decimal import Decimal

import stripe

from marketplace.payments.stripe_gateway import _plain, pence, stripe_client
from marketplace.payments.top_up_models import TopUp, TopUpRefund


@dataclass(frozen=True)
class CardPayment:
    payment_intent_id: str
    client_secret: str
    status: str


@dataclass(frozen=True)
class StripeRefund:
    refund_id: str
    amount: Decimal
    status: str
    our_refund_id: str


def payment_intent_create(*, top_up: TopUp) -> CardPayment:
    """A PaymentIntent for the top-up, in pounds sterling, by card, tagged with its reference."""
    try:
        intent = stripe_client(top_up.council).v1.payment_intents.create(
            params={
                "amount": pence(top_up.amount),
                "currency": "gbp",
                "payment_method_types": ["card"],
                "metadata": {"top_up": str(top_up.public_id), "reference": top_up.reference},
            },
            options={"idempotency_key": top_up.ledger_key},
        )
    except stripe.StripeError as error:
        raise _plain(error, f"to take a card payment of £{top_up.amount:,.2f}") from error
    return CardPayment(payment_intent_id=intent.id, client_secret=intent.client_secret, status=intent.status)


def payment_intent_read(*, top_up: TopUp) -> CardPayment:
    try:
        intent = stripe_client(top_up.council).v1.payment_intents.retrieve(top_up.payment_intent_id)
    except stripe.StripeError as error:
        raise _plain(error, "to tell us how your card payment went") from error
    return CardPayment(payment_intent_id=intent.id, client_secret=intent.client_secret, status=intent.status)


def payment_intent_cancel(*, top_up: TopUp) -> None:
    """Stop the card payment (the family pays by bank transfer instead), so that it cannot be paid twice."""
    try:
        stripe_client(top_up.council).v1.payment_intents.cancel(top_up.payment_intent_id)
    except stripe.StripeError as error:
        raise _plain(error, "to stop the card payment") from error


def refund_create(*, refund: TopUpRefund) -> StripeRefund:
    top_up = refund.top_up
    try:
        made = stripe_client(top_up.council).v1.refunds.create(
            params={
                "payment_intent": top_up.payment_intent_id,
                "amount": pence(refund.amount),
                "metadata": {"top_up": str(top_up.public_id), "top_up_refund": str(refund.public_id)},
            },
            options={"idempotency_key": f"top-up-refund-{refund.public_id}"},
        )
    except stripe.StripeError as error:
        raise _plain(error, f"the refund of £{refund.amount:,.2f}") from error
    return _refund(made)


def refunds_of(*, top_up: TopUp) -> list[StripeRefund]:
    """Every refund Stripe holds for the top-up's PaymentIntent."""
    try:
        page = stripe_client(top_up.council).v1.refunds.list(params={"payment_intent": top_up.payment_intent_id})
        return [_refund(refund) for refund in page.auto_paging_iter()]
    except stripe.StripeError as error:
        raise _plain(error, f"to list the refunds of {top_up.reference}") from error


def _refund(refund: stripe.Refund) -> StripeRefund:
    metadata = refund.metadata or {}
    return StripeRefund(
        refund_id=refund.id,
        amount=Decimal(refund.amount) / 100,
        status=refund.status or "",
        our_refund_id=metadata.get("top_up_refund", "") if hasattr(metadata, "get") else "",
    )
