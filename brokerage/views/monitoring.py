"""The council's review queue of direct-payment monitoring flags, for budget-holding managers and
finance officers. Another council's flag answers 404; any other role 403."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.exports import csv_filename, csv_response
from accounts.permissions import role_required
from brokerage.forms.direct_payments import ResolveForm
from brokerage.models import MonitoringFlag
from brokerage.services import monitoring as services
from brokerage.views.direct_payments import COUNCIL_MONEY_ROLES
from brokerage.views.people import add_service_errors, posted

council_money_required = role_required(*COUNCIL_MONEY_ROLES)


def _status(request: HttpRequest) -> str:
    status = request.GET.get("status", MonitoringFlag.Status.OPEN)
    return status if status in {*MonitoringFlag.Status.values, ""} else MonitoringFlag.Status.OPEN


@council_money_required
def queue(request: HttpRequest) -> HttpResponse:
    status = _status(request)
    flags = services.flags_for_council(council=request.council, status=status)  # type: ignore[attr-defined]
    return render(
        request,
        "brokerage/monitoring/queue.html",
        {"flags": flags[:200], "total": flags.count(), "status": status, "statuses": MonitoringFlag.Status.choices},
    )


@council_money_required
def queue_export(request: HttpRequest) -> HttpResponse:
    flags = services.flags_for_council(council=request.council, status=_status(request))  # type: ignore[attr-defined]
    header = ["Raised at", "Child", "Budget", "Funding stream", "Flag", "Detail", "Status", "Resolved by", "Note"]
    rows = (
        [
            flag.raised_at.isoformat(timespec="seconds"),
            str(flag.budget.person),
            flag.budget.public_id,
            flag.allocation.stream.name,
            flag.get_kind_display(),
            flag.detail,
            flag.get_status_display(),
            str(flag.resolved_by or ""),
            flag.resolution_note,
        ]
        for flag in flags.iterator()
    )
    return csv_response(csv_filename(request.council, "direct-payment-flags"), header, rows)  # type: ignore[attr-defined]


@council_money_required
def flag_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    flag = services.flag_get_for_council(council=request.council, public_id=public_id)  # type: ignore[attr-defined]
    form = ResolveForm(posted(request))
    if request.method == "POST" and flag.status == MonitoringFlag.Status.OPEN and form.is_valid():
        try:
            services.flag_resolve(flag=flag, actor=request.user, note=form.cleaned_data["note"])  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "You have resolved the flag")
            return redirect("brokerage:monitoring")
    return render(request, "brokerage/monitoring/flag.html", {"flag": flag, "form": form})
