"""The order pages: ordering from a plan line or an offer, the order page, the provider's answers, the
budget holder's decisions, recording delivery and timesheets, and the list of what waits on you."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from brokerage import ledger
from brokerage.models import AccessGrant, PlanLine, PlanStatus, SupportPlan
from marketplace.models import DeliveryRecord, Invoice, Order, OrderStatus, Timesheet
from marketplace.order_selectors import order_commitment
from marketplace.services.orders import order_change_propose
from marketplace.tests.order_factories import (
    A_DAY_DELIVERED,
    ORDER_END,
    ORDER_START,
    accepted,
    block_contract,
    family,
    personal_assistant,
    place,
    provider,
)
from providers.models import TaxonomyTerm

pytestmark = pytest.mark.django_db
D = Decimal


def signed_in(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


def lead_with_consent(tom):  # type: ignore[no-untyped-def]
    """Lena, whom Tom's mother lets see his records and act for his budget: naming her is not enough."""
    AccessGrant.objects.get_or_create(
        person=tom.person,
        grantee=tom.lead_professional,
        defaults={"scope": AccessGrant.Scope.ACT, "consent_from": tom.parent, "recorded_by": tom.parent},
    )
    return tom.lead_professional


def approved_line(tom, offer, *, committed: str = "400.00") -> PlanLine:  # type: ignore[no-untyped-def]
    """A line of Tom's approved plan naming the tutor's offer, its money committed as approval does."""
    plan = SupportPlan.objects.create(person=tom.person, budget=tom.allocation.budget, status=PlanStatus.APPROVED)
    line = PlanLine.objects.create(
        plan=plan,
        offer=offer,
        category=TaxonomyTerm.objects.first(),
        description="Maths tuition",
        stream=tom.allocation.stream,
        quantity=D("1"),
        unit="hour",
        unit_cost=D("20.00"),
        frequency="weekly",
        periods=20,
        starts_on=ORDER_START,
        ends_on=ORDER_END,
    )
    ledger.commit(
        allocation=tom.allocation,
        amount=D(committed),
        key=f"plan-line-{line.public_id}",
        reference=f"plan-line-{line.public_id}",
        description="Maths tuition",
    )
    return line


def order_post(tom, **more) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "person": str(tom.person.public_id),
        "description": "Maths tuition",
        "units": "20",
        "unit": "hour",
        "rate": "20.00",
        "vat_status": "not_registered",
        "schedule": "Tuesdays, 5 to 6pm",
        "starts_on": "6/4/2026",
        "ends_on": "30/10/2026",
        "funding": f"allocation-{tom.allocation.public_id}",
        **more,
    }


# --- Ordering ----------------------------------------------------------------------------------------------


def test_the_order_form_from_a_plan_line_is_filled_in_from_the_line(client):
    tom, tutor = family(), provider()
    line = approved_line(tom, tutor.offer)

    response = signed_in(client, lead_with_consent(tom)).get(
        reverse("marketplace:order-from-line", args=[line.public_id])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Maths tuition"' in html and 'value="20"' in html and 'value="06/04/2026"' in html
    assert "£2,600.00 available" in html  # 3000 allocated, 400 committed for the line


def test_the_lead_professional_orders_from_a_plan_line_and_the_lines_money_passes_to_the_order(client):
    tom, tutor = family(), provider()
    line = approved_line(tom, tutor.offer)

    response = signed_in(client, lead_with_consent(tom)).post(
        reverse("marketplace:order-from-line", args=[line.public_id]), order_post(tom)
    )

    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("marketplace:order", args=[order.public_id])
    assert order.plan_line == line and order.placed_by == tom.lead_professional
    assert order_commitment(order) == D("400.00")
    assert Notification.objects.filter(recipient=tutor.staff, subject__startswith="New order").exists()


def test_an_order_beyond_the_money_available_is_refused_saying_how_much_is_available(client):
    tom, tutor = family(available="500.00"), provider()
    line = approved_line(tom, tutor.offer, committed="400.00")

    response = signed_in(client, tom.parent).post(
        reverse("marketplace:order-from-line", args=[line.public_id]), order_post(tom, units="30")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "has £500.00 available for this order, and it costs £600.00" in html
    assert not Order.objects.exists()


def test_an_order_form_with_bad_dates_and_no_units_shows_the_error_summary(client):
    tom, tutor = family(), provider()
    line = approved_line(tom, tutor.offer)

    response = signed_in(client, tom.parent).post(
        reverse("marketplace:order-from-line", args=[line.public_id]),
        order_post(tom, units="", starts_on="31/31/2026"),
    )

    html = response.content.decode()
    assert "govuk-error-summary" in html and "<title>Error: " in html
    assert "Enter how many in all" in html
    assert "Enter the start date as a date, for example 6/4/2026" in html


def test_an_order_whose_end_comes_before_its_start_is_refused_on_the_end_date(client):
    tom, tutor = family(), provider()
    line = approved_line(tom, tutor.offer)

    response = signed_in(client, tom.parent).post(
        reverse("marketplace:order-from-line", args=[line.public_id]), order_post(tom, ends_on="1/4/2026")
    )

    assert "The end date must be on or after the start date" in response.content.decode()
    assert not Order.objects.exists()


def test_a_line_of_a_plan_not_yet_approved_cannot_be_ordered(client):
    tom, tutor = family(), provider()
    line = approved_line(tom, tutor.offer)
    SupportPlan.objects.filter(pk=line.plan_id).update(status=PlanStatus.DRAFT)

    response = signed_in(client, tom.parent).get(reverse("marketplace:order-from-line", args=[line.public_id]))

    assert "Support is ordered from an approved plan" in response.content.decode()
    assert 'name="units"' not in response.content.decode()


def test_a_family_orders_from_an_offer_for_their_only_child(client):
    tom, tutor = family(), provider()

    response = signed_in(client, tom.parent).post(
        reverse("marketplace:order-from-offer", args=[tutor.offer.public_id]), order_post(tom)
    )

    order = Order.objects.get()
    assert response.status_code == 302
    assert order.offer == tutor.offer and order.plan_line is None and order.schedule == "Tuesdays, 5 to 6pm"


def test_someone_acting_for_two_children_chooses_who_the_order_is_for_first(client):
    tom, tutor = family(), provider()
    ann = family(council=tom.council)
    ann.person.consent_holders.update(user=tom.parent)
    url = reverse("marketplace:order-from-offer", args=[tutor.offer.public_id])

    asked = signed_in(client, tom.parent).get(url)
    unanswered = client.get(url, {"choose": "1"})
    chosen = client.get(url, {"person": str(ann.person.public_id)})

    assert "Who is the support for?" in asked.content.decode()
    assert "Choose who the support is for" in unanswered.content.decode()
    assert "Error: " in unanswered.content.decode()
    assert f"Order {tutor.offer} for {ann.person.first_name}" in chosen.content.decode()


def test_an_order_drawing_down_a_block_contract_takes_the_contracts_rate(client):
    tom, tutor = family(), provider()
    contract = block_contract(tom, tutor, units="20", rate="18.00")

    signed_in(client, tom.parent).post(
        reverse("marketplace:order-from-offer", args=[tutor.offer.public_id]),
        order_post(tom, rate="", units="10", funding=f"block-{contract.public_id}"),
    )

    order = Order.objects.get()
    assert order.block_contract == contract and order.rate == D("18.00") and order.allocation is None


def test_an_order_from_the_budget_needs_a_rate(client):
    tom, tutor = family(), provider()

    response = signed_in(client, tom.parent).post(
        reverse("marketplace:order-from-offer", args=[tutor.offer.public_id]), order_post(tom, rate="")
    )

    assert "Enter the rate agreed with the provider" in response.content.decode()


def test_ordering_from_a_personal_assistant_asks_how_they_work_for_the_family(client):
    tom = family()
    _, offer = personal_assistant(tom.council)

    response = signed_in(client, tom.parent).post(
        reverse("marketplace:order-from-offer", args=[offer.public_id]), order_post(tom)
    )

    assert "Say whether the personal assistant is employed by the family" in response.content.decode()


# --- The order page and the provider's answers -----------------------------------------------------------


def test_the_order_page_shows_the_money_committed_and_the_history(client):
    tom, tutor = family(), provider()
    order = place(tom, tutor, units="10", rate="20.00")

    html = signed_in(client, tom.parent).get(reverse("marketplace:order", args=[order.public_id])).content.decode()

    assert "Waiting for the provider" in html
    assert "Committed from the budget now" in html and "£200.00" in html
    assert "Cancel the order" in html and "Accept the order" not in html


def test_the_provider_accepts_the_order(client):
    tom, tutor = family(), provider()
    order = place(tom, tutor)
    page = signed_in(client, tutor.staff).get(reverse("marketplace:order", args=[order.public_id])).content.decode()

    response = client.post(reverse("marketplace:order-accept", args=[order.public_id]))

    assert "Accept the order" in page
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    assert AuditEvent.objects.filter(action="order.accepted").exists()


def test_a_provider_declining_must_say_why(client):
    tom, tutor = family(), provider()
    order = place(tom, tutor)
    url = reverse("marketplace:order-decline", args=[order.public_id])

    refused = signed_in(client, tutor.staff).post(url, {"reason": ""})
    declined = client.post(url, {"reason": "We have no tutor free on Tuesdays"})

    assert "Say why you are declining the order" in refused.content.decode()
    assert declined.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.DECLINED and order_commitment(order) == 0


def test_the_provider_proposes_a_change_and_the_family_accepts_it(client):
    tom, tutor = family(), provider()
    order = place(tom, tutor, units="10")
    signed_in(client, tutor.staff).post(
        reverse("marketplace:order-change-propose", args=[order.public_id]),
        {"units": "12", "rate": "20.00", "starts_on": "6/4/2026", "ends_on": "30/10/2026", "reason": "Two more"},
    )
    change = order.changes.get()

    page = signed_in(client, tom.parent).get(reverse("marketplace:order", args=[order.public_id])).content.decode()
    client.post(reverse("marketplace:order-change-accept", args=[order.public_id, change.public_id]))

    assert "Sunrise Tutors proposes a change" in page and "Accept the change" in page
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED and order.units == D("12")
    assert order_commitment(order) == D("240.00")


def test_a_change_with_its_end_before_its_start_is_refused(client):
    tom, tutor = family(), provider()
    order = place(tom, tutor)

    response = signed_in(client, tutor.staff).post(
        reverse("marketplace:order-change-propose", args=[order.public_id]),
        {"units": "12", "rate": "20.00", "starts_on": "30/10/2026", "ends_on": "6/4/2026", "reason": "Later"},
    )

    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert not order.changes.exists()


def test_the_family_rejects_a_change_and_the_order_stands(client):
    tom, tutor = family(), provider()
    order = accepted(tom, tutor)
    change = order_change_propose(
        order=order,
        actor=tutor.staff,
        units=D("12"),
        rate=D("25.00"),
        starts_on=ORDER_START,
        ends_on=ORDER_END,
        reason="Higher rate",
    )

    signed_in(client, tom.parent).post(
        reverse("marketplace:order-change-reject", args=[order.public_id, change.public_id]), {"reason": "Too dear"}
    )

    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED and order.rate == D("20.00")


def test_cancelling_needs_a_reason_and_releases_the_money(client):
    tom, tutor = family(), provider()
    order = place(tom, tutor)
    url = reverse("marketplace:order-cancel", args=[order.public_id])

    refused = signed_in(client, tom.parent).post(url, {"reason": " "})
    client.post(url, {"reason": "Tom has a place at school club instead"})

    assert "Say why you are cancelling the order" in refused.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order_commitment(order) == 0


def test_a_refused_action_is_explained_on_the_order_page(client):
    tom, tutor = family(), provider()
    order = accepted(tom, tutor)

    response = signed_in(client, tutor.staff).post(
        reverse("marketplace:order-accept", args=[order.public_id]), follow=True
    )

    assert "An order that is accepted cannot become accepted" in response.content.decode()


# --- Delivery and timesheets -------------------------------------------------------------------------------


def test_the_provider_records_delivery(client):
    tom, tutor = family(), provider()
    order = accepted(tom, tutor)

    signed_in(client, tutor.staff).post(
        reverse("marketplace:order-delivery-add", args=[order.public_id]),
        {"delivered_on": "5/5/2026", "units": "2", "notes": "Fractions"},
    )

    record = DeliveryRecord.objects.get()
    assert record.delivered_on == A_DAY_DELIVERED and record.units == D("2") and record.recorded_by == tutor.staff


def test_a_delivery_outside_the_orders_dates_is_refused_on_the_form(client):
    tom, tutor = family(), provider()
    order = accepted(tom, tutor)

    response = signed_in(client, tutor.staff).post(
        reverse("marketplace:order-delivery-add", args=[order.public_id]), {"delivered_on": "1/3/2026", "units": "2"}
    )

    assert "1 March 2026 is outside the order" in response.content.decode()
    assert not DeliveryRecord.objects.exists()


def _pa_order(tom, employment: str):  # type: ignore[no-untyped-def]
    from marketplace.services.orders import order_accept

    profile, offer = personal_assistant(tom.council)
    order = place(tom, None, offer=offer, pa_employment=employment)
    return profile, order_accept(order=order, actor=profile.user)


def test_a_self_employed_personal_assistants_timesheet_becomes_an_invoice(client):
    tom = family()
    profile, order = _pa_order(tom, "self_employed")

    response = signed_in(client, profile.user).post(
        reverse("marketplace:order-timesheet-add", args=[order.public_id]),
        {
            "period_start": "4/5/2026",
            "period_end": "10/5/2026",
            "invoice_number": "PA-7",
            "worked_on_1": "5/5/2026",
            "units_1": "3",
            "worked_on_2": "7/5/2026",
            "units_2": "2",
        },
    )

    assert response.status_code == 302
    invoice = Invoice.objects.get()
    assert invoice.number == "PA-7" and invoice.total == D("100.00")


def test_a_timesheet_of_a_personal_assistant_employed_by_the_family_goes_to_payroll(client):
    tom = family(held_as="direct_payment")
    profile, order = _pa_order(tom, "employed_by_family")
    url = reverse("marketplace:order-timesheet-add", args=[order.public_id])

    page = signed_in(client, profile.user).get(url).content.decode()
    client.post(url, {"period_start": "4/5/2026", "period_end": "10/5/2026", "worked_on_1": "5/5/2026", "units_1": "3"})

    assert 'name="invoice_number"' not in page
    assert Timesheet.objects.get().outcome == Timesheet.Outcome.FOR_PAYROLL
    assert not Invoice.objects.exists()


def test_a_timesheet_row_half_filled_in_is_an_error(client):
    tom = family()
    profile, order = _pa_order(tom, "self_employed")

    response = signed_in(client, profile.user).post(
        reverse("marketplace:order-timesheet-add", args=[order.public_id]),
        {"period_start": "4/5/2026", "period_end": "10/5/2026", "invoice_number": "PA-8", "worked_on_1": "5/5/2026"},
    )

    assert "Enter the day 1 hours" in response.content.decode()
    assert not Timesheet.objects.exists()


# --- What waits on you -------------------------------------------------------------------------------------


def test_the_provider_sees_the_order_waiting_and_can_download_the_lists(client):
    tom, tutor = family(), provider()
    place(tom, tutor)

    html = signed_in(client, tutor.staff).get(reverse("marketplace:orders")).content.decode()
    waiting_csv = client.get(reverse("marketplace:orders-waiting-export"))
    orders_csv = client.get(reverse("marketplace:orders-export"))

    assert "Accept or decline: Maths tuition" in html and "Less than a day" in html
    assert waiting_csv["Content-Type"].startswith("text/csv")
    assert "Accept or decline: Maths tuition" in waiting_csv.content.decode()
    assert f"Maths tuition,Tom Walsh,{tutor.offer.provider_name}," in orders_csv.content.decode()


def test_the_provider_dashboard_counts_the_orders_waiting(client):
    tom, tutor = family(), provider()
    place(tom, tutor)

    html = signed_in(client, tutor.staff).get(reverse("providers:dashboard")).content.decode()

    assert "1 order is waiting for you to accept or decline" in html
