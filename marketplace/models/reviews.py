"""Families' reviews of the support they received, the provider's one reply, and the council's moderation.

A review follows one order that was delivered (one review per order), so only those who bought the support
can review it. It waits for the council to publish it; the council may hide it again, with a reason the
author is told. Only published reviews count towards the offer's rating. Statuses change only through
``marketplace.services.reviews``.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

REVIEW_TEXT_MAX = 2000


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for the council to check it"
    PUBLISHED = "published", "Published"
    HIDDEN = "hidden", "Hidden by the council"


class Review(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.OneToOneField("marketplace.Order", on_delete=models.PROTECT, related_name="review")
    offer = models.ForeignKey("providers.Offer", on_delete=models.PROTECT, related_name="reviews")
    person = models.ForeignKey(
        "brokerage.PersonSupported",
        on_delete=models.PROTECT,
        related_name="reviews",
        help_text="Who received the support",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_written")
    author_is_young_person = models.BooleanField(
        default=False, help_text="Written by the young person themselves rather than a parent or carer"
    )
    council = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="reviews_to_moderate",
        help_text="The council whose commissioners and quality officers check it",
    )
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.TextField(max_length=REVIEW_TEXT_MAX)
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED)
    hidden_reason = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"),
            models.CheckConstraint(
                condition=~Q(status="hidden") | ~Q(hidden_reason=""), name="hidden_review_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["offer", "status"], name="review_offer_status"),
            models.Index(fields=["council", "status", "submitted_at"], name="review_council_queue"),
        ]

    def __str__(self) -> str:
        return f"Review of {self.offer} ({self.rating} out of 5)"

    @property
    def reference(self) -> str:
        """A short reference for the council's queue and its CSV, e.g. 'R-3F2A9B1C'."""
        return f"R-{self.public_id.hex[:8].upper()}"

    @property
    def author_description(self) -> str:
        """Who wrote it, as the public page says it: never a name, since a review is about a child's support."""
        return "A young person" if self.author_is_young_person else "A parent or carer"


class ProviderReply(models.Model):
    """The provider's answer to a review, once. It is shown under the review wherever the review is."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="reply")
    text = models.TextField(max_length=REVIEW_TEXT_MAX)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "provider replies"

    def __str__(self) -> str:
        return f"Reply to {self.review}"
