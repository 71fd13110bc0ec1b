"""Sending notifications: the in-app row now, the email and text message after commit."""

from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import tasks  # the module, not the task: tasks imports this package's delivery module
from accounts.models import Notification, User


@transaction.atomic
def notification_send(*, recipient: User, subject: str, body: str, link: str = "") -> Notification:
    """Tell one user something: it appears in their notifications now and is emailed after commit.

    ``link`` is a path within the site (``reverse(...)``), where the recipient can act on it. If the
    surrounding transaction rolls back, nothing is sent.
    """
    notification = _notification_build(recipient=recipient, subject=subject, body=body, link=link)
    notification.save()
    _delivery_enqueue_on_commit(notification)
    return notification


@transaction.atomic
def notification_send_many(
    *, recipients: Iterable[User], subject: str, body: str, link: str = ""
) -> list[Notification]:
    """Tell several users the same thing; each gets their own notification. A repeated user gets one."""
    unique_recipients = {recipient.pk: recipient for recipient in recipients}.values()
    notifications = [
        _notification_build(recipient=recipient, subject=subject, body=body, link=link)
        for recipient in unique_recipients
    ]
    Notification.objects.bulk_create(notifications)
    for notification in notifications:
        _delivery_enqueue_on_commit(notification)
    return notifications


def _notification_build(*, recipient: User, subject: str, body: str, link: str) -> Notification:
    _link_check(link)
    # A line break in a subject would be a broken email header; callers may pass multi-line text.
    notification = Notification(recipient=recipient, subject=" ".join(subject.split()), body=body, link=link)
    notification.full_clean()
    return notification


def _link_check(link: str) -> None:
    # The link is shown in the site and followed by a redirect, so it must stay within the site.
    if link and (not link.startswith("/") or link.startswith(("//", "/\\"))):
        raise ValidationError({"link": "A notification link must be a path within the site, like /account/"})


def _delivery_enqueue_on_commit(notification: Notification) -> None:
    # robust: a task queue that cannot be reached is logged, and does not fail the caller's request
    # after its own work has already been committed.
    transaction.on_commit(partial(tasks.notification_deliver_task.enqueue, notification.pk), robust=True)
