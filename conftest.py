"""Project-wide test set-up: hypothesis profiles and the access-check helpers."""

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

pytest_plugins = ["tests.access"]


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    from django.conf import settings as django_settings

    on_postgres = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL stage of make test")
    for item in items:
        if not on_postgres and ("postgres" in item.keywords or "browser" in item.keywords):
            item.add_marker(skip_pg)
