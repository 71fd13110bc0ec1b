"""Framework contracts and a concern: Coventry's and Gloucestershire's frameworks with their lots, providers
admitted, suspended and ended (some registered with the other council), and a concern with a shared note.

Rows are written directly rather than through the services, which would notify providers and officers
about things nobody did. Each framework, lot, membership and the concern is matched on its natural key,
so a second run changes nothing. The membership history is written as the services would write it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Organisation, User
from accounts.roles import Role
from demo.bulk import demo_uuid
from demo.context import DemoContext
from demo.councils import COVENTRY, GLOUCESTERSHIRE, DemoCouncil
from providers.models import (
    Concern,
    ConcernNote,
    FrameworkContract,
    FrameworkLot,
    FrameworkMembership,
    FrameworkMembershipChange,
    MembershipStatus,
    TaxonomyTerm,
)


@dataclass(frozen=True)
class DemoLot:
    number: int
    name: str
    categories: tuple[str, ...]  # service category codes
    rate: Decimal
    rate_unit: str


@dataclass(frozen=True)
class DemoMembership:
    lot: int
    provider: str  # the provider's name, as in demo.councils
    admitted_on: datetime.date
    status: MembershipStatus = MembershipStatus.ADMITTED
    reason: str = ""  # why it was suspended or ended
    ended_on: datetime.date | None = None


@dataclass(frozen=True)
class DemoFramework:
    council: DemoCouncil
    reference: str
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    terms: str
    lots: tuple[DemoLot, ...]
    memberships: tuple[DemoMembership, ...]


_TERMS = (
    "Providers on this framework keep enhanced DBS checks with the children's barred list for every member of staff "
    "who works with children, hold public liability insurance of at least £5 million, and take part in the council's "
    "quality visits. Being on the framework does not guarantee any amount of work: families choose who to buy from."
)

FRAMEWORKS: tuple[DemoFramework, ...] = (
    DemoFramework(
        council=COVENTRY,
        reference="CCC-SB-2026",
        name="Short Breaks Framework",
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2030, 3, 31),
        terms=_TERMS,
        lots=(
            DemoLot(1, "Short breaks at home", ("respite-at-home",), Decimal("22.50"), "hour"),
            DemoLot(
                2, "Community short breaks", ("short-breaks", "leisure-and-activities"), Decimal("45.00"), "session"
            ),
            DemoLot(3, "PA agencies", ("pa-support",), Decimal("19.80"), "hour"),
        ),
        memberships=(
            DemoMembership(1, "Spires Short Breaks", datetime.date(2026, 4, 1)),
            DemoMembership(2, "Spires Short Breaks", datetime.date(2026, 4, 1)),
            DemoMembership(3, "Midlands Personal Assistants", datetime.date(2026, 4, 1)),
            # Registered with Gloucestershire: any council can admit any provider.
            DemoMembership(3, "Gloucestershire Personal Assistants", datetime.date(2026, 6, 1)),
            DemoMembership(
                1,
                "Home-Start Coventry",
                datetime.date(2026, 4, 1),
                MembershipStatus.SUSPENDED,
                "Safer-recruitment declaration out of date: suspended until a new one is verified",
            ),
            DemoMembership(
                2,
                "Godiva Tuition",
                datetime.date(2026, 4, 1),
                MembershipStatus.ENDED,
                "Stopped running holiday clubs, so no longer offers community short breaks",
                ended_on=datetime.date(2026, 9, 30),
            ),
        ),
    ),
    DemoFramework(
        council=GLOUCESTERSHIRE,
        reference="GCC-SBPA-2025",
        name="Short Breaks and Personal Assistance Framework",
        starts_on=datetime.date(2025, 9, 1),
        ends_on=datetime.date(2029, 8, 31),
        terms=_TERMS,
        lots=(
            DemoLot(1, "Short breaks", ("short-breaks", "residential-short-breaks"), Decimal("40.00"), "session"),
            DemoLot(2, "Personal assistants", ("pa-support",), Decimal("18.50"), "hour"),
        ),
        memberships=(
            DemoMembership(1, "Cotswold Short Breaks", datetime.date(2025, 9, 1)),
            DemoMembership(2, "Gloucestershire Personal Assistants", datetime.date(2025, 9, 1)),
            # Registered with Coventry, on both councils' frameworks.
            DemoMembership(1, "Spires Short Breaks", datetime.date(2026, 1, 5)),
        ),
    ),
)

CONCERN_PROVIDER = "Spires Short Breaks"
CONCERN_REPORTER = "family@coventry.demo"
CONCERN_OFFICER = "qa@coventry.demo"
CONCERN_DESCRIPTION = (
    "My son came home from the Saturday club without his medication bag, and nobody at the club could tell me "
    "where it was. It turned up the next week, but he needs his inhaler with him."
)
CONCERN_SHARED_NOTE = (
    "Thank you for telling us. We have received your concern and a quality officer will look into it. "
    "We will let you know when we have finished."
)


def build(ctx: DemoContext) -> None:
    for framework in FRAMEWORKS:
        _ensure_framework(ctx, framework)
    _ensure_concern(ctx)


def _provider(ctx: DemoContext, name: str) -> Organisation:
    councils = (COVENTRY, GLOUCESTERSHIRE)
    slug = next(provider.slug for council in councils for provider in council.providers if provider.name == name)
    return ctx.organisations[slug]


def _record(ctx: DemoContext, label: str, *, created: bool) -> None:
    ctx.tally.record(label, created=int(created), existing=int(not created))


def _ensure_framework(ctx: DemoContext, plan: DemoFramework) -> None:
    council = ctx.organisations[plan.council.slug]
    commissioner = ctx.people(plan.council.slug, Role.COMMISSIONER)[0]
    framework, created = FrameworkContract.objects.get_or_create(
        council=council,
        reference=plan.reference,
        defaults={
            "public_id": demo_uuid("framework", plan.council.slug, plan.reference),
            "name": plan.name,
            "starts_on": plan.starts_on,
            "ends_on": plan.ends_on,
            "terms": plan.terms,
        },
    )
    _record(ctx, "Framework contracts", created=created)
    lots = {lot.number: _ensure_lot(ctx, framework, lot) for lot in plan.lots}
    for membership in plan.memberships:
        _ensure_membership(ctx, lots[membership.lot], membership, commissioner)


def _ensure_lot(ctx: DemoContext, framework: FrameworkContract, plan: DemoLot) -> FrameworkLot:
    lot, created = FrameworkLot.objects.get_or_create(
        framework=framework,
        number=plan.number,
        defaults={"name": plan.name, "rate": plan.rate, "rate_unit": plan.rate_unit},
    )
    if created:
        lot.categories.set(TaxonomyTerm.objects.filter(code__in=plan.categories, council__isnull=True))
    _record(ctx, "Framework lots", created=created)
    return lot


def _ensure_membership(ctx: DemoContext, lot: FrameworkLot, plan: DemoMembership, commissioner: User) -> None:
    organisation = _provider(ctx, plan.provider)
    if FrameworkMembership.objects.filter(lot=lot, organisation=organisation).exists():
        _record(ctx, "Framework memberships", created=False)
        return
    membership = FrameworkMembership.objects.create(
        public_id=demo_uuid("framework-membership", str(lot.framework.public_id), str(lot.number), organisation.slug),
        lot=lot,
        organisation=organisation,
        status=plan.status,
        admitted_on=plan.admitted_on,
        ended_on=plan.ended_on,
    )
    admitted_at = datetime.datetime.combine(plan.admitted_on, datetime.time(10), tzinfo=datetime.UTC)
    FrameworkMembershipChange.objects.create(
        membership=membership,
        old_status="",
        new_status=MembershipStatus.ADMITTED,
        actor=commissioner,
        reason="Passed the framework's tender evaluation",
        created_at=admitted_at,
    )
    if plan.status != MembershipStatus.ADMITTED:
        changed_on = plan.ended_on or plan.admitted_on + datetime.timedelta(days=120)
        FrameworkMembershipChange.objects.create(
            membership=membership,
            old_status=MembershipStatus.ADMITTED,
            new_status=plan.status,
            actor=commissioner,
            reason=plan.reason,
            created_at=datetime.datetime.combine(changed_on, datetime.time(10), tzinfo=datetime.UTC),
        )
    _record(ctx, "Framework memberships", created=True)


def _ensure_concern(ctx: DemoContext) -> None:
    organisation = _provider(ctx, CONCERN_PROVIDER)
    concern, created = Concern.objects.get_or_create(
        public_id=demo_uuid("concern", organisation.slug, CONCERN_REPORTER),
        defaults={
            "council": organisation.council,
            "organisation": organisation,
            "reporter": ctx.users[CONCERN_REPORTER],
            "description": CONCERN_DESCRIPTION,
            "involves_harm_to_child": False,
        },
    )
    if created:
        ConcernNote.objects.create(
            concern=concern, author=ctx.users[CONCERN_OFFICER], text=CONCERN_SHARED_NOTE, shared_with_reporter=True
        )
    _record(ctx, "Concerns", created=created)
