"""Registering as a provider organisation or a personal assistant: one transaction each, a clear
error summary for every mistake, and nothing created when anything is wrong."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditEvent, Membership, Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, UserFactory
from providers.models import PersonalAssistantProfile, ProfileStatus, ProviderProfile
from providers.services.registration import (
    EMAIL_TAKEN,
    charity_number_check,
    company_number_check,
    personal_assistant_register,
    provider_organisation_register,
)
from providers.tests.factories import PostcodeFactory

pytestmark = pytest.mark.django_db

ORGANISATION_URL = "/providers/register/organisation/"
PA_URL = "/providers/register/personal-assistant/"
GOOD_PASSWORD = "violet-kettle-harbour"


@pytest.fixture
def coventry():
    PostcodeFactory(postcode="CV3")
    return CouncilFactory(name="Coventry City Council", ons_code="E08000026")


def organisation_data(council, /, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "first_name": "Alice",
        "last_name": "Okafor",
        "email": "alice@brightsteps.example",
        "password": GOOD_PASSWORD,
        "legal_name": "Bright Steps CIO",
        "trading_name": "Bright Steps",
        "council": str(council.pk),
        "charity_number": "1123456",
        "company_number": "",
    }
    data.update(overrides)
    return data


def pa_data(council, /, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "first_name": "Sam",
        "last_name": "Kaur",
        "email": "sam.kaur@example.org",
        "password": GOOD_PASSWORD,
        "council": str(council.pk),
        "home_postcode": "cv3 5ab",
        "display_name": "",
    }
    data.update(overrides)
    return data


def _nothing_created(users_before: int) -> None:
    assert User.objects.count() == users_before
    assert not Organisation.objects.filter(kind=OrganisationKind.PROVIDER).exists()
    assert not ProviderProfile.objects.exists()
    assert not PersonalAssistantProfile.objects.exists()


def test_choosing_what_to_register_leads_to_the_right_form(client):
    assert client.post("/providers/register/", {"kind": "organisation"})["Location"] == ORGANISATION_URL
    assert client.post("/providers/register/", {"kind": "personal_assistant"})["Location"] == PA_URL


def test_not_choosing_what_to_register_is_explained(client):
    response = client.post("/providers/register/", {})

    assert response.status_code == 200
    assert "Choose whether you are registering an organisation or yourself" in response.content.decode()
    assert 'href="#id_kind_0"' in response.content.decode()


def test_an_organisation_registers_and_is_signed_in_with_a_draft_profile(client, coventry):
    response = client.post(ORGANISATION_URL, organisation_data(coventry))

    assert response.status_code == 302
    assert response["Location"] == "/providers/"
    alice = User.objects.get(email="alice@brightsteps.example")
    organisation = Organisation.objects.get(kind=OrganisationKind.PROVIDER)
    assert (organisation.name, organisation.council, organisation.slug) == ("Bright Steps", coventry, "bright-steps")
    assert Membership.objects.get(user=alice).organisation == organisation
    assert Membership.objects.get(user=alice).role == Role.PROVIDER_STAFF
    profile = organisation.provider_profile
    assert (profile.legal_name, profile.trading_name, profile.charity_number) == (
        "Bright Steps CIO",
        "Bright Steps",
        "1123456",
    )
    assert profile.status == ProfileStatus.DRAFT
    assert AuditEvent.objects.filter(action="provider.registered", actor=alice, council=coventry).exists()
    # And they are signed in: the dashboard opens
    assert client.get("/providers/").status_code == 200


def test_a_second_organisation_with_the_same_name_gets_its_own_slug(client, coventry):
    provider_organisation_register(**{**organisation_data(coventry), "council": coventry})

    client.post(ORGANISATION_URL, organisation_data(coventry, email="bob@brightsteps.example"))

    assert sorted(Organisation.objects.filter(kind="provider").values_list("slug", flat=True)) == [
        "bright-steps",
        "bright-steps-2",
    ]


def test_a_personal_assistant_registers_with_a_private_home_postcode(client, coventry):
    response = client.post(PA_URL, pa_data(coventry))

    assert response.status_code == 302
    sam = User.objects.get(email="sam.kaur@example.org")
    profile = sam.pa_profile
    assert (profile.home_postcode, profile.home_district, profile.display_name) == ("CV3 5AB", "CV3", "Sam K.")
    assert profile.council == coventry
    assert profile.status == ProfileStatus.DRAFT
    assert Membership.objects.get(user=sam).role == Role.PERSONAL_ASSISTANT
    assert Membership.objects.get(user=sam).organisation == coventry
    event = AuditEvent.objects.get(action="personal_assistant.registered")
    assert "5AB" not in event.summary
    assert client.get("/providers/").status_code == 200


def test_a_personal_assistant_can_choose_the_name_families_see(client, coventry):
    client.post(PA_URL, pa_data(coventry, display_name="Sammy"))

    assert PersonalAssistantProfile.objects.get().display_name == "Sammy"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "Enter your first name"),
        ({"email": "not-an-email"}, "email", "Enter an email address in the correct format"),
        ({"password": "short"}, "password", "too short"),
        ({"password": "password123"}, "password", "too common"),
        ({"password": "alice@brightsteps.example"}, "password", "too similar"),
        ({"council": ""}, "council", "Choose a council"),
        ({"legal_name": ""}, "legal_name", "Enter your organisation&#x27;s legal name"),
        ({"charity_number": "12345"}, "charity_number", "Enter a charity number of 6 to 8 digits"),
        ({"charity_number": "1123456-AB"}, "charity_number", "Enter a charity number of 6 to 8 digits"),
        ({"company_number": "1234567"}, "company_number", "Enter a company number of 8 characters"),
        ({"company_number": "ABC12345"}, "company_number", "Enter a company number of 8 characters"),
    ],
)
def test_each_organisation_mistake_is_shown_in_an_error_summary_and_nothing_is_created(
    client, coventry, overrides, field, message
):
    users_before = User.objects.count()

    response = client.post(ORGANISATION_URL, organisation_data(coventry, **overrides))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "govuk-error-summary" in html
    assert f'href="#id_{field}"' in html
    assert message in html
    _nothing_created(users_before)


def test_a_council_that_has_closed_cannot_be_chosen(client, coventry):
    closed = CouncilFactory(name="Closed Council", is_active=False)

    response = client.post(ORGANISATION_URL, organisation_data(closed))

    assert "Choose a council from the list" in response.content.decode()
    _nothing_created(0)


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("", "Enter your home postcode"),
        ("not a postcode", "Enter a real postcode"),
        ("CV3", "Enter a full postcode"),
        ("ZZ9 9ZZ", "We do not know the postcode ZZ9 9ZZ"),
    ],
)
def test_a_personal_assistant_needs_a_known_full_home_postcode(client, coventry, postcode, message):
    response = client.post(PA_URL, pa_data(coventry, home_postcode=postcode))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_home_postcode"' in html
    assert message in html
    _nothing_created(0)


@pytest.mark.parametrize("email", ["alice@example.org", "  ALICE@Example.org "])
def test_an_email_that_already_has_an_account_is_refused_without_saying_more(client, coventry, email):
    UserFactory(email="alice@example.org")

    response = client.post(PA_URL, pa_data(coventry, email=email))

    html = response.content.decode()
    assert "There is already an account with this email address" in html
    assert 'href="#id_email"' in html
    assert User.objects.count() == 1
    assert not PersonalAssistantProfile.objects.exists()


def test_the_service_refuses_a_taken_email_even_when_the_form_was_skipped(coventry):
    UserFactory(email="alice@example.org")

    with pytest.raises(ValidationError) as error:
        personal_assistant_register(**{**pa_data(coventry, email="Alice@example.org"), "council": coventry})

    assert error.value.message_dict == {"email": [EMAIL_TAKEN]}


def test_a_registration_that_fails_part_way_leaves_nothing_behind(coventry):
    # Given a company number only the service checks (the form was skipped)
    data = {**organisation_data(coventry, company_number="12"), "council": coventry}

    with pytest.raises(ValidationError):
        provider_organisation_register(**data)

    _nothing_created(0)


def test_signed_in_people_are_not_offered_a_second_account(client):
    client.force_login(UserFactory())

    response = client.get(PA_URL)

    assert response.status_code == 302
    assert response["Location"] == "/account/"


@pytest.mark.parametrize("number", ["123456", "1123456", "11234567", "1123456-1", " 1123 456 "])
def test_charity_numbers_in_the_charity_commission_format_are_accepted(number):
    assert charity_number_check(number) == number.replace(" ", "")


@pytest.mark.parametrize(("raw", "expected"), [("01234567", "01234567"), ("sc123456", "SC123456"), ("", "")])
def test_company_numbers_in_the_companies_house_format_are_accepted(raw, expected):
    assert company_number_check(raw) == expected
