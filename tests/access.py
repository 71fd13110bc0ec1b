"""One-line access checks: ``access.not_found(user, url)``, ``access.forbidden(user, url)``.

A record outside the user's organisation and relationships must answer 404 (its existence is not
revealed); a page the user's role may not use must answer 403.
"""

from dataclasses import dataclass

import pytest
from django.test import Client


@dataclass
class Access:
    def _response(self, user, url: str, method: str):  # type: ignore[no-untyped-def]
        client = Client()
        if user is not None:
            client.force_login(user)
        return getattr(client, method)(url)

    def status(self, user, url: str, method: str = "get") -> int:  # type: ignore[no-untyped-def]
        return self._response(user, url, method).status_code

    def ok(self, user, url: str, method: str = "get") -> None:  # type: ignore[no-untyped-def]
        code = self.status(user, url, method)
        assert code == 200, f"{user} should be able to use {url}, got {code}"

    def not_found(self, user, url: str, method: str = "get") -> None:  # type: ignore[no-untyped-def]
        code = self.status(user, url, method)
        assert code == 404, f"{user} must get 404 for {url} (not theirs), got {code}"

    def forbidden(self, user, url: str, method: str = "get") -> None:  # type: ignore[no-untyped-def]
        code = self.status(user, url, method)
        assert code == 403, f"{user} must get 403 for {url} (role may not use it), got {code}"

    def sign_in_required(self, url: str, method: str = "get") -> None:
        response = self._response(None, url, method)
        assert response.status_code == 302 and "/account/sign-in/" in response["Location"], (
            f"{url} must send anonymous visitors to sign in, got {response.status_code}"
        )


@pytest.fixture
def access() -> Access:
    return Access()
