"""Invoices against orders, credit notes, and one-off purchases.

An invoice is checked against its order when it is submitted: each line's rate at most the order's rate,
its date within the order's dates, and the units invoiced so far (this invoice included, refused ones
not) at most the units delivered and the units ordered. There is no allowance beyond these: anything
outside them is recorded as a breach, and the invoice can then be approved only with an override, with
a reason, by the consent holder or the lead professional (a broker acting under a grant cannot).

Approval settles the amount payable (total less credit notes) in the ledger, keyed by the invoice, so
approving twice settles once. If the order no longer holds enough commitment (pennies of per-line VAT
rounding, or an override), the difference is committed first, which the ledger refuses beyond what is
available. A credit note on an approved invoice reverses its settlement and settles the reduced amount.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import User
from accounts.notifications import notification_send_many
from brokerage import ledger
from brokerage.exceptions import BrokerageError, InsufficientFunds, NotAllowed, TransitionNotAllowed
from brokerage.models import Allocation, LedgerTransaction, PersonSupported, PlanLine, TransactionKind
from brokerage.statements import budget_statement
from marketplace.models import CreditNote, Invoice, InvoiceLine, InvoiceStatus, InvoiceStatusChange, OneOffPurchase
from marketplace.models.invoices import (
    WAITING_INVOICE_STATUSES,
    default_due_on,
    plain,
    price_of_amount,
    priced,
    vat_is_charged,
)
from marketplace.models.orders import Order, OrderStatus, Timesheet
from marketplace.order_selectors import order_commitment, units_delivered, units_invoiced
from marketplace.payments.models import LIVE_ITEM_STATUSES
from marketplace.services.enquiries import ATTACHMENT_PURPOSES
from marketplace.services.orders import (
    Authority,
    authority_required,
    budget_authority,
    budget_holders,
    credited,
    ledger_tags,
    order_release_surplus,
    order_value,
    provider_required,
    provider_users,
)
from providers.exceptions import UploadRejected
from providers.models import Upload
from providers.services.uploads import upload_store

ZERO = Decimal("0.00")
INVOICE_TRANSITIONS: dict[str, frozenset[str]] = {
    InvoiceStatus.SUBMITTED: frozenset({InvoiceStatus.APPROVED, InvoiceStatus.QUERIED, InvoiceStatus.REFUSED}),
    InvoiceStatus.QUERIED: frozenset({InvoiceStatus.SUBMITTED, InvoiceStatus.APPROVED, InvoiceStatus.REFUSED}),
    InvoiceStatus.APPROVED: frozenset(),
    InvoiceStatus.REFUSED: frozenset(),
}
INVOICEABLE_ORDER_STATUSES = (
    OrderStatus.ACCEPTED,
    OrderStatus.CHANGE_PROPOSED,
    OrderStatus.CANCELLED,
    OrderStatus.COMPLETED,
)
VAT_NUMBER = re.compile(r"^(GB)?(\d{9}|\d{12})$")


class InvoiceOutsideOrder(BrokerageError):
    """The invoice goes beyond its order; ``breaches`` says where."""

    def __init__(self, breaches: list[str]) -> None:
        self.breaches = breaches
        super().__init__("This invoice goes beyond its order: " + "; ".join(breaches))


@dataclass(frozen=True)
class LineInput:
    delivered_on: date
    units: Decimal
    rate: Decimal
    description: str = ""


# --- Status ---------------------------------------------------------------------------------------


def invoice_set_status(*, invoice: Invoice, new_status: str, actor: User | None, reason: str = "") -> Invoice:
    """The one place an invoice's status changes; the caller holds the row lock."""
    old_status = invoice.status
    if new_status not in INVOICE_TRANSITIONS[old_status]:
        raise TransitionNotAllowed(
            f"An invoice that is {InvoiceStatus(old_status).label.lower()} cannot become "
            f"{InvoiceStatus(new_status).label.lower()}"
        )
    invoice.status = new_status
    invoice.status_changed_at = timezone.now()
    fields = ["status", "status_changed_at"]
    if new_status != InvoiceStatus.SUBMITTED:
        invoice.decided_by, invoice.decision_reason = actor, reason
        fields += ["decided_by", "decision_reason"]
    invoice.save(update_fields=fields)
    InvoiceStatusChange.objects.create(
        invoice=invoice, old_status=old_status, new_status=new_status, actor=actor, reason=reason
    )
    return invoice


def _lock(invoice: Invoice) -> Invoice:
    # The order first, then the invoice: every path that touches both locks them in this order.
    Order.objects.select_for_update().get(pk=invoice.order_id)
    return (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("order__person", "order__allocation")
        .get(pk=invoice.pk)
    )


def _audit(*, actor: User | None, action: str, invoice: Invoice, summary: str, reason: str = "", **data) -> None:  # type: ignore[no-untyped-def]
    audit_record(
        actor=actor,
        action=action,
        target=invoice,
        summary=summary,
        council=invoice.order.person.council,
        reason=reason,
        data={key: str(value) for key, value in data.items()},
    )


def _notify(recipients: list[User], subject: str, body: str) -> None:
    if recipients:
        notification_send_many(recipients=recipients, subject=subject, body=body)


def amount_payable(invoice: Invoice) -> Decimal:
    return invoice.total - credited(invoice)


# --- Submitting -----------------------------------------------------------------------------------


@transaction.atomic
def invoice_submit(
    *,
    order: Order,
    actor: User,
    number: str,
    issued_on: date,
    lines: Sequence[LineInput],
    vat_number: str = "",
    due_on: date | None = None,
    timesheet: Timesheet | None = None,
) -> Invoice:
    """The provider invoices an order. Checked against the order; breaches are recorded, not hidden."""
    order = Order.objects.select_for_update(of=("self",)).select_related("person").get(pk=order.pk)
    provider_required(user=actor, order=order)
    if not order.invoices_expected:
        raise BrokerageError(
            "This order is paid under the council's block contract"
            if order.block_contract_id
            else "A personal assistant employed by the family is paid through the family's payroll, not by invoice"
        )
    if order.status not in INVOICEABLE_ORDER_STATUSES:
        raise TransitionNotAllowed("Invoice an order once it has been accepted")
    if not lines:
        raise BrokerageError("Add at least one line")
    vat_number = vat_number.replace(" ", "").upper()
    if vat_is_charged(order.vat_status) and not VAT_NUMBER.match(vat_number):
        raise BrokerageError("An invoice that charges VAT must show your VAT registration number, like GB123456789")
    invoice = Invoice(
        order=order,
        provider_organisation=order.provider_organisation,
        personal_assistant=order.personal_assistant,
        number=number.strip(),
        issued_on=issued_on,
        due_on=due_on or default_due_on(issued_on),
        vat_status=order.vat_status,
        vat_number=vat_number if vat_is_charged(order.vat_status) else "",
        timesheet=timesheet,
        submitted_by=actor,
    )
    invoice.breaches = invoice_breaches(order=order, lines=lines)
    _add_up(invoice, lines)
    if _number_taken(invoice):
        raise BrokerageError(f"You have already sent an invoice numbered {invoice.number}")
    invoice.full_clean()
    try:
        with transaction.atomic():
            invoice.save()
    except IntegrityError as error:
        raise BrokerageError(f"You have already sent an invoice numbered {invoice.number}") from error
    InvoiceLine.objects.bulk_create(_lines(invoice, lines))
    InvoiceStatusChange.objects.create(invoice=invoice, new_status=InvoiceStatus.SUBMITTED, actor=actor)
    _audit(
        actor=actor,
        action="invoice.submitted",
        invoice=invoice,
        summary=f"Invoice {invoice.number} for £{invoice.total:,.2f} on {order}",
        breaches=invoice.breaches,
    )
    outside = " It goes beyond the order: " + "; ".join(invoice.breaches) + "." if invoice.breaches else ""
    _notify(
        budget_holders(order),
        f"Invoice to approve: {invoice.number} from {order.provider_name}",
        f"£{invoice.total:,.2f} for {order.description}, due {invoice.due_on:%-d %B %Y}.{outside} "
        "Approve it or query it.",
    )
    return invoice


def _number_taken(invoice: Invoice) -> bool:
    same_provider = (
        Q(provider_organisation=invoice.provider_organisation)
        if invoice.provider_organisation_id
        else Q(personal_assistant=invoice.personal_assistant)
    )
    return Invoice.objects.filter(same_provider, number__iexact=invoice.number).exists()


def _add_up(invoice: Invoice, lines: Sequence[LineInput]) -> None:
    prices = [priced(units=line.units, rate=line.rate, vat_status=invoice.vat_status) for line in lines]
    invoice.net_total = sum((price.net for price in prices), ZERO)
    invoice.vat_total = sum((price.vat for price in prices), ZERO)
    invoice.total = invoice.net_total + invoice.vat_total


def _lines(invoice: Invoice, lines: Sequence[LineInput]) -> list[InvoiceLine]:
    rows = []
    for line in lines:
        price = priced(units=line.units, rate=line.rate, vat_status=invoice.vat_status)
        row = InvoiceLine(
            invoice=invoice,
            delivered_on=line.delivered_on,
            description=line.description,
            units=line.units,
            rate=line.rate,
            net=price.net,
            vat=price.vat,
        )
        row.full_clean(exclude=["invoice"])
        rows.append(row)
    return rows


def invoice_breaches(*, order: Order, lines: Sequence[LineInput]) -> list[str]:
    """Where these lines go beyond the order: rate, dates, units delivered and units ordered."""
    breaches = []
    for line in lines:
        when = f"{line.delivered_on:%-d %B %Y}"
        if line.rate > order.rate:
            breaches.append(f"{when}: £{line.rate} {order.get_unit_display()} is above the order's £{order.rate}")
        if not order.starts_on <= line.delivered_on <= order.ends_on:
            breaches.append(f"{when} is outside the order's dates")
    units = units_invoiced(order) + sum((line.units for line in lines), ZERO)
    delivered = units_delivered(order)
    if units > delivered:
        breaches.append(f"{plain(units)} {order.unit} invoiced in all, but {plain(delivered)} recorded as delivered")
    if units > order.units:
        breaches.append(f"{plain(units)} {order.unit} invoiced in all, but {plain(order.units)} ordered")
    return breaches


# --- Deciding -------------------------------------------------------------------------------------


@transaction.atomic
def invoice_approve(*, invoice: Invoice, actor: User, override_reason: str = "") -> Invoice:
    """Approve for payment: settles the amount payable in the ledger, once. Approving an approved invoice
    again changes nothing."""
    invoice = _lock(invoice)
    order = invoice.order
    authority = authority_required(user=actor, person=order.person)
    if invoice.status == InvoiceStatus.APPROVED:
        return invoice
    if invoice.status not in WAITING_INVOICE_STATUSES:
        raise TransitionNotAllowed("Only an invoice waiting for a decision can be approved")
    if invoice.breaches:
        if not override_reason.strip():
            raise InvoiceOutsideOrder(invoice.breaches)
        if not authority.may_override:
            raise NotAllowed("Only the family or the lead professional can approve an invoice beyond its order")
        invoice.override_reason, invoice.override_by = override_reason, actor
        invoice.save(update_fields=["override_reason", "override_by"])
    _settle(invoice, actor=actor, key=invoice.settlement_key())
    invoice_set_status(invoice=invoice, new_status=InvoiceStatus.APPROVED, actor=actor, reason=override_reason)
    order_release_surplus(
        order=order,
        key=f"invoice-{invoice.public_id}-release",
        actor=actor,
        reason=f"invoice {invoice.number} approved",
    )
    _audit(
        actor=actor,
        action="invoice.approved",
        invoice=invoice,
        summary=f"Invoice {invoice.number} approved: £{amount_payable(invoice):,.2f} payable",
        reason=override_reason,
        overridden=bool(invoice.breaches),
    )
    _notify(
        provider_users(order),
        f"Invoice {invoice.number} approved",
        f"£{amount_payable(invoice):,.2f} will be paid by {invoice.due_on:%-d %B %Y}.",
    )
    return invoice


def _settle(invoice: Invoice, *, actor: User, key: str) -> None:
    payable = amount_payable(invoice)
    order = invoice.order
    if payable <= 0:
        return
    tags = ledger_tags(order)
    shortfall = payable - order_commitment(order)
    if shortfall > 0:
        ledger.commit(
            allocation=order.allocation,
            amount=shortfall,
            key=f"{key}-commit",
            reference=order.ledger_reference,
            description=f"Invoice {invoice.number} above what the order holds",
            actor=actor,
            **tags,
        )
    ledger.settle(
        allocation=order.allocation,
        amount=payable,
        key=key,
        reference=order.ledger_reference,
        description=f"Invoice {invoice.number} from {order.provider_name}",
        actor=actor,
        **tags,
    )


@transaction.atomic
def invoice_query(*, invoice: Invoice, actor: User, reason: str) -> Invoice:
    invoice = _lock(invoice)
    authority_required(user=actor, person=invoice.order.person)
    if not reason.strip():
        raise BrokerageError("Say what you want to ask the provider")
    invoice_set_status(invoice=invoice, new_status=InvoiceStatus.QUERIED, actor=actor, reason=reason)
    _audit(
        actor=actor,
        action="invoice.queried",
        invoice=invoice,
        summary=f"Invoice {invoice.number} queried",
        reason=reason,
    )
    _notify(provider_users(invoice.order), f"Question about invoice {invoice.number}", f"{actor} asks: {reason}")
    return invoice


@transaction.atomic
def invoice_query_answer(*, invoice: Invoice, actor: User, answer: str) -> Invoice:
    """The provider answers a query; the invoice waits for approval again."""
    invoice = _lock(invoice)
    provider_required(user=actor, order=invoice.order)
    if not answer.strip():
        raise BrokerageError("Write your answer")
    invoice_set_status(invoice=invoice, new_status=InvoiceStatus.SUBMITTED, actor=actor, reason=answer)
    _audit(
        actor=actor,
        action="invoice.query_answered",
        invoice=invoice,
        summary=f"{invoice.order.provider_name} answered the query on invoice {invoice.number}",
        reason=answer,
    )
    _notify(
        budget_holders(invoice.order),
        f"Invoice {invoice.number}: the provider answered",
        f"{answer} Approve the invoice, query it again or refuse it.",
    )
    return invoice


@transaction.atomic
def invoice_refuse(*, invoice: Invoice, actor: User, reason: str) -> Invoice:
    invoice = _lock(invoice)
    authority_required(user=actor, person=invoice.order.person)
    if not reason.strip():
        raise BrokerageError("Say why you are refusing the invoice")
    invoice_set_status(invoice=invoice, new_status=InvoiceStatus.REFUSED, actor=actor, reason=reason)
    order_release_surplus(
        order=invoice.order,
        key=f"invoice-{invoice.public_id}-release",
        actor=actor,
        reason=f"invoice {invoice.number} refused",
    )
    _audit(
        actor=actor,
        action="invoice.refused",
        invoice=invoice,
        summary=f"Invoice {invoice.number} refused",
        reason=reason,
    )
    _notify(provider_users(invoice.order), f"Invoice {invoice.number} refused", f"{actor} refused it: {reason}")
    return invoice


# --- Credit notes ---------------------------------------------------------------------------------


def current_settlement(invoice: Invoice) -> LedgerTransaction | None:
    return LedgerTransaction.objects.filter(
        kind=TransactionKind.SETTLE,
        idempotency_key__startswith=f"invoice-{invoice.public_id}-settle-",
        reversed_by__isnull=True,
    ).first()


@transaction.atomic
def credit_note_issue(*, invoice: Invoice, actor: User, number: str, amount: Decimal, reason: str) -> CreditNote:
    """The provider reduces an invoice by ``amount`` (priced like the invoice: plus VAT, or VAT included).
    On an approved invoice the settlement is reversed and the reduced amount settled again."""
    invoice = _lock(invoice)
    provider_required(user=actor, order=invoice.order)
    if invoice.status == InvoiceStatus.REFUSED:
        raise TransitionNotAllowed("A refused invoice needs no credit note")
    # A run pays the amount it was prepared with: reducing the invoice under it would pay too much.
    in_run = invoice.payment_items.filter(status__in=LIVE_ITEM_STATUSES).select_related("run").first()
    if in_run is not None:
        raise TransitionNotAllowed(
            f"Invoice {invoice.number} is in payment run {in_run.run.reference}, so it can no longer be reduced: "
            "agree a refund with the council's finance team"
        )
    price = price_of_amount(amount=ledger.money(amount), vat_status=invoice.vat_status)
    if price.gross > amount_payable(invoice):
        raise BrokerageError(
            f"A credit note cannot be more than the £{amount_payable(invoice):,.2f} left on the invoice"
        )
    note = CreditNote(
        invoice=invoice, number=number.strip(), net=price.net, vat=price.vat, reason=reason, issued_by=actor
    )
    note.full_clean()
    note.save()
    if invoice.status == InvoiceStatus.APPROVED:
        _resettle(invoice, note, actor)
    _audit(
        actor=actor,
        action="invoice.credited",
        invoice=invoice,
        summary=f"Credit note {note.number} for £{note.total:,.2f} on invoice {invoice.number}",
        reason=reason,
    )
    _notify(
        budget_holders(invoice.order),
        f"Credit note on invoice {invoice.number}",
        f"{invoice.order.provider_name} reduced the invoice by £{note.total:,.2f}: {reason}",
    )
    return note


def _resettle(invoice: Invoice, note: CreditNote, actor: User) -> None:
    settlement = current_settlement(invoice)
    if settlement is not None:
        try:
            ledger.reverse(
                original=settlement,
                key=f"credit-{note.public_id}-reverse",
                actor=actor,
                reason=f"credit note {note.number}",
            )
        except InsufficientFunds as error:
            raise BrokerageError(
                "This invoice has already been paid: the provider must refund the money instead"
            ) from error
    _settle(invoice, actor=actor, key=invoice.settlement_key(str(note.public_id)))
    order_release_surplus(
        order=invoice.order, key=f"credit-{note.public_id}-release", actor=actor, reason=f"credit note {note.number}"
    )


# --- One-off purchases ----------------------------------------------------------------------------


@transaction.atomic
def one_off_purchase_request(
    *,
    actor: User,
    person: PersonSupported,
    allocation: Allocation,
    kind: str,
    supplier_name: str,
    description: str,
    amount: Decimal,
    supplier_invoice_number: str = "",
    receipt: Upload | None = None,
    pay_to: User | None = None,
    plan_line: PlanLine | None = None,
    receipt_file: UploadedFile | None = None,
) -> OneOffPurchase:
    """Goods, a deposit or a new supplier: commits the money now; someone with authority approves it.
    A reimbursement needs the receipt, uploaded by the person asking: ``receipt_file`` is checked and
    stored like every upload, in the same transaction, so a refused request keeps no receipt."""
    authority = authority_required(user=actor, person=person)
    if allocation.budget.person_id != person.pk:
        raise NotAllowed("This money is not in this person's budget")
    if plan_line is not None:
        _check_plan_line(plan_line=plan_line, person=person, allocation=allocation)
    _check_one_off_within_authority(
        authority=authority, actor=actor, allocation=allocation, amount=ledger.money(amount)
    )
    if receipt_file is not None:
        receipt = one_off_receipt_store(actor=actor, file=receipt_file)
    if kind == OneOffPurchase.Kind.REIMBURSEMENT:
        if receipt is None or actor.pk not in (receipt.owner_user_id, receipt.uploaded_by_id):
            raise BrokerageError("Upload the receipt to be paid back")
        pay_to = pay_to or actor
    purchase = OneOffPurchase(
        person=person,
        allocation=allocation,
        plan_line=plan_line,
        kind=kind,
        supplier_name=supplier_name,
        supplier_invoice_number=supplier_invoice_number,
        description=description,
        amount=ledger.money(amount),
        receipt=receipt,
        pay_to=pay_to if kind == OneOffPurchase.Kind.REIMBURSEMENT else None,
        requested_by=actor,
    )
    purchase.full_clean()
    purchase.save()
    ledger.commit(
        allocation=allocation,
        amount=purchase.amount,
        key=f"{purchase.ledger_reference}-commit",
        reference=purchase.ledger_reference,
        description=f"{description} ({supplier_name})",
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="one_off.requested",
        target=purchase,
        council=person.council,
        summary=f"{purchase.get_kind_display()}: £{purchase.amount:,.2f} for {description}",
    )
    _notify(
        _other_approvers(purchase, actor),
        f"One-off purchase to approve: {description}",
        f"{actor} asks to pay £{purchase.amount:,.2f} to {supplier_name}. Approve or refuse it.",
    )
    return purchase


def one_off_receipt_store(*, actor: User, file: UploadedFile) -> Upload:
    """A receipt or the supplier's invoice: a PDF or a photo, checked by its bytes like every upload."""
    purpose = ATTACHMENT_PURPOSES.get(PurePath(file.name or "").suffix.lower())
    if purpose is None:
        raise ValidationError({"receipt": "The receipt must be a PDF, or a PNG or JPEG image"})
    try:
        return upload_store(actor=actor, purpose=purpose, file=file, owner_user=actor)
    except UploadRejected as error:
        raise ValidationError({"receipt": str(error)}) from error


def _check_plan_line(*, plan_line: PlanLine, person: PersonSupported, allocation: Allocation) -> None:
    if plan_line.plan.person_id != person.pk:
        raise NotAllowed("This line is not in this person's plan")
    if (plan_line.plan.budget_id, plan_line.stream_id) != (allocation.budget_id, allocation.stream_id):
        raise BrokerageError(
            f"The plan line “{plan_line.description}” is paid from {plan_line.stream.name}: choose that money"
        )


def _check_one_off_within_authority(
    *, authority: Authority, actor: User, allocation: Allocation, amount: Decimal
) -> None:
    """As for orders: a lead professional stays within the council's delegated authority for the budget,
    a broker or practitioner within the spending limit of the family's grant (the orders and one-off
    purchases they asked for, declined and refused ones apart)."""
    if authority.limit is None:
        return
    person = allocation.budget.person
    if authority.kind == "lead_professional":
        statement = budget_statement(allocation.budget)
        used = sum((statement.total(name) for name in ("committed", "payable", "spent", "in_family_account")), ZERO)
        if used + amount > authority.limit:
            raise NotAllowed(
                f"This would take {person.first_name}'s budget to £{used + amount:,.2f}, above your delegated "
                f"authority of £{authority.limit:,.2f}: ask a budget-holding manager to approve it"
            )
        return
    placed = Order.objects.filter(person=person, placed_by=actor).exclude(status=OrderStatus.DECLINED)
    asked = OneOffPurchase.objects.filter(person=person, requested_by=actor).exclude(
        status=OneOffPurchase.Status.REFUSED
    )
    used = sum((order_value(order) for order in placed), ZERO) + sum(asked.values_list("amount", flat=True), ZERO)
    if used + amount > authority.limit:
        raise NotAllowed(
            f"The family agreed that you may spend up to £{authority.limit:,.2f} for {person.first_name}; "
            f"this would make £{used + amount:,.2f}"
        )


def _other_approvers(purchase: OneOffPurchase, actor: User) -> list[User]:
    candidates = [purchase.person.lead_professional]
    holder = purchase.person.consent_holders.filter(ended_at__isnull=True).select_related("user").first()
    if holder is not None:
        candidates.append(holder.user)
    return [user for user in candidates if user is not None and user.pk != actor.pk]


def _purchase_lock(purchase: OneOffPurchase) -> OneOffPurchase:
    purchase = (
        OneOffPurchase.objects.select_for_update(of=("self",))
        .select_related("person", "allocation")
        .get(pk=purchase.pk)
    )
    if purchase.status != OneOffPurchase.Status.SUBMITTED:
        raise TransitionNotAllowed("This purchase has already been decided")
    return purchase


def one_off_purchase_pays_back(*, purchase: OneOffPurchase, user: User) -> bool:
    """Whether approving would pay ``user`` back: they asked for the claim or are the one it pays."""
    return purchase.kind == OneOffPurchase.Kind.REIMBURSEMENT and user.pk in (
        purchase.requested_by_id,
        purchase.pay_to_id,
    )


def one_off_purchase_may_decide(*, purchase: OneOffPurchase, user: User) -> bool:
    """Whether ``user`` may approve or refuse: the purchase still waits, they have authority over the
    budget, and it does not pay them back (approval refuses that too)."""
    return (
        purchase.status == OneOffPurchase.Status.SUBMITTED
        and budget_authority(user=user, person=purchase.person) is not None
        and not one_off_purchase_pays_back(purchase=purchase, user=user)
    )


@transaction.atomic
def one_off_purchase_approve(*, purchase: OneOffPurchase, actor: User) -> OneOffPurchase:
    """Settles the committed amount. Nobody approves paying themselves back."""
    purchase = _purchase_lock(purchase)
    if budget_authority(user=actor, person=purchase.person) is None:
        raise NotAllowed(f"You cannot act for {purchase.person.first_name}'s budget")
    if one_off_purchase_pays_back(purchase=purchase, user=actor):
        raise NotAllowed("Someone else with authority over the budget must approve paying you back")
    ledger.settle(
        allocation=purchase.allocation,
        amount=purchase.amount,
        key=f"{purchase.ledger_reference}-settle",
        reference=purchase.ledger_reference,
        description=f"{purchase.description} ({purchase.supplier_name})",
        actor=actor,
    )
    _decide_purchase(purchase, actor, OneOffPurchase.Status.APPROVED, "")
    _notify(
        [purchase.requested_by],
        f"Approved: {purchase.description}",
        f"£{purchase.amount:,.2f} will be paid to {purchase.pay_to or purchase.supplier_name}.",
    )
    return purchase


@transaction.atomic
def one_off_purchase_refuse(*, purchase: OneOffPurchase, actor: User, reason: str) -> OneOffPurchase:
    purchase = _purchase_lock(purchase)
    authority_required(user=actor, person=purchase.person)
    if not reason.strip():
        raise BrokerageError("Say why you are refusing it")
    ledger.release(
        allocation=purchase.allocation,
        amount=purchase.amount,
        key=f"{purchase.ledger_reference}-release",
        reference=purchase.ledger_reference,
        description=f"Refused: {purchase.description}",
        actor=actor,
    )
    _decide_purchase(purchase, actor, OneOffPurchase.Status.REFUSED, reason)
    _notify([purchase.requested_by], f"Refused: {purchase.description}", f"{actor} refused it: {reason}")
    return purchase


def _decide_purchase(purchase: OneOffPurchase, actor: User, status: str, reason: str) -> None:
    purchase.status, purchase.decided_by, purchase.decided_at = status, actor, timezone.now()
    purchase.decision_reason = reason
    purchase.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(
        actor=actor,
        action=f"one_off.{status}",
        target=purchase,
        council=purchase.person.council,
        summary=f"{purchase.description}: {purchase.get_status_display().lower()}",
        reason=reason,
    )
