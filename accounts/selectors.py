"""Reads for accounts, always scoped to the user asking."""

from uuid import UUID

from django.shortcuts import get_object_or_404

from accounts.models import Notification, NotificationQuerySet, User


def notifications_for(user: User) -> NotificationQuerySet:
    return Notification.objects.filter(recipient=user)


def notification_get(*, user: User, public_id: UUID) -> Notification:
    """Another user's notification answers 404."""
    return get_object_or_404(notifications_for(user), public_id=public_id)
