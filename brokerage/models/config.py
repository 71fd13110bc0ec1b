"""What a council configures per financial year: funding streams, policies, delegated authority,
locality funds and the resource allocation system (RAS). Every figure from the pilots is a setting."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

POSITIVE = [MinValueValidator(Decimal("0.00"))]


class FundingStream(models.Model):
    """Money for one purpose from one agency, with its own rules."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="funding_streams")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The year it starts: 2026 means April 2026 to March 2027"
    )
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    finance_code = models.CharField(max_length=30, help_text="The code in the council's finance system")
    direct_payment_allowed = models.BooleanField(default=True)
    excluded_categories = models.ManyToManyField(
        "providers.TaxonomyTerm",
        blank=True,
        related_name="+",
        help_text="Kinds of support this stream may not pay for at all",
    )
    excluded_by_direct_payment = models.ManyToManyField(
        "providers.TaxonomyTerm",
        blank=True,
        related_name="+",
        help_text="Kinds of support this stream may not pay for by direct payment, e.g. residential short breaks",
    )
    restriction_note = models.CharField(
        max_length=300, blank=True, help_text="Shown when a line is refused, e.g. the legal limits on health money"
    )
    price_per_point = models.DecimalField(
        "RAS price point (£ per point)", max_digits=8, decimal_places=2, null=True, blank=True, validators=POSITIVE
    )
    carries_over = models.BooleanField(
        default=False, help_text="Unspent money carries over at year end; otherwise it returns to the stream"
    )
    surplus_weeks = models.PositiveSmallIntegerField(
        default=10, help_text="For direct payments: surplus above this many weeks of spend is returned"
    )

    class Meta:
        ordering = ["council", "-financial_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "financial_year", "code"], name="stream_code_unique_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.financial_year}/{str(self.financial_year + 1)[-2:]}"


class BrokeragePolicy(models.Model):
    """A council's rules for one financial year."""

    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="brokerage_policies")
    financial_year = models.PositiveSmallIntegerField()
    consent_age = models.PositiveSmallIntegerField(
        default=18, validators=[MinValueValidator(16), MaxValueValidator(25)]
    )
    national_living_wage = models.DecimalField(
        max_digits=6, decimal_places=2, default=Decimal("12.71"), validators=POSITIVE, help_text="£ an hour"
    )
    review_interval_months = models.PositiveSmallIntegerField(default=6, validators=[MinValueValidator(1)])
    ras_difference_threshold = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("500.00"),
        validators=POSITIVE,
        help_text="Flag family and worker RAS results that differ by more than this",
    )
    contingency_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(0), MaxValueValidator(50)],
    )
    contingency_weeks = models.PositiveSmallIntegerField(
        default=0, help_text="Alternatively, hold back this many weeks of planned spend (0: use the percentage)"
    )
    # Light-touch monitoring of direct payments: flags for the council instead of receipts for everything.
    monitoring_unusual_multiple = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1)],
        help_text="Flag a spend above this many times the plan's weekly cost for its kind of support",
    )
    monitoring_unusual_amount = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("250.00"),
        validators=POSITIVE,
        help_text="Flag any single spend above this amount",
    )
    monitoring_quiet_weeks = models.PositiveSmallIntegerField(
        default=8, validators=[MinValueValidator(1)], help_text="Flag a direct payment with no spending for this long"
    )

    class Meta:
        ordering = ["council", "-financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["council", "financial_year"], name="one_policy_per_council_year")
        ]

    def __str__(self) -> str:
        return f"{self.council} policy {self.financial_year}"


class DelegatedAuthority(models.Model):
    """How much a role may approve for one person in a year without a budget-holding manager."""

    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="delegated_limits")
    financial_year = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=40)
    limit_per_person = models.DecimalField(max_digits=12, decimal_places=2, validators=POSITIVE)

    class Meta:
        ordering = ["council", "role"]
        verbose_name_plural = "delegated authorities"
        constraints = [
            models.UniqueConstraint(fields=["council", "financial_year", "role"], name="one_limit_per_role_year")
        ]

    def __str__(self) -> str:
        return f"{self.role}: £{self.limit_per_person:,.2f}"


class LocalityFund(models.Model):
    """A council-held pool that budget-holding managers approve extra money from."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="locality_funds")
    financial_year = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    stream = models.ForeignKey(
        FundingStream,
        on_delete=models.PROTECT,
        related_name="locality_funds",
        help_text="Allocations from it count as this stream",
    )
    managers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="managed_locality_funds")

    class Meta:
        ordering = ["council", "name"]

    def __str__(self) -> str:
        return self.name


class RASQuestionnaire(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="ras_questionnaires")
    financial_year = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["council", "-financial_year", "name"]

    def __str__(self) -> str:
        return self.name


class RASQuestion(models.Model):
    questionnaire = models.ForeignKey(RASQuestionnaire, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    stream = models.ForeignKey(
        FundingStream, on_delete=models.PROTECT, related_name="+", help_text="Points count towards"
    )

    class Meta:
        ordering = ["questionnaire", "order"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "order"], name="question_order_unique")]

    def __str__(self) -> str:
        return self.text


class RASAnswer(models.Model):
    question = models.ForeignKey(RASQuestion, on_delete=models.CASCADE, related_name="answers")
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=200)
    points = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["question", "order"]

    def __str__(self) -> str:
        return f"{self.text} ({self.points} points)"
