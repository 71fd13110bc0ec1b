"""Writes for accounts. Each is a transaction; side effects happen after commit."""

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from accounts.events import audit_record
from accounts.models import Membership, Notification, Organisation, User
from accounts.roles import OrganisationKind, Role


@transaction.atomic
def user_update_profile(*, user: User, first_name: str, last_name: str, phone_number: str, prefers_sms: bool) -> User:
    user.first_name = first_name
    user.last_name = last_name
    user.phone_number = phone_number
    user.prefers_sms = prefers_sms
    user.full_clean()
    user.save(update_fields=["first_name", "last_name", "phone_number", "prefers_sms"])
    return user


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# --- Council administration -----------------------------------------------------------------------
# Every function below acts for one council's administrator and only on the council itself and the
# organisations registered with it. Views reach records through scoped selectors first (so other
# councils' records answer 404); the checks here keep the rule when a service is called elsewhere.


def _ensure_within_council(council: Organisation, organisation: Organisation) -> None:
    if not council.is_council or not Organisation.objects.within_council(council).filter(pk=organisation.pk).exists():
        raise PermissionDenied(f"{organisation} is not looked after by {council}")


def _unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "organisation"
    candidate, number = base, 2
    while Organisation.objects.filter(slug=candidate).exists():
        candidate, number = f"{base}-{number}", number + 1
    return candidate


@transaction.atomic
def organisation_create(
    *, actor: User, council: Organisation, kind: str, name: str, email: str = "", phone: str = ""
) -> Organisation:
    """Register a provider, broker organisation or NHS body with ``council``."""
    if kind == OrganisationKind.COUNCIL:
        raise ValidationError({"kind": "A council cannot register another council"})
    _ensure_within_council(council, council)
    organisation = Organisation(
        kind=kind, name=name.strip(), slug=_unique_slug(name), council=council, email=email, phone=phone
    )
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=actor,
        action="organisation.created",
        target=organisation,
        council=council,
        summary=f"Registered {organisation.name} ({organisation.get_kind_display().lower()})",
        data={"kind": kind},
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    council: Organisation,
    organisation: Organisation,
    name: str,
    email: str,
    phone: str,
    is_active: bool,
    reason: str = "",
) -> Organisation:
    """Change an organisation's name, contact details or whether it is open; a no-op writes nothing."""
    _ensure_within_council(council, organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.is_council and not is_active:
        raise ValidationError({"is_active": "You cannot close your own council"})
    wanted = {"name": name.strip(), "email": email, "phone": phone, "is_active": is_active}
    changes = {field: [getattr(organisation, field), value] for field, value in wanted.items()}
    changes = {field: values for field, values in changes.items() if values[0] != values[1]}
    if not changes:
        return organisation
    for field, (_old, new) in changes.items():
        setattr(organisation, field, new)
    organisation.full_clean()
    organisation.save(update_fields=list(changes))
    audit_record(
        actor=actor,
        action="organisation.updated",
        target=organisation,
        council=council,
        summary=_organisation_change_summary(organisation, changes),
        reason=reason,
        data={"changes": changes},
    )
    return organisation


def _organisation_change_summary(organisation: Organisation, changes: dict[str, list]) -> str:
    if "is_active" in changes:
        return f"{'Reopened' if organisation.is_active else 'Closed'} {organisation.name}"
    labels = {"name": "name", "email": "email address", "phone": "phone number"}
    return f"Changed the {' and '.join(labels[field] for field in changes)} of {organisation.name}"


@dataclass(frozen=True)
class Invitation:
    membership: Membership
    is_new_user: bool  # False when the role was added to an existing account


@transaction.atomic
def user_invite(
    *,
    actor: User,
    council: Organisation,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Organisation,
    role: str,
) -> Invitation:
    """Give ``email`` a role in one of the council's organisations.

    An address that already has an account gets the new membership on that account (its name is
    the user's own and is left alone). A new address gets an account with no password and an
    invitation email whose link lets them choose one.
    """
    _ensure_within_council(council, organisation)
    email = email.strip().lower()
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    is_new_user = user is None
    if user is None:
        user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
        user.set_unusable_password()
        user.full_clean()
        user.save()
        audit_record(
            actor=actor,
            action="user.invited",
            target=user,
            council=council,
            summary=f"Invited {user.get_full_name()} ({user.email})",
        )
    membership = _membership_grant(actor=actor, council=council, user=user, organisation=organisation, role=role)
    if is_new_user:
        transaction.on_commit(partial(_send_invitation, user=user, membership=membership))
    else:
        transaction.on_commit(partial(_send_role_added, membership=membership))
    return Invitation(membership=membership, is_new_user=is_new_user)


@transaction.atomic
def membership_add(
    *, actor: User, council: Organisation, user: User, organisation: Organisation, role: str
) -> Membership:
    """Give someone who already has an account another role in one of the council's organisations."""
    _ensure_within_council(council, organisation)
    membership = _membership_grant(actor=actor, council=council, user=user, organisation=organisation, role=role)
    transaction.on_commit(partial(_send_role_added, membership=membership))
    return membership


def _membership_grant(
    *, actor: User, council: Organisation, user: User, organisation: Organisation, role: str
) -> Membership:
    existing = Membership.objects.select_for_update().filter(user=user, organisation=organisation, role=role).first()
    if existing is not None:
        if existing.is_active:
            raise ValidationError({"role": f"{user} is already {_role_at(existing)}"})
        raise ValidationError({"role": f"{user} used to be {_role_at(existing)}. Reactivate that role from their page"})
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    audit_record(
        actor=actor,
        action="membership.created",
        target=membership,
        council=council,
        summary=f"Gave {user} the role {_role_at(membership)}",
        data={"user": str(user.public_id), "organisation": str(organisation.public_id), "role": role},
    )
    return membership


def _role_at(membership: Membership) -> str:
    return f"{membership.get_role_display().lower()} at {membership.organisation}"


@transaction.atomic
def membership_end(*, actor: User, council: Organisation, membership: Membership, reason: str) -> Membership:
    """End a role: the user keeps their account but can no longer act in it."""
    _ensure_within_council(council, membership.organisation)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are ending this role"})
    # Every change to who administers the council queues on the council's row. Without this, two
    # administrators ending each other's roles at the same moment could both succeed and leave the
    # council with nobody to administer it; with it, the second finds that its actor is no longer
    # an administrator and is refused.
    Organisation.objects.select_for_update().get(pk=council.pk)
    if not Membership.objects.active().filter(user=actor, organisation=council, role=Role.COUNCIL_ADMIN).exists():
        raise ValidationError("Your council administrator role has ended, so you cannot make this change")
    membership = Membership.objects.select_for_update().select_related("user", "organisation").get(pk=membership.pk)
    if not membership.is_active:
        raise ValidationError("This role has already ended")
    if (
        membership.user_id == actor.pk
        and membership.organisation_id == council.pk
        and membership.role == Role.COUNCIL_ADMIN
    ):
        # A user holds at most one administrator membership per council, so this is their last one.
        raise ValidationError(
            f"You cannot end your own council administrator role. Ask another administrator of {council} to do it"
        )
    membership.is_active = False
    membership.ended_at = timezone.now()
    membership.full_clean()
    membership.save(update_fields=["is_active", "ended_at"])
    audit_record(
        actor=actor,
        action="membership.ended",
        target=membership,
        council=council,
        summary=f"Ended {membership.user}'s role as {_role_at(membership)}",
        reason=reason.strip(),
    )
    return membership


@transaction.atomic
def membership_reactivate(*, actor: User, council: Organisation, membership: Membership, reason: str) -> Membership:
    """Give back a role that had ended."""
    _ensure_within_council(council, membership.organisation)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are reactivating this role"})
    membership = Membership.objects.select_for_update().select_related("user", "organisation").get(pk=membership.pk)
    if membership.is_active:
        raise ValidationError("This role is already active")
    membership.is_active = True
    membership.ended_at = None
    membership.full_clean()
    membership.save(update_fields=["is_active", "ended_at"])
    audit_record(
        actor=actor,
        action="membership.reactivated",
        target=membership,
        council=council,
        summary=f"Reactivated {membership.user}'s role as {_role_at(membership)}",
        reason=reason.strip(),
    )
    transaction.on_commit(partial(_send_role_added, membership=membership))
    return membership


# The invitation link is a password-reset token, so it lasts as long as one does.
INVITATION_VALID_HOURS = settings.PASSWORD_RESET_TIMEOUT // 3600


def user_invitation_is_pending(user: User) -> bool:
    """Invited but has not yet chosen a password (and so has never signed in)."""
    return not user.has_usable_password() and user.last_login is None


@transaction.atomic
def user_invitation_resend(*, actor: User, council: Organisation, user: User) -> None:
    """Send a fresh set-password link; the first may have expired (PASSWORD_RESET_TIMEOUT)."""
    membership = (
        Membership.objects.filter(user=user, organisation__in=Organisation.objects.within_council(council))
        .select_related("organisation")
        .order_by("-is_active", "-created_at")
        .first()
    )
    if membership is None:
        raise PermissionDenied(f"{user} has no role in {council}")
    if not user_invitation_is_pending(user):
        raise ValidationError(f"{user} has already chosen a password. They can reset it from the sign-in page")
    audit_record(
        actor=actor,
        action="user.invitation_resent",
        target=user,
        council=council,
        summary=f"Sent the invitation to {user.email} again",
    )
    transaction.on_commit(partial(_send_invitation, user=user, membership=membership))


def _set_password_url(user: User) -> str:
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def _send_invitation(*, user: User, membership: Membership) -> None:
    context = {
        "user": user,
        "membership": membership,
        "link": _set_password_url(user),
        "valid_hours": INVITATION_VALID_HOURS,
    }
    send_mail(
        subject=f"You have been invited to Support Exchange by {membership.council}",
        message=render_to_string("accounts/manage/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def _send_role_added(*, membership: Membership) -> None:
    context = {
        "user": membership.user,
        "membership": membership,
        "sign_in_url": f"{settings.SITE_URL}{reverse('accounts:sign-in')}",
    }
    send_mail(
        subject=f"You have a new role on Support Exchange: {membership.get_role_display().lower()}",
        message=render_to_string("accounts/manage/email/role_added.txt", context),
        from_email=None,
        recipient_list=[membership.user.email],
    )
