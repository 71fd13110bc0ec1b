"""Frameworks: where each lot reaches, what share of spend went to its members, and whose checks lapse.

A lot covers a postcode district of the council when an admitted member has a published offer in one of the
lot's categories whose service areas name the district (or the whole council area). Members' spend comes from
the spend section's figures, so the two pages always agree.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q
from django.utils import timezone

from marketplace.insights.quality import LAPSE_BANDS
from marketplace.insights.scope import InsightScope
from marketplace.insights.spend import SpendFigures, framework_member_spend
from providers.models import (
    FrameworkContract,
    FrameworkLot,
    FrameworkMembership,
    MembershipStatus,
    OfferStatus,
    Postcode,
)
from providers.selectors.frameworks import frameworks_for_council


@dataclass(frozen=True)
class MemberLapse:
    lot: str
    member: str
    checks_current_until: datetime.date | None


@dataclass
class LotFigures:
    lot: FrameworkLot
    members: set[int] = field(default_factory=set)
    covered: dict[str, int] = field(default_factory=dict)  # district: how many members reach it
    spend: Decimal = Decimal("0.00")

    @property
    def gaps(self) -> list[str]:
        return [district for district, count in self.covered.items() if count == 0]


@dataclass
class FrameworkFigures:
    framework: FrameworkContract
    districts: list[str]
    lots: list[LotFigures]
    total_spend: Decimal
    lapsing: list[MemberLapse]
    members_spend: Decimal  # with members of any lot, each counted once

    def share(self, amount: Decimal) -> int | None:
        return round(100 * amount / self.total_spend) if self.total_spend > 0 else None


def council_districts(scope: InsightScope) -> list[str]:
    """The postcode districts of the council's area, from the gazetteer."""
    if not scope.council.ons_code:
        return []
    return list(
        Postcode.objects.filter(kind=Postcode.Kind.DISTRICT, council_code=scope.council.ons_code)
        .order_by("district")
        .values_list("district", flat=True)
        .distinct()
    )


def _reach(framework: FrameworkContract) -> list[tuple[int, int, str, str]]:
    """(lot, member, district, council code) for every area a member's offer in the lot's categories names."""
    return list(
        FrameworkMembership.objects.filter(
            lot__framework=framework,
            status=MembershipStatus.ADMITTED,
            organisation__offers__status=OfferStatus.PUBLISHED,
            organisation__offers__live_version__categories__framework_lots=F("lot"),
        )
        .values_list(
            "lot",
            "organisation",
            "organisation__offers__live_version__service_areas__postcode_district",
            "organisation__offers__live_version__service_areas__council_code",
        )
        .distinct()
    )


def _lapsing(framework: FrameworkContract, today: datetime.date) -> list[MemberLapse]:
    """Admitted members whose checks have lapsed, lapse within the longest band, or were never recorded."""
    horizon = today + datetime.timedelta(days=max(LAPSE_BANDS))
    until = "organisation__provider_profile__checks_current_until"
    rows = (
        FrameworkMembership.objects.filter(lot__framework=framework, status=MembershipStatus.ADMITTED)
        .filter(Q(**{f"{until}__lte": horizon}) | Q(**{f"{until}__isnull": True}))
        .values_list("lot__number", "lot__name", "organisation__name", until)
        .order_by(until, "organisation__name", "lot__number")
    )
    return [MemberLapse(f"Lot {number}: {name}", member, day) for number, name, member, day in rows]


def framework_figures(
    scope: InsightScope, framework: FrameworkContract, spend: SpendFigures, today: datetime.date | None = None
) -> FrameworkFigures:
    districts = council_districts(scope)
    lots = {lot.pk: LotFigures(lot=lot) for lot in framework.lots.order_by("number")}
    members = FrameworkMembership.objects.filter(lot__framework=framework, status=MembershipStatus.ADMITTED)
    for lot_id, organisation_id in members.values_list("lot", "organisation"):
        lots[lot_id].members.add(organisation_id)
    reach: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for lot_id, organisation_id, district, council_code in _reach(framework):
        if district:
            reach[lot_id][district].add(organisation_id)
        elif council_code and council_code == scope.council.ons_code:
            for each in districts:
                reach[lot_id][each].add(organisation_id)
    for lot_id, figures in lots.items():
        shown = districts or sorted(reach[lot_id])
        figures.covered = {district: len(reach[lot_id][district]) for district in shown}
        figures.spend = framework_member_spend(figures.members, spend)
    every_member = set().union(*(figures.members for figures in lots.values()))
    return FrameworkFigures(
        framework=framework,
        districts=districts,
        lots=list(lots.values()),
        total_spend=spend.total,
        lapsing=_lapsing(framework, today or timezone.localdate()),
        members_spend=framework_member_spend(every_member, spend),
    )


@dataclass(frozen=True)
class FrameworkSummary:
    framework: FrameworkContract
    lot_count: int
    admitted_count: int
    members_spend: Decimal
    members_lapsing: int


def frameworks_summary(
    scope: InsightScope, spend: SpendFigures, today: datetime.date | None = None
) -> list[FrameworkSummary]:
    """Every framework of the council with its members' spend and how many members' checks lapse: three
    queries however many frameworks there are."""
    horizon = (today or timezone.localdate()) + datetime.timedelta(days=max(LAPSE_BANDS))
    admitted = FrameworkMembership.objects.filter(
        lot__framework__council=scope.council, status=MembershipStatus.ADMITTED
    )
    members: dict[int, set[int]] = defaultdict(set)
    lapsing: dict[int, set[int]] = defaultdict(set)
    until = "organisation__provider_profile__checks_current_until"
    for framework_id, organisation_id, checks_until in admitted.values_list("lot__framework", "organisation", until):
        members[framework_id].add(organisation_id)
        if checks_until is None or checks_until <= horizon:
            lapsing[framework_id].add(organisation_id)
    return [
        FrameworkSummary(
            framework=framework,
            lot_count=framework.lot_count,
            admitted_count=framework.admitted_count,
            members_spend=framework_member_spend(members[framework.pk], spend),
            members_lapsing=len(lapsing[framework.pk]),
        )
        for framework in frameworks_for_council(council=scope.council)
    ]
