"""Individual service funds (ISF): money a chosen provider holds on the person's behalf.

The council pays the ISF's allocation to the provider in instalments (through the payment run); each month
the provider submits a statement of hours × rate per plan line (and any other spending); the council
reconciles it against the plan and accepts it or queries it; when the budget's period ends, what the
provider still holds is returned to the council or carried forward, by the council's surplus policy.

Amounts here mirror the ledger (a paid instalment, an accepted statement and a period end each point at
their transaction); the ledger stays the record of the money.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from brokerage.models.config import POSITIVE
from brokerage.models.ledger import LedgerTransaction
from brokerage.models.plans import Allocation, PlanLine

PENNY = Decimal("0.01")


class SurplusAction(models.TextChoices):
    RETURN = "return", "Return unspent money to the council"
    CARRY_FORWARD = "carry_forward", "Carry unspent money forward to the provider's next fund"


class ServiceFundPolicy(models.Model):
    """A council's rules for individual service funds. Without a saved row the defaults below apply."""

    council = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="service_fund_policy"
    )
    surplus_action = models.CharField(max_length=20, choices=SurplusAction.choices, default=SurplusAction.RETURN)
    carry_forward_weeks = models.PositiveSmallIntegerField(
        default=10,
        help_text="When carrying forward: at most this many weeks of the fund's planned spending; the rest is "
        "returned (councils reclaim surplus above roughly 10 weeks of spending)",
    )
    tolerance_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("5.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="A difference from the plan within this share of the planned amount is not flagged",
    )
    tolerance_amount = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=POSITIVE,
        help_text="A difference from the plan within this many pounds is not flagged",
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "service fund policies"

    def __str__(self) -> str:
        return f"{self.council} individual service fund policy"

    def tolerance_for(self, planned: Decimal) -> Decimal:
        """The larger of the percentage of ``planned`` and the pounds: either set to 0 leaves the other."""
        share = (abs(planned) * self.tolerance_percent / 100).quantize(PENNY)
        return max(share, self.tolerance_amount)


class ServiceFundFrequency(models.TextChoices):
    MONTHLY = "monthly", "Every month"
    FOUR_WEEKLY = "four_weekly", "Every four weeks"
    QUARTERLY = "quarterly", "Every quarter"


class ServiceFundSchedule(models.Model):
    """When the money of one ISF allocation is paid to the provider that holds it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    allocation = models.OneToOneField(Allocation, on_delete=models.PROTECT, related_name="isf_schedule")
    frequency = models.CharField(
        max_length=12, choices=ServiceFundFrequency.choices, default=ServiceFundFrequency.MONTHLY
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["allocation"]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} payments of {self.allocation} to {self.allocation.isf_provider}"


class ServiceFundInstalment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    schedule = models.ForeignKey(ServiceFundSchedule, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2, validators=POSITIVE)
    paid_at = models.DateTimeField(null=True, blank=True)
    transaction = models.OneToOneField(
        LedgerTransaction, null=True, blank=True, on_delete=models.PROTECT, related_name="isf_instalment"
    )

    class Meta:
        ordering = ["schedule", "number"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "number"], name="isf_instalment_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="isf_instalment_is_more_than_nothing"),
        ]

    def __str__(self) -> str:
        return f"Instalment {self.number}: £{self.amount:,.2f} due {self.due_on:%-d %B %Y}"

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None


class StatementStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for the council"
    QUERIED = "queried", "Queried by the council"
    ACCEPTED = "accepted", "Accepted"


class ServiceFundStatement(models.Model):
    """The provider's account of one month of the fund: what was delivered and spent, line by line."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="isf_statements")
    period_start = models.DateField(help_text="The first day of the month the statement covers")
    period_end = models.DateField()
    status = models.CharField(max_length=12, choices=StatementStatus.choices, default=StatementStatus.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    query_reason = models.TextField(blank=True)
    transaction = models.OneToOneField(
        LedgerTransaction, null=True, blank=True, on_delete=models.PROTECT, related_name="isf_statement"
    )

    class Meta:
        ordering = ["allocation", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "period_start"], name="one_isf_statement_per_month"),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")), name="isf_statement_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Statement for {self.period_start:%B %Y} of {self.allocation}"


class ServiceFundStatementLine(models.Model):
    """Hours (or other units) × rate for a plan line, or other spending (``plan_line`` empty)."""

    statement = models.ForeignKey(ServiceFundStatement, on_delete=models.CASCADE, related_name="lines")
    plan_line = models.ForeignKey(PlanLine, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=8, decimal_places=2, validators=POSITIVE)
    rate = models.DecimalField(max_digits=10, decimal_places=2, validators=POSITIVE)

    class Meta:
        ordering = ["statement", "id"]

    def __str__(self) -> str:
        return f"{self.description}: {self.quantity} × £{self.rate:,.2f}"

    @property
    def total(self) -> Decimal:
        return (self.quantity * self.rate).quantize(PENNY)


class ServiceFundStatementChange(models.Model):
    """History of a statement's status: who moved it, from what, to what and why."""

    statement = models.ForeignKey(ServiceFundStatement, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=12, choices=StatementStatus.choices, blank=True)
    new_status = models.CharField(max_length=12, choices=StatementStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]


class ServiceFundPeriodEnd(models.Model):
    """What happened to the money the provider still held when the fund's period ended: once per fund."""

    allocation = models.OneToOneField(Allocation, on_delete=models.PROTECT, related_name="isf_period_end")
    unspent = models.DecimalField(max_digits=12, decimal_places=2)
    returned = models.DecimalField(max_digits=12, decimal_places=2)
    carried_forward = models.DecimalField(max_digits=12, decimal_places=2)
    carried_to = models.ForeignKey(Allocation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    surplus_action = models.CharField(max_length=20, choices=SurplusAction.choices)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(unspent=models.F("returned") + models.F("carried_forward")),
                name="isf_period_end_adds_up",
            )
        ]

    def __str__(self) -> str:
        return f"Period end of {self.allocation}"
