"""The family's and young person's workspace under /my/, and the practitioner's list of requests for help.

A family member or young person sees here only the people they hold consent for: another person answers
404, and any other role 403. Every page is read from the selectors in marketplace.family_selectors; the
only writes are asking for help and answering it (marketplace.services.help_requests).
"""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.exports import csv_filename, csv_response
from accounts.form_errors import add_service_errors, posted
from accounts.permissions import role_required
from accounts.roles import FAMILY_ROLES
from brokerage.models import PersonSupported
from brokerage.selectors.people import CASEWORK_ROLES
from marketplace import family_selectors as selectors
from marketplace.forms_family import HelpAnswerForm, HelpAskForm
from marketplace.services.help_requests import help_request_answer, help_request_ask

family_required = role_required(*FAMILY_ROLES)
practitioner_required = role_required(*CASEWORK_ROLES)


def _person(request: HttpRequest, person_id: UUID) -> PersonSupported:
    return selectors.person_held_get(user=request.user, public_id=person_id)  # type: ignore[arg-type]


@family_required
def my_home(request: HttpRequest) -> HttpResponse:
    people = list(selectors.people_held_by(request.user))  # type: ignore[arg-type]
    if len(people) == 1:
        return redirect("marketplace:my-person", person_id=people[0].public_id)
    cards = [(person, selectors.journey_for(person)) for person in people]
    return render(request, "marketplace/family/home.html", {"cards": cards})


@family_required
def my_person(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = _person(request, person_id)
    context = {
        "person": person,
        "journey": selectors.journey_for(person),
        "next_things": selectors.next_things(user=request.user, person=person),  # type: ignore[arg-type]
        "open_help": selectors.help_requests_of(person).filter(answered_at__isnull=True).count(),
    }
    return render(request, "marketplace/family/person.html", context)


@family_required
def my_budget(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = _person(request, person_id)
    budget = selectors.current_budget(person)
    view = selectors.budget_view(budget) if budget is not None else None
    return render(request, "marketplace/family/budget.html", {"person": person, "view": view})


@family_required
def my_plan(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = _person(request, person_id)
    plan = selectors.current_plan(person)
    outcomes = selectors.plan_outcomes(plan) if plan is not None else []
    context = {"person": person, "plan": plan, "outcomes": outcomes}
    return render(request, "marketplace/family/plan.html", context)


@family_required
def my_support(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = _person(request, person_id)
    budget = selectors.current_budget(person)
    context = {
        "person": person,
        "budget": budget,
        "orders": selectors.support_orders(person),
        "invoices": selectors.invoices_to_approve(person),
        "dp_allocations": selectors.direct_payment_allocations(budget),
    }
    return render(request, "marketplace/family/support.html", context)


@family_required
@require_http_methods(["GET", "POST"])
def my_help(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = _person(request, person_id)
    form = HelpAskForm(posted(request), choices=selectors.help_choices(person))
    if request.method == "POST" and form.is_valid():
        try:
            help_request_ask(
                person=person,
                holder=request.user,  # type: ignore[arg-type]
                to_user=form.recipient(),
                message=form.cleaned_data["message"],
                contact_by=form.cleaned_data["contact_by"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "We have sent your request for help. You will be told when they answer.")
            return redirect("marketplace:my-help", person_id=person.public_id)
    context = {"person": person, "form": form, "requests": selectors.help_requests_of(person)}
    return render(request, "marketplace/family/help.html", context)


# --- The practitioner's side ----------------------------------------------------------------------


@practitioner_required
def help_requests(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    status = status if status in {"open", "answered"} else "open"
    found = selectors.help_requests_for_practitioner(user=request.user, council=request.council, status=status)  # type: ignore[arg-type, attr-defined]
    return render(request, "marketplace/family/help_requests.html", {"requests": found, "status": status})


@practitioner_required
def help_requests_export(request: HttpRequest) -> HttpResponse:
    found = selectors.help_requests_for_practitioner(user=request.user, council=request.council, status="")  # type: ignore[arg-type, attr-defined]
    rows = (
        (
            item.created_at.isoformat(timespec="minutes"),
            str(item.person),
            str(item.from_user),
            str(item.to_user or "The council's brokers"),
            item.get_contact_by_display(),
            item.message,
            item.answered_at.isoformat(timespec="minutes") if item.answered_at else "",
            str(item.answered_by or ""),
            item.answer,
        )
        for item in found
    )
    header = ("Asked at", "For", "Asked by", "Asked", "Reply", "Message", "Answered at", "Answered by", "Answer")
    return csv_response(csv_filename(request.council, "help-requests"), header, rows)  # type: ignore[attr-defined]


@practitioner_required
@require_http_methods(["GET", "POST"])
def help_request_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    help_request = selectors.help_request_get_for_practitioner(
        user=request.user,  # type: ignore[arg-type]
        council=request.council,  # type: ignore[attr-defined]
        public_id=public_id,
    )
    form = HelpAnswerForm(posted(request))
    if request.method == "POST" and help_request.is_open and form.is_valid():
        try:
            help_request_answer(help_request=help_request, actor=request.user, answer=form.cleaned_data["answer"])  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"We have told {help_request.from_user} your answer")
            return redirect("marketplace:help-requests")
    return render(request, "marketplace/family/help_request.html", {"help_request": help_request, "form": form})
