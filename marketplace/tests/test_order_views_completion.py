"""Marking an order completed from its page (both sides; refused before it is accepted), the page of an
order drawing down a block contract, and paging on the list of orders and invoices."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Invoice, Order, OrderStatus
from marketplace.order_selectors import order_commitment
from marketplace.services.deliveries import delivery_record
from marketplace.services.invoices import LineInput, invoice_submit
from marketplace.tests.order_factories import (
    A_DAY_DELIVERED,
    accepted,
    balances,
    block_contract,
    family,
    place,
    provider,
)
from marketplace.tests.test_order_views import signed_in
from marketplace.views.paging import PAGE_SIZE

pytestmark = pytest.mark.django_db
D = Decimal


def complete_url(order: Order) -> str:
    return reverse("marketplace:order-complete", args=[order.public_id])


# --- Completing ------------------------------------------------------------------------------------------


def test_the_family_marks_an_accepted_order_completed_and_its_money_is_released(client):
    tom, tutor = family(available="1000.00"), provider()
    order = accepted(tom, tutor, units="10", rate="20.00")
    page = signed_in(client, tom.parent).get(reverse("marketplace:order", args=[order.public_id])).content.decode()

    response = client.post(complete_url(order), follow=True)

    assert "Mark the order as completed" in page
    assert "The order is completed" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED and order_commitment(order) == 0
    assert balances(tom.allocation)["available"] == D("1000.00")


def test_the_provider_marks_an_accepted_order_completed(client):
    tom, tutor = family(), provider()
    order = accepted(tom, tutor)
    page = signed_in(client, tutor.staff).get(reverse("marketplace:order", args=[order.public_id])).content.decode()

    client.post(complete_url(order))

    assert "Mark the order as completed" in page
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED


def test_an_order_not_yet_accepted_cannot_be_completed(client):
    tom, tutor = family(), provider()
    order = place(tom, tutor)
    page = signed_in(client, tom.parent).get(reverse("marketplace:order", args=[order.public_id])).content.decode()

    response = client.post(complete_url(order), follow=True)

    assert "Mark the order as completed" not in page
    assert "An order that is waiting for the provider cannot become completed" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED


def test_completing_for_another_family_or_provider_answers_404(access):
    tom, tutor = family(), provider()
    order = accepted(tom, tutor)

    access.not_found(family(council=tom.council).parent, complete_url(order), method="post")
    access.not_found(provider("Other Tutors").staff, complete_url(order), method="post")
    access.sign_in_required(complete_url(order), method="post")
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED


# --- Block contracts -------------------------------------------------------------------------------------


def test_the_page_of_a_block_contract_order_names_the_contract_and_commits_no_budget(client):
    tom, tutor = family(available="1000.00"), provider()
    contract = block_contract(tom, tutor, units="20", rate="18.00")
    order = place(tom, tutor, units="10", rate="18.00", block_contract=contract)

    html = signed_in(client, tom.parent).get(reverse("marketplace:order", args=[order.public_id])).content.decode()

    assert f"The council's block contract {contract.reference}" in html
    assert "nothing is taken from the budget" in html
    assert "Committed from the budget now" not in html
    assert order.allocation is None and order_commitment(order) == 0
    assert balances(tom.allocation) == {"available": D("1000.00"), "committed": 0, "provider_payable": 0}


# --- Paging ------------------------------------------------------------------------------------------------


def _many_orders(tom, tutor, count: int) -> None:  # type: ignore[no-untyped-def]
    for number in range(count):
        place(tom, tutor, units="1", description=f"Session {number:02d}")


def test_the_orders_list_pages_and_keeps_the_other_lists_pages(client):
    tom, tutor = family(available="5000.00"), provider()
    _many_orders(tom, tutor, PAGE_SIZE + 2)
    url = reverse("marketplace:orders")

    first = signed_in(client, tom.parent).get(url).content.decode()
    second = client.get(url, {"orders": "2", "invoices": "1"}).content.decode()

    assert first.count('href="/orders/') > PAGE_SIZE and "Page 1 of 2" in first
    assert "?orders=2" in first and "Session 00" not in first
    assert "Session 00" in second and "Session 26" not in second
    assert "invoices=1&amp;orders=1" in second or "orders=1&amp;invoices=1" in second


def test_a_page_number_past_the_end_shows_the_last_page(client):
    tom, tutor = family(available="5000.00"), provider()
    _many_orders(tom, tutor, PAGE_SIZE + 1)

    html = signed_in(client, tom.parent).get(reverse("marketplace:orders"), {"orders": "99"}).content.decode()

    assert "Page 2 of 2" in html and "Session 00" in html


def test_the_invoices_and_waiting_lists_page_and_count_every_overdue_invoice(client):
    tom, tutor = family(available="10000.00"), provider()
    order = accepted(tom, tutor, units=str(PAGE_SIZE + 1))
    delivery_record(order=order, actor=tutor.staff, delivered_on=A_DAY_DELIVERED, units=D(PAGE_SIZE + 1))
    for number in range(PAGE_SIZE + 1):
        invoice_submit(
            order=order,
            actor=tutor.staff,
            number=f"INV-{number:02d}",
            issued_on=A_DAY_DELIVERED,
            lines=[LineInput(A_DAY_DELIVERED, D("1"), order.rate)],
        )
    Invoice.objects.update(submitted_at=timezone.now() - timedelta(days=11))

    html = signed_in(client, tom.parent).get(reverse("marketplace:orders")).content.decode()

    assert f"{PAGE_SIZE + 1} waiting more than 10 days" in html
    assert 'aria-label="Pages of invoices"' in html and 'aria-label="Pages of what is waiting for you"' in html
    assert "?waiting=2" in html and "?invoices=2" in html
