"""Quality assurance: DBS checks, safer-recruitment declarations, regulator registrations, insurance,
references, council policies, framework contracts and concerns.

Nothing here can hold conviction or disclosure details: a DBS check records only its level, the
certificate number (encrypted; its last four characters kept for display), the issue date, who saw
the original and when, and the Update Service status. Reasons for refusing a check are chosen from a
fixed list, never typed, so that no free text about a person's record is ever stored.
"""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.fields import EncryptedTextField

# The Criminal Records Bureau became the Disclosure and Barring Service on 1 December 2012.
DBS_START = datetime.date(2012, 12, 1)


class CouncilQAPolicy(models.Model):
    """How long a council treats a check as current, and whether its frameworks need its own checks."""

    council = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE, related_name="qa_policy")
    dbs_recheck_months = models.PositiveSmallIntegerField(
        default=36, validators=[MinValueValidator(1), MaxValueValidator(120)], help_text="36 months is common"
    )
    update_service_check_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text="For checks on the DBS Update Service: how often a status check must be made",
    )
    framework_needs_own_verification = models.BooleanField(
        default=False, help_text="Framework flags apply only to listings this council has verified itself"
    )

    class Meta:
        verbose_name = "council quality-assurance policy"
        verbose_name_plural = "council quality-assurance policies"

    def __str__(self) -> str:
        return f"QA policy for {self.council}"


class Verification(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for a check"
    VERIFIED = "verified", "Verified"
    REFUSED = "refused", "Not accepted"


class DBSLevel(models.TextChoices):
    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"
    ENHANCED_CHILDREN = "enhanced_children", "Enhanced with children's barred list"
    ENHANCED_ADULTS = "enhanced_adults", "Enhanced with adults' barred list"
    ENHANCED_BOTH = "enhanced_both", "Enhanced with children's and adults' barred lists"


CHILDREN_BARRED_LIST_LEVELS = frozenset({DBSLevel.ENHANCED_CHILDREN, DBSLevel.ENHANCED_BOTH})


class DBSRefusal(models.TextChoices):
    ORIGINAL_NOT_SEEN = "original_not_seen", "The original certificate was not seen"
    NUMBER_MISMATCH = "number_mismatch", "The certificate number does not match the original"
    WRONG_LEVEL = "wrong_level", "The level is not right for work with children"
    NAME_MISMATCH = "name_mismatch", "The name on the certificate does not match"
    STATUS_CHANGED = "status_changed", "The Update Service shows the certificate is no longer current"


class StatusCheckResult(models.TextChoices):
    CURRENT = "current", "No new information: the certificate is current"
    NEW_INFORMATION = "new_information", "New information: a new certificate is needed"


class AssuredQuerySet(models.QuerySet):
    def verified(self) -> "AssuredQuerySet":
        return self.filter(verification=Verification.VERIFIED)

    def current_on(self, day: datetime.date) -> "AssuredQuerySet":
        return self.verified().filter(current_until__gte=day)


class DBSCheck(models.Model):
    """A DBS (or older CRB) certificate for a personal assistant, a broker or a provider's staff member."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pa_profile = models.ForeignKey(
        "providers.PersonalAssistantProfile", null=True, blank=True, on_delete=models.CASCADE, related_name="dbs_checks"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="dbs_checks"
    )
    person_name = models.CharField(max_length=120, help_text="The name on the certificate")
    level = models.CharField(max_length=30, choices=DBSLevel.choices)
    certificate_number = EncryptedTextField(help_text="12 digits; stored encrypted, shown as the last four")
    certificate_last4 = models.CharField(max_length=4, editable=False)
    issue_date = models.DateField()
    update_service = models.BooleanField("subscribed to the DBS Update Service", default=False)
    last_status_check_on = models.DateField(null=True, blank=True)
    last_status_check_result = models.CharField(max_length=20, choices=StatusCheckResult.choices, blank=True)
    verification = models.CharField(max_length=20, choices=Verification.choices, default=Verification.SUBMITTED)
    refusal = models.CharField(max_length=30, choices=DBSRefusal.choices, blank=True)
    original_seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    original_seen_on = models.DateField(null=True, blank=True)
    verified_by_council = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    current_until = models.DateField(null=True, blank=True, help_text="By the verifying council's policy")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    objects = AssuredQuerySet.as_manager()

    class Meta:
        ordering = ["-issue_date"]
        verbose_name = "DBS check"
        constraints = [
            models.CheckConstraint(
                condition=Q(pa_profile__isnull=False, organisation__isnull=True)
                | Q(pa_profile__isnull=True, organisation__isnull=False),
                name="dbs_check_belongs_to_one_listing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme} check ending {self.certificate_last4} for {self.person_name}"

    @property
    def scheme(self) -> str:
        """Certificates issued before 1 December 2012 were CRB certificates."""
        return "CRB" if self.issue_date < DBS_START else "DBS"

    @property
    def masked_number(self) -> str:
        return f"•••• {self.certificate_last4}"

    @property
    def allows_work_with_children(self) -> bool:
        return self.level in CHILDREN_BARRED_LIST_LEVELS


class DBSNumberReveal(models.Model):
    """Every time a full certificate number is shown, to whom and why."""

    dbs_check = models.ForeignKey(DBSCheck, on_delete=models.CASCADE, related_name="reveals")
    revealed_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=100, default="DBS Update Service status check")
    revealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-revealed_at"]


class SaferRecruitmentDeclaration(models.Model):
    """An organisation's declaration that all staff working with children hold enhanced checks with the
    children's barred list; verified by a council officer against evidence."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="safer_recruitment_declarations"
    )
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(default=timezone.now)
    staff_count = models.PositiveIntegerField(help_text="Staff who work with children")
    evidence = models.ForeignKey("providers.Upload", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    code_of_conduct_accepted = models.BooleanField(default=False, help_text="For broker organisations")
    verification = models.CharField(max_length=20, choices=Verification.choices, default=Verification.SUBMITTED)
    verified_by_council = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    current_until = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, help_text="About the evidence, never about a person's record")

    objects = AssuredQuerySet.as_manager()

    class Meta:
        ordering = ["-declared_at"]


class Regulator(models.TextChoices):
    CQC = "cqc", "Care Quality Commission (CQC)"
    OFSTED = "ofsted", "Ofsted"


class RegulatorRating(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    NOT_YET_RATED = "not_yet_rated", "Not yet rated"


class RegulatorRegistration(models.Model):
    """A CQC or Ofsted registration, recorded by a council officer (no regulator API is used)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="registrations")
    regulator = models.CharField(max_length=10, choices=Regulator.choices)
    registration_id = models.CharField(max_length=20, help_text="CQC location id or Ofsted URN")
    rating = models.CharField(max_length=30, choices=RegulatorRating.choices)
    inspection_date = models.DateField(null=True, blank=True)
    recorded_by_council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["regulator"]
        constraints = [
            models.UniqueConstraint(fields=["regulator", "registration_id"], name="one_record_per_registration")
        ]


class InsuranceKind(models.TextChoices):
    PUBLIC_LIABILITY = "public_liability", "Public liability"
    EMPLOYERS_LIABILITY = "employers_liability", "Employer's liability"


class InsurancePolicy(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="insurance_policies"
    )
    pa_profile = models.ForeignKey(
        "providers.PersonalAssistantProfile",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="insurance_policies",
    )
    kind = models.CharField(max_length=30, choices=InsuranceKind.choices)
    insurer = models.CharField(max_length=120)
    cover_amount = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    expires_on = models.DateField()
    certificate = models.ForeignKey(
        "providers.Upload", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verification = models.CharField(max_length=20, choices=Verification.choices, default=Verification.SUBMITTED)
    verified_by_council = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    # When it was sent for checking: the officers' queue is worked oldest first.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "-expires_on"]
        verbose_name_plural = "insurance policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(pa_profile__isnull=False, organisation__isnull=True)
                | Q(pa_profile__isnull=True, organisation__isnull=False),
                name="insurance_belongs_to_one_listing",
            )
        ]


class Reference(models.Model):
    """A reference for a personal assistant, taken up by a council officer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pa_profile = models.ForeignKey(
        "providers.PersonalAssistantProfile", on_delete=models.CASCADE, related_name="references"
    )
    referee_name = models.CharField(max_length=120)
    relationship = models.CharField(max_length=120, help_text="e.g. 'former employer', 'family I worked for'")
    referee_email = models.EmailField()
    verification = models.CharField(max_length=20, choices=Verification.choices, default=Verification.SUBMITTED)
    verified_by_council = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["referee_name"]


class LapseWarning(models.Model):
    """A warning sent before a listing's checks or an insurance policy lapse, kept so that each warning
    (60 days, 30 days) is sent once however often the daily task runs. Keyed on the lapse date, so a
    check renewed with a new date is warned about again when that date comes near."""

    provider_profile = models.ForeignKey(
        "providers.ProviderProfile", null=True, blank=True, on_delete=models.CASCADE, related_name="lapse_warnings"
    )
    pa_profile = models.ForeignKey(
        "providers.PersonalAssistantProfile",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lapse_warnings",
    )
    insurance_policy = models.ForeignKey(
        InsurancePolicy, null=True, blank=True, on_delete=models.CASCADE, related_name="lapse_warnings"
    )
    lapses_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(provider_profile__isnull=False, pa_profile__isnull=True, insurance_policy__isnull=True)
                | Q(provider_profile__isnull=True, pa_profile__isnull=False, insurance_policy__isnull=True)
                | Q(provider_profile__isnull=True, pa_profile__isnull=True, insurance_policy__isnull=False),
                name="lapse_warning_names_one_subject",
            ),
            # One constraint per subject: NULLs never collide in a unique constraint.
            models.UniqueConstraint(
                fields=["provider_profile", "lapses_on", "days_before"],
                condition=Q(provider_profile__isnull=False),
                name="one_lapse_warning_per_provider_profile",
            ),
            models.UniqueConstraint(
                fields=["pa_profile", "lapses_on", "days_before"],
                condition=Q(pa_profile__isnull=False),
                name="one_lapse_warning_per_pa_profile",
            ),
            models.UniqueConstraint(
                fields=["insurance_policy", "lapses_on", "days_before"],
                condition=Q(insurance_policy__isnull=False),
                name="one_lapse_warning_per_insurance_policy",
            ),
        ]
