"""Invoices against orders, their lines and credit notes, and one-off purchases.

VAT arithmetic is per line, rounded half up to the penny (``priced``): HMRC allows rounding per line or
per invoice, and per line means a line's figures never change when another line is added or credited.
An invoice's totals are the sums of its lines' rounded figures.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from providers.models import VatStatus

PENNY = Decimal("0.01")
VAT_RATE = Decimal("0.20")
PAYMENT_TERMS_DAYS = 30
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Price:
    net: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


def to_penny(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def priced(*, units: Decimal, rate: Decimal, vat_status: str) -> Price:
    """One line's net, VAT and gross. ``plus_vat``: 20% is added to the rounded net. ``included``: the
    rate already includes VAT, whose part (one sixth of the gross) is shown. Otherwise there is no VAT."""
    amount = to_penny(Decimal(units) * Decimal(rate))
    return price_of_amount(amount=amount, vat_status=vat_status)


def price_of_amount(*, amount: Decimal, vat_status: str) -> Price:
    """``amount`` is net for ``plus_vat`` and gross for ``included``, as on the provider's price list."""
    if vat_status == VatStatus.PLUS_VAT:
        return Price(net=amount, vat=to_penny(amount * VAT_RATE))
    if vat_status == VatStatus.INCLUDED:
        vat = to_penny(amount * VAT_RATE / (1 + VAT_RATE))
        return Price(net=amount - vat, vat=vat)
    return Price(net=amount, vat=ZERO)


def plain(units: Decimal) -> str:
    """12.00 → 12, 1.50 → 1.5: how people write a number of hours or sessions."""
    text = f"{units:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def vat_is_charged(vat_status: str) -> bool:
    return vat_status in {VatStatus.PLUS_VAT, VatStatus.INCLUDED}


class InvoiceStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for approval"
    QUERIED = "queried", "Queried with the provider"
    APPROVED = "approved", "Approved for payment"
    REFUSED = "refused", "Refused"
    PAID = "paid", "Paid"


WAITING_INVOICE_STATUSES = frozenset({InvoiceStatus.SUBMITTED, InvoiceStatus.QUERIED})


def default_due_on(issued_on):  # type: ignore[no-untyped-def]
    return issued_on + timedelta(days=PAYMENT_TERMS_DAYS)


class Invoice(models.Model):
    """A provider's invoice against one order. Its amounts are worked out from its lines by the service;
    ``breaches`` lists where it goes beyond the order (rate, units, dates), which only an override with
    a reason by someone with authority over the budget lets through."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey("marketplace.Order", on_delete=models.PROTECT, related_name="invoices")
    provider_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="invoices_issued"
    )
    personal_assistant = models.ForeignKey(
        "providers.PersonalAssistantProfile", null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    number = models.CharField("invoice number", max_length=40, help_text="The provider's own invoice number")
    issued_on = models.DateField()
    due_on = models.DateField(help_text=f"{PAYMENT_TERMS_DAYS} days after it is issued unless agreed otherwise")
    vat_status = models.CharField(max_length=20, choices=VatStatus.choices)
    vat_number = models.CharField("VAT registration number", max_length=14, blank=True)
    net_total = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    vat_total = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    total = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    status = models.CharField(max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.SUBMITTED)
    breaches = models.JSONField(default=list, blank=True, help_text="Where the invoice goes beyond its order")
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    timesheet = models.OneToOneField(
        "marketplace.Timesheet", null=True, blank=True, on_delete=models.PROTECT, related_name="invoice"
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider_organisation", "number"],
                condition=Q(provider_organisation__isnull=False),
                name="invoice_number_unique_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["personal_assistant", "number"],
                condition=Q(personal_assistant__isnull=False),
                name="invoice_number_unique_per_personal_assistant",
            ),
            models.CheckConstraint(
                condition=Q(provider_organisation__isnull=False, personal_assistant__isnull=True)
                | Q(provider_organisation__isnull=True, personal_assistant__isnull=False),
                name="invoice_has_one_provider",
            ),
            models.CheckConstraint(condition=Q(issued_on__lte=models.F("due_on")), name="invoice_due_after_issue"),
        ]

    def __str__(self) -> str:
        return f"Invoice {self.number}"

    def settlement_key(self, suffix: str = "approval") -> str:
        return f"invoice-{self.public_id}-settle-{suffix}"


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    delivered_on = models.DateField()
    description = models.CharField(max_length=200, blank=True)
    units = models.DecimalField(max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    rate = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(ZERO)])
    net = models.DecimalField(max_digits=12, decimal_places=2)
    vat = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["invoice", "delivered_on", "id"]

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


class InvoiceStatusChange(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=20, choices=InvoiceStatus.choices, blank=True)
    new_status = models.CharField(max_length=20, choices=InvoiceStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]


class CreditNote(models.Model):
    """Reduces an invoice by ``net`` (plus VAT worked out the invoice's way). On an approved invoice the
    ledger settlement is reversed and the reduced amount settled again."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    number = models.CharField("credit note number", max_length=40)
    net = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    vat = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    reason = models.TextField()
    issued_on = models.DateField(default=timezone.localdate)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["invoice", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["invoice", "number"], name="credit_note_number_unique")]

    @property
    def total(self) -> Decimal:
        return self.net + self.vat


class OneOffPurchase(models.Model):
    """Goods, a deposit or a new supplier with no account: paid on the supplier's invoice, or reimbursed to
    the person who paid, against a receipt. Requesting it commits the money; approval settles it."""

    class Kind(models.TextChoices):
        SUPPLIER_INVOICE = "supplier_invoice", "Pay the supplier's invoice"
        REIMBURSEMENT = "reimbursement", "Pay back someone who paid, against a receipt"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for approval"
        APPROVED = "approved", "Approved for payment"
        REFUSED = "refused", "Refused"
        PAID = "paid", "Paid"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("brokerage.PersonSupported", on_delete=models.PROTECT, related_name="one_off_purchases")
    allocation = models.ForeignKey("brokerage.Allocation", on_delete=models.PROTECT, related_name="one_off_purchases")
    plan_line = models.ForeignKey(
        "brokerage.PlanLine", null=True, blank=True, on_delete=models.PROTECT, related_name="one_off_purchases"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    supplier_name = models.CharField(max_length=150)
    supplier_invoice_number = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=200)
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))], help_text="Including VAT"
    )
    receipt = models.ForeignKey("providers.Upload", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    pay_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who is reimbursed (reimbursements only)",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="reimbursement") | Q(receipt__isnull=False, pay_to__isnull=False),
                name="reimbursement_has_receipt_and_payee",
            ),
            models.CheckConstraint(
                condition=~Q(kind="supplier_invoice") | ~Q(supplier_invoice_number=""),
                name="supplier_invoice_has_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.supplier_name})"

    @property
    def ledger_reference(self) -> str:
        return f"one-off-{self.public_id}"
