"""A family's request for help from their lead professional, a broker with access, or the council's brokers.

The family (the consent holder) asks; whoever it went to answers with a short note, which the family is
told about. A request to the council (``to_user`` empty) goes to every broker of the person's council.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ContactPreference(models.TextChoices):
    EMAIL = "email", "By email"
    PHONE = "phone", "By phone"
    TEXT = "text", "By text message"
    MESSAGE = "message", "Through this website"


class HelpRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("brokerage.PersonSupported", on_delete=models.CASCADE, related_name="help_requests")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="help_asked")
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="help_requests_received",
        help_text="Empty: the request went to the council's brokers",
    )
    to_council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="help_requests_received"
    )
    message = models.TextField(max_length=2000)
    contact_by = models.CharField(max_length=10, choices=ContactPreference.choices, default=ContactPreference.EMAIL)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""), name="help_request_answer_has_a_note"
            )
        ]

    def __str__(self) -> str:
        return f"Help for {self.person} asked by {self.from_user}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None
