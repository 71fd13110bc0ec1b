"""Quick purchase in two steps, the escalation on its confirmation page, the manager's queue and request
page (with CSV), and the declared-interests page: who may use each (404 for another's, 403 for roles)."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory
from marketplace.models import InterestDeclaration, Order, OrderRequest, OrderRequestStatus
from marketplace.tests.order_factories import broker_for, family, member, provider
from marketplace.tests.order_request_factories import authority, beyond_authority_request, manager

pytestmark = pytest.mark.django_db


def _buy_url(tom, seller) -> str:  # type: ignore[no-untyped-def]
    return reverse("marketplace:quick-purchase", args=[tom.person.public_id, seller.offer.public_id])


def _terms(tom, *, units: str, step: str, **more) -> dict:  # type: ignore[no-untyped-def]
    return {
        "step": step,
        "description": "Maths tuition",
        "units": units,
        "unit": "hour",
        "frequency": "weekly",
        "rate": "20.00",
        "vat_status": "not_registered",
        "schedule": "Tuesdays, 5 to 6pm",
        "starts_on": "6/4/2026",
        "ends_on": "30/10/2026",
        "funding": f"allocation-{tom.allocation.public_id}",
        **more,
    }


def test_the_only_money_that_fits_is_chosen_for_you(client):
    tom, tutor = family(), provider()
    client.force_login(tom.lead_professional)

    response = client.get(_buy_url(tom, tutor))

    assert response.context["form"].fields["funding"].initial == f"allocation-{tom.allocation.public_id}"


def test_a_purchase_within_authority_is_checked_then_placed(client):
    tom, tutor = family(), provider()
    authority(tom, "500.00")
    client.force_login(tom.lead_professional)

    checked = client.post(_buy_url(tom, tutor), _terms(tom, units="10", step="check"))
    assert checked.status_code == 200 and b"Check the order" in checked.content
    assert Order.objects.count() == 0

    placed = client.post(_buy_url(tom, tutor), _terms(tom, units="10", step="place"))

    order = Order.objects.get()
    assert placed.url == reverse("marketplace:order", args=[order.public_id])
    assert order.frequency == "weekly" and order.placed_by == tom.lead_professional


def test_a_purchase_beyond_authority_offers_to_ask_a_manager(client):
    tom, tutor = family(), provider()
    authority(tom, "500.00")
    sanjay = manager(tom)
    client.force_login(tom.lead_professional)

    refused = client.post(_buy_url(tom, tutor), _terms(tom, units="40", step="place"))
    assert b"Ask a manager to approve" in refused.content and b"delegated authority" in refused.content

    no_reason = client.post(_buy_url(tom, tutor), _terms(tom, units="40", step="escalate", reason=""))
    assert no_reason.context["reason_form"].errors
    assert b"<title>Error:" in no_reason.content

    asked = client.post(_buy_url(tom, tutor), _terms(tom, units="40", step="escalate", reason="Exams in May"))

    request = OrderRequest.objects.get()
    assert asked.url == reverse("marketplace:order-request", args=[request.public_id])
    assert request.kind == "beyond_authority" and "delegated authority" in request.refusal
    assert Order.objects.count() == 0
    assert Notification.objects.filter(recipient=sanjay, link__contains=str(request.public_id)).exists()


def test_a_person_the_user_cannot_act_for_answers_404(access):
    tom, tutor = family(), provider()
    access.not_found(member(Role.LEAD_PROFESSIONAL, tom.council), _buy_url(tom, tutor))
    access.forbidden(tutor.staff, _buy_url(tom, tutor))


def test_the_manager_approves_from_the_request_page(client):
    tom, tutor = family(), provider()
    sanjay = manager(tom)
    request = beyond_authority_request(tom, tutor)
    client.force_login(sanjay)

    page = client.get(reverse("marketplace:order-request", args=[request.public_id]))
    assert b"Approve and place the order" in page.content

    response = client.post(reverse("marketplace:order-request-approve", args=[request.public_id]), {"reason": ""})

    order = Order.objects.get()
    assert response.url == reverse("marketplace:order", args=[order.public_id])
    request.refresh_from_db()
    assert request.status == OrderRequestStatus.APPROVED


def test_the_manager_declines_with_a_reason(client):
    tom, tutor = family(), provider()
    sanjay = manager(tom)
    request = beyond_authority_request(tom, tutor)
    client.force_login(sanjay)
    url = reverse("marketplace:order-request-decline", args=[request.public_id])

    blank = client.post(url, {"reason": ""})
    assert blank.status_code == 200 and b"Say why" in blank.content

    client.post(url, {"reason": "Too many hours"})
    request.refresh_from_db()
    assert request.status == OrderRequestStatus.DECLINED


def test_the_requester_withdraws(client):
    tom, tutor = family(), provider()
    request = beyond_authority_request(tom, tutor)
    client.force_login(tom.lead_professional)

    client.post(reverse("marketplace:order-request-withdraw", args=[request.public_id]))

    request.refresh_from_db()
    assert request.status == OrderRequestStatus.WITHDRAWN


def test_the_queue_and_its_csv_list_the_councils_requests(client):
    tom, tutor = family(), provider()
    sanjay = manager(tom)
    beyond_authority_request(tom, tutor)
    client.force_login(sanjay)

    page = client.get(reverse("marketplace:order-requests"))
    export = client.get(reverse("marketplace:order-requests-export") + "?status=all")

    assert len(page.context["requests"]) == 1
    assert "Maths tuition" in export.content.decode() and "800.00" in export.content.decode()


def test_who_may_see_a_request(access):
    tom, tutor = family(), provider()
    request = beyond_authority_request(tom, tutor)
    url = reverse("marketplace:order-request", args=[request.public_id])
    elsewhere = manager(family(council=CouncilFactory(name="Warwickshire County Council")))

    access.ok(manager(tom), url)
    access.ok(tom.lead_professional, url)
    access.ok(tom.parent, url)
    access.not_found(elsewhere, url)
    access.not_found(member(Role.LEAD_PROFESSIONAL, tom.council), url)
    access.forbidden(tutor.staff, url)
    access.not_found(elsewhere, reverse("marketplace:order-request-approve", args=[request.public_id]), "post")
    access.forbidden(tom.lead_professional, reverse("marketplace:order-requests"))
    access.forbidden(
        tom.lead_professional, reverse("marketplace:order-request-approve", args=[request.public_id]), "post"
    )
    access.sign_in_required(url)


def test_a_broker_declares_and_the_council_sees_the_interest(client, access):
    tom, tutor = family(), provider()
    broker = broker_for(tom, limit="5000.00")
    client.force_login(broker)

    client.post(
        reverse("marketplace:interests"),
        {"provider": f"org-{tutor.organisation.public_id}", "nature": "Our director is a trustee"},
    )

    declaration = InterestDeclaration.objects.get()
    commissioner = member(Role.COMMISSIONER, tom.council)
    client.force_login(commissioner)
    assert client.get(reverse("marketplace:interests")).context["interests"].get() == declaration
    assert "Our director is a trustee" in client.get(reverse("marketplace:interests-export")).content.decode()
    access.forbidden(commissioner, reverse("marketplace:interests"), "post")
    access.forbidden(tom.parent, reverse("marketplace:interests"))
    access.not_found(broker_for(tom), reverse("marketplace:interest-withdraw", args=[declaration.public_id]), "post")


def test_a_declared_interest_turns_quick_purchase_into_a_request_for_sign_off(client):
    tom, tutor = family(), provider()
    broker = broker_for(tom, limit="5000.00")
    client.force_login(broker)
    client.post(
        reverse("marketplace:interests"),
        {"provider": f"org-{tutor.organisation.public_id}", "nature": "Our director is a trustee"},
    )

    shown = client.post(_buy_url(tom, tutor), _terms(tom, units="10", step="place"))
    assert b"Our director is a trustee" in shown.content
    client.post(_buy_url(tom, tutor), _terms(tom, units="10", step="escalate", reason="Only tutor nearby"))

    request = OrderRequest.objects.get()
    assert request.kind == "interest_sign_off" and request.interest.nature == "Our director is a trustee"
    assert Order.objects.count() == 0
