"""The team around the child: who is in it (each with the family's consent) and its meetings.
The family reads it; lead professionals and brokers they shared the records with add to it."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from brokerage.forms.team import MeetingForm, MemberForm
from brokerage.selectors import people as selectors
from brokerage.services import team as services
from brokerage.views.people import (
    add_service_errors,
    casework_required,
    is_staff_view,
    person_for_request,
    posted,
    record_roles_required,
)


@record_roles_required
def team_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = person_for_request(request, public_id, what="team around the child")
    return render(
        request,
        "brokerage/team/detail.html",
        {
            "person": person,
            "team": selectors.person_team(person),
            "meetings": selectors.person_meetings(person),
            "is_staff": is_staff_view(request),
        },
    )


@casework_required
def member_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = person_for_request(request, public_id, what="team around the child")
    form = MemberForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            member = services.team_member_add(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have added {member.name} to the team")
            return redirect("brokerage:team", public_id=person.public_id)
    return _form_page(request, person, form, "Add someone to the team", "Add to the team")


@casework_required
def meeting_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = person_for_request(request, public_id, what="team around the child")
    form = MeetingForm(posted(request), person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_meeting_record(person=person, actor=request.user, **form.meeting_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "You have recorded the meeting")
            return redirect("brokerage:team", public_id=person.public_id)
    return _form_page(request, person, form, "Record a team meeting", "Record the meeting")


def _form_page(request: HttpRequest, person, form, heading: str, submit_label: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    return render(
        request,
        "brokerage/people/form_page.html",
        {
            "form": form,
            "heading": heading,
            "caption": f"Team around {person}",
            "back_url": reverse("brokerage:team", args=[person.public_id]),
            "submit_label": submit_label,
        },
    )
