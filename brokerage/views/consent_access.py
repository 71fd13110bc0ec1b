"""The consent holder's page: who may see the record, giving access and withdrawing it.

Only the person who holds consent now (a parent or carer, or the young person after hand-over) uses
these pages; another family's record answers 404 and a role without them (a practitioner, a provider)
403. Access can be given only to lead professionals and brokers working in the person's council area,
never to any user of the site. Grants and withdrawals go through brokerage.services.consent, which
audits them, and the practitioner is told.
"""

from uuid import UUID

from django.contrib import messages
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.notifications import notification_send
from accounts.permissions import role_required
from brokerage.exceptions import BrokerageError
from brokerage.forms.consent_access import AccessGiveForm, AccessWithdrawForm
from brokerage.models import AccessGrant, PersonSupported
from brokerage.selectors import people as selectors
from brokerage.services.consent import access_grant, access_revoke
from brokerage.views.people import posted

family_required = role_required(*selectors.FAMILY_ROLES)


def person_for_holder(request: HttpRequest, public_id: UUID) -> PersonSupported:
    """The person, if the signing-in user holds consent for them now; anyone else gets 404."""
    person = selectors.person_get_for(user=request.user, council=request.council, public_id=public_id)  # type: ignore[attr-defined]
    if not selectors.is_family_of(user=request.user, person=person):  # type: ignore[arg-type]
        raise Http404("No record of yours has this reference")
    return person


def active_grants(person: PersonSupported) -> QuerySet[AccessGrant]:
    today = timezone.localdate()
    return (
        person.access_grants.filter(revoked_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .select_related("grantee")
        .order_by("grantee__last_name", "grantee__first_name", "pk")
    )


def practitioners_in_area(person: PersonSupported) -> list[Membership]:
    """Lead professionals and brokers of the person's council and the organisations registered with it
    (its NHS bodies, broker organisations), less those who can already see the record."""
    already = active_grants(person).values("grantee")
    return list(
        Membership.objects.active()
        .with_roles(*selectors.CASEWORK_ROLES)
        .filter(organisation__in=Organisation.objects.within_council(person.council))
        .exclude(user__in=already)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "user__pk", "organisation__name")
    )


@family_required
def access_overview(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = person_for_holder(request, public_id)
    return render(request, "brokerage/people/access.html", {"person": person, "grants": active_grants(person)})


@family_required
def access_give(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = person_for_holder(request, public_id)
    form = AccessGiveForm(posted(request), memberships=practitioners_in_area(person))
    if request.method == "POST" and form.is_valid():
        try:
            grant = access_give_and_tell(
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
    grant = get_object_or_404(active_grants(person), public_id=grant_id)
    form = AccessWithdrawForm(posted(request))
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"] or "Withdrawn by the consent holder"
        access_withdraw_and_tell(grant=grant, holder=request.user, reason=reason)  # type: ignore[arg-type]
        messages.success(request, f"{grant.grantee} can no longer see {person.first_name}'s record")
        return redirect("brokerage:person-access", public_id=person.public_id)
    return render(request, "brokerage/people/access_withdraw.html", {"person": person, "grant": grant, "form": form})


@transaction.atomic
def access_give_and_tell(*, person: PersonSupported, grantee: User, holder: User, **terms) -> AccessGrant:  # type: ignore[no-untyped-def]
    # The grant and the practitioner's notification stand or fall together: nobody is told about
    # access that was not recorded, and the email goes only after the grant commits.
    grant = access_grant(person=person, grantee=grantee, consent_from=holder, recorded_by=holder, **terms)
    notification_send(
        recipient=grantee,
        subject=f"{holder} has given you access to {person}'s record",
        body=f"You may now {grant.get_scope_display().lower()} for {person}.",
        link=reverse("brokerage:person", args=[person.public_id]),
    )
    return grant


@transaction.atomic
def access_withdraw_and_tell(*, grant: AccessGrant, holder: User, reason: str) -> AccessGrant:
    grant = access_revoke(grant=grant, actor=holder, reason=reason)
    notification_send(
        recipient=grant.grantee,
        subject=f"{holder} has withdrawn your access to {grant.person}'s record",
        body=f"You can no longer see {grant.person}'s record. Reason given: {reason}",
    )
    return grant
