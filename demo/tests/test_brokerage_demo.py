"""The brokerage demo builder: Tom's year in numbers, the other families, and a second run creating nothing."""

from decimal import Decimal

import pytest

from brokerage.models import (
    ApprovalRequest,
    FamilySpend,
    PersonSupported,
    PlanLine,
    PlanStatus,
    RASAssessment,
    RecordView,
    SupportPlan,
)
from brokerage.services.ras import ras_comparison
from brokerage.statements import budget_statement
from demo.builders import accounts, brokerage
from demo.context import DemoContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def built() -> DemoContext:
    ctx = DemoContext()
    accounts.build(ctx)
    brokerage.build(ctx)
    return ctx


def counts() -> dict[str, int]:
    models = (PersonSupported, SupportPlan, PlanLine, ApprovalRequest, RecordView, RASAssessment, FamilySpend)
    return {model.__name__: model.objects.count() for model in models}


def test_toms_plan_was_approved_at_once_and_the_conference_added_the_locality_fund(built):
    tom = PersonSupported.objects.get(first_name="Tom")
    first = tom.plans.get(version=1)

    assert sum(line.total for line in first.lines.all()) == Decimal("2690.80")
    assert not first.approval_requests.exists()
    conference = tom.plans.get(version=3)
    request = conference.approval_requests.get()
    assert (request.decision, request.amount_approved) == (ApprovalRequest.Decision.APPROVED, Decimal("1500.00"))
    statement = budget_statement(tom.budgets.get())
    assert [f.allocated for f in statement.allocations if f.allocation.locality_fund_id] == [Decimal("1500.00")]
    assert statement.total("allocated") == Decimal("4500.00")
    # After the review: tuition released, counselling extended, the conference paid from the locality fund.
    assert statement.total("available") == Decimal("555.20")
    assert tom.team.count() == 2 and tom.team_meetings.exists()


def test_the_other_families_have_plans_approved_or_waiting(built):
    assert PersonSupported.objects.get(first_name="A").plans.get().status == PlanStatus.ACTIVE
    jonathan_plan = PersonSupported.objects.get(first_name="Jonathan").plans.get()
    assert jonathan_plan.status == PlanStatus.ACTIVE and jonathan_plan.approval_requests.get().decided_by
    johnny_request = PersonSupported.objects.get(first_name="Johnny").plans.get().approval_requests.get()
    assert johnny_request.decision == ApprovalRequest.Decision.WAITING


def test_active_plans_have_a_review_due(built):
    active = SupportPlan.objects.filter(status=PlanStatus.ACTIVE)
    assert active.exists()
    assert all(plan.reviews.filter(completed_on__isnull=True).exists() for plan in active)


def test_a_second_run_creates_nothing(built):
    before = counts()

    brokerage.build(built)

    assert counts() == before


def test_toms_mother_and_the_school_nurse_completed_the_ras_and_the_difference_is_flagged(built):
    tom = PersonSupported.objects.get(first_name="Tom")
    assessments = tom.ras_assessments.all()
    assert sorted(a.perspective for a in assessments) == [
        RASAssessment.Perspective.FAMILY,
        RASAssessment.Perspective.WORKER,
    ]
    comparison = ras_comparison(person=tom, questionnaire=assessments[0].questionnaire)
    # Family: 45 + 50 points at £10; worker: 20 points at £10; more apart than the £500 threshold.
    assert (comparison.family_total, comparison.worker_total) == (Decimal("950.00"), Decimal("200.00"))
    assert comparison.flagged


def test_as_mother_was_paid_direct_payments_and_recorded_the_helpers_pay(built):
    a = PersonSupported.objects.get(first_name="A")
    statement = budget_statement(a.budgets.get())
    spends = FamilySpend.objects.filter(allocation__budget__person=a)
    assert spends.count() == 3
    assert statement.total("direct_payments") > 0
    assert statement.total("spent") == sum(spend.amount for spend in spends)
