"""Direct payments and contingency on a budget.

The family (whoever gives consent) and the practitioners they shared the records with see the
schedule and the spending; the council's budget-holding managers and finance officers see those of
their council's budgets, mark instalments paid and download the spending. Only the family records
spending; a budget-holding manager, or a lead professional or broker within delegated authority,
releases contingency. A budget the user may not see answers 404; a page the role may not use, 403.
"""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.exports import csv_filename, csv_response
from accounts.permissions import role_required
from accounts.roles import Role
from accounts.templatetags.money import money_text
from brokerage.forms.direct_payments import ContingencyReleaseForm, FrequencyForm, SpendForm
from brokerage.models import Budget, DirectPaymentInstalment, DirectPaymentSchedule, FamilySpend
from brokerage.selectors.people import CASEWORK_ROLES, FAMILY_ROLES, RECORD_ROLES
from brokerage.services import direct_payments as services
from brokerage.services.contingency import contingency_held, contingency_release_with_reason
from brokerage.services.people import record_view_log
from brokerage.views.people import add_service_errors, posted
from brokerage.views.plans import budget_for_request

COUNCIL_MONEY_ROLES = (Role.BUDGET_HOLDING_MANAGER, Role.FINANCE_OFFICER)


def budget_for_viewer(request: HttpRequest, public_id: UUID) -> Budget:
    """Council money roles see their council's budgets; everyone else through consent (else 404)."""
    if request.acting.role in COUNCIL_MONEY_ROLES:  # type: ignore[attr-defined]
        budget = get_object_or_404(
            Budget.objects.select_related("person"),
            council=request.council,
            public_id=public_id,  # type: ignore[attr-defined]
        )
        record_view_log(person=budget.person, viewer=request.user, what=f"direct payments {budget}")  # type: ignore[arg-type]
        return budget
    return budget_for_request(request, public_id)


@role_required(*RECORD_ROLES, *COUNCIL_MONEY_ROLES)
def direct_payments(request: HttpRequest, public_id: UUID) -> HttpResponse:
    budget = budget_for_viewer(request, public_id)
    role = request.acting.role  # type: ignore[attr-defined]
    schedules = [
        (allocation, getattr(allocation, "dp_schedule", None), services.family_account_balance(allocation))
        for allocation in services.dp_allocations(budget)
    ]
    return render(
        request,
        "brokerage/direct_payments/budget.html",
        {
            "budget": budget,
            "schedules": schedules,
            "spends": services.spends_for_budget(budget),
            "is_family": role in FAMILY_ROLES,
            "may_pay": role in COUNCIL_MONEY_ROLES,
            "may_change_schedule": role in CASEWORK_ROLES or role in COUNCIL_MONEY_ROLES,
        },
    )


@role_required(*RECORD_ROLES, *COUNCIL_MONEY_ROLES)
def spend_export(request: HttpRequest, public_id: UUID) -> HttpResponse:
    budget = budget_for_viewer(request, public_id)
    header = [
        "Spent on",
        "Amount",
        "What for",
        "Kind of support",
        "In the plan",
        "Receipt",
        "Recorded by",
        "Recorded at",
    ]
    rows = (
        [
            spend.spent_on.isoformat(),
            spend.amount,
            spend.description,
            spend.category.name if spend.category else "Not in the plan",
            "yes" if spend.category else "no",
            "yes" if spend.receipt_id else "no",
            str(spend.recorded_by),
        ]
        for spend in services.spends_for_budget(budget)
    )
    return csv_response(csv_filename(budget.council, f"direct-payment-spending-{budget.public_id}"), header, rows)


@role_required(*FAMILY_ROLES)
def spend_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    budget = budget_for_viewer(request, public_id)
    form = SpendForm(posted(request), request.FILES or None, budget=budget)
    if request.method == "POST" and form.is_valid():
        try:
            services.dp_spend_record(actor=request.user, **form.spend_fields())  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "You have recorded what you spent")
            return redirect("brokerage:direct-payments", public_id=budget.public_id)
    return render(request, "brokerage/direct_payments/spend_form.html", {"budget": budget, "form": form})


@require_GET
@role_required(*RECORD_ROLES, *COUNCIL_MONEY_ROLES)
def spend_receipt(request: HttpRequest, public_id: UUID) -> HttpResponse:
    spend = get_object_or_404(FamilySpend.objects.select_related("allocation__budget", "receipt"), public_id=public_id)
    budget_for_viewer(request, spend.allocation.budget.public_id)
    if spend.receipt is None:
        raise Http404("No receipt")
    response = FileResponse(spend.receipt.file.open("rb"), content_type=spend.receipt.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*COUNCIL_MONEY_ROLES)
def instalment_pay(request: HttpRequest, public_id: UUID) -> HttpResponse:
    instalment = get_object_or_404(
        DirectPaymentInstalment.objects.select_related("schedule__allocation__budget__person"),
        schedule__allocation__budget__council=request.council,  # type: ignore[attr-defined]
        public_id=public_id,
    )
    budget = instalment.schedule.allocation.budget
    error = ""
    if request.method == "POST":
        try:
            services.dp_instalment_pay(instalment=instalment, actor=request.user)  # type: ignore[arg-type]
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, f"Instalment {instalment.number} is marked as paid")
            return redirect("brokerage:direct-payments", public_id=budget.public_id)
    return render(
        request,
        "brokerage/direct_payments/instalment_pay.html",
        {"instalment": instalment, "budget": budget, "error": error},
    )


@role_required(*CASEWORK_ROLES, *COUNCIL_MONEY_ROLES)
def schedule_frequency(request: HttpRequest, public_id: UUID) -> HttpResponse:
    schedule = get_object_or_404(
        DirectPaymentSchedule.objects.select_related("allocation__budget"), public_id=public_id
    )
    budget = budget_for_viewer(request, schedule.allocation.budget.public_id)
    form = FrequencyForm(posted(request), initial={"frequency": schedule.frequency})
    if request.method == "POST" and form.is_valid():
        try:
            services.dp_schedule_set_frequency(
                schedule=schedule,
                actor=request.user,  # type: ignore[arg-type]
                frequency=form.cleaned_data["frequency"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "You have changed how often the direct payment is paid")
            return redirect("brokerage:direct-payments", public_id=budget.public_id)
    return render(
        request,
        "brokerage/people/form_page.html",
        {
            "form": form,
            "heading": "How often the direct payment is paid",
            "caption": str(schedule.allocation),
            "intro": "The instalments are worked out again. This is possible until the first one is paid.",
            "back_url": reverse("brokerage:direct-payments", args=[budget.public_id]),
            "submit_label": "Save",
        },
    )


@role_required(Role.BUDGET_HOLDING_MANAGER, *CASEWORK_ROLES)
def contingency_release(request: HttpRequest, public_id: UUID) -> HttpResponse:
    budget = budget_for_viewer(request, public_id)
    form = ContingencyReleaseForm(posted(request), budget=budget)
    if request.method == "POST" and form.is_valid():
        try:
            contingency_release_with_reason(
                actor=request.user,  # type: ignore[arg-type]
                role=request.acting.role,  # type: ignore[attr-defined]
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have released {money_text(form.cleaned_data['amount'])} of contingency")
            # Managers do not use the casework pages; they come back to the budget's money page.
            is_casework = request.acting.role in CASEWORK_ROLES  # type: ignore[attr-defined]
            return redirect(
                "brokerage:budget" if is_casework else "brokerage:direct-payments", public_id=budget.public_id
            )
    held = [(allocation, contingency_held(allocation)) for allocation in budget.allocations.select_related("stream")]
    return render(
        request,
        "brokerage/direct_payments/contingency_release.html",
        {"budget": budget, "form": form, "held": held},
    )
