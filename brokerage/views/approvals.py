"""A budget-holding manager's queue: requests above a worker's delegated authority, with the reason
and the numbers; approve (adding money from a locality fund), approve in part, or decline with a
reason. Only managers use these pages (others 403); another council's request answers 404."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.exports import csv_filename, csv_response
from accounts.permissions import role_required
from accounts.roles import Role
from brokerage.forms.plans import DecisionForm
from brokerage.models import ApprovalRequest
from brokerage.selectors import plans as selectors
from brokerage.services import plans as services
from brokerage.services.people import record_view_log
from brokerage.views.people import add_service_errors, posted

manager_required = role_required(Role.BUDGET_HOLDING_MANAGER)


@manager_required
def queue(request: HttpRequest) -> HttpResponse:
    decision = request.GET.get("decision", "")
    requests = selectors.approvals_for_manager(council=request.council, decision=decision)  # type: ignore[attr-defined]
    return render(
        request,
        "brokerage/approvals/queue.html",
        {"requests": requests, "decision": decision, "decisions": ApprovalRequest.Decision.choices},
    )


@manager_required
def queue_export(request: HttpRequest) -> HttpResponse:
    decision = request.GET.get("decision", "")
    requests = selectors.approvals_for_manager(council=request.council, decision=decision)  # type: ignore[attr-defined]
    header = [
        "Reference",
        "Person",
        "Requested on",
        "Requested by",
        "Amount requested",
        "Reason",
        "Available then",
        "Delegated limit",
        "Decision",
        "Amount approved",
        "Locality fund",
        "Decided by",
        "Decision reason",
    ]
    rows = (
        [
            item.public_id,
            str(item.plan.person),
            item.requested_at.date().isoformat(),
            str(item.requested_by),
            item.amount_requested,
            item.reason,
            item.figures.get("available", ""),
            item.figures.get("delegated_limit") or "",
            item.get_decision_display(),
            item.amount_approved if item.amount_approved is not None else "",
            str(item.locality_fund or ""),
            str(item.decided_by or ""),
            item.decision_reason,
        ]
        for item in requests
    )
    return csv_response(csv_filename(request.council, "approval-requests"), header, rows)  # type: ignore[attr-defined]


@manager_required
def approval_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    item = selectors.approval_get_for_manager(council=request.council, public_id=public_id)  # type: ignore[attr-defined]
    record_view_log(person=item.plan.person, viewer=request.user, what=f"approval request for plan {item.plan.version}")
    form = DecisionForm(posted(request), manager=request.user, request=item)
    if request.method == "POST" and item.decision == ApprovalRequest.Decision.WAITING and form.is_valid():
        try:
            services.approval_decide_and_tell(request=item, manager=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "You have decided the request. The worker who asked has been told")
            return redirect("brokerage:approvals")
    return render(
        request,
        "brokerage/approvals/detail.html",
        {"item": item, "form": form, "sheet": selectors.plan_sheet(item.plan), "figures": item.figures},
    )
