"""The order pages: ordering support from a plan line or an offer, the order page (its status, history,
deliveries, invoices and money), the provider's answers (accept, decline, propose a change), the budget
holder's (accept or reject a change, cancel), recording delivery and timesheets, and the list
"Orders and invoices" of what waits on the user, with its CSV downloads.

Every page works without JavaScript. Who may see an order is decided in ``marketplace.order_selectors``
(another provider's, another family's or a broker's without consent answers 404); what each may do is
decided by the services, whose refusals are shown on the form that was sent.
"""

from decimal import Decimal
from uuid import UUID

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.exports import csv_response, dated_csv_filename
from accounts.models import User
from accounts.permissions import role_required
from brokerage.exceptions import InsufficientFunds
from brokerage.models import PersonSupported, PlanLine
from marketplace import ordering_selectors as screens
from marketplace.forms_order_requests import ReasonForm as SignOffReasonForm
from marketplace.forms_orders import (
    ChangeForm,
    ChooseWhoForm,
    DeliveryForm,
    OrderForm,
    ReasonForm,
    TimesheetForm,
)
from marketplace.models import Order, OrderRequestKind, OrderStatus, PAEmployment
from marketplace.models.invoices import plain, priced, vat_is_charged
from marketplace.order_request_selectors import interest_for_order
from marketplace.order_selectors import (
    INVOICE_APPROVAL_DAYS,
    WaitingItem,
    committed_under,
    invoices_visible_to,
    order_get_for,
    orders_visible_to,
    waiting_on,
)
from marketplace.services import deliveries as delivery_services
from marketplace.services import orders as services
from marketplace.services.interests import InterestSignOffNeeded
from marketplace.services.invoices import INVOICEABLE_ORDER_STATUSES
from marketplace.services.order_requests import order_request_create
from marketplace.views.paging import paged
from marketplace.views.steps import SERVICE_REFUSALS, button_step, form_step, posted, show_refusal
from providers.models import CostUnit, Offer

TEMPLATES = "marketplace/orders/"
DATE_INPUT = "%d/%m/%Y"

budget_side_required = role_required(*screens.BUDGET_ROLES)
provider_side_required = role_required(*screens.PROVIDER_ROLES)
either_side_required = role_required(*screens.ORDER_ROLES)


def form_page(
    request: HttpRequest, form: Form, *, order: Order, heading: str, submit_label: str, **more
) -> HttpResponse:  # type: ignore[no-untyped-def]
    back_url = reverse("marketplace:order", args=[order.public_id])
    context = {"form": form, "order": order, "heading": heading, "submit_label": submit_label, "back_url": back_url}
    return render(request, TEMPLATES + "form_page.html", {**context, **more})


# --- Orders and invoices: what waits on you ----------------------------------------------------------


def waiting_url(item: WaitingItem) -> str:
    if item.kind in ("order_to_answer", "change_to_decide"):
        order = item.record if item.kind == "order_to_answer" else item.record.order  # type: ignore[union-attr]
        return reverse("marketplace:order", args=[order.public_id])
    if item.kind in ("invoice_to_approve", "invoice_queried"):
        return reverse("marketplace:invoice", args=[item.record.public_id])
    if item.kind == "one_off_to_approve":
        return reverse("marketplace:one-off", args=[item.record.public_id])
    return ""


def waiting_for_whom(item: WaitingItem) -> str:
    record = item.record
    order = getattr(record, "order", None) if not isinstance(record, Order) else record
    person = order.person if order is not None else getattr(record, "person", None)
    return str(person) if person is not None else ""


@either_side_required
@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    """Three lists, each paged on its own (``waiting``, ``orders`` and ``invoices`` in the query string);
    the CSV downloads hold every row. The count of overdue items is over all that waits, not one page."""
    waiting = waiting_on(request.user)
    waiting_page = paged(request, waiting, param="waiting")
    return render(
        request,
        TEMPLATES + "list.html",
        {
            "waiting": [
                {"item": item, "url": waiting_url(item), "for_whom": waiting_for_whom(item)}
                for item in waiting_page.items
            ],
            "waiting_page": waiting_page,
            "overdue_count": sum(1 for item in waiting if item.overdue),
            "orders": paged(request, orders_visible_to(request.user), param="orders"),
            "invoices": paged(
                request, invoices_visible_to(request.user).select_related("order__person"), param="invoices"
            ),
            "purchase_people": screens.people_with_one_off_purchases(request.user),
            "approval_days": INVOICE_APPROVAL_DAYS,
        },
    )


@either_side_required
@require_GET
def waiting_export(request: HttpRequest) -> HttpResponse:
    header = ["What", "For", "Waiting since", "Days waiting", f"Over {INVOICE_APPROVAL_DAYS} days", "Link"]
    rows = [
        [
            item.what,
            waiting_for_whom(item),
            timezone.localtime(item.since).strftime("%Y-%m-%d %H:%M"),
            item.age_days,
            "yes" if item.overdue else "",
            request.build_absolute_uri(waiting_url(item)) if waiting_url(item) else "",
        ]
        for item in waiting_on(request.user)
    ]
    return csv_response(dated_csv_filename("waiting-on-you"), header, rows)


@either_side_required
@require_GET
def orders_export(request: HttpRequest) -> HttpResponse:
    header = [
        "Reference",
        "Support",
        "For",
        "Provider",
        "Units",
        "Unit",
        "Rate",
        "VAT",
        "Starts",
        "Ends",
        "Status",
        "Placed",
        "Paid from",
    ]
    rows = [
        [
            str(order.public_id),
            order.description,
            str(order.person),
            order.provider_name,
            order.units,
            order.unit,
            order.rate,
            order.get_vat_status_display(),
            order.starts_on.isoformat(),
            order.ends_on.isoformat(),
            order.get_status_display(),
            timezone.localtime(order.placed_at).strftime("%Y-%m-%d %H:%M"),
            f"Block contract {order.block_contract.reference}"
            if order.block_contract_id
            else order.allocation.stream.name,  # type: ignore[union-attr]
        ]
        for order in orders_visible_to(request.user)
    ]
    return csv_response(dated_csv_filename("orders"), header, rows)


def paid_from(order: Order) -> str:
    if order.block_contract_id:
        return f"Block contract {order.block_contract.reference}"  # type: ignore[union-attr]
    return order.allocation.stream.name  # type: ignore[union-attr]


# --- Placing an order ---------------------------------------------------------------------------------


def _initial_from_line(line: PlanLine) -> dict[str, object]:
    budget = line.plan.budget
    return {
        "description": line.description,
        "units": plain(line.quantity * line.periods),
        "unit": line.unit if line.unit in CostUnit.values else CostUnit.HOUR,
        "rate": line.unit_cost,
        "starts_on": (line.starts_on or budget.starts_on).strftime(DATE_INPUT),
        "ends_on": (line.ends_on or budget.ends_on).strftime(DATE_INPUT),
    }


def _initial_from_offer(offer: Offer) -> dict[str, object]:
    option = offer.live_version.cost_options.first() if offer.live_version_id else None
    initial: dict[str, object] = {"description": str(offer)}
    if option is not None:
        initial.update(rate=option.amount, unit=option.unit, vat_status=option.vat_status)
    return initial


def _money_short(form: OrderForm, line: PlanLine | None) -> str:
    """Say how much is available, when the ledger refused the order for want of money."""
    terms = form.order_terms()
    allocation = terms["allocation"]
    available = screens.allocation_available(allocation)
    if line is not None:
        available += committed_under(allocation=allocation, reference=f"plan-line-{line.public_id}")
    needed = priced(units=terms["units"], rate=terms["rate"], vat_status=terms["vat_status"]).gross
    return (
        f"{allocation.stream.name} has £{available:,.2f} available for this order, and it costs £{needed:,.2f}: "
        "order fewer, agree a lower rate, or choose other money"
    )


def _place(
    request: HttpRequest, *, person: PersonSupported, offer: Offer, line: PlanLine | None, initial: dict
) -> HttpResponse:
    # From an offer, the order may still be for a line of the plan that names this offer or none.
    lines = None
    if line is None:
        lines = [candidate for candidate in screens.orderable_lines(person) if candidate.offer_id in (None, offer.pk)]
    form = OrderForm(
        posted(request),
        initial=initial,
        funding=screens.funding_choices(person=person, offer=offer, line=line),
        lines=lines,
        by_personal_assistant=offer.personal_assistant_id is not None,
    )
    escalating = request.POST.get("step") == "escalate"
    reason_form = SignOffReasonForm(request.POST if escalating else None)
    context = {"form": form, "person": person, "offer": offer, "line": line}
    if request.method == "POST" and form.is_valid():
        chosen_line = line or form.chosen_line()
        try:
            order = services.order_place(
                actor=request.user, person=person, offer=offer, plan_line=chosen_line, **form.order_terms()
            )
        except InsufficientFunds:
            form.add_error(None, _money_short(form, chosen_line))
        except (services.BeyondAuthority, InterestSignOffNeeded) as refusal:
            # A refusal a manager may lift: offer the same sign-off as quick purchase, not a dead end.
            interest = getattr(refusal, "declaration", None)
            context.update(refusal=str(refusal), interest=interest, reason_form=reason_form)
            if escalating and reason_form.is_valid():
                return _ask_for_sign_off(request, context, chosen_line)
        except SERVICE_REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, f"Your order has been sent to {order.provider_name}. We will email you when they answer."
            )
            return redirect("marketplace:order", order.public_id)
    return render(request, TEMPLATES + "place.html", context)


def _ask_for_sign_off(request: HttpRequest, context: dict, chosen_line: PlanLine | None) -> HttpResponse:
    """Send the refused order to the council's budget-holding managers as an ``OrderRequest``."""
    form, reason_form, interest = context["form"], context["reason_form"], context["interest"]
    try:
        order_request = order_request_create(
            actor=request.user,
            kind=OrderRequestKind.INTEREST_SIGN_OFF if interest else OrderRequestKind.BEYOND_AUTHORITY,
            reason=reason_form.cleaned_data["reason"],
            person=context["person"],
            offer=context["offer"],
            plan_line=chosen_line,
            refusal=context["refusal"],
            interest=interest,
            **form.order_terms(),
        )
    except SERVICE_REFUSALS as error:
        show_refusal(reason_form, error)
        return render(request, TEMPLATES + "place.html", context)
    messages.success(request, "Your order has been sent to the council's budget-holding managers to sign off")
    return redirect("marketplace:order-request", order_request.public_id)


@budget_side_required
@require_http_methods(["GET", "POST"])
def order_from_line(request: HttpRequest, line_public_id: UUID) -> HttpResponse:
    line = screens.plan_line_for_ordering(user=request.user, public_id=line_public_id)
    if not screens.line_is_orderable(line) or line.offer is None:
        return render(request, TEMPLATES + "not_orderable.html", {"line": line})
    return _place(request, person=line.plan.person, offer=line.offer, line=line, initial=_initial_from_line(line))


@budget_side_required
@require_http_methods(["GET", "POST"])
def order_from_offer(request: HttpRequest, offer_public_id: UUID) -> HttpResponse:
    offer = screens.offer_for_ordering(offer_public_id)
    chosen = request.GET.get("person") or request.POST.get("person")
    if chosen:
        person = screens.person_for_ordering(user=request.user, public_id=chosen)
        return _place(request, person=person, offer=offer, line=None, initial=_initial_from_offer(offer))
    people = list(screens.people_user_may_order_for(request.user))
    if len(people) == 1:
        return _place(request, person=people[0], offer=offer, line=None, initial=_initial_from_offer(offer))
    form = ChooseWhoForm(request.GET if "choose" in request.GET else None, people=people)
    form.is_valid()
    return render(request, TEMPLATES + "choose_person.html", {"form": form, "offer": offer, "people": people})


# --- The order page ------------------------------------------------------------------------------------


@either_side_required
@require_GET
def order_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    order = order_get_for(user=request.user, public_id=public_id)
    return render(request, TEMPLATES + "detail.html", order_page_context(request.user, order))


def order_page_context(user: User, order: Order) -> dict[str, object]:
    is_provider = services.is_provider_user(user=user, order=order)
    authority = services.budget_authority(user=user, person=order.person)
    live = order.is_live
    deliverable = order.status == OrderStatus.ACCEPTED or (
        order.status == OrderStatus.CHANGE_PROPOSED
        and order.changes.filter(decision="waiting", status_before=OrderStatus.ACCEPTED).exists()
    )
    return {
        "order": order,
        "figures": screens.order_figures(order, value=services.order_value(order)),
        "timeline": screens.order_timeline(order),
        "waiting_change": screens.waiting_change(order),
        "deliveries": order.deliveries.select_related("recorded_by"),
        "timesheets": order.timesheets.prefetch_related("lines"),
        "invoices": screens.invoices_of_order(order),
        "is_provider": is_provider,
        "authority": authority,
        "may_answer": is_provider and order.status == OrderStatus.PLACED,
        "may_propose": is_provider and order.status in (OrderStatus.PLACED, OrderStatus.ACCEPTED),
        "may_deliver": is_provider and deliverable,
        "may_invoice": is_provider and order.invoices_expected and order.status in INVOICEABLE_ORDER_STATUSES,
        "may_cancel": authority is not None and live,
        "may_complete": (authority is not None or is_provider) and order.status == OrderStatus.ACCEPTED,
        "for_payroll": order.pa_employment == PAEmployment.EMPLOYED_BY_FAMILY,
        # The family, the broker and council staff see a broker's declared interest; the provider does not.
        "interest": None if is_provider else interest_for_order(order),
    }


# --- The provider answers -------------------------------------------------------------------------------


def order_url(order: Order) -> str:
    return reverse("marketplace:order", args=[order.public_id])


def order_form_step(request: HttpRequest, form: Form, order: Order, *, act, done: str, **page) -> HttpResponse:  # type: ignore[no-untyped-def]
    """``form_step`` for a form about an order, drawn on the order form page and going back to the order."""
    return form_step(
        request,
        form,
        act=act,
        done=done,
        then=order_url(order),
        page=lambda: form_page(request, form, order=order, **page),
    )


@provider_side_required
@require_POST
def order_accept(request: HttpRequest, public_id: UUID) -> HttpResponse:
    order = order_get_for(user=request.user, public_id=public_id)
    return button_step(
        request,
        act=lambda: services.order_accept(order=order, actor=request.user),
        done="You have accepted the order. The family has been told.",
        then=order_url(order),
    )


@provider_side_required
@require_http_methods(["GET", "POST"])
def order_decline(request: HttpRequest, public_id: UUID) -> HttpResponse:
    order = order_get_for(user=request.user, public_id=public_id)
    form = ReasonForm(
        posted(request),
        label="Why you are declining",
        help_text="The family reads this, so that they can look elsewhere",
        required_message="Say why you are declining the order",
    )
    return order_form_step(
        request,
        form,
        order,
        act=lambda data: services.order_decline(order=order, actor=request.user, reason=data["reason"]),
        done="You have declined the order. The family has been told.",
        heading="Decline the order",
        submit_label="Decline the order",
    )


@provider_side_required
@require_http_methods(["GET", "POST"])
def order_change_propose(request: HttpRequest, public_id: UUID) -> HttpResponse:
    order = order_get_for(user=request.user, public_id=public_id)
    initial = {
        "units": plain(order.units),
        "rate": order.rate,
        "starts_on": order.starts_on.strftime(DATE_INPUT),
        "ends_on": order.ends_on.strftime(DATE_INPUT),
    }
    form = ChangeForm(posted(request), initial=initial)
    return order_form_step(
        request,
        form,
        order,
        act=lambda data: services.order_change_propose(order=order, actor=request.user, **data),
        done="You have proposed the change. The family will accept or reject it.",
        heading="Propose a change",
        submit_label="Propose the change",
        intro="Change the number, the rate or the dates. The order stands as it is until the family accepts.",
    )


# --- The budget holder decides ----------------------------------------------------------------------------


@budget_side_required
@require_POST
def order_change_accept(request: HttpRequest, public_id: UUID, change_public_id: UUID) -> HttpResponse:
    order = order_get_for(user=request.user, public_id=public_id)
    change = screens.order_change_get(order=order, public_id=change_public_id)
    return button_step(
        request,
        act=lambda: services.order_change_accept(change=change, actor=request.user),
        done="You have accepted the change. The provider has been told.",
        then=order_url(order),
    )


@budget_side_required
@require_http_methods(["GET", "POST"])
def order_change_reject(request: HttpRequest, public_id: UUID, change_public_id: UUID) -> HttpResponse:
    order = order_get_for(user=request.user, public_id=public_id)
    change = screens.order_change_get(order=order, public_id=change_public_id)
    form = ReasonForm(
        posted(request),
        label="Why you are rejecting the change (optional)",
        help_text="The provider reads this",
        required_message="",
        required=False,
    )
    return order_form_step(
        request,
        form,
        order,
        act=lambda data: services.order_change_reject(change=change, actor=request.user, reason=data["reason"]),
        done="You have rejected the change. The order stands as it was.",
        heading="Reject the change",
        submit_label="Reject the change",
    )


@budget_side_required
@require_http_methods(["GET", "POST"])
def order_cancel(request: HttpRequest, public_id: UUID) -> HttpResponse:
    order = order_get_for(user=request.user, public_id=public_id)
    form = ReasonForm(
        posted(request),
        label="Why you are cancelling",
        help_text="The provider reads this. They can still invoice what they delivered.",
        required_message="Say why you are cancelling the order",
    )
    return order_form_step(
        request,
        form,
        order,
        act=lambda data: services.order_cancel(order=order, actor=request.user, reason=data["reason"]),
        done="You have cancelled the order. The money it no longer needs is available again.",
        heading="Cancel the order",
        submit_label="Cancel the order",
    )


@either_side_required
@require_POST
def order_complete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    order = order_get_for(user=request.user, public_id=public_id)
    return button_step(
        request,
        act=lambda: services.order_complete(order=order, actor=request.user),
        done="The order is completed. Money it no longer needs is available again.",
        then=order_url(order),
    )


# --- What was delivered ---------------------------------------------------------------------------------


@provider_side_required
@require_http_methods(["GET", "POST"])
def delivery_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    order = order_get_for(user=request.user, public_id=public_id)
    form = DeliveryForm(posted(request), initial={"units": Decimal("1")})
    return order_form_step(
        request,
        form,
        order,
        act=lambda data: delivery_services.delivery_record(order=order, actor=request.user, **data),
        done="You have recorded the delivery",
        heading="Record delivery",
        submit_label="Record the delivery",
    )


@provider_side_required
@require_http_methods(["GET", "POST"])
def timesheet_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    order = order_get_for(user=request.user, public_id=public_id)
    for_payroll = order.pa_employment == PAEmployment.EMPLOYED_BY_FAMILY
    form = TimesheetForm(posted(request), for_payroll=for_payroll, charges_vat=vat_is_charged(order.vat_status))
    return form_step(
        request,
        form,
        act=lambda data: delivery_services.timesheet_submit(
            order=order,
            actor=request.user,
            period_start=data["period_start"],
            period_end=data["period_end"],
            entries=form.entries,
            invoice_number=data.get("invoice_number", ""),
            vat_number=data.get("vat_number", ""),
        ),
        done="Your timesheet is recorded for the family's payroll"
        if for_payroll
        else "Your timesheet has been sent as an invoice",
        then=order_url(order),
        page=lambda: render(
            request, TEMPLATES + "timesheet.html", {"form": form, "order": order, "for_payroll": for_payroll}
        ),
    )
