"""Reviews: outcomes scored again, lines stopped (what was delivered stays committed, the rest is
released) and, to change or add support, a new plan version that keeps the old one as history."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from accounts.events import audit_record
from accounts.models import User
from brokerage.exceptions import BrokerageError
from brokerage.models import Outcome, PlanLine, PlanReview, PlanStatus, SupportPlan
from brokerage.services.plans import plan_line_stop, plan_review_schedule, plan_set_status


@transaction.atomic
def review_start(*, plan: SupportPlan, actor: User, on: date) -> PlanReview:
    """Open the review of an active plan, whether it fell due or the family asked for one early."""
    try:
        plan_set_status(plan=plan, new_status=PlanStatus.UNDER_REVIEW, actor=actor, reason="Review started")
    except BrokerageError as error:
        raise ValidationError(str(error)) from error
    review = plan.reviews.filter(completed_on__isnull=True).order_by("due_on").first()
    if review is None:
        review = PlanReview.objects.create(plan=plan, due_on=on)
    audit_record(
        actor=actor, action="plan.review_started", target=plan, council=plan.budget.council, summary=f"Reviewing {plan}"
    )
    return review


@transaction.atomic
def review_complete(
    *,
    plan: SupportPlan,
    actor: User,
    on: date,
    scores: dict[Outcome, int],
    stops: dict[PlanLine, Decimal],
    summary: str,
    new_version: bool,
) -> tuple[PlanReview, SupportPlan | None]:
    """Record the review; the plan goes back to active with its next review scheduled. With
    ``new_version`` a draft of the next version is started, its outcomes carried over and scored from
    where the review left them, for the lines that change or are added."""
    if plan.status != PlanStatus.UNDER_REVIEW:
        raise ValidationError("Start the review first")
    if new_version and SupportPlan.objects.filter(previous=plan).exists():
        raise ValidationError("This version already has a next version")
    for outcome, score in scores.items():
        outcome.review_score = score
        outcome.full_clean()
        outcome.save(update_fields=["review_score"])
    for line, delivered in stops.items():
        try:
            plan_line_stop(line=line, actor=actor, delivered=delivered, on=on)
        except BrokerageError as error:
            raise ValidationError(f"{line.description}: {error}") from error
    review = plan.reviews.filter(completed_on__isnull=True).order_by("due_on").first() or PlanReview(
        plan=plan, due_on=on
    )
    review.completed_on, review.completed_by, review.summary = on, actor, summary
    review.save()
    plan_set_status(plan=plan, new_status=PlanStatus.ACTIVE, actor=actor, reason="Review completed")
    plan_review_schedule(plan=plan)
    stopped = ", ".join(line.description for line in stops) or "none"
    audit_record(
        actor=actor,
        action="plan.reviewed",
        target=plan,
        council=plan.budget.council,
        summary=f"Reviewed {plan}; lines stopped: {stopped}"[:300],
        reason=summary,
    )
    return review, (_next_version(plan, actor) if new_version else None)


def _next_version(plan: SupportPlan, actor: User) -> SupportPlan:
    latest = SupportPlan.objects.filter(person=plan.person, budget=plan.budget).aggregate(v=Max("version"))["v"]
    successor = SupportPlan.objects.create(
        person=plan.person,
        budget=plan.budget,
        version=latest + 1,
        previous=plan,
        family_own_support=plan.family_own_support,
        created_by=actor,
    )
    for outcome in plan.outcomes.all():
        Outcome.objects.create(
            plan=successor,
            domain=outcome.domain,
            description=outcome.description,
            baseline_score=outcome.review_score or outcome.baseline_score,
        )
    audit_record(
        actor=actor,
        action="plan.version_started",
        target=successor,
        council=plan.budget.council,
        summary=f"Started version {successor.version} after the review of version {plan.version}",
    )
    return successor
