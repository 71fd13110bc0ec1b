"""A commissioner's message to every provider of one kind of support, or every member of one framework lot.

The message keeps who it reached (one recipient row per organisation or personal assistant, at the moment of
sending) so that the reach shown later is what happened, not who would be reached today. The event linked is a
Wagtail page chosen from the council's upcoming events; its title and address are copied at sending, so that
the message still reads the same if the page is moved or unpublished.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class MarketMessage(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="market_messages")
    category = models.ForeignKey(
        "providers.TaxonomyTerm", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lot = models.ForeignKey(
        "providers.FrameworkLot", null=True, blank=True, on_delete=models.PROTECT, related_name="market_messages"
    )
    audience = models.CharField(max_length=250, help_text="Who it was sent to, in words, at the time of sending")
    subject = models.CharField(max_length=150)
    body = models.TextField(max_length=5000)
    event_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event_title = models.CharField(max_length=255, blank=True)
    event_url = models.CharField(max_length=500, blank=True)
    # The check step's token: sending the same form twice finds the message already sent.
    idempotency_key = models.CharField(max_length=64, unique=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__isnull=True, lot__isnull=False) | Q(category__isnull=False, lot__isnull=True),
                name="market_message_one_audience",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class MarketMessageRecipient(models.Model):
    """An organisation or a personal assistant the message reached, and how many of its people were told."""

    message = models.ForeignKey(MarketMessage, on_delete=models.CASCADE, related_name="recipients")
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    personal_assistant = models.ForeignKey(
        "providers.PersonalAssistantProfile", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    people_notified = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["message", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True, personal_assistant__isnull=False)
                | Q(organisation__isnull=False, personal_assistant__isnull=True),
                name="market_message_recipient_one_kind",
            ),
            models.UniqueConstraint(
                fields=["message", "organisation"],
                condition=Q(organisation__isnull=False),
                name="market_message_organisation_once",
            ),
            models.UniqueConstraint(
                fields=["message", "personal_assistant"],
                condition=Q(personal_assistant__isnull=False),
                name="market_message_assistant_once",
            ),
        ]
