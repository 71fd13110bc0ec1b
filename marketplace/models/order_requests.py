"""Orders that wait on a budget-holding manager, and brokers' declared interests (issue #13).

An ``OrderRequest`` holds the terms of an order that was not placed: one beyond the lead professional's
delegated authority, or one with a provider the broker's own organisation has an interest in. A
budget-holding manager of the person's council approves it (the order is then placed once, under the
request's row lock, with the manager's authority) or declines it with a reason; the requester may
withdraw it while it waits.

An ``InterestDeclaration`` is a broker organisation's statement that it runs, owns or is otherwise tied to
a provider organisation or a personal assistant. Orders a broker of that organisation places with that
provider need a manager's sign-off; the family and the council see the declaration.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from brokerage.models import LineFrequency
from marketplace.models.orders import NOT_NEGATIVE, POSITIVE_UNITS, PAEmployment
from providers.models import CostUnit, VatStatus


class InterestDeclaration(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    broker_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="interests_declared"
    )
    provider_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="interests_in"
    )
    personal_assistant = models.ForeignKey(
        "providers.PersonalAssistantProfile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interests_in",
    )
    nature = models.TextField(help_text="What ties the broker organisation to the provider")
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-declared_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(provider_organisation__isnull=True) ^ models.Q(personal_assistant__isnull=True),
                name="interest_in_one_provider",
            )
        ]

    def __str__(self) -> str:
        return f"{self.broker_organisation}'s interest in {self.provider_name}"

    @property
    def provider_name(self) -> str:
        return str(self.provider_organisation or self.personal_assistant)

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None

    def clean(self) -> None:
        if (self.provider_organisation_id is None) == (self.personal_assistant_id is None):
            raise ValidationError("Choose the provider organisation or the personal assistant the interest is in")


class OrderRequestKind(models.TextChoices):
    BEYOND_AUTHORITY = "beyond_authority", "Beyond delegated authority"
    INTEREST_SIGN_OFF = "interest_sign_off", "Declared interest: needs sign-off"


class OrderRequestStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a manager"
    APPROVED = "approved", "Approved and placed"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class OrderRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=OrderRequestKind.choices)
    status = models.CharField(max_length=20, choices=OrderRequestStatus.choices, default=OrderRequestStatus.WAITING)
    person = models.ForeignKey("brokerage.PersonSupported", on_delete=models.PROTECT, related_name="order_requests")
    offer = models.ForeignKey("providers.Offer", on_delete=models.PROTECT, related_name="order_requests")
    plan_line = models.ForeignKey(
        "brokerage.PlanLine", null=True, blank=True, on_delete=models.PROTECT, related_name="order_requests"
    )
    allocation = models.ForeignKey(
        "brokerage.Allocation", null=True, blank=True, on_delete=models.PROTECT, related_name="order_requests"
    )
    block_contract = models.ForeignKey(
        "marketplace.BlockContract", null=True, blank=True, on_delete=models.PROTECT, related_name="order_requests"
    )
    description = models.CharField(max_length=200)
    units = models.DecimalField(max_digits=10, decimal_places=2, validators=POSITIVE_UNITS)
    unit = models.CharField(max_length=10, choices=CostUnit.choices)
    rate = models.DecimalField(max_digits=10, decimal_places=2, validators=NOT_NEGATIVE)
    vat_status = models.CharField(max_length=20, choices=VatStatus.choices, default=VatStatus.NOT_REGISTERED)
    frequency = models.CharField(max_length=10, choices=LineFrequency.choices, default=LineFrequency.WEEKLY)
    schedule = models.CharField(max_length=200, blank=True)
    pa_employment = models.CharField(max_length=30, choices=PAEmployment.choices, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2, help_text="What the order costs in full")
    refusal = models.TextField(blank=True, help_text="Why the order could not be placed by the requester")
    interest = models.ForeignKey(
        InterestDeclaration, null=True, blank=True, on_delete=models.PROTECT, related_name="order_requests"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    order = models.OneToOneField(
        "marketplace.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="request"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.description} for {self.person}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date"})
        if self.kind == OrderRequestKind.INTEREST_SIGN_OFF and self.interest_id is None:
            raise ValidationError("An order needing sign-off names the interest declared")
