"""Single sign-on for council staff: looking after a council's connection to its identity provider,
and signing someone in through it (docs/sign-in.md, "Single sign-on").

Who may sign in this way: a user whose email address the provider vouches for, in one of the council's
allowed domains, with an active membership of that council itself in a council staff role. Nobody is
ever created here; family members, young people and the platform's own staff are refused (they sign
in with a password and their own two-step verification).
"""

import re
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts import crypto
from accounts.events import audit_record
from accounts.models import CouncilSignOn, Membership, Organisation, User
from accounts.permissions import SESSION_KEY as ACTING_MEMBERSHIP_SESSION_KEY
from accounts.roles import COUNCIL_STAFF_ROLES, FAMILY_ROLES
from accounts.sso import oidc
from accounts.sso.oidc import SignOnProblem

# The session key the two-step verification middleware reads (accounts.mfa.policy).
MFA_SATISFIED_SESSION_KEY = "mfa_satisfied_by"
PENDING_SESSION_KEY = "sso_pending"
# How long a sign-in may take at the provider before its state is no longer accepted.
PENDING_SECONDS = 10 * 60
# At most this many sign-ins may be waiting in one session (several tabs); the oldest is dropped.
PENDING_MAX = 5
SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


# --- Looking after a council's connection ---------------------------------------------------------


def parse_domains(text: str) -> list[str]:
    """'Coventry.gov.uk, @nhs.net' → ['coventry.gov.uk', 'nhs.net']; raises for anything not a domain."""
    domains: list[str] = []
    for raw in re.split(r"[\s,;]+", text or ""):
        domain = raw.strip().lstrip("@").rstrip(".").lower()
        if not domain:
            continue
        if not _DOMAIN.match(domain):
            raise ValidationError({"allowed_email_domains": f"“{raw}” is not an email domain, like council.gov.uk"})
        if domain not in domains:
            domains.append(domain)
    if not domains:
        raise ValidationError({"allowed_email_domains": "Enter at least one email domain, like council.gov.uk"})
    return domains


def _check_issuer(issuer_url: str) -> None:
    try:
        oidc.check_url(issuer_url, "issuer URL")
    except SignOnProblem as problem:
        raise ValidationError({"issuer_url": "Enter the issuer URL as an https address"}) from problem


def _checked(issuer_url: str, allowed_email_domains: str) -> list[str]:
    """The domains, once the issuer and the domains are both checked (all mistakes reported at once)."""
    errors: dict[str, list[str]] = {}
    domains: list[str] = []
    for check in (lambda: _check_issuer(issuer_url), lambda: domains.extend(parse_domains(allowed_email_domains))):
        try:
            check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return domains


def _check_can_enable(issuer_url: str) -> None:
    try:
        oidc.discover(issuer_url)
    except SignOnProblem as problem:
        raise ValidationError(
            {
                "is_enabled": "Single sign-on cannot be turned on until the connection works: "
                f"{problem.detail}. Check the issuer URL, or leave it off for now."
            }
        ) from problem


def _described(config: CouncilSignOn) -> dict[str, Any]:
    return {
        "issuer_url": config.issuer_url,
        "client_id": config.client_id,
        "allowed_email_domains": config.allowed_email_domains,
        "password_sign_in_allowed": config.password_sign_in_allowed,
        "is_enabled": config.is_enabled,
    }


@transaction.atomic
def sign_on_create(
    *,
    actor: User,
    council: Organisation,
    issuer_url: str,
    client_id: str,
    client_secret: str,
    allowed_email_domains: str,
    password_sign_in_allowed: bool,
    is_enabled: bool,
) -> CouncilSignOn:
    if CouncilSignOn.objects.filter(council=council).exists():
        raise ValidationError(f"{council} already has single sign-on set up; change it instead")
    if not client_secret:
        raise ValidationError({"client_secret": "Enter the client secret"})
    domains = _checked(issuer_url, allowed_email_domains)
    if is_enabled:
        _check_can_enable(issuer_url)
    config = CouncilSignOn.objects.create(
        council=council,
        issuer_url=issuer_url.rstrip("/"),
        client_id=client_id.strip(),
        client_secret=client_secret,
        client_secret_hint=crypto.mask(client_secret),
        allowed_email_domains=domains,
        password_sign_in_allowed=password_sign_in_allowed,
        is_enabled=is_enabled,
    )
    audit_record(
        actor=actor,
        action="sso.set_up",
        target=config,
        council=council,
        summary=f"Set up single sign-on for {council} with {config.issuer_url}" + (" (on)" if is_enabled else " (off)"),
        data=_described(config),
    )
    return config


@transaction.atomic
def sign_on_update(
    *,
    actor: User,
    config: CouncilSignOn,
    issuer_url: str,
    client_id: str,
    client_secret: str,
    allowed_email_domains: str,
    password_sign_in_allowed: bool,
    is_enabled: bool,
) -> CouncilSignOn:
    """Change the connection; an empty ``client_secret`` keeps the one stored."""
    before = _described(config)
    domains = _checked(issuer_url, allowed_email_domains)
    issuer_url = issuer_url.rstrip("/")
    if is_enabled and (not config.is_enabled or issuer_url != config.issuer_url):
        _check_can_enable(issuer_url)
    config.issuer_url = issuer_url
    config.client_id = client_id.strip()
    secret_changed = bool(client_secret)
    if secret_changed:
        config.client_secret = client_secret
        config.client_secret_hint = crypto.mask(client_secret)
    config.allowed_email_domains = domains
    config.password_sign_in_allowed = password_sign_in_allowed
    config.is_enabled = is_enabled
    config.save()
    after = _described(config)
    changed = sorted(k for k in after if after[k] != before[k]) + (["client_secret"] if secret_changed else [])
    audit_record(
        actor=actor,
        action="sso.changed",
        target=config,
        council=config.council,
        summary=f"Changed single sign-on for {config.council}: "
        + (", ".join(name.replace("_", " ") for name in changed) or "nothing"),
        data={"changed": changed, "before": before, "after": after},
    )
    return config


@dataclass(frozen=True)
class ConnectionTest:
    succeeded: bool
    metadata: oidc.ProviderMetadata | None = None
    key_count: int = 0
    problem: str = ""


def sign_on_test(*, actor: User, config: CouncilSignOn) -> ConnectionTest:
    """Read the provider's discovery document and key set, and record whether that worked."""
    try:
        metadata = oidc.discover(config.issuer_url)
        key_set = oidc.fetch_key_set(metadata)
        result = ConnectionTest(succeeded=True, metadata=metadata, key_count=len(key_set.keys))
    except SignOnProblem as problem:
        result = ConnectionTest(succeeded=False, problem=problem.detail)
    config.last_tested_at = timezone.now()
    config.last_test_succeeded = result.succeeded
    config.save(update_fields=["last_tested_at", "last_test_succeeded", "updated_at"])
    audit_record(
        actor=actor,
        action="sso.tested",
        target=config,
        council=config.council,
        summary=f"Tested the single sign-on connection for {config.council}: "
        + ("it works" if result.succeeded else "it failed"),
        data={"succeeded": result.succeeded, "problem": result.problem},
    )
    return result


# --- Signing in -----------------------------------------------------------------------------------


class SignInRefused(Exception):
    """The provider vouched for someone who may not sign in this way. ``reason`` is for the audit."""

    def __init__(self, reason: str, email: str, config: CouncilSignOn) -> None:
        super().__init__(reason)
        self.reason = reason
        self.email = email
        self.config = config


def _audit_refusal(config: CouncilSignOn | None, reason: str, detail: str, email: str = "") -> None:
    audit_record(
        actor=None,
        action="sso.refused",
        # Without a configuration (a state this browser never started) there is nothing to point at.
        target=config if config is not None else CouncilSignOn(public_id=""),
        council=config.council if config else None,
        summary=f"Refused a single sign-on{f' for {email}' if email else ''}"
        + (f" through {config.council}" if config else "")
        + f": {reason.replace('_', ' ')}",
        data={"reason": reason, "detail": detail[:300], "email": email},
    )


def start(
    request: HttpRequest, config: CouncilSignOn, *, redirect_uri: str, login_hint: str = "", next_url: str = ""
) -> str:
    """Begin a sign-in: keep the state, nonce and PKCE verifier in the session and answer the
    provider's address to send the user to."""
    try:
        metadata = oidc.discover(config.issuer_url)
    except SignOnProblem as problem:
        _audit_refusal(config, problem.code, problem.detail)
        raise
    auth_request = oidc.authorization_request(
        metadata, client_id=config.client_id, redirect_uri=redirect_uri, login_hint=login_hint
    )
    pending = [p for p in request.session.get(PENDING_SESSION_KEY, []) if p["started"] > time.time() - PENDING_SECONDS]
    pending.append(
        {
            "state": auth_request.state,
            "nonce": auth_request.nonce,
            "code_verifier": auth_request.code_verifier,
            "council": config.council.slug,
            "redirect_uri": redirect_uri,
            "next": next_url,
            "started": time.time(),
        }
    )
    request.session[PENDING_SESSION_KEY] = pending[-PENDING_MAX:]
    return auth_request.url


def _take_pending(request: HttpRequest, state: str) -> dict[str, Any]:
    pending = request.session.get(PENDING_SESSION_KEY, [])
    match = next((p for p in pending if state and p["state"] == state), None)
    if match is None:
        raise SignOnProblem("state_mismatch", "The sign-in's state is not one this browser started")
    # One use only: a state answered once cannot be answered again.
    request.session[PENDING_SESSION_KEY] = [p for p in pending if p is not match]
    if match["started"] < time.time() - PENDING_SECONDS:
        raise SignOnProblem("expired", "The sign-in took longer than 10 minutes")
    return match


@dataclass(frozen=True)
class Finished:
    user: User
    config: CouncilSignOn
    next_url: str


def pending_config(request: HttpRequest, state: str) -> CouncilSignOn | None:
    """The council a returning sign-in started with, without using its state up (for the pages)."""
    for pending in request.session.get(PENDING_SESSION_KEY, []):
        if state and pending["state"] == state:
            return CouncilSignOn.objects.select_related("council").filter(council__slug=pending["council"]).first()
    return None


def finish(request: HttpRequest, params: dict[str, str]) -> Finished:
    """Complete a sign-in from the provider's answer (the callback's query string).

    Raises ``SignOnProblem`` when the protocol fails and ``SignInRefused`` when the person may not sign
    in this way; both are audited. On success the user is signed in, the session counts as having
    passed two-step verification (the provider's), and they act in their council staff role.
    """
    config: CouncilSignOn | None = None
    try:
        pending = _take_pending(request, params.get("state", ""))
        config = (
            CouncilSignOn.objects.select_related("council")
            .filter(council__slug=pending["council"], is_enabled=True, council__is_active=True)
            .first()
        )
        if config is None:
            raise SignOnProblem("refused_by_provider", "Single sign-on has been turned off for this council")
        if params.get("error"):
            raise SignOnProblem(
                "refused_by_provider",
                f"The provider answered {params['error']}: {params.get('error_description', '')}".strip(),
            )
        if not params.get("code"):
            raise SignOnProblem("refused_by_provider", "The provider sent no authorization code")
        metadata = oidc.discover(config.issuer_url)
        token = oidc.exchange_code(
            metadata,
            client_id=config.client_id,
            client_secret=config.client_secret,
            redirect_uri=pending["redirect_uri"],
            code=params["code"],
            code_verifier=pending["code_verifier"],
        )
        key_set = oidc.fetch_key_set(metadata)
        claims = oidc.validate_id_token(
            metadata,
            key_set,
            id_token=token["id_token"],
            client_id=config.client_id,
            nonce=pending["nonce"],
            access_token=token.get("access_token") or "",
        )
    except SignOnProblem as problem:
        _audit_refusal(config, problem.code, problem.detail)
        raise
    user = match_user(config, claims)
    _sign_in(request, user, config)
    return Finished(user=user, config=config, next_url=pending.get("next", ""))


def _email_from(claims: dict[str, Any]) -> str:
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        # Entra ID sends the work address as preferred_username when the email claim is not configured.
        email = claims.get("preferred_username")
    if not isinstance(email, str) or "@" not in email:
        return ""
    return email.strip().lower()


def match_user(config: CouncilSignOn, claims: dict[str, Any]) -> User:
    """The existing council staff member the provider vouched for, or ``SignInRefused``."""
    email = _email_from(claims)

    def refuse(reason: str) -> SignInRefused:
        _audit_refusal(config, reason, f"sub={claims.get('sub', '')}", email=email)
        return SignInRefused(reason, email, config)

    if not email:
        raise refuse("no_email")
    if claims.get("email_verified") is False:
        raise refuse("email_not_verified")
    if not config.allows_email(email):
        raise refuse("domain_not_allowed")
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise refuse("no_account")
    if user.is_staff or user.is_superuser:
        raise refuse("platform_staff")
    memberships = Membership.objects.active().filter(user=user)
    if memberships.filter(role__in=FAMILY_ROLES).exists():
        raise refuse("family_member")
    if not memberships.filter(organisation=config.council, role__in=COUNCIL_STAFF_ROLES).exists():
        raise refuse("not_council_staff")
    return user


def _sign_in(request: HttpRequest, user: User, config: CouncilSignOn) -> None:
    login(request, user, backend=SIGN_IN_BACKEND)  # a new session key: the old one is not reused
    request.session[MFA_SATISFIED_SESSION_KEY] = f"oidc:{config.council.slug}"
    staff_membership = (
        Membership.objects.active()
        .filter(user=user, organisation=config.council, role__in=COUNCIL_STAFF_ROLES)
        .order_by("pk")
        .first()
    )
    if staff_membership is not None:
        request.session[ACTING_MEMBERSHIP_SESSION_KEY] = staff_membership.pk
    audit_record(
        actor=user,
        action="sso.signed_in",
        target=user,
        council=config.council,
        summary=f"{user.email} signed in through {config.council}'s identity provider",
        data={"issuer": config.issuer_url},
    )


# --- Password sign-in -----------------------------------------------------------------------------


def councils_requiring_sign_on(user: User) -> list[Organisation]:
    """The councils, with single sign-on on and passwords turned off, where the user is staff."""
    council_ids = (
        Membership.objects.active()
        .filter(user=user, role__in=COUNCIL_STAFF_ROLES, organisation__kind="council")
        .values("organisation_id")
    )
    return [
        config.council
        for config in CouncilSignOn.objects.select_related("council").filter(
            council_id__in=council_ids, is_enabled=True, password_sign_in_allowed=False
        )
    ]
