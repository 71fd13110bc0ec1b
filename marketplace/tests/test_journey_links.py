"""Links between the journeys: "Buy for a child" on an offer's page, a declared interest on the order page,
"Ask a manager to sign off" on the ordinary order form, the PA adverts from the family's workspace, and the
next dated sessions on "my support"."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from brokerage.models import AccessGrant, PlanLineSlot, PlanStatus
from brokerage.tests.factories import PersonSupportedFactory
from marketplace.models import Order, OrderRequest
from marketplace.tests.family_factories import line_for, plan_for
from marketplace.tests.order_factories import accepted, broker_for, family, member, provider
from marketplace.tests.order_request_factories import authority
from providers.models import ProfileStatus
from providers.tests.factories import ProviderProfileFactory, published_offer

pytestmark = pytest.mark.django_db


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


def offer_page(client, user, offer) -> str:  # type: ignore[no-untyped-def]
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("providers:public-offer", args=[offer.public_id]))
    assert response.status_code == 200
    return response.content.decode()


# --- Buy for a child ------------------------------------------------------------------------------------


def listed():  # type: ignore[no-untyped-def]
    """A published offer of a published provider, which the directory's offer page shows."""
    profile = ProviderProfileFactory(status=ProfileStatus.PUBLISHED)
    return published_offer(organisation=profile.organisation, name="Saturday club")


def test_a_lead_professional_with_one_child_goes_straight_to_quick_purchase(client):
    tom, offer = family(), listed()
    quick = reverse("marketplace:quick-purchase", args=[tom.person.public_id, offer.public_id])

    text = offer_page(client, tom.lead_professional, offer)

    assert "Buy for a child" in text and quick in text


def test_a_lead_professional_with_several_children_chooses_the_child_first(client, access):
    tom, offer = family(), listed()
    other = PersonSupportedFactory(council=tom.council, lead_professional=tom.lead_professional, first_name="Amy")
    AccessGrant.objects.create(person=other, grantee=tom.lead_professional, scope=AccessGrant.Scope.ACT)
    chooser = reverse("marketplace:buy-for-child", args=[offer.public_id])

    assert chooser in offer_page(client, tom.lead_professional, offer)
    page = client.get(chooser).content.decode()

    for child in (tom.person, other):
        assert reverse("marketplace:quick-purchase", args=[child.public_id, offer.public_id]) in page
    access.forbidden(tom.parent, chooser)
    access.sign_in_required(chooser)


def test_nobody_else_is_offered_buy_for_a_child(client):
    tom, offer = family(), listed()
    lonely_lead = member(Role.LEAD_PROFESSIONAL, tom.council)
    broker = broker_for(tom, limit="500.00")
    manager = member(Role.BUDGET_HOLDING_MANAGER, tom.council)

    for user in (None, tom.parent, broker, manager, lonely_lead):
        client.logout()
        assert "Buy for a child" not in offer_page(client, user, offer)


def test_a_lead_professional_whose_consent_was_withdrawn_is_not_offered_the_child(client):
    tom, offer = family(), listed()
    AccessGrant.objects.filter(grantee=tom.lead_professional).update(revoked_at=datetime.datetime.now(datetime.UTC))

    assert "Buy for a child" not in offer_page(client, tom.lead_professional, offer)


# --- Declared interests on orders -----------------------------------------------------------------------


def _declare(client, broker, tutor) -> None:  # type: ignore[no-untyped-def]
    client.force_login(broker)
    client.post(
        reverse("marketplace:interests"),
        {"provider": f"org-{tutor.organisation.public_id}", "nature": "Our director is a trustee"},
    )


def test_the_order_form_asks_a_manager_to_sign_off_an_order_with_a_declared_interest(client):
    tom, tutor = family(), provider()
    broker = broker_for(tom, limit="5000.00")
    _declare(client, broker, tutor)
    url = reverse("marketplace:order-from-offer", args=[tutor.offer.public_id])

    shown = client.post(url, order_post(tom))
    text = shown.content.decode()
    assert shown.status_code == 200 and "Ask a manager to sign off" in text and "Our director is a trustee" in text
    assert Order.objects.count() == 0

    missing = client.post(url, order_post(tom, step="escalate"))
    assert "Error: " in missing.content.decode() and "Say why this support is needed" in missing.content.decode()

    sent = client.post(url, order_post(tom, step="escalate", reason="The only tutor nearby"))

    request = OrderRequest.objects.get()
    assert sent.url == reverse("marketplace:order-request", args=[request.public_id])
    assert request.kind == "interest_sign_off" and request.interest.nature == "Our director is a trustee"
    assert request.schedule == "Tuesdays, 5 to 6pm" and Order.objects.count() == 0


def test_the_order_form_asks_a_manager_to_approve_an_order_beyond_delegated_authority(client):
    tom, tutor = family(), provider()
    authority(tom, "100.00")
    client.force_login(tom.lead_professional)
    url = reverse("marketplace:order-from-offer", args=[tutor.offer.public_id])

    assert "Ask a manager to sign off" in client.post(url, order_post(tom)).content.decode()
    client.post(url, order_post(tom, step="escalate", reason="Exams in May"))

    assert OrderRequest.objects.get().kind == "beyond_authority"


def test_the_family_and_the_broker_see_the_declared_interest_on_the_order_page_and_the_provider_does_not(client):
    tom, tutor = family(), provider()
    broker = broker_for(tom, limit="5000.00")
    _declare(client, broker, tutor)
    order = accepted(tom, tutor)
    Order.objects.filter(pk=order.pk).update(placed_by=broker)
    url = reverse("marketplace:order", args=[order.public_id])

    for user in (tom.parent, broker):
        client.force_login(user)
        assert "Our director is a trustee" in client.get(url).content.decode()
    client.force_login(tutor.staff)
    assert "Our director is a trustee" not in client.get(url).content.decode()


# --- The family's workspace -----------------------------------------------------------------------------


def test_every_workspace_page_links_to_finding_a_personal_assistant(client):
    tom = family()
    client.force_login(tom.parent)

    for name in ("my-person", "my-plan", "my-support", "my-budget", "my-help"):
        text = client.get(reverse(f"marketplace:{name}", args=[tom.person.public_id])).content.decode()
        assert reverse("marketplace:pa-adverts") in text and "paid from a direct payment" in text


@time_machine.travel(datetime.datetime(2026, 11, 25, 16, 0, tzinfo=datetime.UTC), tick=False)
def test_my_support_shows_the_next_dated_sessions_of_an_order_from_a_line_with_weekly_times(client):
    tom, tutor = family(), provider()
    plan = plan_for(tom, status=PlanStatus.ACTIVE)
    line = line_for(plan, description="Maths tuition")
    PlanLineSlot.objects.create(line=line, weekday=1, starts_at=datetime.time(17), ends_at=datetime.time(18))
    timed = accepted(tom, tutor)
    Order.objects.filter(pk=timed.pk).update(
        plan_line=line, starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2027, 3, 31)
    )
    client.force_login(tom.parent)

    text = client.get(reverse("marketplace:my-support", args=[tom.person.public_id])).content.decode()

    assert "Next sessions" in text
    assert "Tuesday 1 December, 5pm to 6pm" in text and "Tuesday 29 December, 5pm to 6pm" in text
    assert "Tuesday 5 January" not in text


def test_my_support_keeps_the_schedule_text_for_an_order_without_weekly_times(client):
    tom, tutor = family(), provider()
    accepted(tom, tutor, schedule="Tuesdays, 5 to 6pm")
    client.force_login(tom.parent)

    text = client.get(reverse("marketplace:my-support", args=[tom.person.public_id])).content.decode()

    assert "Tuesdays, 5 to 6pm" in text and "Next sessions" not in text
