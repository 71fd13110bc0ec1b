"""The consent holder's page: who may see the record, giving access and withdrawing it.

Only the person who holds consent now (a parent or carer, or the young person after hand-over) uses
these pages; another family's record answers 404 and a role without them (a practitioner, a provider)
403. Access can be given only to lead professionals and brokers working in the person's council area,
never to any user of the site. Grants and withdrawals go through brokerage.services.consent, which
audits them, and the practitioner is told.
"""

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.permissions import role_required
from brokerage.exceptions import BrokerageError
from brokerage.forms.consent_access import AccessGiveForm, AccessWithdrawForm
from brokerage.models import PersonSupported
from brokerage.selectors import people as selectors
from brokerage.services import consent as services
from brokerage.views.people import posted

family_required = role_required(*selectors.FAMILY_ROLES)


def person_for_holder(request: HttpRequest, public_id: UUID) -> PersonSupported:
    """The person, if the signing-in user holds consent for them now; anyone else gets 404."""
    person = selectors.person_get_for(user=request.user, council=request.council, public_id=public_id)  # type: ignore[attr-defined]
    if not selectors.is_family_of(user=request.user, person=person):  # type: ignore[arg-type]
        raise Http404("No record of yours has this reference")
    return person


@family_required
def access_overview(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = person_for_holder(request, public_id)
    return render(
        request, "brokerage/people/access.html", {"person": person, "grants": selectors.active_grants(person)}
    )


@family_required
def access_give(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = person_for_holder(request, public_id)
    form = AccessGiveForm(posted(request), memberships=selectors.practitioners_in_area(person))
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.access_grant_by_holder(
                person=person, grantee=form.grantee_user(), holder=request.user, **form.terms()
            )  # type: ignore[arg-type]
        except BrokerageError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{grant.grantee} can now see {person.first_name}'s record")
            return redirect("brokerage:person-access", public_id=person.public_id)
    return render(request, "brokerage/people/access_give.html", {"person": person, "form": form})


@family_required
def access_withdraw(request: HttpRequest, public_id: UUID, grant_id: UUID) -> HttpResponse:
    person = person_for_holder(request, public_id)
    grant = get_object_or_404(selectors.active_grants(person), public_id=grant_id)
    form = AccessWithdrawForm(posted(request))
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"] or "Withdrawn by the consent holder"
        services.access_revoke_by_holder(grant=grant, holder=request.user, reason=reason)  # type: ignore[arg-type]
        messages.success(request, f"{grant.grantee} can no longer see {person.first_name}'s record")
        return redirect("brokerage:person-access", public_id=person.public_id)
    return render(request, "brokerage/people/access_withdraw.html", {"person": person, "grant": grant, "form": form})
