"""One-off purchase pages, under /orders/one-off/: "Buy something once" from a person's budget (goods, a
deposit, a supplier with no account, paid on the supplier's invoice or paid back against a receipt), the
list of a person's one-off purchases with its CSV, a purchase's page and its receipt, and the decision
(approve, or refuse with a reason) by someone with authority over the budget.

Who may ask: whoever may order for the person (``ordering_selectors.people_user_may_order_for``; anyone
else gets 404). Who may see: anyone who may see the person's records. The services decide who may
approve (nobody approves paying themselves back), which the detail page asks them
(``one_off_purchase_may_decide``), and refuse what breaks a rule.
"""

from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.exports import csv_response, dated_csv_filename
from accounts.models import User
from brokerage.models import PersonSupported
from brokerage.services.consent import consent_holder
from marketplace import ordering_selectors as screens
from marketplace.forms_orders import OneOffPurchaseForm, ReasonForm
from marketplace.models import OneOffPurchase
from marketplace.order_selectors import (
    INVOICE_APPROVAL_DAYS,
    one_off_purchase_get_for,
    one_off_purchase_wait,
    one_off_purchases_visible_to,
)
from marketplace.services import invoices as services
from marketplace.services.orders import budget_authority
from marketplace.views.orders import budget_side_required
from marketplace.views.paging import paged
from marketplace.views.steps import button_step, form_step, posted

TEMPLATES = "marketplace/one_off/"


def purchase_url(purchase: OneOffPurchase) -> str:
    return reverse("marketplace:one-off", args=[purchase.public_id])


def list_url(person: PersonSupported) -> str:
    return reverse("marketplace:one-off-list", args=[person.public_id])


# --- Asking -----------------------------------------------------------------------------------------------


def _payees(user: User, person: PersonSupported) -> list[tuple[User, str]]:
    """Who may be paid back: the one asking, who uploads the receipt, or the consent holder who paid."""
    payees = [(user, f"You ({user.get_full_name() or user.email})")]
    holder = consent_holder(person)
    if holder is not None and holder.user_id != user.pk:
        payees.append(
            (
                holder.user,
                f"{holder.user.get_full_name() or holder.user.email}, {person.first_name}'s "
                f"{holder.get_relationship_display().lower()}",
            )
        )
    return payees


@budget_side_required
@require_http_methods(["GET", "POST"])
def one_off_add(request: HttpRequest, person_public_id: UUID) -> HttpResponse:
    person = screens.person_for_ordering(user=request.user, public_id=person_public_id)
    form = OneOffPurchaseForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        allocations=list(screens.current_allocations(person)),
        lines=list(screens.one_off_lines(person)),
        payees=_payees(request.user, person),
    )
    return form_step(
        request,
        form,
        act=lambda data: services.one_off_purchase_request(actor=request.user, person=person, **form.purchase_terms()),
        done=lambda purchase: (
            f"You have asked to pay £{purchase.amount:,.2f} to {purchase.supplier_name}. "
            "It waits for approval; the money is set aside until then."
        ),
        then=purchase_url,
        page=lambda: render(request, TEMPLATES + "add.html", {"form": form, "person": person}),
    )


# --- Seeing ------------------------------------------------------------------------------------------------


def _purchases_of(user: User, person: PersonSupported):  # type: ignore[no-untyped-def]
    return (
        one_off_purchases_visible_to(user)
        .filter(person=person)
        .select_related("requested_by", "pay_to", "plan_line")
        .order_by("-requested_at", "-pk")
    )


@budget_side_required
@require_GET
def one_off_list(request: HttpRequest, person_public_id: UUID) -> HttpResponse:
    person = screens.person_for_viewing(user=request.user, public_id=person_public_id)
    purchases = paged(request, _purchases_of(request.user, person))
    now = timezone.now()
    rows = [{"purchase": purchase, "wait": one_off_purchase_wait(purchase, now=now)} for purchase in purchases.items]
    return render(
        request,
        TEMPLATES + "list.html",
        {
            "person": person,
            "purchases": purchases,
            "rows": rows,
            "may_ask": budget_authority(user=request.user, person=person) is not None,
            "approval_days": INVOICE_APPROVAL_DAYS,
        },
    )


@budget_side_required
@require_GET
def one_off_export(request: HttpRequest, person_public_id: UUID) -> HttpResponse:
    person = screens.person_for_viewing(user=request.user, public_id=person_public_id)
    now = timezone.now()
    header = [
        "Reference",
        "What for",
        "Supplier",
        "Supplier's invoice number",
        "How it is paid",
        "Amount",
        "Paid from",
        "Plan line",
        "Paid back to",
        "Status",
        "Asked by",
        "Asked",
        "Days waiting",
        f"Over {INVOICE_APPROVAL_DAYS} days",
        "Decided by",
        "Reason",
    ]
    rows = []
    for purchase in _purchases_of(request.user, person).select_related("decided_by"):
        wait = one_off_purchase_wait(purchase, now=now)
        rows.append(
            [
                str(purchase.public_id),
                purchase.description,
                purchase.supplier_name,
                purchase.supplier_invoice_number,
                purchase.get_kind_display(),
                purchase.amount,
                purchase.allocation.stream.name,
                purchase.plan_line.description if purchase.plan_line_id else "",
                str(purchase.pay_to) if purchase.pay_to_id else "",
                purchase.get_status_display(),
                str(purchase.requested_by),
                timezone.localtime(purchase.requested_at).strftime("%Y-%m-%d %H:%M"),
                "" if wait.days is None else wait.days,
                "yes" if wait.overdue else "",
                str(purchase.decided_by) if purchase.decided_by_id else "",
                purchase.decision_reason,
            ]
        )
    return csv_response(dated_csv_filename(f"one-off-purchases-{person.first_name.lower()}"), header, rows)


@budget_side_required
@require_GET
def one_off_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    purchase = one_off_purchase_get_for(user=request.user, public_id=public_id)
    return render(
        request,
        TEMPLATES + "detail.html",
        {
            "purchase": purchase,
            "wait": one_off_purchase_wait(purchase),
            "may_decide": services.one_off_purchase_may_decide(purchase=purchase, user=request.user),
            "approval_days": INVOICE_APPROVAL_DAYS,
            "list_url": list_url(purchase.person),
        },
    )


@budget_side_required
@require_GET
def one_off_receipt(request: HttpRequest, public_id: UUID) -> FileResponse:
    purchase = one_off_purchase_get_for(user=request.user, public_id=public_id)
    if purchase.receipt_id is None:
        raise Http404("This purchase has no receipt")
    upload = purchase.receipt
    return FileResponse(
        upload.file.open("rb"), content_type=upload.content_type, as_attachment=True, filename=upload.original_name
    )


# --- Deciding -----------------------------------------------------------------------------------------------


@budget_side_required
@require_POST
def one_off_approve(request: HttpRequest, public_id: UUID) -> HttpResponse:
    purchase = one_off_purchase_get_for(user=request.user, public_id=public_id)
    return button_step(
        request,
        act=lambda: services.one_off_purchase_approve(purchase=purchase, actor=request.user),
        done=f"You have approved paying £{purchase.amount:,.2f} to {purchase.pay_to or purchase.supplier_name}",
        then=purchase_url(purchase),
    )


@budget_side_required
@require_http_methods(["GET", "POST"])
def one_off_refuse(request: HttpRequest, public_id: UUID) -> HttpResponse:
    purchase = one_off_purchase_get_for(user=request.user, public_id=public_id)
    form = ReasonForm(
        posted(request),
        label="Why you are refusing it",
        help_text="The person who asked reads this. The money set aside is available again.",
        required_message="Say why you are refusing it",
    )
    back_url = purchase_url(purchase)
    return form_step(
        request,
        form,
        act=lambda data: services.one_off_purchase_refuse(purchase=purchase, actor=request.user, reason=data["reason"]),
        done=f"You have refused it: {purchase.description}",
        then=back_url,
        page=lambda: render(
            request, TEMPLATES + "refuse.html", {"form": form, "purchase": purchase, "back_url": back_url}
        ),
    )
