"""The Wagtail admin and the Django admin have no password form of their own: every sign-in goes through
/account/sign-in/, with a council's password rule, the throttle and two-step verification (docs/sign-in.md)."""

from urllib.parse import quote

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.models import CouncilSignOn
from accounts.roles import Role
from accounts.tests.factories import PASSWORD, CouncilFactory, UserFactory, user_with_role
from accounts.tests.mfa_helpers import app_set_up, code_for, sign_in_with_password

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign-in")
VERIFY = reverse("accounts:mfa-verify")
ADMIN_LOGINS = ["/admin/login/", "/cms-admin/login/"]


@pytest.fixture
def staff():
    return UserFactory(is_staff=True, is_superuser=True, email="staff@support-exchange.example")


def _signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(
    ("login", "wanted"),
    [
        ("/admin/login/", "/admin/accounts/user/"),
        ("/cms-admin/login/", "/cms-admin/pages/"),
    ],
)
def test_each_admin_login_page_sends_people_to_the_one_sign_in_page_with_next(client, login, wanted):
    response = client.get(f"{login}?next={quote(wanted)}")

    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next={quote(wanted, safe='/')}"


@pytest.mark.parametrize(("login", "index"), [("/admin/login/", "/admin/"), ("/cms-admin/login/", "/cms-admin/")])
def test_without_next_or_with_another_sites_next_they_come_back_to_the_admin(client, login, index):
    for query in ("", "?next=https://evil.example/admin/", "?next=//evil.example/", "?next=/account/"):
        response = client.get(f"{login}{query}")

        assert response["Location"] == f"{SIGN_IN}?next={quote(index, safe='/')}", query


@pytest.mark.parametrize("page", ["/admin/accounts/user/", "/cms-admin/pages/"])
def test_asking_for_an_admin_page_while_signed_out_ends_at_the_sign_in_page(client, page):
    response = client.get(page, follow=True)

    assert response.redirect_chain[-1][0] == f"{SIGN_IN}?next={quote(page, safe='/')}"
    assert len(response.redirect_chain) == 2  # the admin's login URL, then the sign-in page
    assert response.status_code == 200


@pytest.mark.parametrize("admin_home", ["/admin/", "/cms-admin/"])
def test_someone_signed_in_who_may_not_use_an_admin_is_told_so_not_sent_round(client, admin_home):
    client.force_login(user_with_role(Role.FAMILY_MEMBER))

    response = client.get(admin_home, follow=True)

    assert response.status_code == 403
    assert len(response.redirect_chain) == 1
    assert client.get(f"{admin_home}login/").status_code == 403


@pytest.mark.parametrize("admin_home", ["/admin/", "/cms-admin/"])
def test_staff_already_signed_in_are_sent_on_from_an_admin_login_url(client, staff, admin_home):
    client.force_login(staff)

    response = client.get(f"{admin_home}login/?next={quote(admin_home)}settings/")

    assert response["Location"] == f"{admin_home}settings/"
    assert client.get(f"{admin_home}login/?next=/account/")["Location"] == admin_home


@pytest.mark.parametrize("login", ADMIN_LOGINS)
def test_a_password_posted_to_an_old_admin_login_signs_no_one_in(client, staff, login):
    response = client.post(login, {"username": staff.email, "password": PASSWORD, "next": "/admin/"})

    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)
    assert not _signed_in(client)
    assert client.get("/admin/").status_code == 302
    assert client.get("/cms-admin/").status_code == 302


def test_a_councils_no_password_rule_now_holds_for_staff_heading_to_an_admin(client):
    coventry = CouncilFactory(name="Coventry City Council", slug="coventry")
    CouncilSignOn.objects.create(
        council=coventry,
        issuer_url="https://login.coventry.example",
        client_id="support-exchange",
        client_secret="not-used-here",
        allowed_email_domains=["coventry.gov.uk"],
        is_enabled=True,
        password_sign_in_allowed=False,
    )
    editor = user_with_role(Role.COMMISSIONER, coventry, email="editor@coventry.gov.uk", is_staff=True)

    for login in ADMIN_LOGINS:
        client.post(login, {"username": editor.email, "password": PASSWORD})
        assert not _signed_in(client)
    response = client.post(f"{SIGN_IN}?next=/cms-admin/", {"username": editor.email, "password": PASSWORD})

    assert "Coventry City Council asks its staff to sign in with their council account" in response.content.decode()
    assert not _signed_in(client)


@pytest.mark.parametrize("admin_home", ["/admin/", "/cms-admin/"])
def test_platform_staff_reach_the_admins_after_signing_in_on_the_sign_in_page(client, staff, admin_home):
    login = client.get(f"{admin_home}login/")["Location"]

    response = client.post(login, {"username": staff.email, "password": PASSWORD})

    assert response["Location"] == admin_home
    assert client.get(admin_home).status_code == 200


@override_settings(MFA_REQUIRED=True)
@pytest.mark.parametrize("admin_home", ["/admin/", "/cms-admin/"])
def test_with_two_step_verification_required_staff_give_their_code_before_an_admin(client, staff, admin_home):
    device, _codes = app_set_up(staff)
    response = client.post(f"{SIGN_IN}?next={quote(admin_home)}", {"username": staff.email, "password": PASSWORD})
    assert response["Location"] == admin_home

    step = client.get(admin_home)
    assert step.status_code == 302
    assert step["Location"] == f"{VERIFY}?next={quote(admin_home, safe='')}"
    assert client.get("/admin/").status_code == 302 and client.get("/cms-admin/").status_code == 302

    answered = client.post(VERIFY, {"code": code_for(device), "next": admin_home})

    assert answered["Location"] == admin_home
    assert client.get(admin_home).status_code == 200


@override_settings(MFA_REQUIRED=True)
def test_staff_without_an_app_are_sent_to_set_one_up_before_an_admin(client, staff):
    sign_in_with_password(client, staff)

    assert client.get("/admin/")["Location"].startswith(reverse("accounts:mfa-setup"))
    assert client.get("/cms-admin/")["Location"].startswith(reverse("accounts:mfa-setup"))
