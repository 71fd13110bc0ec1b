import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import PASSWORD, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

SIGN_IN = "/account/sign-in/"


def test_user_signs_in_with_email_and_password_and_lands_on_their_account(client):
    alice = user_with_role(Role.FAMILY_MEMBER, email="alice@example.org")

    response = client.post(SIGN_IN, {"username": "alice@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert client.get(reverse("accounts:dashboard")).context["user"] == alice


def test_email_is_matched_whatever_its_case(client):
    UserFactory(email="bob@example.org")

    response = client.post(SIGN_IN, {"username": "  Bob@Example.ORG ", "password": PASSWORD})

    assert response.status_code == 302


def test_wrong_password_redisplays_the_form_with_an_error_summary(client):
    UserFactory(email="charlie@example.org")

    response = client.post(SIGN_IN, {"username": "charlie@example.org", "password": "wrong-password"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter a correct email address and password" in html
    assert html.count("<title>Error: Sign in") == 1


def test_missing_fields_link_from_the_error_summary_to_each_field(client):
    response = client.post(SIGN_IN, {"username": "", "password": ""})

    html = response.content.decode()
    assert 'href="#id_username"' in html
    assert 'href="#id_password"' in html


def test_sign_in_returns_to_the_page_asked_for(client):
    UserFactory(email="dora@example.org")

    response = client.post(
        f"{SIGN_IN}?next=/account/notifications/",
        {"username": "dora@example.org", "password": PASSWORD, "next": "/account/notifications/"},
    )

    assert response["Location"] == "/account/notifications/"


def test_sign_in_refuses_to_redirect_to_another_site(client):
    UserFactory(email="erin@example.org")

    response = client.post(
        SIGN_IN, {"username": "erin@example.org", "password": PASSWORD, "next": "https://evil.example.com/"}
    )

    assert response["Location"] == reverse("accounts:dashboard")


def test_closed_account_cannot_sign_in(client):
    UserFactory(email="frank@example.org", is_active=False)

    response = client.post(SIGN_IN, {"username": "frank@example.org", "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_for_a_while(client, settings):
    UserFactory(email="gina@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(SIGN_IN, {"username": "gina@example.org", "password": "wrong-password"})

    response = client.post(SIGN_IN, {"username": "gina@example.org", "password": PASSWORD})

    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_ends_the_session(client):
    client.force_login(UserFactory())

    assert client.get("/account/sign-out/").status_code == 405
    response = client.post("/account/sign-out/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_session_ends_after_the_configured_inactivity(client, settings):
    client.force_login(UserFactory())

    client.get(reverse("accounts:dashboard"))

    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
    assert cookie["httponly"]


def test_session_expires_when_idle_for_longer_than_the_timeout(client, settings, time_machine):
    time_machine.move_to("2026-11-22 10:00:00+00:00", tick=False)
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:dashboard")).status_code == 200

    time_machine.move_to("2026-11-22 10:31:00+00:00", tick=False)
    response = client.get(reverse("accounts:dashboard"))

    assert response.status_code == 302
    assert SIGN_IN in response["Location"]
