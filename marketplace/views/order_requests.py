"""Quick purchase, orders waiting on a manager, and brokers' declared interests.

Quick purchase is one form and a confirmation, as a card payment: the lead professional (or a broker, or
the family) fills in the offer's terms, checks them, and the order is placed. Beyond the lead
professional's delegated authority, or with a provider the broker's organisation declared an interest in,
the confirmation asks a budget-holding manager instead. Managers work from the queue (with its CSV);
the person who asked and the family see the request's page. Who may see what is decided in
``marketplace.order_request_selectors``; what each may do, in the services.
"""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.exports import csv_filename, csv_response
from accounts.permissions import role_required
from accounts.roles import Role
from brokerage.exceptions import InsufficientFunds
from brokerage.models import LineFrequency, PersonSupported
from marketplace import order_request_selectors as selectors
from marketplace import ordering_selectors as screens
from marketplace.forms_order_requests import DecisionForm, InterestForm, QuickPurchaseForm, ReasonForm
from marketplace.models import OrderRequestKind, OrderRequestStatus
from marketplace.services import interests as interest_services
from marketplace.services import order_requests as services
from marketplace.services.orders import BeyondAuthority, order_place
from marketplace.views.steps import SERVICE_REFUSALS, button_step, form_step, posted, show_refusal
from providers.models import Offer

TEMPLATES = "marketplace/order_requests/"
MANAGER = Role.BUDGET_HOLDING_MANAGER

buyer_required = role_required(*screens.BUDGET_ROLES)
manager_required = role_required(MANAGER)
request_page_required = role_required(*screens.BUDGET_ROLES, MANAGER)
interests_required = role_required(Role.BROKER, MANAGER, Role.COMMISSIONER)
broker_required = role_required(Role.BROKER)


# --- Quick purchase -----------------------------------------------------------------------------------


def _form(request: HttpRequest, person: PersonSupported, offer: Offer) -> QuickPurchaseForm:
    option = offer.live_version.cost_options.first() if offer.live_version_id else None
    initial: dict[str, object] = {"description": str(offer)}
    if option is not None:
        initial.update(rate=option.amount, unit=option.unit, vat_status=option.vat_status)
    lines = [line for line in screens.orderable_lines(person) if line.offer_id in (None, offer.pk)]
    return QuickPurchaseForm(
        posted(request),
        initial=initial,
        funding=screens.funding_choices(person=person, offer=offer),
        lines=lines,
        by_personal_assistant=offer.personal_assistant_id is not None,
    )


def _try_to_place(request: HttpRequest, form: QuickPurchaseForm, person: PersonSupported, offer: Offer):  # type: ignore[no-untyped-def]
    """Place the order; answer the order, or the refusal a manager may lift (and its declared interest)."""
    try:
        order = order_place(
            actor=request.user, person=person, offer=offer, plan_line=form.chosen_line(), **form.order_terms()
        )
    except (BeyondAuthority, interest_services.InterestSignOffNeeded) as error:
        return None, error
    return order, None


@buyer_required
@require_http_methods(["GET", "POST"])
def quick_purchase(request: HttpRequest, person_id: UUID, offer_id: UUID) -> HttpResponse:
    person = screens.person_for_ordering(user=request.user, public_id=person_id)
    offer = screens.offer_for_ordering(offer_id)
    form = _form(request, person, offer)
    step = request.POST.get("step", "")
    context = {"form": form, "person": person, "offer": offer}
    if request.method != "POST" or not form.is_valid():
        return render(request, TEMPLATES + "quick.html", context)
    summary = {
        **form.order_terms(),
        "line": form.chosen_line(),
        "funding": form.chosen_funding(),
        "frequency_label": LineFrequency(form.cleaned_data["frequency"]).label,
    }
    context["summary"] = summary
    if step not in ("place", "escalate"):
        return render(request, TEMPLATES + "confirm.html", context)
    reason_form = ReasonForm(request.POST if step == "escalate" else None)
    if step == "escalate" and not reason_form.is_valid():
        context.update(reason_form=reason_form, refusal=request.POST.get("refusal_shown", ""))
        return render(request, TEMPLATES + "confirm.html", context)
    try:
        order, refusal = _try_to_place(request, form, person, offer)
    except InsufficientFunds as error:
        form.add_error(None, f"{error}: order fewer, agree a lower rate, or choose other money")
        return render(request, TEMPLATES + "quick.html", context)
    except SERVICE_REFUSALS as error:
        show_refusal(form, error)
        return render(request, TEMPLATES + "quick.html", context)
    if order is not None:
        messages.success(
            request, f"Your order has been sent to {order.provider_name}. You will be told when they answer."
        )
        return redirect("marketplace:order", order.public_id)
    interest = getattr(refusal, "declaration", None)
    if step == "place":
        context.update(reason_form=reason_form, refusal=str(refusal), interest=interest)
        return render(request, TEMPLATES + "confirm.html", context)
    try:
        order_request = services.order_request_create(
            actor=request.user,
            kind=OrderRequestKind.INTEREST_SIGN_OFF if interest else OrderRequestKind.BEYOND_AUTHORITY,
            reason=reason_form.cleaned_data["reason"],
            person=person,
            offer=offer,
            plan_line=form.chosen_line(),
            refusal=str(refusal),
            interest=interest,
            **form.order_terms(),
        )
    except SERVICE_REFUSALS as error:
        show_refusal(reason_form, error)
        context.update(reason_form=reason_form, refusal=str(refusal), interest=interest)
        return render(request, TEMPLATES + "confirm.html", context)
    messages.success(request, "Your request has been sent to the council's budget-holding managers")
    return redirect("marketplace:order-request", order_request.public_id)


# --- The manager's queue -------------------------------------------------------------------------------


def _status_filter(request: HttpRequest) -> str:
    status = request.GET.get("status", OrderRequestStatus.WAITING)
    return status if status in OrderRequestStatus.values else ""


@manager_required
@require_GET
def order_request_list(request: HttpRequest) -> HttpResponse:
    status = _status_filter(request)
    requests = selectors.order_requests_for_manager(council=request.council, status=status)  # type: ignore[attr-defined]
    return render(
        request,
        TEMPLATES + "list.html",
        {"requests": requests[:200], "status": status, "statuses": OrderRequestStatus.choices},
    )


@manager_required
@require_GET
def order_request_export(request: HttpRequest) -> HttpResponse:
    status = _status_filter(request)
    requests = selectors.order_requests_for_manager(council=request.council, status=status)  # type: ignore[attr-defined]
    header = [
        "Requested", "Person", "What", "Provider", "Value (£)", "Why waiting", "Interest declared", "Asked by",
        "Reason", "Status", "Decided by", "Decided", "Decision reason",
    ]  # fmt: skip
    rows = (
        [
            request_.requested_at.date().isoformat(),
            str(request_.person),
            request_.description,
            request_.offer.provider_name,
            request_.value,
            request_.get_kind_display(),
            request_.interest.nature if request_.interest else "",
            str(request_.requested_by),
            request_.reason,
            request_.get_status_display(),
            str(request_.decided_by or ""),
            request_.decided_at.date().isoformat() if request_.decided_at else "",
            request_.decision_reason,
        ]
        for request_ in requests
    )
    return csv_response(csv_filename(request.council, "order-requests"), header, rows)  # type: ignore[attr-defined]


# --- A request's page and its decisions -------------------------------------------------------------------


def _is_manager(request: HttpRequest) -> bool:
    return request.acting.role == MANAGER  # type: ignore[attr-defined]


def _request_for(request: HttpRequest, public_id: UUID):  # type: ignore[no-untyped-def]
    return selectors.order_request_get_for(
        user=request.user,
        council=request.council,  # type: ignore[attr-defined]
        is_manager=_is_manager(request),
        public_id=public_id,
    )


@request_page_required
@require_GET
def order_request_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    order_request = _request_for(request, public_id)
    waiting = order_request.status == OrderRequestStatus.WAITING
    return render(
        request,
        TEMPLATES + "detail.html",
        {
            "order_request": order_request,
            "may_decide": waiting and _is_manager(request) and order_request.person.council_id == request.council.pk,  # type: ignore[attr-defined]
            "may_withdraw": waiting and order_request.requested_by_id == request.user.pk,
            "form": DecisionForm(),
        },
    )


@manager_required
@require_POST
def order_request_approve(request: HttpRequest, public_id: UUID) -> HttpResponse:
    order_request = _request_for(request, public_id)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        order = services.order_request_approve(
            request=order_request, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except SERVICE_REFUSALS as error:
        show_refusal(form, error)
        return render(
            request,
            TEMPLATES + "detail.html",
            {"order_request": order_request, "may_decide": True, "form": form},
        )
    messages.success(request, f"You approved the request: the order has been sent to {order.provider_name}")
    return redirect("marketplace:order", order.public_id)


@manager_required
@require_POST
def order_request_decline(request: HttpRequest, public_id: UUID) -> HttpResponse:
    order_request = _request_for(request, public_id)
    form = DecisionForm(request.POST)
    page_url = reverse("marketplace:order-request", args=[order_request.public_id])
    return form_step(
        request,
        form,
        act=lambda data: services.order_request_decline(
            request=order_request, actor=request.user, reason=data["reason"]
        ),
        done="You declined the request; the person who asked has been told",
        then=page_url,
        page=lambda: render(
            request, TEMPLATES + "detail.html", {"order_request": order_request, "may_decide": True, "form": form}
        ),
    )


@buyer_required
@require_POST
def order_request_withdraw(request: HttpRequest, public_id: UUID) -> HttpResponse:
    order_request = _request_for(request, public_id)
    return button_step(
        request,
        act=lambda: services.order_request_withdraw(request=order_request, actor=request.user),
        done="You withdrew the request",
        then=reverse("marketplace:order-request", args=[order_request.public_id]),
    )


# --- Brokers' declared interests ---------------------------------------------------------------------------


def _interests_for(request: HttpRequest):  # type: ignore[no-untyped-def]
    if request.acting.role == Role.BROKER:  # type: ignore[attr-defined]
        return selectors.interests_of_broker(request.user)
    return selectors.interests_for_council(request.council)  # type: ignore[attr-defined]


@interests_required
@require_http_methods(["GET", "POST"])
def interests(request: HttpRequest) -> HttpResponse:
    is_broker = request.acting.role == Role.BROKER  # type: ignore[attr-defined]
    if request.method == "POST" and not is_broker:
        raise PermissionDenied("Only brokers declare their organisation's interests")
    form = InterestForm(posted(request)) if is_broker else None
    page = lambda: render(  # noqa: E731
        request,
        TEMPLATES + "interests.html",
        {"interests": _interests_for(request), "form": form, "is_broker": is_broker},
    )
    if form is None:
        return page()
    return form_step(
        request,
        form,
        act=lambda data: interest_services.interest_declare(
            actor=request.user,
            broker_organisation=request.acting.organisation,  # type: ignore[attr-defined]
            **form.declaration_terms(),
        ),
        done="You have declared your organisation's interest",
        then=reverse("marketplace:interests"),
        page=page,
    )


@interests_required
@require_GET
def interests_export(request: HttpRequest) -> HttpResponse:
    header = ["Broker organisation", "Provider", "Interest", "Declared by", "Declared", "Withdrawn"]
    rows = (
        [
            str(interest.broker_organisation),
            interest.provider_name,
            interest.nature,
            str(interest.declared_by),
            interest.declared_at.date().isoformat(),
            interest.withdrawn_at.date().isoformat() if interest.withdrawn_at else "",
        ]
        for interest in _interests_for(request)
    )
    return csv_response(csv_filename(request.council, "declared-interests"), header, rows)  # type: ignore[attr-defined]


@broker_required
@require_POST
def interest_withdraw(request: HttpRequest, public_id: UUID) -> HttpResponse:
    declaration = selectors.interest_get_for_broker(user=request.user, public_id=public_id)
    return button_step(
        request,
        act=lambda: interest_services.interest_withdraw(actor=request.user, declaration=declaration),
        done="You have withdrawn the declaration",
        then=reverse("marketplace:interests"),
    )
