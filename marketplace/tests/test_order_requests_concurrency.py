"""On PostgreSQL, two managers approving the same request at the same moment place one order."""

import threading

import pytest
from django.db import connection

from brokerage.exceptions import BrokerageError
from marketplace.models import Order, OrderRequest, OrderRequestStatus
from marketplace.services.order_requests import order_request_approve
from marketplace.tests.order_factories import family, provider
from marketplace.tests.order_request_factories import beyond_authority_request, manager

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_approvals_at_once_place_exactly_one_order():
    tom, tutor = family(), provider()
    managers = [manager(tom), manager(tom)]
    request = beyond_authority_request(tom, tutor)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(actor) -> None:  # type: ignore[no-untyped-def]
        try:
            start.wait()
            order_request_approve(request=OrderRequest.objects.get(pk=request.pk), actor=actor)
            outcomes.append("placed")
        except BrokerageError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(actor,)) for actor in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["placed", "refused"]
    assert Order.objects.filter(person=tom.person).count() == 1
    request.refresh_from_db()
    assert request.status == OrderRequestStatus.APPROVED and request.order is not None
