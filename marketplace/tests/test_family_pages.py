"""What the workspace pages say, with a plan, orders, an invoice and a direct payment to show.

Alice holds consent for Tom (marketplace.tests.order_factories).
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from brokerage.models import HeldAs, PlanStatus
from marketplace.models import Invoice
from marketplace.tests.family_factories import line_for, outcome_for, plan_for
from marketplace.tests.order_factories import accepted, family, provider

pytestmark = pytest.mark.django_db


def page(client, tom, name: str) -> str:  # type: ignore[no-untyped-def]
    client.force_login(tom.parent)
    response = client.get(reverse(f"marketplace:{name}", args=[tom.person.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_my_plan_says_who_does_what_for_each_outcome_and_what_is_not_funded(client):
    tom = family()
    plan = plan_for(tom, status=PlanStatus.ACTIVE, family_own_support="Grandad takes Tom swimming on Sundays")
    swimming = outcome_for(plan)
    outcome_for(plan, "Tom sleeps through the night")
    line_for(plan, outcome=swimming, supplier_name="Coventry Swim School", description="Swimming lessons")

    text = page(client, tom, "my-plan")

    assert "Coventry Swim School" in text and "2 hours every week, for 10 weeks" in text
    assert "£400.00 in all" in text
    assert "Not funded yet" in text
    assert "Grandad takes Tom swimming on Sundays" in text


def test_my_support_lists_the_invoice_to_approve_with_its_age_and_the_running_order(client):
    tom = family()
    seller = provider()
    order = accepted(tom, seller, schedule="Tuesdays, 5 to 6pm")
    Invoice.objects.create(
        order=order,
        provider_organisation=seller.organisation,
        submitted_by=seller.staff,
        number="INV-7",
        issued_on=datetime.date(2026, 5, 1),
        due_on=datetime.date(2026, 5, 31),
        vat_status=order.vat_status,
        total=Decimal("40.00"),
        submitted_at=timezone.now() - datetime.timedelta(days=3),
    )

    text = page(client, tom, "my-support")

    assert "Invoice INV-7" in text and "3 days" in text
    assert reverse("marketplace:invoice", args=[Invoice.objects.get().public_id]) in text
    assert "Tuesdays, 5 to 6pm" in text and "Maths tuition" in text


def test_my_support_links_to_recording_direct_payment_spending(client):
    tom = family(held_as=HeldAs.DIRECT_PAYMENT)

    text = page(client, tom, "my-support")

    assert reverse("brokerage:dp-spend-add", args=[tom.allocation.budget.public_id]) in text


def test_my_budget_shows_the_chart_the_table_and_the_statement(client):
    tom = family(available="1500.00")

    text = page(client, tom, "my-budget")

    assert "£1,500.00</strong> left to use" in text
    assert "app-bar-chart" in text and "<table" in text
    assert reverse("brokerage:budget-statement", args=[tom.allocation.budget.public_id]) in text


def test_the_home_page_says_the_step_and_links_to_who_can_see_the_records(client):
    tom = family()

    text = page(client, tom, "my-person")

    assert "You are at step 3 of 7: Make your plan" in text
    assert reverse("brokerage:person-access", args=[tom.person.public_id]) in text
