"""Plans for the family workspace tests, on top of the order tests' Tom (marketplace.tests.order_factories)."""

import datetime
from decimal import Decimal

from brokerage.models import Outcome, OutcomeDomain, PlanLine, PlanStatus, SupportPlan
from marketplace.tests.order_factories import Family
from providers.models import TaxonomyTerm


def plan_for(tom: Family, *, status: str = PlanStatus.DRAFT, **fields) -> SupportPlan:  # type: ignore[no-untyped-def]
    return SupportPlan.objects.create(person=tom.person, budget=tom.allocation.budget, status=status, **fields)


def outcome_for(plan: SupportPlan, description: str = "Tom goes swimming with friends every week") -> Outcome:
    return Outcome.objects.create(
        plan=plan, domain=OutcomeDomain.ENJOY_AND_ACHIEVE, description=description, baseline_score=3
    )


def line_for(plan: SupportPlan, *, outcome: Outcome | None = None, **fields) -> PlanLine:  # type: ignore[no-untyped-def]
    values = {
        "description": "Maths tuition",
        "given_by": PlanLine.Giver.PROVIDER,
        "quantity": Decimal("2"),
        "unit": "hour",
        "unit_cost": Decimal("20.00"),
        "frequency": "weekly",
        "periods": 10,
        "starts_on": datetime.date(2026, 4, 6),
        **fields,
    }
    return PlanLine.objects.create(
        plan=plan,
        outcome=outcome,
        category=TaxonomyTerm.objects.first(),
        stream=plan.budget.allocations.first().stream,
        **values,
    )
