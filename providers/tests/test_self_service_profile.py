"""Writing a profile: an organisation's or a personal assistant's. Changes to a published profile are
held until they are checked; the public keeps seeing the checked version."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, MembershipFactory, OrganisationFactory, user_with_role
from providers.models import ProfileStatus, ProviderProfile
from providers.services.profiles import profile_approve, profile_reject, profile_set_status, profile_submit
from providers.tests.factories import (
    PersonalAssistantProfileFactory,
    PostcodeFactory,
    ProviderProfileFactory,
    term,
)

pytestmark = pytest.mark.django_db

URL = "/providers/profile/"
HELD_MESSAGE = "Your changes will show once they have been checked"


@pytest.fixture(autouse=True)
def gazetteer():
    PostcodeFactory(postcode="CV3")
    PostcodeFactory(postcode="CV1 2GT")


@pytest.fixture
def alice_org():
    """Alice works for Bright Steps, whose profile is a draft."""
    profile = ProviderProfileFactory(legal_name="Bright Steps CIO")
    alice = user_with_role(Role.PROVIDER_STAFF, organisation=profile.organisation, first_name="Alice")
    return alice, profile


@pytest.fixture
def sam_pa():
    """Sam is a personal assistant on Coventry's register."""
    profile = PersonalAssistantProfileFactory(council=CouncilFactory(name="Coventry"), display_name="Sam K.")
    MembershipFactory(user=profile.user, organisation=profile.council, role=Role.PERSONAL_ASSISTANT)
    return profile.user, profile


def organisation_form(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "legal_name": "Bright Steps CIO",
        "trading_name": "Bright Steps",
        "charity_number": "1123456",
        "company_number": "",
        "description": "Clubs and short breaks for disabled children in Coventry.",
        "website": "https://brightsteps.example",
        "email": "hello@brightsteps.example",
        "phone": "024 7600 0000",
        "address": "1 High Street, Coventry",
        "postcode": "cv1 2gt",
        "languages": ["en", "pa"],
        "accessibility": "Step-free access throughout.",
    }
    data.update(overrides)
    return data


def pa_form(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "display_name": "Sam K.",
        "description": "I support autistic children at home and out and about.",
        "home_postcode": "CV3 5AB",
        "areas": "cv1, CV2 ,cv1; CV3",
        "available_days": ["MO", "SA"],
        "available_from": "09:00",
        "available_until": "17:30",
        "sleep_ins": "on",
        "experience": "Five years as a teaching assistant.",
        "drives": "on",
        "employment_preference": "self_employed",
        "languages": ["en"],
        "accessibility": "",
        "skills": [str(term("moving-and-handling").pk), str(term("peg-feeding").pk)],
    }
    data.update(overrides)
    return data


def test_an_organisation_changes_its_draft_profile_straight_away(client, alice_org):
    alice, profile = alice_org
    client.force_login(alice)

    response = client.post(URL, organisation_form())

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.trading_name == "Bright Steps"
    assert profile.postcode == "CV1 2GT"
    assert profile.languages == ["en", "pa"]
    assert profile.pending_changes == {}
    assert "Your profile has been saved" in client.get(URL).content.decode()


def test_a_published_profile_keeps_its_checked_version_and_holds_the_change(client, alice_org):
    alice, profile = alice_org
    profile_submit(profile=profile, actor=alice)
    profile_approve(profile=profile, actor=user_with_role(Role.QA_OFFICER))
    client.force_login(alice)

    client.post(URL, organisation_form(description="We now run holiday clubs too."))

    profile.refresh_from_db()
    assert profile.status == ProfileStatus.PUBLISHED
    assert profile.description == "We run clubs and short breaks for disabled children."
    assert profile.pending_changes["description"] == "We now run holiday clubs too."
    page = client.get(URL).content.decode()
    assert HELD_MESSAGE in page
    # The form shows what the provider wrote, not the published text
    assert "We now run holiday clubs too." in page
    assert "Send your changes for checking" in page


def test_held_changes_are_sent_for_checking_and_applied_only_when_approved(client, alice_org):
    alice, profile = alice_org
    profile_submit(profile=profile, actor=alice)
    profile_approve(profile=profile, actor=user_with_role(Role.QA_OFFICER))
    client.force_login(alice)
    client.post(URL, organisation_form(trading_name="Brighter Steps"))

    client.post("/providers/profile/submit/")

    profile.refresh_from_db()
    assert profile.pending_submitted_at is not None
    assert profile.trading_name == ""
    profile_approve(profile=profile, actor=user_with_role(Role.QA_OFFICER))
    profile.refresh_from_db()
    assert profile.trading_name == "Brighter Steps"


def test_changing_a_held_field_back_leaves_nothing_to_check(client, alice_org):
    alice, profile = alice_org
    profile_submit(profile=profile, actor=alice)
    profile_approve(profile=profile, actor=user_with_role(Role.QA_OFFICER))
    client.force_login(alice)
    client.post(URL, organisation_form(description="Something new."))

    client.post(URL, organisation_form(description=profile.description, trading_name=""))

    profile.refresh_from_db()
    assert "description" not in profile.pending_changes


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"description": ""}, "description", "Say what your organisation does"),
        ({"company_number": "12"}, "company_number", "Enter a company number of 8 characters"),
        ({"postcode": "CV1"}, "postcode", "Enter a full postcode"),
        ({"website": "not a website"}, "website", "Enter a valid URL"),
        ({"languages": ["xx"]}, "languages_0", "Select a valid choice"),
    ],
)
def test_organisation_profile_mistakes_are_summarised_and_nothing_is_saved(
    client, alice_org, overrides, field, message
):
    alice, profile = alice_org
    client.force_login(alice)

    response = client.post(URL, organisation_form(**overrides))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert f'href="#id_{field}"' in html
    assert message in html
    profile.refresh_from_db()
    assert profile.trading_name == ""


def test_an_organisation_registered_by_its_council_writes_its_first_profile(client):
    organisation = OrganisationFactory(name="Coventry Carers Trust")
    bob = user_with_role(Role.PROVIDER_STAFF, organisation=organisation)
    client.force_login(bob)

    page = client.get(URL).content.decode()
    assert 'value="Coventry Carers Trust"' in page
    client.post(URL, organisation_form(legal_name="Coventry Carers Trust"))

    profile = ProviderProfile.objects.get(organisation=organisation)
    assert (profile.legal_name, profile.status) == ("Coventry Carers Trust", ProfileStatus.DRAFT)


def test_a_personal_assistant_writes_availability_areas_and_skills(client, sam_pa):
    sam, profile = sam_pa
    client.force_login(sam)

    response = client.post(URL, pa_form())

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.areas == ["CV1", "CV2", "CV3"]
    assert profile.available_days == ["MO", "SA"]
    assert profile.available_from.strftime("%H:%M") == "09:00"
    assert (profile.sleep_ins, profile.waking_nights, profile.drives, profile.own_vehicle) == (True, False, True, False)
    assert profile.employment_preference == "self_employed"
    assert set(profile.skills.values_list("code", flat=True)) == {"moving-and-handling", "peg-feeding"}


def test_a_personal_assistant_moving_home_updates_the_private_district(client, sam_pa):
    sam, profile = sam_pa
    PostcodeFactory(postcode="CV1")
    client.force_login(sam)

    client.post(URL, pa_form(home_postcode="cv1 4aa"))

    profile.refresh_from_db()
    assert (profile.home_postcode, profile.home_district) == ("CV1 4AA", "CV1")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"areas": "CV1, Coventry"}, "areas", "“Coventry” is not a postcode district"),
        ({"areas": " , "}, "areas", "Enter at least one postcode district you cover"),
        ({"available_from": "9am"}, "available_from", "Enter a time"),
        ({"available_until": "08:00"}, "available_until", "must be after the time you start"),
        ({"home_postcode": "ZZ9 9ZZ"}, "home_postcode", "We do not know the postcode"),
        ({"employment_preference": ""}, "employment_preference_0", "Choose how you would like to work"),
    ],
)
def test_personal_assistant_profile_mistakes_are_summarised_and_nothing_is_saved(
    client, sam_pa, overrides, field, message
):
    sam, profile = sam_pa
    client.force_login(sam)

    response = client.post(URL, pa_form(**overrides))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="#id_{field}"' in html
    assert message in html
    profile.refresh_from_db()
    assert profile.skills.count() == 0


def test_a_published_personal_assistant_s_new_skills_wait_for_checks(client, sam_pa):
    sam, profile = sam_pa
    profile_submit(profile=profile, actor=sam)
    profile_approve(profile=profile, actor=user_with_role(Role.QA_OFFICER))
    client.force_login(sam)

    client.post(URL, pa_form())

    profile.refresh_from_db()
    assert profile.skills.count() == 0
    assert sorted(profile.pending_changes["skills"]) == sorted([term("moving-and-handling").pk, term("peg-feeding").pk])
    assert HELD_MESSAGE in client.get(URL).content.decode()
    profile_approve(profile=profile, actor=user_with_role(Role.QA_OFFICER))
    assert set(profile.skills.values_list("code", flat=True)) == {"moving-and-handling", "peg-feeding"}


def test_the_home_postcode_is_not_held_for_checking(client, sam_pa):
    sam, profile = sam_pa
    profile_submit(profile=profile, actor=sam)
    profile_approve(profile=profile, actor=user_with_role(Role.QA_OFFICER))
    PostcodeFactory(postcode="CV1")
    client.force_login(sam)

    client.post(URL, pa_form(home_postcode="CV1 4AA"))

    profile.refresh_from_db()
    assert profile.home_postcode == "CV1 4AA"
    assert "home_postcode" not in profile.pending_changes


def test_sending_a_draft_profile_for_checking_asks_first_then_records_who(client, sam_pa):
    sam, profile = sam_pa
    client.force_login(sam)

    confirm = client.get("/providers/profile/submit/")
    response = client.post("/providers/profile/submit/")

    assert "Send your profile for checking" in confirm.content.decode()
    assert response["Location"] == "/providers/"
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.PENDING
    assert profile.status_changes.get().actor == sam


def test_an_empty_profile_cannot_be_sent_for_checking(client, sam_pa):
    sam, profile = sam_pa
    type(profile).objects.filter(pk=profile.pk).update(description="")
    client.force_login(sam)

    response = client.post("/providers/profile/submit/", follow=True)

    assert "before you send your profile for checking" in response.content.decode()
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.DRAFT


def test_a_returned_profile_shows_the_checker_s_reason(client, sam_pa):
    sam, profile = sam_pa
    profile_submit(profile=profile, actor=sam)
    profile_reject(profile=profile, actor=user_with_role(Role.QA_OFFICER), reason="Add the days you work")
    client.force_login(sam)

    page = client.get(URL).content.decode()

    assert "The checkers returned your profile: “Add the days you work”" in page


def test_a_suspended_profile_holds_changes_too(client, sam_pa):
    sam, profile = sam_pa
    profile_submit(profile=profile, actor=sam)
    profile_approve(profile=profile, actor=user_with_role(Role.QA_OFFICER))
    profile_set_status(profile=profile, new_status=ProfileStatus.SUSPENDED, actor=None, reason="Concern")
    client.force_login(sam)

    client.post(URL, pa_form(display_name="Samira K."))

    profile.refresh_from_db()
    assert profile.display_name == "Sam K."
    assert profile.pending_changes["display_name"] == "Samira K."


def test_returned_changes_to_a_published_profile_are_kept_with_the_reason_until_sent_again(client, alice_org):
    alice, profile = alice_org
    profile_submit(profile=profile, actor=alice)
    profile_approve(profile=profile, actor=user_with_role(Role.QA_OFFICER))
    client.force_login(alice)
    client.post(URL, organisation_form(description="We now run holiday clubs too."))
    profile.refresh_from_db()
    profile_submit(profile=profile, actor=alice)

    profile_reject(profile=profile, actor=user_with_role(Role.QA_OFFICER), reason="Say which ages the clubs are for")

    profile.refresh_from_db()
    assert profile.status == ProfileStatus.PUBLISHED
    assert profile.pending_changes["description"] == "We now run holiday clubs too."
    assert profile.pending_submitted_at is None
    page = client.get(URL).content.decode()
    assert "The checkers returned your changes: “Say which ages the clubs are for”" in page
    assert "We now run holiday clubs too." in page
    dashboard = client.get("/providers/").content.decode()
    assert "The checkers returned the changes to your profile: “Say which ages the clubs are for”" in dashboard

    profile_submit(profile=profile, actor=alice)

    profile.refresh_from_db()
    assert profile.changes_returned_reason == ""
    assert profile.pending_submitted_at is not None
    assert "Say which ages the clubs are for" not in client.get(URL).content.decode()
