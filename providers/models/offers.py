"""Offers (Open Referral "services"): identity and status on ``Offer``, content on ``OfferVersion``.

A published offer shows its ``live_version``. Editing it makes a new version that waits for approval
as ``pending_version``; the live version stays visible until the change is approved. Every version is
kept, so the checker can compare a change with what was last approved.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class OfferStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PENDING = "pending", "Waiting for checks"
    PUBLISHED = "published", "Published"
    SUSPENDED = "suspended", "Suspended"
    WITHDRAWN = "withdrawn", "Withdrawn"


class VersionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for checking"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Returned with a reason"
    SUPERSEDED = "superseded", "Replaced by a later version"


class AttendingType(models.TextChoices):
    AT_HOME = "in_home", "At your home"
    VENUE = "venue", "At a venue"
    ONLINE = "online", "Online"


class CostUnit(models.TextChoices):
    HOUR = "hour", "per hour"
    SESSION = "session", "per session"
    DAY = "day", "per day"
    NIGHT = "night", "per night"
    WEEK = "week", "per week"
    ITEM = "item", "per item"


class VatStatus(models.TextChoices):
    NOT_REGISTERED = "not_registered", "No VAT (not VAT-registered)"
    EXEMPT = "exempt", "Exempt from VAT"
    INCLUDED = "included", "Price includes VAT"
    PLUS_VAT = "plus_vat", "Price plus VAT at 20%"


class Weekday(models.TextChoices):
    MO = "MO", "Monday"
    TU = "TU", "Tuesday"
    WE = "WE", "Wednesday"
    TH = "TH", "Thursday"
    FR = "FR", "Friday"
    SA = "SA", "Saturday"
    SU = "SU", "Sunday"


class OfferQuerySet(models.QuerySet):
    def published(self) -> "OfferQuerySet":
        return self.filter(status=OfferStatus.PUBLISHED, live_version__isnull=False)

    def of_organisation(self, organisation) -> "OfferQuerySet":  # type: ignore[no-untyped-def]
        return self.filter(organisation=organisation)

    def of_personal_assistant(self, pa_profile) -> "OfferQuerySet":  # type: ignore[no-untyped-def]
        return self.filter(personal_assistant=pa_profile)


class Offer(models.Model):
    """A service offered by a provider organisation or by a personal assistant."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="offers"
    )
    personal_assistant = models.ForeignKey(
        "providers.PersonalAssistantProfile", null=True, blank=True, on_delete=models.CASCADE, related_name="offers"
    )
    status = models.CharField(max_length=20, choices=OfferStatus.choices, default=OfferStatus.DRAFT)
    live_version = models.OneToOneField(
        "providers.OfferVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="live_for"
    )
    working_version = models.OneToOneField(
        "providers.OfferVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="working_for",
        help_text="The version being edited or waiting for checks; empty when there is no change",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # Families' published reviews, summed up by the marketplace through providers.services.ratings (the only
    # writer): kept here so that pages and search cards show them without reading the reviews.
    rating_average = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("5"))],
        help_text="The average of the published reviews' ratings (1 to 5); empty when there are none",
    )
    rating_count = models.PositiveIntegerField(default=0, help_text="How many published reviews there are")

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, personal_assistant__isnull=True)
                | Q(organisation__isnull=True, personal_assistant__isnull=False),
                name="offer_has_one_provider",
            )
        ]

    def __str__(self) -> str:
        version = self.live_version or self.working_version
        return version.name if version else str(self.public_id)

    @property
    def is_by_personal_assistant(self) -> bool:
        return self.personal_assistant_id is not None

    @property
    def provider_name(self) -> str:
        if self.personal_assistant_id:
            return self.personal_assistant.display_name
        profile = getattr(self.organisation, "provider_profile", None)
        return profile.display_name if profile else self.organisation.name

    @property
    def has_pending_change(self) -> bool:
        return (
            self.working_version_id is not None
            and self.working_version.state == VersionState.SUBMITTED
            and self.live_version_id is not None
        )


class OfferVersion(models.Model):
    """The content of an offer at one point in its history."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=20, choices=VersionState.choices, default=VersionState.DRAFT)
    name = models.CharField(max_length=150)
    description = models.TextField()
    url = models.URLField("web page", blank=True)
    email = models.EmailField(blank=True)
    categories = models.ManyToManyField("providers.TaxonomyTerm", related_name="offer_versions_in_category")
    needs = models.ManyToManyField("providers.TaxonomyTerm", blank=True, related_name="offer_versions_for_need")
    minimum_age = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(120)])
    maximum_age = models.PositiveSmallIntegerField(default=25, validators=[MaxValueValidator(120)])
    attending_types = models.JSONField(default=list, help_text="in_home, venue and/or online")
    languages = models.JSONField(default=list, blank=True)
    accessibility = models.TextField(blank=True)
    capacity_places = models.PositiveIntegerField("places free now", null=True, blank=True)
    capacity_hours = models.DecimalField(
        "hours a week free now",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    capacity_note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", blank=True
    )
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["offer", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "number"], name="unique_version_number_per_offer"),
            models.CheckConstraint(condition=Q(minimum_age__lte=models.F("maximum_age")), name="age_range_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.number})"

    @property
    def has_capacity(self) -> bool:
        return bool(self.capacity_places) or bool(self.capacity_hours and self.capacity_hours > 0)


class CostOption(models.Model):
    version = models.ForeignKey(OfferVersion, on_delete=models.CASCADE, related_name="cost_options")
    amount = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))])
    currency = models.CharField(max_length=3, default="GBP", editable=False)
    unit = models.CharField(max_length=10, choices=CostUnit.choices)
    vat_status = models.CharField(max_length=20, choices=VatStatus.choices, default=VatStatus.NOT_REGISTERED)
    description = models.CharField(max_length=200, blank=True, help_text="e.g. 'evenings and weekends'")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["amount"]

    def __str__(self) -> str:
        return f"£{self.amount} {self.get_unit_display()}"


class Schedule(models.Model):
    """When the offer runs: one row per weekday and time span (Open Referral ``byday``/opens/closes)."""

    version = models.ForeignKey(OfferVersion, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.CharField(max_length=2, choices=Weekday.choices)
    opens_at = models.TimeField()
    closes_at = models.TimeField()
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["version", "weekday", "opens_at"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class ServiceArea(models.Model):
    """Where a "comes to your home" offer reaches: a postcode district, or a whole council area."""

    version = models.ForeignKey(OfferVersion, on_delete=models.CASCADE, related_name="service_areas")
    postcode_district = models.CharField(max_length=4, blank=True)
    council_code = models.CharField(max_length=9, blank=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(postcode_district="") | ~Q(council_code=""), name="service_area_names_a_place"
            )
        ]

    def __str__(self) -> str:
        return self.name


class OfferLocation(models.Model):
    """A venue where the offer is given, geocoded from its postcode."""

    public_id = models.UUIDField(default=uuid.uuid4, editable=False)
    version = models.ForeignKey(OfferVersion, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=150)
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=8)
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    council_code = models.CharField(max_length=9, blank=True)
    accessibility = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.postcode}"


class OfferStatusChange(models.Model):
    """History of every offer status change: who, when, why."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=20, choices=OfferStatus.choices)
    new_status = models.CharField(max_length=20, choices=OfferStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", blank=True
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
