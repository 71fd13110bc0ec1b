"""An individual service fund ready to use: Sunrise Care holds Tom's fund of £3,120.00 for the year (3 hours a
week of support at £20.00 an hour), paid monthly. Pat works for Sunrise Care, Fiona and Fred are the council's
finance officers, Alice is Tom's mother, Wes is his lead professional."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory, user_with_role
from brokerage import ledger
from brokerage.models import (
    Allocation,
    ConsentHolder,
    HeldAs,
    LineFrequency,
    PlanLine,
    PlanStatus,
    SupportPlan,
)
from brokerage.services.plans import allocation_add
from brokerage.tests.factories import BudgetFactory, FundingStreamFactory, PersonSupportedFactory
from providers.tests.factories import term

D = Decimal


@dataclass
class Fund:
    council: Organisation
    provider: Organisation
    allocation: Allocation
    line: PlanLine
    pat: User
    fiona: User
    fred: User
    alice: User
    wes: User


def isf_fund(
    *,
    council: Organisation | None = None,
    provider_name: str = "Sunrise Care",
    amount: str = "3120.00",
    year: int = 2026,
) -> Fund:
    council = council or CouncilFactory()
    provider = OrganisationFactory(kind=OrganisationKind.PROVIDER, name=provider_name, council=council)
    pat = user_with_role(Role.PROVIDER_STAFF, provider, first_name="Pat")
    fiona = user_with_role(Role.FINANCE_OFFICER, council, first_name="Fiona")
    fred = user_with_role(Role.FINANCE_OFFICER, council, first_name="Fred")
    wes = user_with_role(Role.LEAD_PROFESSIONAL, council, first_name="Wes")
    alice = user_with_role(Role.FAMILY_MEMBER, council, first_name="Alice")
    person = PersonSupportedFactory(council=council)
    ConsentHolder.objects.create(person=person, user=alice, relationship=ConsentHolder.Relationship.PARENT)
    stream = FundingStreamFactory(council=council, financial_year=year)
    ledger.stream_fund(stream=stream, amount=D("100000.00"), key=f"fund-{stream.pk}")
    budget = BudgetFactory(
        person=person,
        financial_year=year,
        starts_on=datetime.date(year, 4, 1),
        ends_on=datetime.date(year + 1, 3, 31),
    )
    allocation = allocation_add(
        budget=budget, actor=wes, stream=stream, held_as=HeldAs.ISF, amount=D(amount), isf_provider=provider
    )
    plan = SupportPlan.objects.create(person=person, budget=budget, status=PlanStatus.ACTIVE)
    line = PlanLine.objects.create(
        plan=plan,
        category=term("tuition"),
        description="Support worker after school",
        stream=stream,
        quantity=D("3"),
        unit="hour",
        unit_cost=D("20.00"),
        frequency=LineFrequency.WEEKLY,
        periods=52,
    )
    return Fund(council, provider, allocation, line, pat, fiona, fred, alice, wes)


def next_year_fund(fund: Fund) -> Allocation:
    """The same provider's fund in Tom's budget for the following year."""
    old = fund.allocation.budget
    year = old.financial_year + 1
    stream = FundingStreamFactory(council=fund.council, financial_year=year)
    ledger.stream_fund(stream=stream, amount=D("100000.00"), key=f"fund-{stream.pk}")
    budget = BudgetFactory(
        person=old.person,
        financial_year=year,
        starts_on=datetime.date(year, 4, 1),
        ends_on=datetime.date(year + 1, 3, 31),
    )
    return allocation_add(
        budget=budget,
        actor=fund.wes,
        stream=stream,
        held_as=HeldAs.ISF,
        amount=D("1000.00"),
        isf_provider=fund.provider,
    )
