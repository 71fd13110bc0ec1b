"""Completing the RAS with a family, at /budgets/ras/.

A lead professional or broker completes it for a person they may see (consent grants access); a
family member completes it for the child they hold consent for. Anyone else finds no such person
(404). Other roles get 403.
"""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.exports import csv_filename, csv_response
from accounts.permissions import role_required
from brokerage.forms.ras import RASCompleteForm
from brokerage.models import PersonSupported, RASAssessment
from brokerage.selectors import config as config_selectors
from brokerage.selectors import ras as selectors
from brokerage.services import people as people_services
from brokerage.services import ras as services
from brokerage.views.config import add_service_errors, posted

ras_user_required = role_required(*selectors.WORKER_ROLES, *selectors.FAMILY_ROLES)
worker_required = role_required(*selectors.WORKER_ROLES)


def _role(request: HttpRequest) -> str:
    return request.acting.role  # type: ignore[attr-defined]


def _log_staff_view(request: HttpRequest, person: PersonSupported, what: str) -> None:
    # Every staff look at a child's records is logged; a family looking at their own child is not.
    if _role(request) in selectors.WORKER_ROLES:
        people_services.record_view_log(person=person, viewer=request.user, what=what)


@ras_user_required
def ras_home(request: HttpRequest) -> HttpResponse:
    people = selectors.people_for_ras(user=request.user, council=request.council, role=_role(request))
    assessments = selectors.assessments_for_user(user=request.user, council=request.council, role=_role(request))
    context = {
        "people": people,
        "assessments": assessments[:20],
        "is_family": selectors.perspective_for_role(_role(request)) == RASAssessment.Perspective.FAMILY,
    }
    return render(request, "brokerage/ras/home.html", context)


@worker_required
def ras_assessments_csv(request: HttpRequest) -> HttpResponse:
    """The RAS results of everyone the worker may see, with the indicative budget each gave."""
    assessments = selectors.assessments_for_user(user=request.user, council=request.council, role=_role(request))
    header = ["Person", "Questionnaire", "Completed by", "Point of view", "Completed on", "Points", "Indicative budget"]
    rows = []
    for assessment in assessments:
        result = services.ras_score(assessment)
        rows.append(
            [
                str(assessment.person),
                assessment.questionnaire.name,
                assessment.completed_by.get_full_name() if assessment.completed_by else "",
                assessment.get_perspective_display(),
                assessment.completed_at.date().isoformat(),
                result.points,
                str(result.total),
            ]
        )
    return csv_response(csv_filename(request.council, "ras-results"), header, rows)


@ras_user_required
def ras_person(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = selectors.person_for_ras_get(
        user=request.user, council=request.council, role=_role(request), public_id=person_id
    )
    _log_staff_view(request, person, "RAS results")
    context = {
        "person": person,
        "questionnaires": selectors.questionnaires_open_for(person),
        "assessments": selectors.assessments_for_person(person),
    }
    return render(request, "brokerage/ras/person.html", context)


@ras_user_required
def ras_complete(request: HttpRequest, person_id: UUID, questionnaire_id: UUID) -> HttpResponse:
    role = _role(request)
    person = selectors.person_for_ras_get(user=request.user, council=request.council, role=role, public_id=person_id)
    questionnaire = selectors.questionnaire_open_get(person=person, public_id=questionnaire_id)
    questions = list(config_selectors.questionnaire_questions(questionnaire))
    form = RASCompleteForm(posted(request), questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.ras_assessment_complete(
                actor=request.user,
                person=person,
                questionnaire=questionnaire,
                perspective=selectors.perspective_for_role(role),
                answers=form.chosen_answers(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have completed {questionnaire.name} for {person.first_name}")
            return redirect("brokerage:ras-result", public_id=assessment.public_id)
    context = {
        "person": person,
        "questionnaire": questionnaire,
        "form": form,
        "perspective": selectors.perspective_for_role(role),
    }
    return render(request, "brokerage/ras/complete.html", context)


@ras_user_required
def ras_result(request: HttpRequest, public_id: UUID) -> HttpResponse:
    assessment = selectors.assessment_get(
        user=request.user, council=request.council, role=_role(request), public_id=public_id
    )
    person = assessment.person
    _log_staff_view(request, person, "RAS result")
    context = {
        "assessment": assessment,
        "person": person,
        "result": services.ras_score(assessment),
        "comparison": services.ras_comparison(person=person, questionnaire=assessment.questionnaire),
        "answers": assessment.answers.select_related("question").order_by("question__order"),
    }
    return render(request, "brokerage/ras/result.html", context)
