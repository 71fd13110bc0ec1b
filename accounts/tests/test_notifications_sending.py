"""Sending notifications with the email backend: the in-app row, the email after commit, retries."""

import logging
import socket

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Notification
from accounts.notifications import notification_send, notification_send_many
from accounts.tasks import notification_deliver_task
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return UserFactory(first_name="Alice", email="alice@example.org")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_sending_creates_the_in_app_notification_and_emails_only_after_commit(
    alice, django_capture_on_commit_callbacks
):
    # When a notification is sent inside a transaction
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notification_send(recipient=alice, subject="Your plan is ready", body="Have a look.")

    # Then the in-app notification exists at once, and the email waits for the commit
    assert Notification.objects.get(recipient=alice).subject == "Your plan is ready"
    assert mail.outbox == []
    assert len(callbacks) == 1

    # When the transaction commits
    callbacks[0]()

    # Then the email goes out and the row records it
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]
    notification.refresh_from_db()
    assert notification.email_sent_at is not None
    assert notification.delivery_error == ""


def test_email_has_a_text_body_an_html_body_and_the_full_link(alice, django_capture_on_commit_callbacks, settings):
    settings.DEFAULT_FROM_EMAIL = "Support Exchange <no-reply@example.org>"

    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            recipient=alice,
            subject="A provider answered your request",
            body="Sunrise Care can start on Monday.\nThey need your answer by Friday.",
            link="/requests/42/",
        )

    [message] = mail.outbox
    assert message.subject == "A provider answered your request"
    assert message.from_email == "Support Exchange <no-reply@example.org>"
    assert "Hello Alice," in message.body
    assert "Sunrise Care can start on Monday.\nThey need your answer by Friday." in message.body
    assert "http://testserver/requests/42/" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert '<a href="http://testserver/requests/42/"' in html
    assert "<p>Sunrise Care can start on Monday.<br>They need your answer by Friday.</p>" in html


def test_email_html_escapes_what_the_sender_wrote(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=alice, subject="Message", body="<script>alert(1)</script>")

    [(html, _mimetype)] = mail.outbox[0].alternatives
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_notification_without_a_link_points_to_the_list_of_notifications(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=alice, subject="Welcome", body="Your account is ready.")

    assert "http://testserver/account/notifications/" in mail.outbox[0].body


def test_nothing_is_sent_when_the_transaction_rolls_back(alice, django_capture_on_commit_callbacks):
    # Given the work that caused the notification fails after sending it
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notification_send(recipient=alice, subject="Booked", body="Your booking is confirmed.")
        raise RuntimeError("the booking could not be saved")

    # Then neither the notification nor its email exists
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("link", ["https://elsewhere.example/", "//elsewhere.example/", "/\\elsewhere.example", "x/"])
def test_a_link_outside_the_site_is_refused(alice, link):
    with pytest.raises(ValidationError) as refusal:
        notification_send(recipient=alice, subject="Look", body="Here.", link=link)

    assert "link" in refusal.value.message_dict
    assert not Notification.objects.exists()


def test_a_subject_over_two_lines_becomes_one_line(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(recipient=alice, subject="Your plan\nis ready", body="Have a look.")

    assert notification.subject == "Your plan is ready"
    assert mail.outbox[0].subject == "Your plan is ready"


def test_sending_to_many_gives_each_recipient_one_notification_and_one_email(alice, django_capture_on_commit_callbacks):
    bob = UserFactory(email="bob@example.org")

    # When the same user appears twice among the recipients
    with django_capture_on_commit_callbacks(execute=True):
        notifications = notification_send_many(
            recipients=[alice, bob, alice], subject="New providers near you", body="Three joined this week."
        )

    # Then each person gets exactly one
    assert sorted(n.recipient.email for n in notifications) == ["alice@example.org", "bob@example.org"]
    assert Notification.objects.count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["alice@example.org", "bob@example.org"]
    assert all(n.email_sent_at for n in Notification.objects.all())


def test_text_messages_are_skipped_with_a_warning_when_the_email_backend_is_in_use(
    django_capture_on_commit_callbacks, caplog
):
    # Given a user who chose text messages, and a site set up for email only
    carol = UserFactory(phone_number="07700900982", prefers_sms=True)

    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(recipient=carol, subject="Reminder", body="Your review is due.")

    # Then she gets the email, no text, and no delivery error: nothing failed
    notification.refresh_from_db()
    assert len(mail.outbox) == 1
    assert notification.email_sent_at is not None
    assert notification.sms_sent_at is None
    assert notification.delivery_error == ""
    assert "cannot send them" in caplog.text


def test_delivering_again_sends_nothing_more(alice, django_capture_on_commit_callbacks):
    # Given a notification whose email has gone
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(recipient=alice, subject="Invoice paid", body="We paid your invoice.")
    notification.refresh_from_db()
    first_sent_at = notification.email_sent_at

    # When its delivery task runs again (a retry, or a worker restarted mid-queue)
    notification_deliver_task.enqueue(notification.pk)

    # Then no second email goes out
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_sent_at == first_sent_at


def test_an_email_failure_is_recorded_without_raising_and_a_retry_sends_it(
    alice, django_capture_on_commit_callbacks, settings
):
    # Given an email server that refuses connections
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_USE_TLS = False

    # When a notification is sent, the caller is not interrupted
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(recipient=alice, subject="Reminder", body="Your review is due.")

    # Then the failure is on the row
    notification.refresh_from_db()
    assert notification.email_sent_at is None
    assert notification.delivery_error.startswith("The email server refused the email: ")

    # When the server is back and delivery is retried
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notification_deliver_task.enqueue(notification.pk)

    # Then the email goes and the error is cleared
    notification.refresh_from_db()
    assert len(mail.outbox) == 1
    assert notification.email_sent_at is not None
    assert notification.delivery_error == ""


def test_delivering_a_notification_that_was_deleted_does_nothing(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification_send(recipient=alice, subject="Welcome", body="Your account is ready.")
    alice.delete()

    callbacks[0]()

    assert mail.outbox == []
