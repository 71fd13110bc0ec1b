"""The commissioning demo builder: enquiries, orders in every state, deliveries and invoices as the
services leave them, something for each demo sign-in, and a second run creating nothing."""

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditEvent, Notification, User
from brokerage.ledger import committed_under
from brokerage.models import AccessGrant, LedgerTransaction, PersonSupported, PlanLine, TransactionKind
from brokerage.statements import budget_statement
from demo import runner
from demo.builders import accounts, brokerage, commissioning, providers
from demo.context import DemoContext
from demo.councils import COVENTRY
from marketplace.enquiry_selectors import enquiry_threads_for
from marketplace.models import (
    CreditNote,
    DeliveryRecord,
    Enquiry,
    EnquiryStatus,
    Invoice,
    InvoiceStatus,
    Message,
    OneOffPurchase,
    Order,
    OrderChange,
    OrderStatus,
    PAEmployment,
    Timesheet,
)
from marketplace.order_selectors import INVOICE_APPROVAL_DAYS, order_commitment, orders_visible_to, waiting_on
from marketplace.services.invoices import amount_payable, current_settlement

pytestmark = pytest.mark.django_db

# The demo sign-ins that must find something under "Orders and invoices" and "Messages".
SIGN_INS = ("family@coventry.demo", "provider@coventry.demo", "pa@coventry.demo", "lead.professional@coventry.demo")


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[DemoContext]:  # type: ignore[no-untyped-def]
    """Only what the commissioning demo stands on (people, Coventry's directory, the families), built once
    for the module and rolled back after it; each test runs in a savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        ctx = DemoContext()
        accounts.build(ctx)
        # The other councils' directories take most of a full build's time, and this demo is Coventry's.
        patch.setattr(providers, "DEMO_COUNCILS", (COVENTRY,))
        providers.build(ctx)
        brokerage.build(ctx)
        commissioning.build(ctx)
        yield ctx
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    models = (
        Enquiry,
        Message,
        Order,
        OrderChange,
        DeliveryRecord,
        Timesheet,
        Invoice,
        CreditNote,
        OneOffPurchase,
        LedgerTransaction,
        AccessGrant,
        AuditEvent,
        Notification,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_demo_data_builds_commissioning_after_the_families_and_the_directory():
    order = [builder.build for builder in runner.BUILDERS]

    assert order.index(commissioning.build) > order.index(brokerage.build)
    assert order.index(commissioning.build) > order.index(providers.build)


def test_there_is_an_order_in_every_state(built):
    assert set(Order.objects.values_list("status", flat=True)) == set(OrderStatus.values)
    declined = Order.objects.get(status=OrderStatus.DECLINED)
    assert declined.status_changes.get(new_status=OrderStatus.DECLINED).reason
    accepted_change = OrderChange.objects.get(decision=OrderChange.Decision.ACCEPTED)
    assert accepted_change.order.status == OrderStatus.ACCEPTED
    assert OrderChange.objects.get(decision=OrderChange.Decision.WAITING).order.status == OrderStatus.CHANGE_PROPOSED


def test_toms_counselling_is_ordered_from_his_plan_line_and_delivered(built):
    order = Order.objects.get(description=commissioning.TOM_COUNSELLING)

    assert order.plan_line.description == "Counselling"
    assert order.placed_by == order.person.lead_professional
    assert sum(record.units for record in order.deliveries.all()) == order.units


def test_approved_invoices_are_settled_in_the_ledger_once_for_what_they_still_ask(built):
    approved = Invoice.objects.filter(status=InvoiceStatus.APPROVED)
    assert approved.count() == 6

    for invoice in approved:
        settlement = current_settlement(invoice)
        assert settlement is not None, invoice.number
        assert settlement.postings.filter(amount__gt=0).get().amount == amount_payable(invoice)
    for name in ("Tom", "Jonathan"):
        person = PersonSupported.objects.get(first_name=name, council__slug="coventry")
        # Nothing is paid yet (payment runs come later): everything approved waits as payable.
        expected = sum(amount_payable(invoice) for invoice in approved.filter(order__person=person))
        assert budget_statement(person.budgets.get()).total("payable") == expected


def test_a_credit_note_on_an_approved_invoice_reversed_its_settlement(built):
    note = CreditNote.objects.get()

    assert note.invoice.status == InvoiceStatus.APPROVED
    assert amount_payable(note.invoice) == note.invoice.total - Decimal("22.50")
    reversed_settlements = LedgerTransaction.objects.filter(
        kind=TransactionKind.SETTLE, reference=note.invoice.order.ledger_reference, reversed_by__isnull=False
    )
    assert reversed_settlements.count() == 1


def test_one_invoice_is_queried_and_one_waits_issued_more_than_ten_days_ago(built):
    assert Invoice.objects.filter(status=InvoiceStatus.QUERIED).count() == 1
    waiting = Invoice.objects.get(status=InvoiceStatus.SUBMITTED)
    assert (timezone.localdate() - waiting.issued_on).days > INVOICE_APPROVAL_DAYS


def test_the_invoice_waiting_more_than_ten_days_is_highlighted_on_the_approvers_list(built):
    mother = User.objects.get(email="family@coventry.demo")

    overdue = [item for item in waiting_on(mother) if item.kind == "invoice_to_approve" and item.overdue]

    assert [item.record.number for item in overdue] == ["ODC-2026-0467"]


def test_toms_tuition_is_delivered_invoiced_approved_by_his_lead_professional_and_completed(built):
    order = Order.objects.get(description=commissioning.TOM_TUITION)
    nurse = order.person.lead_professional

    assert order.status == OrderStatus.COMPLETED and order.rate == Decimal("20.00") and order.units == 30
    assert order.offer.organisation.slug == "godiva-tuition"
    assert sum(record.units for record in order.deliveries.all()) == 30
    assert {invoice.decided_by for invoice in order.invoices.all()} == {nurse}
    assert sum(amount_payable(invoice) for invoice in order.invoices.all()) == Decimal("600.00")
    assert order_commitment(order) == 0
    line = PlanLine.objects.get(plan__person=order.person, description="Tuition")
    assert committed_under(allocation=order.allocation, reference=f"plan-line-{line.public_id}") == 0


def test_the_football_residential_waits_for_the_lead_professionals_approval(built):
    purchase = OneOffPurchase.objects.get(description=commissioning.RESIDENTIAL)
    nurse = User.objects.get(email="lead.professional@coventry.demo")

    assert purchase.status == OneOffPurchase.Status.SUBMITTED and purchase.amount == Decimal("310.00")
    assert purchase.kind == OneOffPurchase.Kind.SUPPLIER_INVOICE
    assert committed_under(allocation=purchase.allocation, reference=purchase.ledger_reference) == Decimal("310.00")
    assert purchase in [item.record for item in waiting_on(nurse) if item.kind == "one_off_to_approve"]


def test_the_family_employed_assistants_timesheet_went_to_payroll_and_raised_no_invoice(built):
    order = Order.objects.get(description=commissioning.A_ROTA)

    assert order.pa_employment == PAEmployment.EMPLOYED_BY_FAMILY
    assert order.timesheets.get().outcome == Timesheet.Outcome.FOR_PAYROLL
    assert order.deliveries.count() == 3
    assert not order.invoices.exists()
    assert order.status == OrderStatus.COMPLETED


def test_a_self_employed_assistants_timesheet_became_an_invoice(built):
    order = Order.objects.get(description=commissioning.JONATHAN_FULL_TIME)

    timesheet = order.timesheets.get()
    assert timesheet.outcome == Timesheet.Outcome.INVOICED
    assert order.invoices.get().timesheet == timesheet


def test_conversations_are_answered_waiting_and_closed(built):
    statuses = sorted(Enquiry.objects.values_list("status", flat=True))

    assert statuses == sorted(
        [EnquiryStatus.ANSWERED, EnquiryStatus.ANSWERED, EnquiryStatus.OPEN, EnquiryStatus.CLOSED]
    )
    assert all(2 <= enquiry.messages.count() <= 3 for enquiry in Enquiry.objects.exclude(status=EnquiryStatus.OPEN))


@pytest.mark.parametrize("email", SIGN_INS)
def test_each_demo_sign_in_has_orders_and_messages(built, email):
    user = User.objects.get(email=email)

    assert orders_visible_to(user).exists()
    assert enquiry_threads_for(user).exists()


def test_a_second_run_creates_nothing(built):
    before = counts()
    ctx = DemoContext()
    accounts.build(ctx)

    commissioning.build(ctx)

    assert counts() == before
    assert ctx.tally.counts["Orders, with deliveries, timesheets and invoices"].created == 0
