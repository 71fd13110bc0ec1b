"""Issue #15, fault: the database connection drops during a payment run.

A second connection terminates the run's own backend (``pg_terminate_backend``, what a database failover
or a restarted server does) while the run is recording a payment: after its ledger movements are written
in the payment's transaction, before the payment is marked. The run stops with the database error, the
half-recorded payment rolls back with the connection, and running the run again (what re-queuing its task
or ``manage.py payment_run execute`` does) pays every item exactly once with the ledger balanced.

For Stripe Connect the drop comes after Stripe has made the transfer: the resumed run asks Stripe (a local
HTTP recorder standing in for it) which transfers the run already made, and records that one instead of
sending it again."""

from decimal import Decimal

import pytest
from django.db import InterfaceError, OperationalError, connection

from marketplace.payments import runs
from marketplace.payments.models import Payment, PaymentSettings, PaymentStatus, RunStatus
from marketplace.payments.tests.factories import (
    allocation,
    approved_invoice,
    balances,
    connected_account,
    finance,
    provider,
    stripe_council,
    verified_account,
)
from marketplace.payments.tests.stripe_support import recorder_start
from tests.faults.checks import (
    backend_pid,
    each_item_paid_once,
    ledger_balances,
    nothing_half_written,
    terminate_backend,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
D = Decimal
PAYEES = 5
DROP_AT = 3  # the connection drops while the third payment is being recorded


def _drop_connection_while_recording(monkeypatch, payment_number: int) -> list[int]:  # type: ignore[no-untyped-def]
    """Terminate this process's backend from a second connection just before the ``payment_number``-th
    payment is marked, so that its ledger movements are written but not committed."""
    mark, marked = runs._payment_mark, []
    pid = backend_pid()

    def mark_or_drop(payment, status, **kwargs):  # type: ignore[no-untyped-def]
        if len(marked) == payment_number - 1:
            terminate_backend(pid)
        marked.append(payment.pk)
        return mark(payment, status, **kwargs)

    monkeypatch.setattr(runs, "_payment_mark", mark_or_drop)
    return marked


def _authorised_run(team):  # type: ignore[no-untyped-def]
    return runs.run_authorise(run=runs.run_prepare(council=team.council, actor=team.ann), actor=team.ben)


def test_the_connection_dropping_mid_payment_file_run_then_resuming_pays_each_item_once(monkeypatch):
    team = finance()
    tom = allocation(team.council)
    for number in range(PAYEES):
        seller = provider(team.council, f"Provider {number}")
        verified_account(team.council, checked_by=(team.ann, team.ben), **seller.payee)
        approved_invoice(tom, seller, amount="100.00", approver=team.lena)
    run = _authorised_run(team)
    _drop_connection_while_recording(monkeypatch, DROP_AT)

    with pytest.raises((OperationalError, InterfaceError)):
        runs.run_execute(run=run, actor=team.ben)
    monkeypatch.undo()
    connection.close()  # the broken connection; the next query opens a new one

    run.refresh_from_db()
    assert (run.status, run.progress_done) == (RunStatus.PAYING, DROP_AT - 1)
    assert run.payments.filter(status=PaymentStatus.SENT).count() == DROP_AT - 1
    assert run.payments.filter(status=PaymentStatus.PENDING).count() == PAYEES - DROP_AT + 1
    nothing_half_written()
    ledger_balances()
    assert balances(tom)["spent"] == D("100.00") * (DROP_AT - 1)

    run = runs.run_execute(run=run, actor=team.ben)

    assert (run.status, run.progress_done, run.progress_total) == (RunStatus.SENT, PAYEES, PAYEES)
    each_item_paid_once(PAYEES)
    nothing_half_written()
    ledger_balances()
    assert balances(tom) == {"provider_payable": 0, "spent": D("500.00"), "family_account": 0}


def _transfer(transfer_id: str, payment_id: str, amount: int) -> dict:  # type: ignore[type-arg]
    return {"id": transfer_id, "object": "transfer", "amount": amount, "metadata": {"payment_id": payment_id}}


def test_the_connection_dropping_after_stripe_paid_then_resuming_never_transfers_twice(monkeypatch):
    recorder, server = recorder_start()
    try:
        team = finance()
        tom = allocation(team.council)
        sellers = [provider(team.council, f"Provider {number}") for number in range(PAYEES)]
        stripe_council(team, sellers[0])
        for seller in sellers[1:]:
            connected_account(team, seller)
        settings = PaymentSettings.objects.get(council=team.council)
        settings.stripe_secret_key, settings.stripe_api_base = "sk_test_council_key", recorder.url
        settings.save()
        for seller in sellers:
            approved_invoice(tom, seller, amount="100.00", approver=team.lena)
        run = _authorised_run(team)
        payments = list(run.payments.order_by("pk"))
        assert {payment.method for payment in payments} == {"stripe_transfer"}
        for number, payment in enumerate(payments, start=1):
            recorder.reply("POST", "/v1/transfers", _transfer(f"tr_{number}", str(payment.public_id), 10000))
        recorder.reply(
            "GET", "/v1/transfers", {"object": "list", "data": [], "has_more": False, "url": "/v1/transfers"}
        )
        _drop_connection_while_recording(monkeypatch, DROP_AT)

        with pytest.raises((OperationalError, InterfaceError)):
            runs.run_execute(run=run, actor=team.ben)
        monkeypatch.undo()
        connection.close()

        run.refresh_from_db()
        assert run.status == RunStatus.PAYING
        assert run.payments.filter(status=PaymentStatus.PAID).count() == DROP_AT - 1
        nothing_half_written()
        ledger_balances()
        # Stripe made DROP_AT transfers; the run recorded one fewer. Stripe now lists all it made.
        made = [request for request in recorder.requests if request.method == "POST"]
        assert len(made) == DROP_AT
        recorder.replies[("GET", "/v1/transfers")].clear()
        recorder.reply(
            "GET",
            "/v1/transfers",
            {
                "object": "list",
                "url": "/v1/transfers",
                "has_more": False,
                "data": [
                    _transfer(f"tr_{number}", request.form["metadata[payment_id]"], 10000)
                    for number, request in enumerate(made, start=1)
                ],
            },
        )

        run = runs.run_execute(run=run, actor=team.ben)

        assert run.status == RunStatus.COMPLETED
        assert len([request for request in recorder.requests if request.method == "POST"]) == PAYEES
        transfer_ids = list(Payment.objects.order_by("pk").values_list("stripe_transfer_id", flat=True))
        assert transfer_ids == [f"tr_{number}" for number in range(1, PAYEES + 1)]
        each_item_paid_once(PAYEES)
        nothing_half_written()
        ledger_balances()
        assert balances(tom) == {"provider_payable": 0, "spent": D("500.00"), "family_account": 0}
    finally:
        server.shutdown()
        server.server_close()
