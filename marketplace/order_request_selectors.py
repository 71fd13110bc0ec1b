"""Reads for orders waiting on a manager, brokers' declared interests, and the lead professional's one
page for a child.

Who sees a request: the council's budget-holding managers (every request for a person of the council),
the person who asked, and the person's consent holder (the family sees the order asked for them and any
interest declared). Anyone else gets 404. Interests: a broker sees their own organisations'; the
council's managers and commissioners see those of broker organisations registered with the council.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.charts import BarChart, bar_chart
from accounts.models import Organisation, User
from accounts.templatetags.money import money_text
from brokerage.models import Budget, PersonSupported, PlanReview, SupportPlan, TeamMember
from brokerage.selectors.people import person_team
from brokerage.statements import BudgetStatement, budget_statement
from marketplace.models import Order
from marketplace.models.order_requests import InterestDeclaration, OrderRequest, OrderRequestStatus
from marketplace.services.interests import broker_organisations_of, interest_declared

ZERO = Decimal("0.00")
REVIEW_HORIZON_DAYS = 28


# --- Order requests ---------------------------------------------------------------------------------


def _requests() -> QuerySet[OrderRequest]:
    return OrderRequest.objects.select_related(
        "person", "offer", "requested_by", "decided_by", "allocation__stream", "interest__broker_organisation", "order"
    )


def order_requests_for_manager(*, council: Organisation, status: str = "") -> QuerySet[OrderRequest]:
    requests = _requests().filter(person__council=council)
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-requested_at", "-pk")


def order_requests_visible_to(*, user: User, council: Organisation | None, is_manager: bool) -> QuerySet[OrderRequest]:
    mine = Q(requested_by=user) | Q(person__consent_holders__user=user, person__consent_holders__ended_at__isnull=True)
    if is_manager and council is not None:
        mine |= Q(person__council=council)
    return _requests().filter(mine).distinct()


def order_request_get_for(
    *, user: User, council: Organisation | None, is_manager: bool, public_id: UUID
) -> OrderRequest:
    return get_object_or_404(
        order_requests_visible_to(user=user, council=council, is_manager=is_manager), public_id=public_id
    )


def requests_of_person(person: PersonSupported) -> QuerySet[OrderRequest]:
    return _requests().filter(person=person).order_by("-requested_at", "-pk")


def request_for_order(order: Order) -> OrderRequest | None:
    return _requests().filter(order=order).first()


# --- Interests --------------------------------------------------------------------------------------


def _interests() -> QuerySet[InterestDeclaration]:
    return InterestDeclaration.objects.select_related(
        "broker_organisation", "provider_organisation", "personal_assistant", "declared_by"
    )


def interests_of_broker(user: User) -> QuerySet[InterestDeclaration]:
    return _interests().filter(broker_organisation__in=broker_organisations_of(user))


def interests_for_council(council: Organisation) -> QuerySet[InterestDeclaration]:
    return _interests().filter(broker_organisation__in=Organisation.objects.within_council(council))


def interest_get_for_broker(*, user: User, public_id: UUID) -> InterestDeclaration:
    return get_object_or_404(interests_of_broker(user), public_id=public_id)


def interest_for_order(order: Order) -> InterestDeclaration | None:
    """The interest the family and the council see on an order: the one its request was signed off for,
    or a current declaration by an organisation of the broker who placed it."""
    request = request_for_order(order)
    if request is not None and request.interest_id:
        return request.interest
    return interest_declared(organisations=broker_organisations_of(order.placed_by), offer=order.offer)


# --- The lead professional's page for a child ----------------------------------------------------------


@dataclass
class OutcomeProgress:
    """One outcome followed through the plan's versions: its first baseline, its score at each review, and
    the money committed and spent on it (the ledger tags each posting with its plan line's outcome)."""

    domain: str
    description: str
    baseline: int
    review_scores: list[int] = field(default_factory=list)
    committed: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def now(self) -> int:
        return self.review_scores[-1] if self.review_scores else self.baseline

    @property
    def change(self) -> int:
        return self.now - self.baseline


@dataclass
class ChildOverview:
    person: PersonSupported
    team: list[TeamMember]
    budget: Budget | None
    statement: BudgetStatement | None
    plan: SupportPlan | None
    progress: list[OutcomeProgress]
    orders: list[Order]
    requests: list[OrderRequest]
    reviews_due: list[PlanReview]
    budget_chart: BarChart | None = None
    scores_chart: BarChart | None = None
    spend_chart: BarChart | None = None


def current_budget(person: PersonSupported, *, day: date) -> Budget | None:
    budgets = person.budgets.order_by("-starts_on")
    return budgets.filter(starts_on__lte=day, ends_on__gte=day).first() or budgets.first()


def outcome_progress(*, budget: Budget, statement: BudgetStatement) -> list[OutcomeProgress]:
    """The outcomes of the budget's plans, each followed across versions: a review carries an outcome into
    the next version with the same area and words, and its review score as the new baseline."""
    money = {figures.outcome.pk: figures for figures in statement.outcomes if figures.outcome is not None}
    plans = budget.plans.prefetch_related("outcomes").order_by("version")
    progress: dict[tuple[str, str], OutcomeProgress] = {}
    for plan in plans:
        for outcome in plan.outcomes.all():
            key = (outcome.domain, outcome.description.strip())
            entry = progress.setdefault(
                key, OutcomeProgress(outcome.get_domain_display(), outcome.description, outcome.baseline_score)
            )
            if outcome.review_score is not None:
                entry.review_scores.append(outcome.review_score)
            figures = money.get(outcome.pk)
            if figures is not None:
                entry.committed += figures.committed
                entry.spent += figures.spent
    return list(progress.values())


def child_overview(person: PersonSupported, *, day: date) -> ChildOverview:
    budget = current_budget(person, day=day)
    statement = budget_statement(budget) if budget else None
    plan = budget.plans.order_by("-version").prefetch_related("outcomes", "lines__stream").first() if budget else None
    progress = outcome_progress(budget=budget, statement=statement) if budget and statement else []
    reviews = PlanReview.objects.filter(
        plan__person=person, completed_on__isnull=True, due_on__lte=day + timedelta(days=REVIEW_HORIZON_DAYS)
    ).select_related("plan")
    overview = ChildOverview(
        person=person,
        team=list(person_team(person)),
        budget=budget,
        statement=statement,
        plan=plan,
        progress=progress,
        orders=list(
            Order.objects.filter(person=person)
            .select_related("offer", "allocation__stream", "block_contract")
            .order_by("-placed_at", "-pk")[:20]
        ),
        requests=list(requests_of_person(person).filter(status=OrderRequestStatus.WAITING)),
        reviews_due=list(reviews.order_by("due_on", "pk")),
    )
    _add_charts(overview)
    return overview


def _add_charts(overview: ChildOverview) -> None:
    if overview.statement is not None and overview.statement.allocations:
        streams = overview.statement.streams
        overview.budget_chart = bar_chart(
            title="Budget by funding stream",
            labels=[stream.name for stream in streams],
            series=[
                ("Allocated", [stream.allocated + stream.topped_up for stream in streams]),
                ("Left to spend", [stream.available for stream in streams]),
            ],
            formatter=money_text,
            label_heading="Funding stream",
        )
    if overview.progress:
        labels = [entry.description[:60] for entry in overview.progress]
        overview.scores_chart = bar_chart(
            title="Outcome scores: baseline and now",
            labels=labels,
            series=[
                ("Baseline", [entry.baseline for entry in overview.progress]),
                ("Now", [entry.now for entry in overview.progress]),
            ],
            formatter=lambda value: f"{value} out of 10",
            label_heading="Outcome",
        )
        overview.spend_chart = bar_chart(
            title="Money on each outcome",
            labels=labels,
            series=[
                ("Committed", [entry.committed for entry in overview.progress]),
                ("Spent", [entry.spent for entry in overview.progress]),
            ],
            formatter=money_text,
            label_heading="Outcome",
        )


def requests_by_person(requests: list[OrderRequest]) -> dict[int, list[OrderRequest]]:
    grouped: dict[int, list[OrderRequest]] = defaultdict(list)
    for request in requests:
        grouped[request.person_id].append(request)
    return grouped
