"""Test doubles for Stripe: a local HTTP recorder that answers canned Stripe JSON and keeps every request
the Stripe SDK sent, webhook payloads signed with Stripe's own algorithm, and the few rows Stripe tests
need (a council paying through Stripe, a connected account, a run and a payment)."""

import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe

from accounts.models import Organisation
from accounts.tests.factories import CouncilFactory, OrganisationFactory, UserFactory
from marketplace.payments.models import (
    ConnectedAccount,
    Gateway,
    Payment,
    PaymentMethod,
    PaymentRun,
    PaymentSettings,
)

SECRET_KEY = "sk_test_council_key"
WEBHOOK_SECRET = "whsec_council_secret"


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Recorder:
    """Answers each (method, path) with the canned replies given, in order (the last one repeats)."""

    url: str = ""
    requests: list[RecordedRequest] = field(default_factory=list)
    replies: dict[tuple[str, str], deque] = field(default_factory=lambda: defaultdict(deque))

    def reply(self, method: str, path: str, body: dict[str, Any], status: int = 200) -> None:
        self.replies[(method, path)].append((status, body))

    def answer(self, method: str, path: str) -> tuple[int, dict[str, Any]]:
        queue = self.replies.get((method, path))
        if not queue:
            return 404, {"error": {"type": "invalid_request_error", "message": f"No reply for {method} {path}"}}
        return queue.popleft() if len(queue) > 1 else queue[0]


def recorder_start() -> tuple[Recorder, ThreadingHTTPServer]:
    recorder = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            recorder.requests.append(
                RecordedRequest(
                    method=self.command,
                    path=parts.path,
                    query=dict(parse_qsl(parts.query)),
                    form=dict(parse_qsl(body.decode(errors="replace"))),
                    headers={key.lower(): value for key, value in self.headers.items()},
                    body=body,
                )
            )
            status, reply = recorder.answer(self.command, parts.path)
            content = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            self.send_header("Request-Id", f"req_{len(recorder.requests)}")
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_DELETE = _handle

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    recorder.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return recorder, server


# --- Signed webhooks -------------------------------------------------------------------------------------


def stripe_event(
    event_type: str, data: dict[str, Any], *, event_id: str = "evt_1", created: int | None = None, **more: Any
) -> dict[str, Any]:
    return {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "created": created if created is not None else int(time.time()),
        "data": {"object": data},
        "livemode": False,
        **more,
    }


def signed(event: dict[str, Any], secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> tuple[bytes, str]:
    """The body and the Stripe-Signature header Stripe would send: HMAC-SHA256 of "{t}.{body}"."""
    body = json.dumps(event).encode()
    at = timestamp if timestamp is not None else int(time.time())
    signature = stripe.WebhookSignature._compute_signature(f"{at}.{body.decode()}", secret)
    return body, f"t={at},v1={signature}"


# --- Rows -----------------------------------------------------------------------------------------------


def stripe_council(api_base: str = "", **fields: Any) -> Organisation:
    council = CouncilFactory()
    PaymentSettings.objects.create(
        council=council,
        gateway=Gateway.STRIPE_CONNECT,
        stripe_secret_key=SECRET_KEY,
        stripe_webhook_secret=WEBHOOK_SECRET,
        stripe_api_base=api_base,
        **fields,
    )
    return council


def connected_account(council: Organisation, stripe_account_id: str = "acct_1", **fields: Any) -> ConnectedAccount:
    return ConnectedAccount.objects.create(
        council=council,
        provider_organisation=fields.pop("provider_organisation", None) or OrganisationFactory(council=council),
        stripe_account_id=stripe_account_id,
        created_by=UserFactory(),
        **fields,
    )


def payment_run(council: Organisation, reference: str = "PR-2026-0001") -> PaymentRun:
    return PaymentRun.objects.create(
        council=council, reference=reference, pay_on=date(2026, 11, 25), prepared_by=UserFactory()
    )


def stripe_payment(run: PaymentRun, account: ConnectedAccount, amount: str = "123.45", **fields: Any) -> Payment:
    return Payment.objects.create(
        run=run,
        method=PaymentMethod.STRIPE_TRANSFER,
        connected_account=account,
        provider_organisation=account.provider_organisation,
        payee_name=str(account.provider_organisation),
        amount=Decimal(amount),
        remittance_reference="SE-PR0001-01",
        **fields,
    )
