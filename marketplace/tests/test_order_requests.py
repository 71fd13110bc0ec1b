"""Orders beyond a lead professional's delegated authority: the refusal a manager may lift, the request,
and the manager's approval (one order, placed once), decline and the requester's withdrawal."""

from decimal import Decimal

import pytest

from accounts.models import AuditEvent, Notification
from accounts.tests.factories import CouncilFactory
from brokerage.exceptions import BrokerageError, NotAllowed
from marketplace.models import Order, OrderRequestStatus
from marketplace.services.order_requests import (
    order_request_approve,
    order_request_create,
    order_request_decline,
    order_request_withdraw,
)
from marketplace.services.orders import BeyondAuthority, order_place
from marketplace.tests.order_factories import balances, broker_for, family, place, provider
from marketplace.tests.order_request_factories import authority, beyond_authority_request, manager, terms

pytestmark = pytest.mark.django_db


def test_an_order_within_the_lead_professionals_authority_is_placed():
    tom, tutor = family(), provider()
    authority(tom, "500.00")

    order = place(tom, tutor, actor=tom.lead_professional, units="25", rate="20.00")  # £500: exactly the limit

    assert order.status == "placed"


def test_an_order_beyond_the_authority_is_refused_as_beyond_authority():
    tom, tutor = family(), provider()
    authority(tom, "500.00")
    place(tom, tutor, actor=tom.lead_professional, units="20", rate="20.00")  # £400 used

    with pytest.raises(BeyondAuthority, match="£600.00, above your delegated authority of £500.00"):
        place(tom, tutor, actor=tom.lead_professional, units="10", rate="20.00")
    assert Order.objects.count() == 1


def test_a_grant_limit_is_not_a_refusal_a_manager_may_lift():
    tom, tutor = family(), provider()
    broker = broker_for(tom, limit="100.00")

    with pytest.raises(NotAllowed) as refused:
        place(tom, tutor, actor=broker, units="10", rate="20.00")
    assert not isinstance(refused.value, BeyondAuthority)


def test_a_request_tells_the_councils_budget_holding_managers():
    tom, tutor = family(), provider()
    sanjay = manager(tom)

    request = beyond_authority_request(tom, tutor)

    assert request.value == Decimal("800.00")
    assert request.status == OrderRequestStatus.WAITING
    notice = Notification.objects.get(recipient=sanjay)
    assert "£800.00" in notice.body and str(request.public_id) in notice.link
    assert AuditEvent.objects.filter(action="order_request.created").count() == 1


def test_approving_places_one_order_with_the_managers_authority_and_tells_requester_and_family():
    tom, tutor = family(), provider()
    authority(tom, "500.00")
    sanjay = manager(tom)
    request = beyond_authority_request(tom, tutor)

    order = order_request_approve(request=request, actor=sanjay, reason="Exams")

    request.refresh_from_db()
    assert request.status == OrderRequestStatus.APPROVED and request.order == order and request.decided_by == sanjay
    assert order.placed_by == sanjay and order.units == Decimal("40")
    assert balances(tom.allocation)["committed"] == Decimal("800.00")
    assert Notification.objects.filter(recipient=tom.lead_professional, subject__startswith="Order approved").exists()
    assert Notification.objects.filter(recipient=tom.parent, subject__startswith="New order for").exists()
    placed = AuditEvent.objects.get(action="order.placed")
    assert placed.data["approved_request"] == str(request.public_id)


def test_a_request_is_approved_once_only():
    tom, tutor = family(), provider()
    sanjay = manager(tom)
    request = beyond_authority_request(tom, tutor)
    order_request_approve(request=request, actor=sanjay)

    with pytest.raises(BrokerageError, match="already approved"):
        order_request_approve(request=request, actor=sanjay)
    assert Order.objects.count() == 1


def test_order_place_refuses_an_approval_already_spent_or_not_the_managers_own():
    tom, tutor = family(), provider()
    sanjay, other = manager(tom), manager(tom)
    request = beyond_authority_request(tom, tutor)
    order_request_approve(request=request, actor=sanjay)
    request.refresh_from_db()

    with pytest.raises(NotAllowed, match="already placed"):
        order_place(actor=sanjay, approved_request=request, **terms(tom, tutor))
    with pytest.raises(NotAllowed):
        order_place(actor=other, approved_request=request, **terms(tom, tutor))
    assert Order.objects.count() == 1


def test_only_a_manager_of_the_persons_council_may_approve():
    tom, tutor = family(), provider()
    elsewhere = manager(family(council=CouncilFactory(name="Warwickshire County Council")))
    request = beyond_authority_request(tom, tutor)

    with pytest.raises(NotAllowed):
        order_request_approve(request=request, actor=elsewhere)
    with pytest.raises(NotAllowed):
        order_request_approve(request=request, actor=tom.lead_professional)
    request.refresh_from_db()
    assert request.status == OrderRequestStatus.WAITING and Order.objects.count() == 0


def test_declining_needs_a_reason_and_tells_the_requester():
    tom, tutor = family(), provider()
    sanjay = manager(tom)
    request = beyond_authority_request(tom, tutor)

    with pytest.raises(BrokerageError, match="Say why"):
        order_request_decline(request=request, actor=sanjay, reason=" ")
    order_request_decline(request=request, actor=sanjay, reason="Use the block contract")

    request.refresh_from_db()
    assert request.status == OrderRequestStatus.DECLINED and request.decision_reason == "Use the block contract"
    assert Notification.objects.filter(recipient=tom.lead_professional, body__contains="block contract").exists()
    assert Order.objects.count() == 0


def test_a_withdrawn_request_cannot_be_approved():
    tom, tutor = family(), provider()
    sanjay = manager(tom)
    request = beyond_authority_request(tom, tutor)

    with pytest.raises(NotAllowed):
        order_request_withdraw(request=request, actor=sanjay)
    order_request_withdraw(request=request, actor=tom.lead_professional)

    with pytest.raises(BrokerageError, match="already withdrawn"):
        order_request_approve(request=request, actor=sanjay)
    assert Order.objects.count() == 0


def test_someone_who_cannot_act_for_the_budget_cannot_ask():
    tom, tutor = family(), provider()
    stranger = manager(family(council=CouncilFactory(name="Warwickshire County Council")))

    with pytest.raises(NotAllowed):
        order_request_create(actor=stranger, kind="beyond_authority", reason="x", **terms(tom, tutor))
