"""Caseloads and a person's record.

Lead professionals and brokers see the people whose consent holder agreed to share the records with
them (and the people they are lead professional for); family members see their own child, young people
their own record after consent has passed to them. A person outside that answers 404; a role without
these pages (a provider, a commissioner) gets 403. Every staff view of a record is logged, and the
council administrator reads the log on the access log page.
"""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.exports import csv_filename, csv_response
from accounts.form_errors import add_service_errors, posted
from accounts.permissions import role_required
from accounts.roles import Role
from brokerage.forms.people import AccessLogFilterForm, HandoverForm, PersonForm
from brokerage.models import PersonSupported
from brokerage.selectors import people as selectors
from brokerage.selectors.packages import caseload_tasks
from brokerage.selectors.plans import budgets_with_statements, plans_for_person
from brokerage.services import people as services
from brokerage.services.consent import consent_handover_due, consent_holder

record_roles_required = role_required(*selectors.RECORD_ROLES)
casework_required = role_required(*selectors.CASEWORK_ROLES)
council_admin_required = role_required(Role.COUNCIL_ADMIN)


def is_staff_view(request: HttpRequest) -> bool:
    return request.acting.role not in selectors.FAMILY_ROLES  # type: ignore[attr-defined]


def person_for_request(request: HttpRequest, public_id: UUID, *, what: str) -> PersonSupported:
    """The person, if the user may see them (else 404); a member of staff's look is logged."""
    person = selectors.person_get_for(user=request.user, council=request.council, public_id=public_id)  # type: ignore[attr-defined]
    if is_staff_view(request):
        services.record_view_log(person=person, viewer=request.user, what=what)
    return person


def _with_tasks(request: HttpRequest, people) -> list[PersonSupported]:  # type: ignore[no-untyped-def]
    """The caseload with what needs doing now for each person (``person.tasks``), in a fixed number of queries."""
    people = list(people)
    tasks = caseload_tasks(user=request.user, people=people, day=timezone.localdate())  # type: ignore[arg-type]
    for person in people:
        person.tasks = tasks.get(person.pk, [])  # type: ignore[attr-defined]
    return people


@record_roles_required
def caseload(request: HttpRequest) -> HttpResponse:
    people = selectors.people_for_user(user=request.user, council=request.council)  # type: ignore[attr-defined]
    return render(
        request,
        "brokerage/people/caseload.html",
        {
            "people": _with_tasks(request, people) if is_staff_view(request) else people,
            "is_staff": is_staff_view(request),
            "can_add": request.acting.role == Role.LEAD_PROFESSIONAL,
        },  # type: ignore[attr-defined]
    )


@casework_required
def caseload_export(request: HttpRequest) -> HttpResponse:
    people = selectors.people_for_user(user=request.user, council=request.council)  # type: ignore[attr-defined]
    header = [
        "Reference",
        "First name",
        "Last name",
        "Date of birth",
        "Consent holder",
        "Lead professional",
        "What needs doing",
    ]
    rows = (
        [
            person.public_id,
            person.first_name,
            person.last_name,
            person.date_of_birth.isoformat(),
            "; ".join(str(holder.user) for holder in person.current_holders),
            str(person.lead_professional or ""),
            "; ".join(task.text for task in person.tasks),
        ]
        for person in _with_tasks(request, people)
    )
    return csv_response(csv_filename(request.council, "caseload"), header, rows)  # type: ignore[attr-defined]


@role_required(Role.LEAD_PROFESSIONAL)
def person_add(request: HttpRequest) -> HttpResponse:
    form = PersonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user,
                council=request.council,  # type: ignore[attr-defined]
                holder=form.holder(),
                **form.person_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have recorded {person} and who gives consent for them")
            return redirect("brokerage:person", public_id=person.public_id)
    return render(request, "brokerage/people/add.html", {"form": form})


@record_roles_required
def person_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = person_for_request(request, public_id, what="record")
    return render(
        request,
        "brokerage/people/detail.html",
        {
            "person": person,
            "holder": consent_holder(person),
            "consent_history": selectors.person_consent_history(person),
            "handover_due": consent_handover_due(person),
            "team": selectors.person_team(person),
            "meetings": selectors.person_meetings(person)[:3],
            "budgets": budgets_with_statements(person),
            "plans": plans_for_person(person),
            "is_staff": is_staff_view(request),
        },
    )


@casework_required
def person_handover(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = person_for_request(request, public_id, what="consent hand-over")
    if not consent_handover_due(person):
        messages.error(request, "Consent passes to the young person only when they reach the council's consent age")
        return redirect("brokerage:person", public_id=person.public_id)
    form = HandoverForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_consent_handover(
                person=person,
                actor=request.user,
                council=request.council,  # type: ignore[attr-defined]
                young_person=form.contact(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person.first_name} now gives consent for their own records")
            return redirect("brokerage:person", public_id=person.public_id)
    return render(request, "brokerage/people/handover.html", {"person": person, "form": form})


@council_admin_required
def access_log(request: HttpRequest) -> HttpResponse:
    form = AccessLogFilterForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    views = selectors.record_views_for_council(council=request.council, query=query)  # type: ignore[attr-defined]
    return render(
        request, "brokerage/people/access_log.html", {"views": views[:200], "total": views.count(), "form": form}
    )


@council_admin_required
def access_log_export(request: HttpRequest) -> HttpResponse:
    form = AccessLogFilterForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    views = selectors.record_views_for_council(council=request.council, query=query)  # type: ignore[attr-defined]
    header = ["Viewed at", "Child", "Child reference", "Viewed by", "Viewer email", "What"]
    rows = (
        [
            view.viewed_at.isoformat(timespec="seconds"),
            str(view.person),
            view.person.public_id,
            view.viewer.get_full_name(),
            view.viewer.email,
            view.what,
        ]
        for view in views.iterator()
    )
    return csv_response(csv_filename(request.council, "record-access-log"), header, rows)  # type: ignore[attr-defined]
