"""Concerns about providers and personal assistants.

Anyone can report one about a published listing. The QA officers of the council the listing registered
with handle it (another council's officers get 404, other roles 403). A signed-in reporter follows their
own concerns, seeing the status and the notes shared with them; anyone else's answers 404.
"""

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.form_errors import add_service_errors, posted
from accounts.permissions import role_required
from accounts.roles import Role
from providers.forms_concerns import CloseForm, NoteForm, ReinstateForm, ReportForm
from providers.models import Concern, ConcernStatus
from providers.selectors import concerns as selectors
from providers.services import concerns as services

qa_officer_required = role_required(Role.QA_OFFICER)
_REPORTED_SESSION_KEY = "concern_reported_reference"


# --- Reporting ------------------------------------------------------------------------------------


def concern_report(request: HttpRequest) -> HttpResponse:
    organisation, pa_profile = selectors.listing_for_report(
        organisation_id=request.GET.get("organisation"), pa_id=request.GET.get("pa")
    )
    signed_in = request.user.is_authenticated
    form = ReportForm(posted(request), signed_in=signed_in)
    if request.method == "POST" and form.is_valid():
        try:
            concern = services.concern_report(
                reporter=request.user if signed_in else None,
                organisation=organisation,
                pa_profile=pa_profile,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if signed_in:
                messages.success(request, f"We have received your concern. Your reference is {concern.reference}")
                return redirect("providers:concern-mine", public_id=concern.public_id)
            request.session[_REPORTED_SESSION_KEY] = concern.reference
            return redirect("providers:concern-report-sent")
    about = pa_profile.display_name if pa_profile else organisation.provider_profile.display_name
    return render(request, "providers/concerns/report.html", {"form": form, "about": about})


def concern_report_sent(request: HttpRequest) -> HttpResponse:
    reference = request.session.pop(_REPORTED_SESSION_KEY, None)
    return render(request, "providers/concerns/report_sent.html", {"reference": reference})


@login_required
def concern_mine_list(request: HttpRequest) -> HttpResponse:
    concerns = selectors.concerns_reported_by(user=request.user)
    return render(request, "providers/concerns/mine_list.html", {"concerns": concerns})


@login_required
def concern_mine_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = selectors.concern_get_for_reporter(user=request.user, public_id=public_id)
    return render(
        request,
        "providers/concerns/mine_detail.html",
        {"concern": concern, "notes": selectors.concern_shared_notes(concern=concern)},
    )


# --- For the council's QA officers ----------------------------------------------------------------


@qa_officer_required
def concern_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    concerns = selectors.concerns_for_council(council=request.council, status=status)
    return render(
        request,
        "providers/concerns/officer_list.html",
        {"concerns": concerns, "status": status, "statuses": ConcernStatus.choices},
    )


@qa_officer_required
def concern_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = selectors.concern_get_for_council(council=request.council, public_id=public_id)
    return _detail_render(request, concern, note_form=NoteForm())


@qa_officer_required
@require_POST
def concern_note_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = selectors.concern_get_for_council(council=request.council, public_id=public_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note = services.concern_note_add(
                actor=request.user, council=request.council, concern=concern, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            shared = "and sent it to the reporter" if note.shared_with_reporter else "for the council only"
            messages.success(request, f"You have added a note {shared}")
            return redirect("providers:concern", public_id=concern.public_id)
    return _detail_render(request, concern, note_form=form)


@qa_officer_required
@require_POST
def concern_enquiry_start(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = selectors.concern_get_for_council(council=request.council, public_id=public_id)
    try:
        services.concern_set_status(
            actor=request.user, council=request.council, concern=concern, new_status=ConcernStatus.UNDER_ENQUIRY
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The concern is now being looked into. The reporter has been told")
    return redirect("providers:concern", public_id=concern.public_id)


@qa_officer_required
def concern_suspend(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = selectors.concern_get_for_council(council=request.council, public_id=public_id)
    form = forms.Form(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_suspend_listing(actor=request.user, council=request.council, concern=concern)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{concern.about_name} is suspended and no longer shows in the directory")
            return redirect("providers:concern", public_id=concern.public_id)
    return render(
        request,
        "providers/concerns/officer_suspend.html",
        {"concern": concern, "form": form, "offers": selectors.concern_listing_offers(concern=concern)},
    )


@qa_officer_required
def concern_reinstate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = selectors.concern_get_for_council(council=request.council, public_id=public_id)
    form = ReinstateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_reinstate_listing(
                actor=request.user, council=request.council, concern=concern, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{concern.about_name} is back in the directory")
            return redirect("providers:concern", public_id=concern.public_id)
    return render(request, "providers/concerns/officer_reinstate.html", {"concern": concern, "form": form})


@qa_officer_required
def concern_close(request: HttpRequest, public_id: UUID) -> HttpResponse:
    concern = selectors.concern_get_for_council(council=request.council, public_id=public_id)
    form = CloseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_set_status(
                actor=request.user,
                council=request.council,
                concern=concern,
                new_status=ConcernStatus.CLOSED,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Concern {concern.reference} is closed. The reporter has been told")
            return redirect("providers:concern", public_id=concern.public_id)
    return render(request, "providers/concerns/officer_close.html", {"concern": concern, "form": form})


# --- Helpers --------------------------------------------------------------------------------------


def _detail_render(request: HttpRequest, concern: Concern, *, note_form: NoteForm) -> HttpResponse:
    return render(
        request,
        "providers/concerns/officer_detail.html",
        {
            "concern": concern,
            "notes": selectors.concern_notes(concern=concern),
            "note_form": note_form,
            "offers": selectors.concern_listing_offers(concern=concern),
            "profile": services.listing_profile(organisation=concern.organisation, pa_profile=concern.pa_profile),
            "can_start_enquiry": ConcernStatus.UNDER_ENQUIRY in services.CONCERN_TRANSITIONS[concern.status],
            "is_closed": concern.status == ConcernStatus.CLOSED,
        },
    )
