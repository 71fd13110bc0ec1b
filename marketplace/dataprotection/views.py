"""The council administrator's data-protection pages: find a person supported, download everything held
about them and their family, and erase or anonymise the record.

Only council administrators (the data protection officer's delegates) use these pages: any other role
gets 403. A person of another council answers 404.
"""

from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from marketplace.dataprotection import selectors
from marketplace.dataprotection.erasure import ErasureRefused, erasure_plan, person_erase_or_anonymise
from marketplace.dataprotection.export import archive_filename, subject_access_archive
from marketplace.dataprotection.forms import ErasureForm, PersonSearchForm

admin_required = role_required(Role.COUNCIL_ADMIN)


@admin_required
def people(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    found = None
    if form.is_valid() and form.cleaned_data["q"]:
        found = selectors.people_find(council=request.council, text=form.cleaned_data["q"])[: selectors.PEOPLE_SHOWN]
    return render(request, "marketplace/dataprotection/people.html", {"form": form, "people": found})


@admin_required
def person(request: HttpRequest, public_id: UUID) -> HttpResponse:
    subject = selectors.person_get_for_council(council=request.council, public_id=public_id)
    plan = erasure_plan(person=subject, today=timezone.localdate())
    history = selectors.data_protection_history(council=request.council, person=subject)
    return render(
        request, "marketplace/dataprotection/person.html", {"person": subject, "plan": plan, "history": history}
    )


@admin_required
@require_POST
def person_export(request: HttpRequest, public_id: UUID) -> FileResponse:
    # POST, not GET: each download is an audited disclosure, and a prefetching browser must not make one.
    subject = selectors.person_get_for_council(council=request.council, public_id=public_id)
    archive = subject_access_archive(actor=request.user, council=request.council, person=subject)
    response = FileResponse(archive, as_attachment=True, filename=archive_filename(subject))
    response["Content-Type"] = "application/zip"
    response["Cache-Control"] = "no-store"
    return response


@admin_required
def person_erase(request: HttpRequest, public_id: UUID) -> HttpResponse:
    subject = selectors.person_get_for_council(council=request.council, public_id=public_id)
    plan = erasure_plan(person=subject, today=timezone.localdate())
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and plan.allowed and form.is_valid():
        try:
            done = person_erase_or_anonymise(
                actor=request.user,
                council=request.council,
                person=subject,
                reason=form.cleaned_data["reason"],
                today=timezone.localdate(),
            )
        except ErasureRefused as refused:
            plan.refusals = refused.reasons
        else:
            if done == "erase":
                messages.success(request, "The record was erased")
                return redirect("marketplace:dataprotection-people")
            messages.success(request, "The record was anonymised")
            return redirect("marketplace:dataprotection-person", public_id=subject.public_id)
    status = 409 if request.method == "POST" and not plan.allowed else 200
    return render(
        request, "marketplace/dataprotection/erase.html", {"person": subject, "plan": plan, "form": form}, status=status
    )
