"""Brokers' declared interests: an order with a provider the broker's own organisation is tied to is
refused when the tie is undeclared, goes to a manager to sign off when declared, and is placed once the
declaration is withdrawn and no tie shows."""

import pytest

from accounts.models import Membership, Notification
from accounts.roles import Role
from accounts.tests.factories import MembershipFactory, UserFactory
from brokerage.exceptions import BrokerageError, NotAllowed
from marketplace.models import Order, OrderRequestKind, OrderRequestStatus
from marketplace.services.interests import (
    InterestNotDeclared,
    InterestSignOffNeeded,
    interest_declare,
    interest_withdraw,
)
from marketplace.services.order_requests import order_request_approve, order_request_create
from marketplace.tests.order_factories import broker_for, family, personal_assistant, place, provider
from marketplace.tests.order_request_factories import manager, terms

pytestmark = pytest.mark.django_db


def _broker_organisation(broker):  # type: ignore[no-untyped-def]
    return Membership.objects.get(user=broker, role=Role.BROKER).organisation


def _share_a_member(broker, seller) -> None:  # type: ignore[no-untyped-def]
    director = UserFactory()
    MembershipFactory(user=director, organisation=_broker_organisation(broker), role=Role.BROKER)
    MembershipFactory(user=director, organisation=seller.organisation, role=Role.PROVIDER_STAFF)


def _declare(broker, seller):  # type: ignore[no-untyped-def]
    return interest_declare(
        actor=broker,
        broker_organisation=_broker_organisation(broker),
        provider_organisation=seller.organisation,
        nature="Our director chairs the provider's board",
    )


def test_a_broker_with_no_tie_to_the_provider_places_the_order():
    tom, tutor = family(), provider()
    broker = broker_for(tom, limit="5000.00")

    assert place(tom, tutor, actor=broker).status == "placed"


def test_an_undeclared_tie_through_a_shared_member_is_refused_until_declared():
    tom, tutor = family(), provider()
    broker = broker_for(tom, limit="5000.00")
    _share_a_member(broker, tutor)

    with pytest.raises(InterestNotDeclared, match="declare your organisation's interest first"):
        place(tom, tutor, actor=broker)
    assert Order.objects.count() == 0


def test_a_personal_assistant_in_the_brokers_organisation_is_a_tie():
    tom = family()
    broker = broker_for(tom, limit="5000.00")
    profile, offer = personal_assistant(tom.council)
    MembershipFactory(user=profile.user, organisation=_broker_organisation(broker), role=Role.BROKER)

    with pytest.raises(InterestNotDeclared):
        place(tom, None, actor=broker, offer=offer, pa_employment="self_employed")


def test_a_declared_interest_sends_the_order_to_a_manager_instead():
    tom, tutor = family(), provider()
    broker = broker_for(tom, limit="5000.00")
    declaration = _declare(broker, tutor)

    with pytest.raises(InterestSignOffNeeded) as refused:
        place(tom, tutor, actor=broker)
    assert refused.value.declaration == declaration
    assert Order.objects.count() == 0


def test_the_family_places_orders_with_any_provider():
    tom, tutor = family(), provider()
    broker = broker_for(tom, limit="5000.00")
    _declare(broker, tutor)

    assert place(tom, tutor).status == "placed"


def test_a_withdrawn_declaration_no_longer_needs_sign_off():
    tom, tutor = family(), provider()
    broker = broker_for(tom, limit="5000.00")
    declaration = _declare(broker, tutor)

    interest_withdraw(actor=broker, declaration=declaration)

    declaration.refresh_from_db()
    assert declaration.withdrawn_at is not None
    assert place(tom, tutor, actor=broker).status == "placed"
    with pytest.raises(BrokerageError, match="already been withdrawn"):
        interest_withdraw(actor=broker, declaration=declaration)


def test_the_same_interest_is_not_declared_twice():
    tom, tutor = family(), provider()
    broker = broker_for(tom, limit="5000.00")
    _declare(broker, tutor)

    with pytest.raises(BrokerageError, match="already declared"):
        _declare(broker, tutor)


def test_only_a_broker_of_the_organisation_declares_or_withdraws():
    tom, tutor = family(), provider()
    broker = broker_for(tom, limit="5000.00")
    other_broker = broker_for(tom)

    with pytest.raises(NotAllowed):
        interest_declare(
            actor=other_broker,
            broker_organisation=_broker_organisation(broker),
            provider_organisation=tutor.organisation,
            nature="x",
        )
    declaration = _declare(broker, tutor)
    with pytest.raises(NotAllowed):
        interest_withdraw(actor=other_broker, declaration=declaration)


def test_a_manager_signs_off_a_declared_interest_and_the_family_is_told_of_it():
    tom, tutor = family(), provider()
    broker = broker_for(tom, limit="5000.00")
    sanjay = manager(tom)
    declaration = _declare(broker, tutor)
    request = order_request_create(
        actor=broker,
        kind=OrderRequestKind.INTEREST_SIGN_OFF,
        reason="The only tutor with a place",
        interest=declaration,
        **terms(tom, tutor, units="10"),
    )

    order = order_request_approve(request=request, actor=sanjay)

    request.refresh_from_db()
    assert request.status == OrderRequestStatus.APPROVED and request.order == order
    notice = Notification.objects.get(recipient=tom.parent, subject__startswith="New order for")
    assert "chairs the provider's board" in notice.body
