"""Delivery records, block-contract draw-down and personal assistants' timesheets."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import Notification
from accounts.roles import Role
from brokerage.exceptions import BrokerageError, NotAllowed, TransitionNotAllowed
from brokerage.models import HeldAs, LedgerTransaction
from marketplace.models import Invoice, OrderStatus, PAEmployment, Timesheet
from marketplace.order_selectors import block_contract_remaining, order_commitment
from marketplace.services.deliveries import TimesheetEntry, delivery_record, timesheet_submit
from marketplace.services.invoices import invoice_submit
from marketplace.services.orders import (
    block_contract_create,
    order_accept,
    order_cancel,
    order_change_accept,
    order_change_propose,
)
from marketplace.tests.order_factories import (
    A_DAY_DELIVERED,
    accepted,
    balances,
    block_contract,
    family,
    member,
    personal_assistant,
    place,
    provider,
)
from providers.models.profiles import EmploymentPreference

pytestmark = pytest.mark.django_db
D = Decimal
MAY = [TimesheetEntry(datetime.date(2026, 5, 5), D("3")), TimesheetEntry(datetime.date(2026, 5, 7), D("2.5"))]


# --- Delivery records -----------------------------------------------------------------------------


def test_the_provider_records_delivery_on_an_accepted_order():
    tom, tutor = family(), provider()
    order = accepted(tom, tutor)

    record = delivery_record(
        order=order, actor=tutor.staff, delivered_on=A_DAY_DELIVERED, units=D("2"), notes="Fractions"
    )

    assert record.recorded_by == tutor.staff
    assert order.deliveries.count() == 1


def test_delivery_cannot_be_recorded_before_the_order_is_accepted():
    tom, tutor = family(), provider()
    order = place(tom, tutor)

    with pytest.raises(TransitionNotAllowed):
        delivery_record(order=order, actor=tutor.staff, delivered_on=A_DAY_DELIVERED, units=D("1"))


def test_delivery_beyond_the_units_ordered_is_refused():
    tom, tutor = family(), provider()
    order = accepted(tom, tutor, units="4")
    delivery_record(order=order, actor=tutor.staff, delivered_on=A_DAY_DELIVERED, units=D("3"))

    with pytest.raises(BrokerageError, match="propose a change"):
        delivery_record(order=order, actor=tutor.staff, delivered_on=A_DAY_DELIVERED, units=D("2"))


def test_delivery_outside_the_order_dates_is_refused():
    tom, tutor = family(), provider()
    order = accepted(tom, tutor)

    with pytest.raises(BrokerageError, match="outside the order's dates"):
        delivery_record(order=order, actor=tutor.staff, delivered_on=datetime.date(2026, 11, 2), units=D("1"))


def test_only_the_provider_records_delivery():
    tom, tutor = family(), provider()
    order = accepted(tom, tutor)

    with pytest.raises(NotAllowed):
        delivery_record(order=order, actor=tom.parent, delivered_on=A_DAY_DELIVERED, units=D("1"))


# --- Block contracts ------------------------------------------------------------------------------


def test_an_order_drawing_down_a_block_contract_commits_no_budget_money():
    tom, tutor = family(available="1000.00"), provider()
    contract = block_contract(tom, tutor, units="20")
    before = LedgerTransaction.objects.count()

    order = place(tom, tutor, units="8", block_contract=contract)

    assert order.rate == contract.rate
    assert LedgerTransaction.objects.count() == before
    assert balances(tom.allocation)["available"] == D("1000.00")
    assert block_contract_remaining(contract) == D("12")


def test_a_block_contract_cannot_go_below_zero():
    tom, tutor = family(), provider()
    contract = block_contract(tom, tutor, units="10")
    place(tom, tutor, units="8", block_contract=contract)

    with pytest.raises(BrokerageError, match="has 2 hour left; this needs 3"):
        place(tom, tutor, units="3", block_contract=contract)
    assert block_contract_remaining(contract) == D("2")


def test_a_change_cannot_take_a_block_contract_below_zero():
    tom, tutor = family(), provider()
    contract = block_contract(tom, tutor, units="10")
    order = order_accept(order=place(tom, tutor, units="8", block_contract=contract), actor=tutor.staff)
    change = order_change_propose(
        order=order,
        actor=tutor.staff,
        units=D("11"),
        rate=order.rate,
        starts_on=order.starts_on,
        ends_on=order.ends_on,
        reason="More sessions",
    )

    with pytest.raises(BrokerageError, match="left"):
        order_change_accept(change=change, actor=tom.parent)


def test_cancelling_a_block_order_gives_back_the_hours_not_delivered():
    tom, tutor = family(), provider()
    contract = block_contract(tom, tutor, units="10")
    order = order_accept(order=place(tom, tutor, units="8", block_contract=contract), actor=tutor.staff)
    delivery_record(order=order, actor=tutor.staff, delivered_on=A_DAY_DELIVERED, units=D("3"))

    order_cancel(order=order, actor=tom.parent, reason="Moved away")

    assert block_contract_remaining(contract) == D("7")


def test_the_same_support_cannot_be_paid_from_the_budget_and_a_block_contract_at_once():
    tom, tutor = family(), provider()
    contract = block_contract(tom, tutor)
    place(tom, tutor, units="5", block_contract=contract)

    with pytest.raises(BrokerageError, match="paid for twice"):
        place(tom, tutor, units="5")


def test_a_block_contract_covers_only_its_own_provider():
    tom, tutor, other = family(), provider(), provider("Other Tutors")
    contract = block_contract(tom, tutor)

    with pytest.raises(BrokerageError, match="does not cover"):
        place(tom, other, units="5", block_contract=contract)


def test_a_block_order_is_not_invoiced():
    tom, tutor = family(), provider()
    order = order_accept(
        order=place(tom, tutor, units="5", block_contract=block_contract(tom, tutor)), actor=tutor.staff
    )

    with pytest.raises(BrokerageError, match="block contract"):
        invoice_submit(order=order, actor=tutor.staff, number="1", issued_on=A_DAY_DELIVERED, lines=[])


# --- Personal assistants --------------------------------------------------------------------------


def _pa_order(tom, pa, offer, employment: str):  # type: ignore[no-untyped-def]
    order = place(tom, None, offer=offer, units="40", rate="14.00", pa_employment=employment)  # type: ignore[arg-type]
    return order_accept(order=order, actor=pa.user)


def test_an_employed_personal_assistants_timesheet_is_recorded_for_payroll_and_raises_no_invoice():
    tom = family(held_as=HeldAs.DIRECT_PAYMENT)
    pa, offer = personal_assistant(tom.council)
    order = _pa_order(tom, pa, offer, PAEmployment.EMPLOYED_BY_FAMILY)

    timesheet = timesheet_submit(
        order=order,
        actor=pa.user,
        period_start=datetime.date(2026, 5, 1),
        period_end=datetime.date(2026, 5, 31),
        entries=MAY,
    )

    assert timesheet.outcome == Timesheet.Outcome.FOR_PAYROLL
    assert not Invoice.objects.exists()
    assert order.deliveries.count() == 2
    assert Notification.objects.filter(recipient=tom.parent, subject__contains="payroll").exists()


def test_an_employed_personal_assistant_cannot_send_an_invoice():
    tom = family(held_as=HeldAs.DIRECT_PAYMENT)
    pa, offer = personal_assistant(tom.council)
    order = _pa_order(tom, pa, offer, PAEmployment.EMPLOYED_BY_FAMILY)

    with pytest.raises(BrokerageError, match="payroll"):
        invoice_submit(order=order, actor=pa.user, number="1", issued_on=A_DAY_DELIVERED, lines=[])


def test_a_self_employed_personal_assistants_timesheet_becomes_an_invoice_at_the_order_rate():
    tom = family()
    pa, offer = personal_assistant(tom.council)
    order = _pa_order(tom, pa, offer, PAEmployment.SELF_EMPLOYED)

    timesheet = timesheet_submit(
        order=order,
        actor=pa.user,
        period_start=datetime.date(2026, 5, 1),
        period_end=datetime.date(2026, 5, 31),
        entries=MAY,
        invoice_number="SK-001",
    )

    invoice = timesheet.invoice
    assert timesheet.outcome == Timesheet.Outcome.INVOICED
    assert (invoice.number, invoice.total, invoice.breaches) == ("SK-001", D("77.00"), [])


def test_a_personal_assistant_employed_by_the_family_is_paid_from_a_direct_payment():
    tom = family(held_as=HeldAs.COUNCIL_MANAGED)
    pa, offer = personal_assistant(tom.council)

    with pytest.raises(BrokerageError, match="direct payment"):
        place(tom, None, offer=offer, units="10", rate="14.00", pa_employment=PAEmployment.EMPLOYED_BY_FAMILY)  # type: ignore[arg-type]


def test_a_self_employed_only_personal_assistant_cannot_be_ordered_as_an_employee():
    tom = family(held_as=HeldAs.DIRECT_PAYMENT)
    pa, offer = personal_assistant(tom.council, preference=EmploymentPreference.SELF_EMPLOYED)

    with pytest.raises(BrokerageError, match="self-employed"):
        place(tom, None, offer=offer, units="10", rate="14.00", pa_employment=PAEmployment.EMPLOYED_BY_FAMILY)  # type: ignore[arg-type]


def test_cancelling_an_employed_personal_assistants_order_releases_everything_not_yet_paid_by_invoice():
    tom = family(available="1000.00", held_as=HeldAs.DIRECT_PAYMENT)
    pa, offer = personal_assistant(tom.council)
    order = _pa_order(tom, pa, offer, PAEmployment.EMPLOYED_BY_FAMILY)
    delivery_record(order=order, actor=pa.user, delivered_on=A_DAY_DELIVERED, units=D("5"))

    order = order_cancel(order=order, actor=tom.parent, reason="PA moved away")

    assert order.status == OrderStatus.CANCELLED
    assert order_commitment(order) == 0


def test_a_commissioner_records_a_block_contract_and_nobody_else_can():
    tom, tutor = family(), provider()
    commissioner = member(Role.COMMISSIONER, tom.council)
    terms = {
        "council": tom.council,
        "reference": "SB-2026-01",
        "units_purchased": D("200"),
        "unit": "hour",
        "rate": D("18.00"),
        "starts_on": datetime.date(2026, 4, 1),
        "ends_on": datetime.date(2027, 3, 31),
        "provider_organisation": tutor.organisation,
    }

    contract = block_contract_create(actor=commissioner, **terms)

    assert block_contract_remaining(contract) == D("200")
    with pytest.raises(NotAllowed):
        block_contract_create(actor=tom.parent, **{**terms, "reference": "SB-2026-02"})
