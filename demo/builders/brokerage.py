"""People supported, budgets, plans, approvals and reviews for Coventry's demo families: Tom, A,
Jonathan and Johnny from DOMAIN.md.

Everything goes through the casework services, so audit rows, ledger postings, plan history and the
notifications a manager would see are as real use leaves them. A family already recorded (matched on
name and date of birth) is left alone, and money is posted under idempotency keys, so a second run
creates nothing.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import Role
from brokerage import ledger
from brokerage.models import (
    AccessGrant,
    ApprovalRequest,
    Budget,
    ConsentHolder,
    DelegatedAuthority,
    FundingStream,
    HeldAs,
    LineFrequency,
    LocalityFund,
    OutcomeDomain,
    PersonSupported,
    PlanStatus,
    RASAssessment,
    RASQuestionnaire,
    SupportPlan,
)
from brokerage.services import config as config_services
from brokerage.services import plans as plan_services
from brokerage.services.consent import access_grant
from brokerage.services.direct_payments import (
    dp_instalment_pay,
    dp_spend_record,
    family_account_balance,
)
from brokerage.services.people import Contact, person_create
from brokerage.services.ras import ras_assessment_complete
from brokerage.services.reviews import review_complete, review_start
from brokerage.services.team import team_meeting_record, team_member_add
from demo.context import DemoContext
from demo.councils import COVENTRY
from providers.models import TaxonomyTerm

YEAR = 2026
# RAS price points reported in DOMAIN.md: £10 a point for early help and £71 for social care.
PRICE_POINTS = {"early-help": Decimal("10.00"), "social-care": Decimal("71.00")}
STREAMS = (
    # code, name, direct payment allowed, restriction note, pool
    ("early-help", "Early help (flexible funding)", True, "", Decimal("60000.00")),
    ("social-care", "Social care (disabled children)", True, "", Decimal("120000.00")),
    (
        "continuing-health-care",
        "Continuing health care",
        True,
        "Health money has legal limits on what a direct payment may buy.",
        Decimal("150000.00"),
    ),
    ("learning-support", "Learning support fund", True, "", Decimal("80000.00")),
)


def build(ctx: DemoContext) -> None:
    council = ctx.organisations[COVENTRY.slug]
    streams = {code: _stream(council, code, name, dp, note, pool) for code, name, dp, note, pool in STREAMS}
    _delegated_authority(council)
    questionnaire = _ras_questionnaire(ctx, council, streams)
    fund = _locality_fund(ctx, council, streams["early-help"])
    families: tuple[tuple[str, Callable[..., None]], ...] = (
        ("Tom", _tom),
        ("A", _a),
        ("Jonathan", _jonathan),
        ("Johnny", _johnny),
    )
    created = 0
    for index, (_, build_family) in enumerate(families):
        created += int(build_family(ctx, council, streams, fund, _family(ctx, index)))
    _tom_ras(ctx, council, questionnaire, _family(ctx, 0))
    ctx.tally.record("People supported, with budgets and plans", created=created, existing=len(families) - created)


# --- Council set-up -------------------------------------------------------------------------------


def _stream(council: Organisation, code: str, name: str, dp: bool, note: str, pool: Decimal) -> FundingStream:
    stream, _ = FundingStream.objects.get_or_create(
        council=council,
        financial_year=YEAR,
        code=code,
        defaults={
            "name": name,
            "finance_code": code.upper().replace("-", "")[:10],
            "direct_payment_allowed": dp,
            "restriction_note": note,
            "price_per_point": PRICE_POINTS.get(code),
        },
    )
    ledger.stream_fund(stream=stream, amount=pool, key=f"demo-stream-{council.slug}-{YEAR}-{code}")
    return stream


def _delegated_authority(council: Organisation) -> None:
    DelegatedAuthority.objects.get_or_create(
        council=council,
        financial_year=YEAR,
        role=Role.LEAD_PROFESSIONAL,
        defaults={"limit_per_person": Decimal("3000.00")},
    )


# Questions, then each answer with its points; every question counts towards the stream named.
RAS_QUESTIONS = (
    (
        "How much help does the child need with everyday care (washing, dressing, eating)?",
        "social-care",
        (("No more than other children of the same age", 0), ("Some help every day", 6), ("Help with everything", 12)),
    ),
    (
        "How often is the child's sleep disturbed, and the family's with it?",
        "social-care",
        (("Rarely", 0), ("One or two nights a week", 4), ("Most nights", 8)),
    ),
    (
        "Is the child missing school or learning?",
        "early-help",
        (("No", 0), ("Sometimes", 20), ("Often, or not in school", 45)),
    ),
    (
        "How are things at home for the family and carers?",
        "early-help",
        (("Managing", 0), ("Under strain", 25), ("At breaking point", 50)),
    ),
)


def _ras_questionnaire(ctx: DemoContext, council: Organisation, streams: dict) -> RASQuestionnaire:  # type: ignore[type-arg]
    """Coventry's questionnaire for the year, through the settings services as an administrator would."""
    name = "Children and families needs questionnaire"
    existing = RASQuestionnaire.objects.filter(council=council, financial_year=YEAR, name=name).first()
    if existing:
        return existing
    admin = ctx.people(COVENTRY.slug, Role.COUNCIL_ADMIN)[0]
    questionnaire = config_services.ras_questionnaire_create(
        actor=admin, council=council, financial_year=YEAR, name=name
    )
    for text, stream_code, answers in RAS_QUESTIONS:
        question = config_services.ras_question_add(
            actor=admin, council=council, questionnaire=questionnaire, text=text, stream=streams[stream_code]
        )
        for answer_text, points in answers:
            config_services.ras_answer_add(
                actor=admin, council=council, question=question, text=answer_text, points=points
            )
    return questionnaire


def _tom_ras(ctx: DemoContext, council: Organisation, questionnaire: RASQuestionnaire, mother: User) -> None:
    """Tom's mother and the school nurse each complete the questionnaire: their indicative budgets differ
    by more than the council's threshold, so both are asked to talk it through."""
    tom = PersonSupported.objects.filter(council=council, first_name="Tom", last_name=mother.last_name).first()
    if tom is None or tom.ras_assessments.exists():
        return
    questions = list(questionnaire.questions.order_by("order"))
    for actor, perspective, picks in (
        (mother, RASAssessment.Perspective.FAMILY, (0, 0, 2, 2)),
        (_school_nurse(ctx), RASAssessment.Perspective.WORKER, (0, 0, 1, 0)),
    ):
        answers = [
            list(question.answers.order_by("order"))[pick] for question, pick in zip(questions, picks, strict=True)
        ]
        ras_assessment_complete(
            actor=actor, person=tom, questionnaire=questionnaire, perspective=perspective, answers=answers
        )


def _locality_fund(ctx: DemoContext, council: Organisation, stream: FundingStream) -> LocalityFund:
    fund, _ = LocalityFund.objects.get_or_create(
        council=council, financial_year=YEAR, name="Coventry North locality fund", defaults={"stream": stream}
    )
    fund.managers.add(*_manager(ctx))
    ledger.locality_fund_fund(fund=fund, amount=Decimal("25000.00"), key=f"demo-locality-{council.slug}-{YEAR}")
    return fund


def _manager(ctx: DemoContext) -> list[User]:
    return ctx.people(COVENTRY.slug, Role.BUDGET_HOLDING_MANAGER)[:1]


def _school_nurse(ctx: DemoContext) -> User:
    # The NHS body's first practitioner is the lead professional demo login, Tom's school nurse (demo.logins).
    return ctx.people(COVENTRY.nhs_body.slug, Role.LEAD_PROFESSIONAL)[0]


def _social_worker(ctx: DemoContext, index: int = 0) -> User:
    return ctx.people(COVENTRY.slug, Role.LEAD_PROFESSIONAL)[index]


def _family(ctx: DemoContext, index: int) -> User:
    return ctx.people(COVENTRY.slug, Role.FAMILY_MEMBER)[index]


# --- Helpers --------------------------------------------------------------------------------------


def _person(
    council: Organisation, worker: User, parent: User, first_name: str, born: datetime.date, notes: str
) -> PersonSupported | None:
    """The person, newly recorded with their parent's consent; None when an earlier run recorded them."""
    if PersonSupported.objects.filter(
        council=council, first_name=first_name, last_name=parent.last_name, date_of_birth=born
    ).exists():
        return None
    return person_create(
        actor=worker,
        council=council,
        first_name=first_name,
        last_name=parent.last_name,
        date_of_birth=born,
        holder=Contact(parent.email, parent.first_name, parent.last_name),
        relationship=ConsentHolder.Relationship.PARENT,
        needs_notes=notes,
    )


def _budget(person: PersonSupported, worker: User, money: list[tuple[FundingStream, str, Decimal]]) -> Budget:
    budget = plan_services.budget_create(
        person=person,
        actor=worker,
        financial_year=YEAR,
        starts_on=datetime.date(YEAR, 4, 1),
        ends_on=datetime.date(YEAR + 1, 3, 31),
    )
    for stream, held_as, amount in money:
        plan_services.allocation_add(budget=budget, actor=worker, stream=stream, held_as=held_as, amount=amount)
    return budget


def _line(plan: SupportPlan, worker: User, stream: FundingStream, category: str, description: str, **terms) -> None:  # type: ignore[no-untyped-def]
    terms.setdefault("frequency", LineFrequency.ONE_OFF)
    terms.setdefault("periods", 1)
    terms.setdefault("unit", "session")
    plan_services.plan_line_add(
        plan=plan,
        actor=worker,
        stream=stream,
        category=TaxonomyTerm.objects.get(code=category, council__isnull=True),
        description=description,
        outcome=plan.outcomes.first(),
        quantity=Decimal(terms.pop("quantity")),
        unit_cost=Decimal(terms.pop("unit_cost")),
        **terms,
    )


def _plan(budget: Budget, worker: User, own_support: str, outcome: tuple[str, str, int]) -> SupportPlan:
    plan = plan_services.plan_create(budget=budget, actor=worker, family_own_support=own_support)
    domain, description, score = outcome
    plan_services.plan_outcome_add(
        plan=plan, actor=worker, domain=domain, description=description, baseline_score=score
    )
    return plan


def _agree_and_submit(plan: SupportPlan, worker: User, role: str, reason: str = "") -> SupportPlan | ApprovalRequest:
    plan_services.plan_status_change(plan=plan, actor=worker, new_status=PlanStatus.AGREED, reason="Agreed at home")
    return plan_services.plan_submit(plan=plan, actor=worker, role=role, reason=reason)


def _next_version(plan: SupportPlan, worker: User, summary: str, score: int, stops: dict) -> SupportPlan:  # type: ignore[type-arg]
    today = datetime.date.today()
    review_start(plan=plan, actor=worker, on=today)
    _, successor = review_complete(
        plan=plan,
        actor=worker,
        on=today,
        scores=dict.fromkeys(plan.outcomes.all(), score),
        stops=stops,
        summary=summary,
        new_version=True,
    )
    assert successor is not None
    return successor


# --- The families ---------------------------------------------------------------------------------


def _tom(ctx: DemoContext, council: Organisation, streams: dict, fund: LocalityFund, mother: User) -> bool:  # type: ignore[type-arg]
    """Tom's year: approved at once at £2,690.80; at review tuition stops and counselling extends; the
    family group conference goes to the manager, who adds £1,500.00 from the locality fund."""
    nurse = _school_nurse(ctx)
    person = _person(council, nurse, mother, "Tom", datetime.date(2014, 5, 14), "Finds school hard since his dad left")
    if person is None:
        return False
    members = [
        team_member_add(person=person, actor=nurse, name=str(nurse), role="School nurse", family_consented=True),
        team_member_add(
            person=person,
            actor=nurse,
            name="Mr Hughes",
            role="Form tutor",
            organisation_name="Tom's school",
            family_consented=True,
        ),
    ]
    team_meeting_record(
        person=person,
        actor=nurse,
        held_on=datetime.date(YEAR, 4, 8),
        attendees=members,
        decisions="Tuition two evenings a week, football with his uncle, ten counselling sessions. "
        "The school nurse is Tom's lead professional.",
        lead_professional_confirmed=True,
    )
    early_help = streams["early-help"]
    budget = _budget(person, nurse, [(early_help, HeldAs.COUNCIL_MANAGED, Decimal("3000.00"))])
    plan = _plan(
        budget,
        nurse,
        "His uncle takes him to football twice a week; his mother goes to a parents' group.",
        (OutcomeDomain.ENJOY_AND_ACHIEVE, "Tom reads at the level expected for his age by July", 3),
    )
    weekly = {"frequency": LineFrequency.WEEKLY, "periods": 39}
    _line(plan, nurse, early_help, "tuition", "Tuition", quantity="2", unit_cost="20.00", unit="hour", **weekly)
    _line(
        plan,
        nurse,
        early_help,
        "transport",
        "Petrol money to his uncle",
        quantity="2",
        unit_cost="6.00",
        unit="trip",
        **weekly,
    )
    _line(plan, nurse, early_help, "counselling", "Counselling", quantity="10", unit_cost="45.00")
    _line(plan, nurse, early_help, "transport", "Taxi to counselling", quantity="10", unit_cost="14.00", unit="trip")
    _line(
        plan,
        nurse,
        early_help,
        "transport",
        "Bus fares",
        quantity="10",
        unit_cost="5.20",
        unit="trip",
        by_direct_payment=True,
    )
    _line(
        plan,
        nurse,
        early_help,
        "transport",
        "Parents' group fares",
        quantity="8",
        unit_cost="2.60",
        unit="trip",
        by_direct_payment=True,
    )
    _agree_and_submit(plan, nurse, Role.LEAD_PROFESSIONAL)

    tuition = plan.lines.get(description="Tuition")
    extension = _next_version(
        plan,
        nurse,
        "Reading has caught up; tuition stops. Counselling helps: six more sessions.",
        6,
        {tuition: Decimal("960.00")},
    )
    _line(extension, nurse, early_help, "counselling", "Counselling, 6 more sessions", quantity="6", unit_cost="45.00")
    _line(extension, nurse, early_help, "transport", "Taxi, 6 more trips", quantity="6", unit_cost="14.00", unit="trip")
    _agree_and_submit(extension, nurse, Role.LEAD_PROFESSIONAL)

    conference = _next_version(
        extension, nurse, "Things at home are tense: a family group conference would help.", 6, {}
    )
    _line(
        conference,
        nurse,
        early_help,
        "family-group-conferencing",
        "Family group conference",
        quantity="1",
        unit_cost="1500.00",
    )
    request = _agree_and_submit(
        conference, nurse, Role.LEAD_PROFESSIONAL, reason="A conference now can stop a crisis at home"
    )
    assert isinstance(request, ApprovalRequest)
    plan_services.approval_decide_and_tell(
        request=request,
        manager=_manager(ctx)[0],
        decision=ApprovalRequest.Decision.APPROVED,
        locality_fund=fund,
        amount=Decimal("1500.00"),
        reason="Approved from the locality fund",
    )
    return True


def _a(ctx: DemoContext, council: Organisation, streams: dict, fund: LocalityFund, mother: User) -> bool:  # type: ignore[type-arg]
    """A, 3, after hip surgery: church helpers on a rota (paid at least the living wage) and Home-Start."""
    worker = _social_worker(ctx)
    person = _person(council, worker, mother, "A", datetime.date(2023, 2, 3), "Mother has MS and a new baby")
    if person is None:
        return False
    early_help = streams["early-help"]
    budget = _budget(person, worker, [(early_help, HeldAs.DIRECT_PAYMENT, Decimal("1500.00"))])
    plan = _plan(
        budget,
        worker,
        "Church friends cook twice a week.",
        (OutcomeDomain.BE_HEALTHY, "A recovers from surgery at home with her mother supported", 4),
    )
    wage = plan_services.policy_for(plan).national_living_wage
    _line(
        plan,
        worker,
        early_help,
        "pa-support",
        "Church helpers on a rota",
        quantity="28",
        unit_cost=str(wage),
        unit="hour",
        is_pa_wage=True,
        by_direct_payment=True,
    )
    _line(
        plan,
        worker,
        early_help,
        "pa-support",
        "Payroll administration",
        quantity="1",
        unit_cost="28.00",
        unit="item",
        by_direct_payment=True,
    )
    _line(
        plan,
        worker,
        early_help,
        "family-support",
        "Home-Start family support for six months",
        quantity="1",
        unit_cost="1000.00",
        unit="item",
    )
    _agree_and_submit(plan, worker, Role.LEAD_PROFESSIONAL)
    _a_direct_payments(budget, worker, mother, wage)
    return True


# What A's mother records paying the church helpers from her direct-payment account.
A_SPENDING = (
    (datetime.date(YEAR, 4, 30), "Church helpers' pay for April (7 hours)", Decimal(7)),
    (datetime.date(YEAR, 7, 31), "Church helpers' pay for July (7 hours)", Decimal(7)),
    (datetime.date(YEAR, 10, 30), "Church helpers' pay for October (7 hours)", Decimal(7)),
)


def _a_direct_payments(budget: Budget, worker: User, mother: User, wage: Decimal) -> None:
    """Quarterly direct payments into the family's account, those due so far paid, and the helpers' pay
    A's mother recorded against the plan (the monitoring checks run on each entry as in real use)."""
    allocation = budget.allocations.get()
    schedule = allocation.dp_schedule  # made when the allocation was added
    today = timezone.localdate()
    for instalment in schedule.instalments.filter(due_on__lte=today).order_by("number"):
        dp_instalment_pay(instalment=instalment, actor=worker)
    category = TaxonomyTerm.objects.get(code="pa-support", council__isnull=True)
    for spent_on, description, hours in A_SPENDING:
        if spent_on <= today and family_account_balance(allocation) >= hours * wage:
            dp_spend_record(
                allocation=allocation,
                actor=mother,
                amount=(hours * wage).quantize(Decimal("0.01")),
                spent_on=spent_on,
                description=description,
                category=category,
            )


def _jonathan(ctx: DemoContext, council: Organisation, streams: dict, fund: LocalityFund, mother: User) -> bool:  # type: ignore[type-arg]
    """Jonathan, 17: continuing health care and a learning support fund in one budget, paying one
    full-time and two part-time PAs; above delegated authority, so the manager approves it."""
    worker = _social_worker(ctx, 1)
    person = _person(council, worker, mother, "Jonathan", datetime.date(2009, 3, 1), "Complex health needs")
    if person is None:
        return False
    broker = ctx.people(COVENTRY.broker.slug, Role.BROKER)[0]
    access_grant(person=person, grantee=broker, consent_from=mother, recorded_by=worker, scope=AccessGrant.Scope.ACT)
    chc, learning = streams["continuing-health-care"], streams["learning-support"]
    budget = _budget(
        person,
        worker,
        [(chc, HeldAs.DIRECT_PAYMENT, Decimal("28000.00")), (learning, HeldAs.DIRECT_PAYMENT, Decimal("22000.00"))],
    )
    plan = _plan(
        budget,
        worker,
        "His mother manages the payroll with a payroll service.",
        (OutcomeDomain.AUTONOMY, "Jonathan goes to college three days a week with the support he chooses", 3),
    )
    weekly = {"frequency": LineFrequency.WEEKLY, "periods": 52, "unit": "hour", "is_pa_wage": True}
    _line(
        plan,
        worker,
        chc,
        "pa-support",
        "Full-time personal assistant",
        quantity="37.5",
        unit_cost="14.00",
        by_direct_payment=True,
        **weekly,
    )
    for number in (1, 2):
        _line(
            plan,
            worker,
            learning,
            "pa-support",
            f"Part-time personal assistant {number}",
            quantity="15",
            unit_cost="14.00",
            by_direct_payment=True,
            **weekly,
        )
    request = _agree_and_submit(plan, worker, Role.LEAD_PROFESSIONAL, reason="One budget for all his PAs")
    assert isinstance(request, ApprovalRequest)
    plan_services.approval_decide_and_tell(
        request=request,
        manager=_manager(ctx)[0],
        decision=ApprovalRequest.Decision.APPROVED,
        reason="Within his health and learning allocations",
    )
    return True


def _johnny(ctx: DemoContext, council: Organisation, streams: dict, fund: LocalityFund, mother: User) -> bool:  # type: ignore[type-arg]
    """Johnny, 10: a carer on the family holiday and passes to a rehabilitation unit instead of overnight
    respite. His broker builds the plan; it waits in the manager's queue."""
    worker = _social_worker(ctx)
    person = _person(council, worker, mother, "Johnny", datetime.date(2016, 7, 9), "Overnight respite upsets him")
    if person is None:
        return False
    broker = ctx.people(COVENTRY.broker.slug, Role.BROKER)[-1]
    access_grant(person=person, grantee=broker, consent_from=mother, recorded_by=worker, scope=AccessGrant.Scope.ACT)
    social_care = streams["social-care"]
    budget = _budget(person, worker, [(social_care, HeldAs.DIRECT_PAYMENT, Decimal("2400.00"))])
    plan = _plan(
        budget,
        broker,
        "The family pays for the holiday itself.",
        (OutcomeDomain.ENJOY_AND_ACHIEVE, "Johnny has a family holiday and days out in place of overnight respite", 2),
    )
    _line(
        plan,
        broker,
        social_care,
        "holidays-with-support",
        "Carer with the family abroad (wages)",
        quantity="56",
        unit_cost="14.00",
        unit="hour",
        is_pa_wage=True,
        by_direct_payment=True,
    )
    _line(
        plan,
        broker,
        social_care,
        "physiotherapy",
        "Passes to a rehabilitation unit",
        quantity="10",
        unit_cost="150.00",
        unit="day",
        by_direct_payment=True,
    )
    _agree_and_submit(plan, broker, Role.BROKER, reason="Replaces overnight residential respite")
    return True
