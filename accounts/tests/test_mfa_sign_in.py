"""Two-step verification at sign-in: who is sent where, the code step, recovery codes, throttling and
the single sign-on contract."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.mfa.policy import MFA_SATISFIED_SESSION_KEY, mfa_required_for
from accounts.roles import Role
from accounts.tests.factories import UserFactory, user_with_role
from accounts.tests.mfa_helpers import app_set_up, code_for, sign_in_with_password

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_required")]

DASHBOARD = reverse("accounts:dashboard")
VERIFY = reverse("accounts:mfa-verify")
RECOVERY = reverse("accounts:mfa-verify-recovery")
SETUP = reverse("accounts:mfa-setup")


# --- Who must set up an app ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [
        Role.LEAD_PROFESSIONAL,
        Role.BUDGET_HOLDING_MANAGER,
        Role.COMMISSIONER,
        Role.QA_OFFICER,
        Role.FINANCE_OFFICER,
        Role.COUNCIL_ADMIN,
        Role.BROKER,
        Role.PROVIDER_STAFF,
        Role.PERSONAL_ASSISTANT,
    ],
)
def test_a_role_that_requires_it_is_sent_to_set_up_an_app_before_any_page(client, role):
    alice = user_with_role(role)
    sign_in_with_password(client, alice)

    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Faccount%2F"
    assert client.get("/search/")["Location"].startswith(SETUP)


def test_platform_staff_are_sent_to_set_up_an_app_before_either_admin(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    sign_in_with_password(client, staff)

    assert client.get("/admin/")["Location"].startswith(SETUP)
    assert client.get("/cms-admin/")["Location"].startswith(SETUP)


@pytest.mark.parametrize("role", [Role.FAMILY_MEMBER, Role.YOUNG_PERSON])
def test_families_and_young_people_are_not_asked_to_set_up_an_app(client, role):
    claire = user_with_role(role)
    sign_in_with_password(client, claire)

    assert client.get(DASHBOARD).status_code == 200


def test_with_mfa_not_required_staff_sign_in_with_a_password_alone(client):
    dave = user_with_role(Role.FINANCE_OFFICER)
    with override_settings(MFA_REQUIRED=False):
        sign_in_with_password(client, dave)
        assert client.get(DASHBOARD).status_code == 200
        assert mfa_required_for(dave) is False


def test_the_set_up_page_and_signing_out_stay_open(client):
    erin = user_with_role(Role.BROKER)
    sign_in_with_password(client, erin)

    assert client.get(SETUP).status_code == 200
    response = client.post(reverse("accounts:sign-out"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_form_posted_before_the_step_is_sent_to_the_step_without_a_next(client):
    frank = user_with_role(Role.BROKER)
    sign_in_with_password(client, frank)

    response = client.post(reverse("accounts:profile"), {"first_name": "X"})

    assert response["Location"] == SETUP


# --- The code step --------------------------------------------------------------------------------


def test_a_user_with_an_app_is_asked_for_a_code_and_then_reaches_the_page_asked_for(client):
    gemma = user_with_role(Role.LEAD_PROFESSIONAL)
    device, _ = app_set_up(gemma)
    sign_in_with_password(client, gemma)

    asked = client.get(reverse("accounts:notifications"))
    assert asked["Location"] == f"{VERIFY}?next=%2Faccount%2Fnotifications%2F"
    page = client.get(asked["Location"])
    html = page.content.decode()
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html

    response = client.post(VERIFY, {"code": code_for(device, steps_ahead=1), "next": "/account/notifications/"})

    assert response["Location"] == "/account/notifications/"
    assert client.get(reverse("accounts:notifications")).status_code == 200


def test_a_family_member_who_turned_it_on_is_asked_for_a_code_too(client):
    claire = user_with_role(Role.FAMILY_MEMBER)
    app_set_up(claire)
    sign_in_with_password(client, claire)

    assert client.get(DASHBOARD)["Location"].startswith(VERIFY)


def test_a_user_with_an_app_cannot_replace_it_before_the_code_step(client):
    gemma = user_with_role(Role.LEAD_PROFESSIONAL)
    app_set_up(gemma)
    sign_in_with_password(client, gemma)

    response = client.get(SETUP)

    assert response["Location"].startswith(VERIFY)


def test_a_wrong_code_redisplays_the_step_with_an_error_summary(client):
    harry = user_with_role(Role.COMMISSIONER)
    device, _ = app_set_up(harry)
    sign_in_with_password(client, harry)
    wrong = "000000" if code_for(device) != "000000" else "111111"

    response = client.post(VERIFY, {"code": wrong})

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert 'href="#id_code"' in html
    assert "The security code is not right" in html
    assert "<title>Error: Enter a security code" in html
    assert client.get(DASHBOARD).status_code == 302


@pytest.mark.parametrize(
    ("code", "message"),
    [("", "Enter the security code"), ("12345", "must be 6 numbers"), ("abcdef", "must be 6 numbers")],
)
def test_a_code_that_is_not_six_numbers_is_refused_before_it_is_checked(client, code, message):
    ivy = user_with_role(Role.QA_OFFICER)
    app_set_up(ivy)
    sign_in_with_password(client, ivy)

    response = client.post(VERIFY, {"code": code})

    assert message in response.content.decode()


def test_a_code_passes_once(client):
    jack = user_with_role(Role.QA_OFFICER)
    device, _ = app_set_up(jack)
    code = code_for(device, steps_ahead=1)
    sign_in_with_password(client, jack)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post(reverse("accounts:sign-out"))

    sign_in_with_password(client, jack)
    response = client.post(VERIFY, {"code": code})

    assert "The security code is not right" in response.content.decode()


def test_the_code_step_is_throttled_after_a_wrong_code(client):
    kate = user_with_role(Role.FINANCE_OFFICER)
    device, _ = app_set_up(kate)
    sign_in_with_password(client, kate)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    client.post(VERIFY, {"code": wrong})

    # Even the right code is refused while the wait lasts, and says how long to wait.
    response = client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})

    assert "You have entered too many wrong codes" in response.content.decode()
    assert client.get(DASHBOARD).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_the_wait_doubles_with_each_wrong_code(client, time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(timezone.now(), tick=False)
    liam = user_with_role(Role.FINANCE_OFFICER)
    device, _ = app_set_up(liam)
    sign_in_with_password(client, liam)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    for _attempt in range(4):
        client.post(VERIFY, {"code": wrong})
        time_machine.shift(60)  # past each wait, so each wrong code counts
    device.refresh_from_db()
    assert device.throttling_failure_count == 4

    client.post(VERIFY, {"code": wrong})
    response = client.post(VERIFY, {"code": code_for(device)})

    assert "Wait 16 seconds" in response.content.decode()


# --- Recovery codes -------------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once(client):
    mia = user_with_role(Role.BROKER)
    _, codes = app_set_up(mia)
    sign_in_with_password(client, mia)

    response = client.post(RECOVERY, {"code": codes[0].upper().replace("-", " "), "next": "/account/"})

    assert response["Location"] == "/account/"
    assert client.get(DASHBOARD).status_code == 200
    assert StaticDevice.objects.get(user=mia).token_set.count() == 9
    client.post(reverse("accounts:sign-out"))

    sign_in_with_password(client, mia)
    again = client.post(RECOVERY, {"code": codes[0]})

    assert "The recovery code is not right, or it has been used" in again.content.decode()
    assert "govuk-error-summary" in again.content.decode()


def test_recovery_codes_are_not_stored_as_themselves(client):
    nina = user_with_role(Role.BROKER)
    _, codes = app_set_up(nina)

    stored = set(StaticDevice.objects.get(user=nina).token_set.values_list("token", flat=True))

    assert len(stored) == 10
    assert not {code.replace("-", "") for code in codes} & stored


def test_someone_elses_recovery_code_does_not_work(client):
    olly = user_with_role(Role.BROKER)
    _, olly_codes = app_set_up(olly)
    pat = user_with_role(Role.BROKER)
    app_set_up(pat)
    sign_in_with_password(client, pat)

    response = client.post(RECOVERY, {"code": olly_codes[0]})

    assert "The recovery code is not right" in response.content.decode()


# --- Single sign-on -------------------------------------------------------------------------------


def test_a_session_verified_by_the_councils_identity_provider_passes(client):
    quinn = user_with_role(Role.LEAD_PROFESSIONAL)
    app_set_up(quinn)
    client.force_login(quinn)
    session = client.session
    session[MFA_SATISFIED_SESSION_KEY] = "oidc:coventry"
    session.save()

    assert client.get(DASHBOARD).status_code == 200


def test_single_sign_on_passes_a_role_that_requires_it_without_an_app(client):
    rob = user_with_role(Role.COMMISSIONER)
    client.force_login(rob)
    session = client.session
    session[MFA_SATISFIED_SESSION_KEY] = "oidc:coventry"
    session.save()

    assert client.get(DASHBOARD).status_code == 200


def test_a_signed_in_user_who_passed_the_step_is_not_asked_again(client):
    sara = user_with_role(Role.BROKER)
    device, _ = app_set_up(sara)
    sign_in_with_password(client, sara)
    client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})

    assert client.get(DASHBOARD).status_code == 200
    assert client.get(VERIFY)["Location"] == DASHBOARD


def test_the_code_step_refuses_to_send_you_to_another_site(client):
    tess = user_with_role(Role.BROKER)
    device, _ = app_set_up(tess)
    sign_in_with_password(client, tess)

    response = client.post(VERIFY, {"code": code_for(device, steps_ahead=1), "next": "https://evil.example/"})

    assert response["Location"] == DASHBOARD
