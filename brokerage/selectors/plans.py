"""Reads for budgets, plans, approvals and reviews.

A budget or plan is found through its person, so whoever may not see the person gets 404 for their
budgets and plans too. A budget-holding manager sees the requests for their council's budgets.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from django.db.models import Case, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, User
from brokerage.models import (
    AccessGrant,
    ApprovalRequest,
    Budget,
    PersonSupported,
    PlanLine,
    PlanReview,
    PlanStatus,
    SupportPlan,
)
from brokerage.selectors.people import CASEWORK_ROLES, people_for_user
from brokerage.services.plans import PLAN_TRANSITIONS, LineCheck, plan_line_check, uncommitted_lines
from brokerage.statements import BudgetStatement, budget_statement

ZERO = Decimal("0.00")
# Approval happens through plan_approve and goes live at once, so these moves are never a plain button.
MOVES_BY_SERVICE = {PlanStatus.SUBMITTED, PlanStatus.APPROVED, PlanStatus.ACTIVE, PlanStatus.UNDER_REVIEW}
EDITABLE = {PlanStatus.DRAFT}
REVIEW_HORIZON_DAYS = 28


@dataclass
class StreamTotals:
    name: str
    allocated: Decimal = ZERO
    available: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    weekly: Decimal = ZERO
    period: Decimal = ZERO
    not_yet_committed: Decimal = ZERO

    @property
    def short_by(self) -> Decimal:
        return max(self.not_yet_committed - self.available, ZERO)


@dataclass
class PlanSheet:
    """A plan with everything its page shows: each line's checks and the totals per stream."""

    plan: SupportPlan
    statement: BudgetStatement
    lines: list[tuple[PlanLine, LineCheck]] = field(default_factory=list)
    streams: list[StreamTotals] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((totals.period for totals in self.streams), ZERO)

    @property
    def weekly(self) -> Decimal:
        return sum((totals.weekly for totals in self.streams), ZERO)

    @property
    def has_refusals(self) -> bool:
        return any(check.refusals for _, check in self.lines)


@dataclass
class BudgetSummary:
    budget: Budget
    allocated: Decimal
    available: Decimal


def budgets_with_statements(person: PersonSupported) -> list[BudgetSummary]:
    summaries = []
    for budget in person.budgets.order_by("-starts_on"):
        statement = budget_statement(budget)
        allocated = statement.total("allocated") + statement.total("topped_up")
        summaries.append(BudgetSummary(budget, allocated, statement.total("available")))
    return summaries


def plans_for_person(person: PersonSupported) -> QuerySet[SupportPlan]:
    return person.plans.select_related("budget").order_by("-budget__starts_on", "-version")


def budget_get_for(*, user: User, council: Organisation, public_id: UUID) -> Budget:
    people = people_for_user(user=user, council=council)
    return get_object_or_404(Budget.objects.select_related("person", "council"), person__in=people, public_id=public_id)


def plan_get_for(*, user: User, council: Organisation, public_id: UUID) -> SupportPlan:
    people = people_for_user(user=user, council=council)
    plans = SupportPlan.objects.select_related("person", "budget", "previous")
    return get_object_or_404(plans, person__in=people, public_id=public_id)


def may_change_plans_of(*, user: User, role: str, person: PersonSupported, day: date) -> bool:
    """Whether a worker may change a person's plans: their lines, outcomes, moves and submission.

    Read-only access means read only. Changing needs the family's consent to act (a grant that "places
    orders up to a limit"), or being the person's named lead professional while the family's consent
    stands: the lead professional acts within the council's delegated authority, as
    ``marketplace.services.orders.budget_authority`` lets them order (DOMAIN.md, journey 1). The one rule
    for the plan page, the package builder and their templates.
    """
    if role not in CASEWORK_ROLES:
        return False
    grants = AccessGrant.objects.filter(person_id=person.pk, grantee=user, revoked_at__isnull=True).filter(
        Q(until__isnull=True) | Q(until__gte=day)
    )
    if person.lead_professional_id == user.pk:
        return grants.exists()
    return grants.filter(scope=AccessGrant.Scope.ACT).exists()


def may_change_plan(*, user: User, role: str, plan: SupportPlan, day: date) -> bool:
    """A plan's lines and times change only while it is a draft, and only by someone who may change it."""
    return plan.status in EDITABLE and may_change_plans_of(user=user, role=role, person=plan.person, day=day)


def plan_line_get(*, plan: SupportPlan, public_id: UUID) -> PlanLine:
    return get_object_or_404(plan.lines, public_id=public_id)


def plan_sheet(plan: SupportPlan) -> PlanSheet:
    statement = budget_statement(plan.budget)
    sheet = PlanSheet(plan=plan, statement=statement)
    streams: dict[int, StreamTotals] = {}
    for figures in statement.allocations:
        totals = streams.setdefault(figures.allocation.stream_id, StreamTotals(name=figures.allocation.stream.name))
        totals.allocated += figures.allocated + figures.topped_up
        totals.available += figures.available
        totals.committed += figures.committed
        totals.spent += figures.spent
    lines = plan.lines.select_related("stream", "category", "category__parent", "outcome", "offer", "plan__person")
    pending = {line.pk for line in uncommitted_lines(plan)}
    for line in lines:
        sheet.lines.append((line, plan_line_check(line)))
        if line.stopped_on:
            continue
        totals = streams.setdefault(line.stream_id, StreamTotals(name=line.stream.name))
        totals.period += line.total
        totals.weekly += line.weekly_cost
        if line.pk in pending:
            totals.not_yet_committed += line.total
    sheet.streams = list(streams.values())
    return sheet


def plan_next_statuses(plan: SupportPlan) -> list[tuple[str, str]]:
    """The moves a worker may make with a button: the allowed ones not made by approval or review."""
    allowed = PLAN_TRANSITIONS[plan.status] - MOVES_BY_SERVICE
    return [(status.value, status.label) for status in PlanStatus if status in allowed]


def plan_continuing_lines(plan: SupportPlan) -> QuerySet[PlanLine]:
    """Lines of earlier versions still running alongside this one (a review adds, stops or changes lines)."""
    earlier = []
    previous = plan.previous
    while previous is not None:
        earlier.append(previous.pk)
        previous = previous.previous
    return PlanLine.objects.filter(
        plan_id__in=earlier,
        stopped_on__isnull=True,
        plan__status__in=[PlanStatus.ACTIVE, PlanStatus.UNDER_REVIEW],
    ).select_related("plan", "stream")


def plan_history(plan: SupportPlan) -> QuerySet:
    return plan.status_changes.select_related("actor")


# --- Approvals ------------------------------------------------------------------------------------


def approvals_for_manager(*, council: Organisation, decision: str = "") -> QuerySet[ApprovalRequest]:
    """Requests for the council's budgets, those waiting first, oldest first among them."""
    requests = ApprovalRequest.objects.filter(plan__budget__council=council).select_related(
        "plan", "plan__person", "plan__budget", "requested_by", "decided_by", "locality_fund"
    )
    if decision in ApprovalRequest.Decision.values:
        requests = requests.filter(decision=decision)
    is_decided = Case(When(decision=ApprovalRequest.Decision.WAITING, then=Value(0)), default=Value(1))
    return requests.order_by(is_decided, "requested_at", "pk")


def approval_get_for_manager(*, council: Organisation, public_id: UUID) -> ApprovalRequest:
    return get_object_or_404(approvals_for_manager(council=council), public_id=public_id)


# --- Reviews --------------------------------------------------------------------------------------


def reviews_due_for(*, user: User, council: Organisation, day: date) -> QuerySet[PlanReview]:
    """Reviews not yet done for the plans of people the user may see, due within four weeks or overdue."""
    people = people_for_user(user=user, council=council)
    return (
        PlanReview.objects.filter(
            plan__person__in=people,
            completed_on__isnull=True,
            due_on__lte=day + timedelta(days=REVIEW_HORIZON_DAYS),
            plan__status__in=[PlanStatus.ACTIVE, PlanStatus.UNDER_REVIEW],
        )
        .select_related("plan", "plan__person")
        .order_by("due_on", "pk")
    )


def review_open_for(plan: SupportPlan) -> PlanReview | None:
    return plan.reviews.filter(completed_on__isnull=True).order_by("due_on").first()
