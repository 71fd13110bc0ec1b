"""Reading payment runs: what a run would pay (per payee, with totals and held payees), the runs of a
council, a payee's remittances and how promptly invoices are paid.

``payables`` is the one definition of what is due for payment; ``run_prepare`` locks and records exactly
what ``run_preview`` shows.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import Organisation, User
from accounts.roles import Role
from brokerage.models import DirectPaymentInstalment, ServiceFundInstalment
from marketplace.models import CreditNote, Invoice, InvoiceStatus, OneOffPurchase
from marketplace.payments.bank_accounts import Payee
from marketplace.payments.models import (
    LIVE_ITEM_STATUSES,
    PAYEE_FIELDS,
    BankAccount,
    BankAccountStatus,
    ConnectedAccount,
    Gateway,
    ItemStatus,
    Payment,
    PaymentItem,
    PaymentMethod,
    PaymentRun,
    PaymentSettings,
    PaymentStatus,
    RunStatus,
)
from marketplace.payments.payees import AWAITING_STATUSES
from marketplace.payments.working_days import next_banking_day
from providers.models import PersonalAssistantProfile

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=12, decimal_places=2)
PROMPT_PAYMENT_DAYS = 30


@dataclass(frozen=True)
class Payable:
    """One thing due for payment: exactly one of ``invoice``, ``instalment``, ``purchase``, ``isf_instalment``."""

    payee: Payee
    amount: Decimal
    description: str
    invoice: Invoice | None = None
    instalment: DirectPaymentInstalment | None = None
    purchase: OneOffPurchase | None = None
    isf_instalment: ServiceFundInstalment | None = None


@dataclass
class PayeeGroup:
    """What one payee would receive in one payment."""

    payee: Payee
    method: str
    bank_account: BankAccount | None
    connected_account: ConnectedAccount | None
    held: bool
    payables: list[Payable] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((payable.amount for payable in self.payables), ZERO)

    @property
    def name(self) -> str:
        return self.payee.name[:200]


@dataclass(frozen=True)
class Preview:
    pay_on: date
    groups: list[PayeeGroup]

    @property
    def to_pay(self) -> list[PayeeGroup]:
        return [group for group in self.groups if not group.held]

    @property
    def held(self) -> list[PayeeGroup]:
        return [group for group in self.groups if group.held]

    @property
    def total(self) -> Decimal:
        return sum((group.total for group in self.to_pay), ZERO)

    @property
    def held_total(self) -> Decimal:
        return sum((group.total for group in self.held), ZERO)

    @property
    def item_count(self) -> int:
        return sum(len(group.payables) for group in self.groups)


# --- What is due -----------------------------------------------------------------------------------


def _in_live_item(field_name: str) -> Exists:
    return Exists(PaymentItem.objects.filter(**{field_name: OuterRef("pk")}, status__in=LIVE_ITEM_STATUSES))


def _lockable(queryset: QuerySet, lock: bool) -> QuerySet:  # type: ignore[type-arg]
    # Locking the rows makes a credit note or a refund wait until the run has recorded them; the partial
    # unique constraints on live items are what finally stop two runs taking the same thing.
    return queryset.select_for_update(of=("self",)) if lock else queryset


def _credited() -> Coalesce:
    """What the invoice's credit notes take off it, worked out in the query: a prefetch would build a
    queryset and a list for each of a run's thousands of invoices."""
    notes = (
        CreditNote.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(total=Sum(F("net") + F("vat")))
        .values("total")
    )
    return Coalesce(Subquery(notes, output_field=MONEY), ZERO, output_field=MONEY)


def approved_invoices(council: Organisation, *, lock: bool = False) -> list[Invoice]:
    """The council's approved invoices not yet in a live payment item, each with ``credited`` and its payee
    attached. Only the fields a payment needs are loaded, and the payees (a run's hundred providers for its
    ten thousand invoices) are loaded once each rather than joined into every row."""
    invoices = Invoice.objects.filter(status=InvoiceStatus.APPROVED, order__allocation__budget__council=council)
    invoices = _lockable(invoices.filter(~_in_live_item("invoice")), lock)
    found = list(
        invoices.annotate(credited=_credited()).only(
            "pk", "number", "issued_on", "total", "provider_organisation_id", "personal_assistant_id"
        )
    )
    providers = Organisation.objects.in_bulk({invoice.provider_organisation_id for invoice in found} - {None})
    assistants = PersonalAssistantProfile.objects.select_related("user").in_bulk(
        {invoice.personal_assistant_id for invoice in found} - {None}
    )
    for invoice in found:
        if invoice.provider_organisation_id:
            invoice.provider_organisation = providers[invoice.provider_organisation_id]
        else:
            invoice.personal_assistant = assistants[invoice.personal_assistant_id]
    return found


def due_instalments(council: Organisation, pay_on: date, *, lock: bool = False) -> QuerySet[DirectPaymentInstalment]:
    instalments = DirectPaymentInstalment.objects.filter(
        schedule__allocation__budget__council=council, due_on__lte=pay_on, paid_at__isnull=True
    )
    instalments = _lockable(instalments.filter(~_in_live_item("instalment")), lock)
    return instalments.select_related("schedule__allocation__budget__person")


def approved_purchases(council: Organisation, *, lock: bool = False) -> QuerySet[OneOffPurchase]:
    purchases = OneOffPurchase.objects.filter(
        status=OneOffPurchase.Status.APPROVED, allocation__budget__council=council
    )
    purchases = _lockable(purchases.filter(~_in_live_item("purchase")), lock)
    return purchases.select_related("pay_to")


def isf_instalments_due(council: Organisation, pay_on: date, *, lock: bool = False) -> QuerySet[ServiceFundInstalment]:
    """Instalments of the council's individual service funds due by ``pay_on``, not yet paid nor in a live item:
    each is paid to the provider that holds the fund."""
    instalments = ServiceFundInstalment.objects.filter(
        schedule__allocation__budget__council=council, due_on__lte=pay_on, paid_at__isnull=True
    )
    instalments = _lockable(instalments.filter(~_in_live_item("isf_instalment")), lock)
    return instalments.select_related("schedule__allocation__isf_provider", "schedule__allocation__budget__person")


def _isf_instalment_payable(instalment: ServiceFundInstalment) -> Payable:
    allocation = instalment.schedule.allocation
    person = allocation.budget.person
    return Payable(
        payee=Payee("provider_organisation", allocation.isf_provider),
        amount=instalment.amount,
        description=f"Individual service fund for {person.first_name} {person.last_name[:1]}: instalment "
        f"{instalment.number}, due {instalment.due_on:%-d %B %Y}"[:200],
        isf_instalment=instalment,
    )


def _invoice_payable(invoice: Invoice) -> Payable:
    credited = invoice.credited  # type: ignore[attr-defined]  # annotated by approved_invoices
    if invoice.provider_organisation_id:
        payee = Payee("provider_organisation", invoice.provider_organisation)
    else:
        payee = Payee("personal_assistant", invoice.personal_assistant)
    return Payable(
        payee=payee,
        amount=invoice.total - credited,
        description=f"Invoice {invoice.number} of {invoice.issued_on:%-d %B %Y}"[:200],
        invoice=invoice,
    )


def _instalment_payable(instalment: DirectPaymentInstalment) -> Payable:
    return Payable(
        payee=Payee("family", instalment.schedule.allocation.budget.person),
        amount=instalment.amount,
        description=f"Direct payment instalment {instalment.number}, due {instalment.due_on:%-d %B %Y}",
        instalment=instalment,
    )


def _purchase_payable(purchase: OneOffPurchase) -> Payable:
    return Payable(
        payee=Payee("one_off_purchase", purchase),
        amount=purchase.amount,
        description=f"{purchase.description} ({purchase.supplier_name})"[:200],
        purchase=purchase,
    )


def payables(*, council: Organisation, pay_on: date, lock: bool = False) -> list[Payable]:
    """Approved invoices, direct-payment instalments due by ``pay_on``, approved one-off purchases and
    individual service fund instalments due by ``pay_on`` of the council's budgets that are not in a live
    payment item. Fully credited invoices have nothing to pay."""
    found = [_invoice_payable(invoice) for invoice in approved_invoices(council, lock=lock)]
    found += [_instalment_payable(instalment) for instalment in due_instalments(council, pay_on, lock=lock)]
    found += [_purchase_payable(purchase) for purchase in approved_purchases(council, lock=lock)]
    found += [_isf_instalment_payable(instalment) for instalment in isf_instalments_due(council, pay_on, lock=lock)]
    return [payable for payable in found if payable.amount > 0]


# --- Per payee ---------------------------------------------------------------------------------------


def _payee_key(payee: Payee) -> tuple[str, int]:
    return payee.field, payee.record.pk


def _ids_by_field(payees: Iterable[Payee]) -> dict[str, set[int]]:
    ids: dict[str, set[int]] = {name: set() for name in PAYEE_FIELDS}
    for payee in payees:
        ids[payee.field].add(payee.record.pk)
    return ids


def _accounts_by_payee(payees: list[Payee]) -> tuple[dict, set]:  # type: ignore[type-arg]
    """The verified account of each payee, and the payees with new details waiting: two queries in all,
    not two per payee, so that a run of thousands of payees is prepared quickly."""
    ids = _ids_by_field(payees)
    wanted = Q(pk__in=[])
    for name, pks in ids.items():
        if pks:
            wanted |= Q(**{f"{name}_id__in": pks})
    verified, waiting = {}, set()
    for account in BankAccount.objects.filter(wanted, status__in=(BankAccountStatus.VERIFIED, *AWAITING_STATUSES)):
        key = next((name, getattr(account, f"{name}_id")) for name in PAYEE_FIELDS if getattr(account, f"{name}_id"))
        if account.status == BankAccountStatus.VERIFIED:
            verified[key] = account
        else:
            waiting.add(key)
    return verified, waiting


def _connected_by_payee(council: Organisation, payees: list[Payee]) -> dict:  # type: ignore[type-arg]
    settings = PaymentSettings.objects.filter(council=council).first()
    if settings is None or settings.gateway != Gateway.STRIPE_CONNECT:
        return {}
    ids = _ids_by_field(payees)
    accounts = ConnectedAccount.objects.filter(council=council).filter(
        Q(provider_organisation_id__in=ids["provider_organisation"])
        | Q(personal_assistant_id__in=ids["personal_assistant"])
    )
    found = {}
    for account in accounts:
        if account.can_receive_transfers:
            if account.provider_organisation_id:
                found[("provider_organisation", account.provider_organisation_id)] = account
            else:
                found[("personal_assistant", account.personal_assistant_id)] = account
    return found


def payee_groups(*, council: Organisation, pay_on: date, lock: bool = False) -> list[PayeeGroup]:
    """What is due, one group per payee, ordered by name. Providers and PAs with a connected account that
    can receive transfers are paid by Stripe when the council pays through Stripe; everyone else (families
    always) by the payment file, and held while they have no verified account or new details wait."""
    by_payee: dict[tuple[str, int], list[Payable]] = {}
    for payable in payables(council=council, pay_on=pay_on, lock=lock):
        by_payee.setdefault(_payee_key(payable.payee), []).append(payable)
    payees = [items[0].payee for items in by_payee.values()]
    verified, waiting = _accounts_by_payee(payees)
    connected = _connected_by_payee(council, payees)
    groups = []
    for key, items in by_payee.items():
        account = connected.get(key)
        bank_account = None if account else verified.get(key)
        held = account is None and (bank_account is None or key in waiting)
        method = PaymentMethod.STRIPE_TRANSFER if account else PaymentMethod.PAYMENT_FILE
        groups.append(PayeeGroup(items[0].payee, method, bank_account, account, held, items))
    return sorted(groups, key=lambda group: (group.name.lower(), _payee_key(group.payee)))


def run_preview(*, council: Organisation, pay_on: date) -> Preview:
    """What a run prepared now would pay on ``pay_on`` (moved on to a banking day, as preparing moves it),
    per payee, without writing anything."""
    pay_on = next_banking_day(pay_on)
    return Preview(pay_on=pay_on, groups=payee_groups(council=council, pay_on=pay_on))


# --- Runs --------------------------------------------------------------------------------------------


def runs_for_council(council: Organisation) -> QuerySet[PaymentRun]:
    return PaymentRun.objects.filter(council=council).select_related("prepared_by", "authorised_by")


def run_get_for(*, user: User, council: Organisation, public_id: UUID | str) -> PaymentRun:
    """A run of ``council`` that ``user`` works on as one of its finance officers; any other answers 404."""
    is_finance_officer = user.memberships.active().filter(organisation=council, role=Role.FINANCE_OFFICER).exists()
    run = runs_for_council(council).filter(public_id=public_id).first() if is_finance_officer else None
    if run is None:
        raise Http404("No such payment run")
    return run


def run_payments(run: PaymentRun) -> QuerySet[Payment]:
    return run.payments.select_related("bank_account", "connected_account").prefetch_related("items")


def payments_for_payee(**payee: Any) -> QuerySet[Payment]:
    """A payee's remittances: payments that went out or were paid, newest first."""
    given = {name: value for name, value in payee.items() if value is not None}
    return (
        Payment.objects.filter(**given, status__in=(PaymentStatus.SENT, PaymentStatus.PAID))
        .exclude(run__status=RunStatus.CANCELLED)
        .select_related("run")
        .prefetch_related("items")
        .order_by("-run__pay_on", "-id")
    )


# --- Prompt payment --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PromptPayment:
    paid: int
    paid_within_terms: int

    @property
    def share(self) -> Decimal | None:
        """The share of invoices paid within 30 days of receipt, as a fraction, or None with none paid."""
        if not self.paid:
            return None
        return (Decimal(self.paid_within_terms) / Decimal(self.paid)).quantize(Decimal("0.001"))


def prompt_payment(*, council: Organisation, start: date, end: date) -> PromptPayment:
    """Invoices of the council's budgets paid between ``start`` and ``end`` (inclusive): how many were paid
    within 30 days of being received, counting a payment as made when it was sent (a bank line) or paid
    (a Stripe transfer)."""
    items = PaymentItem.objects.filter(
        invoice__isnull=False,
        run__council=council,
        status__in=(ItemStatus.SENT, ItemStatus.PAID),
        payment__sent_at__date__gte=start,
        payment__sent_at__date__lte=end,
    ).values_list("invoice__submitted_at", "payment__sent_at")
    paid = within = 0
    for submitted_at, sent_at in items:
        paid += 1
        within += _within_terms(submitted_at, sent_at)
    return PromptPayment(paid=paid, paid_within_terms=within)


def _within_terms(submitted_at: datetime, sent_at: datetime) -> bool:
    return sent_at - submitted_at <= timedelta(days=PROMPT_PAYMENT_DAYS)
