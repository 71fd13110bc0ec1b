"""Delivery of one notification by email, and by text message when the recipient chose them.

Runs in the ``notifications`` task queue after the sending transaction commits. A failure is recorded
on the row and logged, never raised: the in-app notification already exists, and a missing email
must not undo or interrupt the work that caused it.
"""

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from accounts.models import Notification
from accounts.notifications.backends import DeliveryFailed, NotificationBackend, backend_from_settings

logger = logging.getLogger(__name__)

DeliveryStep = Callable[[Notification, NotificationBackend], None]


def notification_deliver(*, notification_id: int) -> None:
    """Send whatever has not been sent yet; running it again after success sends nothing.

    The row stays locked while the messages go out, so two workers given the same task (a retry
    racing the original) cannot both send: the second waits, then sees the ``*_sent_at`` times.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            # The recipient's account was deleted between sending and delivery.
            logger.info("Notification %s no longer exists; nothing to deliver", notification_id)
            return
        backend = backend_from_settings()
        failures = [
            reason for step in (_email_deliver, _sms_deliver) if (reason := _failure_of(step, notification, backend))
        ]
        notification.delivery_error = "; ".join(failures)[:300]
        notification.save(update_fields=["email_sent_at", "sms_sent_at", "delivery_error"])


def sms_wanted(notification: Notification) -> bool:
    return notification.recipient.prefers_sms and bool(notification.recipient.phone_number)


def _email_deliver(notification: Notification, backend: NotificationBackend) -> None:
    if notification.email_sent_at is not None:
        return
    backend.email_send(notification=notification, email_address=notification.recipient.email)
    notification.email_sent_at = timezone.now()


def _sms_deliver(notification: Notification, backend: NotificationBackend) -> None:
    if notification.sms_sent_at is not None or not sms_wanted(notification):
        return
    if not backend.can_send_sms:
        # Not a delivery failure: the site is configured without a text message service.
        logger.warning(
            "Notification %s: the recipient chose text messages, but the %s backend cannot send them",
            notification.public_id,
            type(backend).__name__,
        )
        return
    backend.sms_send(notification=notification, phone_number=notification.recipient.phone_number)
    notification.sms_sent_at = timezone.now()


def _failure_of(step: DeliveryStep, notification: Notification, backend: NotificationBackend) -> str:
    """Run one channel and return why it failed ("" when it worked), so the other channel still goes."""
    try:
        step(notification, backend)
    except DeliveryFailed as error:
        logger.warning("Notification %s was not delivered: %s", notification.public_id, error)
        return str(error)
    except Exception:
        # A bug or an unforeseen client error must not escape into the task runner's caller either.
        logger.exception("Notification %s: unexpected error during delivery", notification.public_id)
        return "An unexpected error stopped delivery; the server log has the details"
    return ""
