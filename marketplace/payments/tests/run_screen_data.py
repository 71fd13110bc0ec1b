"""People and payment runs for the payment-screen tests.

Coventry's finance officers are Ann and Ben; Cleo is a finance officer of another council; Cathy is a
Coventry commissioner. Sunrise Tutors (Pat) is paid into a verified bank account; Moonlight Care (Mo) is
another provider. ``approved_invoice`` goes the whole way (order, delivery, invoice, approval) for the tests
that prepare a run through the screens; ``run_with_payment`` writes a run directly, in the state a test
needs, for the tests of a single screen.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import Role
from accounts.tests.factories import CouncilFactory, user_with_role
from marketplace.models import Invoice
from marketplace.payments.models import (
    BankAccount,
    BankAccountStatus,
    Payment,
    PaymentItem,
    PaymentMethod,
    PaymentRun,
    PaymentStatus,
    RunStatus,
)
from marketplace.services.deliveries import delivery_record
from marketplace.services.invoices import LineInput, invoice_approve, invoice_submit
from marketplace.tests.order_factories import A_DAY_DELIVERED, Family, Provider, accepted, family, provider

ISSUED = datetime.date(2026, 5, 31)


@dataclass
class Finance:
    council: Organisation
    tom: Family
    sunrise: Provider
    moonlight: Provider
    ann: User
    ben: User
    cleo: User
    cathy: User
    bank_account: BankAccount


def verified_account(council: Organisation, seller: Provider, *, checked_by: User, approved_by: User) -> BankAccount:
    return BankAccount.objects.create(
        council=council,
        provider_organisation=seller.organisation,
        account_name=seller.organisation.name,
        sort_code="123456",
        account_number="31926819",
        sort_code_masked="**-**-56",
        account_number_masked="****6819",
        status=BankAccountStatus.VERIFIED,
        entered_by=seller.staff,
        callback_by=checked_by,
        callback_at=timezone.now(),
        decided_by=approved_by,
        decided_at=timezone.now(),
    )


def finance(*, council_name: str = "Coventry City Council") -> Finance:
    tom = family(council=CouncilFactory(name=council_name))
    council = tom.council
    ann = user_with_role(Role.FINANCE_OFFICER, council, first_name="Ann", last_name="Able")
    ben = user_with_role(Role.FINANCE_OFFICER, council, first_name="Ben", last_name="Baker")
    sunrise = provider(f"Sunrise Tutors of {council_name}")
    return Finance(
        council=council,
        tom=tom,
        sunrise=sunrise,
        moonlight=provider(f"Moonlight Care of {council_name}"),
        ann=ann,
        ben=ben,
        cleo=user_with_role(Role.FINANCE_OFFICER, CouncilFactory(name=f"Not {council_name}"), first_name="Cleo"),
        cathy=user_with_role(Role.COMMISSIONER, council, first_name="Cathy"),
        bank_account=verified_account(council, sunrise, checked_by=ann, approved_by=ben),
    )


def approved_invoice(people: Finance, *, number: str = "ST-101") -> Invoice:
    """Sunrise Tutors' invoice for two hours at £20, approved by Tom's mother."""
    order = accepted(people.tom, people.sunrise, units="10", rate="20.00")
    delivery_record(order=order, actor=people.sunrise.staff, delivered_on=A_DAY_DELIVERED, units=Decimal("2"))
    invoice = invoice_submit(
        order=order,
        actor=people.sunrise.staff,
        number=number,
        issued_on=ISSUED,
        lines=[LineInput(A_DAY_DELIVERED, Decimal("2"), order.rate)],
    )
    return invoice_approve(invoice=invoice, actor=people.tom.parent)


def run_with_payment(
    people: Finance,
    *,
    status: str = RunStatus.PREPARED,
    payment_status: str = PaymentStatus.PENDING,
    reference: str = "PR-2026-0001",
    invoice: Invoice | None = None,
    **run_fields: object,
) -> PaymentRun:
    """A run prepared by Ann with one £40 payment to Sunrise Tutors, written directly in the given state."""
    run = PaymentRun.objects.create(
        council=people.council,
        reference=reference,
        status=status,
        pay_on=datetime.date(2026, 12, 1),
        total=Decimal("40.00"),
        item_count=1,
        prepared_by=people.ann,
        authorised_by=people.ben if status != RunStatus.PREPARED else None,
        **run_fields,
    )
    payment = Payment.objects.create(
        run=run,
        provider_organisation=people.sunrise.organisation,
        method=PaymentMethod.PAYMENT_FILE,
        bank_account=people.bank_account,
        payee_name=people.sunrise.organisation.name,
        amount=Decimal("40.00"),
        remittance_reference=f"{reference}-1",
        status=payment_status,
        sent_at=timezone.now() if payment_status in (PaymentStatus.SENT, PaymentStatus.PAID) else None,
    )
    if invoice is not None:
        PaymentItem.objects.create(
            payment=payment,
            run=run,
            invoice=invoice,
            amount=Decimal("40.00"),
            description=f"Invoice {invoice.number}",
            status="sent" if payment_status == PaymentStatus.SENT else "pending",
        )
    return run
