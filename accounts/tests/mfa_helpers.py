"""Making authenticator apps and their codes in tests, as a phone would."""

import time

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import services
from accounts.models import User
from accounts.tests.factories import PASSWORD


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the app shows now, or ``steps_ahead`` 30-second steps later (each code passes once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def app_set_up(user: User) -> tuple[TOTPDevice, list[str]]:
    """A confirmed authenticator app and 10 recovery codes, as the set-up pages leave them."""
    device = services.totp_device_pending(user=user)
    new_codes = services.totp_device_confirm(user=user, device=device, code=code_for(device))
    assert new_codes is not None
    # As if it was set up a while ago: every code from a minute ago on is still unused (the set-up used
    # the current one), so a test can sign in with the previous step's code and then use the current one.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return device, new_codes.codes


def sign_in_with_password(client: Client, user: User) -> None:
    response = client.post("/account/sign-in/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
