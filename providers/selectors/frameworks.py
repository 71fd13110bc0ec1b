"""Reads for framework contracts, always scoped to the commissioner's council.

Another council's framework, lot or membership answers 404, so its existence is not revealed.
"""

from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, OrganisationQuerySet
from accounts.roles import OrganisationKind
from providers.models import (
    CostUnit,
    FrameworkContract,
    FrameworkLot,
    FrameworkMembership,
    FrameworkMembershipChange,
    MembershipStatus,
)

SEARCH_RESULTS_SHOWN = 20


def frameworks_for_council(*, council: Organisation) -> QuerySet[FrameworkContract]:
    """The council's frameworks, newest first, each with ``lot_count`` and ``admitted_count``."""
    return (
        FrameworkContract.objects.filter(council=council)
        .annotate(
            lot_count=Count("lots", distinct=True),
            admitted_count=Count(
                "lots__memberships", filter=Q(lots__memberships__status=MembershipStatus.ADMITTED), distinct=True
            ),
        )
        .order_by("-starts_on", "name", "pk")
    )


def framework_get_for_council(*, council: Organisation, public_id: UUID) -> FrameworkContract:
    return get_object_or_404(FrameworkContract.objects.filter(council=council), public_id=public_id)


def framework_lots(*, framework: FrameworkContract) -> list[FrameworkLot]:
    """The framework's lots in order, each with its categories, its memberships (by provider name) and
    ``rate_unit_label`` ("per hour")."""
    memberships = FrameworkMembership.objects.select_related("organisation").order_by("organisation__name", "pk")
    lots = list(
        framework.lots.order_by("number").prefetch_related("categories", Prefetch("memberships", queryset=memberships))
    )
    for lot in lots:
        lot.rate_unit_label = CostUnit(lot.rate_unit).label if lot.rate_unit in CostUnit.values else lot.rate_unit
    return lots


def framework_lot_get(*, framework: FrameworkContract, number: int) -> FrameworkLot:
    return get_object_or_404(FrameworkLot.objects.filter(framework=framework), number=number)


def framework_members(*, framework: FrameworkContract) -> QuerySet[FrameworkMembership]:
    """Every membership of every lot, current or not, for the export."""
    return (
        FrameworkMembership.objects.filter(lot__framework=framework)
        .select_related("lot", "organisation", "organisation__council")
        .order_by("lot__number", "organisation__name", "pk")
    )


def membership_get_for_council(*, council: Organisation, public_id: UUID) -> FrameworkMembership:
    memberships = FrameworkMembership.objects.filter(lot__framework__council=council).select_related(
        "lot__framework", "organisation", "organisation__council"
    )
    return get_object_or_404(memberships, public_id=public_id)


def membership_history(*, membership: FrameworkMembership) -> QuerySet[FrameworkMembershipChange]:
    return membership.changes.select_related("actor").order_by("-created_at", "-id")


def provider_organisations_matching(*, query: str) -> OrganisationQuerySet:
    """Open provider organisations whose name contains ``query``, whichever council they registered with:
    providers are shared, so any council may admit any of them to its framework."""
    query = query.strip()
    providers = Organisation.objects.active().filter(kind=OrganisationKind.PROVIDER).select_related("council")
    if not query:
        return providers.none()
    return providers.filter(name__icontains=query).order_by("name", "pk")
