"""The complaint pages: who may open which (another family's complaint 404, another provider's 404, a wrong
role 403), the forms with their error summaries, the council's filters and CSV, and the figures page.

Tom's mother Alice holds consent; Sunrise Tutors (staff: Pat) provides his tuition; Queenie is Coventry's
quality-assurance officer and Cora its commissioner. Carl is another family's parent.
"""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import CouncilFactory
from marketplace.models import Complaint, ComplaintOutcome, ComplaintStatus
from marketplace.services import complaints as services
from marketplace.tests.complaint_factories import complaint_made
from marketplace.tests.order_factories import Family, Provider, family, fund, member, place, provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def tom() -> Family:
    return family(available="0")


@pytest.fixture
def seller() -> Provider:
    return provider()


@pytest.fixture
def queenie(tom: Family):  # type: ignore[no-untyped-def]
    return member(Role.QA_OFFICER, tom.council, first_name="Queenie")


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


# --- Who may open which page ---------------------------------------------------------------------------


def test_another_family_gets_404_for_a_complaint(tom, seller, access):
    complaint = complaint_made(tom, seller)
    carl = member(Role.FAMILY_MEMBER, tom.council, first_name="Carl")

    access.ok(tom.parent, reverse("marketplace:complaint", args=[complaint.public_id]))
    access.not_found(carl, reverse("marketplace:complaint", args=[complaint.public_id]))
    access.not_found(carl, reverse("marketplace:complaint-accept", args=[complaint.public_id]), method="post")


def test_another_provider_gets_404_for_a_complaint(tom, seller, access):
    complaint = complaint_made(tom, seller)
    other = provider("Other Tutors")
    url = reverse("marketplace:complaint-received", args=[complaint.public_id])

    access.ok(seller.staff, url)
    access.not_found(other.staff, url)
    access.not_found(other.staff, url, method="post")


def test_another_councils_officer_gets_404_for_a_complaint(tom, seller, queenie, access):
    complaint = complaint_made(tom, seller)
    elsewhere = member(Role.QA_OFFICER, CouncilFactory(name="Warwickshire County Council"))
    url = reverse("marketplace:complaint-council", args=[complaint.public_id])

    access.ok(queenie, url)
    access.not_found(elsewhere, url)


def test_wrong_roles_get_403(tom, seller, queenie, access):
    complaint = complaint_made(tom, seller)

    access.forbidden(seller.staff, reverse("marketplace:complaint", args=[complaint.public_id]))
    access.forbidden(seller.staff, reverse("marketplace:complaint-start") + f"?offer={seller.offer.public_id}")
    access.forbidden(tom.parent, reverse("marketplace:complaint-received", args=[complaint.public_id]))
    access.forbidden(tom.parent, reverse("marketplace:complaint-council", args=[complaint.public_id]))
    access.forbidden(tom.parent, reverse("marketplace:complaints-council-export"))
    access.forbidden(seller.staff, reverse("marketplace:complaint-figures"))
    access.forbidden(tom.lead_professional, reverse("marketplace:complaints"))


def test_the_familys_answers_refuse_another_family_and_other_roles(tom, seller, access):
    complaint = services.complaint_respond(
        complaint=complaint_made(tom, seller), responder=seller.staff, response="No."
    )
    carl = member(Role.FAMILY_MEMBER, tom.council, first_name="Carl")

    for name in ("complaint-accept", "complaint-escalate"):
        url = reverse(f"marketplace:{name}", args=[complaint.public_id])
        access.not_found(carl, url, method="post")
        access.forbidden(seller.staff, url, method="post")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESPONDED


def test_each_sides_list_is_refused_to_the_other_roles(tom, seller, queenie, access):
    access.forbidden(tom.parent, reverse("marketplace:complaints-received"))
    access.forbidden(seller.staff, reverse("marketplace:complaints"))
    access.forbidden(seller.staff, reverse("marketplace:complaints-council"))
    access.forbidden(tom.parent, reverse("marketplace:complaint-figures-export"))
    access.ok(queenie, reverse("marketplace:complaint-figures-export"))


def test_a_complaint_about_an_organisation_that_is_not_a_provider_answers_404(tom, access):
    url = reverse("marketplace:complaint-start") + f"?organisation={tom.council.public_id}"

    access.not_found(tom.parent, url)


def test_visitors_are_asked_to_sign_in(tom, seller, access):
    complaint = complaint_made(tom, seller)

    access.sign_in_required(reverse("marketplace:complaint", args=[complaint.public_id]))
    access.sign_in_required(reverse("marketplace:complaint-start") + f"?offer={seller.offer.public_id}")


# --- Making a complaint --------------------------------------------------------------------------------


def test_the_form_points_to_report_a_concern_for_safeguarding(tom, seller):
    response = signed_in(tom.parent).get(reverse("marketplace:complaint-start") + f"?offer={seller.offer.public_id}")

    assert reverse("providers:concern-report") in response.content.decode()
    assert "at risk of harm" in response.content.decode()


def test_a_family_makes_a_complaint_from_the_offer(tom, seller):
    url = reverse("marketplace:complaint-start") + f"?offer={seller.offer.public_id}"

    response = signed_in(tom.parent).post(url, {"what_happened": "Late again", "what_they_want": "An apology"})

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("marketplace:complaint", args=[complaint.public_id])
    assert complaint.offer == seller.offer and complaint.person == tom.person


def test_an_empty_complaint_shows_the_error_summary(tom, seller):
    url = reverse("marketplace:complaint-start") + f"?offer={seller.offer.public_id}"

    response = signed_in(tom.parent).post(url, {})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page and "govuk-error-summary" in page and "Say what happened" in page
    assert not Complaint.objects.exists()


def test_a_family_chooses_the_service_from_the_providers_page(tom, seller):
    url = reverse("marketplace:complaint-start") + f"?organisation={seller.organisation.public_id}"

    signed_in(tom.parent).post(url, {"offer": "whole", "what_happened": "Rude", "what_they_want": "Apology"})

    complaint = Complaint.objects.get()
    assert complaint.offer is None and complaint.provider_organisation == seller.organisation


def test_a_complaint_about_an_order_is_linked_to_it(tom, seller):
    fund(tom.allocation, Decimal("500.00"))
    order = place(tom, seller)
    client = signed_in(tom.parent)
    assert (
        "Make a complaint about this order"
        in client.get(reverse("marketplace:order", args=[order.public_id])).content.decode()
    )

    client.post(
        reverse("marketplace:complaint-start") + f"?order={order.public_id}",
        {"what_happened": "Missed", "what_they_want": "Refund"},
    )

    assert Complaint.objects.get().order == order


def test_another_familys_order_answers_404(tom, seller, access):
    fund(tom.allocation, Decimal("500.00"))
    order = place(tom, seller)
    carl = member(Role.FAMILY_MEMBER, tom.council, first_name="Carl")

    access.not_found(carl, reverse("marketplace:complaint-start") + f"?order={order.public_id}")


# --- Responding, accepting, escalating, deciding -------------------------------------------------------


def test_the_provider_responds_and_the_family_accepts(tom, seller):
    complaint = complaint_made(tom, seller)
    signed_in(seller.staff).post(
        reverse("marketplace:complaint-received", args=[complaint.public_id]), {"response": "Sorry, fixed."}
    )

    signed_in(tom.parent).post(reverse("marketplace:complaint-accept", args=[complaint.public_id]))

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESOLVED
    assert complaint.provider_response == "Sorry, fixed."


def test_escalating_without_a_reason_shows_the_error_on_the_complaint_page(tom, seller):
    complaint = services.complaint_respond(
        complaint=complaint_made(tom, seller), responder=seller.staff, response="No."
    )

    response = signed_in(tom.parent).post(
        reverse("marketplace:complaint-escalate", args=[complaint.public_id]), {"reason": ""}
    )

    assert response.status_code == 200 and "<title>Error: " in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESPONDED


def test_the_council_decides_through_the_form(tom, seller, queenie):
    complaint = services.complaint_respond(
        complaint=complaint_made(tom, seller), responder=seller.staff, response="No."
    )
    services.complaint_escalate(complaint=complaint, actor=tom.parent, reason="Not enough")

    signed_in(queenie).post(
        reverse("marketplace:complaint-council", args=[complaint.public_id]),
        {"outcome": ComplaintOutcome.UPHELD, "decision": "The provider must refund two sessions."},
    )

    complaint.refresh_from_db()
    assert (complaint.status, complaint.outcome) == (ComplaintStatus.CLOSED, ComplaintOutcome.UPHELD)


def test_the_providers_list_says_when_a_complaint_went_to_the_council_unanswered(tom, seller):
    complaint_made(tom, seller, now=datetime.datetime(2020, 1, 6, 10, 0, tzinfo=datetime.UTC))
    services.complaints_escalate_overdue()

    page = signed_in(seller.staff).get(reverse("marketplace:complaints-received")).content.decode()

    assert "Not responded by" in page and "Responded on" not in page


# --- The council's list and the figures ----------------------------------------------------------------


def test_the_council_list_filters_and_downloads_as_csv(tom, seller, queenie):
    complaint_made(tom, seller)
    other = provider("Other Tutors")
    complaint_made(tom, other)
    client = signed_in(queenie)

    page = client.get(reverse("marketplace:complaints-council"), {"provider": "Other"}).content.decode()
    csv = client.get(reverse("marketplace:complaints-council-export"), {"provider": "Other"}).content.decode()

    assert "Other Tutors" in page and "Sunrise Tutors tuition" not in page
    assert csv.count("\n") == 2 and "Other Tutors" in csv


def test_the_figures_page_shows_a_chart_and_a_table_of_the_same_figures(tom, seller):
    complaint_made(tom, seller)
    cora = member(Role.COMMISSIONER, tom.council, first_name="Cora")
    client = signed_in(cora)

    page = client.get(reverse("marketplace:complaint-figures")).content.decode()
    csv = client.get(reverse("marketplace:complaint-figures-export")).content.decode()

    assert "<svg" in page and '<th scope="row" class="govuk-table__header">Sunrise Tutors</th>' in page
    assert "Sunrise Tutors,1,1,0,0,0,0," in csv
