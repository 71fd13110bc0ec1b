"""Who can see which orders and invoices, and what is waiting on each user."""

import datetime
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from brokerage.models import AccessGrant
from marketplace.order_selectors import (
    invoice_get_for,
    invoices_visible_to,
    order_get_for,
    orders_visible_to,
    waiting_on,
)
from marketplace.services.deliveries import delivery_record
from marketplace.services.invoices import LineInput, invoice_submit
from marketplace.services.orders import budget_authority, order_change_propose
from marketplace.tests.order_factories import A_DAY_DELIVERED, accepted, broker_for, family, place, provider

pytestmark = pytest.mark.django_db
D = Decimal


def _invoiced(tom, tutor):  # type: ignore[no-untyped-def]
    order = accepted(tom, tutor)
    delivery_record(order=order, actor=tutor.staff, delivered_on=A_DAY_DELIVERED, units=D("2"))
    return invoice_submit(
        order=order,
        actor=tutor.staff,
        number="INV-1",
        issued_on=A_DAY_DELIVERED,
        lines=[LineInput(A_DAY_DELIVERED, D("2"), order.rate)],
    )


def test_the_family_the_lead_professional_and_the_provider_see_the_order():
    tom, tutor = family(), provider()
    order = place(tom, tutor)

    for user in (tom.parent, tom.lead_professional, tutor.staff):
        assert order_get_for(user=user, public_id=order.public_id) == order


def test_another_provider_cannot_reach_the_order_or_its_invoice():
    tom, tutor, rival = family(), provider(), provider("Rival Tutors")
    invoice = _invoiced(tom, tutor)

    with pytest.raises(Http404):
        order_get_for(user=rival.staff, public_id=invoice.order.public_id)
    with pytest.raises(Http404):
        invoice_get_for(user=rival.staff, public_id=invoice.public_id)


def test_another_family_cannot_reach_the_order_or_its_invoice():
    tom, tutor = family(), provider()
    charlie = family(council=tom.council).parent
    invoice = _invoiced(tom, tutor)

    assert not orders_visible_to(charlie).exists()
    with pytest.raises(Http404):
        invoice_get_for(user=charlie, public_id=invoice.public_id)


def test_a_broker_without_the_familys_consent_cannot_reach_the_order():
    tom, tutor = family(), provider()
    bob = broker_for(tom)  # no grant
    order = place(tom, tutor)

    with pytest.raises(Http404):
        order_get_for(user=bob, public_id=order.public_id)


def test_a_broker_whose_access_was_withdrawn_no_longer_sees_the_invoice():
    tom, tutor = family(), provider()
    bob = broker_for(tom, limit="500.00")
    invoice = _invoiced(tom, tutor)
    assert invoices_visible_to(bob).filter(pk=invoice.pk).exists()

    AccessGrant.objects.filter(grantee=bob).update(revoked_at=timezone.now())

    assert not invoices_visible_to(bob).filter(pk=invoice.pk).exists()


def test_a_new_order_waits_on_the_provider_and_a_proposed_change_on_the_family():
    tom, tutor = family(), provider()
    order = place(tom, tutor)
    assert [item.kind for item in waiting_on(tutor.staff)] == ["order_to_answer"]

    order_change_propose(
        order=order,
        actor=tutor.staff,
        units=order.units,
        rate=D("25.00"),
        starts_on=order.starts_on,
        ends_on=order.ends_on,
        reason="New rates",
    )

    assert waiting_on(tutor.staff) == []
    assert [item.kind for item in waiting_on(tom.parent)] == ["change_to_decide"]


def test_an_invoice_waiting_more_than_ten_days_is_flagged():
    tom, tutor = family(), provider()
    invoice = _invoiced(tom, tutor)

    eleven_days_on = invoice.submitted_at + datetime.timedelta(days=11)
    ten_days_on = invoice.submitted_at + datetime.timedelta(days=10)

    [late] = waiting_on(tom.lead_professional, now=eleven_days_on)
    [on_time] = waiting_on(tom.lead_professional, now=ten_days_on)
    assert (late.kind, late.age_days, late.overdue) == ("invoice_to_approve", 11, True)
    assert (on_time.age_days, on_time.overdue) == (10, False)


def test_nothing_waits_on_someone_with_no_part_in_the_order():
    tom, tutor = family(), provider()
    charlie = family(council=tom.council).parent
    _invoiced(tom, tutor)

    assert waiting_on(charlie) == []
    assert waiting_on(provider("Rival Tutors").staff) == []


def test_a_lead_professional_whose_access_the_family_withdraws_can_no_longer_see_or_order():
    tom, tutor = family(), provider()
    order = place(tom, tutor, actor=tom.lead_professional)
    assert budget_authority(user=tom.lead_professional, person=tom.person) is not None

    AccessGrant.objects.filter(person=tom.person, grantee=tom.lead_professional).update(revoked_at=timezone.now())

    assert budget_authority(user=tom.lead_professional, person=tom.person) is None
    assert order not in orders_visible_to(tom.lead_professional)
