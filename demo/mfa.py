"""Two-step verification for the demo sign-ins: one published authenticator key for them all.

When MFA_REQUIRED is on (the default for ``make run``), the demo sign-ins whose roles require two-step
verification get a confirmed authenticator app with DEMO_TOTP_SECRET, so the demo works without
scanning anything: add the key to any authenticator app, or run ``manage.py demo_totp`` for the code.
The key is public, like the demo password: never load demo data where real people sign in.
"""

import time
from base64 import b32decode

from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa.policy import MFA_REQUIRED_ROLES
from accounts.models import User
from demo.logins import DEMO_LOGINS, DemoLogin

DEMO_TOTP_SECRET = "SUPP ORTE XCHA NGED EMOK EYTW OSTE PABC"  # noqa: S105  (demo-only, deliberately public)
DEMO_DEVICE_NAME = "Demo authenticator app"


def demo_totp_key_hex() -> str:
    return b32decode(DEMO_TOTP_SECRET.replace(" ", "")).hex()


def demo_totp_code(*, at: float | None = None) -> str:
    """The security code the demo key gives now (or at ``at``, a Unix time)."""
    totp = TOTP(bytes.fromhex(demo_totp_key_hex()))
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def demo_login_needs_app(login: DemoLogin) -> bool:
    return login.is_site_staff or login.role in MFA_REQUIRED_ROLES


def demo_authenticator_apps_ensure() -> int:
    """Give each demo sign-in that needs one the demo app, unless it has an app already; returns how many."""
    if not settings.MFA_REQUIRED:
        return 0
    emails = [login.email for login in DEMO_LOGINS if demo_login_needs_app(login)]
    added = 0
    for user in User.objects.filter(email__in=emails):
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            continue
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice(user=user, name=DEMO_DEVICE_NAME, key=demo_totp_key_hex(), confirmed=True)
        device.full_clean()
        device.save()
        added += 1
    return added


def format_demo_mfa() -> str:
    """What demo_data prints under the sign-ins about the second step."""
    if not settings.MFA_REQUIRED:
        return "Two-step verification is not required (MFA_REQUIRED=false): every demo sign-in needs only the password."
    needing = ", ".join(login.email.split("@")[0] + "@" for login in DEMO_LOGINS if demo_login_needs_app(login))
    return "\n".join(
        [
            "Two-step verification: staff, brokers, providers and PAs enter a security code after the password",
            f"({needing}). Their demo authenticator key is {DEMO_TOTP_SECRET}: add it to any",
            "authenticator app, or get the current code with  .venv/bin/python manage.py demo_totp",
            "Families and young people sign in with the password alone. MFA_REQUIRED=false turns the step off.",
        ]
    )
