"""Fixtures shared by the accounts tests."""

import pytest

from accounts.tests.sso_provider import LocalProvider


@pytest.fixture
def provider(settings):  # type: ignore[no-untyped-def]
    """A real OpenID provider on 127.0.0.1 (sso_provider.py), allowed over plain HTTP as only tests may."""
    settings.SSO_ALLOW_HTTP = True
    with LocalProvider() as running:
        yield running


@pytest.fixture
def mfa_required(settings):  # type: ignore[no-untyped-def]
    """Two-step verification on, as in production (the test settings turn it off for everything else)."""
    settings.MFA_REQUIRED = True
