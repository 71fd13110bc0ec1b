"""Quality assurance: each council's recheck policy, and checks in every state on the demo listings.

Personal assistants get DBS checks that are current (some on the Update Service), lapsing within 60 days,
lapsed (one an old CRB certificate), waiting for a check and not accepted, with references and
insurance; provider organisations get safer-recruitment declarations in the same states, CQC or Ofsted
registrations and insurance; each broker organisation gets its declaration with the code of conduct
accepted and a DBS check for each broker. Coventry rechecks every 3 years; Gloucestershire wants annual
Update Service status checks.

Dates are set relative to the day the demo is built, so that "lapsing" means within 60 days of then.
Rows are written directly rather than through the services, which would notify people about checks
nobody made; each is matched on a public id derived from its listing and state, so a second run
changes nothing. Each listing's stored dates are then brought up to date by the service that owns them.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from demo.bulk import demo_uuid
from demo.context import DemoContext
from demo.councils import DEMO_COUNCILS, DemoCouncil
from providers.models import (
    CouncilQAPolicy,
    DBSCheck,
    DBSLevel,
    DBSRefusal,
    InsuranceKind,
    InsurancePolicy,
    PersonalAssistantProfile,
    ProfileStatus,
    ProviderProfile,
    Reference,
    Regulator,
    RegulatorRating,
    RegulatorRegistration,
    SaferRecruitmentDeclaration,
    StatusCheckResult,
    Verification,
)
from providers.services.qa import add_months, listing_assurance_refresh

# Each council's policy: (months a check is current from its issue, months between Update Service checks).
POLICIES: dict[str, tuple[int, int]] = {"coventry": (36, 12), "gloucestershire": (12, 12)}
DEFAULT_POLICY = (36, 12)

PA_STATES = ("current_update_service", "current", "lapsing", "lapsed", "waiting", "crb_lapsed", "refused")
ORGANISATION_STATES = ("current", "lapsing", "lapsed", "waiting", "none")
RATINGS = (RegulatorRating.GOOD, RegulatorRating.OUTSTANDING, RegulatorRating.REQUIRES_IMPROVEMENT)
REFEREES = (("Helen Price", "Former employer"), ("Gary Doyle", "A family I worked for"))


@dataclass(frozen=True)
class _Council:
    """What the builder needs to know about one demo council."""

    plan: DemoCouncil
    organisation: Organisation
    officer: User
    recheck_months: int
    update_service_months: int


def build(ctx: DemoContext) -> None:
    today = timezone.localdate()
    councils = [_council(ctx, plan) for plan in DEMO_COUNCILS]
    for index, council in enumerate(councils):
        # Some checks are verified by the next council: a verification by any council shows everywhere.
        neighbour = councils[(index + 1) % len(councils)]
        _personal_assistants(ctx, council, neighbour, today)
        _organisations(ctx, council, today)
        _brokers(ctx, council, today)


def _council(ctx: DemoContext, plan: DemoCouncil) -> _Council:
    organisation = ctx.organisations[plan.slug]
    recheck, update_service = POLICIES.get(plan.slug, DEFAULT_POLICY)
    policy, created = CouncilQAPolicy.objects.get_or_create(
        council=organisation,
        defaults={"dbs_recheck_months": recheck, "update_service_check_months": update_service},
    )
    ctx.tally.record("Quality-assurance policies", created=int(created), existing=int(not created))
    return _Council(
        plan=plan,
        organisation=organisation,
        officer=ctx.people(plan.slug, Role.QA_OFFICER)[0],
        recheck_months=policy.dbs_recheck_months,
        update_service_months=policy.update_service_check_months,
    )


# --- Personal assistants ----------------------------------------------------------------------------


def _personal_assistants(ctx: DemoContext, council: _Council, neighbour: _Council, today: datetime.date) -> None:
    profiles = PersonalAssistantProfile.objects.filter(
        council=council.organisation, status=ProfileStatus.PUBLISHED
    ).select_related("user")
    for index, profile in enumerate(profiles.order_by("pk")):
        state = PA_STATES[index % len(PA_STATES)]
        verifier = neighbour if state == "current" else council
        check = _pa_check(profile, state, verifier, today)
        _ensure(ctx, "DBS checks", DBSCheck, check)
        _pa_references(ctx, profile, council, state, today)
        if state in {"current_update_service", "current", "lapsing", "waiting"}:
            verified = state != "waiting"
            until = today + datetime.timedelta(days=40 if state == "lapsing" else 300)
            _ensure(ctx, "Insurance policies", InsurancePolicy, _insurance(profile, council, until, verified, today))
        listing_assurance_refresh(pa_profile=profile)


def _pa_check(profile: PersonalAssistantProfile, state: str, council: _Council, today: datetime.date) -> DBSCheck:
    check = DBSCheck(
        public_id=demo_uuid("dbs", str(profile.public_id), state),
        pa_profile=profile,
        person_name=profile.user.get_full_name(),
        level=DBSLevel.ENHANCED_BOTH if state == "current_update_service" else DBSLevel.ENHANCED_CHILDREN,
        submitted_by=profile.user,
    )
    _number(check, "pa", str(profile.public_id))
    if state == "current_update_service":
        status_checked = today - datetime.timedelta(days=61)
        check.issue_date = datetime.date(2019, 9, 16)
        check.update_service = True
        check.last_status_check_on, check.last_status_check_result = status_checked, StatusCheckResult.CURRENT
        _verified(
            check, council, seen_on=status_checked, until=add_months(status_checked, council.update_service_months)
        )
    elif state == "crb_lapsed":
        # Issued by the Criminal Records Bureau, before the DBS began in December 2012.
        check.issue_date = datetime.date(2011, 6, 14)
        _verified(check, council, seen_on=datetime.date(2011, 7, 1), until=add_months(check.issue_date, 36))
    elif state == "waiting":
        check.issue_date = today - datetime.timedelta(days=21)
        check.submitted_at = _moment(today - datetime.timedelta(days=5))
    elif state == "refused":
        check.issue_date = today - datetime.timedelta(days=90)
        check.verification, check.refusal = Verification.REFUSED, DBSRefusal.NAME_MISMATCH
    else:
        days = {"current": 400, "lapsing": 25, "lapsed": -30}[state]
        until = today + datetime.timedelta(days=days)
        check.issue_date = add_months(until, -council.recheck_months)
        _verified(check, council, seen_on=check.issue_date + datetime.timedelta(days=14), until=until)
    return check


def _pa_references(
    ctx: DemoContext, profile: PersonalAssistantProfile, council: _Council, state: str, today: datetime.date
) -> None:
    for number, (name, relationship) in enumerate(REFEREES):
        reference = Reference(
            public_id=demo_uuid("reference", str(profile.public_id), str(number)),
            pa_profile=profile,
            referee_name=name,
            relationship=relationship,
            referee_email=f"{name.split()[0].lower()}.{profile.pk}@referees.demo",
            submitted_at=_moment(today - datetime.timedelta(days=30 + number)),
        )
        if state not in {"waiting", "refused"}:
            satisfactory = not (state == "crb_lapsed" and number == 1)
            reference.verification = Verification.VERIFIED if satisfactory else Verification.REFUSED
            reference.verified_by_council, reference.verified_at = council.organisation, _moment(today - _weeks(3))
        _ensure(ctx, "References", Reference, reference)


# --- Provider and broker organisations --------------------------------------------------------------


def _organisations(ctx: DemoContext, council: _Council, today: datetime.date) -> None:
    profiles = ProviderProfile.objects.filter(
        organisation__council=council.organisation,
        organisation__kind=OrganisationKind.PROVIDER,
        status=ProfileStatus.PUBLISHED,
    ).select_related("organisation")
    for index, profile in enumerate(profiles.order_by("pk")):
        organisation = profile.organisation
        state = ORGANISATION_STATES[index % len(ORGANISATION_STATES)]
        declaration = _declaration(organisation, council, state, today, staff=3 + index % 9)
        if declaration is not None:
            _ensure(ctx, "Safer-recruitment declarations", SaferRecruitmentDeclaration, declaration)
        if state in {"current", "lapsing"}:
            _registration(ctx, organisation, council, index, today)
            _staff_checks(ctx, organisation, council, today)
        if state in {"current", "lapsing", "lapsed", "waiting"}:
            until = today + datetime.timedelta(days=50 if state == "lapsing" else 250)
            policy = _insurance(organisation, council, until, verified=state != "waiting", today=today)
            _ensure(ctx, "Insurance policies", InsurancePolicy, policy)
        if state == "current":
            employers = _insurance(organisation, council, today + _weeks(40), verified=True, today=today)
            employers.kind = InsuranceKind.EMPLOYERS_LIABILITY
            employers.public_id = demo_uuid("insurance", str(organisation.public_id), "employers")
            _ensure(ctx, "Insurance policies", InsurancePolicy, employers)
        listing_assurance_refresh(organisation=organisation)


def _brokers(ctx: DemoContext, council: _Council, today: datetime.date) -> None:
    broker_organisation = ctx.organisations[council.plan.broker.slug]
    declaration = _declaration(broker_organisation, council, "current", today, staff=2)
    if declaration is not None:
        declaration.code_of_conduct_accepted = True
        _ensure(ctx, "Safer-recruitment declarations", SaferRecruitmentDeclaration, declaration)
    for broker in ctx.people(council.plan.broker.slug, Role.BROKER):
        check = DBSCheck(
            public_id=demo_uuid("dbs", broker_organisation.slug, broker.email),
            organisation=broker_organisation,
            person_name=broker.get_full_name(),
            level=DBSLevel.ENHANCED_BOTH,
            issue_date=today - _weeks(30),
            submitted_by=broker,
        )
        _number(check, "broker", broker.email)
        _verified(
            check, council, seen_on=today - _weeks(28), until=add_months(check.issue_date, council.recheck_months)
        )
        _ensure(ctx, "DBS checks", DBSCheck, check)
    listing_assurance_refresh(organisation=broker_organisation)


def _declaration(
    organisation: Organisation, council: _Council, state: str, today: datetime.date, *, staff: int
) -> SaferRecruitmentDeclaration | None:
    """None for "none", and for a provider the council added without sign-ins: nobody there to declare."""
    declared_by = User.objects.filter(memberships__organisation=organisation).order_by("pk").first()
    if state == "none" or declared_by is None:
        return None
    days_left = {"current": 500, "lapsing": 45, "lapsed": -10, "waiting": 0}[state]
    declaration = SaferRecruitmentDeclaration(
        public_id=demo_uuid("declaration", str(organisation.public_id), state),
        organisation=organisation,
        declared_by=declared_by,
        staff_count=staff,
        declared_at=_moment(today - datetime.timedelta(days=3 if state == "waiting" else 60)),
    )
    if state != "waiting":
        until = today + datetime.timedelta(days=days_left)
        declaration.verification = Verification.VERIFIED
        declaration.verified_by_council, declaration.verified_by = council.organisation, council.officer
        declaration.verified_at = _moment(add_months(until, -council.recheck_months))
        declaration.current_until = until
    return declaration


def _registration(
    ctx: DemoContext, organisation: Organisation, council: _Council, index: int, today: datetime.date
) -> None:
    code = demo_uuid("registration", str(organisation.public_id)).int
    ofsted = index % 2 == 0
    registration_id = f"EY{code % 10**6:06d}" if ofsted else f"1-{code % 10**9:09d}"
    regulator = Regulator.OFSTED if ofsted else Regulator.CQC
    _, created = RegulatorRegistration.objects.get_or_create(
        regulator=regulator,
        registration_id=registration_id,
        defaults={
            "organisation": organisation,
            "rating": RATINGS[index % len(RATINGS)],
            "inspection_date": today - datetime.timedelta(days=200 + index * 7),
            "recorded_by_council": council.organisation,
            "recorded_by": council.officer,
        },
    )
    ctx.tally.record("Regulator registrations", created=int(created), existing=int(not created))


def _staff_checks(ctx: DemoContext, organisation: Organisation, council: _Council, today: datetime.date) -> None:
    for number, name in enumerate(("Priya Shah", "Tom Reid")):
        check = DBSCheck(
            public_id=demo_uuid("dbs", str(organisation.public_id), name),
            organisation=organisation,
            person_name=name,
            level=DBSLevel.ENHANCED_CHILDREN,
            issue_date=today - _weeks(20 + number * 30),
        )
        _number(check, "staff", str(organisation.public_id), name)
        _verified(check, council, seen_on=check.issue_date + _weeks(1), until=add_months(check.issue_date, 36))
        _ensure(ctx, "DBS checks", DBSCheck, check)


def _insurance(
    owner: PersonalAssistantProfile | Organisation,
    council: _Council,
    until: datetime.date,
    verified: bool,
    today: datetime.date,
) -> InsurancePolicy:
    is_pa = isinstance(owner, PersonalAssistantProfile)
    policy = InsurancePolicy(
        public_id=demo_uuid("insurance", str(owner.public_id), "public"),
        pa_profile=owner if is_pa else None,
        organisation=None if is_pa else owner,
        kind=InsuranceKind.PUBLIC_LIABILITY,
        insurer="Hiscox" if is_pa else "Zurich Municipal",
        cover_amount=5_000_000 if is_pa else 10_000_000,
        expires_on=until,
        submitted_at=_moment(today - datetime.timedelta(days=4 if not verified else 90)),
    )
    if verified:
        policy.verification = Verification.VERIFIED
        policy.verified_by_council, policy.verified_at = council.organisation, _moment(today - _weeks(12))
    return policy


# --- Helpers ----------------------------------------------------------------------------------------


def _verified(check: DBSCheck, council: _Council, *, seen_on: datetime.date, until: datetime.date) -> None:
    check.verification = Verification.VERIFIED
    check.original_seen_by, check.original_seen_on = council.officer, seen_on
    check.verified_by_council, check.verified_at = council.organisation, _moment(seen_on)
    check.current_until = until


def _number(check: DBSCheck, *key: str) -> None:
    # Twelve digits from the demo key: the same on every machine, and never a real certificate's.
    number = f"{demo_uuid('certificate', *key).int % 10**12:012d}"
    check.certificate_number, check.certificate_last4 = number, number[-4:]


def _ensure(ctx: DemoContext, label: str, model: type, row) -> None:  # type: ignore[no-untyped-def]
    if model.objects.filter(public_id=row.public_id).exists():
        ctx.tally.record(label, created=0, existing=1)
        return
    row.full_clean()
    row.save()
    ctx.tally.record(label, created=1, existing=0)


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


def _weeks(count: int) -> datetime.timedelta:
    return datetime.timedelta(weeks=count)
