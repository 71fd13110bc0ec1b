import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class ProfileStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PENDING = "pending", "Waiting for checks"
    PUBLISHED = "published", "Published"
    SUSPENDED = "suspended", "Suspended"
    WITHDRAWN = "withdrawn", "Withdrawn"


class EmploymentPreference(models.TextChoices):
    SELF_EMPLOYED = "self_employed", "Self-employed (I send invoices)"
    EMPLOYED_BY_FAMILY = "employed_by_family", "Employed by a family (the family runs payroll)"
    EITHER = "either", "Either"


class ProfileBase(models.Model):
    """What organisation and PA profiles share: a status changed only through
    ``providers.services.profile_set_status``, and a pending change to a published profile, which
    stays invisible until it is approved."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=20, choices=ProfileStatus.choices, default=ProfileStatus.DRAFT)
    description = models.TextField(blank=True)
    languages = models.JSONField(default=list, blank=True, help_text="ISO 639-1 codes, e.g. ['en', 'pa']")
    accessibility = models.TextField(blank=True)
    pending_changes = models.JSONField(
        default=dict, blank=True, help_text="Edits to a published profile waiting for approval: field → new value"
    )
    pending_submitted_at = models.DateTimeField(null=True, blank=True)
    # A checker's reason for returning the pending change; the change itself is kept so that the
    # provider can put it right and send it again. Cleared when it is sent again or approved.
    changes_returned_reason = models.TextField(blank=True)
    # Kept up to date by the quality-assurance services; search compares the date with today at query
    # time, so a lapse takes effect without reindexing.
    checks_current_until = models.DateField(
        null=True,
        blank=True,
        help_text="DBS check (PA) or safer-recruitment declaration (organisation) is current until",
    )
    assured_by_council = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assured_on = models.DateField(null=True, blank=True, help_text="Open Referral assured_date")
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.status == ProfileStatus.PUBLISHED

    @property
    def has_pending_changes(self) -> bool:
        return bool(self.pending_changes)


class ProviderProfile(ProfileBase):
    """A provider organisation's public profile."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="provider_profile"
    )
    legal_name = models.CharField(max_length=200)
    trading_name = models.CharField(max_length=200, blank=True)
    charity_number = models.CharField(max_length=12, blank=True)
    company_number = models.CharField(max_length=8, blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.TextField(blank=True, help_text="The organisation's office, shown publicly")
    postcode = models.CharField(max_length=8, blank=True)
    logo = models.ForeignKey("providers.Upload", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    REVIEWED_FIELDS = [
        "legal_name",
        "trading_name",
        "charity_number",
        "company_number",
        "description",
        "website",
        "email",
        "phone",
        "address",
        "postcode",
        "languages",
        "accessibility",
    ]

    class Meta:
        ordering = ["legal_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.trading_name or self.legal_name


class PersonalAssistantProfile(ProfileBase):
    """A personal assistant's listing. Their home postcode is private: only its district is ever shown."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pa_profile")
    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="pa_profiles", help_text="The PA register"
    )
    display_name = models.CharField(max_length=80, help_text="How families see you, e.g. 'Sam K.'")
    home_postcode = models.CharField(max_length=8, help_text="Private: used for distance, never shown")
    home_district = models.CharField(max_length=4, blank=True)
    areas = models.JSONField(default=list, blank=True, help_text="Postcode districts you cover, e.g. ['CV1', 'CV2']")
    available_days = models.JSONField(default=list, blank=True, help_text="Weekday codes: MO, TU, …")
    available_from = models.TimeField(null=True, blank=True)
    available_until = models.TimeField(null=True, blank=True)
    sleep_ins = models.BooleanField("can do sleep-ins", default=False)
    waking_nights = models.BooleanField("can do waking nights", default=False)
    skills = models.ManyToManyField("providers.TaxonomyTerm", blank=True, related_name="pa_profiles")
    experience = models.TextField(blank=True)
    drives = models.BooleanField("has a driving licence", default=False)
    own_vehicle = models.BooleanField("has own vehicle", default=False)
    employment_preference = models.CharField(
        max_length=30, choices=EmploymentPreference.choices, default=EmploymentPreference.EITHER
    )
    photo = models.ForeignKey("providers.Upload", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    REVIEWED_FIELDS = [
        "display_name",
        "description",
        "areas",
        "available_days",
        "available_from",
        "available_until",
        "sleep_ins",
        "waking_nights",
        "experience",
        "drives",
        "own_vehicle",
        "employment_preference",
        "languages",
        "accessibility",
    ]

    class Meta:
        ordering = ["display_name"]
        verbose_name = "personal assistant profile"

    def __str__(self) -> str:
        return self.display_name


class ProfileStatusChange(models.Model):
    """History of every profile status change: who, when, why."""

    provider_profile = models.ForeignKey(
        ProviderProfile, null=True, blank=True, on_delete=models.CASCADE, related_name="status_changes"
    )
    pa_profile = models.ForeignKey(
        PersonalAssistantProfile, null=True, blank=True, on_delete=models.CASCADE, related_name="status_changes"
    )
    old_status = models.CharField(max_length=20, choices=ProfileStatus.choices)
    new_status = models.CharField(max_length=20, choices=ProfileStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", blank=True
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(provider_profile__isnull=False, pa_profile__isnull=True)
                | models.Q(provider_profile__isnull=True, pa_profile__isnull=False),
                name="status_change_names_one_profile",
            )
        ]
