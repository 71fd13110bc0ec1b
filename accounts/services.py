"""Writes for accounts. Each is a transaction; side effects happen after commit."""

from django.db import transaction
from django.utils import timezone

from accounts.models import Notification, User


@transaction.atomic
def user_update_profile(*, user: User, first_name: str, last_name: str, phone_number: str, prefers_sms: bool) -> User:
    user.first_name = first_name
    user.last_name = last_name
    user.phone_number = phone_number
    user.prefers_sms = prefers_sms
    user.full_clean()
    user.save(update_fields=["first_name", "last_name", "phone_number", "prefers_sms"])
    return user


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
