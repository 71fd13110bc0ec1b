"""Where a family is in the seven steps of self-directed support, derived from their data, and what to do next.

Tom's mother Alice holds consent (marketplace.tests.order_factories); each test builds only what its step needs.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import CouncilFactory
from brokerage.models import ConsentHolder, HeldAs, PlanReview, PlanStatus
from brokerage.tests.factories import PersonSupportedFactory
from marketplace.family_selectors import budget_view, journey_for, next_things, plan_outcomes
from marketplace.models import Invoice
from marketplace.tests.family_factories import line_for, outcome_for, plan_for
from marketplace.tests.order_factories import accepted, family, member, place, provider

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def states(journey) -> list[str]:  # type: ignore[no-untyped-def]
    return [step.state for step in journey.steps]


def test_a_person_with_no_budget_or_assessment_is_at_step_one():
    council = CouncilFactory()
    person = PersonSupportedFactory(council=council)
    ConsentHolder.objects.create(person=person, user=member("family_member", council), relationship="parent")

    journey = journey_for(person, day=TODAY)

    assert journey.current == 1
    assert states(journey) == ["now", "later", "later", "later", "later", "later", "later"]


def test_a_budget_with_no_money_yet_is_step_two():
    tom = family(available="0")

    assert journey_for(tom.person, day=TODAY).current == 2


def test_money_in_the_budget_and_no_plan_is_step_three():
    tom = family()

    journey = journey_for(tom.person, day=TODAY)

    assert journey.current == 3
    assert states(journey)[:3] == ["done", "done", "now"]


def test_a_draft_not_yet_sent_to_the_family_is_still_step_three():
    tom = family()
    plan_for(tom)

    assert journey_for(tom.person, day=TODAY).current == 3


def test_a_draft_sent_to_the_family_is_step_four_and_asks_them_to_agree():
    tom = family()
    plan = plan_for(tom, sent_to_family_at=timezone.now())

    assert journey_for(tom.person, day=TODAY).current == 4
    things = next_things(user=tom.parent, person=tom.person, day=TODAY)
    assert things[0].url == reverse("brokerage:plan-agree", args=[plan.public_id])


def test_an_agreed_plan_waiting_for_the_council_is_still_step_four():
    tom = family()
    plan_for(tom, status=PlanStatus.SUBMITTED, sent_to_family_at=timezone.now())

    journey = journey_for(tom.person, day=TODAY)

    assert journey.current == 4 and "council" in journey.detail


def test_an_approved_plan_with_support_to_order_is_step_five():
    tom = family()
    line_for(plan_for(tom, status=PlanStatus.ACTIVE))

    assert journey_for(tom.person, day=TODAY).current == 5


def test_an_order_still_waiting_for_the_provider_keeps_step_five():
    tom = family()
    line_for(plan_for(tom, status=PlanStatus.ACTIVE))
    place(tom, provider())

    assert journey_for(tom.person, day=TODAY).current == 5


def test_accepted_orders_mean_the_support_is_running_at_step_six():
    tom = family()
    line_for(plan_for(tom, status=PlanStatus.ACTIVE))
    accepted(tom, provider())

    journey = journey_for(tom.person, day=TODAY)

    assert journey.current == 6
    assert states(journey) == ["done"] * 5 + ["now", "later"]


def test_a_plan_bought_only_by_direct_payment_needs_no_orders_to_run():
    tom = family(held_as=HeldAs.DIRECT_PAYMENT)
    line_for(plan_for(tom, status=PlanStatus.ACTIVE), by_direct_payment=True)

    assert journey_for(tom.person, day=TODAY).current == 6


def test_a_review_due_within_four_weeks_is_step_seven_and_on_the_list():
    tom = family()
    plan = plan_for(tom, status=PlanStatus.ACTIVE)
    accepted(tom, provider())
    PlanReview.objects.create(plan=plan, due_on=TODAY + datetime.timedelta(days=14))

    assert journey_for(tom.person, day=TODAY).current == 7
    texts = [thing.text for thing in next_things(user=tom.parent, person=tom.person, day=TODAY)]
    assert any("review" in text for text in texts)


def test_a_plan_being_reviewed_is_step_seven():
    tom = family()
    plan_for(tom, status=PlanStatus.UNDER_REVIEW)

    assert journey_for(tom.person, day=TODAY).current == 7


def test_an_invoice_to_approve_is_on_the_list_with_its_age():
    tom = family()
    seller = provider()
    order = accepted(tom, seller)
    invoice = Invoice.objects.create(
        order=order,
        provider_organisation=seller.organisation,
        submitted_by=seller.staff,
        number="INV-1",
        issued_on=TODAY,
        due_on=TODAY,
        vat_status=order.vat_status,
        total=Decimal("40.00"),
        submitted_at=timezone.now() - datetime.timedelta(days=12),
    )

    things = next_things(user=tom.parent, person=tom.person, day=TODAY)

    invoice_things = [
        thing for thing in things if thing.url == reverse("marketplace:invoice", args=[invoice.public_id])
    ]
    assert len(invoice_things) == 1
    assert invoice_things[0].since_days == 12 and invoice_things[0].overdue


def test_another_familys_invoice_is_not_on_this_familys_list():
    tom, other = family(), family()
    seller = provider()
    order = accepted(other, seller)
    Invoice.objects.create(
        order=order,
        provider_organisation=seller.organisation,
        submitted_by=seller.staff,
        number="INV-2",
        issued_on=TODAY,
        due_on=TODAY,
        vat_status=order.vat_status,
    )

    urls = [thing.url for thing in next_things(user=tom.parent, person=tom.person, day=TODAY)]

    assert not any("/invoices/" in url for url in urls)


def test_my_budget_shows_what_is_left_per_stream_from_the_ledger():
    tom = family(available="3000.00")
    place(tom, provider(), units="10", rate="20.00")

    view = budget_view(tom.allocation.budget)

    [stream] = view.streams
    assert (stream.allocated, stream.committed, stream.left) == (
        Decimal("3000.00"),
        Decimal("200.00"),
        Decimal("2800.00"),
    )
    assert view.chart.rows[0][1] == ["£3,000.00", "£200.00", "£0.00", "£2,800.00"]


def test_an_outcome_with_no_support_is_shown_as_not_funded():
    tom = family()
    plan = plan_for(tom)
    funded, unfunded = outcome_for(plan), outcome_for(plan, "Tom sleeps through the night")
    line_for(plan, outcome=funded)

    views = plan_outcomes(plan)

    assert [(view.outcome, view.is_unfunded) for view in views] == [(funded, False), (unfunded, True)]
    assert views[0].lines[0].how_often == "2 hours every week, for 10 weeks"
