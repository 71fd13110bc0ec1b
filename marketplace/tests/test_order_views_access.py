"""Who may open which order and invoice page: another provider's, another family's, or a broker's without
the family's consent answers 404; a page the role may not use answers 403; visitors are asked to sign in."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from brokerage.models import AccessGrant, PlanLine, PlanStatus, SupportPlan
from marketplace.services.deliveries import delivery_record
from marketplace.services.invoices import LineInput, invoice_submit
from marketplace.tests.order_factories import A_DAY_DELIVERED, accepted, broker_for, family, member, provider
from marketplace.tests.test_order_views import lead_with_consent
from providers.models import TaxonomyTerm

pytestmark = pytest.mark.django_db


@pytest.fixture
def tom():  # type: ignore[no-untyped-def]
    return family()


@pytest.fixture
def tutor():  # type: ignore[no-untyped-def]
    return provider()


@pytest.fixture
def invoice(tom, tutor):  # type: ignore[no-untyped-def]
    order = accepted(tom, tutor)
    delivery_record(order=order, actor=tutor.staff, delivered_on=A_DAY_DELIVERED, units=Decimal("2"))
    return invoice_submit(
        order=order,
        actor=tutor.staff,
        number="INV-1",
        issued_on=A_DAY_DELIVERED,
        lines=[LineInput(A_DAY_DELIVERED, Decimal("2"), order.rate)],
    )


def order_urls(order) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        name: reverse(f"marketplace:{name}", args=[order.public_id])
        for name in (
            "order",
            "order-decline",
            "order-change-propose",
            "order-cancel",
            "order-delivery-add",
            "order-timesheet-add",
            "order-invoice-add",
        )
    }


def invoice_urls(invoice) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        name: reverse(f"marketplace:{name}", args=[invoice.public_id])
        for name in ("invoice", "invoice-query", "invoice-refuse", "invoice-answer", "invoice-credit-note")
    }


BUDGET_PAGES = {"order-cancel", "invoice-query", "invoice-refuse"}
PROVIDER_PAGES = {
    "order-decline",
    "order-change-propose",
    "order-delivery-add",
    "order-timesheet-add",
    "order-invoice-add",
    "invoice-answer",
    "invoice-credit-note",
}


def test_the_family_the_lead_professional_and_the_provider_open_the_order_and_invoice(access, tom, tutor, invoice):
    for user in (tom.parent, tom.lead_professional, tutor.staff):
        access.ok(user, order_urls(invoice.order)["order"])
        access.ok(user, invoice_urls(invoice)["invoice"])


def test_another_provider_gets_404_for_every_order_and_invoice_page(access, invoice):
    rival = provider("Rival Tutors")
    for name, url in [*order_urls(invoice.order).items(), *invoice_urls(invoice).items()]:
        if name not in BUDGET_PAGES:
            access.not_found(rival.staff, url)
    access.not_found(rival.staff, reverse("marketplace:order-accept", args=[invoice.order.public_id]), method="post")


def test_another_family_gets_404(access, tom, invoice):
    charlie = family(council=tom.council).parent
    for name, url in [*order_urls(invoice.order).items(), *invoice_urls(invoice).items()]:
        if name not in PROVIDER_PAGES:
            access.not_found(charlie, url)
    access.not_found(charlie, reverse("marketplace:invoice-approve", args=[invoice.public_id]), method="post")


def test_a_broker_without_the_familys_consent_gets_404(access, tom, invoice):
    bob = broker_for(tom)
    for name, url in [*order_urls(invoice.order).items(), *invoice_urls(invoice).items()]:
        if name not in PROVIDER_PAGES:
            access.not_found(bob, url)


def test_a_broker_the_family_let_act_opens_the_invoice(access, tom, invoice):
    bob = broker_for(tom, limit="500.00")
    access.ok(bob, invoice_urls(invoice)["invoice"])
    access.ok(bob, invoice_urls(invoice)["invoice-query"])


def test_providers_cannot_use_the_budget_holders_pages(access, tutor, invoice):
    urls = {**order_urls(invoice.order), **invoice_urls(invoice)}
    for name in BUDGET_PAGES:
        access.forbidden(tutor.staff, urls[name])
    access.forbidden(tutor.staff, reverse("marketplace:order-from-offer", args=[tutor.offer.public_id]))


def test_families_cannot_use_the_providers_pages(access, tom, invoice):
    urls = {**order_urls(invoice.order), **invoice_urls(invoice)}
    for name in PROVIDER_PAGES:
        access.forbidden(tom.parent, urls[name])


def test_roles_that_take_no_part_in_orders_get_403(access, tom, invoice):
    commissioner = member(Role.COMMISSIONER, tom.council)
    for url in [
        reverse("marketplace:orders"),
        reverse("marketplace:orders-export"),
        reverse("marketplace:invoices-export"),
        order_urls(invoice.order)["order"],
        invoice_urls(invoice)["invoice"],
    ]:
        access.forbidden(commissioner, url)


def test_visitors_are_asked_to_sign_in(access, tutor, invoice):
    for url in (
        reverse("marketplace:orders"),
        order_urls(invoice.order)["order"],
        invoice_urls(invoice)["invoice"],
        reverse("marketplace:order-from-offer", args=[tutor.offer.public_id]),
    ):
        access.sign_in_required(url)


def _line(tom, tutor) -> PlanLine:  # type: ignore[no-untyped-def]
    plan = SupportPlan.objects.create(person=tom.person, budget=tom.allocation.budget, status=PlanStatus.APPROVED)
    return PlanLine.objects.create(
        plan=plan,
        offer=tutor.offer,
        category=TaxonomyTerm.objects.first(),
        description="Tuition",
        stream=tom.allocation.stream,
        quantity=Decimal("1"),
        unit="hour",
        unit_cost=Decimal("20.00"),
        frequency="weekly",
        periods=10,
    )


def test_a_plan_line_is_ordered_only_by_those_who_can_act_for_the_budget(access, tom, tutor):
    line = _line(tom, tutor)
    url = reverse("marketplace:order-from-line", args=[line.public_id])
    reader = broker_for(tom, scope=AccessGrant.Scope.READ)

    access.ok(tom.parent, url)
    access.ok(lead_with_consent(tom), url)
    access.not_found(family(council=tom.council).parent, url)
    access.not_found(broker_for(tom), url)
    access.not_found(reader, url)
    access.forbidden(tutor.staff, url)


def test_ordering_for_someone_else_s_child_answers_404(access, tom, tutor):
    charlie = family(council=tom.council).parent
    url = reverse("marketplace:order-from-offer", args=[tutor.offer.public_id])
    access.not_found(charlie, f"{url}?person={tom.person.public_id}")
