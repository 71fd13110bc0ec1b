"""Direct payments: the schedule of instalments into the family's account, what the family records
spending, and the light-touch monitoring flags the council reviews instead of asking for every receipt.

Amounts here mirror the ledger (each paid instalment and each spend points at its transaction); the
ledger stays the record of the money.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from brokerage.models.config import POSITIVE
from brokerage.models.ledger import LedgerTransaction
from brokerage.models.plans import Allocation, Budget


class PaymentFrequency(models.TextChoices):
    QUARTERLY = "quarterly", "Every quarter"
    MONTHLY = "monthly", "Every month"


class DirectPaymentSchedule(models.Model):
    """When the money of one direct-payment allocation is paid into the family's account."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    allocation = models.OneToOneField(Allocation, on_delete=models.PROTECT, related_name="dp_schedule")
    frequency = models.CharField(max_length=10, choices=PaymentFrequency.choices, default=PaymentFrequency.QUARTERLY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["allocation"]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} direct payments of {self.allocation}"


class DirectPaymentInstalment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    schedule = models.ForeignKey(DirectPaymentSchedule, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2, validators=POSITIVE)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transaction = models.OneToOneField(
        LedgerTransaction, null=True, blank=True, on_delete=models.PROTECT, related_name="dp_instalment"
    )

    class Meta:
        ordering = ["schedule", "number"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "number"], name="instalment_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_is_more_than_nothing"),
        ]

    def __str__(self) -> str:
        return f"Instalment {self.number}: £{self.amount:,.2f} due {self.due_on:%d %B %Y}"

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None


class FamilySpend(models.Model):
    """Something the family bought from their direct-payment account, as they recorded it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="family_spends")
    amount = models.DecimalField(max_digits=12, decimal_places=2, validators=POSITIVE)
    spent_on = models.DateField()
    description = models.CharField("What it was for", max_length=200)
    category = models.ForeignKey(
        "providers.TaxonomyTerm",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the family chose something that is not in the plan",
    )
    receipt = models.ForeignKey("providers.Upload", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    transaction = models.OneToOneField(LedgerTransaction, on_delete=models.PROTECT, related_name="family_spend")

    class Meta:
        ordering = ["-spent_on", "-id"]

    def __str__(self) -> str:
        return f"£{self.amount:,.2f} on {self.spent_on:%d %B %Y}: {self.description}"


class MonitoringFlag(models.Model):
    """Something in a direct payment the council should look at; raised once per ``key``."""

    class Kind(models.TextChoices):
        OUTSIDE_PLAN = "outside_plan", "Spent on something not in the plan"
        UNUSUAL_AMOUNT = "unusual_amount", "Unusual amount"
        SURPLUS = "surplus", "Surplus above policy"
        NO_SPENDING = "no_spending", "No spending recorded"

    class Status(models.TextChoices):
        OPEN = "open", "To review"
        RESOLVED = "resolved", "Resolved"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="monitoring_flags")
    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="monitoring_flags")
    spend = models.ForeignKey(
        FamilySpend, null=True, blank=True, on_delete=models.PROTECT, related_name="monitoring_flags"
    )
    detail = models.CharField(max_length=300)
    raised_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["raised_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.detail}"
