"""The payment settings page, /payments/settings/: how the council pays, its finance code and its Stripe
keys, for the council's finance officers and council administrators (other roles get 403). Each council
sees and changes only its own settings: the council is the one the user acts for, never one in the address.

The keys are shown masked only; the form never carries them back into the page.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from marketplace.payments.council_settings import (
    SETTINGS_ROLES,
    payment_settings_of,
    payment_settings_update,
    secret_mask,
    stripe_connection_check,
)
from marketplace.payments.exceptions import GatewayError
from marketplace.payments.models import PaymentSettings
from marketplace.payments.settings_forms import PaymentSettingsForm
from marketplace.views.steps import form_step, posted

TEMPLATE = "marketplace/payments/settings/settings.html"

settings_roles_required = role_required(*SETTINGS_ROLES)


def settings_url() -> str:
    return reverse("payments:settings")


def webhook_url(payment_settings: PaymentSettings) -> str:
    """The address to give Stripe for this council's webhook endpoint."""
    return settings.SITE_URL + reverse("stripe:council-webhook", args=[payment_settings.council.public_id])


def _page_context(
    request: HttpRequest, payment_settings: PaymentSettings, form: PaymentSettingsForm
) -> dict[str, object]:
    return {
        # The payment runs are for finance officers only, so only they get the way back to them.
        "is_finance_officer": request.acting.role == Role.FINANCE_OFFICER,  # type: ignore[attr-defined]
        "form": form,
        "council": payment_settings.council,
        "payment_settings": payment_settings,
        "secret_key_masked": secret_mask(payment_settings.stripe_secret_key),
        "webhook_secret_masked": secret_mask(payment_settings.stripe_webhook_secret),
        "uses_deployment_key": not payment_settings.stripe_secret_key and bool(settings.STRIPE_SECRET_KEY),
        "webhook_url": webhook_url(payment_settings),
    }


@settings_roles_required
@require_http_methods(["GET", "POST"])
def payment_settings_page(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    payment_settings = payment_settings_of(council)
    form = PaymentSettingsForm(
        posted(request),
        initial={"gateway": payment_settings.gateway, "finance_code": payment_settings.finance_code},
    )
    return form_step(
        request,
        form,
        act=lambda data: payment_settings_update(council=council, actor=request.user, **data),
        done="The payment settings are saved.",
        then=settings_url(),
        page=lambda: render(request, TEMPLATE, _page_context(request, payment_settings, form)),
    )


@settings_roles_required
@require_POST
def stripe_connection_check_view(request: HttpRequest) -> HttpResponse:
    try:
        result = stripe_connection_check(council=request.council, actor=request.user)  # type: ignore[attr-defined]
    except GatewayError as error:
        messages.error(request, f"The connection to Stripe does not work. {error}")
    else:
        messages.success(request, result)
    return redirect(settings_url())
