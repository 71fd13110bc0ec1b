"""A refund of a card top-up that Stripe accepted and that failed later (refund.failed, refund.updated,
charge.refund.updated, on signed events): the money goes back into the budget once, the refund is marked
failed with Stripe's reason, the top-up is paid in again (in full or in part), finance officers and the
family are told; an unknown refund, one already failed, a second event and a succeeded update change nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditEvent, Notification
from brokerage.models import LedgerTransaction, TransactionKind
from brokerage.statements import budget_statement
from marketplace.payments import top_up_gateway, top_ups
from marketplace.payments.exceptions import GatewayError
from marketplace.payments.models import EventOutcome
from marketplace.payments.tests.stripe_support import signed, stripe_event
from marketplace.payments.tests.test_top_ups_concurrency import _at_once
from marketplace.payments.tests.top_up_support import available, family, top_up
from marketplace.payments.top_up_models import RefundStatus, TopUp, TopUpRefund, TopUpStatus
from marketplace.payments.webhooks import event_receive

pytestmark = pytest.mark.django_db


def _receive(council, event: dict):  # type: ignore[no-untyped-def]
    payload, signature = signed(event)
    return event_receive(payload=payload, signature=signature, council=council)


def _paid_card_top_up(found) -> TopUp:  # type: ignore[no-untyped-def]
    made = top_up(found, amount="25.00")
    TopUp.objects.filter(pk=made.pk).update(payment_intent_id="pi_1")
    intent = {"id": "pi_1", "object": "payment_intent", "amount": 2500, "currency": "gbp"}
    _receive(found.council, stripe_event("payment_intent.succeeded", intent, event_id="evt_paid"))
    made.refresh_from_db()
    return made


def _stripe_refund(refund_id: str, pence: int, status: str = "pending", **fields) -> dict:  # type: ignore[no-untyped-def]
    refund = {"id": refund_id, "object": "refund", "amount": pence, "payment_intent": "pi_1", "status": status}
    return {**refund, "metadata": {}, **fields}


def _refunded_by_fay(found, recorder, made: TopUp, amount: str, refund_id: str) -> TopUpRefund:  # type: ignore[no-untyped-def]
    recorder.replies[("POST", "/v1/refunds")].clear()  # the recorder repeats its last reply: this one only
    recorder.reply("POST", "/v1/refunds", _stripe_refund(refund_id, int(Decimal(amount) * 100)))
    return top_ups.top_up_refund(top_up=made, actor=found.fay, amount=Decimal(amount), reason="Session cancelled")


def _failed(refund_id: str, pence: int, event_type: str = "refund.failed", event_id: str = "evt_failed", **fields):  # type: ignore[no-untyped-def]
    failed = _stripe_refund(refund_id, pence, "failed", failure_reason="expired_or_canceled_card", **fields)
    return stripe_event(event_type, failed, event_id=event_id)


def test_a_failed_refund_puts_the_money_back_in_the_budget_and_the_top_up_is_paid_in_again(recorder):
    found = family(recorder.url)
    made = _paid_card_top_up(found)
    refund = _refunded_by_fay(found, recorder, made, "10.00", "re_ours")
    assert available(found.allocation) == Decimal("515.00")

    stored = _receive(found.council, _failed("re_ours", 1000))

    assert stored.outcome == EventOutcome.HANDLED
    assert stored.outcome_detail == f"The refund of £10.00 of {made} failed; the money is put back in the budget"
    refund.refresh_from_db()
    assert refund.status == RefundStatus.FAILED
    assert (
        refund.failure_reason == "Stripe could not return the money to the card: the card has expired or been cancelled"
    )
    assert refund.reversal.reverses == refund.transaction
    assert refund.reversal.idempotency_key == f"top-up-refund-{refund.public_id}-undone"
    assert available(found.allocation) == Decimal("525.00")
    assert budget_statement(found.allocation.budget).allocations[0].topped_up == Decimal("25.00")
    made.refresh_from_db()
    assert (made.status, top_ups.refundable(made)) == (TopUpStatus.PAID, Decimal("25.00"))
    assert made.status_changes.last().new_status == TopUpStatus.PAID


def test_the_finance_officers_and_the_family_are_told_and_it_is_audited(recorder):
    found = family(recorder.url)
    made = _paid_card_top_up(found)
    _refunded_by_fay(found, recorder, made, "10.00", "re_ours")

    _receive(found.council, _failed("re_ours", 1000))

    to_fay = Notification.objects.get(recipient=found.fay, subject__contains="failed")
    assert made.reference in to_fay.subject and "The money is back in the budget" in to_fay.body
    to_alice = Notification.objects.get(recipient=found.alice, subject__contains="did not reach you")
    assert "the card has expired or been cancelled" in to_alice.body
    audit = AuditEvent.objects.get(action="top_ups.refund_failed")
    assert audit.council == found.council and "expired" in audit.reason


def test_a_failed_refund_of_the_rest_leaves_the_top_up_part_refunded(recorder):
    found = family(recorder.url)
    made = _paid_card_top_up(found)
    _refunded_by_fay(found, recorder, made, "10.00", "re_part")
    _refunded_by_fay(found, recorder, made, "15.00", "re_rest")
    made.refresh_from_db()
    assert made.status == TopUpStatus.REFUNDED

    _receive(found.council, _failed("re_rest", 1500, "charge.refund.updated"))

    made.refresh_from_db()
    assert (made.status, top_ups.refundable(made)) == (TopUpStatus.PART_REFUNDED, Decimal("15.00"))
    assert available(found.allocation) == Decimal("515.00")


def test_the_same_event_twice_and_the_other_kind_of_event_put_the_money_back_once(recorder):
    found = family(recorder.url)
    made = _paid_card_top_up(found)
    _refunded_by_fay(found, recorder, made, "10.00", "re_ours")

    first = _receive(found.council, _failed("re_ours", 1000, "refund.failed", "evt_a"))
    again = _receive(found.council, _failed("re_ours", 1000, "refund.failed", "evt_a"))
    older_api = _receive(found.council, _failed("re_ours", 1000, "charge.refund.updated", "evt_b"))
    updated = _receive(found.council, _failed("re_ours", 1000, "refund.updated", "evt_c"))

    assert (first.outcome, again.deliveries) == (EventOutcome.HANDLED, 2)
    assert (older_api.outcome, updated.outcome) == (EventOutcome.IGNORED, EventOutcome.IGNORED)
    assert older_api.outcome_detail == f"The refund of £10.00 of {made} was already marked failed"
    assert LedgerTransaction.objects.filter(kind=TransactionKind.REVERSAL).count() == 1
    assert available(found.allocation) == Decimal("525.00")
    assert Notification.objects.filter(recipient=found.fay, subject__contains="failed").count() == 1
    assert AuditEvent.objects.filter(action="top_ups.refund_failed").count() == 1
    made.refresh_from_db()
    assert made.status_changes.filter(new_status=TopUpStatus.PAID).count() == 2  # paid, then paid in again


def test_a_cancelled_refund_is_put_back_like_a_failed_one(recorder):
    found = family(recorder.url)
    made = _paid_card_top_up(found)
    refund = _refunded_by_fay(found, recorder, made, "25.00", "re_all")

    _receive(found.council, stripe_event("refund.updated", _stripe_refund("re_all", 2500, "canceled")))

    refund.refresh_from_db()
    assert (refund.status, refund.failure_reason) == (RefundStatus.FAILED, "Stripe cancelled the refund")
    made.refresh_from_db()
    assert made.status == TopUpStatus.PAID
    assert available(found.allocation) == Decimal("525.00")


def test_a_refund_this_service_does_not_know_is_ignored(recorder):
    found = family(recorder.url)
    made = _paid_card_top_up(found)
    refund = _refunded_by_fay(found, recorder, made, "10.00", "re_ours")

    stored = _receive(found.council, _failed("re_someone_elses", 1000))

    assert (stored.outcome, stored.outcome_detail) == (
        EventOutcome.IGNORED,
        "No top-up refund here for Stripe refund re_someone_elses",
    )
    refund.refresh_from_db()
    assert refund.status == RefundStatus.DONE
    assert available(found.allocation) == Decimal("515.00")


def test_a_failed_refund_sent_to_another_councils_endpoint_changes_nothing(recorder):
    found = family(recorder.url)
    made = _paid_card_top_up(found)
    refund = _refunded_by_fay(found, recorder, made, "10.00", "re_ours")
    elsewhere = family().council

    stored = _receive(elsewhere, _failed("re_ours", 1000, metadata={"top_up_refund": str(refund.public_id)}))

    assert stored.outcome == EventOutcome.IGNORED
    refund.refresh_from_db()
    assert refund.status == RefundStatus.DONE


def test_a_succeeded_refund_update_changes_nothing(recorder):
    found = family(recorder.url)
    made = _paid_card_top_up(found)
    refund = _refunded_by_fay(found, recorder, made, "10.00", "re_ours")

    stored = _receive(found.council, stripe_event("refund.updated", _stripe_refund("re_ours", 1000, "succeeded")))

    assert (stored.outcome, stored.outcome_detail) == (
        EventOutcome.IGNORED,
        "Refund re_ours is succeeded: nothing to change",
    )
    refund.refresh_from_db()
    made.refresh_from_db()
    assert (refund.status, made.status) == (RefundStatus.DONE, TopUpStatus.PART_REFUNDED)
    assert not LedgerTransaction.objects.filter(kind=TransactionKind.REVERSAL).exists()


def test_a_refund_failing_before_stripes_answer_reaches_us_is_found_by_our_id_and_the_officer_is_told(
    recorder, monkeypatch
):
    found = family(recorder.url)
    made = _paid_card_top_up(found)
    recorder.reply("POST", "/v1/refunds", _stripe_refund("re_quick", 1000))
    create = top_up_gateway.refund_create

    def stripe_sends_the_failure_first(*, refund: TopUpRefund):  # type: ignore[no-untyped-def]
        made_at_stripe = create(refund=refund)
        failed = _failed("re_quick", 1000, metadata={"top_up_refund": str(refund.public_id)})
        assert _receive(found.council, failed).outcome == EventOutcome.HANDLED
        return made_at_stripe

    monkeypatch.setattr(top_up_gateway, "refund_create", stripe_sends_the_failure_first)

    with pytest.raises(GatewayError, match="then it failed"):
        top_ups.top_up_refund(top_up=made, actor=found.fay, amount=Decimal("10.00"), reason="Session cancelled")

    refund = made.refunds.get()
    assert (refund.status, refund.stripe_refund_id) == (RefundStatus.FAILED, "re_quick")
    made.refresh_from_db()
    assert made.status == TopUpStatus.PAID
    assert [change.new_status for change in made.status_changes.all()] == [TopUpStatus.PAID]
    assert available(found.allocation) == Decimal("525.00")


def test_a_failed_dashboard_refund_is_put_back_by_its_stripe_id():
    found = family()
    made = _paid_card_top_up(found)
    refunds = {"data": [_stripe_refund("re_dash", 500, "succeeded")]}
    _receive(
        found.council, stripe_event("charge.refunded", {"id": "ch_1", "payment_intent": "pi_1", "refunds": refunds})
    )
    assert available(found.allocation) == Decimal("520.00")

    stored = _receive(found.council, _failed("re_dash", 500, "charge.refund.updated", "evt_dash_failed"))

    assert stored.outcome == EventOutcome.HANDLED
    assert made.refunds.get().status == RefundStatus.FAILED
    assert available(found.allocation) == Decimal("525.00")
    made.refresh_from_db()
    assert made.status == TopUpStatus.PAID


def test_after_a_failed_refund_the_money_can_be_refunded_again(recorder):
    found = family(recorder.url)
    made = _paid_card_top_up(found)
    _refunded_by_fay(found, recorder, made, "25.00", "re_first")
    _receive(found.council, _failed("re_first", 2500))
    made.refresh_from_db()

    second = _refunded_by_fay(found, recorder, made, "25.00", "re_second")

    made.refresh_from_db()
    assert (second.status, made.status) == (RefundStatus.DONE, TopUpStatus.REFUNDED)
    assert available(found.allocation) == Decimal("500.00")
    with pytest.raises(ValidationError):
        top_ups.top_up_refund(top_up=made, actor=found.fay, amount=Decimal("0.01"), reason="Nothing is left")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_refund_failed_and_charge_refund_updated_arriving_at_once_put_the_money_back_once():
    found = family()
    made = _paid_card_top_up(found)
    refunds = {"data": [_stripe_refund("re_race", 1000, "succeeded")]}
    _receive(
        found.council, stripe_event("charge.refunded", {"id": "ch_1", "payment_intent": "pi_1", "refunds": refunds})
    )

    outcomes = _at_once(
        found.council,
        [
            signed(_failed("re_race", 1000, "refund.failed", "evt_new_api")),
            signed(_failed("re_race", 1000, "charge.refund.updated", "evt_old_api")),
        ],
    )

    assert sorted(outcomes) == [EventOutcome.HANDLED, EventOutcome.IGNORED]
    assert LedgerTransaction.objects.filter(kind=TransactionKind.REVERSAL).count() == 1
    assert available(found.allocation) == Decimal("525.00")
    assert AuditEvent.objects.filter(action="top_ups.refund_failed").count() == 1
    made.refresh_from_db()
    assert made.status == TopUpStatus.PAID
