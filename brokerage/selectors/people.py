"""Reads for people supported: whom a user may see, and who has looked at a child's records.

Consent is what grants access. A practitioner or broker sees a person through an active access grant
(or as their named lead professional), a family member while they hold consent, a young person once
it has passed to them; anyone else, whatever their role, gets 404. Staff see only people of the
council they are acting for.
"""

from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.roles import FAMILY_ROLES, Role
from brokerage.models import AccessGrant, ConsentHolder, PersonSupported, RecordView, TeamMeeting, TeamMember
from brokerage.services.consent import people_visible_to

CASEWORK_ROLES = (Role.LEAD_PROFESSIONAL, Role.BROKER)
RECORD_ROLES = (*CASEWORK_ROLES, *FAMILY_ROLES)


def people_for_user(*, user: User, council: Organisation) -> QuerySet[PersonSupported]:
    """Everyone the user may see in the council: those they hold consent for or have a current grant to.

    Being named lead professional gives no access by itself: consent is what grants access, so a
    lead professional whose grant the family withdraws no longer sees the records (DOMAIN.md).
    """
    visible = people_visible_to(user).values("pk")
    current_holders = Prefetch(
        "consent_holders",
        queryset=ConsentHolder.objects.filter(ended_at__isnull=True).select_related("user"),
        to_attr="current_holders",
    )
    return (
        PersonSupported.objects.filter(council=council)
        .filter(pk__in=visible)
        .select_related("lead_professional")
        .prefetch_related(current_holders)
        .order_by("last_name", "first_name", "pk")
    )


def person_get_for(*, user: User, council: Organisation, public_id: UUID) -> PersonSupported:
    return get_object_or_404(people_for_user(user=user, council=council), public_id=public_id)


def person_team(person: PersonSupported) -> QuerySet[TeamMember]:
    return person.team.filter(left_at__isnull=True).select_related("user")


def person_meetings(person: PersonSupported) -> QuerySet[TeamMeeting]:
    return person.team_meetings.prefetch_related("attendees").select_related("lead_professional_confirmed")


def person_consent_history(person: PersonSupported) -> QuerySet[ConsentHolder]:
    return person.consent_holders.select_related("user").order_by("-started_at", "-pk")


def record_views_for_council(*, council: Organisation, query: str = "") -> QuerySet[RecordView]:
    """Who looked at which child's records, newest first; ``query`` narrows by the child's or viewer's name."""
    views = RecordView.objects.filter(person__council=council).select_related("person", "viewer")
    for word in query.split():
        views = views.filter(
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(viewer__first_name__icontains=word)
            | Q(viewer__last_name__icontains=word)
            | Q(viewer__email__icontains=word)
        )
    return views.order_by("-viewed_at", "-pk")


def is_family_of(*, user: User, person: PersonSupported) -> bool:
    """The user holds consent for the person now (a parent, or the young person after hand-over)."""
    return person.consent_holders.filter(user=user, ended_at__isnull=True).exists()


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
        .with_roles(*CASEWORK_ROLES)
        .filter(organisation__in=Organisation.objects.within_council(person.council))
        .exclude(user__in=already)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "user__pk", "organisation__name")
    )
