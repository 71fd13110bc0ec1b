"""The payment screens, under /payments/: finance officers prepare, authorise, pay and confirm payment runs
(with the payment file and CSV downloads); providers and personal assistants read their remittances; finance
officers and commissioners see how promptly invoices are paid.

Only finance officers of the council use the run pages (other roles get 403, another council's run 404, in
``run_get_for``); a payee sees only their own payments (another's answers 404). Who may authorise, pay or
confirm is decided by ``marketplace.payments.runs``, whose refusals are shown on the page.
"""

from datetime import date, timedelta
from uuid import UUID

from django.db.models import Count
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.exports import csv_filename, csv_response
from accounts.models import Organisation, User
from accounts.permissions import role_required
from accounts.roles import Role
from marketplace.payments import downloads, runs, selectors
from marketplace.payments.downloads import payment_file_ready
from marketplace.payments.forms import CancelForm, ConfirmationUploadForm, ConfirmPaymentForm, PrepareForm
from marketplace.payments.models import Payment, PaymentMethod, PaymentRun, PaymentStatus, RunStatus
from marketplace.payments.tasks import run_execute_task
from marketplace.payments.working_days import banking_days_after
from marketplace.views.steps import SERVICE_REFUSALS, button_step, form_step, posted, show_refusal

TEMPLATES = "marketplace/payments/"
PROMPT_PAYMENT_MONTHS = 12
PAYABLE_RUN_STATUSES = (RunStatus.AUTHORISED, RunStatus.PAYING)

finance_officer_required = role_required(Role.FINANCE_OFFICER)
figures_required = role_required(Role.FINANCE_OFFICER, Role.COMMISSIONER)
payee_required = role_required(Role.PROVIDER_STAFF, Role.PERSONAL_ASSISTANT)


def run_url(run: PaymentRun) -> str:
    return reverse("payments:run", args=[run.public_id])


def _run(request: HttpRequest, public_id: UUID) -> PaymentRun:
    return selectors.run_get_for(user=request.user, council=request.council, public_id=public_id)  # type: ignore[attr-defined]


def account_shown(payment: Payment) -> str:
    """What the screens and CSVs say about where a payment goes: only ever the masked bank details."""
    if payment.status == PaymentStatus.HELD:
        return "Held: bank details awaiting verification"
    if payment.method == PaymentMethod.STRIPE_TRANSFER:
        return "Stripe connected account"
    if payment.bank_account_id:
        account = payment.bank_account
        return f"{account.sort_code_masked} {account.account_number_masked}"  # type: ignore[union-attr]
    return ""


# --- The runs ----------------------------------------------------------------------------------------


def _runs_with_counts(council: Organisation):  # type: ignore[no-untyped-def]
    return selectors.runs_for_council(council).annotate(payment_count=Count("payments"))


@finance_officer_required
@require_GET
def run_list(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    return render(request, TEMPLATES + "run_list.html", {"council": council, "runs": _runs_with_counts(council)[:200]})


@finance_officer_required
@require_GET
def runs_export(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    header = ["Reference", "Status", "Pay on", "Total", "Payments", "Items", "Prepared by", "Authorised by"]
    rows = [
        [
            run.reference,
            run.get_status_display(),
            run.pay_on.isoformat(),
            run.total,
            run.payment_count,
            run.item_count,
            str(run.prepared_by),
            str(run.authorised_by or ""),
        ]
        for run in _runs_with_counts(council)
    ]
    return csv_response(csv_filename(council, "payment-runs"), header, rows)


@finance_officer_required
@require_http_methods(["GET", "POST"])
def run_prepare(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    next_banking_day = banking_days_after(timezone.localdate(), 1)
    # The preview follows the date in the address, so that "Show what it would pay" works without JavaScript.
    form = PrepareForm(request.POST if request.method == "POST" else request.GET or None)
    form.fields["pay_on"].initial = next_banking_day.strftime("%d/%m/%Y")
    pay_on = form.cleaned_data["pay_on"] if form.is_bound and form.is_valid() else next_banking_day

    def page() -> HttpResponse:
        preview = selectors.run_preview(council=council, pay_on=pay_on)
        return render(request, TEMPLATES + "run_prepare.html", {"form": form, "council": council, "preview": preview})

    if request.method != "POST":
        return page()
    return form_step(
        request,
        form,
        act=lambda data: runs.run_prepare(council=council, actor=request.user, pay_on=data["pay_on"]),
        done=lambda run: (
            f"Payment run {run.reference} is prepared, to pay on {run.pay_on:%-d %B %Y}. "
            "A different finance officer must authorise it."
        ),
        then=run_url,
        page=page,
    )


def run_page_context(request: HttpRequest, run: PaymentRun) -> dict[str, object]:
    payments = list(selectors.run_payments(run))
    by_file = any(payment.method == PaymentMethod.PAYMENT_FILE and payment.status != "held" for payment in payments)
    return {
        "run": run,
        "payments": [{"payment": payment, "account": account_shown(payment)} for payment in payments],
        "held_count": sum(1 for payment in payments if payment.status == PaymentStatus.HELD),
        "prepared_by_you": run.prepared_by_id == request.user.pk,
        "may_authorise": run.status == RunStatus.PREPARED and run.prepared_by_id != request.user.pk,
        "may_cancel": run.status in (RunStatus.PREPARED, RunStatus.AUTHORISED),
        "may_pay": run.status in PAYABLE_RUN_STATUSES,
        "may_download": by_file and payment_file_ready(run),
        "may_confirm": run.status == RunStatus.SENT,
        "waiting_count": sum(1 for payment in payments if payment.status == PaymentStatus.SENT),
    }


@finance_officer_required
@require_GET
def run_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    run = _run(request, public_id)
    return render(request, TEMPLATES + "run_detail.html", run_page_context(request, run))


@finance_officer_required
@require_GET
def run_progress(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The progress bar alone, polled by htmx every 2 seconds while the run is paying. Once it is not,
    the page is reloaded (HX-Refresh) to show what the run can do next, and the polling stops."""
    run = _run(request, public_id)
    response = render(request, TEMPLATES + "run_detail.html#progress", {"run": run})
    if request.headers.get("HX-Request") and run.status != RunStatus.PAYING:
        response["HX-Refresh"] = "true"
    return response


@finance_officer_required
@require_POST
def run_authorise(request: HttpRequest, public_id: UUID) -> HttpResponse:
    run = _run(request, public_id)
    return button_step(
        request,
        act=lambda: runs.run_authorise(run=run, actor=request.user),
        done=f"You have authorised payment run {run.reference}. It can now be paid.",
        then=run_url(run),
    )


@finance_officer_required
@require_http_methods(["GET", "POST"])
def run_cancel(request: HttpRequest, public_id: UUID) -> HttpResponse:
    run = _run(request, public_id)
    form = CancelForm(posted(request))
    return form_step(
        request,
        form,
        act=lambda data: runs.run_cancel(run=run, actor=request.user, reason=data["reason"]),
        done=f"You have cancelled payment run {run.reference}. What it would have paid can go into the next run.",
        then=run_url(run),
        page=lambda: _run_form_page(
            request, form, run, heading=f"Cancel payment run {run.reference}", submit_label="Cancel the run"
        ),
    )


def _run_form_page(
    request: HttpRequest,
    form: Form,
    run: PaymentRun,
    *,
    heading: str,
    submit_label: str,
    payment: Payment | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "run": run,
        "payment": payment,
        "heading": heading,
        "submit_label": submit_label,
        "back_url": run_url(run),
    }
    return render(request, TEMPLATES + "form_page.html", context)


@finance_officer_required
@require_POST
def run_pay(request: HttpRequest, public_id: UUID) -> HttpResponse:
    run = _run(request, public_id)
    return button_step(
        request,
        act=lambda: _pay_in_background(run, request.user),  # type: ignore[arg-type]
        done=f"You have started paying payment run {run.reference}. This page shows how far it has got.",
        then=run_url(run),
    )


def _pay_in_background(run: PaymentRun, actor: User) -> None:
    # A run that stopped part-way (PAYING) may be started again: it pays only what it has not paid, and two
    # executors of one run wait on each other's payment locks.
    run = runs.run_start_paying(run=run, actor=actor)
    run_execute_task.enqueue(run_id=run.pk, actor_id=actor.pk)


@finance_officer_required
@require_GET
def payment_file_download(request: HttpRequest, public_id: UUID) -> HttpResponse:
    run = _run(request, public_id)
    if not payment_file_ready(run):
        raise Http404("The payment file is ready once the run has been paid")
    text = downloads.payment_file_download(run=run, actor=request.user)  # type: ignore[arg-type]
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    filename = csv_filename(run.council, f"payment-file-{run.reference}")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@finance_officer_required
@require_GET
def run_payments_export(request: HttpRequest, public_id: UUID) -> HttpResponse:
    run = _run(request, public_id)
    header = ["Payee", "Account", "Method", "Amount", "Status", "Remittance reference", "Items", "Reason"]
    rows = [
        [
            payment.payee_name,
            account_shown(payment),
            payment.get_method_display(),
            payment.amount,
            payment.get_status_display(),
            payment.remittance_reference,
            "; ".join(item.description for item in payment.items.all()),
            payment.failure_reason,
        ]
        for payment in selectors.run_payments(run)
    ]
    return csv_response(csv_filename(run.council, f"payment-run-{run.reference}"), header, rows)


# --- Confirming what the bank did ----------------------------------------------------------------------


@finance_officer_required
@require_http_methods(["GET", "POST"])
def payment_confirm(request: HttpRequest, public_id: UUID, payment_public_id: UUID) -> HttpResponse:
    run = _run(request, public_id)
    payment = get_object_or_404(selectors.run_payments(run), public_id=payment_public_id)
    form = ConfirmPaymentForm(posted(request))
    return form_step(
        request,
        form,
        act=lambda data: runs.payment_confirm(
            payment=payment, actor=request.user, outcome=data["outcome"], reason=data["reason"]
        ),
        done=f"You have recorded what the bank said about the payment to {payment.payee_name}",
        then=run_url(run),
        page=lambda: _run_form_page(
            request,
            form,
            run,
            heading=f"The payment of £{payment.amount:,.2f} to {payment.payee_name}",
            submit_label="Record the bank's answer",
            payment=payment,
        ),
    )


@finance_officer_required
@require_POST
def run_confirm_rest_paid(request: HttpRequest, public_id: UUID) -> HttpResponse:
    run = _run(request, public_id)
    return button_step(
        request,
        act=lambda: runs.run_confirm_rest_paid(run=run, actor=request.user),
        done=f"You have marked the rest of payment run {run.reference} paid",
        then=run_url(run),
    )


@finance_officer_required
@require_http_methods(["GET", "POST"])
def confirmations_upload(request: HttpRequest, public_id: UUID) -> HttpResponse:
    run = _run(request, public_id)
    form = ConfirmationUploadForm(posted(request), request.FILES if request.method == "POST" else None)
    line_errors: list = []
    if request.method == "POST" and form.is_valid():
        try:
            result = runs.confirmations_import(run=run, actor=request.user, csv_text=form.cleaned_data["confirmations"])
        except SERVICE_REFUSALS as error:
            show_refusal(form, error)
        else:
            line_errors = list(result.errors)
            if not line_errors:
                return redirect(run_url(run))
            form.add_error("confirmations", "Nothing was changed: correct the lines below and upload the file again")
    return render(
        request,
        TEMPLATES + "confirmations_upload.html",
        {"form": form, "run": run, "line_errors": line_errors, "back_url": run_url(run)},
    )


# --- Remittances ----------------------------------------------------------------------------------------


def _payee_payments(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The payments to the organisation the user acts for, or to the user as a personal assistant."""
    acting = request.acting  # type: ignore[attr-defined]
    if acting.role == Role.PROVIDER_STAFF:
        return selectors.payments_for_payee(provider_organisation=acting.organisation)
    profile = getattr(request.user, "pa_profile", None)
    if profile is None:
        return Payment.objects.none()
    return selectors.payments_for_payee(personal_assistant=profile)


@payee_required
@require_GET
def remittance_list(request: HttpRequest) -> HttpResponse:
    payments = _payee_payments(request).prefetch_related("items__invoice")[:200]
    return render(request, TEMPLATES + "remittance_list.html", {"payments": payments})


@payee_required
@require_GET
def remittance_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    payment = get_object_or_404(_payee_payments(request).prefetch_related("items__invoice"), public_id=public_id)
    return render(request, TEMPLATES + "remittance_detail.html", {"payment": payment})


# --- Prompt payment ------------------------------------------------------------------------------------


def _month_starts(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _month_end(start: date) -> date:
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def prompt_payment_months(council: Organisation) -> list[dict[str, object]]:
    months = []
    for start in _month_starts(timezone.localdate(), PROMPT_PAYMENT_MONTHS):
        figures = selectors.prompt_payment(council=council, start=start, end=_month_end(start))
        percent = None if figures.share is None else round(figures.share * 100)
        months.append({"month": start, "figures": figures, "percent": percent})
    return months


@figures_required
@require_GET
def prompt_payment(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    months = prompt_payment_months(council)
    context = {
        "council": council,
        "months": months,
        "days": selectors.PROMPT_PAYMENT_DAYS,
        "chart": _chart_bars(months),
    }
    return render(request, TEMPLATES + "prompt_payment.html", context)


# The chart is drawn as SVG with its geometry in attributes: the content security policy allows no inline
# styles, and an SVG needs no JavaScript. Each bar is as tall as its month's share, out of CHART_HEIGHT.
CHART_HEIGHT = 200
BAR_WIDTH = 40
BAR_GAP = 16


def _chart_bars(months: list[dict[str, object]]) -> dict[str, object]:
    bars = []
    for index, month in enumerate(months):
        percent = month["percent"]
        height = 0 if percent is None else round(CHART_HEIGHT * int(percent) / 100)  # type: ignore[call-overload]
        bars.append(
            {
                "x": BAR_GAP + index * (BAR_WIDTH + BAR_GAP),
                "y": CHART_HEIGHT - height,
                "height": height,
                "label_x": BAR_GAP + index * (BAR_WIDTH + BAR_GAP) + BAR_WIDTH // 2,
                **month,
            }
        )
    return {
        "bars": bars,
        "width": BAR_GAP + len(months) * (BAR_WIDTH + BAR_GAP),
        "height": CHART_HEIGHT,
        "bar_width": BAR_WIDTH,
    }


@figures_required
@require_GET
def prompt_payment_export(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    header = ["Month", "Invoices paid", f"Paid within {selectors.PROMPT_PAYMENT_DAYS} days", "Share (%)"]
    rows = [
        [
            month["month"].strftime("%Y-%m"),  # type: ignore[attr-defined]
            month["figures"].paid,  # type: ignore[attr-defined]
            month["figures"].paid_within_terms,  # type: ignore[attr-defined]
            "" if month["percent"] is None else month["percent"],
        ]
        for month in prompt_payment_months(council)
    ]
    return csv_response(csv_filename(council, "prompt-payment"), header, rows)
