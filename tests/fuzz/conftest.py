"""Set-up for the fuzz tests: the Django application as a WSGI callable that keeps the test's transaction."""

from collections.abc import Iterable
from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


class InTransactionWSGIApp:
    """The project's WSGI handler for an in-process client such as schemathesis's.

    Django closes "old" database connections when a request starts and ends; inside a test that would
    close the connection holding the test's transaction, and with it the data the test made. Django's own
    test client switches that off for each request, and so does this (the body is read before the signal
    handlers come back, because the request ends when the response is closed).
    """

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            body = b"".join(response)
            response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return [body]
