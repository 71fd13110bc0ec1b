"""The invoice pages: the provider sends an invoice, answers a query and issues a credit note; the budget
holder approves (with a reason beyond the order, when they have the authority), queries or refuses; the
list highlights invoices waiting more than ten days."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Invoice, InvoiceStatus
from marketplace.services.deliveries import delivery_record
from marketplace.services.invoices import LineInput, invoice_query, invoice_submit
from marketplace.tests.order_factories import A_DAY_DELIVERED, accepted, balances, broker_for, family, provider

pytestmark = pytest.mark.django_db
D = Decimal


def signed_in(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


def delivered(tom, tutor, units: str = "2", **more):  # type: ignore[no-untyped-def]
    order = accepted(tom, tutor, **more)
    delivery_record(order=order, actor=tutor.staff, delivered_on=A_DAY_DELIVERED, units=D(units))
    return order


def invoiced(tom, tutor, *, units: str = "2", rate: str = "20.00"):  # type: ignore[no-untyped-def]
    order = delivered(tom, tutor)
    return invoice_submit(
        order=order,
        actor=tutor.staff,
        number="INV-1",
        issued_on=A_DAY_DELIVERED,
        lines=[LineInput(A_DAY_DELIVERED, D(units), D(rate))],
    )


def invoice_post(**more) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "number": "INV-1",
        "issued_on": "31/5/2026",
        "delivered_on_1": "5/5/2026",
        "units_1": "2",
        "rate_1": "20",
    } | more


# --- Sending ------------------------------------------------------------------------------------------------


def test_the_provider_sends_an_invoice_due_in_30_days_by_default(client):
    tom, tutor = family(), provider()
    order = delivered(tom, tutor)

    response = signed_in(client, tutor.staff).post(
        reverse("marketplace:order-invoice-add", args=[order.public_id]), invoice_post()
    )

    invoice = Invoice.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "marketplace:invoice", args=[invoice.public_id]
    )
    assert invoice.total == D("40.00") and invoice.due_on == invoice.issued_on + timedelta(days=30)


def test_a_line_without_a_rate_is_charged_at_the_orders_rate(client):
    tom, tutor = family(), provider()
    order = delivered(tom, tutor)

    signed_in(client, tutor.staff).post(
        reverse("marketplace:order-invoice-add", args=[order.public_id]), invoice_post(rate_1="")
    )

    assert Invoice.objects.get().lines.get().rate == D("20.00")


def test_a_vat_registered_provider_must_give_the_vat_number_and_vat_is_added(client):
    tom, tutor = family(), provider()
    order = delivered(tom, tutor, vat_status="plus_vat")
    url = reverse("marketplace:order-invoice-add", args=[order.public_id])

    refused = signed_in(client, tutor.staff).post(url, invoice_post())
    client.post(url, invoice_post(vat_number="GB123456789"))

    assert "Enter your VAT registration number" in refused.content.decode()
    invoice = Invoice.objects.get()
    assert (invoice.net_total, invoice.vat_total, invoice.total) == (D("40.00"), D("8.00"), D("48.00"))


def test_an_invoice_without_lines_or_with_a_half_line_is_refused(client):
    tom, tutor = family(), provider()
    order = delivered(tom, tutor)
    url = reverse("marketplace:order-invoice-add", args=[order.public_id])

    empty = signed_in(client, tutor.staff).post(url, {"number": "INV-1", "issued_on": "31/5/2026", "rate_1": ""})
    half = client.post(url, invoice_post(units_1=""))

    assert "Add at least one line" in empty.content.decode()
    assert "<title>Error: " in half.content.decode() and "Enter the line 1 units" in half.content.decode()
    assert not Invoice.objects.exists()


def test_an_invoice_number_used_before_is_refused(client):
    tom, tutor = family(), provider()
    first = invoiced(tom, tutor)

    response = signed_in(client, tutor.staff).post(
        reverse("marketplace:order-invoice-add", args=[first.order.public_id]), invoice_post(units_1="0.5")
    )

    assert "You have already sent an invoice numbered INV-1" in response.content.decode()


# --- Deciding -----------------------------------------------------------------------------------------------


def test_the_family_approves_an_invoice_and_its_amount_becomes_payable(client):
    tom, tutor = family(), provider()
    invoice = invoiced(tom, tutor)
    page = signed_in(client, tom.parent).get(reverse("marketplace:invoice", args=[invoice.public_id])).content.decode()

    client.post(reverse("marketplace:invoice-approve", args=[invoice.public_id]))

    assert "Approve £40.00 for payment" in page
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED
    assert balances(tom.allocation)["provider_payable"] == D("40.00")


def test_an_invoice_beyond_its_order_needs_a_reason_to_be_approved(client):
    tom, tutor = family(), provider()
    invoice = invoiced(tom, tutor, rate="25.00")
    url = reverse("marketplace:invoice-approve", args=[invoice.public_id])

    refused = signed_in(client, tom.lead_professional).post(url, {"override_reason": ""})
    client.post(url, {"override_reason": "The tutor's rate went up in May; we agreed it by phone"})

    html = refused.content.decode()
    assert "<title>Error: " in html and "Say why you approve it although it goes beyond the order" in html
    assert "is above the order" in html
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.APPROVED and invoice.override_by == tom.lead_professional


def test_a_broker_acting_under_a_grant_is_told_why_they_cannot_approve_beyond_the_order(client):
    tom, tutor = family(), provider()
    bob = broker_for(tom, limit="1000.00")
    invoice = invoiced(tom, tutor, rate="25.00")

    html = signed_in(client, bob).get(reverse("marketplace:invoice", args=[invoice.public_id])).content.decode()

    assert "only the family or the lead professional can approve that" in html
    assert "for payment</button>" not in html
    assert "Query the invoice with the provider" in html


def test_a_query_and_the_providers_answer_put_the_invoice_back_for_approval(client):
    tom, tutor = family(), provider()
    invoice = invoiced(tom, tutor)

    signed_in(client, tom.parent).post(
        reverse("marketplace:invoice-query", args=[invoice.public_id]), {"reason": "Which day was it?"}
    )
    invoice.refresh_from_db()
    queried_status = invoice.status
    page = signed_in(client, tutor.staff).get(reverse("marketplace:invoice", args=[invoice.public_id])).content.decode()
    client.post(reverse("marketplace:invoice-answer", args=[invoice.public_id]), {"reason": "Tuesday 5 May"})

    assert queried_status == InvoiceStatus.QUERIED
    assert "Answer the query" in page and "Which day was it?" in page
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SUBMITTED


def test_a_query_or_refusal_without_words_is_refused(client):
    tom, tutor = family(), provider()
    invoice = invoiced(tom, tutor)

    query = signed_in(client, tom.parent).post(reverse("marketplace:invoice-query", args=[invoice.public_id]), {})
    refusal = client.post(reverse("marketplace:invoice-refuse", args=[invoice.public_id]), {"reason": ""})

    assert "Say what you want to ask the provider" in query.content.decode()
    assert "Say why you are refusing the invoice" in refusal.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SUBMITTED


def test_the_family_refuses_an_invoice(client):
    tom, tutor = family(), provider()
    invoice = invoiced(tom, tutor)

    signed_in(client, tom.parent).post(
        reverse("marketplace:invoice-refuse", args=[invoice.public_id]), {"reason": "Tom was ill that day"}
    )

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.REFUSED and invoice.decision_reason == "Tom was ill that day"


def test_a_credit_note_reduces_what_is_paid(client):
    tom, tutor = family(), provider()
    invoice = invoiced(tom, tutor)
    url = reverse("marketplace:invoice-credit-note", args=[invoice.public_id])

    too_much = signed_in(client, tutor.staff).post(url, {"number": "CN-1", "amount": "50", "reason": "Oops"})
    client.post(url, {"number": "CN-1", "amount": "20", "reason": "One hour was cancelled"})

    assert "cannot be more than the £40.00 left on the invoice" in too_much.content.decode()
    page = signed_in(client, tom.parent).get(reverse("marketplace:invoice", args=[invoice.public_id])).content.decode()
    assert "Approve £20.00 for payment" in page


# --- The list -----------------------------------------------------------------------------------------------


def test_an_invoice_waiting_more_than_ten_days_is_highlighted(client):
    tom, tutor = family(), provider()
    invoice = invoiced(tom, tutor)
    Invoice.objects.filter(pk=invoice.pk).update(submitted_at=timezone.now() - timedelta(days=11))

    html = signed_in(client, tom.parent).get(reverse("marketplace:orders")).content.decode()
    csv = client.get(reverse("marketplace:invoices-export")).content.decode()

    assert "Approve or query invoice INV-1" in html
    assert '<strong class="govuk-tag govuk-tag--red">Over 10 days</strong>' in html
    assert "INV-1,Maths tuition,Tom Walsh" in csv and ",11,yes," in csv


def test_a_queried_invoice_waits_on_the_provider(client):
    tom, tutor = family(), provider()
    invoice = invoiced(tom, tutor)
    invoice_query(invoice=invoice, actor=tom.parent, reason="Which day?")

    html = signed_in(client, tutor.staff).get(reverse("marketplace:orders")).content.decode()

    assert "Answer the query on invoice INV-1" in html
