"""Top-ups without Stripe: asking, bank transfers recorded once, the webhook handlers on signed events (the
ledger only on payment_intent.succeeded), refunds of a bank transfer, the family's notifications."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from brokerage import ledger
from brokerage.models import LedgerTransaction, TransactionKind
from brokerage.statements import budget_statement
from marketplace.payments import top_ups
from marketplace.payments.models import EventOutcome
from marketplace.payments.tests.stripe_support import signed, stripe_event
from marketplace.payments.tests.top_up_support import available, family, top_up
from marketplace.payments.top_up_models import TopUp, TopUpMethod, TopUpReason, TopUpStatus
from marketplace.payments.webhooks import event_receive

pytestmark = pytest.mark.django_db


def _intent_event(made: TopUp, event_type: str = "payment_intent.succeeded", **fields) -> dict:  # type: ignore[no-untyped-def]
    event_id = fields.pop("event_id", "evt_pi")
    intent = {"id": made.payment_intent_id, "object": "payment_intent", "amount": 2500, "currency": "gbp", **fields}
    return stripe_event(event_type, intent, event_id=event_id)


def _receive(council, event: dict):  # type: ignore[no-untyped-def]
    payload, signature = signed(event)
    return event_receive(payload=payload, signature=signature, council=council)


def _card_top_up(found, payment_intent_id: str = "pi_1") -> TopUp:  # type: ignore[no-untyped-def]
    made = top_up(found, amount="25.00")
    TopUp.objects.filter(pk=made.pk).update(payment_intent_id=payment_intent_id)
    made.refresh_from_db()
    return made


# --- Asking ---------------------------------------------------------------------------------------------


def test_a_top_up_gets_a_readable_unique_reference_and_records_nothing_yet():
    found = family()

    made = top_up(found, amount="25.00")

    assert made.reference.startswith("TU-") and len(made.reference) == 11
    assert not set(made.reference[3:]) & set("01IO")
    assert (made.status, made.transaction) == (TopUpStatus.WAITING, None)
    assert available(found.allocation) == Decimal("500.00")


def test_only_the_consent_holder_can_ask_to_pay_into_the_budget():
    found = family()
    neighbour = user_with_role(Role.FAMILY_MEMBER, found.council)

    with pytest.raises(ValidationError):
        top_ups.top_up_create(
            allocation=found.allocation,
            actor=neighbour,
            reason=TopUpReason.CONTRIBUTION,
            amount=Decimal("5.00"),
            method=TopUpMethod.CARD,
        )


def test_a_dearer_option_must_name_its_plan_line():
    found = family()

    with pytest.raises(ValidationError) as refused:
        top_ups.top_up_create(
            allocation=found.allocation,
            actor=found.alice,
            reason=TopUpReason.DEARER_OPTION,
            amount=Decimal("5.00"),
            method=TopUpMethod.CARD,
        )

    assert "plan_line" in refused.value.message_dict


def test_asking_to_pay_by_bank_transfer_tells_the_finance_officers():
    found = family()

    made = top_up(found, method=TopUpMethod.BANK_TRANSFER)

    notification = Notification.objects.get(recipient=found.fay)
    assert made.reference in notification.subject and made.reference in notification.body


# --- Bank transfers -------------------------------------------------------------------------------------


def test_a_bank_transfer_recorded_twice_is_in_the_budget_once_and_the_family_is_told():
    found = family()
    made = top_up(found, amount="40.00", method=TopUpMethod.BANK_TRANSFER)

    top_ups.bank_transfer_received(top_up=made, actor=found.fay, amount=Decimal("40.00"))
    with pytest.raises(ValidationError):
        top_ups.bank_transfer_received(top_up=made, actor=found.fay, amount=Decimal("40.00"))

    made.refresh_from_db()
    assert (made.status, made.received_by) == (TopUpStatus.PAID, found.fay)
    assert LedgerTransaction.objects.filter(kind=TransactionKind.TOP_UP).count() == 1
    assert available(found.allocation) == Decimal("540.00")
    assert budget_statement(found.allocation.budget).allocations[0].topped_up == Decimal("40.00")
    assert Notification.objects.filter(recipient=found.alice, subject__contains="received").count() == 1
    assert AuditEvent.objects.filter(action="top_ups.paid").count() == 1


def test_a_bank_transfer_of_another_amount_is_refused():
    found = family()
    made = top_up(found, amount="40.00", method=TopUpMethod.BANK_TRANSFER)

    with pytest.raises(ValidationError):
        top_ups.bank_transfer_received(top_up=made, actor=found.fay, amount=Decimal("4.00"))

    assert available(found.allocation) == Decimal("500.00")


def test_a_card_top_up_cannot_be_recorded_as_a_bank_transfer():
    found = family()
    made = top_up(found)

    with pytest.raises(ValidationError):
        top_ups.bank_transfer_received(top_up=made, actor=found.fay, amount=made.amount)


# --- Webhooks -------------------------------------------------------------------------------------------


def test_payment_intent_succeeded_records_the_top_up_and_a_second_delivery_does_not():
    found = family()
    made = _card_top_up(found)

    first = _receive(found.council, _intent_event(made))
    second = _receive(found.council, _intent_event(made))

    assert (first.outcome, second.outcome, second.deliveries) == (EventOutcome.HANDLED, EventOutcome.HANDLED, 2)
    assert first.outcome_detail == f"{made} of £25.00 recorded in {found.allocation.budget}"
    made.refresh_from_db()
    assert made.status == TopUpStatus.PAID and made.transaction.idempotency_key == f"top-up-{made.public_id}"
    assert available(found.allocation) == Decimal("525.00")


def test_a_second_succeeded_event_with_another_id_finds_the_top_up_already_recorded():
    found = family()
    made = _card_top_up(found)
    _receive(found.council, _intent_event(made, event_id="evt_a"))

    again = _receive(found.council, _intent_event(made, event_id="evt_b"))

    assert again.outcome_detail == f"{made} was already recorded in the budget"
    assert LedgerTransaction.objects.filter(kind=TransactionKind.TOP_UP).count() == 1


def test_a_succeeded_event_for_another_amount_records_nothing_and_tells_finance():
    found = family()
    made = _card_top_up(found)

    stored = _receive(found.council, _intent_event(made, amount=999, amount_received=999))

    assert stored.outcome == EventOutcome.IGNORED
    assert available(found.allocation) == Decimal("500.00")
    assert Notification.objects.filter(recipient=found.fay, subject__contains="different amount").exists()


def test_a_succeeded_event_sent_to_another_councils_endpoint_records_nothing():
    found = family()
    made = _card_top_up(found)
    elsewhere = family().council

    stored = _receive(elsewhere, _intent_event(made))

    assert stored.outcome == EventOutcome.IGNORED
    assert available(found.allocation) == Decimal("500.00")


def test_payment_failed_marks_the_top_up_failed_with_stripes_reason_and_a_later_success_still_counts():
    found = family()
    made = _card_top_up(found)
    declined = {"message": "Your card was declined.", "code": "card_declined"}

    _receive(found.council, _intent_event(made, "payment_intent.payment_failed", last_payment_error=declined))
    made.refresh_from_db()
    assert (made.status, made.failure_reason) == (TopUpStatus.FAILED, "Your card was declined.")

    _receive(found.council, _intent_event(made, event_id="evt_later"))
    made.refresh_from_db()
    assert (made.status, made.failure_reason) == (TopUpStatus.PAID, "")
    assert [change.new_status for change in made.status_changes.all()] == [TopUpStatus.FAILED, TopUpStatus.PAID]


def test_payment_failed_after_the_money_arrived_changes_nothing():
    found = family()
    made = _card_top_up(found)
    _receive(found.council, _intent_event(made))

    stored = _receive(found.council, _intent_event(made, "payment_intent.payment_failed", event_id="evt_late"))

    made.refresh_from_db()
    assert made.status == TopUpStatus.PAID
    assert stored.outcome_detail == f"{made} is paid in: left as it is"


def test_charge_refunded_with_the_refunds_in_the_event_records_each_once():
    found = family()
    made = _card_top_up(found)
    _receive(found.council, _intent_event(made))
    refunds = {"data": [{"id": "re_1", "amount": 1000, "status": "succeeded", "metadata": {}}]}
    charge = {"id": "ch_1", "payment_intent": made.payment_intent_id, "refunds": refunds}

    _receive(found.council, stripe_event("charge.refunded", charge, event_id="evt_r1"))
    stored = _receive(found.council, stripe_event("charge.refunded", charge, event_id="evt_r2"))

    assert stored.outcome_detail == f"Every refund of {made} was already recorded"
    assert available(found.allocation) == Decimal("515.00")
    made.refresh_from_db()
    assert made.status == TopUpStatus.PART_REFUNDED
    assert Notification.objects.filter(recipient=found.alice, subject__contains="refunded").count() == 1


def test_a_dashboard_refund_of_money_already_spent_is_recorded_and_finance_is_told():
    found = family(allocated="0.01")
    made = _card_top_up(found)
    _receive(found.council, _intent_event(made))
    ledger.commit(allocation=found.allocation, amount=Decimal("25.01"), key="spend-it", description="Order")
    refunds = {"data": [{"id": "re_9", "amount": 2500, "status": "succeeded"}]}

    stored = _receive(
        found.council, stripe_event("charge.refunded", {"id": "ch_1", "payment_intent": "pi_1", "refunds": refunds})
    )

    assert stored.outcome == EventOutcome.HANDLED
    made.refresh_from_db()
    assert made.status == TopUpStatus.REFUNDED and made.refunds.get().transaction is None
    assert Notification.objects.filter(recipient=found.fay, subject__contains="spent").exists()


# --- Refunds of bank transfers --------------------------------------------------------------------------


def _received(found, amount: str = "40.00") -> TopUp:  # type: ignore[no-untyped-def]
    made = top_up(found, amount=amount, method=TopUpMethod.BANK_TRANSFER)
    return top_ups.bank_transfer_received(top_up=made, actor=found.fay, amount=Decimal(amount))


def test_a_bank_transfer_is_refunded_in_part_then_in_full_and_each_leaves_the_budget():
    found = family()
    made = _received(found)

    top_ups.top_up_refund(top_up=made, actor=found.fay, amount=Decimal("15.00"), reason="Cheaper option")
    made.refresh_from_db()
    assert (made.status, top_ups.refundable(made)) == (TopUpStatus.PART_REFUNDED, Decimal("25.00"))
    top_ups.top_up_refund(top_up=made, actor=found.fay, amount=Decimal("25.00"), reason="No longer needed")

    made.refresh_from_db()
    assert made.status == TopUpStatus.REFUNDED
    assert available(found.allocation) == Decimal("500.00")
    assert budget_statement(found.allocation.budget).allocations[0].topped_up == Decimal("0.00")
    assert LedgerTransaction.objects.filter(kind=TransactionKind.TOP_UP_REFUND).count() == 2


def test_refunding_more_than_is_left_is_refused():
    found = family()
    made = _received(found)

    with pytest.raises(ValidationError):
        top_ups.top_up_refund(top_up=made, actor=found.fay, amount=Decimal("40.01"), reason="Too much")


def test_refunding_money_the_budget_has_committed_is_refused_and_nothing_is_kept():
    found = family(allocated="0.01")
    made = _received(found, amount="40.00")
    ledger.commit(allocation=found.allocation, amount=Decimal("40.01"), key="commit-all", description="Order")

    with pytest.raises(ValidationError) as refused:
        top_ups.top_up_refund(top_up=made, actor=found.fay, amount=Decimal("10.00"), reason="Asked for it back")

    assert "no longer has this money" in refused.value.message_dict["amount"][0]
    assert not made.refunds.exists()


def test_a_waiting_top_up_cannot_be_refunded():
    found = family()
    made = top_up(found, method=TopUpMethod.BANK_TRANSFER)

    with pytest.raises(ValidationError):
        top_ups.top_up_refund(top_up=made, actor=found.fay, amount=Decimal("1.00"), reason="Nothing to give")
