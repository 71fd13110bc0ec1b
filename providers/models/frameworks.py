"""Framework contracts: a council's agreement with providers that meet its quality requirements.

A framework flag is a quality signal on a listing, never a gate: budget holders may buy on or off it.
"""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class FrameworkContract(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="frameworks")
    reference = models.CharField(max_length=40)
    name = models.CharField(max_length=150, help_text="e.g. 'Short Breaks Framework'")
    starts_on = models.DateField()
    ends_on = models.DateField()
    terms = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "reference"], name="framework_reference_unique_per_council"),
            models.CheckConstraint(condition=Q(starts_on__lt=models.F("ends_on")), name="framework_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.name} {self.starts_on:%Y}–{self.ends_on:%Y}"


class FrameworkLot(models.Model):
    framework = models.ForeignKey(FrameworkContract, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=150)
    categories = models.ManyToManyField("providers.TaxonomyTerm", related_name="framework_lots")
    rate = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    rate_unit = models.CharField(max_length=10, blank=True, help_text="hour, session, day, night, week or item")

    class Meta:
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="lot_number_unique")]

    def __str__(self) -> str:
        return f"Lot {self.number}: {self.name}"


class MembershipStatus(models.TextChoices):
    ADMITTED = "admitted", "Admitted"
    SUSPENDED = "suspended", "Suspended"
    ENDED = "ended", "Ended"


class FrameworkMembership(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lot = models.ForeignKey(FrameworkLot, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="framework_memberships"
    )
    status = models.CharField(max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.ADMITTED)
    admitted_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["lot", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["lot", "organisation"], name="one_membership_per_lot")]


class FrameworkMembershipChange(models.Model):
    membership = models.ForeignKey(FrameworkMembership, on_delete=models.CASCADE, related_name="changes")
    old_status = models.CharField(max_length=20, choices=MembershipStatus.choices, blank=True)
    new_status = models.CharField(max_length=20, choices=MembershipStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
