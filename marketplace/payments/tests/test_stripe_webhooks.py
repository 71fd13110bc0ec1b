"""Stripe webhooks: signed with Stripe's own algorithm, refused when forged, stale or not an event,
stored raw by event id, handled once however often and in whatever order they arrive, each outcome kept."""

import time
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from marketplace.payments import webhooks
from marketplace.payments.models import EventOutcome, PaymentStatus, StripeEvent
from marketplace.payments.tests.stripe_support import (
    WEBHOOK_SECRET,
    connected_account,
    payment_run,
    signed,
    stripe_council,
    stripe_event,
    stripe_payment,
)
from marketplace.payments.webhooks import WebhookRejected, event_receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():  # type: ignore[no-untyped-def]
    return stripe_council()


def _receive(council, event: dict, **signing) -> StripeEvent:  # type: ignore[no-untyped-def]
    payload, signature = signed(event, **signing)
    return event_receive(payload=payload, signature=signature, council=council)


def _post(council, payload: bytes, signature: str):  # type: ignore[no-untyped-def]
    url = reverse("stripe:council-webhook", args=[council.public_id])
    client = Client(enforce_csrf_checks=True)  # Stripe sends no CSRF token
    return client.post(url, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)


def _account_state(payouts_enabled: bool, due: list[str] | None = None) -> dict:
    return {
        "id": "acct_1",
        "object": "account",
        "details_submitted": True,
        "charges_enabled": False,
        "payouts_enabled": payouts_enabled,
        "requirements": {"currently_due": due or []},
    }


# --- Verifying and storing -----------------------------------------------------------------------------


def test_a_signed_event_is_stored_raw_under_its_id(council):
    event = stripe_event("balance.available", {"object": "balance"}, event_id="evt_raw", account="acct_9")

    stored = _receive(council, event)

    assert (stored.event_id, stored.type, stored.stripe_account, stored.council) == (
        "evt_raw",
        "balance.available",
        "acct_9",
        council,
    )
    assert stored.payload == event
    assert stored.created == datetime.fromtimestamp(event["created"], tz=UTC)
    assert stored.deliveries == 1


def test_an_event_signed_with_another_secret_is_refused_and_not_stored(council):
    with pytest.raises(WebhookRejected, match="Signature refused"):
        _receive(council, stripe_event("payout.paid", {"id": "po_1"}), secret="whsec_someone_else")
    assert not StripeEvent.objects.exists()


def test_a_changed_body_no_longer_matches_its_signature(council):
    payload, signature = signed(stripe_event("payout.paid", {"id": "po_1", "amount": 100}))

    response = _post(council, payload.replace(b'"amount": 100', b'"amount": 999'), signature)

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_a_stale_timestamp_is_refused_as_a_replay(council):
    five_minutes_and_a_second_ago = int(time.time()) - webhooks.TOLERANCE_SECONDS - 1
    payload, signature = signed(stripe_event("payout.paid", {"id": "po_1"}), timestamp=five_minutes_and_a_second_ago)

    response = _post(council, payload, signature)

    assert response.status_code == 400
    assert b"Timestamp outside the tolerance zone" in response.content


def test_a_missing_signature_header_is_refused(council):
    payload, _ = signed(stripe_event("payout.paid", {"id": "po_1"}))

    assert _post(council, payload, "").status_code == 400


def test_a_signed_body_that_is_not_json_is_refused(council):
    at = int(time.time())
    body = "not json"
    signature = webhooks.stripe.WebhookSignature._compute_signature(f"{at}.{body}", WEBHOOK_SECRET)

    response = _post(council, body.encode(), f"t={at},v1={signature}")

    assert response.status_code == 400
    assert response.content == b"The body is not JSON"


def test_the_default_endpoint_uses_the_environments_webhook_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_from_env"
    payload, signature = signed(stripe_event("payout.paid", {"id": "po_1"}), secret="whsec_from_env")

    response = Client().post(
        reverse("stripe:webhook"), payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )

    assert response.status_code == 200
    assert StripeEvent.objects.get().council is None


def test_an_endpoint_without_a_webhook_secret_refuses_everything(settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    payload, signature = signed(stripe_event("payout.paid", {"id": "po_1"}))

    response = Client().post(
        reverse("stripe:webhook"), payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )

    assert response.status_code == 400


def test_the_webhook_answers_only_posts(council):
    assert Client().get(reverse("stripe:council-webhook", args=[council.public_id])).status_code == 405


# --- Exactly once ------------------------------------------------------------------------------------


def test_a_duplicate_is_counted_and_answered_200_but_handled_once(council):
    payment = stripe_payment(payment_run(council), connected_account(council), status=PaymentStatus.SENT)
    reversal = stripe_event("transfer.reversed", {"id": "tr_1", "metadata": {"payment_id": str(payment.public_id)}})
    payload, signature = signed(reversal)

    first, second = _post(council, payload, signature), _post(council, payload, signature)

    assert first.status_code == second.status_code == 200
    stored = StripeEvent.objects.get()
    assert (stored.deliveries, stored.outcome) == (2, EventOutcome.HANDLED)
    assert AuditEvent.objects.filter(action="payments.transfer_reversed").count() == 1


def test_a_failed_handler_is_recorded_answered_500_and_handled_when_stripe_sends_it_again(council, monkeypatch):
    def broken(event):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    payload, signature = signed(stripe_event("payout.paid", {"id": "po_1", "amount": 100}))
    monkeypatch.setitem(webhooks.PREFIX_HANDLERS, "payout.", broken)

    response = _post(council, payload, signature)

    assert response.status_code == 500
    stored = StripeEvent.objects.get()
    assert (stored.outcome, stored.outcome_detail) == (EventOutcome.FAILED, "RuntimeError: database went away")

    monkeypatch.undo()
    assert _post(council, payload, signature).status_code == 200
    stored.refresh_from_db()
    assert (stored.outcome, stored.deliveries) == (EventOutcome.HANDLED, 2)


# --- Handlers -----------------------------------------------------------------------------------------


def test_account_updated_sets_what_the_connected_account_can_do(council):
    account = connected_account(council, "acct_1")

    stored = _receive(council, stripe_event("account.updated", _account_state(True)))

    account.refresh_from_db()
    assert account.can_receive_transfers
    assert (stored.outcome, stored.outcome_detail) == (EventOutcome.HANDLED, "Account acct_1 can receive payments")


def test_an_older_account_updated_arriving_after_a_newer_one_is_ignored(council):
    account = connected_account(council, "acct_1", created_at=datetime(2026, 1, 1, tzinfo=UTC))
    account.updated_at = datetime(2026, 1, 1, tzinfo=UTC)
    account.save()
    newer = stripe_event(
        "account.updated", _account_state(False, ["external_account"]), event_id="evt_2", created=2000000200
    )
    older = stripe_event("account.updated", _account_state(True), event_id="evt_1", created=2000000100)

    _receive(council, newer)
    stale = _receive(council, older)

    account.refresh_from_db()
    assert not account.payouts_enabled and account.requirements_due == ["external_account"]
    assert stale.outcome == EventOutcome.IGNORED
    assert stale.outcome_detail.startswith("Older than the account's last known state")


def test_account_updated_events_in_order_are_all_applied(council):
    account = connected_account(council, "acct_1")
    account.updated_at = datetime(2026, 1, 1, tzinfo=UTC)
    account.save()

    _receive(
        council,
        stripe_event(
            "account.updated", _account_state(False, ["external_account"]), event_id="evt_1", created=2000000100
        ),
    )
    last = _receive(
        council, stripe_event("account.updated", _account_state(True), event_id="evt_2", created=2000000200)
    )

    account.refresh_from_db()
    assert last.outcome == EventOutcome.HANDLED and account.payouts_enabled and account.requirements_due == []


def test_account_updated_for_an_account_we_do_not_know_is_ignored(council):
    stored = _receive(council, stripe_event("account.updated", {**_account_state(True), "id": "acct_unknown"}))

    assert (stored.outcome, stored.outcome_detail) == (
        EventOutcome.IGNORED,
        "No connected account acct_unknown is registered here",
    )


def test_another_councils_account_is_not_changed_by_this_councils_endpoint(council):
    account = connected_account(stripe_council(), "acct_1")

    stored = _receive(council, stripe_event("account.updated", _account_state(True)))

    account.refresh_from_db()
    assert stored.outcome == EventOutcome.IGNORED and not account.payouts_enabled


def test_transfer_created_records_the_transfer_on_the_payment_named_in_its_metadata(council):
    payment = stripe_payment(payment_run(council), connected_account(council), status=PaymentStatus.SENT)

    stored = _receive(
        council, stripe_event("transfer.created", {"id": "tr_9", "metadata": {"payment_id": str(payment.public_id)}})
    )

    payment.refresh_from_db()
    assert payment.stripe_transfer_id == "tr_9" and payment.status == PaymentStatus.SENT
    assert stored.outcome == EventOutcome.HANDLED


def test_a_reversed_transfer_fails_its_payment_with_the_reason_and_an_audit_row(council):
    payment = stripe_payment(
        payment_run(council), connected_account(council), status=PaymentStatus.SENT, stripe_transfer_id="tr_9"
    )

    stored = _receive(
        council, stripe_event("transfer.reversed", {"id": "tr_9", "amount": 12345, "amount_reversed": 12345})
    )

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert payment.failure_reason == "Stripe reversed transfer tr_9 (£123.45 returned)"
    assert stored.outcome == EventOutcome.HANDLED
    audit = AuditEvent.objects.get(action="payments.transfer_reversed")
    assert audit.target_id == str(payment.public_id) and audit.data["previous_status"] == PaymentStatus.SENT


def test_a_reversal_arriving_before_its_transfer_created_is_not_undone_by_it(council):
    payment = stripe_payment(payment_run(council), connected_account(council), status=PaymentStatus.SENT)
    transfer = {"id": "tr_9", "amount": 12345, "metadata": {"payment_id": str(payment.public_id)}}

    _receive(council, stripe_event("transfer.reversed", {**transfer, "amount_reversed": 12345}, event_id="evt_2"))
    _receive(council, stripe_event("transfer.created", transfer, event_id="evt_1"))

    payment.refresh_from_db()
    assert (payment.status, payment.stripe_transfer_id) == (PaymentStatus.FAILED, "tr_9")


def test_a_transfer_for_no_payment_of_ours_is_ignored(council):
    stored = _receive(
        council, stripe_event("transfer.updated", {"id": "tr_elsewhere", "metadata": {"payment_id": "x"}})
    )

    assert (stored.outcome, stored.outcome_detail) == (
        EventOutcome.IGNORED,
        "No payment here for transfer tr_elsewhere",
    )


def test_a_payout_is_recorded_as_handled_with_a_summary(council):
    payout = {"id": "po_1", "amount": 4200, "currency": "gbp", "status": "paid"}

    stored = _receive(council, stripe_event("payout.paid", payout, account="acct_1"))

    assert (stored.outcome, stored.outcome_detail) == (EventOutcome.HANDLED, "Payout po_1 of £42.00 from acct_1: paid")


@pytest.mark.parametrize("event_type", ["payment_intent.succeeded", "payment_intent.payment_failed"])
def test_a_payment_intent_event_for_no_top_up_here_is_answered_200_and_ignored(council, event_type):
    payload, signature = signed(stripe_event(event_type, {"id": "pi_1", "amount": 100, "currency": "gbp"}))

    response = _post(council, payload, signature)

    assert response.status_code == 200
    stored = StripeEvent.objects.get()
    assert (stored.outcome, stored.outcome_detail) == (EventOutcome.IGNORED, "No top-up here for PaymentIntent pi_1")


def test_a_charge_refunded_for_no_top_up_here_is_answered_200_and_ignored(council):
    payload, signature = signed(stripe_event("charge.refunded", {"id": "ch_1", "payment_intent": "pi_1"}))

    response = _post(council, payload, signature)

    assert response.status_code == 200
    assert StripeEvent.objects.get().outcome_detail == "No top-up here for charge ch_1"


def test_an_event_we_do_not_act_on_is_answered_200_and_recorded_as_ignored(council):
    payload, signature = signed(stripe_event("customer.created", {"id": "cus_1"}))

    response = _post(council, payload, signature)

    assert response.status_code == 200
    assert response.json() == {"event": "evt_1", "outcome": "ignored"}
    assert StripeEvent.objects.get().outcome_detail == "customer.created is not a kind of event this service acts on"


def test_a_partial_reversal_changes_nothing_and_tells_the_finance_officers(council):
    payment = stripe_payment(
        payment_run(council), connected_account(council), status=PaymentStatus.PAID, stripe_transfer_id="tr_9"
    )
    officer = user_with_role(Role.FINANCE_OFFICER, organisation=council)

    stored = _receive(
        council, stripe_event("transfer.reversed", {"id": "tr_9", "amount": 12345, "amount_reversed": 2000})
    )

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert "in part" in stored.outcome_detail
    assert Notification.objects.filter(recipient=officer, subject__startswith="Part of a payment").exists()
