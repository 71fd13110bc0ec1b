"""Signing in with a council's account, and the council administrator's page for the connection.

The sign-in pages are open to anyone; every failure is a plain page with a way back to the password
sign-in (where the council allows it), never a 500. The manage pages act within ``request.council``:
another council's settings answer 404, and anyone but a council administrator gets 403.
"""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.form_errors import add_service_errors, posted
from accounts.models import CouncilSignOn
from accounts.permissions import role_required
from accounts.roles import Role
from accounts.sso import selectors, services
from accounts.sso.forms import CouncilAccountForm, SignOnForm
from accounts.sso.oidc import SignOnProblem

admin_required = role_required(Role.COUNCIL_ADMIN)

# What each problem means to the person signing in, and the status the page answers.
PROBLEMS: dict[str, tuple[str, str, int]] = {
    "provider_unavailable": (
        "Your council's sign-in service is not answering",
        "We could not reach {council}'s sign-in service. Try again in a few minutes.",
        502,
    ),
    "bad_discovery": (
        "Your council's sign-in service is not set up correctly",
        "{council}'s sign-in service did not describe itself in a way we can use. "
        "Tell your council's administrator; they can test the connection from their single sign-on page.",
        502,
    ),
    "refused_by_provider": (
        "Your council's sign-in service did not sign you in",
        "{council}'s sign-in service did not sign you in, or single sign-on has been turned off.",
        400,
    ),
    "token_exchange_failed": (
        "We could not finish signing you in",
        "{council}'s sign-in service did not complete the sign-in. Start again.",
        502,
    ),
    "bad_token": (
        "We could not check who you are",
        "What {council}'s sign-in service sent could not be checked, so you have not been signed in. "
        "Start again; if it happens again, tell your council's administrator.",
        400,
    ),
    "state_mismatch": (
        "This sign-in has ended",
        "This sign-in was not started in this browser, or it has already been used. Start again.",
        400,
    ),
    "expired": (
        "This sign-in has timed out",
        "You took longer than 10 minutes at your council's sign-in page. Start again.",
        400,
    ),
}


def _next_url(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _problem_page(request: HttpRequest, problem: SignOnProblem, config: CouncilSignOn | None) -> HttpResponse:
    title, message, status = PROBLEMS.get(problem.code, PROBLEMS["bad_token"])
    council_name = str(config.council) if config else "Your council"
    return render(
        request,
        "accounts/sso/problem.html",
        {
            "title": title,
            "message": message.format(council=council_name),
            "config": config,
            "password_allowed": config is None or config.password_sign_in_allowed,
        },
        status=status,
    )


def _start(request: HttpRequest, config: CouncilSignOn, login_hint: str, next_url: str) -> HttpResponse:
    try:
        url = services.start(
            request,
            config,
            redirect_uri=request.build_absolute_uri(reverse("accounts:sso-callback")),
            login_hint=login_hint,
            next_url=next_url,
        )
    except SignOnProblem as problem:
        return _problem_page(request, problem, config)
    return HttpResponseRedirect(url)


@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    """'Sign in with your council's account': by work email address, or by choosing the council."""
    next_url = _next_url(request, request.POST.get("next") or request.GET.get("next"))
    form = CouncilAccountForm(request.POST if request.method == "POST" and "email" in request.POST else None)
    councils = list(selectors.enabled_sign_ons().order_by("council__name"))
    if request.method == "POST":
        chosen = request.POST.get("council")
        if chosen:
            config = next((c for c in councils if c.council.slug == chosen), None)
            if config is not None:
                return _start(request, config, "", next_url)
            form.add_error(None, "Choose a council that offers single sign-on")
        elif form.is_valid():
            email = form.cleaned_data["email"]
            matches = selectors.sign_ons_for_email(email)
            if len(matches) == 1:
                return _start(request, matches[0], email, next_url)
            if matches:
                form.add_error("email", "More than one council uses this email domain. Choose your council below")
            else:
                form.add_error(
                    "email",
                    "No council signs in addresses like this one through its own account. "
                    "Sign in with your email address and password instead",
                )
    return render(
        request,
        "accounts/sso/sign_in.html",
        {"form": form, "councils": councils, "next": next_url},
    )


@never_cache
def callback(request: HttpRequest) -> HttpResponse:
    """Where the council's identity provider sends the person back, with a code or an error."""
    params = {key: request.GET.get(key, "") for key in ("state", "code", "error", "error_description")}
    config = services.pending_config(request, params["state"])
    try:
        finished = services.finish(request, params)
    except SignOnProblem as problem:
        return _problem_page(request, problem, config)
    except services.SignInRefused as refusal:
        return render(
            request,
            "accounts/sso/not_matched.html",
            {"refusal": refusal, "config": refusal.config, "council": refusal.config.council},
            status=403,
        )
    return redirect(_next_url(request, finished.next_url) or settings.LOGIN_REDIRECT_URL)


# --- The council administrator's page -------------------------------------------------------------


@admin_required
def manage_detail(request: HttpRequest) -> HttpResponse:
    config = selectors.sign_on_for_council(request.council)  # type: ignore[attr-defined]
    return render(
        request,
        "accounts/sso/manage_detail.html",
        {
            "config": config,
            "council": request.council,  # type: ignore[attr-defined]
            "redirect_uri": request.build_absolute_uri(reverse("accounts:sso-callback")),
            "history": selectors.sign_on_history(config=config) if config else [],
        },
    )


def _save(request: HttpRequest, form: SignOnForm, config: CouncilSignOn | None) -> CouncilSignOn | None:
    try:
        if config is None:
            return services.sign_on_create(actor=request.user, council=request.council, **form.cleaned_data)  # type: ignore[attr-defined,arg-type]
        return services.sign_on_update(actor=request.user, config=config, **form.cleaned_data)  # type: ignore[arg-type]
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@admin_required
def manage_create(request: HttpRequest) -> HttpResponse:
    existing = selectors.sign_on_for_council(request.council)  # type: ignore[attr-defined]
    if existing is not None:
        return redirect("accounts:manage-sso-edit", public_id=existing.public_id)
    form = SignOnForm(posted(request))
    if request.method == "POST" and form.is_valid() and _save(request, form, None):
        messages.success(request, "Single sign-on has been set up")
        return redirect("accounts:manage-sso")
    return render(
        request,
        "accounts/sso/manage_form.html",
        {
            "form": form,
            "config": None,
            "council": request.council,
            "redirect_uri": request.build_absolute_uri(reverse("accounts:sso-callback")),
        },
    )


@admin_required
def manage_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    config = selectors.sign_on_get_for_council(council=request.council, public_id=public_id)  # type: ignore[attr-defined]
    form = SignOnForm(posted(request), config=config)
    if request.method == "POST" and form.is_valid() and _save(request, form, config):
        messages.success(request, "Your changes to single sign-on have been saved")
        return redirect("accounts:manage-sso")
    return render(
        request,
        "accounts/sso/manage_form.html",
        {
            "form": form,
            "config": config,
            "council": config.council,
            "redirect_uri": request.build_absolute_uri(reverse("accounts:sso-callback")),
        },
    )


@require_POST
@admin_required
def manage_test(request: HttpRequest, public_id: UUID) -> HttpResponse:
    config = selectors.sign_on_get_for_council(council=request.council, public_id=public_id)  # type: ignore[attr-defined]
    result = services.sign_on_test(actor=request.user, config=config)  # type: ignore[arg-type]
    return render(request, "accounts/sso/manage_test.html", {"config": config, "result": result})
