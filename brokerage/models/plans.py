"""RAS assessments, budgets and their allocations, support plans, approvals and reviews."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from brokerage.models.config import POSITIVE, FundingStream, LocalityFund, RASAnswer, RASQuestionnaire
from brokerage.models.people import PersonSupported


class RASAssessment(models.Model):
    class Perspective(models.TextChoices):
        FAMILY = "family", "Completed by the family"
        WORKER = "worker", "Completed by the worker"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(PersonSupported, on_delete=models.CASCADE, related_name="ras_assessments")
    questionnaire = models.ForeignKey(RASQuestionnaire, on_delete=models.PROTECT, related_name="+")
    perspective = models.CharField(max_length=10, choices=Perspective.choices)
    answers = models.ManyToManyField(RASAnswer, related_name="+")
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person", "-completed_at"]


class HeldAs(models.TextChoices):
    DIRECT_PAYMENT = "direct_payment", "Direct payment to the family"
    ISF = "isf", "Individual service fund held by a provider"
    COUNCIL_MANAGED = "council_managed", "Managed by the council"
    BROKER_MANAGED = "broker_managed", "Managed by a broker"


class Budget(models.Model):
    """A person's budget for a period, made of allocations from funding streams."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(PersonSupported, on_delete=models.PROTECT, related_name="budgets")
    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="budgets")
    financial_year = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["person", "financial_year"], name="one_budget_per_person_year"),
            models.CheckConstraint(condition=Q(starts_on__lt=models.F("ends_on")), name="budget_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.financial_year}/{str(self.financial_year + 1)[-2:]}"


class Allocation(models.Model):
    """Money from one stream in a budget, held one way. Its amounts live in the ledger."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="allocations")
    stream = models.ForeignKey(FundingStream, on_delete=models.PROTECT, related_name="allocations")
    held_as = models.CharField(max_length=20, choices=HeldAs.choices)
    isf_provider = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="isf_allocations"
    )
    broker_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="managed_allocations"
    )
    locality_fund = models.ForeignKey(
        LocalityFund, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["budget", "stream__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(held_as=HeldAs.ISF) | Q(isf_provider__isnull=False), name="isf_names_its_provider"
            ),
            models.CheckConstraint(
                condition=~Q(held_as=HeldAs.BROKER_MANAGED) | Q(broker_organisation__isnull=False),
                name="broker_managed_names_its_broker",
            ),
        ]

    def __str__(self) -> str:
        source = f" from {self.locality_fund}" if self.locality_fund_id else ""
        return f"{self.stream.name}{source} ({self.get_held_as_display().lower()})"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed with the family"
    SUBMITTED = "submitted", "Waiting for approval"
    APPROVED = "approved", "Approved"
    ACTIVE = "active", "Active"
    UNDER_REVIEW = "under_review", "Being reviewed"
    CLOSED = "closed", "Closed"


class SupportPlan(models.Model):
    """One version of a person's plan; a review starts a new version and keeps the old one."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(PersonSupported, on_delete=models.PROTECT, related_name="plans")
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    family_own_support = models.TextField(
        blank=True, help_text="What the family and their network ('real wealth') will do themselves"
    )
    review_due_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    # The package builder sends a draft to the consent holder to agree; what they ask to change stays
    # here for the worker until the draft is sent again.
    sent_to_family_at = models.DateTimeField(null=True, blank=True)
    sent_to_family_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    family_changes_asked = models.TextField(blank=True)

    class Meta:
        ordering = ["person", "-version"]
        constraints = [models.UniqueConstraint(fields=["person", "budget", "version"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"Plan for {self.person}, version {self.version}"


class PlanStatusChange(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=20, choices=PlanStatus.choices)
    new_status = models.CharField(max_length=20, choices=PlanStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]


class OutcomeDomain(models.TextChoices):
    BE_HEALTHY = "be_healthy", "Be healthy"
    STAY_SAFE = "stay_safe", "Stay safe"
    ENJOY_AND_ACHIEVE = "enjoy_and_achieve", "Enjoy and achieve"
    POSITIVE_CONTRIBUTION = "positive_contribution", "Make a positive contribution"
    ECONOMIC_WELLBEING = "economic_wellbeing", "Achieve economic well-being"
    AUTONOMY = "autonomy", "Autonomy"
    PERSONAL_COMFORT = "personal_comfort", "Personal comfort"
    ECONOMIC_PARTICIPATION = "economic_participation", "Economic participation"
    SOCIAL_PARTICIPATION = "social_participation", "Social participation"


class Outcome(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="outcomes")
    domain = models.CharField(max_length=30, choices=OutcomeDomain.choices)
    description = models.TextField(help_text="Specific, measurable, achievable, relevant and time-bound")
    baseline_score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(10)])
    review_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    class Meta:
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class LineFrequency(models.TextChoices):
    ONE_OFF = "one_off", "One-off"
    WEEKLY = "weekly", "Every week"
    MONTHLY = "monthly", "Every month"


class PlanLine(models.Model):
    """A costed line: quantity each week (or month, or once) × number of periods × unit cost."""

    class Giver(models.TextChoices):
        PROVIDER = "provider", "A provider or personal assistant"
        SERVICE = "service", "A council or health service"
        FAMILY = "family", "The family, friends or community"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="lines")
    outcome = models.ForeignKey(Outcome, null=True, blank=True, on_delete=models.SET_NULL, related_name="lines")
    offer = models.ForeignKey("providers.Offer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey("providers.TaxonomyTerm", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=200)
    given_by = models.CharField(max_length=20, choices=Giver.choices, default=Giver.PROVIDER)
    supplier_name = models.CharField(max_length=150, blank=True)
    stream = models.ForeignKey(FundingStream, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=8, decimal_places=2, validators=POSITIVE)
    unit = models.CharField(max_length=10, help_text="hour, session, day, night, week, item or trip")
    unit_cost = models.DecimalField(max_digits=10, decimal_places=2, validators=POSITIVE)
    frequency = models.CharField(max_length=10, choices=LineFrequency.choices)
    periods = models.PositiveSmallIntegerField(default=1, help_text="How many weeks or months; 1 for one-off")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    by_direct_payment = models.BooleanField(default=False)
    is_pa_wage = models.BooleanField(
        default=False, help_text="A personal assistant's pay: checked against the National Living Wage"
    )
    stopped_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return self.description

    @property
    def total(self) -> Decimal:
        return (self.quantity * self.unit_cost * self.periods).quantize(Decimal("0.01"))

    @property
    def weekly_cost(self) -> Decimal:
        if self.frequency == LineFrequency.WEEKLY:
            return (self.quantity * self.unit_cost).quantize(Decimal("0.01"))
        if self.frequency == LineFrequency.MONTHLY:
            return (self.quantity * self.unit_cost * 12 / 52).quantize(Decimal("0.01"))
        return Decimal("0.00")


class ApprovalRequest(models.Model):
    """A request to a budget-holding manager for spending above the requester's delegated authority."""

    class Decision(models.TextChoices):
        WAITING = "waiting", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        APPROVED_IN_PART = "approved_in_part", "Approved in part"
        DECLINED = "declined", "Declined"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="approval_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    amount_requested = models.DecimalField(max_digits=12, decimal_places=2, validators=POSITIVE)
    reason = models.TextField()
    figures = models.JSONField(default=dict, help_text="The numbers the manager saw: plan total, limit, available")
    locality_fund = models.ForeignKey(LocalityFund, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.WAITING)
    amount_approved = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]


class PlanReview(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="reviews")
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "-due_on"]
