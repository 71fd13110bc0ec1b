"""The "Get paid through Stripe" page: a provider's or PA's page for their Stripe Express account with the council
they registered with, when that council pays through Stripe Connect.

The page shows where they are (not started, details needed, ready to receive payments); its button opens
the account (once) and sends them to Stripe's own sign-up pages. Stripe sends them back to ``return/``
(we ask Stripe for the account's state there), or to ``refresh/`` when the sign-up link has expired (a new
one is made). Provider staff and personal assistants only; everyone else 403. Works without JavaScript.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Organisation
from marketplace.payments.exceptions import GatewayError
from marketplace.payments.models import ConnectedAccount
from marketplace.payments.stripe_gateway import (
    connect_account_create,
    connect_account_sync,
    connect_onboarding_link,
    connected_account_for,
    council_pays_by_stripe,
)
from providers.permissions import ProviderContext, provider_required
from providers.selectors.own import provider_council

TEMPLATE = "marketplace/payments/stripe_connect.html"


def _owner(provider: ProviderContext) -> dict:
    if provider.personal_assistant is not None:
        return {"personal_assistant": provider.personal_assistant}
    return {"provider_organisation": provider.organisation}


def _account(provider: ProviderContext, council: Organisation | None) -> ConnectedAccount | None:
    if council is None:
        return None
    return connected_account_for(council=council, **_owner(provider))


def connect_status(account: ConnectedAccount | None) -> str:
    if account is None:
        return "not_started"
    return "ready" if account.can_receive_transfers else "details_needed"


def stripe_field_label(field: str) -> str:
    """Stripe names what it still needs by field ("individual.verification.document"): say it in words."""
    return field.replace(".", ": ").replace("_", " ").capitalize()


def _onboarding_redirect(request: HttpRequest, account: ConnectedAccount) -> HttpResponse:
    link = connect_onboarding_link(
        account=account,
        refresh_url=request.build_absolute_uri(reverse("stripe:connect-refresh")),
        return_url=request.build_absolute_uri(reverse("stripe:connect-return")),
    )
    return redirect(link)


@provider_required
@require_http_methods(["GET", "POST"])
def connect_page(request: HttpRequest) -> HttpResponse:
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    council = provider_council(provider)
    uses_stripe = council_pays_by_stripe(council)
    account = _account(provider, council) if uses_stripe else None
    error = ""
    if request.method == "POST" and uses_stripe:
        try:
            if account is None:
                account = connect_account_create(council=council, actor=request.user, **_owner(provider))
            return _onboarding_redirect(request, account)
        except GatewayError as refusal:
            error = str(refusal)
    context = {
        "council": council,
        "uses_stripe": uses_stripe,
        "account": account,
        "status": connect_status(account),
        "still_needed": [stripe_field_label(item) for item in (account.requirements_due if account else [])],
        "errors": [{"message": error, "href": "#connect-start"}] if error else [],
    }
    return render(request, TEMPLATE, context, status=400 if error else 200)


@provider_required
@require_GET
def connect_return(request: HttpRequest) -> HttpResponse:
    """Back from Stripe's pages: their state now, before Stripe's ``account.updated`` may have arrived."""
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    council = provider_council(provider)
    account = _account(provider, council) if council_pays_by_stripe(council) else None
    if account is not None:
        try:
            account = connect_account_sync(account=account)
        except GatewayError as refusal:
            messages.error(request, str(refusal))
        else:
            if account.can_receive_transfers:
                messages.success(request, "Your Stripe account is ready to receive payments")
            else:
                messages.info(request, "Stripe needs more details before you can be paid")
    return redirect("stripe:connect")


@provider_required
@require_GET
def connect_refresh(request: HttpRequest) -> HttpResponse:
    """Stripe's sign-up link expired or was used: make a new one and go straight back."""
    provider: ProviderContext = request.provider  # type: ignore[attr-defined]
    council = provider_council(provider)
    account = _account(provider, council) if council_pays_by_stripe(council) else None
    if account is None:
        return redirect("stripe:connect")
    try:
        return _onboarding_redirect(request, account)
    except GatewayError as refusal:
        messages.error(request, str(refusal))
        return redirect("stripe:connect")
