from decimal import Decimal as D

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from brokerage import ledger
from brokerage.exceptions import BrokerageError, TransitionNotAllowed
from brokerage.models import ApprovalRequest, DelegatedAuthority, LineFrequency, PlanLine, PlanStatus, SupportPlan
from brokerage.services.plans import approval_decide, plan_approve, plan_line_check, plan_line_stop, plan_set_status
from brokerage.statements import budget_statement
from brokerage.tests.factories import AllocationFactory, LocalityFundFactory
from providers.models import TaxonomyTerm

pytestmark = pytest.mark.django_db


def term(code):
    return TaxonomyTerm.objects.get(code=code)


@pytest.fixture
def tom():
    """Tom's early-help budget: £3,000 delegated to his school nurse, a locality fund behind it."""
    allocation = AllocationFactory()
    budget = allocation.budget
    ledger.stream_fund(stream=allocation.stream, amount=D("50000.00"), key="fund")
    ledger.allocate(allocation=allocation, amount=D("3000.00"), key="tom")
    DelegatedAuthority.objects.create(
        council=budget.council, financial_year=2026, role=Role.LEAD_PROFESSIONAL, limit_per_person=D("3000.00")
    )
    nurse, manager = UserFactory(first_name="School nurse"), UserFactory(first_name="Manager")
    fund = LocalityFundFactory(stream=allocation.stream, council=budget.council)
    fund.managers.add(manager)
    ledger.locality_fund_fund(fund=fund, amount=D("20000.00"), key="locality")
    return {"allocation": allocation, "budget": budget, "nurse": nurse, "manager": manager, "fund": fund}


def _plan(tom, status=PlanStatus.SUBMITTED, version=1):
    return SupportPlan.objects.create(person=tom["budget"].person, budget=tom["budget"], status=status, version=version)


def _line(plan, description, category, quantity, unit_cost, frequency=LineFrequency.ONE_OFF, periods=1, **extra):
    return PlanLine.objects.create(
        plan=plan,
        description=description,
        category=term(category),
        stream=extra.pop("stream", plan.budget.allocations.first().stream),
        quantity=D(quantity),
        unit=extra.pop("unit", "session"),
        unit_cost=D(unit_cost),
        frequency=frequency,
        periods=periods,
        **extra,
    )


def _toms_plan(tom):
    plan = _plan(tom)
    lines = {
        "tuition": _line(plan, "Tuition", "tuition", "2", "20.00", LineFrequency.WEEKLY, 39, unit="hour"),
        "petrol": _line(plan, "Petrol money to his uncle", "transport", "2", "6.00", LineFrequency.WEEKLY, 39),
        "counselling": _line(plan, "Counselling", "counselling", "10", "45.00"),
        "taxi": _line(plan, "Taxi to counselling", "transport", "10", "14.00"),
        "bus": _line(plan, "Bus fares", "transport", "10", "5.20", by_direct_payment=True),
        "parents": _line(plan, "Parents' group fares", "transport", "8", "2.60", by_direct_payment=True),
    }
    return plan, lines


def test_toms_plan_is_approved_at_once_within_delegated_authority(tom):
    plan, lines = _toms_plan(tom)
    assert sum(line.total for line in lines.values()) == D("2690.80")

    result = plan_approve(plan=plan, actor=tom["nurse"], role=Role.LEAD_PROFESSIONAL)

    assert isinstance(result, SupportPlan)
    assert result.status == PlanStatus.ACTIVE
    assert budget_statement(tom["budget"]).total("committed") == D("2690.80")
    assert budget_statement(tom["budget"]).total("available") == D("309.20")


def test_approving_again_never_commits_a_line_twice(tom):
    plan, _ = _toms_plan(tom)
    plan_approve(plan=plan, actor=tom["nurse"], role=Role.LEAD_PROFESSIONAL)

    plan_set_status(plan=plan, new_status=PlanStatus.UNDER_REVIEW, actor=tom["nurse"])
    with pytest.raises(TransitionNotAllowed):
        plan_approve(plan=plan, actor=tom["nurse"], role=Role.LEAD_PROFESSIONAL)

    assert budget_statement(tom["budget"]).total("committed") == D("2690.80")


def test_family_group_conference_goes_to_the_manager_who_adds_the_locality_fund_allocation(tom):
    plan, lines = _toms_plan(tom)
    plan_approve(plan=plan, actor=tom["nurse"], role=Role.LEAD_PROFESSIONAL)
    # Six months on: tuition stops after £960 delivered, counselling and taxis extend.
    plan_line_stop(line=lines["tuition"], actor=tom["nurse"], delivered=D("960.00"), on="2026-10-01")
    review = _plan(tom, version=2)
    _line(review, "Counselling, 6 more sessions", "counselling", "6", "45.00")
    _line(review, "Taxi, 6 more trips", "transport", "6", "14.00")
    plan_approve(plan=review, actor=tom["nurse"], role=Role.LEAD_PROFESSIONAL)
    assert budget_statement(tom["budget"]).total("available") == D("555.20")

    conference_plan = _plan(tom, version=3)
    _line(conference_plan, "Family group conference", "family-group-conferencing", "1", "1500.00")
    request = plan_approve(plan=conference_plan, actor=tom["nurse"], role=Role.LEAD_PROFESSIONAL)

    assert isinstance(request, ApprovalRequest)
    assert request.amount_requested == D("1500.00")
    assert request.figures["available"] == "555.20"
    conference_plan.refresh_from_db()
    assert conference_plan.status == PlanStatus.SUBMITTED

    approval_decide(
        request=request,
        manager=tom["manager"],
        decision=ApprovalRequest.Decision.APPROVED,
        locality_fund=tom["fund"],
        reason="A conference now saves a crisis later",
    )

    statement = budget_statement(tom["budget"])
    locality = [f for f in statement.allocations if f.allocation.locality_fund_id]
    assert [f.allocated for f in locality] == [D("1500.00")]
    assert statement.total("allocated") == D("4500.00")
    # The conference is paid from the locality fund; Tom's own money is still there for the residential.
    assert statement.total("available") == D("555.20")
    conference_plan.refresh_from_db()
    assert conference_plan.status == PlanStatus.ACTIVE


def test_a_manager_may_only_approve_from_a_fund_they_manage(tom):
    plan = _plan(tom)
    _line(plan, "Family group conference", "family-group-conferencing", "1", "3500.00")
    request = plan_approve(plan=plan, actor=tom["nurse"], role=Role.LEAD_PROFESSIONAL)

    with pytest.raises(BrokerageError, match="do not manage"):
        approval_decide(
            request=request,
            manager=UserFactory(),
            decision=ApprovalRequest.Decision.APPROVED,
            locality_fund=tom["fund"],
        )


def test_a_declined_request_needs_a_reason_and_returns_the_plan_to_draft(tom):
    plan = _plan(tom)
    _line(plan, "Residential short break", "residential-short-breaks", "1", "4000.00")
    request = plan_approve(plan=plan, actor=tom["nurse"], role=Role.LEAD_PROFESSIONAL)

    with pytest.raises(BrokerageError, match="reason"):
        approval_decide(request=request, manager=tom["manager"], decision=ApprovalRequest.Decision.DECLINED)
    approval_decide(
        request=request,
        manager=tom["manager"],
        decision=ApprovalRequest.Decision.DECLINED,
        reason="Try respite at home",
    )

    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert budget_statement(tom["budget"]).total("committed") == D("0.00")


def test_a_stream_refuses_what_it_may_not_buy_with_the_reason(tom):
    stream = tom["allocation"].stream
    stream.excluded_by_direct_payment.add(term("residential-short-breaks"))
    stream.restriction_note = "Direct payments cannot buy residential services."
    stream.save()
    plan = _plan(tom)
    line = _line(plan, "Overnight stay", "residential-short-breaks", "2", "150.00", by_direct_payment=True)

    check = plan_line_check(line)

    assert check.refusals == [
        "Early help (flexible funding) cannot pay for residential short breaks by direct payment. "
        "Direct payments cannot buy residential services."
    ]
    with pytest.raises(BrokerageError, match="residential"):
        plan_approve(plan=plan, actor=tom["nurse"], role=Role.LEAD_PROFESSIONAL)


def test_a_child_category_is_refused_when_its_parent_is_excluded(tom):
    tom["allocation"].stream.excluded_categories.add(term("short-breaks"))
    line = _line(_plan(tom), "Sitter", "respite-at-home", "4", "15.00")

    assert plan_line_check(line).refusals


def test_pa_pay_below_the_national_living_wage_is_flagged(tom):
    line = _line(_plan(tom), "Church helper", "pa-support", "28", "8.45", unit="hour", is_pa_wage=True)

    assert plan_line_check(line).warnings == ["£8.45 an hour is below the National Living Wage of £12.71 an hour"]


def test_the_same_support_from_another_stream_at_the_same_time_is_flagged_as_double_funding(tom):
    from brokerage.tests.factories import FundingStreamFactory

    social_care = FundingStreamFactory(council=tom["budget"].council, name="Social care")
    approved = _plan(tom, status=PlanStatus.ACTIVE)
    _line(approved, "Speech therapy", "speech-and-language-therapy", "10", "60.00", stream=social_care)
    line = _line(_plan(tom, version=2), "Speech therapy", "speech-and-language-therapy", "10", "60.00")

    assert any("paid for twice" in warning for warning in plan_line_check(line).warnings)


def test_no_delegated_authority_means_every_plan_goes_to_a_manager(tom):
    plan = _plan(tom)
    _line(plan, "Counselling", "counselling", "2", "45.00")

    result = plan_approve(plan=plan, actor=UserFactory(), role=Role.BROKER)

    assert isinstance(result, ApprovalRequest)
