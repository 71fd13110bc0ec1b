"""Where "Order this support" appears on other apps' pages: on a line of an approved plan for those who can
act for the budget, and on an offer's page and result card for people whose roles can order."""

import pytest
from django.template import RequestContext, Template
from django.urls import reverse

from accounts.permissions import memberships_for
from brokerage.models import AccessGrant
from marketplace.tests.order_factories import broker_for, family, provider
from marketplace.tests.test_order_views import approved_line

pytestmark = pytest.mark.django_db


def html_for(client, user, url: str) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_line_of_an_approved_plan_links_to_ordering_it_for_those_who_can_act(client):
    tom, tutor = family(), provider()
    line = approved_line(tom, tutor.offer)
    plan_url = reverse("brokerage:plan", args=[line.plan.public_id])
    order_url = reverse("marketplace:order-from-line", args=[line.public_id])
    reader = broker_for(tom, scope=AccessGrant.Scope.READ)

    assert order_url in html_for(client, tom.parent, plan_url)
    assert order_url not in html_for(client, reader, plan_url)


def test_the_order_link_of_an_offer_is_shown_to_families_but_not_to_providers(rf):
    tom, tutor = family(), provider()
    order_url = reverse("marketplace:order-from-offer", args=[tutor.offer.public_id])
    link = Template(
        '{% include "marketplace/orders/includes/order_link.html" with offer_public_id=offer_id offer_name="Tuition" %}'
    )

    def shown_to(user) -> bool:  # type: ignore[no-untyped-def]
        request = rf.get("/")
        request.user, request.memberships, request.session = user, memberships_for(user), {}
        return order_url in link.render(RequestContext(request, {"offer_id": tutor.offer.public_id}))

    assert shown_to(tom.parent)
    assert not shown_to(tutor.staff)
