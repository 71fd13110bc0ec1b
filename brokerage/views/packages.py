"""The package builder's changes (weekly times, lines), sending the draft to the family, and the
consent holder's page where they agree the plan or ask for changes.

The builder page itself, which starts from shortlists, is the marketplace's (marketplace.views.packages):
brokerage may not read shortlists. A plan of a person the user may not see answers 404; a role without
casework gets 403 on the builder's pages, and so does a worker whose grant only lets them read. The
agree page is the current consent holder's alone: anyone else who may see the plan gets 404.
"""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.form_errors import add_service_errors, posted
from accounts.templatetags.money import money_text
from brokerage.forms.packages import AskChangesForm, LineChangeForm, SlotForm
from brokerage.models import PlanLine, PlanLineSlot, SupportPlan
from brokerage.selectors import packages as selectors
from brokerage.selectors.people import is_family_of
from brokerage.selectors.plans import plan_line_get
from brokerage.services import packages as services
from brokerage.services.plan_agreement import plan_family_agree, plan_family_ask_changes, plan_send_to_family
from brokerage.views.people import casework_required, record_roles_required
from brokerage.views.plans import plan_for_request


def plan_to_change(request: HttpRequest, public_id: UUID) -> SupportPlan:
    """The plan, if the worker may see it (else 404) and change it (else 403)."""
    plan = plan_for_request(request, public_id)
    if not selectors.may_change_package(
        user=request.user,  # type: ignore[arg-type]
        role=request.acting.role,  # type: ignore[attr-defined]
        plan=plan,
        day=timezone.localdate(),
    ):
        raise PermissionDenied("You may read this plan but not change it")
    return plan


def _builder(plan: SupportPlan) -> HttpResponse:
    return redirect("marketplace:package", public_id=plan.public_id)


def _slot_get(line: PlanLine, slot_id: int) -> PlanLineSlot:
    return get_object_or_404(line.slots, pk=slot_id)


def _form_page(request: HttpRequest, plan: SupportPlan, form, heading: str, submit_label: str, caption: str = ""):  # type: ignore[no-untyped-def]
    return render(
        request,
        "brokerage/people/form_page.html",
        {
            "form": form,
            "heading": heading,
            "caption": caption or f"{plan.person}, plan version {plan.version}",
            "back_url": reverse("marketplace:package", args=[plan.public_id]),
            "back_label": "Back to the package",
            "submit_label": submit_label,
        },
    )


@casework_required
def slot_add(request: HttpRequest, public_id: UUID, line_id: UUID) -> HttpResponse:
    plan = plan_to_change(request, public_id)
    line = plan_line_get(plan=plan, public_id=line_id)
    form = SlotForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            slot = services.slot_add(line=line, actor=request.user, times=form.times())  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have added {slot} for {line.description}")
            return _builder(plan)
    return _form_page(request, plan, form, "Add a weekly time", "Add the time", caption=line.description)


@casework_required
def slot_change(request: HttpRequest, public_id: UUID, line_id: UUID, slot_id: int) -> HttpResponse:
    plan = plan_to_change(request, public_id)
    line = plan_line_get(plan=plan, public_id=line_id)
    slot = _slot_get(line, slot_id)
    form = SlotForm.for_slot(posted(request), slot)
    if request.method == "POST" and form.is_valid():
        try:
            services.slot_change(slot=slot, actor=request.user, times=form.times())  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{line.description} is now {slot}")
            return _builder(plan)
    return _form_page(request, plan, form, "Change a weekly time", "Save the time", caption=line.description)


@casework_required
@require_POST
def slot_remove(request: HttpRequest, public_id: UUID, line_id: UUID, slot_id: int) -> HttpResponse:
    plan = plan_to_change(request, public_id)
    slot = _slot_get(plan_line_get(plan=plan, public_id=line_id), slot_id)
    try:
        services.slot_remove(slot=slot, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You have removed {slot}")
    return _builder(plan)


@casework_required
def line_change(request: HttpRequest, public_id: UUID, line_id: UUID) -> HttpResponse:
    plan = plan_to_change(request, public_id)
    line = plan_line_get(plan=plan, public_id=line_id)
    form = LineChangeForm(posted(request), line=line)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            line, check = services.package_line_change(
                line=line,
                actor=request.user,  # type: ignore[arg-type]
                quantity=data["quantity"],
                weeks=data["weeks"],
                outcome=data["outcome"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{line.description} now costs {money_text(line.total)}")
            for warning in check.warnings:
                messages.warning(request, warning)
            return _builder(plan)
    return _form_page(request, plan, form, "Change the support", "Save the change", caption=line.description)


@casework_required
@require_POST
def line_remove(request: HttpRequest, public_id: UUID, line_id: UUID) -> HttpResponse:
    plan = plan_to_change(request, public_id)
    line = plan_line_get(plan=plan, public_id=line_id)
    try:
        services.package_line_remove(line=line, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You have removed {line.description} from the package")
    return _builder(plan)


@casework_required
@require_POST
def send_to_family(request: HttpRequest, public_id: UUID) -> HttpResponse:
    plan = plan_to_change(request, public_id)
    try:
        plan_send_to_family(plan=plan, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "You have sent the plan to the family to agree: we will tell you their answer")
    return _builder(plan)


# --- The consent holder agrees the plan -------------------------------------------------------------


def plan_for_holder(request: HttpRequest, public_id: UUID) -> SupportPlan:
    plan = plan_for_request(request, public_id)
    if not is_family_of(user=request.user, person=plan.person):  # type: ignore[arg-type]
        raise Http404("Only the person who gives consent agrees the plan")
    return plan


@record_roles_required
def plan_agree(request: HttpRequest, public_id: UUID) -> HttpResponse:
    plan = plan_for_holder(request, public_id)
    form = AskChangesForm(posted(request) if request.POST.get("answer") == "changes" else None)
    if request.method == "POST" and request.POST.get("answer") == "agree":
        try:
            plan_family_agree(plan=plan, holder=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Thank you: you have agreed the plan. We will tell you when it is approved")
        return redirect("brokerage:plan-agree", public_id=plan.public_id)
    if request.method == "POST" and form.is_valid():
        try:
            plan_family_ask_changes(plan=plan, holder=request.user, changes=form.cleaned_data["changes"])  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you: we have sent your changes")
            return redirect("brokerage:plan-agree", public_id=plan.public_id)
    return render(
        request,
        "brokerage/packages/agree.html",
        {"plan": plan, "package": selectors.package_for(plan), "form": form},
    )
