"""Top-up pages under /payments/top-ups/ (namespace "top_ups").

- A family member who holds consent pays into a budget (from the budget page): by card on the card page,
  the one page that loads Stripe.js (and the only page whose Content-Security-Policy allows js.stripe.com),
  or by bank transfer quoting the reference, which works without JavaScript.
- The council's finance officers see every top-up, download the list, record a bank transfer as received,
  refund, and set the council's publishable key and bank details.
A top-up of another family or council answers 404; a role that may not use a page, 403.
"""

from typing import Any
from uuid import UUID

from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.exports import csv_filename, csv_response
from accounts.ids import is_uuid
from accounts.permissions import role_required
from accounts.roles import FAMILY_ROLES
from brokerage.models import Budget, PlanLine
from marketplace.payments import top_up_selectors as selectors
from marketplace.payments import top_ups as services
from marketplace.payments.exceptions import GatewayError
from marketplace.payments.top_up_forms import BankTransferReceivedForm, RefundForm, TopUpForm, TopUpSettingsForm
from marketplace.payments.top_up_models import TopUp, TopUpMethod, TopUpReason, TopUpStatus
from marketplace.views.steps import form_step, posted

family_required = role_required(*FAMILY_ROLES)
finance_required = role_required(*selectors.FINANCE_ROLES)
viewer_required = role_required(*FAMILY_ROLES, *selectors.FINANCE_ROLES)

# Stripe.js and the Payment Element's frames and calls (Stripe's documented CSP for the Payment Element).
STRIPE_CSP = {
    "script-src": ["https://js.stripe.com"],
    "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
    "connect-src": ["https://api.stripe.com"],
}
CARD_PAYABLE = (TopUpStatus.WAITING, TopUpStatus.FAILED)


def _is_finance(request: HttpRequest) -> bool:
    return request.acting.role in selectors.FINANCE_ROLES  # type: ignore[attr-defined]


def _top_up(request: HttpRequest, public_id: UUID) -> TopUp:
    return selectors.top_up_get_for(
        user=request.user,  # type: ignore[arg-type]
        role=request.acting.role,  # type: ignore[attr-defined]
        council=request.council,  # type: ignore[attr-defined]
        public_id=public_id,
    )


def _detail_url(top_up: TopUp) -> str:
    return reverse("top_ups:detail", args=[top_up.public_id])


# --- Families -------------------------------------------------------------------------------------------


def _from_plan_line(budget: Budget, line_id: str) -> dict[str, object]:
    """Coming from a plan line's "Pay towards a dearer option": the form starts with that line and its stream."""
    line = PlanLine.objects.filter(plan__budget=budget, public_id=line_id).first() if is_uuid(line_id) else None
    if line is None:
        return {}
    allocation = budget.allocations.filter(stream=line.stream).first()
    return {
        "reason": TopUpReason.DEARER_OPTION,
        "plan_line": line.pk,
        **({"allocation": allocation.pk} if allocation else {}),
    }


@family_required
@require_http_methods(["GET", "POST"])
def top_up_new(request: HttpRequest, budget_id: UUID) -> HttpResponse:
    budget = selectors.budget_for_family(user=request.user, council=request.council, public_id=budget_id)  # type: ignore[arg-type, attr-defined]
    form = TopUpForm(posted(request), budget=budget, initial=_from_plan_line(budget, request.GET.get("plan_line", "")))

    def create(data: dict[str, Any]) -> TopUp:
        top_up = services.top_up_create(actor=request.user, **data)  # type: ignore[arg-type]
        if top_up.method == TopUpMethod.CARD:
            try:
                services.top_up_card_start(top_up=top_up)
            except GatewayError as error:
                messages.error(request, f"{error} You can try again below, or pay by bank transfer.")
        return top_up

    return form_step(
        request,
        form,
        act=create,
        done=lambda top_up: f"Your reference is {top_up.reference}",
        then=lambda top_up: (
            reverse("top_ups:card", args=[top_up.public_id])
            if top_up.method == TopUpMethod.CARD
            else _detail_url(top_up)
        ),
        page=lambda: render(request, "marketplace/payments/top_ups/new.html", {"form": form, "budget": budget}),
    )


@csp_update(STRIPE_CSP)
@family_required
@require_http_methods(["GET", "POST"])
def top_up_card(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The card form (Stripe's Payment Element). GET only reads the PaymentIntent; POST makes it when the
    first attempt could not reach Stripe."""
    top_up = _top_up(request, public_id)
    if top_up.method != TopUpMethod.CARD or top_up.status not in CARD_PAYABLE:
        return redirect(_detail_url(top_up))
    card, problem = None, ""
    if request.method == "POST" or top_up.payment_intent_id:
        try:
            card = services.top_up_card_start(top_up=top_up)
        except GatewayError as error:
            problem = str(error)
    if request.method == "POST" and not problem:
        return redirect("top_ups:card", public_id=top_up.public_id)
    settings = services.top_up_settings_for(top_up.council)
    config = {
        "publishableKey": settings.stripe_publishable_key,
        "clientSecret": card.client_secret if card else "",
        "returnUrl": request.build_absolute_uri(reverse("top_ups:card-return", args=[top_up.public_id])),
    }
    context = {"top_up": top_up, "card": card, "problem": problem, "config": config, "settings": settings}
    return render(request, "marketplace/payments/top_ups/card.html", context)


CARD_OUTCOMES = {
    "succeeded": (
        messages.SUCCESS,
        "Your card payment has gone through. It shows here as paid in once Stripe has "
        "told us, usually within a minute.",
    ),
    "processing": (messages.INFO, "Your card payment is being processed. We will tell you when it has arrived."),
    "requires_payment_method": (
        messages.ERROR,
        "Your card payment did not go through. Try again, or pay by bank transfer.",
    ),
    "requires_action": (messages.ERROR, "Your bank did not confirm the payment. Try again, or pay by bank transfer."),
}


@family_required
def top_up_card_return(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Where Stripe sends the browser after the card step: says how it went. Only the webhook records the
    money in the budget."""
    top_up = _top_up(request, public_id)
    if top_up.payment_intent_id and top_up.status in CARD_PAYABLE:
        try:
            status = services.gateway.payment_intent_read(top_up=top_up).status
        except GatewayError as error:
            messages.error(request, str(error))
        else:
            level, text = CARD_OUTCOMES.get(status, (messages.INFO, f"Stripe says your payment is {status}."))
            messages.add_message(request, level, text)
    return redirect(_detail_url(top_up))


@family_required
@require_POST
def top_up_bank_transfer(request: HttpRequest, public_id: UUID) -> HttpResponse:
    top_up = _top_up(request, public_id)
    try:
        services.top_up_switch_to_bank_transfer(top_up=top_up, actor=request.user)  # type: ignore[arg-type]
    except (ValidationError, GatewayError) as error:
        messages.error(request, error.messages[0] if isinstance(error, ValidationError) else str(error))
    else:
        messages.success(request, f"Pay by bank transfer with the reference {top_up.reference}")
    return redirect(_detail_url(top_up))


# --- Everyone who may see top-ups -----------------------------------------------------------------------


@viewer_required
def top_up_list(request: HttpRequest) -> HttpResponse:
    if not _is_finance(request):
        top_ups = selectors.top_ups_for_family(user=request.user, council=request.council)  # type: ignore[arg-type, attr-defined]
        return render(request, "marketplace/payments/top_ups/list.html", {"top_ups": top_ups, "is_finance": False})
    status, query = request.GET.get("status", ""), request.GET.get("q", "").strip()
    status = status if status in TopUpStatus.values else ""
    top_ups = selectors.top_ups_for_council(council=request.council, status=status, query=query)  # type: ignore[attr-defined]
    context = {
        "top_ups": top_ups[:500],
        "total": top_ups.count(),
        "is_finance": True,
        "status": status,
        "query": query,
        "statuses": TopUpStatus.choices,
    }
    return render(request, "marketplace/payments/top_ups/list.html", context)


@finance_required
def top_up_export(request: HttpRequest) -> HttpResponse:
    """The list as a spreadsheet, with the same filters: with ?status=waiting, what to look for on the bank
    statement."""
    status = request.GET.get("status", "")
    status = status if status in TopUpStatus.values else ""
    top_ups = selectors.top_ups_for_council(council=request.council, status=status, query=request.GET.get("q", ""))  # type: ignore[attr-defined]
    header = [
        "Reference",
        "Person",
        "Amount (£)",
        "Method",
        "Status",
        "Reason",
        "Asked for on",
        "Paid in on",
        "Refunded (£)",
    ]
    rows = (
        [
            top_up.reference,
            str(top_up.allocation.budget.person),
            f"{top_up.amount:.2f}",
            top_up.get_method_display(),
            top_up.get_status_display(),
            top_up.get_reason_display(),
            f"{top_up.created_at:%Y-%m-%d}",
            f"{top_up.paid_at:%Y-%m-%d}" if top_up.paid_at else "",
            f"{services.refunded_total(top_up):.2f}",
        ]
        for top_up in top_ups.prefetch_related("refunds")
    )
    return csv_response(csv_filename(request.council, f"top-ups-{status or 'all'}"), header, rows)  # type: ignore[attr-defined]


@viewer_required
def top_up_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    top_up = _top_up(request, public_id)
    context = {
        "top_up": top_up,
        "is_finance": _is_finance(request),
        "settings": services.top_up_settings_for(top_up.council),
        "refunds": top_up.refunds.select_related("requested_by"),
        "history": top_up.status_changes.select_related("actor"),
        "refundable": services.refundable(top_up),
        "card_payable": top_up.method == TopUpMethod.CARD and top_up.status in CARD_PAYABLE,
    }
    return render(request, "marketplace/payments/top_ups/detail.html", context)


# --- Finance officers -----------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest, form, top_up: TopUp | None, heading: str, submit: str, **more: Any
) -> HttpResponse:  # type: ignore[no-untyped-def]
    context = {"form": form, "top_up": top_up, "heading": heading, "submit_label": submit, **more}
    return render(request, "marketplace/payments/top_ups/form_page.html", context)


@finance_required
@require_http_methods(["GET", "POST"])
def top_up_receive(request: HttpRequest, public_id: UUID) -> HttpResponse:
    top_up = _top_up(request, public_id)
    form = BankTransferReceivedForm(posted(request), initial={"amount": top_up.amount})
    return form_step(
        request,
        form,
        act=lambda data: services.bank_transfer_received(top_up=top_up, actor=request.user, amount=data["amount"]),  # type: ignore[arg-type]
        done=f"{top_up.reference} is recorded as received and is now in the budget",
        then=_detail_url(top_up),
        page=lambda: _form_page(request, form, top_up, "Record a bank transfer as received", "Record as received"),
    )


@finance_required
@require_http_methods(["GET", "POST"])
def top_up_refund(request: HttpRequest, public_id: UUID) -> HttpResponse:
    top_up = _top_up(request, public_id)
    form = RefundForm(posted(request), initial={"amount": services.refundable(top_up)})

    def refund(data: dict[str, Any]):  # type: ignore[no-untyped-def]
        try:
            return services.top_up_refund(top_up=top_up, actor=request.user, **data)  # type: ignore[arg-type]
        except GatewayError as error:
            raise ValidationError(str(error)) from error

    return form_step(
        request,
        form,
        act=refund,
        done=lambda made: f"£{made.amount:,.2f} of {top_up.reference} has been refunded",
        then=_detail_url(top_up),
        page=lambda: _form_page(
            request, form, top_up, "Refund a top-up", "Refund", refundable=services.refundable(top_up)
        ),
    )


@finance_required
@require_http_methods(["GET", "POST"])
def top_up_settings(request: HttpRequest) -> HttpResponse:
    current = services.top_up_settings_for(request.council)  # type: ignore[attr-defined]
    form = TopUpSettingsForm(
        posted(request),
        initial={
            "stripe_publishable_key": current.stripe_publishable_key,
            "bank_account_name": current.bank_account_name,
        },
    )
    return form_step(
        request,
        form,
        act=lambda data: services.top_up_settings_update(council=request.council, actor=request.user, **data),  # type: ignore[arg-type, attr-defined]
        done="The top-up settings have been saved",
        then=reverse("top_ups:settings"),
        page=lambda: _form_page(
            request, form, None, "How families pay the council", "Save", current=current, is_settings=True
        ),
    )
