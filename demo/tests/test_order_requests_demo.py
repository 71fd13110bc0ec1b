"""The demo shows part D of #13: Gemma's order for Tom beyond her delegated authority waits in the
manager's queue, and Marcus's broker organisation has declared an interest the council can see."""

import pytest

from accounts.models import User
from marketplace.models import InterestDeclaration, OrderRequest, OrderRequestStatus
from marketplace.order_request_selectors import interests_for_council, order_requests_for_manager

pytestmark = pytest.mark.django_db


def test_an_order_beyond_authority_waits_for_the_coventry_manager(demo_built):
    gemma = User.objects.get(email="lead.professional@coventry.demo")
    request = OrderRequest.objects.get(requested_by=gemma)

    assert request.status == OrderRequestStatus.WAITING and request.person.first_name == "Tom"
    assert request in order_requests_for_manager(council=request.person.council, status=OrderRequestStatus.WAITING)


def test_marcuss_organisation_has_declared_an_interest_the_council_sees(demo_built):
    declaration = InterestDeclaration.objects.get(declared_by__email="broker@coventry.demo")

    assert declaration in interests_for_council(declaration.broker_organisation.council)
