"""RAS questionnaires, for a council's administrators, at /budgets/settings/.../ras/.

Questionnaires, questions and answers are reached through the council-scoped selectors: another
council's answer 404. Once a questionnaire has been completed its points are fixed (the service says
so on the form); the administrator copies it to make a new version.
"""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.exports import csv_filename, csv_response
from brokerage.forms.config import AnswerForm, QuestionForm, QuestionnaireCopyForm, QuestionnaireForm
from brokerage.selectors import config as selectors
from brokerage.services import config as services
from brokerage.views.config import (
    add_service_errors,
    admin_required,
    money_text,
    posted,
    year_checked,
    year_context,
)


@admin_required
def questionnaire_list(request: HttpRequest, year: int) -> HttpResponse:
    year = year_checked(year)
    questionnaires = selectors.questionnaires_for(council=request.council, financial_year=year)
    context = {**year_context(year), "questionnaires": questionnaires}
    return render(request, "brokerage/config/questionnaire_list.html", context)


@admin_required
def questionnaire_list_csv(request: HttpRequest, year: int) -> HttpResponse:
    """Every question and answer of the year's questionnaires, one answer a row, with its points."""
    year = year_checked(year)
    header = ["Questionnaire", "Open", "Question", "Question text", "Funding stream", "Price point", "Answer", "Points"]
    rows = []
    for questionnaire in selectors.questionnaires_for(council=request.council, financial_year=year):
        for question in selectors.questionnaire_questions(questionnaire):
            for answer in question.answers.all():
                rows.append(
                    [
                        questionnaire.name,
                        "yes" if questionnaire.is_active else "no",
                        question.order,
                        question.text,
                        question.stream.name,
                        money_text(question.stream.price_per_point),
                        answer.text,
                        answer.points,
                    ]
                )
    return csv_response(csv_filename(request.council, f"ras-questionnaires-{year}"), header, rows)


@admin_required
def questionnaire_create(request: HttpRequest, year: int) -> HttpResponse:
    year = year_checked(year)
    form = QuestionnaireForm(posted(request), initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = services.ras_questionnaire_create(
                actor=request.user, council=request.council, financial_year=year, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have added {questionnaire.name}. Now add its questions.")
            return redirect("brokerage:settings-questionnaire", public_id=questionnaire.public_id)
    return render(request, "brokerage/config/questionnaire_form.html", {**year_context(year), "form": form})


@admin_required
def questionnaire_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    questionnaire = selectors.questionnaire_get(council=request.council, public_id=public_id)
    context = {
        **year_context(questionnaire.financial_year),
        "questionnaire": questionnaire,
        "questions": selectors.questionnaire_questions(questionnaire),
        "in_use": services.questionnaire_is_in_use(questionnaire),
    }
    return render(request, "brokerage/config/questionnaire_detail.html", context)


@admin_required
def questionnaire_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    questionnaire = selectors.questionnaire_get(council=request.council, public_id=public_id)
    initial = {"name": questionnaire.name, "is_active": questionnaire.is_active}
    form = QuestionnaireForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.ras_questionnaire_update(
                actor=request.user, council=request.council, questionnaire=questionnaire, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your changes have been saved")
            return redirect("brokerage:settings-questionnaire", public_id=questionnaire.public_id)
    context = {**year_context(questionnaire.financial_year), "form": form, "questionnaire": questionnaire}
    return render(request, "brokerage/config/questionnaire_form.html", context)


@admin_required
def questionnaire_copy(request: HttpRequest, public_id: UUID) -> HttpResponse:
    questionnaire = selectors.questionnaire_get(council=request.council, public_id=public_id)
    form = QuestionnaireCopyForm(posted(request), initial={"name": f"{questionnaire.name} (new version)"})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.ras_questionnaire_copy(
                actor=request.user, council=request.council, questionnaire=questionnaire, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have made {copy.name}. It is closed until you open it.")
            return redirect("brokerage:settings-questionnaire", public_id=copy.public_id)
    context = {**year_context(questionnaire.financial_year), "form": form, "questionnaire": questionnaire}
    return render(request, "brokerage/config/questionnaire_copy.html", context)


@admin_required
def question_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    questionnaire = selectors.questionnaire_get(council=request.council, public_id=public_id)
    form = QuestionForm(posted(request), council=request.council, financial_year=questionnaire.financial_year)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.ras_question_add(
                actor=request.user, council=request.council, questionnaire=questionnaire, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have added question {question.order}. Now add its answers.")
            return redirect("brokerage:settings-answer-create", public_id=questionnaire.public_id, order=question.order)
    context = {**year_context(questionnaire.financial_year), "form": form, "questionnaire": questionnaire}
    return render(request, "brokerage/config/question_form.html", context)


@admin_required
def question_edit(request: HttpRequest, public_id: UUID, order: int) -> HttpResponse:
    questionnaire = selectors.questionnaire_get(council=request.council, public_id=public_id)
    question = selectors.question_get(questionnaire=questionnaire, order=order)
    form = QuestionForm(
        posted(request), council=request.council, financial_year=questionnaire.financial_year, question=question
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ras_question_update(
                actor=request.user, council=request.council, question=question, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Your changes to question {question.order} have been saved")
            return redirect("brokerage:settings-questionnaire", public_id=questionnaire.public_id)
    context = {
        **year_context(questionnaire.financial_year),
        "form": form,
        "questionnaire": questionnaire,
        "question": question,
    }
    return render(request, "brokerage/config/question_form.html", context)


@admin_required
def answer_create(request: HttpRequest, public_id: UUID, order: int) -> HttpResponse:
    questionnaire = selectors.questionnaire_get(council=request.council, public_id=public_id)
    question = selectors.question_get(questionnaire=questionnaire, order=order)
    form = AnswerForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            answer = services.ras_answer_add(
                actor=request.user, council=request.council, question=question, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You have added the answer {answer.text} to question {question.order}")
            if "add_another" in request.POST:
                return redirect("brokerage:settings-answer-create", public_id=questionnaire.public_id, order=order)
            return redirect("brokerage:settings-questionnaire", public_id=questionnaire.public_id)
    context = {
        **year_context(questionnaire.financial_year),
        "form": form,
        "questionnaire": questionnaire,
        "question": question,
        "answers": question.answers.all(),
    }
    return render(request, "brokerage/config/answer_form.html", context)


@admin_required
def answer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    answer = selectors.answer_get(council=request.council, pk=pk)
    question = answer.question
    questionnaire = question.questionnaire
    form = AnswerForm(posted(request), answer=answer)
    if request.method == "POST" and form.is_valid():
        try:
            services.ras_answer_update(actor=request.user, council=request.council, answer=answer, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your changes to the answer have been saved")
            return redirect("brokerage:settings-questionnaire", public_id=questionnaire.public_id)
    context = {
        **year_context(questionnaire.financial_year),
        "form": form,
        "questionnaire": questionnaire,
        "question": question,
        "answer": answer,
    }
    return render(request, "brokerage/config/answer_form.html", context)
