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
        _transactional_tests_restore_migrated_data(item)
        if "browser" in item.keywords and not item.nodeid.startswith("tests/browser/"):
            # Their fixtures start one Playwright per worker; a copy imported elsewhere starts a second,
            # which Playwright refuses while the first runs (and the summary counts them by folder).
            raise pytest.UsageError(f"{item.nodeid}: browser tests belong in tests/browser/")


def _transactional_tests_restore_migrated_data(item: pytest.Item) -> None:
    """Every transactional test must use serialized_rollback, or none may.

    A transactional test ends by emptying the database. Without serialized_rollback, Django then
    re-creates content types and permissions (post_migrate) with new ids; the next test that restores the
    migrated data (the browser tests need the Wagtail site tree) then collides with those rows and fails,
    but only when the two happen to run one after the other in the same worker.
    """
    marker = item.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    if not marker.kwargs.get("serialized_rollback"):
        raise pytest.UsageError(
            f"{item.nodeid}: mark transactional tests "
            "@pytest.mark.django_db(transaction=True, serialized_rollback=True) (see conftest.py)"
        )
