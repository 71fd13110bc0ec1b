"""Framework contracts, for a council's commissioners.

Every page acts within ``request.council`` (set by ``role_required``); frameworks and memberships are
reached only through council-scoped selectors, so another council's answer 404, and other roles 403.
"""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.exports import csv_response
from accounts.form_errors import add_service_errors, posted
from accounts.permissions import role_required
from accounts.roles import Role
from providers.forms_frameworks import (
    AdmitForm,
    FrameworkForm,
    LotForm,
    MembershipReasonForm,
    ProviderSearchForm,
)
from providers.models import FrameworkContract, MembershipStatus
from providers.selectors import frameworks as selectors
from providers.services import frameworks as services

commissioner_required = role_required(Role.COMMISSIONER)


@commissioner_required
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = selectors.frameworks_for_council(council=request.council)
    return render(
        request, "providers/frameworks/framework_list.html", {"frameworks": frameworks, "today": timezone.localdate()}
    )


@commissioner_required
def framework_create(request: HttpRequest) -> HttpResponse:
    form = FrameworkForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            framework = services.framework_create(actor=request.user, council=request.council, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have created {framework.name}. Now add its lots.")
            return redirect("providers:framework", public_id=framework.public_id)
    return render(request, "providers/frameworks/framework_form.html", {"form": form})


@commissioner_required
def framework_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    framework = selectors.framework_get_for_council(council=request.council, public_id=public_id)
    return render(
        request,
        "providers/frameworks/framework_detail.html",
        {"framework": framework, "lots": selectors.framework_lots(framework=framework)},
    )


@commissioner_required
def framework_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    framework = selectors.framework_get_for_council(council=request.council, public_id=public_id)
    form = FrameworkForm(posted(request), framework=framework)
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_update(
                actor=request.user, council=request.council, framework=framework, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your changes have been saved")
            return redirect("providers:framework", public_id=framework.public_id)
    return render(request, "providers/frameworks/framework_form.html", {"form": form, "framework": framework})


@commissioner_required
def framework_members_csv(request: HttpRequest, public_id: UUID) -> HttpResponse:
    framework = selectors.framework_get_for_council(council=request.council, public_id=public_id)
    rows = (
        [
            m.organisation.name,
            str(m.organisation.council or ""),
            m.lot.number,
            m.lot.name,
            m.get_status_display(),
            m.admitted_on.isoformat(),
            m.ended_on.isoformat() if m.ended_on else "",
        ]
        for m in selectors.framework_members(framework=framework)
    )
    header = ["Organisation", "Registered with", "Lot", "Lot name", "Status", "Admitted on", "Ended on"]
    filename = f"{_slug(framework)}-members-{timezone.localdate().isoformat()}.csv"
    return csv_response(filename, header, rows)


@commissioner_required
def lot_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    framework = selectors.framework_get_for_council(council=request.council, public_id=public_id)
    categories = services.service_categories_for(request.council)
    next_number = (framework.lots.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    form = LotForm(posted(request), categories=categories, initial={"number": next_number})
    if request.method == "POST" and form.is_valid():
        try:
            lot = services.lot_add(
                actor=request.user, council=request.council, framework=framework, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have added lot {lot.number}, {lot.name}")
            return redirect("providers:framework", public_id=framework.public_id)
    return render(request, "providers/frameworks/lot_form.html", {"form": form, "framework": framework})


@commissioner_required
def membership_admit(request: HttpRequest, public_id: UUID, number: int) -> HttpResponse:
    """Search provider organisations by name (GET), then choose one and the date admitted (POST)."""
    framework = selectors.framework_get_for_council(council=request.council, public_id=public_id)
    lot = selectors.framework_lot_get(framework=framework, number=number)
    search = ProviderSearchForm(request.POST if request.method == "POST" else request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    matches = selectors.provider_organisations_matching(query=query)
    form = AdmitForm(posted(request), organisations=matches)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_admit(
                actor=request.user, council=request.council, lot=lot, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have admitted {membership.organisation} to lot {lot.number}")
            return redirect("providers:framework", public_id=framework.public_id)
    context = {
        "framework": framework,
        "lot": lot,
        "search": search,
        "query": query,
        "matches": matches[: selectors.SEARCH_RESULTS_SHOWN],
        "form": form,
    }
    return render(request, "providers/frameworks/membership_admit.html", context)


@commissioner_required
def membership_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    membership = selectors.membership_get_for_council(council=request.council, public_id=public_id)
    return render(
        request,
        "providers/frameworks/membership_detail.html",
        {
            "membership": membership,
            "framework": membership.lot.framework,
            "allowed": services.MEMBERSHIP_TRANSITIONS[membership.status],
            "statuses": MembershipStatus,
            "history": selectors.membership_history(membership=membership),
        },
    )


# What each action page asks and does: (new status, heading, button, message when the reason is missing).
MEMBERSHIP_ACTIONS: dict[str, tuple[str, str, str, str]] = {
    "suspend": (
        MembershipStatus.SUSPENDED,
        "Suspend this membership",
        "Suspend membership",
        "Enter why you are suspending this membership",
    ),
    "reinstate": (
        MembershipStatus.ADMITTED,
        "Reinstate this membership",
        "Reinstate membership",
        "Enter why you are reinstating this membership",
    ),
    "end": (
        MembershipStatus.ENDED,
        "End this membership",
        "End membership",
        "Enter why you are ending this membership",
    ),
}


@commissioner_required
def membership_change(request: HttpRequest, public_id: UUID, action: str) -> HttpResponse:
    """A confirmation page with a reason; then the one transition function."""
    membership = selectors.membership_get_for_council(council=request.council, public_id=public_id)
    if action not in MEMBERSHIP_ACTIONS:
        raise Http404("No such action")
    new_status, heading, button, required_message = MEMBERSHIP_ACTIONS[action]
    form = MembershipReasonForm(posted(request), required_message=required_message)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_set_status(
                actor=request.user,
                council=request.council,
                membership=membership,
                new_status=new_status,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            verb = services.MEMBERSHIP_VERBS[new_status]
            messages.success(
                request, f"{membership.organisation}'s membership of lot {membership.lot.number} is {verb}"
            )
            return redirect("providers:framework-membership", public_id=membership.public_id)
    context = {
        "form": form,
        "membership": membership,
        "framework": membership.lot.framework,
        "heading": heading,
        "button": button,
        "allowed": new_status in services.MEMBERSHIP_TRANSITIONS[membership.status],
        "is_warning": new_status != MembershipStatus.ADMITTED,
    }
    return render(request, "providers/frameworks/membership_change.html", context)


# --- Helpers --------------------------------------------------------------------------------------


def _slug(framework: FrameworkContract) -> str:
    return "".join(c if c.isalnum() else "-" for c in framework.reference.lower()).strip("-") or "framework"
