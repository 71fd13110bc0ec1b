"""What Stripe tells a council: webhook events, verified, stored raw and handled exactly once.

1. The ``Stripe-Signature`` header is checked against the council's webhook secret (else the deployment's)
   with Stripe's own algorithm, and refused when older than five minutes (a replayed request).
2. The event is stored raw under its Stripe id before anything is done with it. A second delivery of the
   same id, even one arriving at the same moment as the first, finds the stored row (the id is unique) and
   only counts the delivery.
3. The event is handled under a row lock, and only while its outcome is still "received" (or "failed", so
   that Stripe's retry of a failed one tries again): a duplicate never runs a handler twice.
4. Handlers depend on the state in Stripe's object, not on the order of arrival: an ``account.updated``
   older than the account's last known state is ignored; a transfer event only records what it says.
   Each handler's outcome and a sentence about it are stored on the event.
"""

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.events import audit_record
from accounts.ids import is_uuid
from accounts.models import Organisation
from accounts.notifications import notification_send_many
from marketplace.payments.bank_accounts import finance_officers_of
from marketplace.payments.exceptions import GatewayError
from marketplace.payments.models import (
    ConnectedAccount,
    EventOutcome,
    Payment,
    PaymentSettings,
    PaymentStatus,
    StripeEvent,
)
from marketplace.payments.runs import payment_reversed
from marketplace.payments.stripe_gateway import account_refresh
from marketplace.payments.top_ups import (
    on_charge_refunded,
    on_payment_intent_failed,
    on_payment_intent_succeeded,
    on_refund_updated,
)

logger = logging.getLogger(__name__)

TOLERANCE_SECONDS = 300
REDELIVERABLE = (EventOutcome.RECEIVED, EventOutcome.FAILED)

Outcome = tuple[str, str]


class WebhookRejected(GatewayError):
    """The request is not a genuine, fresh Stripe event: answered 400 and not stored."""


# --- Receiving ------------------------------------------------------------------------------------------


def _webhook_secret(council: Organisation | None) -> str:
    payment_settings = PaymentSettings.objects.filter(council=council).first() if council else None
    secret = (payment_settings and payment_settings.stripe_webhook_secret) or settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise WebhookRejected("No Stripe webhook secret is set for this endpoint")
    return secret


def _verified(payload: bytes, signature: str, secret: str) -> dict[str, Any]:
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(text, signature, secret, TOLERANCE_SECONDS)
        data = json.loads(text)
    except stripe.SignatureVerificationError as error:
        raise WebhookRejected(f"Signature refused: {error}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise WebhookRejected("The body is not JSON") from error
    if not isinstance(data, dict) or not all(isinstance(data.get(key), str) for key in ("id", "type")):
        raise WebhookRejected("The body is not a Stripe event")
    if not isinstance(data.get("created"), int):
        raise WebhookRejected("The event has no creation time")
    return data


def _stored(data: dict[str, Any], council: Organisation | None) -> StripeEvent:
    """The stored event: new, or the one already stored under this id with its delivery counted."""
    defaults = {
        "council": council,
        "type": data["type"],
        "stripe_account": data.get("account") or "",
        "created": datetime.fromtimestamp(data["created"], tz=UTC),
        "payload": data,
    }
    try:
        # Its own savepoint: when another request inserts the same id first, only this insert is undone.
        with transaction.atomic():
            event, created = StripeEvent.objects.get_or_create(event_id=data["id"], defaults=defaults)
    except IntegrityError:
        event, created = StripeEvent.objects.get(event_id=data["id"]), False
    if not created:
        StripeEvent.objects.filter(pk=event.pk).update(deliveries=F("deliveries") + 1)
        event.refresh_from_db()
    return event


def event_receive(*, payload: bytes, signature: str, council: Organisation | None = None) -> StripeEvent:
    """Verify, store and handle one webhook delivery; the stored event with its outcome. Raises
    ``WebhookRejected`` for a bad signature, a stale timestamp or a body that is not an event."""
    data = _verified(payload, signature, _webhook_secret(council))
    event = _stored(data, council)
    return event_dispatch(event=event)


@transaction.atomic
def event_dispatch(*, event: StripeEvent) -> StripeEvent:
    """Run the event's handler once: the row lock makes a concurrent duplicate wait, then see the outcome."""
    event = StripeEvent.objects.select_for_update().get(pk=event.pk)
    if event.outcome not in REDELIVERABLE:
        return event
    handler = HANDLERS.get(event.type) or _handler_by_prefix(event.type)
    try:
        with transaction.atomic():  # a failing handler's writes are undone, the outcome is still kept
            outcome, detail = handler(event)
    except Exception as error:  # any failure is recorded on the event, and Stripe is asked to retry
        logger.exception("Stripe event %s (%s) failed", event.event_id, event.type)
        outcome, detail = EventOutcome.FAILED, f"{type(error).__name__}: {error}"
    event.outcome, event.outcome_detail, event.handled_at = outcome, detail[:2000], timezone.now()
    event.save(update_fields=["outcome", "outcome_detail", "handled_at"])
    return event


# --- Handlers -------------------------------------------------------------------------------------------


def _object(event: StripeEvent) -> dict[str, Any]:
    return event.payload.get("data", {}).get("object", {})


def _account_updated(event: StripeEvent) -> Outcome:
    data = _object(event)
    accounts = ConnectedAccount.objects.select_for_update().filter(stripe_account_id=data.get("id", ""))
    if event.council_id:
        accounts = accounts.filter(council_id=event.council_id)
    account = accounts.first()
    if account is None:
        return EventOutcome.IGNORED, f"No connected account {data.get('id')} is registered here"
    # Stripe's times are whole seconds: an event from the same second as our last state is applied.
    if event.created < account.updated_at.replace(microsecond=0):
        return EventOutcome.IGNORED, (
            f"Older than the account's last known state ({account.updated_at:%Y-%m-%d %H:%M:%S} UTC): not applied"
        )
    account_refresh(account=account, data=data, as_of=event.created)
    state = "can receive payments" if account.can_receive_transfers else "cannot receive payments yet"
    due = f"; Stripe still needs: {', '.join(account.requirements_due)}" if account.requirements_due else ""
    return EventOutcome.HANDLED, f"Account {account.stripe_account_id} {state}{due}"


def _payment_for_transfer(event: StripeEvent, transfer: dict[str, Any]) -> Payment | None:
    """The payment by its transfer id, or by the payment id we put in the transfer's metadata (the
    transfer.created event can arrive before the run has saved the transfer id)."""
    match = Q(stripe_transfer_id=transfer["id"]) if transfer.get("id") else Q(pk__in=[])
    payment_id = (transfer.get("metadata") or {}).get("payment_id", "")
    if is_uuid(payment_id):
        match |= Q(public_id=payment_id)
    payments = Payment.objects.select_for_update().filter(match)
    if event.council_id:
        payments = payments.filter(run__council_id=event.council_id)
    return payments.select_related("run", "run__council").first()


def _transfer_recorded(event: StripeEvent) -> Outcome:
    transfer = _object(event)
    payment = _payment_for_transfer(event, transfer)
    if payment is None:
        return EventOutcome.IGNORED, f"No payment here for transfer {transfer.get('id')}"
    if not payment.stripe_transfer_id:
        payment.stripe_transfer_id = transfer["id"]
        payment.save(update_fields=["stripe_transfer_id"])
        return EventOutcome.HANDLED, f"Transfer {transfer['id']} recorded on payment {payment.public_id}"
    return EventOutcome.HANDLED, f"Payment {payment.public_id} already has transfer {payment.stripe_transfer_id}"


def _transfer_reversed(event: StripeEvent) -> Outcome:
    """The money came back from the payee's account. Reversed in full, the payment failed: its ledger
    movements are reversed and what it paid is payable again (``payment_reversed``). In part, nothing is
    undone automatically (which invoice the part belongs to is a finance officer's call): they are told."""
    transfer = _object(event)
    payment = _payment_for_transfer(event, transfer)
    if payment is None:
        return EventOutcome.IGNORED, f"No payment here for transfer {transfer.get('id')}"
    if payment.status == PaymentStatus.FAILED:
        return EventOutcome.HANDLED, f"Payment {payment.public_id} was already marked failed"
    reversed_pence = transfer.get("amount_reversed") or transfer.get("amount") or 0
    reason = f"Stripe reversed transfer {transfer['id']} (£{reversed_pence / 100:,.2f} returned)"
    previous = payment.status
    if payment.stripe_transfer_id != transfer["id"]:
        Payment.objects.filter(pk=payment.pk).update(stripe_transfer_id=transfer["id"])
    partial = 0 < reversed_pence < round(payment.amount * 100)
    if partial:
        notification_send_many(
            recipients=finance_officers_of(payment.run.council),
            subject=f"Part of a payment in run {payment.run.reference} came back",
            body=f"{reason} of the £{payment.amount:,.2f} paid to {payment.payee_name}. Record a refund or "
            "pay the difference by hand; nothing was changed automatically.",
        )
    else:
        payment = payment_reversed(payment=payment, reason=reason)
    audit_record(
        actor=None,
        action="payments.transfer_reversed",
        target=payment,
        council=payment.run.council,
        summary=f"{payment}: {reason}" + (" (in part: finance officers told)" if partial else ""),
        data={"event": event.event_id, "previous_status": previous, "partial": partial},
    )
    if partial:
        return EventOutcome.HANDLED, f"Payment {payment.public_id}: {reason} in part; finance officers told"
    return EventOutcome.HANDLED, f"Payment {payment.public_id} marked failed and payable again: {reason}"


def _payout(event: StripeEvent) -> Outcome:
    """Payouts move money from a connected account to the payee's bank: the payee's business, not ours,
    so they are only recorded."""
    payout = _object(event)
    amount, currency = (payout.get("amount") or 0) / 100, (payout.get("currency") or "gbp").upper()
    money = f"£{amount:,.2f}" if currency == "GBP" else f"{amount:,.2f} {currency}"
    where = event.stripe_account or "the council's account"
    status = payout.get("status") or event.type.removeprefix("payout.")
    return EventOutcome.HANDLED, f"Payout {payout.get('id')} of {money} from {where}: {status}"


def _not_ours(event: StripeEvent) -> Outcome:
    return EventOutcome.IGNORED, f"{event.type} is not a kind of event this service acts on"


HANDLERS: dict[str, Callable[[StripeEvent], Outcome]] = {
    "account.updated": _account_updated,
    "transfer.created": _transfer_recorded,
    "transfer.updated": _transfer_recorded,
    "transfer.reversed": _transfer_reversed,
    # Top-ups (marketplace.payments.top_ups): the ledger records a top-up only when Stripe says it succeeded.
    "payment_intent.succeeded": on_payment_intent_succeeded,
    "payment_intent.payment_failed": on_payment_intent_failed,
    "charge.refunded": on_charge_refunded,
    # A refund Stripe accepted can fail later (the card was closed): the money goes back into the budget once.
    # Older API versions send charge.refund.updated only; newer ones refund.failed and refund.updated too.
    "refund.failed": on_refund_updated,
    "refund.updated": on_refund_updated,
    "charge.refund.updated": on_refund_updated,
}
PREFIX_HANDLERS: dict[str, Callable[[StripeEvent], Outcome]] = {"payout.": _payout}


def _handler_by_prefix(event_type: str) -> Callable[[StripeEvent], Outcome]:
    for prefix, handler in PREFIX_HANDLERS.items():
        if event_type.startswith(prefix):
            return handler
    return _not_ours
