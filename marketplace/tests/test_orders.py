"""Placing, answering, changing and ending orders, and what each does in the ledger."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import AuditEvent, Notification
from brokerage import ledger
from brokerage.exceptions import BrokerageError, InsufficientFunds, NotAllowed, TransitionNotAllowed
from brokerage.models import (
    AccessGrant,
    DelegatedAuthority,
    LedgerTransaction,
    Outcome,
    OutcomeDomain,
    PlanLine,
    PlanStatus,
    SupportPlan,
)
from brokerage.services.plans import plan_line_stop
from brokerage.statements import budget_statement
from marketplace.models import Order, OrderChange, OrderStatus
from marketplace.order_selectors import order_commitment
from marketplace.services.deliveries import delivery_record
from marketplace.services.invoices import LineInput, invoice_approve, invoice_submit
from marketplace.services.orders import (
    order_accept,
    order_cancel,
    order_change_accept,
    order_change_propose,
    order_change_reject,
    order_complete,
    order_decline,
)
from marketplace.tests.order_factories import (
    A_DAY_DELIVERED,
    ORDER_END,
    ORDER_START,
    accepted,
    balances,
    broker_for,
    family,
    place,
    provider,
)
from providers.models import TaxonomyTerm

pytestmark = pytest.mark.django_db
D = Decimal


def test_placing_an_order_commits_its_value_and_tells_the_provider():
    tom, tutor = family(available="1000.00"), provider()

    order = place(tom, tutor, units="10", rate="20.00")

    assert order.status == OrderStatus.PLACED
    assert balances(tom.allocation) == {"available": D("800.00"), "committed": D("200.00"), "provider_payable": 0}
    assert order_commitment(order) == D("200.00")
    assert Notification.objects.filter(recipient=tutor.staff, subject__contains="New order").exists()
    assert AuditEvent.objects.filter(action="order.placed", target_id=str(order.public_id)).exists()


def test_an_order_beyond_what_is_available_is_refused_and_nothing_is_kept():
    tom, tutor = family(available="150.00"), provider()

    with pytest.raises(InsufficientFunds):
        place(tom, tutor, units="10", rate="20.00")

    assert not Order.objects.exists()
    assert balances(tom.allocation)["available"] == D("150.00")


def test_an_order_adds_vat_to_its_commitment_when_the_provider_charges_it_on_top():
    tom, tutor = family(), provider()

    order = place(tom, tutor, units="10", rate="45.00", vat_status="plus_vat")

    assert order_commitment(order) == D("540.00")


def test_someone_with_no_authority_over_the_budget_cannot_order():
    tom, tutor = family(), provider()
    stranger = family(council=tom.council).parent

    with pytest.raises(NotAllowed):
        place(tom, tutor, actor=stranger)


def test_a_broker_who_may_only_see_the_record_cannot_order():
    tom, tutor = family(), provider()
    reader = broker_for(tom, scope=AccessGrant.Scope.READ)

    with pytest.raises(NotAllowed):
        place(tom, tutor, actor=reader)


def test_a_broker_orders_within_the_limit_the_family_gave_and_no_further():
    tom, tutor = family(), provider()
    bob = broker_for(tom, limit="300.00")

    place(tom, tutor, actor=bob, units="10", rate="20.00")
    with pytest.raises(NotAllowed, match="up to £300.00"):
        place(tom, tutor, actor=bob, units="6", rate="20.00")

    assert Order.objects.count() == 1


def test_a_lead_professional_cannot_commit_beyond_their_delegated_authority():
    tom, tutor = family(available="5000.00"), provider()
    DelegatedAuthority.objects.create(
        council=tom.council, financial_year=2026, role="lead_professional", limit_per_person=D("3000.00")
    )

    place(tom, tutor, actor=tom.lead_professional, units="100", rate="20.00")
    with pytest.raises(NotAllowed, match="delegated authority"):
        place(tom, tutor, actor=tom.lead_professional, units="51", rate="20.00")


def test_an_unpublished_offer_cannot_be_ordered():
    tom, tutor = family(), provider()
    tutor.offer.status = "withdrawn"
    tutor.offer.save()

    with pytest.raises(BrokerageError, match="not available"):
        place(tom, tutor)


def test_an_order_outside_the_budget_year_is_refused():
    tom, tutor = family(), provider()

    with pytest.raises(BrokerageError, match="budget's year"):
        place(tom, tutor, ends_on=datetime.date(2027, 6, 1))


def _committed_plan_line(tom, amount: str, *, with_outcome: bool = False) -> PlanLine:  # type: ignore[no-untyped-def]
    plan = SupportPlan.objects.create(person=tom.person, budget=tom.allocation.budget, status=PlanStatus.ACTIVE)
    outcome = (
        Outcome.objects.create(
            plan=plan, domain=OutcomeDomain.ENJOY_AND_ACHIEVE, description="Reads well by July", baseline_score=3
        )
        if with_outcome
        else None
    )
    line = PlanLine.objects.create(
        plan=plan,
        category=TaxonomyTerm.objects.first(),
        description="Tuition",
        stream=tom.allocation.stream,
        outcome=outcome,
        quantity=D("2"),
        unit="hour",
        unit_cost=D("20.00"),
        frequency="weekly",
        periods=39,
    )
    ledger.commit(
        allocation=tom.allocation,
        amount=D(amount),
        key=f"plan-line-{line.public_id}-{tom.allocation.pk}",
        reference=f"plan-line-{line.public_id}",
        description="Tuition",
        outcome=outcome,
    )
    return line


def test_an_order_from_an_approved_plan_line_takes_over_its_commitment_instead_of_committing_twice():
    tom, tutor = family(available="2000.00"), provider()
    line = _committed_plan_line(tom, "1560.00")

    order = place(tom, tutor, units="10", rate="20.00", plan_line=line)

    assert order_commitment(order) == D("200.00")
    assert balances(tom.allocation)["committed"] == D("1560.00")
    assert balances(tom.allocation)["available"] == D("440.00")


def test_stopping_a_plan_line_releases_only_what_the_line_still_holds_not_its_orders_money():
    tom, tutor = family(available="2000.00"), provider()
    line = _committed_plan_line(tom, "1560.00")
    order = place(tom, tutor, units="10", rate="20.00", plan_line=line)

    plan_line_stop(line=line, actor=tom.parent, delivered=D("0.00"), on=datetime.date(2026, 10, 1))

    # The £200 the order took over stays committed for it; the line's other £1,360 comes back.
    assert order_commitment(order) == D("200.00")
    assert balances(tom.allocation)["committed"] == D("200.00")
    assert balances(tom.allocation)["available"] == D("1800.00")


def test_an_orders_money_stays_with_its_plan_lines_outcome_in_the_statement():
    tom, tutor = family(available="2000.00"), provider()
    line = _committed_plan_line(tom, "1560.00", with_outcome=True)
    outcome = line.outcome
    order = place(tom, tutor, units="10", rate="20.00", plan_line=line)

    def committed_by_outcome():  # type: ignore[no-untyped-def]
        return {figures.outcome: figures.committed for figures in budget_statement(tom.allocation.budget).outcomes}

    assert committed_by_outcome() == {outcome: D("1560.00")}
    order_cancel(order=order, actor=tom.parent, reason="Found another tutor")
    assert committed_by_outcome() == {outcome: D("1360.00")}


def test_an_order_bigger_than_its_plan_line_commits_only_the_difference():
    tom, tutor = family(available="300.00"), provider()
    line = _committed_plan_line(tom, "100.00")

    order = place(tom, tutor, units="10", rate="20.00", plan_line=line)

    assert order_commitment(order) == D("200.00")
    assert balances(tom.allocation) == {"available": D("100.00"), "committed": D("200.00"), "provider_payable": 0}


def test_the_provider_accepts_and_the_family_is_told():
    tom, tutor = family(), provider()
    order = place(tom, tutor)

    order_accept(order=order, actor=tutor.staff)

    assert Order.objects.get(pk=order.pk).status == OrderStatus.ACCEPTED
    assert Notification.objects.filter(recipient=tom.parent, subject__contains="accepted").exists()
    assert order.status_changes.first().new_status == OrderStatus.ACCEPTED


def test_another_provider_cannot_answer_an_order():
    tom, tutor, rival = family(), provider(), provider("Rival Tutors")
    order = place(tom, tutor)

    with pytest.raises(NotAllowed):
        order_accept(order=order, actor=rival.staff)


def test_declining_gives_all_the_money_back():
    tom, tutor = family(available="1000.00"), provider()
    order = place(tom, tutor)

    order_decline(order=order, actor=tutor.staff, reason="No tutor free on Tuesdays")

    assert balances(tom.allocation)["available"] == D("1000.00")
    assert order_commitment(order) == 0


def test_an_accepted_order_cannot_be_declined():
    tom, tutor = family(), provider()
    order = accepted(tom, tutor)

    with pytest.raises(TransitionNotAllowed):
        order_decline(order=order, actor=tutor.staff, reason="Changed our mind")


def _propose(order: Order, tutor, **terms) -> OrderChange:  # type: ignore[no-untyped-def]
    values = {"units": order.units, "rate": order.rate, "starts_on": order.starts_on, "ends_on": order.ends_on}
    values.update(terms)
    return order_change_propose(order=order, actor=tutor.staff, reason="Our rates rose in April", **values)


def test_accepting_a_higher_rate_commits_the_difference():
    tom, tutor = family(available="1000.00"), provider()
    order = accepted(tom, tutor, units="10", rate="20.00")
    change = _propose(order, tutor, rate=D("22.50"))

    order = order_change_accept(change=change, actor=tom.parent)

    assert order.status == OrderStatus.ACCEPTED
    assert order.rate == D("22.50")
    assert order_commitment(order) == D("225.00")
    assert balances(tom.allocation)["available"] == D("775.00")


def test_accepting_fewer_units_releases_the_difference():
    tom, tutor = family(available="1000.00"), provider()
    order = accepted(tom, tutor, units="10", rate="20.00")
    change = _propose(order, tutor, units=D("6"))

    order_change_accept(change=change, actor=tom.parent)

    assert order_commitment(order) == D("120.00")
    assert balances(tom.allocation)["available"] == D("880.00")


def test_a_change_beyond_what_is_available_cannot_be_accepted():
    tom, tutor = family(available="250.00"), provider()
    order = accepted(tom, tutor, units="10", rate="20.00")
    change = _propose(order, tutor, units=D("20"))

    with pytest.raises(InsufficientFunds):
        order_change_accept(change=change, actor=tom.parent)

    assert Order.objects.get(pk=order.pk).units == D("10")


def test_rejecting_a_change_leaves_the_order_and_the_ledger_as_they_were():
    tom, tutor = family(available="1000.00"), provider()
    order = accepted(tom, tutor, units="10", rate="20.00")
    change = _propose(order, tutor, rate=D("30.00"))
    before = LedgerTransaction.objects.count()

    order = order_change_reject(change=change, actor=tom.parent, reason="Too dear")

    assert order.status == OrderStatus.ACCEPTED
    assert order.rate == D("20.00")
    assert LedgerTransaction.objects.count() == before
    assert Notification.objects.filter(recipient=tutor.staff, subject__contains="Change rejected").exists()


def test_rejecting_a_change_to_an_unanswered_order_leaves_it_waiting_for_the_provider():
    tom, tutor = family(), provider()
    order = place(tom, tutor)
    change = _propose(order, tutor, rate=D("30.00"))

    order = order_change_reject(change=change, actor=tom.parent, reason="Too dear")

    assert order.status == OrderStatus.PLACED


def test_cancelling_releases_the_commitment():
    tom, tutor = family(available="1000.00"), provider()
    order = accepted(tom, tutor, units="10", rate="20.00")

    order_cancel(order=order, actor=tom.parent, reason="Tuition stops")

    assert balances(tom.allocation)["available"] == D("1000.00")
    assert Notification.objects.filter(recipient=tutor.staff, subject__contains="cancelled").exists()


def test_cancelling_keeps_the_money_for_work_delivered_and_not_yet_invoiced():
    tom, tutor = family(available="1000.00"), provider()
    order = accepted(tom, tutor, units="10", rate="20.00")
    delivery_record(order=order, actor=tutor.staff, delivered_on=A_DAY_DELIVERED, units=D("3"))

    order_cancel(order=order, actor=tom.parent, reason="Tuition stops")

    assert order_commitment(order) == D("60.00")
    assert balances(tom.allocation)["available"] == D("940.00")


def test_the_provider_cannot_cancel_an_order():
    tom, tutor = family(), provider()
    order = accepted(tom, tutor)

    with pytest.raises(NotAllowed):
        order_cancel(order=order, actor=tutor.staff, reason="Busy")


def test_completing_releases_what_was_not_used():
    tom, tutor = family(available="1000.00"), provider()
    order = accepted(tom, tutor, units="10", rate="20.00")

    order_complete(order=order, actor=tutor.staff)

    assert Order.objects.get(pk=order.pk).status == OrderStatus.COMPLETED
    assert balances(tom.allocation)["available"] == D("1000.00")


def test_cancelling_twice_is_refused_and_releases_nothing_more():
    tom, tutor = family(available="1000.00"), provider()
    order = accepted(tom, tutor)
    order_cancel(order=order, actor=tom.parent, reason="Stops")

    with pytest.raises(TransitionNotAllowed):
        order_cancel(order=order, actor=tom.parent, reason="Stops")
    assert balances(tom.allocation)["available"] == D("1000.00")


def test_order_dates_must_be_in_order():
    tom, tutor = family(), provider()

    with pytest.raises(Exception, match="end date"):
        place(tom, tutor, starts_on=ORDER_END, ends_on=ORDER_START)


def test_a_lower_rate_accepted_after_everything_was_settled_releases_nothing_more():
    tom, tutor = family(available="1000.00"), provider()
    order = accepted(tom, tutor, units="10", rate="20.00")
    delivery_record(order=order, actor=tutor.staff, delivered_on=A_DAY_DELIVERED, units=D("10"))
    invoice = invoice_submit(
        order=order,
        actor=tutor.staff,
        number="INV-1",
        issued_on=A_DAY_DELIVERED,
        lines=[LineInput(A_DAY_DELIVERED, D("10"), D("20.00"))],
    )
    invoice_approve(invoice=invoice, actor=tom.parent)
    change = _propose(order, tutor, rate=D("15.00"))

    order = order_change_accept(change=change, actor=tom.parent)

    assert order.rate == D("15.00")
    assert balances(tom.allocation) == {"available": D("800.00"), "committed": 0, "provider_payable": D("200.00")}
