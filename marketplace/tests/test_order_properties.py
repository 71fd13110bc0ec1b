"""Random sequences of orders, changes, cancellations, deliveries, invoices, credit notes and approvals
never break the money rules.

After every step: what is committed plus what is settled never exceeds the budget; the committed account
holds exactly what the orders hold between them; each live settlement belongs to one approved invoice
and is for what that invoice still asks (its total less credit notes); and a block contract never goes
below zero.
"""

import contextlib
import itertools
import os
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from brokerage import ledger
from brokerage.exceptions import BrokerageError
from brokerage.models import AccountKind, LedgerTransaction, TransactionKind
from marketplace.models import Invoice, InvoiceStatus, Order, OrderChange
from marketplace.order_selectors import block_contract_remaining, order_commitment
from marketplace.services import deliveries, invoices, orders
from marketplace.services.invoices import LineInput, amount_payable
from marketplace.tests.order_factories import A_DAY_DELIVERED, block_contract, family, place, provider

CI = os.environ.get("HYPOTHESIS_PROFILE") == "ci"
BUDGET = Decimal("1000.00")
units = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("12"), places=1)
rates = st.sampled_from([Decimal("10.00"), Decimal("14.35"), Decimal("20.00"), Decimal("45.00")])
vat_statuses = st.sampled_from(["not_registered", "plus_vat", "included"])
picks = st.integers(min_value=0, max_value=10_000)
REFUSALS = (BrokerageError, ValidationError)
EXAMPLES = itertools.count()


class OrderMachine(RuleBasedStateMachine):
    @initialize()
    def budget(self) -> None:
        self.tom = family(available=str(BUDGET))
        # Examples share the test's database transaction: each needs a provider of its own name.
        self.tutor = provider(f"Sunrise Tutors {next(EXAMPLES)}")
        self.contract = block_contract(self.tom, self.tutor, units="10")
        self.counter = 0

    def _pick(self, model, pick: int, **filters):  # type: ignore[no-untyped-def]
        rows = list(model.objects.filter(**filters).order_by("pk"))
        return rows[pick % len(rows)] if rows else None

    def _order(self, pick: int) -> Order | None:
        return self._pick(Order, pick, person=self.tom.person)

    def _attempt(self, action, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        with contextlib.suppress(*REFUSALS):
            action(*args, **kwargs)

    @rule(amount=units, rate=rates, vat=vat_statuses)
    def place_order(self, amount: Decimal, rate: Decimal, vat: str) -> None:
        self._attempt(place, self.tom, self.tutor, units=str(amount), rate=str(rate), vat_status=vat)

    @rule(amount=units, rate=rates, vat=vat_statuses, share=st.sampled_from([Decimal("0.5"), Decimal("1")]))
    def order_through_to_approval(self, amount: Decimal, rate: Decimal, vat: str, share: Decimal) -> None:
        """The usual path in one step, so that every run settles invoices: place, accept, deliver, invoice, approve."""
        try:
            order = place(self.tom, self.tutor, units=str(amount), rate=str(rate), vat_status=vat)
        except REFUSALS:
            return
        orders.order_accept(order=order, actor=self.tutor.staff)
        delivered = (amount * share).quantize(Decimal("0.01"))
        deliveries.delivery_record(order=order, actor=self.tutor.staff, delivered_on=A_DAY_DELIVERED, units=delivered)
        self.counter += 1
        invoice = invoices.invoice_submit(
            order=order,
            actor=self.tutor.staff,
            number=f"INV-{self.counter}",
            issued_on=A_DAY_DELIVERED,
            lines=[LineInput(A_DAY_DELIVERED, delivered, rate)],
            vat_number="GB123456789",
        )
        assert invoice.breaches == []
        invoices.invoice_approve(invoice=invoice, actor=self.tom.parent)

    @rule(amount=units)
    def place_block_order(self, amount: Decimal) -> None:
        self._attempt(place, self.tom, self.tutor, units=str(amount), block_contract=self.contract)

    @rule(pick=picks)
    def advance(self, pick: int) -> None:
        """Take an order one step along the usual path: accept, deliver, invoice, approve."""
        order = self._order(pick)
        if order is None:
            return
        waiting = order.invoices.filter(status=InvoiceStatus.SUBMITTED).first()
        if order.status == "placed":
            self._attempt(orders.order_accept, order=order, actor=self.tutor.staff)
        elif waiting is not None:
            self._attempt(invoices.invoice_approve, invoice=waiting, actor=self.tom.parent)
        elif order.status == "accepted" and not order.deliveries.exists():
            self.deliver(pick, order.units / 2)
        else:
            self.invoice(pick, order.units / 2, order.rate)

    @rule(pick=picks)
    def accept(self, pick: int) -> None:
        if order := self._order(pick):
            self._attempt(orders.order_accept, order=order, actor=self.tutor.staff)

    @rule(pick=picks)
    def decline(self, pick: int) -> None:
        if order := self._order(pick):
            self._attempt(orders.order_decline, order=order, actor=self.tutor.staff, reason="Full")

    @rule(pick=picks, amount=units, rate=rates)
    def propose_change(self, pick: int, amount: Decimal, rate: Decimal) -> None:
        if order := self._order(pick):
            self._attempt(
                orders.order_change_propose,
                order=order,
                actor=self.tutor.staff,
                units=amount,
                rate=rate,
                starts_on=order.starts_on,
                ends_on=order.ends_on,
                reason="New terms",
            )

    @rule(pick=picks, accept=st.booleans())
    def decide_change(self, pick: int, accept: bool) -> None:
        change = self._pick(OrderChange, pick, order__person=self.tom.person, decision="waiting")
        if change is None:
            return
        if accept:
            self._attempt(orders.order_change_accept, change=change, actor=self.tom.parent)
        else:
            self._attempt(orders.order_change_reject, change=change, actor=self.tom.parent, reason="No")

    @rule(pick=picks, complete=st.booleans())
    def end(self, pick: int, complete: bool) -> None:
        if order := self._order(pick):
            if complete:
                self._attempt(orders.order_complete, order=order, actor=self.tom.parent)
            else:
                self._attempt(orders.order_cancel, order=order, actor=self.tom.parent, reason="Stops")

    @rule(pick=picks, amount=units)
    def deliver(self, pick: int, amount: Decimal) -> None:
        if order := self._order(pick):
            self._attempt(
                deliveries.delivery_record,
                order=order,
                actor=self.tutor.staff,
                delivered_on=A_DAY_DELIVERED,
                units=amount,
            )

    @rule(pick=picks, amount=units, rate=rates)
    def invoice(self, pick: int, amount: Decimal, rate: Decimal) -> None:
        if order := self._order(pick):
            self.counter += 1
            self._attempt(
                invoices.invoice_submit,
                order=order,
                actor=self.tutor.staff,
                number=f"INV-{self.counter}",
                issued_on=A_DAY_DELIVERED,
                lines=[LineInput(A_DAY_DELIVERED, amount, rate)],
                vat_number="GB123456789",
            )

    @rule(pick=picks, override=st.booleans())
    def approve(self, pick: int, override: bool) -> None:
        if invoice := self._pick(Invoice, pick, order__person=self.tom.person):
            reason = "Agreed by phone" if override else ""
            self._attempt(invoices.invoice_approve, invoice=invoice, actor=self.tom.parent, override_reason=reason)

    @rule(pick=picks, query=st.booleans())
    def query_or_refuse(self, pick: int, query: bool) -> None:
        if invoice := self._pick(Invoice, pick, order__person=self.tom.person):
            action = invoices.invoice_query if query else invoices.invoice_refuse
            self._attempt(action, invoice=invoice, actor=self.tom.parent, reason="Please explain")

    @rule(pick=picks, amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("150"), places=2))
    def credit(self, pick: int, amount: Decimal) -> None:
        if invoice := self._pick(Invoice, pick, order__person=self.tom.person):
            self.counter += 1
            self._attempt(
                invoices.credit_note_issue,
                invoice=invoice,
                actor=self.tutor.staff,
                number=f"CN-{self.counter}",
                amount=amount,
                reason="Correction",
            )

    def _balance(self, kind: str) -> Decimal:
        return ledger.balance(ledger.allocation_account(self.tom.allocation, kind))

    @invariant()
    def commitments_plus_settled_spend_never_exceed_the_budget(self) -> None:
        committed = self._balance(AccountKind.COMMITTED)
        settled = self._balance(AccountKind.PROVIDER_PAYABLE) + self._balance(AccountKind.SPENT)
        assert committed + settled <= BUDGET
        assert committed + settled + self._balance(AccountKind.AVAILABLE) == BUDGET

    @invariant()
    def the_committed_account_holds_exactly_what_the_orders_hold(self) -> None:
        held = [order_commitment(order) for order in Order.objects.filter(person=self.tom.person)]
        assert all(amount >= 0 for amount in held)
        assert sum(held, Decimal("0.00")) == self._balance(AccountKind.COMMITTED)

    @invariant()
    def every_settlement_matches_one_approved_invoice(self) -> None:
        live = LedgerTransaction.objects.filter(
            budget=self.tom.allocation.budget, kind=TransactionKind.SETTLE, reversed_by__isnull=True
        )
        by_invoice: dict[str, Decimal] = {}
        for settlement in live:
            invoice_id = settlement.idempotency_key.removeprefix("invoice-")[:36]
            assert invoice_id not in by_invoice, "two live settlements for one invoice"
            by_invoice[invoice_id] = settlement.postings.get(amount__gt=0).amount
        approved = Invoice.objects.filter(order__person=self.tom.person, status=InvoiceStatus.APPROVED)
        expected = {str(invoice.public_id): amount_payable(invoice) for invoice in approved if amount_payable(invoice)}
        assert by_invoice == expected

    @invariant()
    def a_block_contract_never_goes_below_zero(self) -> None:
        assert block_contract_remaining(self.contract) >= 0


@pytest.mark.django_db
def test_random_sequences_of_orders_and_invoices_keep_the_money_rules():
    run_state_machine_as_test(
        OrderMachine,
        settings=settings(
            max_examples=10 if CI else 20,
            stateful_step_count=30 if CI else 40,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
