"""Who may use the quality pages: officer pages are for QA officers only (others 403); listings are shared
between councils, but a council's policy and its log of revealed numbers are its own (others 404); a
provider, PA or broker sees only its own checks (others 404)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import OrganisationFactory, user_with_role
from providers.models import DBSCheck, InsuranceKind, Upload
from providers.services.qa import (
    dbs_check_verify,
    dbs_number_reveal,
    declaration_submit,
    insurance_submit,
    reference_add,
)
from providers.services.uploads import upload_store
from providers.tests import qa_factories as qa

pytestmark = pytest.mark.django_db


@pytest.fixture
def coventry():  # type: ignore[no-untyped-def]
    return qa.council("Coventry City Council")


@pytest.fixture
def gloucestershire():  # type: ignore[no-untyped-def]
    return qa.council("Gloucestershire County Council")


@pytest.fixture
def alice(coventry):  # type: ignore[no-untyped-def]
    """Coventry's QA officer."""
    return qa.qa_officer(coventry)


@pytest.fixture
def sam(gloucestershire):  # type: ignore[no-untyped-def]
    """A PA registered with Gloucestershire: Coventry's officers may still check them."""
    return qa.personal_assistant(of_council=gloucestershire)


@pytest.fixture
def records(sam, alice, coventry):  # type: ignore[no-untyped-def]
    """One of everything an officer works on."""
    acme, staff = qa.provider()
    check = qa.dbs_check(pa_profile=sam, update_service=True)
    on_update_service = dbs_check_verify(
        check=qa.dbs_check(pa_profile=sam, update_service=True),
        officer=alice,
        council=coventry,
        original_seen_on=datetime.date.today(),
    )
    declaration = declaration_submit(actor=staff, organisation=acme.organisation, staff_count=3, evidence=qa.pdf())
    policy = insurance_submit(
        actor=staff,
        organisation=acme.organisation,
        kind=InsuranceKind.PUBLIC_LIABILITY,
        insurer="Acme Mutual",
        cover_amount=Decimal("5000000"),
        expires_on=datetime.date.today() + datetime.timedelta(days=300),
        certificate=qa.pdf("insurance.pdf"),
    )
    reference = reference_add(
        actor=sam.user, pa_profile=sam, referee_name="Jo Bloggs", relationship="Employer", referee_email="jo@x.org"
    )
    return {
        "acme": acme,
        "staff": staff,
        "check": check,
        "status_checkable": on_update_service,
        "declaration": declaration,
        "policy": policy,
        "reference": reference,
    }


def _officer_urls(records, sam, coventry) -> list[str]:  # type: ignore[no-untyped-def]
    check, acme = records["check"], records["acme"]
    return [
        reverse("providers:qa-queue"),
        reverse("providers:qa-policy-own"),
        reverse("providers:qa-policy", args=[coventry.slug]),
        reverse("providers:qa-reveals", args=[coventry.slug]),
        reverse("providers:qa-profile", args=[sam.public_id]),
        reverse("providers:qa-dbs", args=[check.public_id]),
        reverse("providers:qa-dbs-status-check", args=[records["status_checkable"].public_id]),
        reverse("providers:qa-declaration", args=[records["declaration"].public_id]),
        reverse("providers:qa-insurance", args=[records["policy"].public_id]),
        reverse("providers:qa-reference", args=[records["reference"].public_id]),
        reverse("providers:qa-organisation", args=[acme.organisation.public_id]),
        reverse("providers:qa-registration-add", args=[acme.organisation.public_id]),
        reverse("providers:qa-personal-assistant", args=[sam.public_id]),
        reverse("providers:qa-evidence", args=[records["declaration"].evidence.public_id]),
    ]


def test_officer_pages_are_for_qa_officers_only(access, records, alice, sam, coventry):
    urls = _officer_urls(records, sam, coventry)
    commissioner = user_with_role(Role.COMMISSIONER, coventry)

    for url in urls:
        access.sign_in_required(url)
        access.forbidden(commissioner, url)
        access.forbidden(sam.user, url)
        access.forbidden(records["staff"], url)
    for url in urls:
        assert access.status(alice, url) in {200, 302}, url


def test_any_councils_officer_can_check_a_listing_registered_elsewhere(access, records, alice, sam):
    # Sam registered with Gloucestershire; Alice is Coventry's officer.
    access.ok(alice, reverse("providers:qa-personal-assistant", args=[sam.public_id]))
    access.ok(alice, reverse("providers:qa-dbs", args=[records["check"].public_id]))


def test_another_councils_policy_and_reveal_log_answer_404(access, alice, gloucestershire):
    qa.qa_officer(gloucestershire)

    access.not_found(alice, reverse("providers:qa-policy", args=[gloucestershire.slug]))
    access.not_found(alice, reverse("providers:qa-policy", args=[gloucestershire.slug]), method="post")
    access.not_found(alice, reverse("providers:qa-reveals", args=[gloucestershire.slug]))
    access.not_found(alice, reverse("providers:qa-policy", args=["no-such-council"]))


def test_an_officer_changes_only_their_own_councils_policy(client, alice, coventry):
    client.force_login(alice)

    response = client.post(
        reverse("providers:qa-policy", args=[coventry.slug]),
        {"dbs_recheck_months": "24", "update_service_check_months": "12"},
    )

    assert response.status_code == 302
    assert coventry.qa_policy.dbs_recheck_months == 24


def test_the_reveal_log_shows_only_the_councils_own_reveals(client, records, alice, coventry, gloucestershire):
    bob = qa.qa_officer(gloucestershire, first_name="Bob", last_name="Gloucester")
    check = records["status_checkable"]
    dbs_number_reveal(check=check, officer=bob, council=gloucestershire)
    client.force_login(alice)

    page = client.get(reverse("providers:qa-reveals", args=[coventry.slug])).content.decode()

    assert "Bob Gloucester" not in page
    assert "No full certificate number has been shown" in page


def test_unknown_or_unassurable_records_answer_404(access, alice, coventry):
    nhs = OrganisationFactory(kind=OrganisationKind.NHS, council=coventry)
    missing = "00000000-0000-0000-0000-000000000000"

    for name in ("qa-profile", "qa-offer", "qa-dbs", "qa-declaration", "qa-insurance", "qa-reference"):
        access.not_found(alice, reverse(f"providers:{name}", args=[missing]))
    access.not_found(alice, reverse("providers:qa-organisation", args=[coventry.public_id]))
    access.not_found(alice, reverse("providers:qa-organisation", args=[nhs.public_id]))


def test_a_check_not_on_the_update_service_has_no_status_check_page(access, records, alice):
    access.not_found(alice, reverse("providers:qa-dbs-status-check", args=[records["check"].public_id]))


def test_only_evidence_is_served_to_officers(access, records, alice):
    other = upload_store(
        actor=records["staff"],
        purpose=Upload.Purpose.DOCUMENT,
        file=qa.pdf("price-list.pdf"),
        owner_organisation=records["acme"].organisation,
    )

    access.not_found(alice, reverse("providers:qa-evidence", args=[other.public_id]))


# --- Providers' own checks --------------------------------------------------------------------------


def test_a_provider_sees_only_its_own_checks(access, records, sam, gloucestershire):
    other_pa = qa.personal_assistant(of_council=gloucestershire)
    own = reverse("providers:qa-my-check", args=[records["check"].public_id])

    access.ok(sam.user, own)
    access.not_found(other_pa.user, own)
    access.not_found(records["staff"], own)


def test_provider_pages_are_for_providers_personal_assistants_and_brokers(access, records, sam, coventry):
    broker = user_with_role(Role.BROKER)
    family = user_with_role(Role.FAMILY_MEMBER, coventry)
    pa_without_profile = user_with_role(Role.PERSONAL_ASSISTANT, coventry)
    pages = [
        reverse("providers:qa-my-checks"),
        reverse("providers:qa-my-dbs-new"),
        reverse("providers:qa-my-insurance-new"),
    ]

    for url in pages:
        access.sign_in_required(url)
        access.ok(sam.user, url)
        access.ok(records["staff"], url)
        access.ok(broker, url)
        access.forbidden(family, url)
        access.forbidden(pa_without_profile, url)


def test_declarations_are_for_organisations_and_references_for_personal_assistants(access, records, sam):
    access.forbidden(sam.user, reverse("providers:qa-my-declaration-new"))
    access.ok(records["staff"], reverse("providers:qa-my-declaration-new"))
    access.ok(sam.user, reverse("providers:qa-my-reference-new"))
    access.forbidden(records["staff"], reverse("providers:qa-my-reference-new"))


def test_a_broker_sends_a_brokers_check_which_is_held_on_the_broker_organisation(client):
    broker_profile, broker = qa.provider(kind=OrganisationKind.BROKER)
    client.force_login(broker)

    response = client.post(
        reverse("providers:qa-my-dbs-new"),
        {
            "person_name": "Bea Broker",
            "level": "enhanced_children",
            "certificate_number": "123412341234",
            "issue_date": "1/2/2025",
            "update_service": "no",
        },
    )

    assert response.status_code == 302
    check = DBSCheck.objects.get()
    assert (check.organisation, check.pa_profile, check.person_name) == (
        broker_profile.organisation,
        None,
        "Bea Broker",
    )
