"""A council administrator resets a member's two-step verification: audited, emailed, and only for
their own council's people."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, user_with_role
from accounts.tests.mfa_helpers import app_set_up, sign_in_with_password

pytestmark = pytest.mark.django_db


@pytest.fixture
def coventry():  # type: ignore[no-untyped-def]
    return CouncilFactory(name="Coventry")


def _reset_url(user) -> str:  # type: ignore[no-untyped-def]
    return reverse("accounts:manage-user-mfa-reset", args=[user.public_id])


def test_a_council_admin_resets_a_members_app_with_a_reason_and_it_is_audited(client, coventry):
    admin = user_with_role(Role.COUNCIL_ADMIN, organisation=coventry)
    nina = user_with_role(Role.FINANCE_OFFICER, organisation=coventry)
    app_set_up(nina)
    client.force_login(admin)
    member_page = client.get(reverse("accounts:manage-user", args=[nina.public_id])).content.decode()
    assert "Two-step verification" in member_page
    assert _reset_url(nina) in member_page

    response = client.post(_reset_url(nina), {"reason": "Lost her phone"})

    assert response["Location"] == reverse("accounts:manage-user", args=[nina.public_id])
    assert not TOTPDevice.objects.filter(user=nina).exists()
    assert not StaticDevice.objects.filter(user=nina).exists()
    event = AuditEvent.objects.get(action="user.mfa_reset")
    assert (event.actor, event.council, event.reason) == (admin, coventry, "Lost her phone")
    assert event.target_id == str(nina.public_id)
    assert Notification.objects.filter(recipient=nina, subject="Your two-step verification was reset").exists()
    # The history on the member's page shows it.
    assert (
        "Two-step verification reset"
        in client.get(reverse("accounts:manage-user", args=[nina.public_id])).content.decode()
    )


def test_after_a_reset_the_member_sets_up_a_new_app_at_the_next_sign_in(client, coventry):
    admin = user_with_role(Role.COUNCIL_ADMIN, organisation=coventry)
    olly = user_with_role(Role.QA_OFFICER, organisation=coventry)
    app_set_up(olly)
    client.force_login(admin)
    client.post(_reset_url(olly), {"reason": "New phone, old one lost"})
    client.logout()

    with override_settings(MFA_REQUIRED=True):
        sign_in_with_password(client, olly)
        response = client.get(reverse("accounts:dashboard"))

    assert response["Location"].startswith(reverse("accounts:mfa-setup"))


def test_a_reset_without_a_reason_redisplays_with_an_error_summary(client, coventry):
    admin = user_with_role(Role.COUNCIL_ADMIN, organisation=coventry)
    pat = user_with_role(Role.LEAD_PROFESSIONAL, organisation=coventry)
    app_set_up(pat)
    client.force_login(admin)

    response = client.post(_reset_url(pat), {"reason": ""})

    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter why you are resetting their two-step verification" in html
    assert TOTPDevice.objects.filter(user=pat).exists()


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.COMMISSIONER, Role.FAMILY_MEMBER])
def test_only_a_council_admin_may_reset(client, coventry, role):
    someone = user_with_role(role, organisation=coventry)
    quinn = user_with_role(Role.FINANCE_OFFICER, organisation=coventry)
    app_set_up(quinn)
    client.force_login(someone)

    assert client.get(_reset_url(quinn)).status_code == 403
    assert client.post(_reset_url(quinn), {"reason": "x"}).status_code == 403
    assert TOTPDevice.objects.filter(user=quinn).exists()


def test_another_councils_member_answers_404(client, coventry):
    admin = user_with_role(Role.COUNCIL_ADMIN, organisation=coventry)
    gloucestershire = CouncilFactory(name="Gloucestershire")
    rob = user_with_role(Role.FINANCE_OFFICER, organisation=gloucestershire)
    app_set_up(rob)
    client.force_login(admin)

    assert client.get(_reset_url(rob)).status_code == 404
    assert client.post(_reset_url(rob), {"reason": "x"}).status_code == 404
    assert TOTPDevice.objects.filter(user=rob).exists()


def test_the_reset_page_itself_is_behind_the_admins_own_second_step(client, coventry):
    admin = user_with_role(Role.COUNCIL_ADMIN, organisation=coventry)
    sara = user_with_role(Role.FINANCE_OFFICER, organisation=coventry)
    with override_settings(MFA_REQUIRED=True):
        sign_in_with_password(client, admin)
        response = client.get(_reset_url(sara))

    assert response["Location"].startswith(reverse("accounts:mfa-setup"))
