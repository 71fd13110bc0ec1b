"""Shared people for the bank-details tests: Ann and Ben are finance officers of Northshire, Cleo is a
finance officer of another council, Pat works for Northshire's provider Sunrise Care."""

from dataclasses import dataclass

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory, user_with_role
from marketplace.payments.bank_accounts import bank_details_submit
from marketplace.payments.models import BankAccount

SORT_CODE = "12-34-56"
ACCOUNT_NUMBER = "31926819"
# Every way the full numbers could show up in a page, a CSV, an audit row or a notification.
FULL_NUMBERS = ("123456", "12-34-56", "12 34 56", "31926819")


@dataclass
class Bank:
    council: Organisation
    provider: Organisation
    pat: User
    ann: User
    ben: User
    cleo: User

    def submit(self, *, actor: User | None = None, account_number: str = ACCOUNT_NUMBER) -> BankAccount:
        return bank_details_submit(
            actor=actor or self.pat,
            council=self.council,
            account_name="Sunrise Care Ltd",
            sort_code=SORT_CODE,
            account_number=account_number,
            provider_organisation=self.provider,
        )


def bank_make() -> Bank:
    """Each test module wraps this in its own ``bank`` fixture."""
    council = CouncilFactory(name="Northshire")
    provider = OrganisationFactory(
        kind=OrganisationKind.PROVIDER, name="Sunrise Care", council=council, phone="024 7600 0001"
    )
    return Bank(
        council=council,
        provider=provider,
        pat=user_with_role(Role.PROVIDER_STAFF, provider, first_name="Pat"),
        ann=user_with_role(Role.FINANCE_OFFICER, council, first_name="Ann"),
        ben=user_with_role(Role.FINANCE_OFFICER, council, first_name="Ben"),
        cleo=user_with_role(Role.FINANCE_OFFICER, CouncilFactory(name="Southshire"), first_name="Cleo"),
    )
