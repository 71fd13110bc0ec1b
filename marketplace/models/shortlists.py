"""Shortlists: the offers a signed-in user is considering, with a private note on each, and who they
share the list with.

Anonymous visitors' shortlists live in their session (``marketplace.services.shortlists``) and are
merged into a saved one when they sign in. A user has one shortlist.
"""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.ids import is_uuid


class Shortlist(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shortlist")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"Shortlist of {self.owner}"


class ShortlistItem(models.Model):
    """One offer on a shortlist. Kept when the offer stops being published, so that the owner sees it is
    no longer available instead of it silently disappearing."""

    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="items")
    offer = models.ForeignKey("providers.Offer", on_delete=models.CASCADE, related_name="+")
    note = models.TextField("your note", blank=True, max_length=1000)
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["shortlist", "offer"], name="offer_once_per_shortlist")]

    def __str__(self) -> str:
        return f"{self.offer} on {self.shortlist}"


class ShortlistShareQuerySet(models.QuerySet):
    def active(self) -> "ShortlistShareQuerySet":
        return self.filter(stopped_at__isnull=True)


class ShortlistShare(models.Model):
    """A shortlist shown, read-only and without its notes, to a broker or lead professional. Stopping a
    share keeps the row (when it started and stopped) next to the audit trail."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="shares")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient_membership = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The role the shortlist was shared with them in: broker or lead professional",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    stopped_at = models.DateTimeField(null=True, blank=True)

    objects = ShortlistShareQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shortlist", "recipient"],
                condition=Q(stopped_at__isnull=True),
                name="one_active_share_per_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.shortlist} shared with {self.recipient}"

    @property
    def is_active(self) -> bool:
        return self.stopped_at is None


SESSION_KEY = "shortlist"


@dataclass
class SessionShortlist:
    """An anonymous visitor's shortlist, as stored in their session: offer public ids in the order they
    were added, and their notes. Only well-formed ids are read back, so a tampered or stale session
    cannot break a query."""

    offers: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Any) -> "SessionShortlist":
        stored = session.get(SESSION_KEY) or {}
        offers = [value for value in stored.get("offers", []) if is_uuid(value)]
        notes = {key: str(value) for key, value in (stored.get("notes") or {}).items() if key in offers}
        return cls(offers=list(dict.fromkeys(offers)), notes=notes)

    def save(self, session: Any) -> None:
        if self.offers:
            session[SESSION_KEY] = {"offers": self.offers, "notes": self.notes}
        else:
            session.pop(SESSION_KEY, None)
