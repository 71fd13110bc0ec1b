"""Concerns about a provider or personal assistant, handled by the council's QA officers.

Reporters are kept informed of progress (what stage it is at) without being told any details.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ConcernStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    UNDER_ENQUIRY = "under_enquiry", "Being looked into"
    CLOSED = "closed", "Closed"


class Concern(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="concerns_received")
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="concerns"
    )
    pa_profile = models.ForeignKey(
        "providers.PersonalAssistantProfile", null=True, blank=True, on_delete=models.PROTECT, related_name="concerns"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="concerns_reported"
    )
    reporter_email = models.EmailField(blank=True, help_text="For reporters without an account")
    description = models.TextField()
    involves_harm_to_child = models.BooleanField(
        default=False, help_text="Marked for the designated officer for allegations (LADO)"
    )
    status = models.CharField(max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.RECEIVED)
    listing_suspended = models.BooleanField(default=False)
    outcome = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pa_profile__isnull=False, organisation__isnull=True)
                | Q(pa_profile__isnull=True, organisation__isnull=False),
                name="concern_is_about_one_listing",
            )
        ]

    @property
    def reference(self) -> str:
        """A short reference to quote by phone or email, e.g. 'C-3F2A9B1C'; it reveals nothing else."""
        return f"C-{self.public_id.hex[:8].upper()}"

    @property
    def about_name(self) -> str:
        """The listing the concern is about, as the public sees it."""
        if self.pa_profile_id:
            return self.pa_profile.display_name
        profile = getattr(self.organisation, "provider_profile", None)
        return profile.display_name if profile else self.organisation.name


class ConcernNote(models.Model):
    """The officer's record of each step; ``shared_with_reporter`` notes say only what stage it is at."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    shared_with_reporter = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
