"""The one-off purchase pages: buying something once from a person's budget (a supplier's invoice, or
paying back someone who paid, against a receipt), the person's list and its CSV, a purchase's page, and
approving or refusing it; who may open which."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from brokerage.models import AccessGrant, PlanLine, PlanStatus, SupportPlan
from marketplace.models import OneOffPurchase
from marketplace.services.invoices import one_off_purchase_request
from marketplace.tests.order_factories import balances, broker_for, family, member, provider
from marketplace.tests.test_order_views import approved_line, lead_with_consent, signed_in
from providers.models import TaxonomyTerm

pytestmark = pytest.mark.django_db
D = Decimal


def pdf(name: str = "receipt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def add_url(tom) -> str:  # type: ignore[no-untyped-def]
    return reverse("marketplace:one-off-add", args=[tom.person.public_id])


def residential_post(tom, **more) -> dict:  # type: ignore[no-untyped-def]
    return {
        "kind": OneOffPurchase.Kind.SUPPLIER_INVOICE,
        "supplier_name": "Peak Football Residentials",
        "supplier_invoice_number": "PFR-0042",
        "description": "Football residential: fees and hotel",
        "amount": "310.00",
        "allocation": str(tom.allocation.public_id),
        **more,
    }


def residential(tom, *, actor=None, **more) -> OneOffPurchase:  # type: ignore[no-untyped-def]
    values = {
        "kind": OneOffPurchase.Kind.SUPPLIER_INVOICE,
        "supplier_name": "Peak Football Residentials",
        "supplier_invoice_number": "PFR-0042",
        "description": "Football residential: fees and hotel",
        "amount": D("310.00"),
        **more,
    }
    return one_off_purchase_request(
        actor=actor or lead_with_consent(tom), person=tom.person, allocation=tom.allocation, **values
    )


# --- Asking -----------------------------------------------------------------------------------------------


def test_the_lead_professional_asks_to_pay_a_suppliers_invoice_and_the_money_is_set_aside(client):
    tom = family(available="1000.00")
    response = signed_in(client, lead_with_consent(tom)).post(add_url(tom), residential_post(tom), follow=True)

    purchase = OneOffPurchase.objects.get()
    assert response.redirect_chain[-1][0] == reverse("marketplace:one-off", args=[purchase.public_id])
    assert "You have asked to pay £310.00 to Peak Football Residentials" in response.content.decode()
    assert purchase.status == OneOffPurchase.Status.SUBMITTED and purchase.requested_by == tom.lead_professional
    assert balances(tom.allocation)["committed"] == D("310.00")


def test_a_suppliers_invoice_needs_its_number(client):
    tom = family()
    response = signed_in(client, tom.parent).post(add_url(tom), residential_post(tom, supplier_invoice_number=""))

    assert response.status_code == 200
    assert response.content.decode().count("Enter the supplier&#x27;s invoice number") == 2
    assert not OneOffPurchase.objects.exists()


def test_an_empty_form_shows_the_error_summary_and_an_error_title(client):
    tom = family()
    response = signed_in(client, tom.parent).post(add_url(tom), {})

    page = response.content.decode()
    assert "<title>Error: Buy something once" in page
    assert "govuk-error-summary" in page
    for message in ("Choose how it is paid", "Enter the supplier&#x27;s name", "Say what it is for"):
        assert message in page


def test_a_reimbursement_needs_the_receipt(client):
    tom = family()
    post = residential_post(tom, kind=OneOffPurchase.Kind.REIMBURSEMENT, supplier_invoice_number="")
    response = signed_in(client, tom.parent).post(add_url(tom), post)

    assert "Upload the receipt to be paid back" in response.content.decode()
    assert not OneOffPurchase.objects.exists()


def test_a_receipt_that_is_not_what_its_name_says_is_refused(client):
    tom = family()
    fake = SimpleUploadedFile("receipt.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    post = residential_post(tom, kind=OneOffPurchase.Kind.REIMBURSEMENT, receipt=fake, pay_to=str(tom.parent.public_id))
    response = signed_in(client, tom.parent).post(add_url(tom), post)

    assert "not what its name says" in response.content.decode()
    assert not OneOffPurchase.objects.exists()


def test_the_parent_is_paid_back_against_a_receipt_and_the_lead_professional_approves(client):
    tom = family(available="1000.00")
    lead = lead_with_consent(tom)
    post = residential_post(
        tom, kind=OneOffPurchase.Kind.REIMBURSEMENT, receipt=pdf(), pay_to=str(tom.parent.public_id)
    )
    signed_in(client, tom.parent).post(add_url(tom), post)
    claim = OneOffPurchase.objects.get()
    assert claim.pay_to == tom.parent and claim.receipt.original_name == "receipt.pdf"
    assert claim.supplier_invoice_number == ""

    mother_sees = client.get(reverse("marketplace:one-off", args=[claim.public_id])).content.decode()
    assert "Approve paying" not in mother_sees and "Someone else with authority" in mother_sees
    download = client.get(reverse("marketplace:one-off-receipt", args=[claim.public_id]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    client.force_login(lead)
    response = client.post(reverse("marketplace:one-off-approve", args=[claim.public_id]), follow=True)
    assert "You have approved paying £310.00" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == OneOffPurchase.Status.APPROVED and claim.decided_by == lead
    assert balances(tom.allocation)["provider_payable"] == D("310.00")


def test_nobody_approves_paying_themselves_back_even_by_posting(client):
    tom = family()
    claim = residential(
        tom,
        actor=tom.parent,
        kind=OneOffPurchase.Kind.REIMBURSEMENT,
        supplier_invoice_number="",
        receipt_file=pdf(),
    )
    response = signed_in(client, tom.parent).post(
        reverse("marketplace:one-off-approve", args=[claim.public_id]), follow=True
    )

    assert "Someone else with authority over the budget must approve paying you back" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == OneOffPurchase.Status.SUBMITTED


def test_a_purchase_beyond_the_money_available_is_refused_on_the_form(client):
    tom = family(available="300.00")
    response = signed_in(client, tom.parent).post(add_url(tom), residential_post(tom))

    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert not OneOffPurchase.objects.exists()


def test_a_broker_cannot_spend_beyond_the_limit_the_family_gave(client):
    tom = family(available="1000.00")
    broker = broker_for(tom, limit="200.00")
    response = signed_in(client, broker).post(add_url(tom), residential_post(tom))

    assert "you may spend up to £200.00" in response.content.decode()
    assert not OneOffPurchase.objects.exists()


def test_a_purchase_for_a_line_of_the_plan_must_use_that_lines_money(client):
    tom = family(available="1000.00")
    plan = SupportPlan.objects.create(person=tom.person, budget=tom.allocation.budget, status=PlanStatus.APPROVED)
    line = PlanLine.objects.create(
        plan=plan,
        category=TaxonomyTerm.objects.first(),
        description="Short breaks",
        given_by=PlanLine.Giver.FAMILY,
        stream=tom.allocation.stream,
        quantity=D("1"),
        unit="item",
        unit_cost=D("310.00"),
        frequency="one_off",
        periods=1,
    )
    response = signed_in(client, tom.parent).post(add_url(tom), residential_post(tom, plan_line=str(line.public_id)))

    assert response.status_code == 302
    assert OneOffPurchase.objects.get().plan_line == line


# --- The list, the CSV and refusing ---------------------------------------------------------------------


def test_the_list_shows_the_persons_purchases_and_the_csv_has_every_one(client):
    tom = family(available="2000.00")
    residential(tom)
    residential(tom, description="Swimming kit", supplier_invoice_number="K-1", amount=D("45.50"))

    page = signed_in(client, tom.parent).get(reverse("marketplace:one-off-list", args=[tom.person.public_id]))
    assert "Football residential: fees and hotel" in page.content.decode() and "Swimming kit" in page.content.decode()
    assert "Buy something once" in page.content.decode()

    export = client.get(reverse("marketplace:one-off-export", args=[tom.person.public_id]))
    rows = export.content.decode("utf-8-sig").strip().splitlines()
    assert export["Content-Type"].startswith("text/csv") and len(rows) == 3
    assert "Swimming kit" in rows[1] and "45.50" in rows[1]


def test_refusing_needs_a_reason_and_releases_the_money(client):
    tom = family(available="1000.00")
    purchase = residential(tom)
    url = reverse("marketplace:one-off-refuse", args=[purchase.public_id])

    empty = signed_in(client, tom.parent).post(url, {"reason": ""})
    assert "Say why you are refusing it" in empty.content.decode() and "<title>Error:" in empty.content.decode()

    client.post(url, {"reason": "Find a cheaper hotel"})
    purchase.refresh_from_db()
    assert purchase.status == OneOffPurchase.Status.REFUSED and purchase.decision_reason == "Find a cheaper hotel"
    assert balances(tom.allocation)["available"] == D("1000.00")
    assert AuditEvent.objects.filter(action="one_off.refused").exists()


def test_a_purchase_waiting_is_on_the_approvers_list_with_its_age(client):
    tom = family()
    purchase = residential(tom)
    OneOffPurchase.objects.filter(pk=purchase.pk).update(requested_at=purchase.requested_at - timedelta(days=12))

    page = signed_in(client, tom.parent).get(reverse("marketplace:orders")).content.decode()
    assert "Approve or refuse: Football residential: fees and hotel" in page
    assert reverse("marketplace:one-off", args=[purchase.public_id]) in page
    assert "12 days" in page and "Over 10 days" in page
    assert "One-off purchases for" in page


# --- Who may open what ---------------------------------------------------------------------------------


def purchase_urls(purchase: OneOffPurchase) -> list[str]:
    person = purchase.person.public_id
    return [
        reverse("marketplace:one-off", args=[purchase.public_id]),
        reverse("marketplace:one-off-refuse", args=[purchase.public_id]),
        reverse("marketplace:one-off-list", args=[person]),
        reverse("marketplace:one-off-export", args=[person]),
        reverse("marketplace:one-off-add", args=[person]),
    ]


def test_the_family_and_the_lead_professional_open_every_page(access):
    tom = family()
    purchase = residential(tom)
    for url in purchase_urls(purchase):
        access.ok(tom.parent, url)
        access.ok(tom.lead_professional, url)


def test_another_family_and_a_broker_without_consent_get_404(access):
    tom = family()
    purchase = residential(tom)
    others = [family(council=tom.council).parent, broker_for(tom)]
    for user in others:
        for url in purchase_urls(purchase):
            access.not_found(user, url)
        access.not_found(user, reverse("marketplace:one-off-approve", args=[purchase.public_id]), method="post")


def test_a_broker_who_may_only_read_sees_the_purchases_but_cannot_buy(access):
    tom = family()
    purchase = residential(tom)
    reader = broker_for(tom, scope=AccessGrant.Scope.READ)
    access.ok(reader, reverse("marketplace:one-off", args=[purchase.public_id]))
    access.not_found(reader, reverse("marketplace:one-off-add", args=[tom.person.public_id]))


def test_providers_and_other_roles_get_403_and_visitors_sign_in(access):
    tom = family()
    purchase = residential(tom)
    commissioner = member(Role.COMMISSIONER, tom.council)
    tutor = provider().staff
    for url in purchase_urls(purchase):
        access.forbidden(tutor, url)
        access.forbidden(commissioner, url)
        access.sign_in_required(url)


def test_a_purchase_without_a_receipt_has_no_receipt_to_download(access):
    tom = family()
    purchase = residential(tom)
    access.not_found(tom.parent, reverse("marketplace:one-off-receipt", args=[purchase.public_id]))


def test_the_plan_links_to_buying_something_once_for_those_who_can_act(client):
    tom, tutor = family(), provider()
    plan_url = reverse("brokerage:plan", args=[approved_line(tom, tutor.offer).plan.public_id])
    reader = broker_for(tom, scope=AccessGrant.Scope.READ)

    assert add_url(tom) in signed_in(client, tom.parent).get(plan_url).content.decode()
    assert add_url(tom) not in signed_in(client, reader).get(plan_url).content.decode()
