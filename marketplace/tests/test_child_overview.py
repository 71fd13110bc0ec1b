"""The lead professional's one page for a child: who may open it, and its figures on hand-built data
(baseline and review scores followed across plan versions, money committed and spent per outcome)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from brokerage import ledger
from brokerage.models import Outcome, PlanStatus, RecordView, SupportPlan
from marketplace.order_request_selectors import child_overview
from marketplace.tests.order_factories import broker_for, family, member, provider

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def _plans_with_scores(tom):  # type: ignore[no-untyped-def]
    """Version 1 scored 3 → 6 at review; version 2 carries it on (baseline 6) and scores 8."""
    budget = tom.allocation.budget
    first = SupportPlan.objects.create(person=tom.person, budget=budget, version=1, status=PlanStatus.CLOSED)
    reading = Outcome.objects.create(
        plan=first, domain="enjoy_and_achieve", description="Reads", baseline_score=3, review_score=6
    )
    second = SupportPlan.objects.create(
        person=tom.person, budget=budget, version=2, previous=first, status=PlanStatus.ACTIVE
    )
    carried = Outcome.objects.create(
        plan=second, domain="enjoy_and_achieve", description="Reads", baseline_score=6, review_score=8
    )
    Outcome.objects.create(plan=second, domain="stay_safe", description="Crosses roads alone", baseline_score=2)
    return reading, carried


def _commit_and_spend(tom, outcome, committed: str, spent: str, key: str) -> None:  # type: ignore[no-untyped-def]
    ledger.commit(
        allocation=tom.allocation,
        amount=Decimal(committed),
        key=f"{key}-c",
        reference=key,
        description="x",
        outcome=outcome,
    )
    amount = Decimal(spent)
    ledger.settle(
        allocation=tom.allocation, amount=amount, key=f"{key}-s", reference=key, description="x", outcome=outcome
    )
    ledger.pay(
        allocation=tom.allocation, amount=amount, key=f"{key}-p", reference=key, description="x", outcome=outcome
    )


def test_outcomes_are_followed_across_versions_with_their_money():
    tom = family(available="3000.00")
    reading, carried = _plans_with_scores(tom)
    _commit_and_spend(tom, reading, "400.00", "150.00", "v1")
    _commit_and_spend(tom, carried, "200.00", "50.00", "v2")

    overview = child_overview(tom.person, day=TODAY)

    reads, roads = overview.progress
    assert (reads.baseline, reads.review_scores, reads.now, reads.change) == (3, [6, 8], 8, 5)
    assert (roads.baseline, roads.review_scores, roads.now) == (2, [], 2)
    assert reads.spent == Decimal("200.00")
    assert reads.committed == Decimal("600.00")  # committed for the outcome in both versions, none released
    assert roads.spent == Decimal("0.00")
    assert overview.scores_chart.rows == [
        ("Reads", ["3 out of 10", "8 out of 10"]),
        ("Crosses roads alone", ["2 out of 10", "2 out of 10"]),
    ]
    assert overview.plan.version == 2


def test_the_budget_chart_shows_what_is_left_by_stream():
    tom = family(available="3000.00")

    overview = child_overview(tom.person, day=TODAY)

    assert overview.budget_chart.rows == [(tom.allocation.stream.name, ["£3,000.00", "£3,000.00"])]


def test_the_lead_professional_opens_the_page_and_the_look_is_logged(client):
    tom = family()
    client.force_login(tom.lead_professional)

    response = client.get(reverse("marketplace:child-overview", args=[tom.person.public_id]))

    assert response.status_code == 200
    assert b"What the money achieved" in response.content
    assert RecordView.objects.filter(person=tom.person, viewer=tom.lead_professional).exists()


def test_another_lead_professional_gets_404_and_other_roles_403(access):
    tom = family()
    url = reverse("marketplace:child-overview", args=[tom.person.public_id])
    other_lead = member(Role.LEAD_PROFESSIONAL, tom.council)
    access.not_found(other_lead, url)
    access.not_found(broker_for(tom), url)
    access.forbidden(tom.parent, url)
    access.forbidden(provider().staff, url)
    access.ok(broker_for(tom, limit="100.00"), url)
    access.sign_in_required(url)
