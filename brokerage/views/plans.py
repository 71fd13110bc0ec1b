"""Budgets and support plans: allocations by funding stream, the plan builder, its moves and submission.

Lead professionals and brokers the family shared the records with build and change them; the family
(and the young person after hand-over) read them. A budget or plan of a person the user may not see
answers 404, and the change pages answer 403 to the family's roles.
"""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.templatetags.money import money_text
from brokerage.forms.plans import AllocationForm, BudgetForm, LineForm, OutcomeForm, PlanForm, StatusForm, SubmitForm
from brokerage.models import ApprovalRequest, Budget, PersonSupported, PlanStatus, SupportPlan
from brokerage.selectors import plans as selectors
from brokerage.services import plans as services
from brokerage.services.people import record_view_log
from brokerage.statements import budget_statement
from brokerage.views.people import (
    add_service_errors,
    casework_required,
    is_staff_view,
    person_for_request,
    posted,
    record_roles_required,
)


def budget_for_request(request: HttpRequest, public_id: UUID) -> Budget:
    budget = selectors.budget_get_for(user=request.user, council=request.council, public_id=public_id)  # type: ignore[attr-defined]
    if is_staff_view(request):
        record_view_log(person=budget.person, viewer=request.user, what=f"budget {budget}")
    return budget


def plan_for_request(request: HttpRequest, public_id: UUID) -> SupportPlan:
    plan = selectors.plan_get_for(user=request.user, council=request.council, public_id=public_id)  # type: ignore[attr-defined]
    if is_staff_view(request):
        record_view_log(person=plan.person, viewer=request.user, what=f"plan version {plan.version}")
    return plan


def may_change(request: HttpRequest, person: PersonSupported) -> bool:
    return selectors.may_change_plans_of(
        user=request.user,  # type: ignore[arg-type]
        role=request.acting.role,  # type: ignore[attr-defined]
        person=person,
        day=timezone.localdate(),
    )


def plan_to_change(request: HttpRequest, public_id: UUID) -> SupportPlan:
    """The plan, if the worker may see it (else 404) and change it: read-only access answers 403."""
    plan = plan_for_request(request, public_id)
    if not may_change(request, plan.person):
        raise PermissionDenied("You may read this plan but not change it")
    return plan


# --- Budgets --------------------------------------------------------------------------------------


@casework_required
def budget_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = person_for_request(request, public_id, what="new budget")
    form = BudgetForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            budget = services.budget_create(person=person, actor=request.user, **form.period())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "You have started the budget. Now add money from each funding stream")
            return redirect("brokerage:budget", public_id=budget.public_id)
    return render(
        request,
        "brokerage/people/form_page.html",
        {
            "form": form,
            "heading": "Start a budget for a period",
            "caption": str(person),
            "back_url": reverse("brokerage:person", args=[person.public_id]),
            "submit_label": "Start the budget",
        },
    )


@record_roles_required
def budget_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    budget = budget_for_request(request, public_id)
    return render(
        request,
        "brokerage/plans/budget.html",
        {
            "budget": budget,
            "statement": budget_statement(budget),
            "plans": budget.plans.order_by("-version"),
            "is_staff": is_staff_view(request),
        },
    )


@casework_required
def allocation_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    budget = budget_for_request(request, public_id)
    form = AllocationForm(posted(request), budget=budget)
    if request.method == "POST" and form.is_valid():
        try:
            allocation = services.allocation_add(budget=budget, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have added {money_text(form.cleaned_data['amount'])} from {allocation}")
            return redirect("brokerage:budget", public_id=budget.public_id)
    return render(
        request,
        "brokerage/people/form_page.html",
        {
            "form": form,
            "heading": "Add money from a funding stream",
            "caption": str(budget),
            "back_url": reverse("brokerage:budget", args=[budget.public_id]),
            "submit_label": "Add the money",
        },
    )


# --- Plans ----------------------------------------------------------------------------------------


@casework_required
def plan_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    budget = budget_for_request(request, public_id)
    if not may_change(request, budget.person):
        raise PermissionDenied("You may read this budget's plans but not start one")
    form = PlanForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(budget=budget, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "You have started the plan. Add its outcomes, then the costed lines")
            return redirect("brokerage:plan", public_id=plan.public_id)
    return render(
        request,
        "brokerage/people/form_page.html",
        {
            "form": form,
            "heading": "Start a support plan",
            "caption": str(budget),
            "intro": "Build the plan with the family: what they want to achieve, and what will help.",
            "back_url": reverse("brokerage:budget", args=[budget.public_id]),
            "submit_label": "Start the plan",
        },
    )


@record_roles_required
def plan_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    plan = plan_for_request(request, public_id)
    is_staff = is_staff_view(request)
    can_change = is_staff and may_change(request, plan.person)
    return render(
        request,
        "brokerage/plans/plan.html",
        {
            "plan": plan,
            "sheet": selectors.plan_sheet(plan),
            "outcomes": plan.outcomes.all(),
            "continuing": selectors.plan_continuing_lines(plan),
            "history": selectors.plan_history(plan),
            "next_statuses": selectors.plan_next_statuses(plan) if can_change else [],
            "can_edit": can_change and plan.status in selectors.EDITABLE,
            "can_submit": can_change and plan.status == PlanStatus.AGREED,
            "can_review": is_staff and plan.status in (PlanStatus.ACTIVE, PlanStatus.UNDER_REVIEW),
            "waiting_request": plan.approval_requests.filter(decision=ApprovalRequest.Decision.WAITING).first(),
            "decided_requests": plan.approval_requests.exclude(decision=ApprovalRequest.Decision.WAITING),
            "is_staff": is_staff,
            "status_form": StatusForm(),
        },
    )


@casework_required
def outcome_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    plan = plan_to_change(request, public_id)
    form = OutcomeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_outcome_add(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "You have added the outcome")
            return redirect("brokerage:plan", public_id=plan.public_id)
    return _plan_form(request, plan, form, "Add an outcome", "Add the outcome")


@casework_required
def line_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    plan = plan_to_change(request, public_id)
    form = LineForm(posted(request), plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            line, check = services.plan_line_add(plan=plan, actor=request.user, **form.line_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have added {line.description}, {money_text(line.total)}")
            for warning in check.warnings:
                messages.warning(request, warning)
            return redirect("brokerage:plan", public_id=plan.public_id)
    return _plan_form(request, plan, form, "Add a costed line", "Add the line")


@casework_required
@require_POST
def line_remove(request: HttpRequest, public_id: UUID, line_id: UUID) -> HttpResponse:
    plan = plan_to_change(request, public_id)
    line = selectors.plan_line_get(plan=plan, public_id=line_id)
    try:
        services.plan_line_remove(line=line, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You have removed {line.description}")
    return redirect("brokerage:plan", public_id=plan.public_id)


@casework_required
@require_POST
def plan_status(request: HttpRequest, public_id: UUID) -> HttpResponse:
    plan = plan_to_change(request, public_id)
    new_status = request.POST.get("new_status", "")
    form = StatusForm(request.POST)
    if new_status not in dict(selectors.plan_next_statuses(plan)) or not form.is_valid():
        messages.error(request, "This plan cannot make that move")
        return redirect("brokerage:plan", public_id=plan.public_id)
    try:
        services.plan_status_change(
            plan=plan, actor=request.user, new_status=new_status, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The plan is now {PlanStatus(new_status).label.lower()}")
    return redirect("brokerage:plan", public_id=plan.public_id)


@casework_required
def plan_submit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    plan = plan_to_change(request, public_id)
    form = SubmitForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = services.plan_submit(
                plan=plan,
                actor=request.user,
                role=request.acting.role,  # type: ignore[attr-defined]
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if isinstance(result, ApprovalRequest):
                messages.success(
                    request,
                    f"{money_text(result.amount_requested)} is more than you may approve: a manager has been asked",
                )
            else:
                messages.success(request, "The plan is approved and active")
            return redirect("brokerage:plan", public_id=plan.public_id)
    return render(
        request,
        "brokerage/plans/submit.html",
        {"plan": plan, "sheet": selectors.plan_sheet(plan), "form": form},
    )


def _plan_form(request: HttpRequest, plan: SupportPlan, form, heading: str, submit_label: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    return render(
        request,
        "brokerage/people/form_page.html",
        {
            "form": form,
            "heading": heading,
            "caption": f"{plan.person}, plan version {plan.version}",
            "back_url": reverse("brokerage:plan", args=[plan.public_id]),
            "submit_label": submit_label,
        },
    )
