"""PA recruitment pages.

The family's side (family members, young people, brokers and lead professionals with access to the
person): adverts, sending them to PAs, replies, meetings and the employer's checklist. The PA's side:
the adverts for them, replying, and answering a meeting. Views parse, call a service and render.
"""

from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.exports import csv_filename, csv_response
from accounts.form_errors import add_service_errors, posted
from accounts.permissions import role_required
from accounts.roles import Role
from brokerage.selectors.people import CASEWORK_ROLES, RECORD_ROLES, people_for_user
from marketplace import pa_advert_selectors as selectors
from marketplace.forms_pa_adverts import (
    EmployerChecklistForm,
    PAAdvertCloseForm,
    PAAdvertForm,
    PAAdvertSendForm,
    PAMeetingAnswerForm,
    PAMeetingForm,
    PAReplyDeclineForm,
    PAReplyForm,
)
from marketplace.models import AdvertStatus, EmployerChecklist, PAAdvert, ReplyStatus
from marketplace.services import pa_adverts as services
from providers.exceptions import PostcodeError
from providers.postcodes import district_of

TEMPLATES = "marketplace/pa_adverts/"

# --- The family's side --------------------------------------------------------------------------------


@require_GET
@role_required(*RECORD_ROLES)
def advert_list(request: HttpRequest) -> HttpResponse:
    adverts = selectors.adverts_for_user(user=request.user, council=request.council)
    return render(
        request,
        TEMPLATES + "list.html",
        {"adverts": adverts, "can_export": request.acting.role in CASEWORK_ROLES},
    )


@require_GET
@role_required(*CASEWORK_ROLES)
def advert_export(request: HttpRequest) -> HttpResponse:
    adverts = selectors.adverts_for_user(user=request.user, council=request.council)
    rows = [
        (
            advert.title,
            advert.person.first_name,
            advert.postcode_district,
            advert.hours_per_week,
            advert.hourly_pay,
            advert.start_date.isoformat(),
            advert.closing_date.isoformat(),
            advert.get_status_display(),
            advert.get_closed_reason_display() if advert.closed_reason else "",
            advert.recipient_count,
            advert.reply_count,
            "yes" if advert.demand_counted_at else "no",
        )
        for advert in adverts
    ]
    header = [
        "Title",
        "For",
        "Area",
        "Hours a week",
        "Pay an hour (£)",
        "Start date",
        "Closing date",
        "Status",
        "Closed because",
        "Sent to PAs",
        "Replies",
        "Counted as unmet demand",
    ]
    return csv_response(csv_filename(request.council, "pa-adverts"), header, rows)


@require_http_methods(["GET", "POST"])
@role_required(*RECORD_ROLES)
def advert_new(request: HttpRequest) -> HttpResponse:
    people = list(people_for_user(user=request.user, council=request.council))
    if not people:
        raise Http404("You cannot see anyone's records to write an advert for")
    initial = {"person": str(people[0].public_id), "postcode_district": _district(people[0].postcode)}
    form = PAAdvertForm(posted(request), people=people, initial=initial)
    if form.is_valid():
        person = next(p for p in people if str(p.public_id) == form.cleaned_data["person"])
        values = {name: form.cleaned_data[name] for name in services.ADVERT_FIELDS}
        try:
            advert = services.pa_advert_create(person=person, actor=request.user, **values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Advert saved as a draft. Now send it to PAs.")
            return redirect("marketplace:pa-advert-send", advert.public_id)
    return render(request, TEMPLATES + "form.html", _form_context(form, people[0], advert=None))


def _district(postcode: str) -> str:
    try:
        return district_of(postcode) if postcode else ""
    except PostcodeError:
        return ""


def _form_context(form: PAAdvertForm, person, advert: PAAdvert | None) -> dict:  # type: ignore[no-untyped-def]
    wage = services.national_living_wage_for(person=person, day=timezone.localdate())
    return {"form": form, "advert": advert, "national_living_wage": wage}


@require_GET
@role_required(*RECORD_ROLES)
def advert_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    advert = selectors.advert_get_for(user=request.user, council=request.council, public_id=public_id)
    return render(
        request,
        TEMPLATES + "detail.html",
        {
            "advert": advert,
            "replies": selectors.advert_replies(advert),
            "recipients": advert.recipients.select_related("pa").order_by("pa__display_name"),
            "close_form": PAAdvertCloseForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*RECORD_ROLES)
def advert_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    advert = selectors.advert_get_for(user=request.user, council=request.council, public_id=public_id)
    if advert.status == AdvertStatus.CLOSED:
        raise Http404("A closed advert cannot be changed")
    form = PAAdvertForm(posted(request), instance=advert)
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.ADVERT_FIELDS}
        advert.refresh_from_db()
        try:
            services.pa_advert_update(advert=advert, actor=request.user, **values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Advert changed.")
            return redirect("marketplace:pa-advert", advert.public_id)
    return render(request, TEMPLATES + "form.html", _form_context(form, advert.person, advert=advert))


@require_POST
@role_required(*RECORD_ROLES)
def advert_close(request: HttpRequest, public_id: UUID) -> HttpResponse:
    advert = selectors.advert_get_for(user=request.user, council=request.council, public_id=public_id)
    form = PAAdvertCloseForm(request.POST)
    if form.is_valid():
        try:
            services.pa_advert_close(advert=advert, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Advert closed: {advert.get_closed_reason_display().lower()}.")
            return redirect("marketplace:pa-advert", advert.public_id)
    context = {
        "advert": advert,
        "replies": selectors.advert_replies(advert),
        "recipients": advert.recipients.select_related("pa"),
        "close_form": form,
    }
    return render(request, TEMPLATES + "detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
@role_required(*RECORD_ROLES)
def advert_send(request: HttpRequest, public_id: UUID) -> HttpResponse:
    advert = selectors.advert_get_for(user=request.user, council=request.council, public_id=public_id)
    if advert.status == AdvertStatus.CLOSED:
        raise Http404("A closed advert cannot be sent")
    from_search = request.GET.getlist("offer")
    candidates = selectors.send_candidates(advert=advert, request=request, extra_offer_ids=from_search)
    form = PAAdvertSendForm(posted(request), candidates=candidates, initial={"pas": from_search})
    if form.is_valid():
        pas = selectors.pas_for_offers(form.cleaned_data["pas"])
        try:
            sent = services.pa_advert_send(
                advert=advert, actor=request.user, pas=pas, publish_to_area=form.cleaned_data["publish_to_area"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Advert sent to {len(sent)} PA{'s' if len(sent) != 1 else ''}.")
            return redirect("marketplace:pa-advert", advert.public_id)
    search = urlencode({"provider_kind": "personal_assistant", "postcode": advert.postcode_district})
    search_url = f"{reverse('marketplace:find-support')}?{search}"
    return render(
        request,
        TEMPLATES + "send.html",
        {"advert": advert, "form": form, "candidates": candidates, "search_url": search_url},
    )


@require_GET
@role_required(*RECORD_ROLES)
def reply_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    reply = selectors.reply_get_for(user=request.user, council=request.council, public_id=public_id)
    return render(request, TEMPLATES + "reply.html", _reply_context(reply))


def _reply_context(reply, **extra) -> dict:  # type: ignore[no-untyped-def]
    checklist = EmployerChecklist.objects.filter(reply=reply).first()
    return {
        "reply": reply,
        "advert": reply.advert,
        "meetings": selectors.reply_meetings(reply),
        "checklist": checklist,
        "checklist_done": checklist.items_done() if checklist else {},
        "declined": reply.status == ReplyStatus.DECLINED,
        "meeting_form": extra.get("meeting_form") or PAMeetingForm(),
        "decline_form": extra.get("decline_form") or PAReplyDeclineForm(),
    }


@require_POST
@role_required(*RECORD_ROLES)
def reply_shortlist(request: HttpRequest, public_id: UUID) -> HttpResponse:
    reply = selectors.reply_get_for(user=request.user, council=request.council, public_id=public_id)
    try:
        services.pa_reply_shortlist(reply=reply, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{reply.pa.display_name} is on your shortlist for this advert.")
    return redirect("marketplace:pa-reply", reply.public_id)


@require_POST
@role_required(*RECORD_ROLES)
def reply_decline(request: HttpRequest, public_id: UUID) -> HttpResponse:
    reply = selectors.reply_get_for(user=request.user, council=request.council, public_id=public_id)
    form = PAReplyDeclineForm(request.POST)
    if form.is_valid():
        services.pa_reply_decline(reply=reply, actor=request.user, message=form.cleaned_data["message"])
        messages.success(request, f"We have told {reply.pa.display_name} that you will not take this further.")
        return redirect("marketplace:pa-advert", reply.advert.public_id)
    return render(request, TEMPLATES + "reply.html", _reply_context(reply, decline_form=form), status=400)


@require_http_methods(["GET", "POST"])
@role_required(*RECORD_ROLES)
def reply_meet(request: HttpRequest, public_id: UUID) -> HttpResponse:
    reply = selectors.reply_get_for(user=request.user, council=request.council, public_id=public_id)
    form = PAMeetingForm(posted(request))
    if form.is_valid():
        try:
            services.pa_meeting_arrange(
                reply=reply,
                actor=request.user,
                starts_at=form.starts_at(),
                by_video=form.cleaned_data["by_video"],
                place=form.cleaned_data["place"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Meeting arranged. We have asked {reply.pa.display_name} to accept it.")
            return redirect("marketplace:pa-reply", reply.public_id)
    return render(request, TEMPLATES + "meet.html", {"reply": reply, "advert": reply.advert, "form": form})


@require_http_methods(["GET", "POST"])
@role_required(*RECORD_ROLES)
def reply_checklist(request: HttpRequest, public_id: UUID) -> HttpResponse:
    reply = selectors.reply_get_for(user=request.user, council=request.council, public_id=public_id)
    if reply.status == ReplyStatus.DECLINED:
        raise Http404("You said no to this PA")
    checklist = EmployerChecklist.objects.filter(reply=reply).first()
    form = EmployerChecklistForm(posted(request), instance=checklist)
    if form.is_valid():
        try:
            services.employer_checklist_save(reply=reply, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Employer's checklist saved.")
            return redirect("marketplace:pa-reply", reply.public_id)
    return render(
        request,
        TEMPLATES + "checklist.html",
        {"reply": reply, "advert": reply.advert, "form": form, "guides": selectors.guidance_links()},
    )


# --- The PA's side ------------------------------------------------------------------------------------


@require_GET
@role_required(Role.PERSONAL_ASSISTANT)
def for_you_list(request: HttpRequest) -> HttpResponse:
    pa = selectors.pa_profile_of(request.user)
    adverts = selectors.adverts_for_pa(pa) if pa else PAAdvert.objects.none()
    return render(request, TEMPLATES + "for_you_list.html", {"pa": pa, "adverts": adverts})


@require_http_methods(["GET", "POST"])
@role_required(Role.PERSONAL_ASSISTANT)
def for_you_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    pa = selectors.pa_profile_of(request.user)
    if pa is None:
        raise Http404("You have no PA listing")
    advert = selectors.advert_get_for_pa(pa=pa, public_id=public_id)
    reply = selectors.pa_reply_of(advert=advert, pa=pa)
    form = PAReplyForm(posted(request)) if reply is None else None
    if form is not None and form.is_valid():
        try:
            services.pa_reply_send(advert=advert, pa=pa, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Reply sent. We will tell you when the family answers.")
            return redirect("marketplace:pa-advert-for-you", advert.public_id)
    return render(
        request,
        TEMPLATES + "for_you_detail.html",
        {"advert": advert, "reply": reply, "form": form, "answer_form": PAMeetingAnswerForm()},
    )


@require_POST
@role_required(Role.PERSONAL_ASSISTANT)
def meeting_answer(request: HttpRequest, public_id: UUID) -> HttpResponse:
    pa = selectors.pa_profile_of(request.user)
    if pa is None:
        raise Http404("You have no PA listing")
    meeting = selectors.meeting_get_for_pa(pa=pa, public_id=public_id)
    advert = meeting.reply.advert
    form = PAMeetingAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.pa_meeting_respond(
                meeting=meeting, pa=pa, accept=form.cleaned_data["answer"] == "accept", note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "We have told the family.")
            return redirect("marketplace:pa-advert-for-you", advert.public_id)
    context = {"advert": advert, "reply": meeting.reply, "form": None, "answer_form": form, "answering": meeting}
    return render(request, TEMPLATES + "for_you_detail.html", context, status=400)
