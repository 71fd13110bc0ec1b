"""Safer-recruitment declarations, regulator registrations, insurance and references: what providers send
through their pages, and what officers decide."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from accounts.roles import OrganisationKind
from providers.models import (
    InsurancePolicy,
    Reference,
    Regulator,
    RegulatorRating,
    RegulatorRegistration,
    SaferRecruitmentDeclaration,
    Verification,
)
from providers.services.qa import declaration_decide, declaration_submit, registration_record
from providers.tests import qa_factories as qa

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 3)


@pytest.fixture(autouse=True)
def frozen(time_machine, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    time_machine.move_to(datetime.datetime(2026, 3, 3, 12, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def coventry():  # type: ignore[no-untyped-def]
    return qa.council("Coventry City Council")


@pytest.fixture
def alice(coventry):  # type: ignore[no-untyped-def]
    return qa.qa_officer(coventry)


@pytest.fixture
def acme():  # type: ignore[no-untyped-def]
    return qa.provider()


# --- Declarations -----------------------------------------------------------------------------------


def test_a_provider_sends_a_declaration_with_its_evidence_through_the_form(client, acme):
    profile, staff = acme
    client.force_login(staff)

    response = client.post(
        reverse("providers:qa-my-declaration-new"), {"staff_count": "7", "evidence": qa.pdf("policy.pdf")}
    )

    assert response.status_code == 302
    declaration = SaferRecruitmentDeclaration.objects.get(organisation=profile.organisation)
    assert declaration.staff_count == 7 and declaration.evidence.original_name == "policy.pdf"
    assert declaration.verification == Verification.SUBMITTED


def test_evidence_that_is_not_a_pdf_is_refused(client, acme):
    client.force_login(acme[1])
    fake = SimpleUploadedFile("policy.pdf", b"MZ this is not a PDF", content_type="application/pdf")

    response = client.post(reverse("providers:qa-my-declaration-new"), {"staff_count": "7", "evidence": fake})

    assert response.status_code == 200 and "<title>Error: " in response.content.decode()
    assert not SaferRecruitmentDeclaration.objects.exists()


def test_a_broker_organisation_must_accept_the_code_of_conduct(client):
    broker_profile, broker = qa.provider(kind=OrganisationKind.BROKER)
    client.force_login(broker)
    url = reverse("providers:qa-my-declaration-new")

    refused = client.post(url, {"staff_count": "2", "evidence": qa.pdf()})
    accepted = client.post(url, {"staff_count": "2", "evidence": qa.pdf(), "code_of_conduct_accepted": "on"})

    assert "Accept the brokers&#x27; code of conduct" in refused.content.decode()
    assert accepted.status_code == 302
    assert SaferRecruitmentDeclaration.objects.get().code_of_conduct_accepted


def test_accepting_a_declaration_makes_the_organisation_assured_for_the_recheck_period(alice, coventry, acme):
    profile, staff = acme
    declaration = declaration_submit(actor=staff, organisation=profile.organisation, staff_count=3, evidence=qa.pdf())

    declaration_decide(declaration=declaration, officer=alice, council=coventry, accept=True, reason="")

    declaration.refresh_from_db()
    profile.refresh_from_db()
    assert declaration.current_until == datetime.date(2029, 3, 3)
    assert (profile.checks_current_until, profile.assured_by_council, profile.assured_on) == (
        datetime.date(2029, 3, 3),
        coventry,
        TODAY,
    )
    assert "accepted" in Notification.objects.get(recipient=staff).subject


def test_refusing_a_declaration_needs_a_reason_the_provider_is_told(client, alice, coventry, acme):
    profile, staff = acme
    declaration = declaration_submit(actor=staff, organisation=profile.organisation, staff_count=3, evidence=qa.pdf())
    client.force_login(alice)
    url = reverse("providers:qa-declaration", args=[declaration.public_id])

    without_reason = client.post(url, {"decision": "refuse", "reason": ""})
    with_reason = client.post(url, {"decision": "refuse", "reason": "The evidence is for another organisation"})

    assert "<title>Error: " in without_reason.content.decode()
    assert with_reason.status_code == 302
    declaration.refresh_from_db()
    assert declaration.verification == Verification.REFUSED
    assert "another organisation" in Notification.objects.get(recipient=staff).body
    profile.refresh_from_db()
    assert profile.checks_current_until is None


def test_a_broker_declaration_without_the_code_of_conduct_cannot_be_accepted(alice, coventry):
    broker_profile, broker = qa.provider(kind=OrganisationKind.BROKER)
    declaration = SaferRecruitmentDeclaration.objects.create(
        organisation=broker_profile.organisation, declared_by=broker, staff_count=1
    )

    with pytest.raises(Exception, match="code of conduct"):
        declaration_decide(declaration=declaration, officer=alice, council=coventry, accept=True, reason="")


def test_the_officer_can_download_the_evidence(client, alice, acme):
    profile, staff = acme
    declaration = declaration_submit(actor=staff, organisation=profile.organisation, staff_count=3, evidence=qa.pdf())
    client.force_login(alice)

    response = client.get(reverse("providers:qa-evidence", args=[declaration.evidence.public_id]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Disposition"].startswith("attachment")


# --- Registrations ----------------------------------------------------------------------------------


def test_an_officer_records_a_registration_and_recording_it_again_brings_it_up_to_date(client, alice, coventry, acme):
    organisation = acme[0].organisation
    client.force_login(alice)
    url = reverse("providers:qa-registration-add", args=[organisation.public_id])

    client.post(url, {"regulator": "ofsted", "registration_id": "ey123456", "rating": "good"})
    client.post(
        url,
        {"regulator": "ofsted", "registration_id": "EY123456", "rating": "outstanding", "inspection_date": "12/5/2025"},
    )

    registration = RegulatorRegistration.objects.get()
    assert (registration.registration_id, registration.rating) == ("EY123456", RegulatorRating.OUTSTANDING)
    assert registration.inspection_date == datetime.date(2025, 5, 12)
    assert (registration.recorded_by_council, registration.recorded_by) == (coventry, alice)
    assert AuditEvent.objects.filter(action="qa.registration_recorded").count() == 2


def test_a_registration_number_belongs_to_one_organisation(alice, coventry, acme):
    other, _staff = qa.provider()
    details = {"regulator": Regulator.CQC, "registration_id": "1-123456789", "rating": RegulatorRating.GOOD}
    registration_record(
        officer=alice, council=coventry, organisation=acme[0].organisation, inspection_date=None, **details
    )

    with pytest.raises(ValidationError):
        registration_record(
            officer=alice, council=coventry, organisation=other.organisation, inspection_date=None, **details
        )


# --- Insurance --------------------------------------------------------------------------------------


def test_a_pa_sends_insurance_and_an_officer_verifies_it(client, alice):
    sam = qa.personal_assistant()
    client.force_login(sam.user)
    client.post(
        reverse("providers:qa-my-insurance-new"),
        {
            "kind": "public_liability",
            "insurer": "Acme Mutual",
            "cover_amount": "5000000",
            "expires_on": "31/3/2027",
            "certificate": qa.pdf("certificate.pdf"),
        },
    )
    policy = InsurancePolicy.objects.get(pa_profile=sam)
    client.force_login(alice)

    response = client.post(reverse("providers:qa-insurance", args=[policy.public_id]), {"decision": "accept"})

    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.verification == Verification.VERIFIED and policy.expires_on == datetime.date(2027, 3, 31)
    assert "accepted" in Notification.objects.get(recipient=sam.user).subject


def test_insurance_that_has_already_ended_is_refused(client):
    sam = qa.personal_assistant()
    client.force_login(sam.user)

    response = client.post(
        reverse("providers:qa-my-insurance-new"),
        {
            "kind": "public_liability",
            "insurer": "Acme Mutual",
            "cover_amount": "5000000",
            "expires_on": "1/3/2026",
            "certificate": qa.pdf(),
        },
    )

    assert "The policy must not have expired" in response.content.decode()
    assert not InsurancePolicy.objects.exists()


# --- References -------------------------------------------------------------------------------------


def test_a_pa_adds_a_referee_and_an_officer_records_the_outcome_only(client, alice, coventry):
    sam = qa.personal_assistant()
    client.force_login(sam.user)
    client.post(
        reverse("providers:qa-my-reference-new"),
        {"referee_name": "Jo Bloggs", "relationship": "Family I worked for", "referee_email": "Jo@Example.org"},
    )
    reference = Reference.objects.get(pa_profile=sam)
    client.force_login(alice)

    client.post(reverse("providers:qa-reference", args=[reference.public_id]), {"satisfactory": "no"})

    reference.refresh_from_db()
    assert reference.referee_email == "jo@example.org"
    assert (reference.verification, reference.verified_by_council) == (Verification.REFUSED, coventry)
    assert "not satisfactory" in Notification.objects.get(recipient=sam.user).body
