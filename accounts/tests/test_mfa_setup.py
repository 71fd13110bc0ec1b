"""Setting up an authenticator app, recovery codes, turning it off, and the emails about each."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import services
from accounts.mfa.views import NEW_CODES_SESSION_KEY
from accounts.models import Notification
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from accounts.tests.mfa_helpers import app_set_up, code_for, sign_in_with_password

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_required")]

SETUP = reverse("accounts:mfa-setup")
CODES = reverse("accounts:mfa-recovery-codes")
MANAGE = reverse("accounts:mfa-manage")
RECOVERY = reverse("accounts:mfa-verify-recovery")


def _pending(user) -> TOTPDevice:  # type: ignore[no-untyped-def]
    return TOTPDevice.objects.get(user=user, confirmed=False)


def test_set_up_shows_a_qr_code_and_the_key_as_text_and_keeps_them_on_reload(client):
    alice = user_with_role(Role.FINANCE_OFFICER)
    sign_in_with_password(client, alice)

    first = client.get(SETUP).content.decode()
    second = client.get(SETUP).content.decode()

    assert '<svg role="img" aria-label="QR code to scan with your authenticator app"' in first
    assert 'id="secret-key"' in first
    assert TOTPDevice.objects.filter(user=alice).count() == 1
    secret = first.split('id="secret-key">')[1].split("</p>")[0]
    assert secret == second.split('id="secret-key">')[1].split("</p>")[0]


def test_set_up_with_a_wrong_code_redisplays_with_an_error_summary(client):
    bob = user_with_role(Role.BROKER)
    sign_in_with_password(client, bob)
    client.get(SETUP)
    wrong = "000000" if code_for(_pending(bob)) != "000000" else "111111"

    response = client.post(SETUP, {"code": wrong})

    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "The security code is not right" in html
    assert not TOTPDevice.objects.filter(user=bob, confirmed=True).exists()


def test_set_up_confirms_the_app_shows_ten_codes_once_and_lets_the_user_in(client):
    carol = user_with_role(Role.PROVIDER_STAFF)
    sign_in_with_password(client, carol)
    client.get(SETUP)

    response = client.post(SETUP, {"code": code_for(_pending(carol)), "next": "/account/notifications/"})

    assert response["Location"] == f"{CODES}?next=%2Faccount%2Fnotifications%2F"
    page = client.get(response["Location"])
    codes = page.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(code) == 11 and code[5] == "-" for code in codes)
    download = client.get(reverse("accounts:mfa-recovery-codes-download"))
    assert download["Content-Type"].startswith("text/plain")
    assert "attachment" in download["Content-Disposition"]
    assert all(code in download.content.decode() for code in codes)

    done = client.post(CODES, {"next": "/account/notifications/"})

    assert done["Location"] == "/account/notifications/"
    assert NEW_CODES_SESSION_KEY not in client.session
    assert client.get(CODES)["Location"] == MANAGE  # shown once
    assert client.get(reverse("accounts:notifications")).status_code == 200
    assert TOTPDevice.objects.filter(user=carol, confirmed=True).count() == 1


def test_turning_it_on_sends_an_email(client):
    dan = user_with_role(Role.PERSONAL_ASSISTANT)
    with override_settings(MFA_REQUIRED=True):
        app_set_up(dan)

    notification = Notification.objects.get(recipient=dan)
    assert notification.subject == "Two-step verification is on"


def test_turning_it_on_is_emailed_after_the_change_commits(django_capture_on_commit_callbacks):
    erin = user_with_role(Role.PERSONAL_ASSISTANT)
    with django_capture_on_commit_callbacks(execute=True):
        app_set_up(erin)

    assert [message.subject for message in mail.outbox] == ["Two-step verification is on"]
    assert mail.outbox[0].to == [erin.email]


def test_the_account_page_shows_codes_left_and_new_codes_replace_the_old(client):
    fay = user_with_role(Role.BROKER)
    device, old_codes = app_set_up(fay)
    sign_in_with_password(client, fay)
    client.post(reverse("accounts:mfa-verify"), {"code": code_for(device, steps_ahead=1)})
    assert "10 of 10" in client.get(MANAGE).content.decode()

    response = client.post(reverse("accounts:mfa-recovery-codes-regenerate"))

    assert response["Location"].startswith(CODES)
    new_codes = client.get(response["Location"]).context["codes"]
    assert set(new_codes).isdisjoint(old_codes)
    assert Notification.objects.filter(recipient=fay, subject="You have new recovery codes").exists()
    client.post(reverse("accounts:sign-out"))
    sign_in_with_password(client, fay)
    assert "not right" in client.post(RECOVERY, {"code": old_codes[0]}).content.decode()
    StaticDevice.objects.get(user=fay).throttle_reset()  # the wait after a wrong code has passed
    assert client.post(RECOVERY, {"code": new_codes[0]}).status_code == 302
    assert "9 of 10" in client.get(MANAGE).content.decode()


def test_regenerating_needs_a_post(client):
    gail = user_with_role(Role.FAMILY_MEMBER)
    client.force_login(gail)

    assert client.get(reverse("accounts:mfa-recovery-codes-regenerate")).status_code == 405


def test_a_family_member_turns_it_on_from_the_account_page(client):
    hugh = user_with_role(Role.FAMILY_MEMBER)
    sign_in_with_password(client, hugh)
    page = client.get(MANAGE).content.decode()
    assert "Turn on two-step verification" in page
    client.get(SETUP)

    client.post(SETUP, {"code": code_for(_pending(hugh))})

    assert TOTPDevice.objects.filter(user=hugh, confirmed=True).exists()


def test_a_family_member_turns_it_off_with_a_code(client):
    iris = user_with_role(Role.FAMILY_MEMBER)
    device, _ = app_set_up(iris)
    sign_in_with_password(client, iris)
    client.post(reverse("accounts:mfa-verify"), {"code": code_for(device, steps_ahead=-1)})
    wrong = "000000" if code_for(device) != "000000" else "111111"
    assert "not right" in client.post(reverse("accounts:mfa-turn-off"), {"code": wrong}).content.decode()
    device.refresh_from_db()
    device.throttle_reset()

    response = client.post(reverse("accounts:mfa-turn-off"), {"code": code_for(device)})

    assert response["Location"] == MANAGE
    assert not TOTPDevice.objects.filter(user=iris).exists()
    assert not StaticDevice.objects.filter(user=iris).exists()
    assert Notification.objects.filter(recipient=iris, subject="Two-step verification is off").exists()


def test_a_role_that_requires_it_cannot_turn_it_off(client):
    jon = user_with_role(Role.COMMISSIONER)
    device, _ = app_set_up(jon)
    sign_in_with_password(client, jon)
    client.post(reverse("accounts:mfa-verify"), {"code": code_for(device, steps_ahead=-1)})

    response = client.post(reverse("accounts:mfa-turn-off"), {"code": code_for(device)})

    assert response["Location"] == MANAGE
    assert TOTPDevice.objects.filter(user=jon, confirmed=True).exists()
    assert "you cannot turn it off" in client.get(MANAGE).content.decode()


def test_moving_to_a_new_app_keeps_the_recovery_codes_and_stops_the_old_app(client):
    kim = user_with_role(Role.BROKER)
    old_device, codes = app_set_up(kim)
    sign_in_with_password(client, kim)
    client.post(reverse("accounts:mfa-verify"), {"code": code_for(old_device, steps_ahead=1)})
    client.get(SETUP)
    new_device = _pending(kim)

    response = client.post(SETUP, {"code": code_for(new_device)})

    assert response["Location"] == MANAGE
    assert list(TOTPDevice.objects.filter(user=kim).values_list("pk", flat=True)) == [new_device.pk]
    assert StaticDevice.objects.get(user=kim).token_set.count() == 10
    assert Notification.objects.filter(recipient=kim, subject__startswith="You moved").exists()
    assert client.get(MANAGE).status_code == 200  # the session stays verified, by the new app


def test_a_set_up_code_is_throttled(client):
    lee = user_with_role(Role.BROKER)
    sign_in_with_password(client, lee)
    client.get(SETUP)
    device = _pending(lee)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    client.post(SETUP, {"code": wrong})

    response = client.post(SETUP, {"code": code_for(device)})

    assert "You have entered too many wrong codes" in response.content.decode()


def test_recovery_codes_cannot_be_made_without_an_app():
    max_ = user_with_role(Role.FAMILY_MEMBER)

    with pytest.raises(services.ValidationError):
        services.recovery_codes_regenerate(user=max_)
