"""Enquiries: a question about an offer, and the message thread between the enquirer and the provider.

The provider sees only what the enquirer chose to share (the ``shared_*`` fields, copied when the
enquiry is sent), never the record of the person supported. A thread about a child under 18 can also
be read by the child's consent holder (``marketplace.enquiry_selectors``). Status changes only through
``marketplace.services.enquiries``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class EnquiryStatus(models.TextChoices):
    OPEN = "open", "Waiting for the provider"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"


class ThreadSide(models.TextChoices):
    ENQUIRER = "enquirer", "Enquirer"
    PROVIDER = "provider", "Provider"


class Enquiry(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey("providers.Offer", on_delete=models.PROTECT, related_name="enquiries")
    # Copied from the offer when the enquiry is sent: who answers it. One of the two, as on the offer.
    provider_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="enquiries_received"
    )
    provider_personal_assistant = models.ForeignKey(
        "providers.PersonalAssistantProfile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enquiries_received",
    )
    enquirer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enquiries_sent")
    enquirer_membership = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The role the enquirer asked in: family member, young person, broker or lead professional",
    )
    council = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The council whose officers look into reported messages: the person's, else the enquirer's",
    )
    person = models.ForeignKey(
        "brokerage.PersonSupported",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enquiries",
        help_text="Who the enquiry is about. Never shown to the provider.",
    )
    # What the enquirer chose to share with the provider: all the provider ever sees of the person.
    shared_first_name = models.CharField("first name", max_length=80, blank=True)
    shared_age = models.PositiveSmallIntegerField("age", null=True, blank=True)
    shared_needs = models.TextField("needs", blank=True, max_length=2000)
    shared_area = models.CharField("postcode area", max_length=4, blank=True, help_text="The postcode district")
    status = models.CharField(max_length=20, choices=EnquiryStatus.choices, default=EnquiryStatus.OPEN)
    status_changed_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        verbose_name_plural = "enquiries"
        constraints = [
            models.CheckConstraint(
                condition=Q(provider_organisation__isnull=False, provider_personal_assistant__isnull=True)
                | Q(provider_organisation__isnull=True, provider_personal_assistant__isnull=False),
                name="enquiry_has_one_provider",
            )
        ]
        indexes = [models.Index(fields=["status", "status_changed_at"])]

    def __str__(self) -> str:
        return f"Enquiry about {self.offer}"


class Message(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=20, choices=ThreadSide.choices)
    body = models.TextField(max_length=5000)
    attachment = models.ForeignKey(
        "providers.Upload",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A checked file: a PDF, or a PNG or JPEG image",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Message from {self.sender} on {self.enquiry}"


class MessageReport(models.Model):
    """A message someone in the thread thinks is wrong or unsafe, for the council's quality-assurance
    officers to look into."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=2000)
    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField("what you did", blank=True, max_length=2000)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["message", "reporter"], name="message_reported_once_per_person")]

    def __str__(self) -> str:
        return f"Report of {self.message} by {self.reporter}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class EnquiryReadState(models.Model):
    """When each person who can see a thread last read it: messages after that are unread for them."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enquiry", "user"], name="one_read_state_per_reader")]

    def __str__(self) -> str:
        return f"{self.user} read {self.enquiry} at {self.read_at}"
