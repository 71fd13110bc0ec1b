"""Individual service fund pages, under /service-funds/: the provider's funds and monthly statement form; the
council's reconciliation list (with its CSV) and each statement reconciled against the plan, accepted or
queried; the fund's period end.

Who sees what is decided in ``brokerage.selectors.service_funds``: another provider's fund or statement, or
another council's, answers 404; a role that neither holds funds nor reconciles them gets 403.
"""

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.exports import csv_response, dated_csv_filename
from accounts.permissions import role_required
from accounts.roles import Role
from brokerage.models import Allocation, ServiceFundStatement, StatementStatus
from brokerage.selectors.service_funds import (
    held_by_provider,
    isf_allocation_get_for,
    isf_allocations_for_council,
    isf_allocations_for_provider,
    isf_plan_lines,
    month_of,
    planned_for_month,
    service_fund_policy,
    statement_get_for,
    statement_reconcile,
    statements_for_council,
)
from brokerage.services import service_funds as services
from marketplace.forms_service_funds import FrequencyForm, PolicyForm, QueryForm, StatementForm, statement_months
from marketplace.views.steps import SERVICE_REFUSALS, button_step, posted, refusal_message, show_refusal

TEMPLATES = "marketplace/service_funds/"
provider_required = role_required(Role.PROVIDER_STAFF)
finance_required = role_required(Role.FINANCE_OFFICER)
either_required = role_required(Role.PROVIDER_STAFF, Role.FINANCE_OFFICER)


# --- Funds --------------------------------------------------------------------------------------------


@either_required
@require_GET
def fund_list(request: HttpRequest) -> HttpResponse:
    if request.acting.role == Role.PROVIDER_STAFF:  # type: ignore[attr-defined]
        funds = isf_allocations_for_provider(request.user)
    else:
        funds = isf_allocations_for_council(request.user)
    return render(request, TEMPLATES + "list.html", {"funds": funds, "is_provider": _acts_as_provider(request)})


def _acts_as_provider(request: HttpRequest) -> bool:
    return request.acting.role == Role.PROVIDER_STAFF  # type: ignore[attr-defined]


@either_required
@require_GET
def fund_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    allocation = isf_allocation_get_for(user=request.user, public_id=public_id)
    return render(request, TEMPLATES + "detail.html", _fund_context(request, allocation))


def _fund_context(request: HttpRequest, allocation: Allocation) -> dict[str, object]:
    today = timezone.localdate()
    schedule = getattr(allocation, "isf_schedule", None)
    ended = allocation.budget.ends_on < today
    period_end = getattr(allocation, "isf_period_end", None)
    is_finance = services.is_finance_officer(user=request.user, allocation=allocation)
    return {
        "fund": allocation,
        "budget": allocation.budget,
        "held": held_by_provider(allocation),
        "instalments": schedule.instalments.all() if schedule else [],
        "schedule": schedule,
        "plan_lines": isf_plan_lines(allocation),
        "statements": allocation.isf_statements.order_by("-period_start"),
        "may_send": services.is_provider_staff(user=request.user, allocation=allocation)
        and bool(statement_months(allocation, today)),
        "is_finance": is_finance,
        "period_end": period_end,
        "may_close": is_finance and ended and period_end is None,
        "close_plan": services.isf_period_end_plan(allocation) if is_finance and ended and not period_end else None,
        "policy": service_fund_policy(allocation.budget.council),
        "may_change_frequency": is_finance
        and schedule is not None
        and not schedule.instalments.filter(paid_at__isnull=False).exists(),
        "frequency_form": FrequencyForm(initial={"frequency": schedule.frequency if schedule else ""}),
    }


@finance_required
@require_POST
def fund_frequency(request: HttpRequest, public_id: UUID) -> HttpResponse:
    allocation = isf_allocation_get_for(user=request.user, public_id=public_id)
    form = FrequencyForm(request.POST)
    schedule = getattr(allocation, "isf_schedule", None)
    if schedule is None or not form.is_valid():
        messages.error(request, "Choose how often the provider is paid")
        return redirect(_fund_url(allocation))
    return button_step(
        request,
        act=lambda: services.isf_schedule_set_frequency(
            schedule=schedule, actor=request.user, frequency=form.cleaned_data["frequency"]
        ),
        done="The instalments have been worked out again",
        then=_fund_url(allocation),
    )


@finance_required
@require_POST
def fund_close(request: HttpRequest, public_id: UUID) -> HttpResponse:
    allocation = isf_allocation_get_for(user=request.user, public_id=public_id)
    return button_step(
        request,
        act=lambda: services.isf_period_end_close(
            allocation=allocation, actor=request.user, today=timezone.localdate()
        ),
        done="The fund's period is closed: what the provider still held has been returned or carried forward",
        then=_fund_url(allocation),
    )


def _fund_url(allocation: Allocation) -> str:
    return reverse("marketplace:isf-fund", args=[allocation.public_id])


# --- The provider's statement ------------------------------------------------------------------------------


@provider_required
@require_http_methods(["GET", "POST"])
def statement_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    allocation = isf_allocation_get_for(user=request.user, public_id=public_id)
    if not services.is_provider_staff(user=request.user, allocation=allocation):
        return redirect("marketplace:isf-fund", allocation.public_id)
    months = statement_months(allocation, timezone.localdate())
    form = StatementForm(posted(request), plan_lines=isf_plan_lines(allocation), months=months)
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.isf_statement_submit(
                allocation=allocation, actor=request.user, month=form.cleaned_data["month"], lines=form.lines
            )
        except SERVICE_REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Your statement for {statement.period_start:%B %Y} has been sent to the council")
            return redirect("marketplace:isf-statement", statement.public_id)
    form.planned = _planned_by_line(allocation, months[0] if months else None)
    return render(request, TEMPLATES + "statement_form.html", {"form": form, "fund": allocation})


def _planned_by_line(allocation: Allocation, month) -> dict[int, object]:  # type: ignore[no-untyped-def]
    if month is None:
        return {}
    start, end = month_of(month)
    return {line.pk: planned_for_month(line, start, end) for line in isf_plan_lines(allocation)}


@provider_required
@require_http_methods(["GET", "POST"])
def statement_correct(request: HttpRequest, public_id: UUID) -> HttpResponse:
    statement = statement_get_for(user=request.user, public_id=public_id)
    allocation = statement.allocation
    form = StatementForm(
        posted(request),
        plan_lines=isf_plan_lines(allocation),
        months=None,
        initial_lines=list(statement.lines.all()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.isf_statement_resubmit(statement=statement, actor=request.user, lines=form.lines)
        except SERVICE_REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Your corrected statement for {statement.period_start:%B %Y} has been sent")
            return redirect("marketplace:isf-statement", statement.public_id)
    form.planned = _planned_by_line(allocation, statement.period_start)
    return render(
        request, TEMPLATES + "statement_form.html", {"form": form, "fund": allocation, "statement": statement}
    )


# --- The statement, reconciled -------------------------------------------------------------------------------


@either_required
@require_GET
def statement_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _statement_page(request, statement_get_for(user=request.user, public_id=public_id))


def _statement_page(request: HttpRequest, statement: ServiceFundStatement, query_form: QueryForm | None = None):  # type: ignore[no-untyped-def]
    allocation = statement.allocation
    waiting = statement.status == StatementStatus.SUBMITTED
    is_finance = services.is_finance_officer(user=request.user, allocation=allocation)
    context = {
        "statement": statement,
        "fund": allocation,
        "reconciliation": statement_reconcile(statement),
        "policy": service_fund_policy(allocation.budget.council),
        "history": statement.status_changes.select_related("actor"),
        "held": held_by_provider(allocation),
        "may_decide": is_finance and waiting,
        "may_correct": statement.status == StatementStatus.QUERIED
        and services.is_provider_staff(user=request.user, allocation=allocation),
        "query_form": query_form or QueryForm(),
    }
    return render(request, TEMPLATES + "statement.html", context)


@finance_required
@require_POST
def statement_accept(request: HttpRequest, public_id: UUID) -> HttpResponse:
    statement = statement_get_for(user=request.user, public_id=public_id)
    return button_step(
        request,
        act=lambda: services.isf_statement_accept(statement=statement, actor=request.user),
        done=f"You accepted the statement for {statement.period_start:%B %Y}",
        then=request.path.removesuffix("accept/"),
    )


@finance_required
@require_POST
def statement_query(request: HttpRequest, public_id: UUID) -> HttpResponse:
    statement = statement_get_for(user=request.user, public_id=public_id)
    form = QueryForm(request.POST)
    if form.is_valid():
        try:
            services.isf_statement_query(statement=statement, actor=request.user, reason=form.cleaned_data["reason"])
        except SERVICE_REFUSALS as error:
            messages.error(request, refusal_message(error))
        else:
            messages.success(request, "Your query has been sent to the provider")
        return redirect("marketplace:isf-statement", statement.public_id)
    return _statement_page(request, statement, form)


# --- The council's reconciliation list ------------------------------------------------------------------------


def _reconciled_statements(request: HttpRequest) -> list[tuple[ServiceFundStatement, object]]:
    statements = statements_for_council(request.user)
    status = request.GET.get("status", "")
    if status in StatementStatus.values:
        statements = statements.filter(status=status)
    rows = [(statement, statement_reconcile(statement)) for statement in statements]
    if request.GET.get("flagged") == "yes":
        rows = [(statement, result) for statement, result in rows if result.flagged or result.flagged_lines]
    return rows


@finance_required
@require_GET
def reconciliation_list(request: HttpRequest) -> HttpResponse:
    context = {
        "rows": _reconciled_statements(request),
        "statuses": StatementStatus.choices,
        "status": request.GET.get("status", ""),
        "flagged": request.GET.get("flagged") == "yes",
        "query": request.GET.urlencode(),
    }
    return render(request, TEMPLATES + "reconciliation.html", context)


CSV_HEADER = [
    "Statement",
    "Person",
    "Provider",
    "Month",
    "Status",
    "Line",
    "In the plan",
    "Planned units",
    "Planned £",
    "Reported units",
    "Reported £",
    "Difference £",
    "Tolerance £",
    "Flagged",
]


@finance_required
@require_GET
def reconciliation_export(request: HttpRequest) -> HttpResponse:
    rows = []
    for statement, result in _reconciled_statements(request):
        common = [
            str(statement.public_id),
            str(statement.allocation.budget.person),
            str(statement.allocation.isf_provider),
            f"{statement.period_start:%Y-%m}",
            statement.get_status_display(),
        ]
        for line in result.lines:
            rows.append(
                [
                    *common,
                    line.label,
                    "yes" if line.in_plan else "no",
                    line.planned_quantity,
                    line.planned,
                    line.reported_quantity,
                    line.reported,
                    line.difference,
                    line.tolerance,
                    "yes" if line.flagged else "no",
                ]
            )
        rows.append(
            [
                *common,
                "Total",
                "",
                "",
                result.planned,
                "",
                result.reported,
                result.difference,
                result.tolerance,
                "yes" if result.flagged else "no",
            ]
        )
    return csv_response(dated_csv_filename("service-fund-statements"), CSV_HEADER, rows)


# --- The council's policy ------------------------------------------------------------------------------------


@finance_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest) -> HttpResponse:
    council = request.council  # type: ignore[attr-defined]
    form = PolicyForm(posted(request), instance=service_fund_policy(council))
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in PolicyForm.Meta.fields}
        try:
            services.isf_policy_save(council=council, actor=request.user, **values)
        except SERVICE_REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, "The individual service fund policy has been saved")
            return redirect("marketplace:isf-reconciliation")
    return render(request, TEMPLATES + "policy.html", {"form": form, "council": council})
