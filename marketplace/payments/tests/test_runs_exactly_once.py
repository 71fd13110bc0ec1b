"""Fault tests: a run killed part-way and run again pays every item exactly once, a line the bank returns
goes back to payable, and, for any mix of invoices, instalments and purchases, the ledger balances."""

import contextlib
import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from brokerage.models import LedgerTransaction, Posting, TransactionKind
from marketplace.models import InvoiceStatus, OneOffPurchase
from marketplace.payments import runs
from marketplace.payments.models import LIVE_ITEM_STATUSES, PaymentItem, PaymentStatus, RunStatus
from marketplace.payments.tests.factories import (
    allocation,
    approved_invoice,
    approved_purchase,
    balances,
    due_instalment,
    finance,
    provider,
    verified_account,
)

D = Decimal
FIELD_OF = {"Invoice": "invoice", "DirectPaymentInstalment": "instalment"}
_councils = itertools.count(1)


class Killed(Exception):
    """The process dies between two payments."""


def _kill_after(monkeypatch, payments: int) -> None:  # type: ignore[no-untyped-def]
    pay, done = runs._payment_pay, []

    def pay_then_die(*args, **kwargs):  # type: ignore[no-untyped-def]
        if len(done) == payments:
            raise Killed
        done.append(pay(*args, **kwargs))
        return done[-1]

    monkeypatch.setattr(runs, "_payment_pay", pay_then_die)


def _authorised(team):  # type: ignore[no-untyped-def]
    run = runs.run_prepare(council=team.council, actor=team.ann)
    return runs.run_authorise(run=run, actor=team.ben)


def _payees(team, count: int):  # type: ignore[no-untyped-def]
    sellers = [provider(team.council, f"Provider {next(_councils)}") for _ in range(count)]
    for seller in sellers:
        verified_account(team.council, checked_by=(team.ann, team.ben), **seller.payee)
    return sellers


def _pay_count() -> int:
    return LedgerTransaction.objects.filter(kind__in=(TransactionKind.PAY, TransactionKind.DP_INSTALMENT)).count()


@pytest.mark.django_db
def test_a_run_killed_after_some_payments_and_run_again_pays_each_item_exactly_once(monkeypatch):
    team = finance()
    tom = allocation(team.council)
    for seller in _payees(team, 5):
        approved_invoice(tom, seller, amount="100.00", approver=team.lena)
    run = _authorised(team)
    _kill_after(monkeypatch, 2)

    with pytest.raises(Killed):
        runs.run_execute(run=run, actor=team.ben)
    run.refresh_from_db()
    assert (run.status, run.progress_done) == (RunStatus.PAYING, 2)
    assert _pay_count() == 2
    monkeypatch.undo()

    run = runs.run_execute(run=run, actor=team.ben)

    assert run.status == RunStatus.SENT
    assert _pay_count() == 5
    assert balances(tom) == {"provider_payable": 0, "spent": D("500.00"), "family_account": 0}
    assert not PaymentItem.objects.exclude(status="sent").exists()


@pytest.mark.django_db
def test_a_payment_file_line_returned_by_the_bank_goes_back_to_payable_and_is_paid_once_more():
    team = finance()
    tom = allocation(team.council)
    (seller,) = _payees(team, 1)
    invoice = approved_invoice(tom, seller, amount="60.00", approver=team.lena)
    first = runs.run_execute(run=_authorised(team), actor=team.ben)

    runs.payment_confirm(payment=first.payments.get(), actor=team.ann, outcome="returned", reason="Account closed")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED
    second = runs.run_execute(run=_authorised(team), actor=team.ben)
    runs.run_confirm_rest_paid(run=second, actor=team.ann)

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert balances(tom) == {"provider_payable": 0, "spent": D("60.00"), "family_account": 0}
    assert PaymentItem.objects.filter(invoice=invoice, status__in=LIVE_ITEM_STATUSES).count() == 1


THINGS = st.lists(
    st.tuples(st.sampled_from(["invoice", "instalment", "purchase"]), st.integers(min_value=1, max_value=90000)),
    min_size=1,
    max_size=6,
)


class PaidExactlyOnce(TestCase):
    """Any mix prepared, killed part-way, resumed, some lines returned and paid by a second run: every
    item is paid exactly once and the ledger balances."""

    @settings(max_examples=12, deadline=None)
    @given(things=THINGS, kill_after=st.integers(min_value=0, max_value=4), returned=st.sets(st.integers(0, 5)))
    def test_every_item_is_paid_exactly_once_and_the_ledger_balances(self, things, kill_after, returned):
        team = finance(f"Council {next(_councils)}")
        council_money = allocation(team.council)
        family_money = allocation(team.council, held_as="direct_payment")
        verified_account(team.council, checked_by=(team.ann, team.ben), family=family_money.budget.person)
        sellers = _payees(team, 2)
        expected = {"spent": D("0.00"), "family_account": D("0.00")}
        paid_things = []
        for number, (kind, pence) in enumerate(things):
            amount = str(D(pence) / 100)
            if kind == "invoice":
                paid_things.append(
                    approved_invoice(council_money, sellers[number % 2], amount=amount, approver=team.lena)
                )
                expected["spent"] += D(amount)
            elif kind == "purchase":
                purchase = approved_purchase(council_money, amount=amount, approver=team.lena)
                verified_account(team.council, checked_by=(team.ann, team.ben), one_off_purchase=purchase)
                paid_things.append(purchase)
                expected["spent"] += D(amount)
            else:
                paid_things.append(due_instalment(family_money, amount=amount))
                expected["family_account"] += D(amount)

        run = _authorised(team)
        with pytest.MonkeyPatch.context() as monkeypatch:
            _kill_after(monkeypatch, kill_after)
            with contextlib.suppress(Killed):
                runs.run_execute(run=run, actor=team.ben)
        run = runs.run_execute(run=run, actor=team.ben) if _status(run) == RunStatus.PAYING else run
        sent = list(run.payments.filter(status=PaymentStatus.SENT).order_by("pk"))
        for index, payment in enumerate(sent):
            if index in returned:
                runs.payment_confirm(payment=payment, actor=team.ann, outcome="returned", reason="Returned")
        runs.run_confirm_rest_paid(run=run, actor=team.ann)
        if any(index in returned for index in range(len(sent))):
            again = runs.run_execute(run=_authorised(team), actor=team.ben)
            runs.run_confirm_rest_paid(run=again, actor=team.ann)

        for thing in paid_things:
            field = {"Invoice": "invoice", "DirectPaymentInstalment": "instalment"}.get(
                type(thing).__name__, "purchase"
            )
            assert PaymentItem.objects.filter(**{field: thing}, status="paid").count() == 1
        assert sum(Posting.objects.values_list("amount", flat=True), D("0.00")) == 0
        assert balances(council_money)["provider_payable"] == 0
        assert balances(council_money)["spent"] == expected["spent"]
        assert balances(family_money)["family_account"] == expected["family_account"]
        assert not OneOffPurchase.objects.filter(status=OneOffPurchase.Status.APPROVED).exists()


def _status(run) -> str:  # type: ignore[no-untyped-def]
    run.refresh_from_db()
    return run.status
