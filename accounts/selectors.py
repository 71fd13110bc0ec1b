"""Reads for accounts, always scoped to the user asking."""

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.filters import CouncilUserFilter, OrganisationFilter
from accounts.models import (
    AuditEvent,
    Membership,
    MembershipQuerySet,
    Notification,
    NotificationQuerySet,
    Organisation,
    OrganisationQuerySet,
    User,
)


def notifications_for(user: User) -> NotificationQuerySet:
    return Notification.objects.filter(recipient=user)


def notification_get(*, user: User, public_id: UUID) -> Notification:
    """Another user's notification answers 404."""
    return get_object_or_404(notifications_for(user), public_id=public_id)


# --- Council administration: everything below is scoped to one council --------------------------


def council_organisations(council: Organisation) -> OrganisationQuerySet:
    """The council itself and the organisations registered with it: all its administrators look after."""
    return Organisation.objects.within_council(council)


def organisations_for_council(*, council: Organisation, filters: Mapping[str, Any] | None = None) -> QuerySet:
    """The council's organisations, each with ``member_count`` (active memberships), filtered."""
    organisations = council_organisations(council).annotate(
        member_count=Count("memberships", filter=Q(memberships__is_active=True))
    )
    return OrganisationFilter(filters or {}, queryset=organisations).qs.order_by("name", "pk")


def organisation_get_for_council(*, council: Organisation, public_id: UUID) -> Organisation:
    """An organisation the council does not look after answers 404."""
    return get_object_or_404(council_organisations(council), public_id=public_id)


def organisation_memberships(*, organisation: Organisation) -> MembershipQuerySet:
    return organisation.memberships.select_related("user").order_by("-is_active", "user__last_name", "user__email")


def council_memberships(council: Organisation) -> MembershipQuerySet:
    return Membership.objects.filter(organisation__in=council_organisations(council))


def users_for_council(*, council: Organisation, filters: Mapping[str, Any] | None = None) -> QuerySet[User]:
    """Users with a membership (current or ended) in one of the council's organisations.

    Each user carries ``council_memberships``: their memberships within this council only, never
    those in another council's organisations.
    """
    users = User.objects.filter(Exists(council_memberships(council).filter(user=OuterRef("pk"))))
    filterset = CouncilUserFilter(filters or {}, queryset=users, council_organisations=council_organisations(council))
    return filterset.qs.order_by("last_name", "first_name", "email").prefetch_related(
        Prefetch(
            "memberships",
            queryset=council_memberships(council)
            .select_related("organisation")
            .order_by("-is_active", "organisation__name"),
            to_attr="council_memberships",
        )
    )


def user_get_for_council(*, council: Organisation, public_id: UUID) -> User:
    """A user with no membership in the council's organisations answers 404."""
    return get_object_or_404(users_for_council(council=council), public_id=public_id)


def membership_get_for_council(*, council: Organisation, public_id: UUID) -> Membership:
    """A membership in another council's organisation answers 404."""
    return get_object_or_404(council_memberships(council).select_related("user", "organisation"), public_id=public_id)


def audit_events_for_organisation(
    *, council: Organisation, organisation: Organisation, limit: int = 20
) -> list[AuditEvent]:
    """Recent changes to the organisation and to its memberships, as recorded for this council."""
    membership_ids = [str(pid) for pid in organisation.memberships.values_list("public_id", flat=True)]
    return _audit_events_about(council, Organisation, [str(organisation.public_id)], membership_ids, limit)


def audit_events_for_user(*, council: Organisation, user: User, limit: int = 20) -> list[AuditEvent]:
    """Recent changes to the user and to their memberships, as recorded for this council."""
    membership_ids = [
        str(pid) for pid in council_memberships(council).filter(user=user).values_list("public_id", flat=True)
    ]
    return _audit_events_about(council, User, [str(user.public_id)], membership_ids, limit)


def _audit_events_about(
    council: Organisation, model: type, target_ids: list[str], membership_ids: list[str], limit: int
) -> list[AuditEvent]:
    about_target = Q(target_type=model._meta.label_lower, target_id__in=target_ids)
    about_memberships = Q(target_type=Membership._meta.label_lower, target_id__in=membership_ids)
    events = AuditEvent.objects.filter(about_target | about_memberships, council=council).select_related("actor")
    return list(events[:limit])
