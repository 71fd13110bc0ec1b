"""Runs paying providers and PAs through Stripe Connect: each transfer once, even across a crash.

Stripe itself is replaced by a fake of the two calls a run makes (its own tests cover the real module
against localstripe)."""

from decimal import Decimal

import pytest

from accounts.models import Notification
from brokerage.models import LedgerTransaction, TransactionKind
from marketplace.models import InvoiceStatus
from marketplace.payments import runs, stripe_gateway
from marketplace.payments.exceptions import GatewayError
from marketplace.payments.models import ItemStatus, PaymentMethod, PaymentStatus, RunStatus
from marketplace.payments.tests.factories import (
    allocation,
    approved_invoice,
    balances,
    due_instalment,
    finance,
    provider,
    stripe_council,
    verified_account,
)

pytestmark = pytest.mark.django_db
D = Decimal


class Killed(Exception):
    """The process dies: nothing after this point of the transaction is recorded."""


class FakeStripe:
    """Transfers made, by payment; ``crash_after_transfer`` makes the process die once Stripe has paid."""

    def __init__(self) -> None:
        self.made: dict[str, str] = {}
        self.sent = 0
        self.crash_after_transfer = False
        self.refuse = False

    def transfer_send(self, *, payment) -> str:  # type: ignore[no-untyped-def]
        if self.refuse:
            raise GatewayError("Stripe refused the transfer: the account cannot receive payouts")
        self.sent += 1
        self.made[str(payment.public_id)] = f"tr_{len(self.made) + 1}"
        if self.crash_after_transfer:
            self.crash_after_transfer = False
            raise Killed("after Stripe paid, before the run recorded it")
        return self.made[str(payment.public_id)]

    def transfers_already_made(self, *, run) -> dict[str, str]:  # type: ignore[no-untyped-def]
        return dict(self.made)


@pytest.fixture
def fake(monkeypatch) -> FakeStripe:  # type: ignore[no-untyped-def]
    stripe = FakeStripe()
    monkeypatch.setattr(stripe_gateway, "transfer_send", stripe.transfer_send)
    monkeypatch.setattr(stripe_gateway, "transfers_already_made", stripe.transfers_already_made)
    return stripe


@pytest.fixture
def setup(db):  # type: ignore[no-untyped-def]
    team = finance()
    sunrise = provider(team.council)
    stripe_council(team, sunrise)
    tom = allocation(team.council)
    invoice = approved_invoice(tom, sunrise, amount="150.00", approver=team.lena)
    run = runs.run_prepare(council=team.council, actor=team.ann)
    runs.run_authorise(run=run, actor=team.ben)
    return team, sunrise, tom, invoice, run


def test_a_provider_with_a_connected_account_is_paid_by_transfer_and_told(setup, fake):
    team, sunrise, tom, invoice, run = setup

    run = runs.run_execute(run=run, actor=team.ben)

    payment = run.payments.get()
    assert (payment.method, payment.status, payment.stripe_transfer_id) == (
        PaymentMethod.STRIPE_TRANSFER,
        PaymentStatus.PAID,
        "tr_1",
    )
    assert payment.items.get().status == ItemStatus.PAID
    assert run.status == RunStatus.COMPLETED
    assert balances(tom)["spent"] == D("150.00")
    assert Notification.objects.filter(recipient=sunrise.staff, subject__startswith="Remittance advice").exists()


def test_families_are_paid_by_the_payment_file_even_when_the_council_uses_stripe(setup, fake):
    team, *_ = setup
    family_money = allocation(team.council, held_as="direct_payment")
    due_instalment(family_money)
    verified_account(team.council, checked_by=(team.ann, team.ben), family=family_money.budget.person)

    run = runs.run_prepare(council=team.council, actor=team.ann)

    assert run.payments.get().method == PaymentMethod.PAYMENT_FILE


def test_a_run_killed_after_stripe_paid_records_that_transfer_instead_of_sending_it_again(setup, fake):
    team, sunrise, tom, invoice, run = setup
    fake.crash_after_transfer = True
    with pytest.raises(Killed):
        runs.run_execute(run=run, actor=team.ben)
    run.refresh_from_db()
    assert run.status == RunStatus.PAYING
    assert run.payments.get().status == PaymentStatus.PENDING  # the crash rolled its recording back

    run = runs.run_execute(run=run, actor=team.ben)

    assert fake.sent == 1
    assert run.payments.get().stripe_transfer_id == "tr_1"
    assert LedgerTransaction.objects.filter(kind=TransactionKind.PAY).count() == 1
    assert balances(tom)["spent"] == D("150.00")


def test_a_refused_transfer_fails_the_payment_and_leaves_the_invoice_payable(setup, fake):
    team, sunrise, tom, invoice, run = setup
    fake.refuse = True

    run = runs.run_execute(run=run, actor=team.ben)

    payment = run.payments.get()
    assert payment.status == PaymentStatus.FAILED
    assert "cannot receive payouts" in payment.failure_reason
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED
    assert balances(tom) == {"provider_payable": D("150.00"), "spent": 0, "family_account": 0}
    assert run.status == RunStatus.COMPLETED
    assert runs.run_prepare(council=team.council, actor=team.ann).item_count == 1


def test_a_transfer_stripe_reverses_in_full_makes_the_invoice_payable_again_once(setup, fake):
    team, sunrise, tom, invoice, run = setup
    run = runs.run_execute(run=run, actor=team.ben)
    payment = run.payments.get()

    runs.payment_reversed(payment=payment, reason="Stripe reversed transfer tr_1 (£150.00 returned)")
    runs.payment_reversed(payment=payment, reason="Stripe reversed transfer tr_1 (£150.00 returned)")

    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert payment.items.get().status == ItemStatus.RETURNED
    assert invoice.status == InvoiceStatus.APPROVED
    assert balances(tom)["provider_payable"] == D("150.00") and balances(tom)["spent"] == D("0.00")
    assert LedgerTransaction.objects.filter(kind=TransactionKind.REVERSAL).count() == 1
    # Payable again: the next run takes it.
    assert runs.run_prepare(council=team.council, actor=team.ann).items.get().invoice == invoice
