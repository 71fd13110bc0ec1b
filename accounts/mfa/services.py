"""Setting up, checking, replacing and removing a user's authenticator app and recovery codes.

Security codes are checked inside a transaction on a locked device row, so two requests cannot both
pass one code or slip past django-otp's throttle: each wrong code doubles the wait before the next try
on that device (OTP_TOTP_THROTTLE_FACTOR, OTP_STATIC_THROTTLE_FACTOR seconds, then 2, 4, 8 ...).

Recovery codes are stored as a keyed digest, never as the code itself: someone who reads the database
cannot sign in with them. The digest uses SECRET_KEY, so rotating it invalidates unused codes (users
then generate new ones from their account page).
"""

import math
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.events import audit_record
from accounts.mfa.policy import mfa_role_allows_turning_off
from accounts.models import Organisation, User
from accounts.notifications import notification_send

RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: codes are read off paper and typed.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_CODE_LENGTH = 10
_DIGEST_SALT = "accounts.mfa.recovery-code"
DEVICE_NAME = "Authenticator app"

WRONG_CODE = "The security code is not right. Enter the code your authenticator app shows now, or wait for a new one"
WRONG_RECOVERY_CODE = "The recovery code is not right, or it has been used. Check it and try again"


@dataclass(frozen=True)
class NewRecoveryCodes:
    codes: list[str]


def normalise_recovery_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def format_recovery_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def _recovery_code_new() -> str:
    return "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_CODE_LENGTH))


def _recovery_code_digest(code: str) -> str:
    # StaticToken.token holds up to 16 characters: 64 bits of an HMAC-SHA256 of a ~50-bit random code.
    return salted_hmac(_DIGEST_SALT, normalise_recovery_code(code), algorithm="sha256").hexdigest()[:16]


def _throttled_message(device: Device) -> str | None:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (details or {}).get("locked_until")
    if locked_until is None:
        return "You cannot use a code just now. Try again later"
    wait = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    return f"You have entered too many wrong codes. Wait {wait} second{'s' if wait != 1 else ''} and try again"


def _code_error(device: Device, code: str, *, wrong: str) -> str | None:
    """Why ``code`` is refused by a device locked for update, or None when it passes.

    Returned, not raised: the caller's transaction must commit the throttle's count of a wrong code,
    which raising inside it would roll back.
    """
    throttled = _throttled_message(device)
    if throttled:
        return throttled
    return None if device.verify_token(code) else wrong


# --- Setting up -----------------------------------------------------------------------------------


@transaction.atomic
def totp_device_pending(*, user: User) -> TOTPDevice:
    """The authenticator app being set up: the same secret on every visit until it is confirmed, so a
    page reloaded after a mistake still matches what the user scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice(user=user, name=DEVICE_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


def totp_device_confirm(*, user: User, device: TOTPDevice, code: str) -> NewRecoveryCodes | None:
    """Confirm the app being set up with a code from it; it replaces any app the user had.

    Returns the new recovery codes when the user had none (first set-up), else None (their codes are
    kept when they move to a new app).
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        error = _code_error(device, code, wrong=WRONG_CODE)
    if error:
        raise ValidationError({"code": error})
    return _totp_device_make_current(user=user, device=device)


@transaction.atomic
def _totp_device_make_current(*, user: User, device: TOTPDevice) -> NewRecoveryCodes | None:
    replacing = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    if replacing:
        _notify(user, "You moved two-step verification to a new authenticator app", _CHANGED_BODY)
        return None
    new_codes = _recovery_codes_replace(user)
    _notify(user, "Two-step verification is on", _TURNED_ON_BODY)
    return new_codes


# --- Signing in -----------------------------------------------------------------------------------


def security_code_check(*, user: User, code: str) -> TOTPDevice:
    """The user's confirmed app, if ``code`` is its current security code; else a ValidationError.

    A code passes once: django-otp remembers the last time step used.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("-pk").first()
        if device is None:
            raise ValidationError({"code": "Set up an authenticator app first"})
        error = _code_error(device, code, wrong=WRONG_CODE)
    if error:
        raise ValidationError({"code": error})
    return device


def recovery_code_use(*, user: User, code: str) -> StaticDevice:
    """Use up one recovery code; each works once. A ValidationError if it is wrong or used."""
    with transaction.atomic():
        device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            raise ValidationError({"code": WRONG_RECOVERY_CODE})
        error = _code_error(device, _recovery_code_digest(code), wrong=WRONG_RECOVERY_CODE)
    if error:
        raise ValidationError({"code": error})
    return device


# --- Recovery codes -------------------------------------------------------------------------------


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> NewRecoveryCodes:
    """New recovery codes for a user with two-step verification on; the old ones stop working."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError("Set up an authenticator app before getting recovery codes")
    new_codes = _recovery_codes_replace(user)
    _notify(user, "You have new recovery codes", _REGENERATED_BODY)
    return new_codes


def _recovery_codes_replace(user: User) -> NewRecoveryCodes:
    # The device is kept (a session verified with a recovery code stays verified); only its tokens change.
    device, _ = StaticDevice.objects.select_for_update().get_or_create(
        user=user, defaults={"name": "Recovery codes", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_recovery_code_new() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=_recovery_code_digest(c)) for c in codes)
    device.throttle_reset(commit=False)
    device.confirmed = True
    device.save()
    return NewRecoveryCodes(codes=[format_recovery_code(c) for c in codes])


# --- Turning off and resetting --------------------------------------------------------------------


def mfa_turn_off(*, user: User, code: str) -> None:
    """A user whose roles do not require it turns two-step verification off, proving it with a code."""
    if not mfa_role_allows_turning_off(user):
        raise ValidationError("Your role needs two-step verification: you cannot turn it off")
    security_code_check(user=user, code=code)
    with transaction.atomic():
        _devices_delete(user)
        _notify(user, "Two-step verification is off", _TURNED_OFF_BODY)


@transaction.atomic
def mfa_reset(*, actor: User, council: Organisation, user: User, reason: str) -> int:
    """A council administrator removes a member's authenticator app and recovery codes (a lost phone).

    The member sets up a new app at their next sign-in (if their role requires it). Audited for the
    council. Returns how many devices were removed.
    """
    removed = _devices_delete(user)
    audit_record(
        actor=actor,
        council=council,
        action="user.mfa_reset",
        target=user,
        summary=f"Two-step verification reset for {user.email}",
        reason=reason,
        data={"devices_removed": removed},
    )
    _notify(user, "Your two-step verification was reset", _RESET_BODY.format(council=council))
    return removed


def _devices_delete(user: User) -> int:
    """Remove the user's apps and recovery codes; returns how many apps and sets of codes went."""
    removed = TOTPDevice.objects.filter(user=user).count() + StaticDevice.objects.filter(user=user).count()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()  # and their tokens, by cascade
    return removed


# --- Notifications --------------------------------------------------------------------------------

_TURNED_ON_BODY = (
    "You turned on two-step verification. From now on you will enter a security code from your "
    "authenticator app after your password.\n\nIf this was not you, tell your organisation's administrator now."
)
_CHANGED_BODY = (
    "You moved two-step verification to a new authenticator app. The old app's codes no longer work.\n\n"
    "If this was not you, tell your organisation's administrator now."
)
_TURNED_OFF_BODY = (
    "You turned off two-step verification. You will sign in with your password alone.\n\n"
    "If this was not you, change your password and tell your organisation's administrator now."
)
_REGENERATED_BODY = (
    "You made new recovery codes. Your old recovery codes no longer work.\n\n"
    "If this was not you, tell your organisation's administrator now."
)
_RESET_BODY = (
    "An administrator at {council} reset your two-step verification: your authenticator app and recovery "
    "codes were removed. You will set up an authenticator app the next time you sign in.\n\n"
    "If you did not ask for this, tell your organisation's administrator now."
)


def _notify(user: User, subject: str, body: str) -> None:
    notification_send(recipient=user, subject=subject, body=body, link=reverse("accounts:mfa-manage"))
