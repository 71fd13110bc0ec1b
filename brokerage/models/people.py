"""The people supported, who consents for them, and the team around them.

Consent is what grants access: a practitioner or broker sees a person only through an active
``AccessGrant``; the consent holder (a parent until the council's consent age, then the young person)
sees and grants.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class PersonSupported(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="people_supported")
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    postcode = models.CharField(max_length=8, blank=True)
    needs = models.ManyToManyField("providers.TaxonomyTerm", blank=True, related_name="+")
    needs_notes = models.TextField(blank=True, help_text="What the family wants professionals to know")
    caf_reference = models.CharField("assessment (CAF) reference", max_length=40, blank=True)
    lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="lead_for"
    )
    young_person_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supported_as",
        help_text="The young person's own account, once they have one",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    anonymised_at = models.DateTimeField(
        null=True, blank=True, help_text="When the name, contact details and free text were removed (data protection)"
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people supported"

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day) -> int:  # type: ignore[no-untyped-def]
        had_birthday = (day.month, day.day) >= (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - (0 if had_birthday else 1)


class ConsentHolder(models.Model):
    """Who gives consent for the person, from when until when. One is current at a time."""

    class Relationship(models.TextChoices):
        PARENT = "parent", "Parent"
        CARER = "carer", "Carer or guardian"
        SELF = "self", "The young person"

    person = models.ForeignKey(PersonSupported, on_delete=models.CASCADE, related_name="consent_holders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consent_for")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["person", "-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_at__isnull=True), name="one_current_consent_holder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_relationship_display()}) for {self.person}"


class AccessGrant(models.Model):
    """Consent for one practitioner or broker to see (and perhaps act for) a person."""

    class Scope(models.TextChoices):
        READ = "read", "See the plan and budget"
        ACT = "act", "See, and place orders up to a limit"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(PersonSupported, on_delete=models.CASCADE, related_name="access_grants")
    grantee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants")
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    spending_limit = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    consent_from = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", help_text="Who consented"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person", "-granted_at"]

    def __str__(self) -> str:
        return f"{self.grantee} may see {self.person}"

    def is_active_on(self, day) -> bool:  # type: ignore[no-untyped-def]
        return self.revoked_at is None and (self.until is None or self.until >= day)


class TeamMember(models.Model):
    """A member of the team around the child, added with the family's consent."""

    person = models.ForeignKey(PersonSupported, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=120)
    organisation_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=120, help_text="e.g. school nurse, class teacher, speech therapist")
    family_consented = models.BooleanField(default=False)
    added_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}"


class TeamMeeting(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(PersonSupported, on_delete=models.CASCADE, related_name="team_meetings")
    held_on = models.DateField()
    attendees = models.ManyToManyField(TeamMember, blank=True, related_name="meetings")
    decisions = models.TextField()
    lead_professional_confirmed = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["person", "-held_on"]


class RecordView(models.Model):
    """Every staff view of a child's records: who, what, when."""

    person = models.ForeignKey(PersonSupported, on_delete=models.CASCADE, related_name="views_logged")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=100)
    viewed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-viewed_at"]
