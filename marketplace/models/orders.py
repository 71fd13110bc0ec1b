"""Orders (individual service agreements), the changes a provider proposes, council block contracts that
orders may draw down, and what was delivered (delivery records and personal assistants' timesheets).

An order's money lives in the ledger, never on the order: every ledger transaction of an order carries
the order's reference (``Order.ledger_reference``), so what the order still holds committed is the sum
of its postings on the allocation's committed account. Statuses change only through
``marketplace.services.orders`` (one function checks the move and writes an ``OrderStatusChange``).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from brokerage.models import LineFrequency
from providers.models import CostUnit, VatStatus

POSITIVE_UNITS = [MinValueValidator(0.01)]
NOT_NEGATIVE = [MinValueValidator(0)]


class BlockContract(models.Model):
    """A council's pre-purchased volume (hours, sessions…) from one provider, perhaps for one offer.

    An order that draws it down commits no budget money; the units its orders hold can never exceed
    the units purchased (checked under a row lock when an order is placed or changed)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="block_contracts")
    reference = models.CharField(max_length=40, help_text="The contract's reference in the council's records")
    provider_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="block_contracts_held"
    )
    personal_assistant = models.ForeignKey(
        "providers.PersonalAssistantProfile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="block_contracts",
    )
    offer = models.ForeignKey(
        "providers.Offer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="block_contracts",
        help_text="Empty: any of the provider's offers may draw it down",
    )
    stream = models.ForeignKey(
        "brokerage.FundingStream", null=True, blank=True, on_delete=models.PROTECT, related_name="block_contracts"
    )
    units_purchased = models.DecimalField(max_digits=10, decimal_places=2, validators=POSITIVE_UNITS)
    unit = models.CharField(max_length=10, choices=CostUnit.choices, default=CostUnit.HOUR)
    rate = models.DecimalField(max_digits=10, decimal_places=2, validators=NOT_NEGATIVE)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["council", "-starts_on", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["council", "reference"], name="block_contract_reference_unique"),
            models.CheckConstraint(
                condition=Q(provider_organisation__isnull=False, personal_assistant__isnull=True)
                | Q(provider_organisation__isnull=True, personal_assistant__isnull=False),
                name="block_contract_has_one_provider",
            ),
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("ends_on")), name="block_contract_dates"),
        ]

    def __str__(self) -> str:
        return f"Block contract {self.reference}"


class OrderStatus(models.TextChoices):
    PLACED = "placed", "Waiting for the provider"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined by the provider"
    CHANGE_PROPOSED = "change_proposed", "Change proposed by the provider"
    CANCELLED = "cancelled", "Cancelled"
    COMPLETED = "completed", "Completed"


LIVE_ORDER_STATUSES = frozenset({OrderStatus.PLACED, OrderStatus.ACCEPTED, OrderStatus.CHANGE_PROPOSED})
CLOSED_ORDER_STATUSES = frozenset({OrderStatus.CANCELLED, OrderStatus.COMPLETED})


class PAEmployment(models.TextChoices):
    SELF_EMPLOYED = "self_employed", "Self-employed or through an agency: sends invoices"
    EMPLOYED_BY_FAMILY = "employed_by_family", "Employed by the family: hours go to the family's payroll"


class Order(models.Model):
    """An individual service agreement: what a budget holder buys from a provider or personal assistant."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("brokerage.PersonSupported", on_delete=models.PROTECT, related_name="orders")
    allocation = models.ForeignKey(
        "brokerage.Allocation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        help_text="The budget money that pays; empty when a block contract pays",
    )
    block_contract = models.ForeignKey(
        BlockContract, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    stream = models.ForeignKey(
        "brokerage.FundingStream", null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    plan_line = models.ForeignKey(
        "brokerage.PlanLine", null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    offer = models.ForeignKey("providers.Offer", on_delete=models.PROTECT, related_name="orders")
    provider_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="orders_received"
    )
    personal_assistant = models.ForeignKey(
        "providers.PersonalAssistantProfile", null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    pa_employment = models.CharField(max_length=20, choices=PAEmployment.choices, blank=True)
    description = models.CharField(max_length=200)
    units = models.DecimalField(max_digits=8, decimal_places=2, validators=POSITIVE_UNITS)
    unit = models.CharField(max_length=10, choices=CostUnit.choices)
    rate = models.DecimalField(max_digits=10, decimal_places=2, validators=NOT_NEGATIVE)
    vat_status = models.CharField(max_length=20, choices=VatStatus.choices, default=VatStatus.NOT_REGISTERED)
    schedule = models.CharField(max_length=200, blank=True, help_text="e.g. 'Tuesdays and Thursdays, 5 to 6pm'")
    frequency = models.CharField(max_length=10, choices=LineFrequency.choices, default=LineFrequency.WEEKLY)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.PLACED)
    block_units_held = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=0,
        help_text="Units of the block contract this order holds: its units while live, what was delivered after",
    )
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders_placed")
    placed_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(provider_organisation__isnull=False, personal_assistant__isnull=True)
                | Q(provider_organisation__isnull=True, personal_assistant__isnull=False),
                name="order_has_one_provider",
            ),
            models.CheckConstraint(
                condition=Q(allocation__isnull=False, block_contract__isnull=True)
                | Q(allocation__isnull=True, block_contract__isnull=False),
                name="order_paid_by_budget_or_block_contract",
            ),
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("ends_on")), name="order_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.description} for {self.person}"

    @property
    def ledger_reference(self) -> str:
        return self.ledger_reference_of(self.public_id)

    @staticmethod
    def ledger_reference_of(public_id: object) -> str:
        """The reference of the ledger movements of the order with this public id (payment runs read rows)."""
        return f"order-{public_id}"

    @property
    def provider_name(self) -> str:
        return self.offer.provider_name

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_ORDER_STATUSES

    @property
    def invoices_expected(self) -> bool:
        """Block contracts are paid by the council, and a PA employed by the family is paid through payroll."""
        return self.block_contract_id is None and self.pa_employment != PAEmployment.EMPLOYED_BY_FAMILY

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date"})
        if self.personal_assistant_id and not self.pa_employment:
            raise ValidationError({"pa_employment": "Say whether the personal assistant is employed by the family"})
        if not self.personal_assistant_id and self.pa_employment:
            raise ValidationError({"pa_employment": "Only a personal assistant is employed by a family"})


class OrderStatusChange(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    new_status = models.CharField(max_length=20, choices=OrderStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]


class OrderChange(models.Model):
    """A provider's proposal to change an order's rate, units or dates; the budget holder accepts or rejects it."""

    class Decision(models.TextChoices):
        WAITING = "waiting", "Waiting for the budget holder"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="changes")
    units = models.DecimalField(max_digits=8, decimal_places=2, validators=POSITIVE_UNITS)
    rate = models.DecimalField(max_digits=10, decimal_places=2, validators=NOT_NEGATIVE)
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.TextField()
    status_before = models.CharField(
        max_length=20, choices=OrderStatus.choices, help_text="Where the order goes back to if this is rejected"
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=Q(decision="waiting"), name="one_waiting_change_per_order"
            ),
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("ends_on")), name="order_change_dates"),
        ]

    @property
    def ledger_key(self) -> str:
        return f"order-change-{self.public_id}"


class Timesheet(models.Model):
    """A personal assistant's hours for a period. Self-employed: it becomes an invoice. Employed by the
    family: it is recorded for the family's payroll, and no invoice is raised."""

    class Outcome(models.TextChoices):
        INVOICED = "invoiced", "Sent as an invoice"
        FOR_PAYROLL = "for_payroll", "Recorded for the family's payroll"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="timesheets")
    period_start = models.DateField()
    period_end = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")), name="timesheet_period")
        ]

    def __str__(self) -> str:
        return f"Timesheet {self.period_start:%-d %b} to {self.period_end:%-d %b %Y}"


class TimesheetLine(models.Model):
    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="lines")
    worked_on = models.DateField()
    units = models.DecimalField(max_digits=6, decimal_places=2, validators=POSITIVE_UNITS)
    notes = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["timesheet", "worked_on", "id"]


class DeliveryRecord(models.Model):
    """Sessions or hours the provider delivered on a date (from a timesheet line, for a PA)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="deliveries")
    delivered_on = models.DateField()
    units = models.DecimalField(max_digits=8, decimal_places=2, validators=POSITIVE_UNITS)
    notes = models.TextField(blank=True, max_length=1000)
    timesheet = models.ForeignKey(Timesheet, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "delivered_on", "id"]

    def __str__(self) -> str:
        return f"{self.units} {self.order.unit} on {self.delivered_on:%-d %B %Y}"
