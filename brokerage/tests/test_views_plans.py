"""Budgets, the plan builder, submission, the manager's queue, the team and reviews, through the screens.

Tom's year from DOMAIN.md: his school nurse (alice) builds the plan with his mother and it is approved
at once at £2,690.80; the family group conference goes to the budget-holding manager, whose approval
adds £1,500.00 from the locality fund.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from brokerage import ledger
from brokerage.models import ApprovalRequest, DelegatedAuthority, PlanReview, PlanStatus, SupportPlan
from brokerage.services.plans import allocation_add, budget_create, plan_create, plan_line_add, plan_status_change
from brokerage.statements import budget_statement
from brokerage.tests.factories import FundingStreamFactory, LocalityFundFactory
from brokerage.tests.test_views_people import case  # noqa: F401  (the fixture)
from providers.models import TaxonomyTerm

pytestmark = pytest.mark.django_db


@pytest.fixture
def tom(case):  # noqa: F811
    """Tom's early-help budget of £3,000, £3,000 delegated to lead professionals, a locality fund."""
    stream = FundingStreamFactory(council=case.council)
    ledger.stream_fund(stream=stream, amount=D("50000.00"), key="fund")
    DelegatedAuthority.objects.create(
        council=case.council, financial_year=2026, role=Role.LEAD_PROFESSIONAL, limit_per_person=D("3000.00")
    )
    budget = budget_create(
        person=case.person,
        actor=case.alice,
        financial_year=2026,
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2027, 3, 31),
    )
    allocation_add(budget=budget, actor=case.alice, stream=stream, held_as="council_managed", amount=D("3000.00"))
    manager = user_with_role(Role.BUDGET_HOLDING_MANAGER, case.council, first_name="Manager")
    fund = LocalityFundFactory(stream=stream, council=case.council)
    fund.managers.add(manager)
    ledger.locality_fund_fund(fund=fund, amount=D("20000.00"), key="locality")
    case.budget, case.stream, case.manager, case.fund = budget, stream, manager, fund
    return case


def _line(stream, description, category, quantity, unit_cost, frequency="one_off", periods=1, **extra):  # type: ignore[no-untyped-def]
    return {
        "description": description,
        "category": TaxonomyTerm.objects.get(code=category).pk,
        "given_by": "provider",
        "stream": stream.pk,
        "quantity": quantity,
        "unit": extra.pop("unit", "session"),
        "unit_cost": unit_cost,
        "frequency": frequency,
        "periods": periods,
        **extra,
    }


TOMS_LINES = [
    ("Tuition", "tuition", "2", "20.00", "weekly", 39, {"unit": "hour"}),
    ("Petrol money to his uncle", "transport", "2", "6.00", "weekly", 39, {"unit": "trip"}),
    ("Counselling", "counselling", "10", "45.00", "one_off", 1, {}),
    ("Taxi to counselling", "transport", "10", "14.00", "one_off", 1, {"unit": "trip"}),
    ("Bus fares", "transport", "10", "5.20", "one_off", 1, {"by_direct_payment": "on", "unit": "trip"}),
    ("Parents' group fares", "transport", "8", "2.60", "one_off", 1, {"by_direct_payment": "on", "unit": "trip"}),
]


def _build_toms_plan(client, tom) -> SupportPlan:  # type: ignore[no-untyped-def]
    client.force_login(tom.alice)
    client.post(reverse("brokerage:plan-add", args=[tom.budget.public_id]), {"family_own_support": "Uncle drives"})
    plan = SupportPlan.objects.get(budget=tom.budget)
    plan_url = reverse("brokerage:plan", args=[plan.public_id])
    response = client.post(
        reverse("brokerage:plan-outcome-add", args=[plan.public_id]),
        {"domain": "enjoy_and_achieve", "description": "Tom reads at his age level by July", "baseline_score": 3},
    )
    assert response["Location"] == plan_url
    for description, category, quantity, cost, frequency, periods, extra in TOMS_LINES:
        response = client.post(
            reverse("brokerage:plan-line-add", args=[plan.public_id]),
            _line(tom.stream, description, category, quantity, cost, frequency, periods, **extra),
        )
        assert response.status_code == 302, response.content.decode()
    return plan


def test_toms_plan_built_on_screen_is_approved_at_once_within_delegated_authority(client, tom):
    plan = _build_toms_plan(client, tom)
    page = client.get(reverse("brokerage:plan", args=[plan.public_id])).content.decode()
    assert "£2,690.80" in page
    assert "Record that the family agrees" in page

    client.post(reverse("brokerage:plan-status", args=[plan.public_id]), {"new_status": "agreed"})
    response = client.post(reverse("brokerage:plan-submit", args=[plan.public_id]), {"reason": ""})

    plan.refresh_from_db()
    assert response.status_code == 302 and plan.status == PlanStatus.ACTIVE
    assert budget_statement(tom.budget).total("committed") == D("2690.80")
    assert plan.reviews.filter(completed_on__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="plan.approved", target_id=str(plan.public_id)).exists()


def test_a_line_the_stream_may_not_pay_for_is_refused_with_the_reason(client, tom):
    tom.stream.excluded_by_direct_payment.add(TaxonomyTerm.objects.get(code="residential-short-breaks"))
    tom.stream.restriction_note = "Direct payments cannot buy residential services."
    tom.stream.save()
    plan = plan_create(budget=tom.budget, actor=tom.alice)
    client.force_login(tom.alice)

    response = client.post(
        reverse("brokerage:plan-line-add", args=[plan.public_id]),
        _line(tom.stream, "Overnight stay", "residential-short-breaks", "2", "150.00", by_direct_payment="on"),
    )

    assert response.status_code == 200
    assert "Direct payments cannot buy residential services." in response.content.decode()
    assert not plan.lines.exists()


def test_pa_pay_below_the_national_living_wage_is_shown_as_a_warning(client, tom):
    plan = plan_create(budget=tom.budget, actor=tom.alice)
    client.force_login(tom.alice)
    client.post(
        reverse("brokerage:plan-line-add", args=[plan.public_id]),
        _line(tom.stream, "Church helper", "pa-support", "28", "8.45", unit="hour", is_pa_wage="on"),
    )

    page = client.get(reverse("brokerage:plan", args=[plan.public_id])).content.decode()
    assert "below the National Living Wage" in page


def test_above_delegated_authority_the_manager_approves_from_the_locality_fund_and_both_are_told(client, tom):
    plan = plan_create(budget=tom.budget, actor=tom.alice)
    plan_line_add(
        plan=plan,
        actor=tom.alice,
        description="Family group conference",
        category=TaxonomyTerm.objects.get(code="family-group-conferencing"),
        stream=tom.stream,
        quantity=D("1"),
        unit="session",
        unit_cost=D("3500.00"),
        frequency="one_off",
        periods=1,
    )
    plan_status_change(plan=plan, actor=tom.alice, new_status=PlanStatus.AGREED)
    client.force_login(tom.alice)
    client.post(reverse("brokerage:plan-submit", args=[plan.public_id]), {"reason": "A crisis is coming"})

    request = ApprovalRequest.objects.get(plan=plan)
    assert "A crisis is coming" in request.reason
    assert Notification.objects.filter(recipient=tom.manager, link=f"/budgets/approvals/{request.public_id}/").exists()
    client.force_login(tom.manager)
    queue = client.get(reverse("brokerage:approvals")).content.decode()
    assert "Tom Walsh" in queue and "£3,500.00" in queue
    assert "A crisis is coming" in client.get(reverse("brokerage:approvals-export")).content.decode()

    response = client.post(
        reverse("brokerage:approval", args=[request.public_id]),
        {"decision": "approved", "locality_fund": tom.fund.pk, "amount": "3500.00", "reason": "Worth it"},
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    locality = [f.allocated for f in budget_statement(tom.budget).allocations if f.allocation.locality_fund_id]
    assert locality == [D("3500.00")]
    assert Notification.objects.filter(recipient=tom.alice, subject__contains="approved").exists()


def test_declining_needs_a_reason(client, tom):
    plan = plan_create(budget=tom.budget, actor=tom.alice)
    plan_line_add(
        plan=plan,
        actor=tom.alice,
        description="Residential",
        category=TaxonomyTerm.objects.get(code="counselling"),
        stream=tom.stream,
        quantity=D("1"),
        unit="session",
        unit_cost=D("4000.00"),
        frequency="one_off",
        periods=1,
    )
    plan_status_change(plan=plan, actor=tom.alice, new_status=PlanStatus.AGREED)
    client.force_login(tom.alice)
    client.post(reverse("brokerage:plan-submit", args=[plan.public_id]), {"reason": ""})
    request = ApprovalRequest.objects.get(plan=plan)
    client.force_login(tom.manager)

    response = client.post(reverse("brokerage:approval", args=[request.public_id]), {"decision": "declined"})

    assert response.status_code == 200 and "Give a reason" in response.content.decode()
    decline = {"decision": "declined", "reason": "Try the local offer"}
    client.post(reverse("brokerage:approval", args=[request.public_id]), decline)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_budget_and_plan_pages_are_hidden_outside_consent_and_refused_to_other_roles(access, tom):
    plan = plan_create(budget=tom.budget, actor=tom.alice)
    line, _ = plan_line_add(
        plan=plan,
        actor=tom.alice,
        description="Counselling",
        category=TaxonomyTerm.objects.get(code="counselling"),
        stream=tom.stream,
        quantity=D("10"),
        unit="session",
        unit_cost=D("45.00"),
        frequency="one_off",
        periods=1,
    )
    pages = [
        reverse("brokerage:budget", args=[tom.budget.public_id]),
        reverse("brokerage:plan", args=[plan.public_id]),
        reverse("brokerage:team", args=[tom.person.public_id]),
    ]
    changes = [
        reverse("brokerage:budget-add", args=[tom.person.public_id]),
        reverse("brokerage:allocation-add", args=[tom.budget.public_id]),
        reverse("brokerage:plan-add", args=[tom.budget.public_id]),
        reverse("brokerage:plan-outcome-add", args=[plan.public_id]),
        reverse("brokerage:plan-line-add", args=[plan.public_id]),
        reverse("brokerage:plan-submit", args=[plan.public_id]),
        reverse("brokerage:plan-review", args=[plan.public_id]),
        reverse("brokerage:team-member-add", args=[tom.person.public_id]),
        reverse("brokerage:team-meeting-add", args=[tom.person.public_id]),
    ]
    posts = [
        reverse("brokerage:plan-status", args=[plan.public_id]),
        reverse("brokerage:plan-line-remove", args=[plan.public_id, line.public_id]),
    ]
    for url in pages:
        access.ok(tom.alice, url)
        access.ok(tom.mother, url)
    for url in pages + changes:
        access.not_found(tom.bob, url)
        access.not_found(tom.carol, url)
        access.forbidden(tom.commissioner, url)
    for url in changes:
        access.ok(tom.alice, url)
        access.forbidden(tom.mother, url)
    for url in posts:
        access.not_found(tom.bob, url, method="post")
        access.forbidden(tom.mother, url, method="post")


def test_the_approval_queue_is_for_the_councils_managers_only(access, tom):
    plan = plan_create(budget=tom.budget, actor=tom.alice)
    request = ApprovalRequest.objects.create(
        plan=plan, requested_by=tom.alice, amount_requested=D("1500.00"), reason="More than your delegated authority"
    )
    detail = reverse("brokerage:approval", args=[request.public_id])

    access.ok(tom.manager, detail)
    access.not_found(user_with_role(Role.BUDGET_HOLDING_MANAGER), detail)
    for url in (reverse("brokerage:approvals"), reverse("brokerage:approvals-export"), detail):
        access.forbidden(tom.alice, url)
        access.forbidden(tom.mother, url)


def test_team_members_join_only_with_the_familys_consent_and_meetings_record_decisions(client, tom):
    client.force_login(tom.alice)
    team_add = reverse("brokerage:team-member-add", args=[tom.person.public_id])

    refused = client.post(team_add, {"name": "Ms Jones", "role": "Class teacher"})
    assert refused.status_code == 200 and "once the family has agreed" in refused.content.decode()
    client.post(team_add, {"name": "Ms Jones", "role": "Class teacher", "family_consented": "on"})
    member = tom.person.team.get()
    client.post(
        reverse("brokerage:team-meeting-add", args=[tom.person.public_id]),
        {"held_on": "12/5/2026", "attendees": [member.pk], "decisions": "Tuition twice a week"},
    )

    client.force_login(tom.mother)
    page = client.get(reverse("brokerage:team", args=[tom.person.public_id])).content.decode()
    assert "Ms Jones" in page and "Tuition twice a week" in page
    assert AuditEvent.objects.filter(action="team.meeting_recorded").exists()


def test_a_review_rescored_stops_a_line_and_starts_the_next_version(client, tom, time_machine):
    time_machine.move_to("2026-04-10 10:00:00+01:00", tick=False)
    plan = _build_toms_plan(client, tom)
    plan_status_change(plan=plan, actor=tom.alice, new_status=PlanStatus.AGREED)
    client.post(reverse("brokerage:plan-submit", args=[plan.public_id]), {"reason": ""})
    plan.refresh_from_db()
    assert plan.review_due_on == datetime.date(2026, 10, 10)

    time_machine.move_to("2026-09-20 10:00:00+01:00", tick=False)
    client.force_login(tom.mother)
    assert "Overdue" not in client.get(reverse("brokerage:reviews")).content.decode()
    assert "version 1" in client.get(reverse("brokerage:reviews")).content.decode()
    client.force_login(tom.alice)
    review_url = reverse("brokerage:plan-review", args=[plan.public_id])
    client.post(review_url)
    tuition = plan.lines.get(description="Tuition")
    outcome = plan.outcomes.get()
    response = client.post(
        review_url,
        {
            f"score_{outcome.pk}": 6,
            f"stop_{tuition.pk}": "on",
            f"delivered_{tuition.pk}": "960.00",
            "summary": "Reading is better; tuition can stop",
            "new_version": "on",
        },
    )

    successor = SupportPlan.objects.get(previous=plan)
    assert response["Location"] == reverse("brokerage:plan", args=[successor.public_id])
    assert successor.version == 2 and successor.status == PlanStatus.DRAFT
    assert successor.outcomes.get().baseline_score == 6
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    assert PlanReview.objects.get(plan=plan, completed_on__isnull=False).summary.startswith("Reading")
    assert budget_statement(tom.budget).total("committed") == D("2090.80")
