"""What the provider delivered: delivery records, and personal assistants' (or agencies') timesheets.

A timesheet records a delivery for each line. What happens next depends on how the personal assistant
works for this family (``Order.pa_employment``): self-employed, or through an agency, the timesheet
becomes an invoice at the order's rate; employed by the family, it is recorded for the family's payroll
and no invoice is raised (the family pays wages from its direct payment, through its payroll service).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.events import audit_record
from accounts.models import User
from accounts.notifications import notification_send_many
from brokerage.exceptions import BrokerageError, TransitionNotAllowed
from marketplace.models import DeliveryRecord, Order, OrderStatus, PAEmployment, Timesheet, TimesheetLine
from marketplace.order_selectors import units_delivered
from marketplace.services.invoices import LineInput, invoice_submit
from marketplace.services.orders import budget_holders, provider_required

DELIVERABLE_ORDER_STATUSES = (OrderStatus.ACCEPTED, OrderStatus.CHANGE_PROPOSED)


@dataclass(frozen=True)
class TimesheetEntry:
    worked_on: date
    units: Decimal
    notes: str = ""


def _deliverable(order: Order, actor: User) -> Order:
    order = Order.objects.select_for_update(of=("self",)).select_related("person").get(pk=order.pk)
    provider_required(user=actor, order=order)
    accepted_before = (
        order.status == OrderStatus.CHANGE_PROPOSED
        and order.changes.filter(decision="waiting", status_before=OrderStatus.ACCEPTED).exists()
    )
    if order.status != OrderStatus.ACCEPTED and not accepted_before:
        raise TransitionNotAllowed("Record delivery once the order has been accepted")
    return order


def _check_delivery(order: Order, delivered_on: date, units: Decimal) -> None:
    if not order.starts_on <= delivered_on <= order.ends_on:
        raise BrokerageError(f"{delivered_on:%-d %B %Y} is outside the order's dates")
    if delivered_on > timezone.localdate():
        raise BrokerageError("Record delivery once it has happened")
    if units_delivered(order) + units > order.units:
        raise BrokerageError(
            f"That makes more than the {order.units} {order.unit} ordered: propose a change to the order first"
        )


def _record(
    order: Order, actor: User, delivered_on: date, units: Decimal, notes: str, timesheet=None
) -> DeliveryRecord:  # type: ignore[no-untyped-def]
    _check_delivery(order, delivered_on, units)
    record = DeliveryRecord(
        order=order, delivered_on=delivered_on, units=units, notes=notes, timesheet=timesheet, recorded_by=actor
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def delivery_record(
    *, order: Order, actor: User, delivered_on: date, units: Decimal, notes: str = ""
) -> DeliveryRecord:
    """The provider records sessions or hours delivered on a date."""
    order = _deliverable(order, actor)
    record = _record(order, actor, delivered_on, units, notes)
    audit_record(
        actor=actor,
        action="order.delivery_recorded",
        target=order,
        summary=f"{units} {order.unit} delivered on {delivered_on:%-d %B %Y}",
        council=order.person.council,
    )
    return record


@transaction.atomic
def timesheet_submit(
    *,
    order: Order,
    actor: User,
    period_start: date,
    period_end: date,
    entries: Sequence[TimesheetEntry],
    invoice_number: str = "",
    vat_number: str = "",
) -> Timesheet:
    """Record a period's hours. Self-employed or agency: raises the invoice ``invoice_number``. Employed by
    the family: recorded for the family's payroll, with no invoice."""
    order = _deliverable(order, actor)
    if not entries:
        raise BrokerageError("Add the days worked")
    if any(not period_start <= entry.worked_on <= period_end for entry in entries):
        raise BrokerageError("Every day worked must fall within the timesheet's period")
    for_payroll = order.pa_employment == PAEmployment.EMPLOYED_BY_FAMILY
    if not for_payroll and not invoice_number.strip():
        raise BrokerageError("Give the invoice number this timesheet is sent as")
    timesheet = Timesheet(
        order=order,
        period_start=period_start,
        period_end=period_end,
        outcome=Timesheet.Outcome.FOR_PAYROLL if for_payroll else Timesheet.Outcome.INVOICED,
        submitted_by=actor,
    )
    timesheet.full_clean()
    timesheet.save()
    for entry in entries:
        TimesheetLine.objects.create(
            timesheet=timesheet, worked_on=entry.worked_on, units=entry.units, notes=entry.notes
        )
        _record(order, actor, entry.worked_on, entry.units, entry.notes, timesheet)
    hours = sum((entry.units for entry in entries), Decimal(0))
    audit_record(
        actor=actor,
        action="order.timesheet_submitted",
        target=order,
        summary=f"Timesheet {period_start:%-d %b} to {period_end:%-d %b %Y}: {hours} {order.unit}"
        + (" for the family's payroll" if for_payroll else f", invoice {invoice_number}"),
        council=order.person.council,
    )
    if for_payroll:
        notification_send_many(
            recipients=budget_holders(order),
            subject=f"Hours for your payroll: {order.personal_assistant}",
            body=f"{order.personal_assistant} worked {hours} hours from {period_start:%-d %B} to "
            f"{period_end:%-d %B %Y}. Send them to your payroll service; there is no invoice to approve.",
            link=reverse("marketplace:order", args=[order.public_id]),
        )
        return timesheet
    invoice_submit(
        order=order,
        actor=actor,
        number=invoice_number,
        issued_on=timezone.localdate(),
        lines=[LineInput(entry.worked_on, entry.units, order.rate, entry.notes) for entry in entries],
        vat_number=vat_number,
        timesheet=timesheet,
    )
    return timesheet
