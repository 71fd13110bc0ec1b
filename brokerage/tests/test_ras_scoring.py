"""Scoring the RAS: points × each stream's price point, in pence, and the family/worker difference."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, UserFactory, user_with_role
from brokerage.models import BrokeragePolicy, RASAssessment
from brokerage.services.ras import (
    RASResult,
    StreamBudget,
    indicative_amount,
    ras_assessment_complete,
    ras_comparison,
    ras_score,
)
from brokerage.tests.factories import (
    FundingStreamFactory,
    PersonSupportedFactory,
    RASQuestionnaireFactory,
    ras_question,
)

FAMILY, WORKER = RASAssessment.Perspective.FAMILY, RASAssessment.Perspective.WORKER

prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("999999.99"), places=2)
points = st.integers(min_value=0, max_value=32767)


@given(st.lists(st.tuples(points, st.one_of(st.none(), prices)), max_size=8))
def test_the_total_is_the_sum_of_the_streams_in_pence_and_never_negative(parts):
    result = RASResult([StreamBudget(f"Stream {i}", f"S{i}", p, price) for i, (p, price) in enumerate(parts)])

    priced = [s.amount for s in result.streams if s.amount is not None]
    assert result.total == sum(priced, Decimal("0.00"))
    assert result.total >= 0
    assert result.total == result.total.quantize(Decimal("0.01"))
    assert all(amount == amount.quantize(Decimal("0.01")) and amount >= 0 for amount in priced)
    assert result.points == sum(p for p, _ in parts)


@given(points, st.decimals(min_value=Decimal("0"), max_value=Decimal("9999"), places=4))
def test_an_amount_is_points_times_price_rounded_half_up_to_the_penny(p, price):
    exact = Decimal(p) * price
    amount = indicative_amount(p, price)

    assert abs(amount - exact) <= Decimal("0.005")
    assert amount == amount.quantize(Decimal("0.01"))


def test_half_a_penny_rounds_up():
    assert indicative_amount(1, Decimal("0.005")) == Decimal("0.01")
    assert indicative_amount(3, Decimal("0.125")) == Decimal("0.38")


def test_negative_points_or_prices_are_refused():
    with pytest.raises(ValueError):
        indicative_amount(-1, Decimal("71.00"))
    with pytest.raises(ValueError):
        indicative_amount(1, Decimal("-71.00"))


@pytest.fixture
def tom_ras(db):
    """Two questions for social care at £71 a point, one for early help at £10, one for a stream
    without a price point yet."""
    council = CouncilFactory(name="Coventry")
    social_care = FundingStreamFactory(council=council, name="Social care", price_per_point=Decimal("71.00"))
    early_help = FundingStreamFactory(council=council, name="Early help", price_per_point=Decimal("10.00"))
    unpriced = FundingStreamFactory(council=council, name="Short breaks", price_per_point=None)
    questionnaire = RASQuestionnaireFactory(council=council)
    ras_question(questionnaire, social_care, "Personal care", [("No help", 0), ("Some help", 5), ("A lot", 12)])
    ras_question(questionnaire, social_care, "Nights", [("Sleeps well", 0), ("Up most nights", 8)])
    ras_question(questionnaire, early_help, "Getting to school", [("Fine", 0), ("Needs help", 6)])
    ras_question(questionnaire, unpriced, "Breaks for carers", [("None needed", 0), ("Weekly", 4)])
    person = PersonSupportedFactory(council=council)
    return questionnaire, person


def answers(questionnaire, *texts):
    chosen = []
    for question, text in zip(questionnaire.questions.order_by("order"), texts, strict=True):
        chosen.append(question.answers.get(text=text))
    return chosen


def test_an_assessment_gives_the_indicative_budget_by_stream(tom_ras):
    questionnaire, person = tom_ras

    assessment = ras_assessment_complete(
        actor=UserFactory(),
        person=person,
        questionnaire=questionnaire,
        perspective=WORKER,
        answers=answers(questionnaire, "Some help", "Up most nights", "Needs help", "Weekly"),
    )

    result = ras_score(assessment)
    by_stream = {s.stream_name: (s.points, s.amount) for s in result.streams}
    assert by_stream == {
        "Early help": (6, Decimal("60.00")),
        "Short breaks": (4, None),
        "Social care": (13, Decimal("923.00")),
    }
    assert result.total == Decimal("983.00")
    assert [s.stream_name for s in result.unpriced] == ["Short breaks"]
    event = AuditEvent.objects.get(action="ras.completed")
    assert event.data["total"] == "983.00" and event.council == person.council


def test_every_question_must_be_answered_once(tom_ras):
    questionnaire, person = tom_ras
    some = answers(questionnaire, "Some help", "Up most nights", "Needs help", "Weekly")

    with pytest.raises(ValidationError, match="Answer every question"):
        ras_assessment_complete(
            actor=UserFactory(), person=person, questionnaire=questionnaire, perspective=FAMILY, answers=some[:3]
        )
    with pytest.raises(ValidationError, match="one answer to each question"):
        ras_assessment_complete(
            actor=UserFactory(),
            person=person,
            questionnaire=questionnaire,
            perspective=FAMILY,
            answers=[*some, some[0].question.answers.get(text="A lot")],
        )
    assert not RASAssessment.objects.exists()


def test_another_councils_questionnaire_is_refused(tom_ras):
    questionnaire, _ = tom_ras
    elsewhere = PersonSupportedFactory()

    with pytest.raises(ValidationError, match="not one of"):
        ras_assessment_complete(
            actor=UserFactory(),
            person=elsewhere,
            questionnaire=questionnaire,
            perspective=FAMILY,
            answers=answers(questionnaire, "No help", "Sleeps well", "Fine", "None needed"),
        )


def test_a_difference_over_the_threshold_is_flagged_and_both_are_told(tom_ras):
    questionnaire, person = tom_ras
    BrokeragePolicy.objects.create(
        council=person.council, financial_year=2026, ras_difference_threshold=Decimal("500.00")
    )
    lead = user_with_role(Role.LEAD_PROFESSIONAL, person.council)
    person.lead_professional = lead
    person.save()
    mother = UserFactory()
    ras_assessment_complete(
        actor=lead,
        person=person,
        questionnaire=questionnaire,
        perspective=WORKER,
        answers=answers(questionnaire, "Some help", "Sleeps well", "Fine", "None needed"),
    )  # £355.00

    ras_assessment_complete(
        actor=mother,
        person=person,
        questionnaire=questionnaire,
        perspective=FAMILY,
        answers=answers(questionnaire, "A lot", "Sleeps well", "Needs help", "None needed"),
    )  # £912.00

    comparison = ras_comparison(person=person, questionnaire=questionnaire)
    assert (comparison.family_total, comparison.worker_total) == (Decimal("912.00"), Decimal("355.00"))
    assert comparison.difference == Decimal("557.00") and comparison.flagged
    told = Notification.objects.get()
    assert told.recipient == lead and "£557.00" in told.subject


def test_a_difference_within_the_threshold_is_not_flagged(tom_ras):
    questionnaire, person = tom_ras
    for perspective, first in ((WORKER, "Some help"), (FAMILY, "A lot")):
        ras_assessment_complete(
            actor=UserFactory(),
            person=person,
            questionnaire=questionnaire,
            perspective=perspective,
            answers=answers(questionnaire, first, "Sleeps well", "Fine", "None needed"),
        )

    comparison = ras_comparison(person=person, questionnaire=questionnaire)
    # 7 points at £71 apart, and the default threshold (no policy set) is £500.00.
    assert comparison.difference == Decimal("497.00") and not comparison.flagged
    assert not Notification.objects.exists()


def test_only_one_point_of_view_gives_no_difference(tom_ras):
    questionnaire, person = tom_ras
    ras_assessment_complete(
        actor=UserFactory(),
        person=person,
        questionnaire=questionnaire,
        perspective=FAMILY,
        answers=answers(questionnaire, "A lot", "Up most nights", "Needs help", "Weekly"),
    )

    comparison = ras_comparison(person=person, questionnaire=questionnaire)
    assert comparison.worker is None and comparison.difference is None and not comparison.flagged
