"""The GOV.UK Notify backend, through the real Notify client, against a local recorder of its API."""

import json
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from django.db import connection

from accounts.notifications import notification_send
from accounts.notifications.delivery import notification_deliver
from accounts.tasks import notification_deliver_task
from accounts.tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"support_exchange_test-{SERVICE_ID}-{SECRET}"
EMAIL_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
SMS_TEMPLATE_ID = "0a2e1a3f-6b32-4a2a-9d3b-3f6bd3a0e9e1"


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict


@dataclass
class NotifyRecorder:
    """Answers like Notify (201 and a notification id) unless told to fail a path."""

    base_url: str = ""
    requests: list[RecordedRequest] = field(default_factory=list)
    failures: dict[str, tuple[int, dict]] = field(default_factory=dict)
    delay_seconds: float = 0

    def answer(self, path: str, body: dict) -> tuple[int, dict]:
        time.sleep(self.delay_seconds)
        if path in self.failures:
            return self.failures[path]
        return 201, {"id": str(uuid.uuid4()), "reference": body.get("reference"), "content": {}, "template": {}}


def recorder_handler(recorder: NotifyRecorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            recorder.requests.append(RecordedRequest("POST", self.path, dict(self.headers), body))
            status, answer = recorder.answer(self.path, body)
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep the test output clean

    return Handler


@pytest.fixture
def notify(settings, monkeypatch):
    recorder = NotifyRecorder()
    server = ThreadingHTTPServer(("127.0.0.1", 0), recorder_handler(recorder))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    recorder.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # a proxy in the environment must not swallow the requests
    settings.NOTIFICATIONS_BACKEND = "notify"
    settings.NOTIFY_BASE_URL = recorder.base_url
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_EMAIL_TEMPLATE_ID = EMAIL_TEMPLATE_ID
    settings.NOTIFY_SMS_TEMPLATE_ID = SMS_TEMPLATE_ID
    yield recorder
    server.shutdown()
    server.server_close()


@pytest.fixture
def dave():
    return UserFactory(email="dave@example.org", phone_number="07700900982", prefers_sms=False)


def assert_signed_for_the_service(request: RecordedRequest) -> None:
    scheme, token = request.headers["Authorization"].split(" ")
    assert scheme == "Bearer"
    claims = jwt.decode(token, key=SECRET, algorithms=["HS256"])
    assert claims["iss"] == SERVICE_ID


def send_and_deliver(django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(**fields)
    notification.refresh_from_db()
    return notification


def test_email_goes_to_notify_with_its_template_personalisation_and_reference(
    notify, dave, django_capture_on_commit_callbacks
):
    # Given a user who has not chosen text messages
    # When a notification is sent
    notification = send_and_deliver(
        django_capture_on_commit_callbacks,
        recipient=dave,
        subject="Your invoice was approved",
        body="We will pay it on Friday.",
        link="/invoices/7/",
    )

    # Then Notify receives exactly one email request, signed with the service's key
    [request] = notify.requests
    assert (request.method, request.path) == ("POST", "/v2/notifications/email")
    assert request.body == {
        "email_address": "dave@example.org",
        "template_id": EMAIL_TEMPLATE_ID,
        "personalisation": {
            "subject": "Your invoice was approved",
            "body": "We will pay it on Friday.",
            "link": "http://testserver/invoices/7/",
        },
        "reference": str(notification.public_id),
    }
    assert_signed_for_the_service(request)
    assert notification.email_sent_at is not None
    assert notification.sms_sent_at is None
    assert notification.delivery_error == ""


def test_a_text_message_also_goes_to_notify_when_the_recipient_chose_them(
    notify, dave, django_capture_on_commit_callbacks
):
    dave.prefers_sms = True
    dave.save()

    notification = send_and_deliver(
        django_capture_on_commit_callbacks, recipient=dave, subject="Visit moved", body="Now at 3pm."
    )

    assert [request.path for request in notify.requests] == ["/v2/notifications/email", "/v2/notifications/sms"]
    sms = notify.requests[1]
    assert sms.body == {
        "phone_number": "07700900982",
        "template_id": SMS_TEMPLATE_ID,
        "personalisation": {
            "subject": "Visit moved",
            "body": "Now at 3pm.",
            "link": "http://testserver/account/notifications/",
        },
        "reference": str(notification.public_id),
    }
    assert_signed_for_the_service(sms)
    assert notification.email_sent_at is not None
    assert notification.sms_sent_at is not None


def test_a_refusal_from_notify_is_recorded_as_the_delivery_error(notify, dave, django_capture_on_commit_callbacks):
    # Given Notify refuses the email, as it does for a trial-mode key and an unknown address
    notify.failures["/v2/notifications/email"] = (
        400,
        {
            "status_code": 400,
            "errors": [
                {"error": "BadRequestError", "message": "Can't send to this recipient using a team-only API key"}
            ],
        },
    )

    # When a notification is sent, the caller is not interrupted
    notification = send_and_deliver(
        django_capture_on_commit_callbacks, recipient=dave, subject="Hello", body="Welcome."
    )

    # Then Notify's reason is on the row
    assert notification.email_sent_at is None
    assert notification.delivery_error == (
        "GOV.UK Notify could not send the email: 400 Can't send to this recipient using a team-only API key"
    )


def test_a_failed_text_message_is_retried_without_sending_the_email_twice(
    notify, dave, django_capture_on_commit_callbacks
):
    # Given the email goes but Notify fails on the text message
    dave.prefers_sms = True
    dave.save()
    notify.failures["/v2/notifications/sms"] = (
        500,
        {"status_code": 500, "errors": [{"error": "Exception", "message": "Internal server error"}]},
    )
    notification = send_and_deliver(
        django_capture_on_commit_callbacks, recipient=dave, subject="Visit moved", body="Now at 3pm."
    )
    assert notification.email_sent_at is not None
    assert notification.sms_sent_at is None
    assert notification.delivery_error == "GOV.UK Notify could not send the text message: 500 Internal server error"

    # When Notify recovers and the delivery task runs again
    del notify.failures["/v2/notifications/sms"]
    notify.requests.clear()
    notification_deliver_task.enqueue(notification.pk)

    # Then only the text message is sent, and the error is cleared
    assert [request.path for request in notify.requests] == ["/v2/notifications/sms"]
    notification.refresh_from_db()
    assert notification.sms_sent_at is not None
    assert notification.delivery_error == ""


def test_an_unreachable_notify_is_recorded_as_the_delivery_error(
    notify, dave, settings, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{probe.getsockname()[1]}"

    notification = send_and_deliver(django_capture_on_commit_callbacks, recipient=dave, subject="Hi", body="Hello.")

    assert notification.email_sent_at is None
    assert notification.delivery_error == "GOV.UK Notify could not send the email: 503 Request failed"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_delivering_the_same_notification_send_it_once(notify, dave):
    # Given a queued notification, and a Notify slow enough for the two deliveries to overlap
    notification = NotificationFactory(recipient=dave)
    notify.delay_seconds = 0.5
    start_together = threading.Barrier(2)

    def worker() -> None:
        start_together.wait()
        try:
            notification_deliver(notification_id=notification.pk)
        finally:
            connection.close()

    # When two workers deliver it at the same moment (a retry racing the original)
    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=10)

    # Then the second waits for the first's row lock, sees the email sent, and sends nothing
    assert [request.path for request in notify.requests] == ["/v2/notifications/email"]
    notification.refresh_from_db()
    assert notification.email_sent_at is not None
