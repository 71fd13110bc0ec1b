"""The pages of two-step verification: the code step after the password, setting up an app, recovery
codes, the user's own settings page and a council administrator's reset.

Every page works without JavaScript; the code fields ask for numbers and allow the browser to fill in
a one-time code (autocomplete="one-time-code").
"""

from base64 import b32encode
from uuid import UUID

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.form_errors import add_service_errors, posted
from accounts.mfa import policy, services
from accounts.mfa.forms import RecoveryCodeForm, ResetReasonForm, SecurityCodeForm
from accounts.permissions import role_required
from accounts.roles import Role

# The recovery codes just made, held in the session only until the user says they have saved them.
NEW_CODES_SESSION_KEY = "mfa_new_recovery_codes"


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse("accounts:dashboard")


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _signed_in_with(request: HttpRequest, device: object) -> None:
    # A new session key once the second factor passes: a key seen before it cannot ride on the result.
    request.session.cycle_key()
    django_otp.login(request, device)


# --- The code step after the password -------------------------------------------------------------


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if policy.session_is_verified(request):
        return redirect(_next_url(request))
    if not policy.mfa_is_on(request.user):
        return redirect(_with_next("accounts:mfa-setup", _next_url(request)))
    form = SecurityCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            device = services.security_code_check(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _signed_in_with(request, device)
            return redirect(_next_url(request))
    return render(request, "accounts/mfa/verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
def verify_recovery(request: HttpRequest) -> HttpResponse:
    if policy.session_is_verified(request):
        return redirect(_next_url(request))
    form = RecoveryCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            device = services.recovery_code_use(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _signed_in_with(request, device)
            remaining = policy.recovery_codes_remaining(request.user)
            messages.warning(
                request,
                f"You used a recovery code. You have {remaining} left. "
                "If you have lost your authenticator app, set up a new one from your account page.",
            )
            return redirect(_next_url(request))
    return render(request, "accounts/mfa/verify_recovery.html", {"form": form, "next": _next_url(request)})


# --- Setting up an authenticator app --------------------------------------------------------------


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    # This page is open before the code step (middleware), so someone who has an app must pass the
    # code step first: otherwise a password alone could replace the app.
    if policy.mfa_is_on(request.user) and not policy.session_is_verified(request):
        return redirect(_with_next("accounts:mfa-verify", reverse("accounts:mfa-setup")))
    device = services.totp_device_pending(user=request.user)
    form = SecurityCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            new_codes = services.totp_device_confirm(user=request.user, device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            device.refresh_from_db()
            _signed_in_with(request, device)
            if new_codes is None:
                messages.success(request, "Your new authenticator app is set up. Your recovery codes still work")
                return redirect("accounts:mfa-manage")
            request.session[NEW_CODES_SESSION_KEY] = new_codes.codes
            return redirect(_with_next("accounts:mfa-recovery-codes", _next_url(request)))
    return render(
        request,
        "accounts/mfa/setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_svg": _qr_svg(device.config_url),
            "secret_groups": _secret_groups(device.bin_key),
            "required": policy.mfa_required_for(request.user, request.memberships),  # type: ignore[attr-defined]
            "replacing": policy.mfa_is_on(request.user),
        },
    )


def _qr_svg(config_url: str) -> SafeString:
    svg = segno.make(config_url, error="m").svg_inline(scale=5, dark="#0b0c0c", light="#ffffff", svgclass=None)
    # segno writes only its own markup (paths, no user text), so it is safe to place in the page.
    labelled = svg.replace("<svg ", '<svg role="img" aria-label="QR code to scan with your authenticator app" ', 1)
    return mark_safe(labelled)  # noqa: S308


def _secret_groups(key: bytes) -> list[str]:
    secret = b32encode(key).decode()
    return [secret[i : i + 4] for i in range(0, len(secret), 4)]


# --- Recovery codes -------------------------------------------------------------------------------


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = request.session.get(NEW_CODES_SESSION_KEY)
    if not codes:
        return redirect("accounts:mfa-manage")
    if request.method == "POST":
        del request.session[NEW_CODES_SESSION_KEY]
        messages.success(request, "Two-step verification is on. Keep your recovery codes safe")
        return redirect(_next_url(request))
    return render(request, "accounts/mfa/recovery_codes.html", {"codes": codes, "next": _next_url(request)})


@never_cache
@login_required
def recovery_codes_download(request: HttpRequest) -> HttpResponse:
    codes = request.session.get(NEW_CODES_SESSION_KEY)
    if not codes:
        return redirect("accounts:mfa-manage")
    lines = [
        "Support Exchange recovery codes",
        f"For {request.user.email}",
        "",
        "Each code works once, in place of a security code from your authenticator app.",
        "Keep them somewhere safe, away from your phone.",
        "",
        *codes,
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="support-exchange-recovery-codes.txt"'
    return response


@login_required
@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    try:
        new_codes = services.recovery_codes_regenerate(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:mfa-manage")
    request.session[NEW_CODES_SESSION_KEY] = new_codes.codes
    return redirect(_with_next("accounts:mfa-recovery-codes", reverse("accounts:mfa-manage")))


# --- The user's own settings ----------------------------------------------------------------------


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/mfa/manage.html",
        {
            "is_on": policy.mfa_is_on(user),
            "required": policy.mfa_required_for(user, request.memberships),  # type: ignore[attr-defined]
            "codes_remaining": policy.recovery_codes_remaining(user),
            "signed_in_by_sso": request.session.get(policy.MFA_SATISFIED_SESSION_KEY, ""),
        },
    )


@never_cache
@login_required
def turn_off(request: HttpRequest) -> HttpResponse:
    if not policy.mfa_is_on(request.user):
        return redirect("accounts:mfa-manage")
    if not policy.mfa_role_allows_turning_off(request.user):
        messages.error(request, "Your role needs two-step verification: you cannot turn it off")
        return redirect("accounts:mfa-manage")
    form = SecurityCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.mfa_turn_off(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Two-step verification is off")
            return redirect("accounts:mfa-manage")
    return render(request, "accounts/mfa/turn_off.html", {"form": form})


# --- A council administrator resets a member's two-step verification ------------------------------


@role_required(Role.COUNCIL_ADMIN)
def reset(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = selectors.user_get_for_council(council=request.council, public_id=public_id)  # type: ignore[attr-defined]
    form = ResetReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.mfa_reset(
            actor=request.user,
            council=request.council,  # type: ignore[attr-defined]
            user=person,
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request, f"{person}'s two-step verification was reset. They will set up a new app when they next sign in"
        )
        return redirect("accounts:manage-user", public_id=person.public_id)
    return render(
        request,
        "accounts/mfa/reset.html",
        {"form": form, "person": person, "is_on": policy.mfa_is_on(person)},
    )
