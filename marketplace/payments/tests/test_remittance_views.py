"""Remittances: providers and personal assistants see the payments made to them, and which invoices each
paid; another payee's payment answers 404, and other roles are refused the pages."""

import pytest
from django.urls import reverse

from marketplace.payments.models import Payment, PaymentStatus, RunStatus
from marketplace.payments.tests.run_screen_data import approved_invoice, finance, run_with_payment
from marketplace.tests.order_factories import personal_assistant

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():  # type: ignore[no-untyped-def]
    return finance()


@pytest.fixture
def paid(people):  # type: ignore[no-untyped-def]
    """Sunrise Tutors' £40 payment for invoice ST-101, sent in run PR-2026-0001."""
    run = run_with_payment(
        people, status=RunStatus.SENT, payment_status=PaymentStatus.SENT, invoice=approved_invoice(people)
    )
    return run.payments.get()


def test_the_provider_sees_its_payment_and_the_invoices_it_paid(client, people, paid):
    client.force_login(people.sunrise.staff)

    listing = client.get(reverse("payments:remittances"))
    detail = client.get(reverse("payments:remittance", args=[paid.public_id]))

    assert "PR-2026-0001-1" in listing.text
    assert "ST-101" in listing.text
    assert "£40.00" in listing.text
    assert "Remittance advice from Coventry City Council" in detail.text
    assert "Invoice ST-101" in detail.text
    assert "**-**-56 ****6819" in detail.text


def test_another_provider_sees_none_of_it_and_gets_404_for_the_payment(access, client, people, paid):
    client.force_login(people.moonlight.staff)

    listing = client.get(reverse("payments:remittances"))

    assert "PR-2026-0001-1" not in listing.text
    assert "No payments to you yet" in listing.text
    access.not_found(people.moonlight.staff, reverse("payments:remittance", args=[paid.public_id]))


def test_a_payment_still_waiting_to_be_sent_is_not_a_remittance(access, people):
    run = run_with_payment(people)

    access.not_found(people.sunrise.staff, reverse("payments:remittance", args=[run.payments.get().public_id]))


def test_a_personal_assistant_sees_their_own_payments_only(access, client, people, paid):
    profile, _offer = personal_assistant(people.council)
    Payment.objects.create(
        run=paid.run,
        personal_assistant=profile,
        method=paid.method,
        payee_name=profile.user.get_full_name(),
        amount="25.00",
        remittance_reference="PR-2026-0001-2",
        status=PaymentStatus.PAID,
    )
    client.force_login(profile.user)

    listing = client.get(reverse("payments:remittances"))

    assert "PR-2026-0001-2" in listing.text
    assert "PR-2026-0001-1" not in listing.text
    access.not_found(profile.user, reverse("payments:remittance", args=[paid.public_id]))


def test_other_roles_are_refused_and_visitors_asked_to_sign_in(access, people, paid):
    for url in (reverse("payments:remittances"), reverse("payments:remittance", args=[paid.public_id])):
        access.forbidden(people.ann, url)
        access.forbidden(people.tom.parent, url)
        access.sign_in_required(url)
