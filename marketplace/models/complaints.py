"""Complaints about a service: what a family says went wrong, the provider's response, and the council's
decision when the family is not satisfied or the provider does not answer in time.

A complaint is not a safeguarding concern: a worry that a child may be at risk goes to the council's
quality team through ``providers`` concerns ("Report a concern"), which can suspend a listing at once.
A complaint is about the service itself (late, cancelled, not what was agreed, poor communication).

Statuses change only through ``marketplace.services.complaints`` (one function checks the move against
its transitions table and writes a ``ComplaintEvent``, the complaint's timeline).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ComplaintStatus(models.TextChoices):
    OPEN = "open", "Waiting for the provider"
    RESPONDED = "responded", "The provider has responded"
    RESOLVED = "resolved", "Resolved"
    ESCALATED = "escalated", "With the council"
    CLOSED = "closed", "Closed by the council"


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


class Complaint(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("brokerage.PersonSupported", on_delete=models.PROTECT, related_name="complaints")
    council = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="complaints",
        help_text="The person's council, which looks at the complaint if it is escalated",
    )
    # Who the complaint is about: a provider organisation or a personal assistant, as on an offer.
    provider_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints_received"
    )
    personal_assistant = models.ForeignKey(
        "providers.PersonalAssistantProfile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    offer = models.ForeignKey(
        "providers.Offer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        help_text="The service complained about; empty when it is about the provider as a whole",
    )
    order = models.ForeignKey(
        "marketplace.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaints_made")
    made_as = models.CharField(max_length=30, help_text="The role the complaint was made in")
    what_happened = models.TextField(max_length=5000)
    what_they_want = models.TextField("what they would like to happen", max_length=2000)
    status = models.CharField(max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN)
    response_due_on = models.DateField(help_text="The provider must respond by the end of this day")
    provider_response = models.TextField(blank=True, max_length=5000)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    escalation_reason = models.TextField(blank=True, max_length=2000)
    escalated_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=ComplaintOutcome.choices, blank=True)
    council_outcome = models.TextField("the council's decision", blank=True, max_length=5000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(provider_organisation__isnull=False, personal_assistant__isnull=True)
                | Q(provider_organisation__isnull=True, personal_assistant__isnull=False),
                name="complaint_about_one_provider",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", outcome__in=["upheld", "partly_upheld", "not_upheld"])
                | (~Q(status="closed") & Q(outcome="")),
                name="complaint_outcome_only_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["status", "response_due_on"], name="complaint_status_due_idx")]

    def __str__(self) -> str:
        return f"Complaint about {self.provider_name}"

    @property
    def provider_name(self) -> str:
        if self.personal_assistant_id:
            return self.personal_assistant.display_name
        profile = getattr(self.provider_organisation, "provider_profile", None)
        return profile.display_name if profile else self.provider_organisation.name

    @property
    def about(self) -> str:
        if self.offer_id and self.offer.live_version_id:
            return f"{self.offer.live_version.name} from {self.provider_name}"
        return self.provider_name


class ComplaintEvent(models.Model):
    """One step of a complaint's timeline: a status change, who made it (nobody for the daily escalation)
    and what they said."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    old_status = models.CharField(max_length=20, choices=ComplaintStatus.choices, blank=True)
    new_status = models.CharField(max_length=20, choices=ComplaintStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
