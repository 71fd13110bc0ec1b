"""The two ways a notification leaves the site, chosen by ``settings.NOTIFICATIONS_BACKEND``.

``"email"``
    Django's own mail settings (SMTP in production, the console in development, the locmem outbox
    in tests). Sends a plain-text email with a simple HTML alternative. It cannot send text
    messages: a user who chose them still gets the email, and the skipped text is logged.

``"notify"``
    GOV.UK Notify through ``notifications_python_client``, the only module that imports it. It needs
    ``NOTIFY_API_KEY`` and two templates in the Notify service, whose ids go in
    ``NOTIFY_EMAIL_TEMPLATE_ID`` and ``NOTIFY_SMS_TEMPLATE_ID`` (the system check in
    ``accounts.notifications.checks`` refuses to start without them). Each send passes the same
    personalisation, so each template uses these placeholders:

    - email template: subject ``((subject))``; message ``((body))`` followed by ``((link))``
    - text message template: ``Support Exchange: ((subject)). ((link))`` (the body may be long, and each text
      message fragment is charged, so the text points to the site instead of repeating it)

    Every request carries ``reference`` = the notification's ``public_id``, so a message in the
    Notify dashboard can be traced back to its row.
"""

from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from notifications_python_client import NotificationsAPIClient
from notifications_python_client.errors import APIError, TokenError

from accounts.models import Notification

# Delivery holds a row lock while it talks to Notify, so a hung connection must not hold it for long.
NOTIFY_TIMEOUT_SECONDS = 10


class DeliveryFailed(Exception):
    """The backend could not hand the message over; the message says why, in plain English."""


class NotificationBackend(Protocol):
    can_send_sms: bool

    def email_send(self, *, notification: Notification, email_address: str) -> None: ...

    def sms_send(self, *, notification: Notification, phone_number: str) -> None: ...


def notification_link_url(notification: Notification) -> str:
    """The full address to act on the notification: its own link, or the list of notifications."""
    path = notification.link or reverse("accounts:notifications")
    return f"{settings.SITE_URL}{path}"


class DjangoEmailBackend:
    can_send_sms = False

    def email_send(self, *, notification: Notification, email_address: str) -> None:
        context = {
            "notification": notification,
            "link_url": notification_link_url(notification),
            "details_url": f"{settings.SITE_URL}{reverse('accounts:profile')}",
        }
        message = EmailMultiAlternatives(
            subject=notification.subject,
            body=render_to_string("accounts/email/notification.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email_address],
        )
        message.attach_alternative(render_to_string("accounts/email/notification.html", context), "text/html")
        try:
            message.send()
        except OSError as error:  # smtplib.SMTPException is an OSError, as are refused connections
            raise DeliveryFailed(f"The email server refused the email: {error}") from error

    def sms_send(self, *, notification: Notification, phone_number: str) -> None:
        raise DeliveryFailed("Text messages need the GOV.UK Notify backend")


class GovukNotifyBackend:
    can_send_sms = True

    def email_send(self, *, notification: Notification, email_address: str) -> None:
        try:
            self._client().send_email_notification(
                email_address,
                template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
                personalisation=_notify_personalisation(notification),
                reference=str(notification.public_id),
            )
        except (APIError, TokenError) as error:
            raise DeliveryFailed(f"GOV.UK Notify could not send the email: {_notify_error_text(error)}") from error

    def sms_send(self, *, notification: Notification, phone_number: str) -> None:
        try:
            self._client().send_sms_notification(
                phone_number,
                template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
                personalisation=_notify_personalisation(notification),
                reference=str(notification.public_id),
            )
        except (APIError, TokenError) as error:
            raise DeliveryFailed(
                f"GOV.UK Notify could not send the text message: {_notify_error_text(error)}"
            ) from error

    def _client(self) -> NotificationsAPIClient:
        # A new client per message: the client keeps a requests session and is not thread-safe.
        return NotificationsAPIClient(
            settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=NOTIFY_TIMEOUT_SECONDS
        )


def _notify_personalisation(notification: Notification) -> dict[str, str]:
    return {
        "subject": notification.subject,
        "body": notification.body,
        "link": notification_link_url(notification),
    }


def _notify_error_text(error: APIError | TokenError) -> str:
    if isinstance(error, TokenError):
        return error.message
    message = error.message
    if isinstance(message, list):  # Notify answers {"errors": [{"error": ..., "message": ...}, ...]}
        message = "; ".join(str(item.get("message", item)) for item in message)
    return f"{error.status_code} {message}"


BACKENDS: dict[str, type[NotificationBackend]] = {
    "email": DjangoEmailBackend,
    "notify": GovukNotifyBackend,
}


def backend_from_settings() -> NotificationBackend:
    return BACKENDS[settings.NOTIFICATIONS_BACKEND]()
