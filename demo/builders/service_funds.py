"""An individual service fund in the demo: Open Door Counselling Coventry (the provider staff sign-in's charity)
holds Ellie Wilson's counselling money, is paid its instalments in the payments demo's completed run, and
reports each month what it delivered; April's statement is accepted and May's, with two sessions more than the
plan expects (beyond the tolerance), waits for a finance officer.

Two steps, because the completed payment run is made between them: ``build_fund`` (before the payments
builder) records Ellie, her budget with the fund, its monthly schedule and her plan; ``build_statements``
(after it) sends the statements once the provider holds some of the fund, and accepts April's.

Everything goes through the casework and service-fund services. Ellie, once recorded (matched on name and date
of birth), is left as she is, and a month that already has a statement is not sent again, so a second run
creates nothing. On a demo built before service funds existed its payment run has already happened: the
instalments then wait for the next run, and the statements follow once one is paid.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import Role
from brokerage.models import (
    Allocation,
    ConsentHolder,
    FundingStream,
    HeldAs,
    LineFrequency,
    OutcomeDomain,
    PersonSupported,
    PlanStatus,
)
from brokerage.selectors.service_funds import held_by_provider, month_of
from brokerage.services import plans as plan_services
from brokerage.services.people import Contact, person_create
from brokerage.services.service_funds import LineInput, isf_statement_accept, isf_statement_submit
from demo.builders.brokerage import YEAR
from demo.context import DemoContext
from demo.councils import COVENTRY
from demo.logins import DEMO_LOGINS
from providers.models import TaxonomyTerm

PROVIDER_LOGIN = "provider@coventry.demo"
FINANCE_LOGIN = "finance@coventry.demo"
# The seventh generated Coventry family sign-in (joanne.wilson.family7@coventry.demo): the casework and
# commissioning builders use the first four, and a surname after theirs keeps the top-ups demo on its families.
FAMILY_INDEX = 6
FIRST_NAME = "Ellie"
BORN = datetime.date(2012, 9, 18)
COUNSELLING = "Counselling with the same counsellor every week"
SESSIONS_A_MONTH = Decimal("4")
SESSION_COST = Decimal("45.00")
FUND_AMOUNT = SESSIONS_A_MONTH * SESSION_COST * 12  # £2,160.00: the plan's year of sessions, paid monthly
# (month, sessions reported, accepted): April as planned, accepted; May two sessions over, waiting.
STATEMENTS = (
    (datetime.date(YEAR, 4, 1), Decimal("4"), True),
    (datetime.date(YEAR, 5, 1), Decimal("6"), False),
)


def build_fund(ctx: DemoContext) -> None:
    council = ctx.organisations[COVENTRY.slug]
    created = _fund_create(ctx, council)
    ctx.tally.record("Individual service funds held by providers", created=int(created), existing=int(not created))


def build_statements(ctx: DemoContext) -> None:
    council = ctx.organisations[COVENTRY.slug]
    allocation = fund_of(ctx, council)
    created = existing = 0
    if allocation is not None and held_by_provider(allocation) > 0:
        for month, sessions, accepted in STATEMENTS:
            if allocation.isf_statements.filter(period_start=month).exists():
                existing += 1
            elif month_of(month)[1] < timezone.localdate():
                _statement_send(ctx, allocation, month, sessions, accepted)
                created += 1
    ctx.tally.record("Individual service fund statements", created=created, existing=existing)


# --- Who and what ---------------------------------------------------------------------------------


def provider_of(ctx: DemoContext) -> Organisation:
    """The organisation the provider staff sign-in works for: the counselling charity."""
    login = next(login for login in DEMO_LOGINS if login.email == PROVIDER_LOGIN)
    assert login.organisation is not None
    return ctx.organisations[login.organisation.slug]


def parent_of(ctx: DemoContext) -> User:
    return ctx.people(COVENTRY.slug, Role.FAMILY_MEMBER)[FAMILY_INDEX]


def person_of(ctx: DemoContext, council: Organisation) -> PersonSupported | None:
    return PersonSupported.objects.filter(
        council=council, first_name=FIRST_NAME, last_name=parent_of(ctx).last_name, date_of_birth=BORN
    ).first()


def fund_of(ctx: DemoContext, council: Organisation) -> Allocation | None:
    person = person_of(ctx, council)
    if person is None:
        return None
    return (
        Allocation.objects.filter(budget__person=person, held_as=HeldAs.ISF, isf_provider=provider_of(ctx))
        .select_related("budget")
        .first()
    )


def _social_worker(ctx: DemoContext) -> User:
    return ctx.people(COVENTRY.slug, Role.LEAD_PROFESSIONAL)[1]


# --- The fund -------------------------------------------------------------------------------------


def _fund_create(ctx: DemoContext, council: Organisation) -> bool:
    """Ellie's budget with the fund held by the charity, and her plan approved within delegated authority;
    False when an earlier run recorded her."""
    if person_of(ctx, council) is not None:
        return False
    worker, parent = _social_worker(ctx), parent_of(ctx)
    person = person_create(
        actor=worker,
        council=council,
        first_name=FIRST_NAME,
        last_name=parent.last_name,
        date_of_birth=BORN,
        holder=Contact(parent.email, parent.first_name, parent.last_name),
        relationship=ConsentHolder.Relationship.PARENT,
        needs_notes="Anxious and sleeping badly since her grandfather died; wants to see the same counsellor",
    )
    budget = plan_services.budget_create(
        person=person,
        actor=worker,
        financial_year=YEAR,
        starts_on=datetime.date(YEAR, 4, 1),
        ends_on=datetime.date(YEAR + 1, 3, 31),
    )
    stream = FundingStream.objects.get(council=council, financial_year=YEAR, code="early-help")
    # Adding the fund makes its schedule of monthly instalments, paid to the charity by the payment run.
    plan_services.allocation_add(
        budget=budget,
        actor=worker,
        stream=stream,
        held_as=HeldAs.ISF,
        amount=FUND_AMOUNT,
        isf_provider=provider_of(ctx),
    )
    plan = plan_services.plan_create(
        budget=budget, actor=worker, family_own_support="Her aunt takes her swimming on Saturdays."
    )
    plan_services.plan_outcome_add(
        plan=plan,
        actor=worker,
        domain=OutcomeDomain.BE_HEALTHY,
        description="Ellie sleeps through most nights and goes to school every day",
        baseline_score=3,
    )
    plan_services.plan_line_add(
        plan=plan,
        actor=worker,
        stream=stream,
        category=TaxonomyTerm.objects.get(code="counselling", council__isnull=True),
        description=COUNSELLING,
        outcome=plan.outcomes.first(),
        quantity=SESSIONS_A_MONTH,
        unit_cost=SESSION_COST,
        unit="session",
        frequency=LineFrequency.MONTHLY,
        periods=12,
    )
    plan_services.plan_status_change(plan=plan, actor=worker, new_status=PlanStatus.AGREED, reason="Agreed at home")
    plan_services.plan_submit(plan=plan, actor=worker, role=Role.LEAD_PROFESSIONAL)
    return True


# --- The monthly statements --------------------------------------------------------------------------


def _statement_send(
    ctx: DemoContext, allocation: Allocation, month: datetime.date, sessions: Decimal, accepted: bool
) -> None:
    line = allocation.budget.plans.order_by("-version").first().lines.get(description=COUNSELLING)  # type: ignore[union-attr]
    statement = isf_statement_submit(
        allocation=allocation,
        actor=ctx.users[PROVIDER_LOGIN],
        month=month,
        lines=[LineInput(plan_line=line, description=line.description, quantity=sessions, rate=SESSION_COST)],
    )
    if accepted:
        isf_statement_accept(statement=statement, actor=ctx.users[FINANCE_LOGIN])
