"""Rows for top-up tests: Northshire (paying through its own Stripe account, at ``api_base``) with Alice, who
holds consent for Tom and his budget; Fay, a finance officer; the council's top-up settings."""

from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Organisation, User
from accounts.roles import Role
from accounts.tests.factories import user_with_role
from brokerage import ledger
from brokerage.models import Allocation, ConsentHolder
from brokerage.tests.factories import AllocationFactory, BudgetFactory, PersonSupportedFactory
from marketplace.payments import top_ups
from marketplace.payments.tests.stripe_support import stripe_council
from marketplace.payments.top_up_models import TopUp, TopUpMethod, TopUpReason, TopUpSettings

PUBLISHABLE_KEY = "pk_test_council_key"


@dataclass
class Family:
    council: Organisation
    alice: User
    fay: User
    allocation: Allocation


def family(api_base: str = "", council: Organisation | None = None, allocated: str = "500.00") -> Family:
    council = council or stripe_council(api_base=api_base)
    TopUpSettings.objects.get_or_create(
        council=council,
        defaults={
            "stripe_publishable_key": PUBLISHABLE_KEY,
            "bank_account_name": "Northshire Council",
            "bank_sort_code": "309457",
            "bank_account_number": "12345678",
        },
    )
    person = PersonSupportedFactory(council=council, first_name="Tom")
    alice = user_with_role(Role.FAMILY_MEMBER, council, first_name="Alice")
    ConsentHolder.objects.create(person=person, user=alice, relationship=ConsentHolder.Relationship.PARENT)
    allocation = AllocationFactory(budget=BudgetFactory(person=person))
    ledger.stream_fund(stream=allocation.stream, amount=Decimal(allocated), key=f"fund-{allocation.pk}")
    ledger.allocate(allocation=allocation, amount=Decimal(allocated), key=f"allocate-{allocation.pk}")
    fay = user_with_role(Role.FINANCE_OFFICER, council, first_name="Fay")
    return Family(council=council, alice=alice, fay=fay, allocation=allocation)


def top_up(found: Family, amount: str = "25.00", method: str = TopUpMethod.CARD) -> TopUp:
    return top_ups.top_up_create(
        allocation=found.allocation,
        actor=found.alice,
        reason=TopUpReason.CONTRIBUTION,
        amount=Decimal(amount),
        method=method,
    )


def available(allocation: Allocation) -> Decimal:
    return ledger.balance(ledger.allocation_account(allocation, "available"))
