"""The resource allocation system (RAS): scoring a completed questionnaire into an indicative budget.

Each question's points count towards one funding stream; a stream's indicative budget is its points
× its price point (£ a point, set per financial year), in pounds and pence. The family and their
worker may each complete the questionnaire for the same person; when their totals differ by more
than the council's threshold, the difference is flagged for them to talk through, and the people
involved are told.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.events import audit_record
from accounts.models import User
from accounts.notifications import notification_send_many
from accounts.templatetags.money import money_text
from brokerage.models import (
    BrokeragePolicy,
    FundingStream,
    PersonSupported,
    RASAnswer,
    RASAssessment,
    RASQuestionnaire,
)

PENNY = Decimal("0.01")
Perspective = RASAssessment.Perspective


def indicative_amount(points: int, price_per_point: Decimal) -> Decimal:
    """Points × price point, in pounds and pence (half a penny rounds up)."""
    if points < 0 or price_per_point < 0:
        raise ValueError("Points and price points are never negative")
    return (Decimal(points) * price_per_point).quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class StreamBudget:
    """One stream's part of an indicative budget. Without a price point it has points but no amount."""

    stream_name: str
    finance_code: str
    points: int
    price_per_point: Decimal | None

    @property
    def amount(self) -> Decimal | None:
        if self.price_per_point is None:
            return None
        return indicative_amount(self.points, self.price_per_point)


@dataclass(frozen=True)
class RASResult:
    streams: list[StreamBudget] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(stream.points for stream in self.streams)

    @property
    def total(self) -> Decimal:
        return sum((s.amount for s in self.streams if s.amount is not None), Decimal("0.00"))

    @property
    def unpriced(self) -> list[StreamBudget]:
        """Streams whose price point is not set yet: their points give no money until it is."""
        return [s for s in self.streams if s.price_per_point is None]


def ras_result_from_points(points_by_stream: dict[FundingStream, int]) -> RASResult:
    streams = sorted(points_by_stream, key=lambda s: s.name)
    return RASResult([StreamBudget(s.name, s.finance_code, points_by_stream[s], s.price_per_point) for s in streams])


def ras_score(assessment: RASAssessment) -> RASResult:
    """The indicative budget by stream, from the assessment's answers and the streams' price points now."""
    points: dict[FundingStream, int] = defaultdict(int)
    for question in assessment.questionnaire.questions.select_related("stream"):
        points[question.stream] += 0  # every stream the questionnaire counts towards shows, even at 0 points
    for answer in assessment.answers.select_related("question__stream"):
        points[answer.question.stream] += answer.points
    return ras_result_from_points(points)


@dataclass(frozen=True)
class RASComparison:
    """The latest family and worker assessments of the same questionnaire for one person."""

    family: RASAssessment | None
    worker: RASAssessment | None
    family_total: Decimal | None
    worker_total: Decimal | None
    threshold: Decimal

    @property
    def difference(self) -> Decimal | None:
        if self.family_total is None or self.worker_total is None:
            return None
        return abs(self.family_total - self.worker_total)

    @property
    def flagged(self) -> bool:
        return self.difference is not None and self.difference > self.threshold


def ras_difference_threshold(questionnaire: RASQuestionnaire) -> Decimal:
    policy = BrokeragePolicy.objects.filter(
        council=questionnaire.council_id, financial_year=questionnaire.financial_year
    ).first()
    return (policy or BrokeragePolicy()).ras_difference_threshold


def ras_comparison(*, person: PersonSupported, questionnaire: RASQuestionnaire) -> RASComparison:
    latest = RASAssessment.objects.filter(person=person, questionnaire=questionnaire).order_by("-completed_at", "-pk")
    family = latest.filter(perspective=Perspective.FAMILY).select_related("completed_by").first()
    worker = latest.filter(perspective=Perspective.WORKER).select_related("completed_by").first()
    return RASComparison(
        family=family,
        worker=worker,
        family_total=ras_score(family).total if family else None,
        worker_total=ras_score(worker).total if worker else None,
        threshold=ras_difference_threshold(questionnaire),
    )


def _answers_check(questionnaire: RASQuestionnaire, answers: list[RASAnswer]) -> None:
    """One answer to every question of this questionnaire, and nothing else."""
    question_ids = list(questionnaire.questions.values_list("pk", flat=True))
    if not question_ids:
        raise ValidationError("This questionnaire has no questions yet")
    answered = [answer.question_id for answer in answers]
    if any(question_id not in question_ids for question_id in answered):
        raise ValidationError("Choose answers from this questionnaire")
    if len(set(answered)) != len(answered):
        raise ValidationError("Choose one answer to each question")
    missing = set(question_ids) - set(answered)
    if missing:
        raise ValidationError(f"Answer every question: {len(missing)} not answered")


@transaction.atomic
def ras_assessment_complete(
    *,
    actor: User,
    person: PersonSupported,
    questionnaire: RASQuestionnaire,
    perspective: str,
    answers: Iterable[RASAnswer],
) -> RASAssessment:
    """Record a completed questionnaire for ``person``, from the family's or the worker's point of view.

    When it differs from the other point of view by more than the council's threshold, the person's
    lead professional and whoever completed the other one are told, so that they talk it through.
    """
    answers = list(answers)
    if questionnaire.council_id != person.council_id:
        raise ValidationError(f"This questionnaire is not one of {person.council}'s")
    if not questionnaire.is_active:
        raise ValidationError("This questionnaire is closed: choose one that is open")
    if perspective not in Perspective.values:
        raise ValidationError("Say whether the family or the worker completed it")
    _answers_check(questionnaire, answers)
    assessment = RASAssessment(person=person, questionnaire=questionnaire, perspective=perspective, completed_by=actor)
    assessment.full_clean()
    assessment.save()
    assessment.answers.set(answers)
    result = ras_score(assessment)
    comparison = ras_comparison(person=person, questionnaire=questionnaire)
    audit_record(
        actor=actor,
        action="ras.completed",
        target=person,
        council=person.council,
        summary=f"RAS {questionnaire.name} {assessment.get_perspective_display().lower()}: "
        f"{result.points} points, indicative budget {money_text(result.total)}",
        data={
            "assessment": str(assessment.public_id),
            "perspective": perspective,
            "streams": {s.stream_name: [s.points, str(s.price_per_point), str(s.amount)] for s in result.streams},
            "total": str(result.total),
            "difference_flagged": comparison.flagged,
        },
    )
    if comparison.flagged:
        _difference_notify(actor=actor, person=person, assessment=assessment, comparison=comparison)
    return assessment


def _difference_notify(
    *, actor: User, person: PersonSupported, assessment: RASAssessment, comparison: RASComparison
) -> None:
    other = comparison.worker if assessment.perspective == Perspective.FAMILY else comparison.family
    recipients = [user for user in (person.lead_professional, other.completed_by if other else None) if user]
    recipients = [user for user in recipients if user.pk != actor.pk]
    if not recipients:
        return
    notification_send_many(
        recipients=recipients,
        subject=f"The RAS results for {person.first_name} differ by {money_text(comparison.difference)}",
        body=(
            f"The family's indicative budget is {money_text(comparison.family_total)} and the worker's is "
            f"{money_text(comparison.worker_total)}: more than the {money_text(comparison.threshold)} your council "
            f"asks you to talk through. Look at both answers together with {person.first_name}'s family "
            "before planning."
        ),
        link=reverse("brokerage:ras-result", args=[assessment.public_id]),
    )
