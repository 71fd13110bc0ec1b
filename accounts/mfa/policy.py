"""Who must use two-step verification, and whether this session has passed it."""

from django.conf import settings
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, User
from accounts.roles import COUNCIL_STAFF_ROLES, Role

# Single sign-on contract (docs/sign-in.md): a sign-in through a council's identity provider, whose
# second factor is that provider's, sets this session key (to "oidc:<council slug>"); such a session
# counts as verified here.
MFA_SATISFIED_SESSION_KEY = "mfa_satisfied_by"

# Everyone who handles other people's records or money; families and young people may choose.
MFA_REQUIRED_ROLES = frozenset({*COUNCIL_STAFF_ROLES, Role.BROKER, Role.PROVIDER_STAFF, Role.PERSONAL_ASSISTANT})


def mfa_required_for(user: User, memberships: list[Membership] | None = None) -> bool:
    """True when the user's roles (or platform staff status) require two-step verification.

    ``memberships`` are the user's active memberships when the caller has them (request.memberships);
    otherwise they are read.
    """
    if not settings.MFA_REQUIRED:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if memberships is None:
        return Membership.objects.active().filter(user=user, role__in=MFA_REQUIRED_ROLES).exists()
    return any(m.role in MFA_REQUIRED_ROLES for m in memberships)


def mfa_role_allows_turning_off(user: User) -> bool:
    """Only someone whose roles do not require it may turn two-step verification off."""
    return not mfa_required_for(user)


def totp_device_confirmed(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def mfa_is_on(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_remaining(user: User) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def session_is_verified(request: HttpRequest) -> bool:
    """The session passed a security code or a recovery code (django-otp), or single sign-on did."""
    if request.session.get(MFA_SATISFIED_SESSION_KEY):
        return True
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())
