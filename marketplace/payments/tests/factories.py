"""Things to pay, quickly: approved invoices, due direct-payment instalments and approved one-off purchases,
with the ledger exactly as approval leaves it (the money settled as provider payable, or still committed
for an instalment), and verified bank accounts.

Northshire's finance officers are Ann (prepares runs) and Ben (authorises them); Lena, a lead professional,
approves invoices. The invoices are made directly rather than through submit and approve (which their own
tests cover) so that a property test can make dozens per example.
"""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.tests.factories import CouncilFactory, OrganisationFactory, user_with_role
from brokerage import ledger
from brokerage.models import (
    AccountKind,
    Allocation,
    ConsentHolder,
    DirectPaymentInstalment,
    DirectPaymentSchedule,
    HeldAs,
)
from brokerage.tests.factories import AllocationFactory, BudgetFactory, PersonSupportedFactory
from marketplace.models import Invoice, InvoiceStatus, OneOffPurchase, Order
from marketplace.models.orders import OrderStatus
from marketplace.payments.models import BankAccount, BankAccountStatus, ConnectedAccount, Gateway, PaymentSettings
from marketplace.tests.order_factories import quick_offer
from providers.models import Offer, PersonalAssistantProfile
from providers.tests.factories import PersonalAssistantProfileFactory

D = Decimal
DUE = datetime.date(2026, 4, 1)
_numbers = itertools.count(1)


@dataclass
class Finance:
    council: Organisation
    ann: User
    ben: User
    lena: User


def finance(name: str = "Northshire") -> Finance:
    council = CouncilFactory(name=name)
    return Finance(
        council=council,
        ann=user_with_role(Role.FINANCE_OFFICER, council, first_name="Ann"),
        ben=user_with_role(Role.FINANCE_OFFICER, council, first_name="Ben"),
        lena=user_with_role(Role.LEAD_PROFESSIONAL, council, first_name="Lena"),
    )


def allocation(
    council: Organisation, *, available: str = "100000.00", held_as: str = HeldAs.COUNCIL_MANAGED
) -> Allocation:
    person = PersonSupportedFactory(council=council)
    parent = user_with_role(Role.FAMILY_MEMBER, council, first_name="Alice")
    ConsentHolder.objects.create(person=person, user=parent, relationship=ConsentHolder.Relationship.PARENT)
    found = AllocationFactory(budget=BudgetFactory(person=person), held_as=held_as)
    ledger.stream_fund(stream=found.stream, amount=D(available), key=f"fund-{found.pk}")
    ledger.allocate(allocation=found, amount=D(available), key=f"allocate-{found.pk}")
    return found


@dataclass
class Seller:
    offer: Offer
    organisation: Organisation | None = None
    personal_assistant: PersonalAssistantProfile | None = None
    staff: User | None = None

    @property
    def payee(self) -> dict:  # type: ignore[type-arg]
        if self.organisation is not None:
            return {"provider_organisation": self.organisation}
        return {"personal_assistant": self.personal_assistant}


def provider(council: Organisation, name: str = "Sunrise Care") -> Seller:
    organisation = OrganisationFactory(kind=OrganisationKind.PROVIDER, name=name, council=council)
    staff = user_with_role(Role.PROVIDER_STAFF, organisation, first_name="Pat")
    return Seller(offer=quick_offer(organisation=organisation), organisation=organisation, staff=staff)


def personal_assistant(council: Organisation) -> Seller:
    profile = PersonalAssistantProfileFactory(council=council)
    return Seller(offer=quick_offer(personal_assistant=profile), personal_assistant=profile, staff=profile.user)


def approved_invoice(allocation: Allocation, seller: Seller, *, amount: str = "200.00", approver: User) -> Invoice:
    """An approved invoice of an accepted order: committed, then settled as provider payable."""
    order = Order.objects.create(
        person=allocation.budget.person,
        allocation=allocation,
        offer=seller.offer,
        provider_organisation=seller.organisation,
        personal_assistant=seller.personal_assistant,
        description="Support",
        units=D("1"),
        unit="hour",
        rate=D(amount),
        starts_on=datetime.date(2026, 4, 6),
        ends_on=datetime.date(2026, 10, 30),
        status=OrderStatus.ACCEPTED,
        placed_by=approver,
    )
    ledger.commit(
        allocation=allocation, amount=D(amount), key=f"{order.ledger_reference}-commit", description="Order placed"
    )
    invoice = Invoice.objects.create(
        order=order,
        provider_organisation=seller.organisation,
        personal_assistant=seller.personal_assistant,
        number=f"INV-{next(_numbers)}",
        issued_on=datetime.date(2026, 10, 31),
        due_on=datetime.date(2026, 11, 30),
        vat_status="not_registered",
        net_total=D(amount),
        total=D(amount),
        status=InvoiceStatus.APPROVED,
        submitted_by=seller.staff,
        decided_by=approver,
    )
    ledger.settle(
        allocation=allocation,
        amount=D(amount),
        key=invoice.settlement_key(),
        reference=order.ledger_reference,
        description=f"Invoice {invoice.number}",
    )
    return invoice


def due_instalment(
    allocation: Allocation, *, amount: str = "500.00", due_on: datetime.date = DUE
) -> DirectPaymentInstalment:
    schedule, _ = DirectPaymentSchedule.objects.get_or_create(allocation=allocation)
    number = schedule.instalments.count() + 1
    return DirectPaymentInstalment.objects.create(schedule=schedule, number=number, due_on=due_on, amount=D(amount))


def approved_purchase(allocation: Allocation, *, amount: str = "310.00", approver: User) -> OneOffPurchase:
    purchase = OneOffPurchase.objects.create(
        person=allocation.budget.person,
        allocation=allocation,
        kind=OneOffPurchase.Kind.SUPPLIER_INVOICE,
        supplier_name="Peak Football Residentials",
        supplier_invoice_number=f"PFR-{next(_numbers)}",
        description="Football residential",
        amount=D(amount),
        status=OneOffPurchase.Status.APPROVED,
        requested_by=approver,
        decided_by=approver,
    )
    reference = purchase.ledger_reference
    ledger.commit(allocation=allocation, amount=D(amount), key=f"{reference}-commit", description="One-off")
    ledger.settle(allocation=allocation, amount=D(amount), key=f"{reference}-settle", description="One-off")
    return purchase


def verified_account(council: Organisation, *, checked_by: tuple[User, User], **payee) -> BankAccount:  # type: ignore[no-untyped-def]
    """Verified details: called back by one finance officer, approved by the other."""
    return BankAccount.objects.create(
        council=council,
        account_name="Account holder",
        sort_code="123456",
        account_number="31926819",
        sort_code_masked="••-••-56",
        account_number_masked="••••6819",
        status=BankAccountStatus.VERIFIED,
        entered_by=checked_by[0],
        callback_by=checked_by[0],
        decided_by=checked_by[1],
        **payee,
    )


def waiting_account(council: Organisation, *, entered_by: User, **payee) -> BankAccount:  # type: ignore[no-untyped-def]
    """New details entered, not yet called back: payments to the payee are held."""
    return BankAccount.objects.create(
        council=council,
        account_name="New account",
        sort_code="654321",
        account_number="12345678",
        sort_code_masked="••-••-21",
        account_number_masked="••••5678",
        entered_by=entered_by,
        **payee,
    )


def stripe_council(team: Finance, seller: Seller) -> ConnectedAccount:
    """The council pays through Stripe and ``seller`` has a connected account that can receive transfers."""
    PaymentSettings.objects.create(council=team.council, gateway=Gateway.STRIPE_CONNECT, finance_code="CC-42")
    return connected_account(team, seller)


def connected_account(team: Finance, seller: Seller) -> ConnectedAccount:
    """``seller``'s connected account on the council's Stripe, able to receive transfers."""
    return ConnectedAccount.objects.create(
        council=team.council,
        **seller.payee,
        stripe_account_id=f"acct_{next(_numbers)}",
        details_submitted=True,
        payouts_enabled=True,
        created_by=team.ann,
    )


def balances(target: Allocation) -> dict[str, Decimal]:
    return {
        kind: ledger.balance(ledger.allocation_account(target, kind))
        for kind in (AccountKind.PROVIDER_PAYABLE, AccountKind.SPENT, AccountKind.FAMILY_ACCOUNT)
    }
