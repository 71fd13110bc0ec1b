"""A small market with known answers for the insights tests, and a second council whose figures must never
be counted.

Coventry (the commissioner's council) has five short-break offers at £10, £12, £14, £16 and £40 an hour (the
£40 is an outlier), a personal assistant at £15 an hour, and orders accepted at £20, £22 and £30 an hour.
Birmingham has one short-break offer at £100 an hour and an accepted order at £500 an hour.
"""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory
from brokerage import ledger
from brokerage.models import AccountKind, Allocation, HeldAs, TransactionKind
from brokerage.tests.factories import AllocationFactory, BudgetFactory, FundingStreamFactory, PersonSupportedFactory
from marketplace.models import Order, OrderStatus
from marketplace.tests.order_factories import member, quick_offer
from providers.models import CostOption, Offer, ProviderProfile
from providers.tests.factories import PersonalAssistantProfileFactory, term

SPENT_ON = datetime.date(2026, 5, 12)
# What any signed-in page costs before its own figures: the session, the user and their memberships, the
# two-step verification check (has the user an authenticator app), the navigation, notifications, the CMS
# site and its menu. Each insights test bounds its page by this plus the section's own queries, which do
# not grow with the number of offers, orders or postings.
PAGE_QUERIES = 15
_numbers = itertools.count(1)
YEAR = 2026


def council(name: str, ons_code: str = "") -> Organisation:
    return CouncilFactory(name=name, ons_code=ons_code)


def commissioner(of: Organisation) -> User:
    return member(Role.COMMISSIONER, of)


def provider_of(council_: Organisation, name: str, *, charity_number: str = "") -> Organisation:
    organisation = OrganisationFactory(kind=OrganisationKind.PROVIDER, name=name, council=council_)
    ProviderProfile.objects.create(organisation=organisation, legal_name=name, charity_number=charity_number)
    return organisation


def priced_offer(
    council_: Organisation | None = None,
    amount: str = "10.00",
    *,
    organisation: Organisation | None = None,
    category: str = "short-breaks",
    unit: str = "hour",
    name: str = "",
) -> Offer:
    """A published offer with one price, in one category, of a new provider of the council unless given."""
    organisation = organisation or provider_of(council_, f"Provider {next(_numbers)} at {amount}")
    offer = quick_offer(organisation=organisation, name=name or f"Short breaks at {amount}")
    offer.live_version.categories.add(term(category))
    CostOption.objects.create(version=offer.live_version, amount=Decimal(amount), unit=unit)
    return offer


def assistant_offer(council_: Organisation, amount: str) -> Offer:
    profile = PersonalAssistantProfileFactory(council=council_)
    offer = quick_offer(personal_assistant=profile, name="Support at home")
    offer.live_version.categories.add(term("pa-support"))
    CostOption.objects.create(version=offer.live_version, amount=Decimal(amount), unit="hour")
    return offer


def allocation_in(council_: Organisation, *, held_as: str = HeldAs.COUNCIL_MANAGED, stream=None, **more) -> Allocation:  # type: ignore[no-untyped-def]
    person = PersonSupportedFactory(council=council_)
    budget = BudgetFactory(person=person)
    stream = stream or FundingStreamFactory(council=council_)
    allocation = AllocationFactory(budget=budget, stream=stream, held_as=held_as, **more)
    ledger.stream_fund(stream=stream, amount=Decimal("10000.00"), key=f"fund-{allocation.pk}")
    ledger.allocate(allocation=allocation, amount=Decimal("10000.00"), key=f"allocate-{allocation.pk}")
    return allocation


def order_of(allocation: Allocation, offer: Offer, rate: str, *, status: str = OrderStatus.ACCEPTED) -> Order:
    placed_by = member(Role.FAMILY_MEMBER, allocation.budget.council)
    return Order.objects.create(
        person=allocation.budget.person,
        allocation=allocation,
        offer=offer,
        provider_organisation=offer.organisation,
        personal_assistant=offer.personal_assistant,
        pa_employment="self_employed" if offer.personal_assistant_id else "",
        description="Short breaks",
        units=Decimal("10"),
        unit="hour",
        rate=Decimal(rate),
        starts_on=datetime.date(2026, 4, 6),
        ends_on=datetime.date(2026, 10, 30),
        status=status,
        placed_by=placed_by,
        placed_at=timezone.make_aware(datetime.datetime(2026, 4, 20, 10, 0)),
    )


def paid(
    order: Order, amount: str, *, category: str | None = None, on: datetime.date = SPENT_ON, key: str = ""
) -> None:
    """An invoice of the order approved and paid: committed, payable, then spent."""
    key = key or f"paid-{order.pk}-{amount}-{on}"
    tags = {
        "reference": order.ledger_reference,
        "category": term(category) if category else None,
        "occurred_on": on,
    }
    value = Decimal(amount)
    ledger.commit(allocation=order.allocation, amount=value, key=f"{key}-c", description="Order", **tags)
    ledger.settle(allocation=order.allocation, amount=value, key=f"{key}-s", description="Invoice", **tags)
    ledger.pay(allocation=order.allocation, amount=value, key=f"{key}-p", description="Paid", **tags)


def family_spent(allocation: Allocation, amount: str, *, on: datetime.date = SPENT_ON) -> None:
    value = Decimal(amount)
    ledger.dp_instalment(allocation=allocation, amount=value, key=f"dp-{allocation.pk}", from_committed=False)
    ledger.dp_spend(
        allocation=allocation, amount=value, key=f"dps-{allocation.pk}", description="Bus fares", occurred_on=on
    )


def fund_spent(allocation: Allocation, amount: str, *, on: datetime.date = SPENT_ON) -> None:
    """An individual service fund paid to its provider, and its statement accepted."""
    value = Decimal(amount)
    available = ledger.allocation_account(allocation, AccountKind.AVAILABLE)
    held = ledger.allocation_account(allocation, AccountKind.ISF_HELD)
    spent = ledger.allocation_account(allocation, AccountKind.SPENT)
    common = {"council": allocation.budget.council, "budget": allocation.budget, "description": "Fund"}
    ledger.ledger_post(
        key=f"isf-{allocation.pk}",
        kind=TransactionKind.ISF_INSTALMENT,
        movements=[ledger.Movement(available, held, value)],
        **common,
    )
    ledger.ledger_post(
        key=f"isfs-{allocation.pk}",
        kind=TransactionKind.ISF_SPEND,
        movements=[ledger.Movement(held, spent, value)],
        reference=f"isf-statement-{allocation.pk}",
        occurred_on=on,
        **common,
    )
