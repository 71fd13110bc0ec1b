"""Top-ups and contributions: a family pays into a budget by card or bank transfer; the ledger records the
money once it has arrived, and refunds take it back out.

- Card: ``top_up_card_start`` creates the PaymentIntent on the council's Stripe account; the family pays
  with Stripe's Payment Element. The ledger records the top-up only when ``payment_intent.succeeded`` arrives
  (``on_payment_intent_succeeded``), never from the browser's word.
- Bank transfer: the family quotes the top-up's reference; a finance officer records the money as received
  (``bank_transfer_received``).
- Both go through ``top_up_paid``, which locks the top-up and posts ``ledger.top_up`` under the top-up's own
  key: the second delivery of an event, a concurrent one, or a second click finds the transaction recorded.
- Refunds (``top_up_refund``) take the money out of what is available first, in our transaction, and only
  then ask Stripe; if Stripe refuses, the ledger movement is reversed. A refund made in Stripe's dashboard
  is found through ``charge.refunded`` and recorded under its Stripe id. A refund Stripe accepted that fails
  later (``refund.failed``, ``refund.updated``, ``charge.refund.updated``) puts the money back, once.
"""

import logging
import secrets
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.ids import is_uuid
from accounts.models import Organisation, User
from accounts.notifications import notification_send_many
from brokerage import ledger
from brokerage.exceptions import InsufficientFunds
from brokerage.models import Allocation, ConsentHolder, PlanLine
from marketplace.payments import top_up_gateway as gateway
from marketplace.payments.bank_accounts import finance_officers_of
from marketplace.payments.exceptions import GatewayError
from marketplace.payments.models import EventOutcome, StripeEvent
from marketplace.payments.top_up_models import (
    REFUNDABLE_STATUSES,
    TOP_UP_TRANSITIONS,
    RefundStatus,
    TopUp,
    TopUpMethod,
    TopUpReason,
    TopUpRefund,
    TopUpSettings,
    TopUpStatus,
    TopUpStatusChange,
)
from providers.models import Offer

logger = logging.getLogger(__name__)

ZERO = Decimal("0.00")
# No 0/O or 1/I: the reference is read from a screen and typed into a banking app.
REFERENCE_LETTERS = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8
MAXIMUM_TOP_UP = Decimal("10000.00")

Outcome = tuple[str, str]


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def reference_new() -> str:
    return "TU-" + "".join(secrets.choice(REFERENCE_LETTERS) for _ in range(REFERENCE_LENGTH))


def top_up_settings_for(council: Organisation) -> TopUpSettings:
    return TopUpSettings.objects.filter(council=council).first() or TopUpSettings(council=council)


def family_of(top_up: TopUp) -> list[User]:
    """Who is told about the top-up: whoever asked for it, and whoever holds consent for the person now."""
    holders = ConsentHolder.objects.filter(person=top_up.allocation.budget.person, ended_at__isnull=True)
    return [top_up.requested_by, *(holder.user for holder in holders.select_related("user"))]


def refunded_total(top_up: TopUp) -> Decimal:
    done = top_up.refunds.exclude(status=RefundStatus.FAILED).aggregate(total=Sum("amount"))["total"]
    return (done or ZERO).quantize(ledger.PENNY)


def refundable(top_up: TopUp) -> Decimal:
    if top_up.status not in REFUNDABLE_STATUSES:
        return ZERO
    return top_up.amount - refunded_total(top_up)


# --- Asking for a top-up -----------------------------------------------------------------------------


@transaction.atomic
def top_up_create(
    *,
    allocation: Allocation,
    actor: User,
    reason: str,
    amount: Decimal,
    method: str,
    plan_line: PlanLine | None = None,
    offer: Offer | None = None,
) -> TopUp:
    """A top-up the family has asked to pay; nothing is in the ledger until the money arrives."""
    person = allocation.budget.person
    if not person.consent_holders.filter(user=actor, ended_at__isnull=True).exists():
        raise ValidationError("Only the person who gives consent for the budget can pay into it")
    if plan_line is not None and plan_line.plan.budget_id != allocation.budget_id:
        raise ValidationError({"plan_line": "Choose a line of a plan for this budget"})
    if reason == TopUpReason.DEARER_OPTION and plan_line is None:
        raise ValidationError({"plan_line": "Choose the plan line the dearer option is for"})
    if amount <= 0 or amount > MAXIMUM_TOP_UP:
        raise ValidationError({"amount": f"Enter an amount between £0.01 and {_money(MAXIMUM_TOP_UP)}"})
    top_up = TopUp(
        council=allocation.budget.council,
        allocation=allocation,
        reason=reason,
        plan_line=plan_line,
        offer=offer or (plan_line.offer if plan_line else None),
        amount=ledger.money(amount),
        method=method,
        reference=reference_new(),
        requested_by=actor,
    )
    top_up.full_clean()
    top_up.save()
    audit_record(
        actor=actor,
        action="top_ups.created",
        target=top_up,
        council=top_up.council,
        summary=f"{top_up} of {_money(top_up.amount)} into {allocation.budget}, "
        f"by {top_up.get_method_display().lower()}",
    )
    if method == TopUpMethod.BANK_TRANSFER:
        _tell_finance_a_transfer_is_due(top_up)
    return top_up


def _tell_finance_a_transfer_is_due(top_up: TopUp) -> None:
    notification_send_many(
        recipients=finance_officers_of(top_up.council),
        subject=f"A bank transfer of {_money(top_up.amount)} is on its way ({top_up.reference})",
        body=f"{top_up.requested_by} will pay {_money(top_up.amount)} into the budget of "
        f"{top_up.allocation.budget.person} by bank transfer with the reference {top_up.reference}. Record it "
        "as received when it reaches the council's account.",
        link=reverse("top_ups:detail", args=[top_up.public_id]),
    )


def top_up_card_start(*, top_up: TopUp) -> gateway.CardPayment:
    """The PaymentIntent to pay by card: created at Stripe the first time (its idempotency key is the
    top-up's, so a second click gets the same one), read back after. Raises ``GatewayError``."""
    if top_up.payment_intent_id:
        return gateway.payment_intent_read(top_up=top_up)
    card = gateway.payment_intent_create(top_up=top_up)
    TopUp.objects.filter(pk=top_up.pk, payment_intent_id="").update(payment_intent_id=card.payment_intent_id)
    top_up.payment_intent_id = card.payment_intent_id
    return card


def top_up_switch_to_bank_transfer(*, top_up: TopUp, actor: User) -> TopUp:
    """Pay by bank transfer instead of by card: the PaymentIntent is cancelled first, so the money cannot
    arrive both ways."""
    if top_up.status not in (TopUpStatus.WAITING, TopUpStatus.FAILED) or top_up.method != TopUpMethod.CARD:
        raise ValidationError("Only a card payment that has not been made can be changed to a bank transfer")
    if top_up.payment_intent_id:
        status = gateway.payment_intent_read(top_up=top_up).status
        if status in ("succeeded", "processing"):
            raise ValidationError("Your card payment has already gone through: it will show here shortly")
        if status != "canceled":
            gateway.payment_intent_cancel(top_up=top_up)
    return _switched(top_up=top_up, actor=actor)


@transaction.atomic
def _switched(*, top_up: TopUp, actor: User) -> TopUp:
    top_up = TopUp.objects.select_for_update().get(pk=top_up.pk)
    top_up.method = TopUpMethod.BANK_TRANSFER
    top_up.save(update_fields=["method"])
    if top_up.status == TopUpStatus.FAILED:
        _status_set(top_up, TopUpStatus.WAITING, actor=actor, reason="Paying by bank transfer instead")
    audit_record(
        actor=actor,
        action="top_ups.method_changed",
        target=top_up,
        council=top_up.council,
        summary=f"{top_up}: to be paid by bank transfer instead of by card",
    )
    _tell_finance_a_transfer_is_due(top_up)
    return top_up


# --- Status ---------------------------------------------------------------------------------------------


def _status_set(top_up: TopUp, new: str, *, actor: User | None, reason: str = "", **fields: Any) -> None:
    """The one place a top-up's status changes: the move is checked and a history row written. The caller
    holds the row lock."""
    old = top_up.status
    if new not in TOP_UP_TRANSITIONS[old]:
        raise ValidationError(f"A top-up that is {top_up.get_status_display().lower()} cannot become {new}")
    top_up.status = new
    for name, value in fields.items():
        setattr(top_up, name, value)
    top_up.save(update_fields=["status", *fields])
    TopUpStatusChange.objects.create(
        top_up=top_up, old_status=old, new_status=new, actor=actor, reason=reason[:300], changed_at=timezone.now()
    )


@transaction.atomic
def top_up_paid(*, top_up: TopUp, actor: User | None, how: str) -> TopUp:
    """The money has arrived: the ledger records it in the budget, once. ``how`` says how we know."""
    top_up = TopUp.objects.select_for_update().select_related("allocation__budget__person").get(pk=top_up.pk)
    if top_up.transaction_id:
        return top_up
    record = ledger.top_up(
        allocation=top_up.allocation,
        amount=top_up.amount,
        key=top_up.ledger_key,
        description=f"{top_up.get_reason_display()}: {top_up.reference} paid by {top_up.get_method_display().lower()}",
        reference=top_up.reference,
        actor=actor,
    )
    _status_set(
        top_up,
        TopUpStatus.PAID,
        actor=actor,
        reason=how,
        transaction=record,
        paid_at=timezone.now(),
        received_by=actor if top_up.method == TopUpMethod.BANK_TRANSFER else None,
        failure_reason="",
    )
    audit_record(
        actor=actor,
        action="top_ups.paid",
        target=top_up,
        council=top_up.council,
        summary=f"{top_up} of {_money(top_up.amount)} paid into {top_up.allocation.budget}: {how}",
    )
    notification_send_many(
        recipients=family_of(top_up),
        subject=f"We have received your payment of {_money(top_up.amount)}",
        body=f"Your payment {top_up.reference} of {_money(top_up.amount)} is now in "
        f"{top_up.allocation.budget.person.first_name}'s budget ({top_up.allocation.stream.name}).",
        link=reverse("top_ups:detail", args=[top_up.public_id]),
    )
    return top_up


@transaction.atomic
def bank_transfer_received(*, top_up: TopUp, actor: User, amount: Decimal) -> TopUp:
    """A finance officer has found the transfer on the council's bank statement. Locked, so that a second
    officer (or a second click) is told it is already recorded."""
    top_up = TopUp.objects.select_for_update().get(pk=top_up.pk)
    if top_up.method != TopUpMethod.BANK_TRANSFER:
        raise ValidationError("This top-up is paid by card: Stripe tells us when it is paid")
    if top_up.transaction_id:
        raise ValidationError("This top-up has already been recorded as received")
    if amount != top_up.amount:
        raise ValidationError(
            {"amount": f"The top-up is for {_money(top_up.amount)}. If a different amount arrived, contact the family"}
        )
    return top_up_paid(top_up=top_up, actor=actor, how=f"bank transfer recorded as received by {actor}")


# --- Webhooks -------------------------------------------------------------------------------------------


def _event_object(event: StripeEvent) -> dict[str, Any]:
    return event.payload.get("data", {}).get("object", {})


def _top_up_for_intent(event: StripeEvent, payment_intent_id: str) -> TopUp | None:
    if not payment_intent_id:
        return None
    top_ups = TopUp.objects.filter(payment_intent_id=payment_intent_id)
    if event.council_id:
        top_ups = top_ups.filter(council_id=event.council_id)
    return top_ups.select_related("council").first()


def on_payment_intent_succeeded(event: StripeEvent) -> Outcome:
    intent = _event_object(event)
    top_up = _top_up_for_intent(event, intent.get("id", ""))
    if top_up is None:
        return EventOutcome.IGNORED, f"No top-up here for PaymentIntent {intent.get('id')}"
    received = intent.get("amount_received", intent.get("amount"))
    if received != gateway.pence(top_up.amount) or (intent.get("currency") or "gbp") != "gbp":
        # Never expected (we set the amount); a person must look rather than the ledger guess.
        notification_send_many(
            recipients=finance_officers_of(top_up.council),
            subject=f"Top-up {top_up.reference}: Stripe took a different amount",
            body=f"Stripe says {received} pence ({intent.get('currency')}) were paid for {top_up.reference}, "
            f"which is for {_money(top_up.amount)}. Nothing was recorded in the budget.",
        )
        return EventOutcome.IGNORED, f"{top_up} is for {_money(top_up.amount)}; Stripe took {received} pence"
    already = bool(top_up.transaction_id)
    top_up = top_up_paid(top_up=top_up, actor=None, how=f"Stripe: {intent['id']} succeeded")
    if already:
        return EventOutcome.HANDLED, f"{top_up} was already recorded in the budget"
    return EventOutcome.HANDLED, f"{top_up} of {_money(top_up.amount)} recorded in {top_up.allocation.budget}"


@transaction.atomic
def on_payment_intent_failed(event: StripeEvent) -> Outcome:
    intent = _event_object(event)
    found = _top_up_for_intent(event, intent.get("id", ""))
    if found is None:
        return EventOutcome.IGNORED, f"No top-up here for PaymentIntent {intent.get('id')}"
    top_up = TopUp.objects.select_for_update().get(pk=found.pk)
    if top_up.status != TopUpStatus.WAITING:
        return EventOutcome.HANDLED, f"{top_up} is {top_up.get_status_display().lower()}: left as it is"
    message = (intent.get("last_payment_error") or {}).get("message") or "The card payment did not go through"
    _status_set(top_up, TopUpStatus.FAILED, actor=None, reason=message, failure_reason=message[:300])
    return EventOutcome.HANDLED, f"{top_up}: card payment failed ({message})"


def on_charge_refunded(event: StripeEvent) -> Outcome:
    """Stripe gave money back on a top-up's charge: each refund not yet recorded here (one made in Stripe's
    dashboard) is taken out of the budget under its Stripe id."""
    charge = _event_object(event)
    top_up = _top_up_for_intent(event, charge.get("payment_intent") or "")
    if top_up is None:
        return EventOutcome.IGNORED, f"No top-up here for charge {charge.get('id')}"
    listed = (charge.get("refunds") or {}).get("data")
    stripe_refunds = [_from_payload(refund) for refund in listed] if listed else gateway.refunds_of(top_up=top_up)
    recorded = [
        refund.refund_id
        for refund in stripe_refunds
        if refund.status in ("succeeded", "pending") and _refund_found_in_stripe(top_up=top_up, stripe_refund=refund)
    ]
    if not recorded:
        return EventOutcome.HANDLED, f"Every refund of {top_up} was already recorded"
    return EventOutcome.HANDLED, f"Refunds {', '.join(recorded)} of {top_up} recorded"


def _from_payload(refund: dict[str, Any]) -> gateway.StripeRefund:
    return gateway.StripeRefund(
        refund_id=refund["id"],
        amount=Decimal(refund.get("amount") or 0) / 100,
        status=refund.get("status") or "",
        our_refund_id=(refund.get("metadata") or {}).get("top_up_refund", ""),
    )


@transaction.atomic
def _refund_found_in_stripe(*, top_up: TopUp, stripe_refund: gateway.StripeRefund) -> bool:
    """Record a Stripe refund we did not ask for; False when it is already recorded (ours, or seen before)."""
    top_up = TopUp.objects.select_for_update().get(pk=top_up.pk)
    ours = top_up.refunds.filter(stripe_refund_id=stripe_refund.refund_id)
    if stripe_refund.our_refund_id:
        ours = ours | top_up.refunds.filter(public_id=stripe_refund.our_refund_id)
    if ours.exists():
        return False
    refund = TopUpRefund.objects.create(
        top_up=top_up,
        amount=stripe_refund.amount,
        reason="Refunded in Stripe's dashboard",
        status=RefundStatus.DONE,
        stripe_refund_id=stripe_refund.refund_id,
    )
    try:
        with transaction.atomic():
            refund.transaction = _refund_posting(refund, key=f"top-up-refund-{stripe_refund.refund_id}", actor=None)
            refund.save(update_fields=["transaction"])
    except InsufficientFunds as error:
        # The money is back with the family but was spent or committed here meanwhile: a person decides.
        notification_send_many(
            recipients=finance_officers_of(top_up.council),
            subject=f"Top-up {top_up.reference} was refunded in Stripe but the budget has spent it",
            body=f"Stripe refunded {_money(refund.amount)} of {top_up.reference} ({stripe_refund.refund_id}). "
            f"It could not be taken out of the budget: {error}. Put the budget right by hand.",
            link=reverse("top_ups:detail", args=[top_up.public_id]),
        )
    _after_refund(top_up, refund, actor=None)
    return True


# Stripe's word for a refund that gave nothing back: it failed (after Stripe had accepted it) or was canceled.
REFUND_NOT_MADE = ("failed", "canceled")
# Stripe's refund failure_reason values, in words for the family and the finance officers.
REFUND_FAILURE_REASONS = {
    "lost_or_stolen_card": "the card was reported lost or stolen",
    "expired_or_canceled_card": "the card has expired or been cancelled",
    "charge_for_pending_refund_disputed": "the payment is being disputed with the bank",
    "insufficient_funds": "the council's Stripe balance could not cover it",
    "declined": "the card's bank declined it",
    "merchant_request": "it was cancelled at the council's request",
}


def on_refund_updated(event: StripeEvent) -> Outcome:
    """``refund.failed``, ``refund.updated`` and ``charge.refund.updated`` (the event's object is the refund):
    a refund Stripe accepted that failed or was canceled later gave the family nothing back, so its money
    returns to the budget. Any other status changes nothing here."""
    stripe_refund = _event_object(event)
    refund_id, status = stripe_refund.get("id") or "", stripe_refund.get("status") or ""
    if status not in REFUND_NOT_MADE:
        return EventOutcome.IGNORED, f"Refund {refund_id} is {status or 'without a status'}: nothing to change"
    found = _refund_for(event, stripe_refund)
    if found is None:
        return EventOutcome.IGNORED, f"No top-up refund here for Stripe refund {refund_id}"
    return refund_failed_later(refund=found, stripe_refund_id=refund_id, reason=_refund_failure(stripe_refund))


def _refund_for(event: StripeEvent, stripe_refund: dict[str, Any]) -> TopUpRefund | None:
    """Our refund, by its Stripe id or by our id in the refund's metadata (the event can arrive before
    ``top_up_refund`` has saved the Stripe id), on a top-up of the council whose endpoint received it."""
    match = Q(stripe_refund_id=stripe_refund["id"]) if stripe_refund.get("id") else Q(pk__in=[])
    ours = (stripe_refund.get("metadata") or {}).get("top_up_refund", "")
    if is_uuid(ours):
        match |= Q(public_id=ours)
    refunds = TopUpRefund.objects.filter(match)
    if event.council_id:
        refunds = refunds.filter(top_up__council_id=event.council_id)
    refund = refunds.select_related("top_up").first()
    intent = stripe_refund.get("payment_intent") or ""
    if refund is None or (intent and intent != refund.top_up.payment_intent_id):
        return None
    return refund


def _refund_failure(stripe_refund: dict[str, Any]) -> str:
    if stripe_refund.get("status") == "canceled":
        return "Stripe cancelled the refund"
    code = stripe_refund.get("failure_reason") or ""
    because = REFUND_FAILURE_REASONS.get(code, f"Stripe's reason: {code}" if code else "Stripe gave no reason")
    return f"Stripe could not return the money to the card: {because}"


@transaction.atomic
def refund_failed_later(*, refund: TopUpRefund, stripe_refund_id: str, reason: str) -> Outcome:
    """A refund that Stripe accepted has failed: marked failed, its ledger movement reversed, the top-up's
    status put back, finance officers and the family told. Under the top-up's row lock, and only while the
    refund is not already failed, so that a second event (or the same one twice) changes nothing."""
    top_up = TopUp.objects.select_for_update().select_related("council").get(pk=refund.top_up_id)
    refund = TopUpRefund.objects.get(pk=refund.pk)
    if refund.status == RefundStatus.FAILED:
        return EventOutcome.IGNORED, f"The refund of {_money(refund.amount)} of {top_up} was already marked failed"
    if refund.transaction_id:
        refund.reversal = ledger.reverse(
            original=refund.transaction, key=f"top-up-refund-{refund.public_id}-undone", actor=None, reason=reason
        )
    refund.status, refund.failure_reason = RefundStatus.FAILED, reason[:300]
    refund.stripe_refund_id = refund.stripe_refund_id or stripe_refund_id
    refund.save(update_fields=["reversal", "status", "failure_reason", "stripe_refund_id"])
    _status_after_failed_refund(top_up, refund)
    _tell_of_failed_refund(top_up, refund)
    back = "put back in the budget" if refund.reversal_id else "not in the budget (it had been spent)"
    return EventOutcome.HANDLED, f"The refund of {_money(refund.amount)} of {top_up} failed; the money is {back}"


def _status_after_failed_refund(top_up: TopUp, refund: TopUpRefund) -> None:
    left = top_up.amount - refunded_total(top_up)
    if left >= top_up.amount:
        new = TopUpStatus.PAID
    else:
        new = TopUpStatus.REFUNDED if left <= 0 else TopUpStatus.PART_REFUNDED
    # A refund still being asked of Stripe has not changed the status yet: nothing to put back then.
    if new != top_up.status:
        _status_set(top_up, new, actor=None, reason=f"The refund of {_money(refund.amount)} failed: {refund.reason}")


def _tell_of_failed_refund(top_up: TopUp, refund: TopUpRefund) -> None:
    audit_record(
        actor=None,
        action="top_ups.refund_failed",
        target=top_up,
        council=top_up.council,
        summary=f"The refund of {_money(refund.amount)} of {top_up} failed at Stripe after it was accepted"
        + ("; the money is back in the budget" if refund.reversal_id else ""),
        reason=refund.failure_reason,
        data={"refund": str(refund.public_id), "stripe_refund": refund.stripe_refund_id},
    )
    link = reverse("top_ups:detail", args=[top_up.public_id])
    in_budget = (
        "The money is back in the budget."
        if refund.reversal_id
        else "The budget had spent this money, so nothing was put back: put the budget right by hand."
    )
    notification_send_many(
        recipients=finance_officers_of(top_up.council),
        subject=f"A refund of {_money(refund.amount)} of top-up {top_up.reference} failed",
        body=f"{refund.failure_reason}. {in_budget} Contact the family to agree another way to give it back.",
        link=link,
    )
    notification_send_many(
        recipients=family_of(top_up),
        subject=f"The refund of {_money(refund.amount)} of your payment {top_up.reference} did not reach you",
        body=f"{refund.failure_reason}. The money is still yours: the council will contact you to give it back "
        "another way.",
        link=link,
    )


# --- Refunds --------------------------------------------------------------------------------------------


def _refund_posting(refund: TopUpRefund, *, key: str, actor: User | None):  # type: ignore[no-untyped-def]
    top_up = refund.top_up
    return ledger.top_up_refund(
        allocation=top_up.allocation,
        amount=refund.amount,
        key=key,
        description=f"Top-up {top_up.reference} refunded: {refund.reason}",
        reference=top_up.reference,
        actor=actor,
    )


def _after_refund(top_up: TopUp, refund: TopUpRefund, *, actor: User | None) -> None:
    """Status, audit and the family's notification once a refund stands. The caller holds the row lock."""
    left = top_up.amount - refunded_total(top_up)
    new = TopUpStatus.REFUNDED if left <= 0 else TopUpStatus.PART_REFUNDED
    _status_set(top_up, new, actor=actor, reason=f"{_money(refund.amount)} refunded: {refund.reason}")
    audit_record(
        actor=actor,
        action="top_ups.refunded",
        target=top_up,
        council=top_up.council,
        summary=f"{_money(refund.amount)} of {top_up} refunded ({_money(left)} left in the budget from it)",
        reason=refund.reason,
    )
    notification_send_many(
        recipients=family_of(top_up),
        subject=f"{_money(refund.amount)} of your payment {top_up.reference} has been refunded",
        body=f"The council has refunded {_money(refund.amount)} of your payment {top_up.reference}. "
        + (
            "It goes back to the card you paid with and can take 5 to 10 days to arrive."
            if top_up.method == TopUpMethod.CARD
            else "It goes back to the bank account you paid from."
        ),
        link=reverse("top_ups:detail", args=[top_up.public_id]),
    )


def top_up_refund(*, top_up: TopUp, actor: User, amount: Decimal, reason: str) -> TopUpRefund:
    """A finance officer gives back some or all of a top-up. The money leaves the budget first (refused if
    it has been committed or spent); a card payment is then refunded through Stripe, and if Stripe refuses,
    the ledger movement is reversed and ``GatewayError`` raised. A bank transfer is refunded by the council's
    own bank: this records that it has been sent."""
    refund = _refund_reserved(top_up=top_up, actor=actor, amount=amount, reason=reason)
    if top_up.method == TopUpMethod.BANK_TRANSFER:
        return _refund_settled(refund=refund, stripe_refund_id="", actor=actor)
    try:
        made = gateway.refund_create(refund=refund)
    except GatewayError as error:
        _refund_failed(refund=refund, actor=actor, reason=str(error))
        raise
    settled = _refund_settled(refund=refund, stripe_refund_id=made.refund_id, actor=actor)
    if settled.status == RefundStatus.FAILED:
        raise GatewayError(f"Stripe accepted the refund, then it failed: {settled.failure_reason}")
    return settled


@transaction.atomic
def _refund_reserved(*, top_up: TopUp, actor: User, amount: Decimal, reason: str) -> TopUpRefund:
    top_up = TopUp.objects.select_for_update().select_related("allocation__budget").get(pk=top_up.pk)
    amount = ledger.money(amount)
    if amount <= 0 or amount > refundable(top_up):
        raise ValidationError({"amount": f"Enter an amount up to {_money(refundable(top_up))}"})
    refund = TopUpRefund(top_up=top_up, amount=amount, reason=reason.strip()[:300], requested_by=actor)
    refund.full_clean()
    refund.save()
    try:
        refund.transaction = _refund_posting(refund, key=f"top-up-refund-{refund.public_id}", actor=actor)
    except InsufficientFunds as error:
        raise ValidationError(
            {"amount": f"The budget no longer has this money to give back: {error}. Release some first"}
        ) from error
    refund.save(update_fields=["transaction"])
    return refund


@transaction.atomic
def _refund_settled(*, refund: TopUpRefund, stripe_refund_id: str, actor: User) -> TopUpRefund:
    top_up = TopUp.objects.select_for_update().get(pk=refund.top_up_id)
    if TopUpRefund.objects.filter(pk=refund.pk, status=RefundStatus.FAILED).exists():
        # Stripe's event saying the refund failed arrived before Stripe's answer reached us: it is undone.
        return TopUpRefund.objects.get(pk=refund.pk)
    refund.status, refund.stripe_refund_id = RefundStatus.DONE, stripe_refund_id
    try:
        with transaction.atomic():
            refund.save(update_fields=["status", "stripe_refund_id"])
    except IntegrityError:
        # charge.refunded recorded this Stripe refund first, as one made in Stripe's dashboard (an event
        # without our metadata), and took the money out of the budget then: ours must not take it twice.
        _refund_failed(refund=refund, actor=actor, reason=f"Already recorded from Stripe as {stripe_refund_id}")
        return TopUpRefund.objects.get(top_up=top_up, stripe_refund_id=stripe_refund_id)
    _after_refund(top_up, refund, actor=actor)
    return refund


@transaction.atomic
def _refund_failed(*, refund: TopUpRefund, actor: User, reason: str) -> None:
    refund.reversal = ledger.reverse(
        original=refund.transaction, key=f"top-up-refund-{refund.public_id}-undone", actor=actor, reason=reason
    )
    refund.status, refund.failure_reason = RefundStatus.FAILED, reason[:300]
    refund.save(update_fields=["reversal", "status", "failure_reason"])
    audit_record(
        actor=actor,
        action="top_ups.refund_refused",
        target=refund.top_up,
        council=refund.top_up.council,
        summary=f"Stripe refused the refund of {_money(refund.amount)} of {refund.top_up}: {reason}",
    )


# --- Settings -------------------------------------------------------------------------------------------


@transaction.atomic
def top_up_settings_update(*, council: Organisation, actor: User, **fields: str) -> TopUpSettings:
    """Change how families pay the council; keeps a bank detail left blank, audits the fields changed."""
    found = TopUpSettings.objects.select_for_update().filter(council=council).first()
    current = found or TopUpSettings(council=council)
    changed = [name for name, value in fields.items() if value and getattr(current, name) != value]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, fields[name])
    current.updated_by, current.updated_at = actor, timezone.now()
    current.full_clean()
    current.save()
    audit_record(
        actor=actor,
        action="top_ups.settings_changed",
        target=current,
        council=council,
        summary=f"Top-up settings changed: {', '.join(name.replace('_', ' ') for name in changed)}",
    )
    return current
