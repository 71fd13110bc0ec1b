"""The invoice pages: the provider sends an invoice against an order, answers a query, issues a credit
note; the budget holder approves (with a reason when it goes beyond the order, if they have the
authority), queries or refuses it; and the CSV of the invoices the user can see.

Who may see an invoice is decided in ``marketplace.order_selectors``: another provider's, another
family's or a broker's without consent answers 404. The services decide who may act, and their
refusals are shown on the page.
"""

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
from marketplace.forms_orders import ApproveForm, CreditNoteForm, InvoiceForm, ReasonForm
from marketplace.models import Invoice, InvoiceStatus
from marketplace.models.invoices import WAITING_INVOICE_STATUSES, vat_is_charged
from marketplace.order_selectors import (
    INVOICE_APPROVAL_DAYS,
    invoice_get_for,
    invoice_wait,
    invoices_visible_to,
    order_get_for,
)
from marketplace.services import invoices as services
from marketplace.services.orders import budget_authority, is_provider_user
from marketplace.views.orders import budget_side_required, either_side_required, provider_side_required
from marketplace.views.steps import SERVICE_REFUSALS, form_step, posted, show_refusal

TEMPLATES = "marketplace/invoices/"
ONLY_BUDGET_HOLDERS_OVERRIDE = (
    "It goes beyond its order, and only the family or the lead professional can approve that: "
    "query it with the provider, or refuse it"
)


# --- Sending an invoice -------------------------------------------------------------------------------


@provider_side_required
@require_http_methods(["GET", "POST"])
def invoice_submit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    order = order_get_for(user=request.user, public_id=public_id)
    form = InvoiceForm(posted(request), charges_vat=vat_is_charged(order.vat_status), rate=order.rate)
    if request.method == "POST" and form.is_valid():
        try:
            invoice = services.invoice_submit(
                order=order,
                actor=request.user,
                number=form.cleaned_data["number"],
                issued_on=form.cleaned_data["issued_on"],
                due_on=form.cleaned_data["due_on"],
                vat_number=form.cleaned_data.get("vat_number", ""),
                lines=form.lines,
            )
        except SERVICE_REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Your invoice {invoice.number} has been sent for approval")
            return redirect("marketplace:invoice", invoice.public_id)
    return render(request, TEMPLATES + "submit.html", {"form": form, "order": order})


# --- The invoice page ---------------------------------------------------------------------------------


def invoice_page(request: HttpRequest, invoice: Invoice, approve_form: ApproveForm | None = None) -> HttpResponse:
    return render(request, TEMPLATES + "detail.html", invoice_page_context(request.user, invoice, approve_form))


def invoice_page_context(user: User, invoice: Invoice, approve_form: ApproveForm | None) -> dict[str, object]:
    order = invoice.order
    authority = budget_authority(user=user, person=order.person)
    waiting = invoice.status in WAITING_INVOICE_STATUSES
    may_decide = authority is not None and waiting
    is_provider = is_provider_user(user=user, order=order)
    wait = invoice_wait(invoice)
    return {
        "invoice": invoice,
        "order": order,
        "lines": invoice.lines.all(),
        "credit_notes": invoice.credit_notes.select_related("issued_by"),
        "history": invoice.status_changes.select_related("actor"),
        "payable": services.amount_payable(invoice),
        "authority": authority,
        "may_decide": may_decide,
        "may_override": may_decide and authority.may_override,  # type: ignore[union-attr]
        "override_refusal": ONLY_BUDGET_HOLDERS_OVERRIDE if may_decide and invoice.breaches else "",
        "approve_form": approve_form or ApproveForm(),
        "is_provider": is_provider,
        "may_answer": is_provider and invoice.status == InvoiceStatus.QUERIED,
        "may_credit": is_provider and invoice.status != InvoiceStatus.REFUSED,
        "age_days": wait.days,
        "overdue": wait.overdue,
        "approval_days": INVOICE_APPROVAL_DAYS,
    }


@either_side_required
@require_GET
def invoice_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return invoice_page(request, invoice_get_for(user=request.user, public_id=public_id))


# --- The budget holder decides --------------------------------------------------------------------------


@budget_side_required
@require_POST
def invoice_approve(request: HttpRequest, public_id: UUID) -> HttpResponse:
    invoice = invoice_get_for(user=request.user, public_id=public_id)
    form = ApproveForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("override_reason", "")
    try:
        services.invoice_approve(invoice=invoice, actor=request.user, override_reason=reason)
    except services.InvoiceOutsideOrder:
        form.add_error("override_reason", "Say why you approve it although it goes beyond the order")
    except SERVICE_REFUSALS as error:
        show_refusal(form, error)
    else:
        messages.success(request, f"You have approved invoice {invoice.number}. It will be paid by its due date.")
        return redirect("marketplace:invoice", invoice.public_id)
    return invoice_page(request, invoice, form)


def invoice_form_step(request: HttpRequest, form: Form, invoice: Invoice, *, act, done, **page) -> HttpResponse:  # type: ignore[no-untyped-def]
    """``form_step`` for a form about an invoice, drawn on the decision page and going back to the invoice."""
    return form_step(
        request,
        form,
        act=act,
        done=done,
        then=reverse("marketplace:invoice", args=[invoice.public_id]),
        page=lambda: _decision_page(request, invoice, form, **page),
    )


def _decision_page(
    request: HttpRequest, invoice: Invoice, form: Form, *, heading: str, submit_label: str
) -> HttpResponse:
    back_url = reverse("marketplace:invoice", args=[invoice.public_id])
    return render(
        request,
        "marketplace/orders/form_page.html",
        {
            "form": form,
            "order": invoice.order,
            "caption": f"Invoice {invoice.number} from {invoice.order.provider_name}",
            "heading": heading,
            "submit_label": submit_label,
            "back_url": back_url,
        },
    )


@budget_side_required
@require_http_methods(["GET", "POST"])
def invoice_query(request: HttpRequest, public_id: UUID) -> HttpResponse:
    invoice = invoice_get_for(user=request.user, public_id=public_id)
    form = ReasonForm(
        posted(request),
        label="What do you want to ask the provider?",
        help_text="The invoice waits until they answer. For example, ask which dates the sessions were on.",
        required_message="Say what you want to ask the provider",
    )
    return invoice_form_step(
        request,
        form,
        invoice,
        act=lambda data: services.invoice_query(invoice=invoice, actor=request.user, reason=data["reason"]),
        done="Your question has been sent to the provider",
        heading="Query the invoice",
        submit_label="Send your question",
    )


@budget_side_required
@require_http_methods(["GET", "POST"])
def invoice_refuse(request: HttpRequest, public_id: UUID) -> HttpResponse:
    invoice = invoice_get_for(user=request.user, public_id=public_id)
    form = ReasonForm(
        posted(request),
        label="Why you are refusing the invoice",
        help_text="The provider reads this. They can send a corrected invoice.",
        required_message="Say why you are refusing the invoice",
    )
    return invoice_form_step(
        request,
        form,
        invoice,
        act=lambda data: services.invoice_refuse(invoice=invoice, actor=request.user, reason=data["reason"]),
        done=f"You have refused invoice {invoice.number}",
        heading="Refuse the invoice",
        submit_label="Refuse the invoice",
    )


# --- The provider answers ---------------------------------------------------------------------------------


@provider_side_required
@require_http_methods(["GET", "POST"])
def invoice_answer(request: HttpRequest, public_id: UUID) -> HttpResponse:
    invoice = invoice_get_for(user=request.user, public_id=public_id)
    form = ReasonForm(
        posted(request),
        label="Your answer",
        help_text=f"They asked: “{invoice.decision_reason}”" if invoice.decision_reason else "",
        required_message="Write your answer",
    )
    return invoice_form_step(
        request,
        form,
        invoice,
        act=lambda data: services.invoice_query_answer(invoice=invoice, actor=request.user, answer=data["reason"]),
        done="Your answer has been sent. The invoice is waiting for approval again.",
        heading="Answer the query",
        submit_label="Send your answer",
    )


@provider_side_required
@require_http_methods(["GET", "POST"])
def credit_note_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    invoice = invoice_get_for(user=request.user, public_id=public_id)
    form = CreditNoteForm(posted(request))
    return invoice_form_step(
        request,
        form,
        invoice,
        act=lambda data: services.credit_note_issue(invoice=invoice, actor=request.user, **data),
        done=lambda note: f"Your credit note {note.number} reduces the invoice by £{note.total:,.2f}",
        heading="Issue a credit note",
        submit_label="Issue the credit note",
    )


# --- CSV --------------------------------------------------------------------------------------------------


@either_side_required
@require_GET
def invoices_export(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    header = [
        "Invoice number",
        "Support",
        "For",
        "Provider",
        "Issued",
        "Due",
        "Net",
        "VAT",
        "Total",
        "Credited",
        "Status",
        "Submitted",
        "Days waiting",
        f"Over {INVOICE_APPROVAL_DAYS} days",
        "Goes beyond the order",
    ]
    rows = []
    for invoice in invoices_visible_to(request.user).prefetch_related("credit_notes"):
        wait = invoice_wait(invoice, now=now)
        rows.append(
            [
                invoice.number,
                invoice.order.description,
                str(invoice.order.person),
                invoice.order.provider_name,
                invoice.issued_on.isoformat(),
                invoice.due_on.isoformat(),
                invoice.net_total,
                invoice.vat_total,
                invoice.total,
                invoice.total - services.amount_payable(invoice),
                invoice.get_status_display(),
                timezone.localtime(invoice.submitted_at).strftime("%Y-%m-%d %H:%M"),
                "" if wait.days is None else wait.days,
                "yes" if wait.overdue else "",
                "; ".join(invoice.breaches),
            ]
        )
    return csv_response(dated_csv_filename("invoices"), header, rows)
