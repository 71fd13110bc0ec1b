"""A council administrator registers, changes, lists and exports their council's organisations."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Organisation
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, MembershipFactory, OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def coventry():
    return CouncilFactory(name="Coventry City Council")


@pytest.fixture
def alice(coventry):
    return user_with_role(Role.COUNCIL_ADMIN, coventry, first_name="Alice", last_name="Admin")


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_organisation_is_registered_with_the_administrators_council(signed_in, alice, coventry):
    response = signed_in.post(
        reverse("accounts:manage-organisation-create"),
        {"name": "Acme Care", "kind": OrganisationKind.PROVIDER, "email": "hello@acme.example", "phone": ""},
    )

    acme = Organisation.objects.get(name="Acme Care")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:manage-organisation", args=[acme.public_id])
    assert (acme.council, acme.kind, acme.email, acme.is_active) == (coventry, "provider", "hello@acme.example", True)
    event = AuditEvent.objects.get(action="organisation.created")
    assert (event.council, event.actor, event.target_id) == (coventry, alice, str(acme.public_id))
    assert event.summary == "Registered Acme Care (provider organisation)"


def test_registering_a_council_is_refused_and_creates_nothing(signed_in):
    response = signed_in.post(
        reverse("accounts:manage-organisation-create"), {"name": "Rival Council", "kind": OrganisationKind.COUNCIL}
    )

    assert response.status_code == 200
    assert "<title>Error: Register an organisation" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not Organisation.objects.filter(name="Rival Council").exists()


def test_organisation_without_a_name_redisplays_the_form_with_an_error(signed_in):
    response = signed_in.post(reverse("accounts:manage-organisation-create"), {"name": "", "kind": "broker"})

    page = response.content.decode()
    assert "<title>Error: " in page
    assert "Enter the name of the organisation" in page
    assert Organisation.objects.count() == 1  # only Coventry


def test_two_organisations_with_the_same_name_get_different_slugs(signed_in, coventry):
    for _ in range(2):
        signed_in.post(reverse("accounts:manage-organisation-create"), {"name": "Hope House", "kind": "provider"})

    slugs = sorted(Organisation.objects.filter(name="Hope House").values_list("slug", flat=True))
    assert slugs == ["hope-house", "hope-house-2"]


def test_changing_an_organisation_records_what_changed_and_why(signed_in, alice, coventry):
    acme = OrganisationFactory(name="Acme Care", council=coventry, phone="024 7600 0000")

    response = signed_in.post(
        reverse("accounts:manage-organisation-edit", args=[acme.public_id]),
        {"name": "Acme Care Ltd", "email": "", "phone": "024 7600 0000", "is_active": "on", "reason": "New legal name"},
    )

    acme.refresh_from_db()
    assert response.status_code == 302
    assert acme.name == "Acme Care Ltd"
    event = AuditEvent.objects.get(action="organisation.updated")
    assert (event.council, event.actor, event.reason) == (coventry, alice, "New legal name")
    assert event.summary == "Changed the name of Acme Care Ltd"
    assert event.data == {"changes": {"name": ["Acme Care", "Acme Care Ltd"]}}


def test_saving_an_organisation_unchanged_writes_no_history(signed_in, coventry):
    acme = OrganisationFactory(name="Acme Care", council=coventry)

    signed_in.post(
        reverse("accounts:manage-organisation-edit", args=[acme.public_id]),
        {"name": "Acme Care", "email": acme.email, "phone": acme.phone, "is_active": "on"},
    )

    assert not AuditEvent.objects.filter(action="organisation.updated").exists()


def test_closing_an_organisation_is_recorded(signed_in, coventry):
    acme = OrganisationFactory(name="Acme Care", council=coventry)

    signed_in.post(
        reverse("accounts:manage-organisation-edit", args=[acme.public_id]),
        {"name": "Acme Care", "email": "", "phone": "", "reason": "Stopped trading"},
    )

    acme.refresh_from_db()
    assert not acme.is_active
    assert AuditEvent.objects.get(action="organisation.updated").summary == "Closed Acme Care"


def test_the_council_itself_cannot_be_closed(signed_in, coventry):
    page = signed_in.get(reverse("accounts:manage-organisation-edit", args=[coventry.public_id])).content.decode()

    signed_in.post(
        reverse("accounts:manage-organisation-edit", args=[coventry.public_id]),
        {"name": "Coventry City Council", "email": "", "phone": "024 7683 3333"},
    )

    coventry.refresh_from_db()
    assert 'name="is_active"' not in page
    assert coventry.is_active
    assert coventry.phone == "024 7683 3333"


def test_organisation_page_shows_its_people_and_history(signed_in, coventry):
    acme = OrganisationFactory(name="Acme Care", council=coventry)
    MembershipFactory(organisation=acme, role=Role.PROVIDER_STAFF, user__email="dave@acme.example")
    signed_in.post(
        reverse("accounts:manage-organisation-edit", args=[acme.public_id]),
        {"name": "Acme Care", "email": "hello@acme.example", "phone": "", "is_active": "on", "reason": "Asked by Dave"},
    )

    page = signed_in.get(reverse("accounts:manage-organisation", args=[acme.public_id])).content.decode()

    assert "dave@acme.example" in page
    assert "Provider staff" in page
    assert "Changed the email address of Acme Care" in page
    assert "Asked by Dave" in page


def test_organisation_page_history_leaves_out_other_councils_entries(signed_in, coventry):
    acme = OrganisationFactory(name="Acme Care", council=coventry)
    AuditEvent.objects.create(
        council=CouncilFactory(name="Warwickshire County Council"),
        action="organisation.updated",
        target_type="accounts.organisation",
        target_id=str(acme.public_id),
        summary="Something only Warwickshire should see",
    )

    page = signed_in.get(reverse("accounts:manage-organisation", args=[acme.public_id])).content.decode()

    assert "Something only Warwickshire should see" not in page


def test_organisation_list_filters_by_kind_and_name_and_counts_active_members(signed_in, coventry):
    acme = OrganisationFactory(name="Acme Care", council=coventry, kind=OrganisationKind.PROVIDER)
    OrganisationFactory(name="Acme Brokers", council=coventry, kind=OrganisationKind.BROKER)
    OrganisationFactory(name="Bright Futures", council=coventry, kind=OrganisationKind.PROVIDER)
    MembershipFactory.create_batch(2, organisation=acme, role=Role.PROVIDER_STAFF)
    MembershipFactory(organisation=acme, role=Role.PROVIDER_STAFF, is_active=False)

    response = signed_in.get(reverse("accounts:manage-organisations"), {"kind": "provider", "q": "acme"})

    assert [o.name for o in response.context["page_obj"]] == ["Acme Care"]
    assert response.context["page_obj"][0].member_count == 2


def test_organisation_list_is_paginated_and_keeps_the_filter_in_page_links(signed_in, coventry):
    OrganisationFactory.create_batch(30, council=coventry, kind=OrganisationKind.PROVIDER)

    first = signed_in.get(reverse("accounts:manage-organisations"), {"kind": "provider"})
    second = signed_in.get(reverse("accounts:manage-organisations"), {"kind": "provider", "page": 2})

    assert len(first.context["page_obj"]) == 25
    assert len(second.context["page_obj"]) == 5
    assert "?kind=provider&amp;page=2" in first.content.decode()


def test_organisations_csv_contains_the_filtered_list_of_this_council_only(signed_in, coventry):
    acme = OrganisationFactory(name="Acme Care", council=coventry, email="hello@acme.example")
    MembershipFactory(organisation=acme, role=Role.PROVIDER_STAFF)
    OrganisationFactory(name="Acme Brokers", council=coventry, kind=OrganisationKind.BROKER)
    OrganisationFactory(name="Acme Elsewhere", council=CouncilFactory(name="Warwickshire County Council"))

    rows = read_csv(signed_in.get(reverse("accounts:manage-organisations-csv"), {"q": "acme", "kind": "provider"}))

    assert rows[0] == ["Name", "Kind", "Status", "Active members", "Email", "Phone", "Registered on"]
    assert [row[:5] for row in rows[1:]] == [["Acme Care", "Provider organisation", "Open", "1", "hello@acme.example"]]


def test_organisations_csv_neutralises_spreadsheet_formulas(signed_in, coventry):
    OrganisationFactory(name="=HYPERLINK(evil)", slug="evil", council=coventry)

    rows = read_csv(signed_in.get(reverse("accounts:manage-organisations-csv"), {"kind": "provider"}))

    assert rows[1][0] == "'=HYPERLINK(evil)"
