"""Invoices against orders: checks against the order, overrides, VAT, approval, queries and credit notes."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import AuditEvent, Notification
from brokerage.exceptions import BrokerageError, InsufficientFunds, NotAllowed
from brokerage.models import LedgerTransaction, TransactionKind
from marketplace.models import InvoiceStatus
from marketplace.models.invoices import priced
from marketplace.order_selectors import order_commitment
from marketplace.services.deliveries import delivery_record
from marketplace.services.invoices import (
    InvoiceOutsideOrder,
    LineInput,
    amount_payable,
    credit_note_issue,
    invoice_approve,
    invoice_query,
    invoice_query_answer,
    invoice_refuse,
    invoice_submit,
)
from marketplace.services.orders import order_cancel
from marketplace.tests.order_factories import A_DAY_DELIVERED, accepted, balances, broker_for, family, provider

pytestmark = pytest.mark.django_db
D = Decimal
ISSUED = datetime.date(2026, 5, 31)


def _delivered(order, tutor, units: str = "10"):  # type: ignore[no-untyped-def]
    delivery_record(order=order, actor=tutor.staff, delivered_on=A_DAY_DELIVERED, units=D(units))
    return order


def _invoice(order, tutor, *, number: str = "INV-1", units: str = "10", rate: str | None = None, **more):  # type: ignore[no-untyped-def]
    lines = more.pop("lines", None) or [LineInput(A_DAY_DELIVERED, D(units), D(rate) if rate else order.rate)]
    return invoice_submit(order=order, actor=tutor.staff, number=number, issued_on=ISSUED, lines=lines, **more)


def _settlements() -> int:
    return LedgerTransaction.objects.filter(kind=TransactionKind.SETTLE).count()


def test_an_invoice_within_its_order_waits_for_approval_due_in_30_days():
    tom, tutor = family(), provider()
    order = _delivered(accepted(tom, tutor, units="10", rate="20.00"), tutor)

    invoice = _invoice(order, tutor)

    assert invoice.status == InvoiceStatus.SUBMITTED
    assert invoice.breaches == []
    assert invoice.total == D("200.00")
    assert invoice.due_on == datetime.date(2026, 6, 30)
    assert Notification.objects.filter(recipient=tom.parent, subject__contains="Invoice to approve").exists()


def test_approving_settles_the_invoice_as_provider_payable():
    tom, tutor = family(available="1000.00"), provider()
    order = _delivered(accepted(tom, tutor, units="10", rate="20.00"), tutor, units="4")
    invoice = _invoice(order, tutor, units="4")

    invoice_approve(invoice=invoice, actor=tom.parent)

    assert balances(tom.allocation) == {
        "available": D("800.00"),
        "committed": D("120.00"),
        "provider_payable": D("80.00"),
    }
    assert Notification.objects.filter(recipient=tutor.staff, subject__contains="approved").exists()


def test_approving_twice_settles_once():
    tom, tutor = family(), provider()
    invoice = _invoice(_delivered(accepted(tom, tutor), tutor), tutor)

    invoice_approve(invoice=invoice, actor=tom.parent)
    invoice_approve(invoice=invoice, actor=tom.lead_professional)

    assert _settlements() == 1
    assert balances(tom.allocation)["provider_payable"] == D("200.00")


def test_the_provider_cannot_approve_its_own_invoice():
    tom, tutor = family(), provider()
    invoice = _invoice(_delivered(accepted(tom, tutor), tutor), tutor)

    with pytest.raises(NotAllowed):
        invoice_approve(invoice=invoice, actor=tutor.staff)


def test_a_rate_above_the_order_is_a_breach_that_approval_alone_does_not_pass():
    tom, tutor = family(), provider()
    invoice = _invoice(_delivered(accepted(tom, tutor, rate="20.00"), tutor), tutor, rate="22.00")

    assert invoice.breaches == ["5 May 2026: £22.00 per hour is above the order's £20.00"]
    with pytest.raises(InvoiceOutsideOrder):
        invoice_approve(invoice=invoice, actor=tom.parent)
    assert _settlements() == 0


def test_an_override_with_a_reason_by_the_lead_professional_lets_it_through_and_commits_the_excess():
    tom, tutor = family(available="1000.00"), provider()
    order = _delivered(accepted(tom, tutor, units="10", rate="20.00"), tutor)
    invoice = _invoice(order, tutor, rate="22.00")

    invoice_approve(invoice=invoice, actor=tom.lead_professional, override_reason="Agreed the exam-week rate by phone")

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED
    assert invoice.override_by == tom.lead_professional
    assert balances(tom.allocation)["provider_payable"] == D("220.00")
    assert balances(tom.allocation)["available"] == D("780.00")


def test_a_broker_acting_for_the_family_cannot_override():
    tom, tutor = family(), provider()
    bob = broker_for(tom, limit="1000.00")
    invoice = _invoice(_delivered(accepted(tom, tutor), tutor), tutor, rate="25.00")

    with pytest.raises(NotAllowed, match="beyond its order"):
        invoice_approve(invoice=invoice, actor=bob, override_reason="Looks fine")


def test_an_override_beyond_what_is_available_is_refused_by_the_ledger():
    tom, tutor = family(available="200.00"), provider()
    invoice = _invoice(_delivered(accepted(tom, tutor, units="10", rate="20.00"), tutor), tutor, rate="30.00")

    with pytest.raises(InsufficientFunds):
        invoice_approve(invoice=invoice, actor=tom.parent, override_reason="Agreed")

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SUBMITTED


def test_units_beyond_those_delivered_and_ordered_are_breaches():
    tom, tutor = family(), provider()
    order = _delivered(accepted(tom, tutor, units="10"), tutor, units="2")

    invoice = _invoice(order, tutor, units="12")

    assert invoice.breaches == [
        "12 hour invoiced in all, but 2 recorded as delivered",
        "12 hour invoiced in all, but 10 ordered",
    ]


def test_units_already_invoiced_count_against_the_order():
    tom, tutor = family(), provider()
    order = _delivered(accepted(tom, tutor, units="10"), tutor, units="10")
    _invoice(order, tutor, number="INV-1", units="6")

    second = _invoice(order, tutor, number="INV-2", units="6")

    assert "12 hour invoiced in all, but 10 ordered" in second.breaches


def test_a_line_outside_the_order_dates_is_a_breach():
    tom, tutor = family(), provider()
    order = _delivered(accepted(tom, tutor), tutor)

    invoice = _invoice(order, tutor, lines=[LineInput(datetime.date(2026, 12, 1), D("1"), D("20.00"))])

    assert "1 December 2026 is outside the order's dates" in invoice.breaches


def test_an_invoice_number_is_used_once_per_provider():
    tom, tutor, other = family(), provider(), provider("Other Tutors")
    order = _delivered(accepted(tom, tutor, units="10"), tutor)
    other_order = _delivered(accepted(tom, other, units="10"), other)
    _invoice(order, tutor, number="INV-1", units="5")

    with pytest.raises(BrokerageError, match="(?i)already sent an invoice numbered inv-1"):
        _invoice(order, tutor, number="inv-1", units="5")
    assert _invoice(other_order, other, number="INV-1", units="5").number == "INV-1"


def test_vat_is_added_per_line_and_rounded_half_up_to_the_penny():
    tom, tutor = family(), provider()
    order = _delivered(accepted(tom, tutor, units="10", rate="8.45", vat_status="plus_vat"), tutor, units="3")

    invoice = _invoice(
        order,
        tutor,
        vat_number="GB 123 4567 89",
        lines=[LineInput(A_DAY_DELIVERED, D("1.5"), D("8.45")), LineInput(A_DAY_DELIVERED, D("1.5"), D("8.45"))],
    )

    # Each line: 1.5 × £8.45 = £12.675 → £12.68 net; VAT £2.536 → £2.54. On the total it would be £30.43.
    assert (invoice.net_total, invoice.vat_total, invoice.total) == (D("25.36"), D("5.08"), D("30.44"))
    assert invoice.vat_number == "GB123456789"


def test_vat_included_in_the_price_is_shown_as_one_sixth_of_the_gross():
    price = priced(units=D("1"), rate=D("45.00"), vat_status="included")

    assert (price.net, price.vat, price.gross) == (D("37.50"), D("7.50"), D("45.00"))


def test_no_vat_when_the_provider_is_not_registered():
    assert priced(units=D("3"), rate=D("14.00"), vat_status="not_registered").vat == 0


def test_an_invoice_charging_vat_needs_a_vat_registration_number():
    tom, tutor = family(), provider()
    order = _delivered(accepted(tom, tutor, vat_status="plus_vat"), tutor)

    with pytest.raises(BrokerageError, match="VAT registration number"):
        _invoice(order, tutor)


def test_per_line_rounding_pennies_above_the_order_are_committed_at_approval():
    tom, tutor = family(available="100.00"), provider()
    order = _delivered(accepted(tom, tutor, units="3", rate="8.45", vat_status="plus_vat"), tutor, units="3")
    assert order_commitment(order) == D("30.42")  # 3 × £8.45 = £25.35 + £5.07 VAT
    invoice = _invoice(
        order,
        tutor,
        vat_number="GB123456789",
        lines=[LineInput(A_DAY_DELIVERED, D("1.5"), D("8.45")), LineInput(A_DAY_DELIVERED, D("1.5"), D("8.45"))],
    )

    invoice_approve(invoice=invoice, actor=tom.parent)

    assert balances(tom.allocation)["provider_payable"] == D("30.44")
    assert balances(tom.allocation)["available"] == D("69.56")


def test_a_credit_note_before_approval_reduces_what_is_settled():
    tom, tutor = family(), provider()
    invoice = _invoice(_delivered(accepted(tom, tutor), tutor), tutor)

    credit_note_issue(invoice=invoice, actor=tutor.staff, number="CN-1", amount=D("40.00"), reason="One session missed")
    invoice_approve(invoice=invoice, actor=tom.parent)

    assert amount_payable(invoice) == D("160.00")
    assert balances(tom.allocation)["provider_payable"] == D("160.00")
    assert balances(tom.allocation)["committed"] == D("40.00")


def test_a_credit_note_after_approval_reverses_the_settlement_and_settles_the_reduced_amount():
    tom, tutor = family(available="1000.00"), provider()
    invoice = _invoice(_delivered(accepted(tom, tutor), tutor), tutor)
    invoice_approve(invoice=invoice, actor=tom.parent)

    credit_note_issue(invoice=invoice, actor=tutor.staff, number="CN-1", amount=D("40.00"), reason="Overcharged")

    assert balances(tom.allocation) == {
        "available": D("800.00"),
        "committed": D("40.00"),
        "provider_payable": D("160.00"),
    }
    live = LedgerTransaction.objects.filter(kind=TransactionKind.SETTLE, reversed_by__isnull=True)
    assert [transaction.postings.get(amount__gt=0).amount for transaction in live] == [D("160.00")]


def test_a_credit_note_carries_vat_the_way_the_invoice_does():
    tom, tutor = family(), provider()
    order = _delivered(accepted(tom, tutor, vat_status="plus_vat"), tutor)
    invoice = _invoice(order, tutor, vat_number="GB123456789")

    note = credit_note_issue(invoice=invoice, actor=tutor.staff, number="CN-1", amount=D("20.00"), reason="Late")

    assert (note.net, note.vat, note.total) == (D("20.00"), D("4.00"), D("24.00"))
    assert amount_payable(invoice) == D("216.00")


def test_a_credit_note_cannot_be_more_than_the_invoice():
    tom, tutor = family(), provider()
    invoice = _invoice(_delivered(accepted(tom, tutor), tutor), tutor)

    with pytest.raises(BrokerageError, match="cannot be more"):
        credit_note_issue(invoice=invoice, actor=tutor.staff, number="CN-1", amount=D("200.01"), reason="All")


def test_a_query_goes_to_the_provider_and_their_answer_brings_it_back_for_approval():
    tom, tutor = family(), provider()
    invoice = _invoice(_delivered(accepted(tom, tutor), tutor), tutor)

    invoice_query(invoice=invoice, actor=tom.parent, reason="Which dates were these?")
    assert Notification.objects.filter(recipient=tutor.staff, subject__contains="Question about invoice").exists()
    invoice_query_answer(invoice=invoice, actor=tutor.staff, answer="Tuesdays in May.")
    invoice = invoice_approve(invoice=invoice, actor=tom.parent)

    assert invoice.status == InvoiceStatus.APPROVED
    assert [change.new_status for change in invoice.status_changes.order_by("id")] == [
        "submitted",
        "queried",
        "submitted",
        "approved",
    ]


def test_refusing_an_invoice_on_a_cancelled_order_releases_what_it_held():
    tom, tutor = family(available="1000.00"), provider()
    order = _delivered(accepted(tom, tutor, units="10"), tutor, units="3")
    order_cancel(order=order, actor=tom.parent, reason="Stops")
    invoice = _invoice(order, tutor, units="3")

    invoice_refuse(invoice=invoice, actor=tom.parent, reason="These sessions did not happen")

    assert balances(tom.allocation)["available"] == D("1000.00")


def test_an_invoice_on_a_cancelled_order_pays_for_delivered_work_and_nothing_stays_committed():
    tom, tutor = family(available="1000.00"), provider()
    order = _delivered(accepted(tom, tutor, units="10"), tutor, units="3")
    order_cancel(order=order, actor=tom.parent, reason="Stops")

    invoice_approve(invoice=_invoice(order, tutor, units="3"), actor=tom.parent)

    assert balances(tom.allocation) == {"available": D("940.00"), "committed": 0, "provider_payable": D("60.00")}


def test_an_order_cannot_be_cancelled_while_an_invoice_waits():
    tom, tutor = family(), provider()
    order = _delivered(accepted(tom, tutor), tutor)
    _invoice(order, tutor)

    with pytest.raises(BrokerageError, match="invoices waiting"):
        order_cancel(order=order, actor=tom.parent, reason="Stops")


def test_every_step_from_order_to_approved_invoice_leaves_an_audit_row():
    tom, tutor = family(), provider()
    invoice = _invoice(_delivered(accepted(tom, tutor), tutor), tutor)
    invoice_approve(invoice=invoice, actor=tom.lead_professional)

    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert [action for action in actions if action.startswith(("order.", "invoice."))] == [
        "order.placed",
        "order.accepted",
        "order.delivery_recorded",
        "invoice.submitted",
        "invoice.approved",
    ]
