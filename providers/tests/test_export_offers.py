"""CSV exports: a provider's own offers, a council's directory and its list; each scoped to its owner,
and never with a personal assistant's home postcode."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory, UserFactory, user_with_role
from providers.services.offers import offer_edit
from providers.tests.directory_csv import csv_rows
from providers.tests.factories import (
    PersonalAssistantProfileFactory,
    ProviderProfileFactory,
    offer_content,
    published_offer,
)

pytestmark = pytest.mark.django_db

OFFERS_CSV = reverse("providers:bulk-offers-export")
DIRECTORY_CSV = reverse("providers:bulk-council-export")
LIST_CSV = reverse("providers:bulk-council-list-csv")
DIRECTORY_PAGE = reverse("providers:bulk-council")
HOME_POSTCODE = "CV3 5AB"


def download(user, url: str) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, f"{user} should be able to download {url}, got {response.status_code}"
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return response.content.decode("utf-8")


@pytest.fixture
def coventry():
    return CouncilFactory(name="Coventry City Council", ons_code="E08000026")


@pytest.fixture
def gloucestershire():
    return CouncilFactory(name="Gloucestershire County Council", ons_code="E10000013")


def provider_in(council, name: str):  # type: ignore[no-untyped-def]
    return ProviderProfileFactory(organisation=OrganisationFactory(name=name, council=council)).organisation


@pytest.fixture
def assistant(coventry):
    user = UserFactory()
    Membership.objects.create(user=user, organisation=coventry, role=Role.PERSONAL_ASSISTANT)
    return PersonalAssistantProfileFactory(
        user=user, council=coventry, display_name="Chloe D.", home_postcode=HOME_POSTCODE, areas=["CV3"]
    )


# --- A provider's own offers -----------------------------------------------------------------------------------


def test_a_provider_downloads_its_own_offers_and_no_one_elses(coventry):
    godiva = provider_in(coventry, "Godiva Tuition")
    published_offer(
        organisation=godiva, name="Maths tuition", cost_options=[{"amount": Decimal("32.00"), "unit": "hour"}]
    )
    published_offer(organisation=provider_in(coventry, "Earlsdon Cars"), name="School runs")
    alice = user_with_role(Role.PROVIDER_STAFF, organisation=godiva)

    rows = csv_rows(download(alice, OFFERS_CSV))

    assert [row["name"] for row in rows] == ["Maths tuition"]
    assert (rows[0]["status"], rows[0]["cost_1_amount"], rows[0]["cost_1_unit"]) == ("published", "32.00", "hour")
    assert rows[0]["schedule"] == "SA 10:00-15:00"
    assert "provider_name" not in rows[0]


def test_an_offer_with_a_change_in_progress_is_exported_as_the_change(coventry):
    godiva = provider_in(coventry, "Godiva Tuition")
    offer = published_offer(organisation=godiva)
    alice = user_with_role(Role.PROVIDER_STAFF, organisation=godiva)
    offer_edit(offer=offer, actor=alice, content=offer_content(name="Saturday club, new times"))

    rows = csv_rows(download(alice, OFFERS_CSV))

    assert rows[0]["name"] == "Saturday club, new times"


def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_quoted(coventry):
    godiva = provider_in(coventry, "Godiva Tuition")
    published_offer(organisation=godiva, description='=HYPERLINK("http://evil.example")')
    alice = user_with_role(Role.PROVIDER_STAFF, organisation=godiva)

    rows = csv_rows(download(alice, OFFERS_CSV))

    assert rows[0]["description"].startswith("'=")


def test_a_personal_assistants_export_never_has_their_home_postcode(assistant):
    published_offer(personal_assistant=assistant, name="Support at home")

    text = download(assistant.user, OFFERS_CSV)

    assert "Support at home" in text
    assert HOME_POSTCODE not in text and HOME_POSTCODE.replace(" ", "") not in text


def test_only_providers_and_personal_assistants_download_their_offers(access):
    access.sign_in_required(OFFERS_CSV)
    access.forbidden(user_with_role(Role.FAMILY_MEMBER), OFFERS_CSV)
    access.forbidden(user_with_role(Role.COUNCIL_ADMIN), OFFERS_CSV)


# --- A council's directory --------------------------------------------------------------------------------------


def test_a_councils_directory_has_its_providers_their_profiles_and_offers_and_no_other_councils(
    coventry, gloucestershire
):
    godiva = provider_in(coventry, "Godiva Tuition")
    published_offer(organisation=godiva, name="Maths tuition")
    provider_in(coventry, "Provider Without Offers")
    published_offer(organisation=provider_in(gloucestershire, "Severn Vale Tutors"), name="Severn tuition")
    margaret = user_with_role(Role.COUNCIL_ADMIN, organisation=coventry)

    rows = csv_rows(download(margaret, DIRECTORY_CSV))

    assert sorted((row["provider_name"], row["name"]) for row in rows) == [
        ("Godiva Tuition", "Maths tuition"),
        ("Provider Without Offers", ""),
    ]
    assert rows[0]["provider_id"] == str(godiva.public_id)
    assert rows[0]["provider_description"] == "We run clubs and short breaks for disabled children."


def test_another_councils_administrator_sees_and_exports_only_their_own_directory(coventry, gloucestershire):
    published_offer(organisation=provider_in(coventry, "Godiva Tuition"), name="Maths tuition")
    james = user_with_role(Role.COUNCIL_ADMIN, organisation=gloucestershire)

    for url in (DIRECTORY_CSV, LIST_CSV):
        assert "Godiva Tuition" not in download(james, url)
    client = Client()
    client.force_login(james)
    assert "Godiva Tuition" not in client.get(DIRECTORY_PAGE).content.decode()


def test_the_directory_list_names_providers_and_assistants_but_never_a_home_postcode(coventry, assistant):
    published_offer(organisation=provider_in(coventry, "Godiva Tuition"))
    margaret = user_with_role(Role.COUNCIL_ADMIN, organisation=coventry)

    text = download(margaret, LIST_CSV)

    rows = csv_rows(text)
    assert {(row["Name"], row["Kind"]) for row in rows} == {
        ("Godiva Tuition", "Provider organisation"),
        ("Chloe D.", "Personal assistant"),
    }
    assert next(row for row in rows if row["Name"] == "Chloe D.")["Areas"] == "CV3"
    assert HOME_POSTCODE not in text and HOME_POSTCODE.replace(" ", "") not in text


def test_the_directory_page_lists_personal_assistants_without_their_home_postcode(coventry, assistant):
    margaret = user_with_role(Role.COUNCIL_ADMIN, organisation=coventry)
    client = Client()
    client.force_login(margaret)

    html = client.get(DIRECTORY_PAGE, {"show": "assistants"}).content.decode()

    assert "Chloe D." in html
    assert HOME_POSTCODE not in html


@pytest.mark.parametrize("url", [DIRECTORY_CSV, LIST_CSV, DIRECTORY_PAGE])
@pytest.mark.parametrize("role", [Role.PROVIDER_STAFF, Role.QA_OFFICER, Role.COMMISSIONER, Role.FAMILY_MEMBER])
def test_only_council_administrators_use_the_councils_directory(url, role, access):
    access.forbidden(user_with_role(role), url)


@pytest.mark.parametrize("url", [DIRECTORY_CSV, LIST_CSV, DIRECTORY_PAGE])
def test_signing_in_is_needed_for_the_councils_directory(url, access):
    access.sign_in_required(url)
