"""Fixtures for the browser tests: Debian's Chromium through Playwright, against pytest-django's live server.

The browser tests run in the PostgreSQL stage of `make test` (the root conftest.py skips them on
SQLite). Playwright never downloads a browser here: it drives /usr/bin/chromium, which `make test`
installs from Debian's packages when it is missing.

Each test needs ``@pytest.mark.django_db(transaction=True, serialized_rollback=True)``: the live
server reads the database from another thread, so the test data must be committed, and committed
data is flushed after each test, taking with it the Wagtail site tree that a data migration made.
serialized_rollback puts the migrated data back before each test.
"""

import os
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, Response, sync_playwright

from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, Browsing

# Playwright's sync API keeps an asyncio event loop in the test thread; Django refuses database calls
# from a thread with a running loop unless told this is safe (it is: the loop is Playwright's alone).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Iterator[Browser]:  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it, or run `apt-get install chromium`")
    migrated_data = _serialized_contents()
    with sync_playwright() as playwright:
        _serialized_contents_share(migrated_data)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _serialized_contents() -> dict[str, str]:
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


def _serialized_contents_share(contents: dict[str, str]) -> None:
    """Give the migrated data that serialized_rollback restores to the connections this thread now uses.

    Playwright's sync API keeps an event loop running in the test thread. Django keeps database
    connections per thread, and per context in a thread with a running loop (asgiref's Local), so from
    here on the tests in this process get new connection objects, which lack the snapshot of the
    migrated data taken when the test database was created. Without it, the first transactional
    test's flush would leave every later test without the Wagtail site tree, taxonomy or groups.
    """
    from django.db import connections

    for alias, data in contents.items():
        connections[alias]._test_serialized_contents = data


@pytest.fixture
def site_tree(live_server) -> None:  # type: ignore[no-untyped-def]
    from cms.models import HomePage

    # serialized_rollback restores what the test database held when it was created; a database kept
    # by --reuse-db from an earlier run was left flushed by that run's last transactional test.
    assert HomePage.objects.exists(), (
        "The Wagtail site tree is missing: mark the test "
        "@pytest.mark.django_db(transaction=True, serialized_rollback=True), and run with --create-db "
        "if the test database was kept from an earlier run"
    )


@pytest.fixture
def browsing(browser: Browser, live_server, site_tree: None) -> Iterator[Browsing]:  # type: ignore[no-untyped-def]
    session = Browsing(browser, base_url=live_server.url)
    yield session
    session.close()


@pytest.fixture
def page(browsing: Browsing) -> Page:
    return browsing.new_page()


@pytest.fixture
def no_js_page(browsing: Browsing) -> Page:
    return browsing.new_page(javascript=False)


@pytest.fixture
def visit(browsing: Browsing) -> Callable[[Page, str], Response]:
    """``visit(page, url)``: open the page, check it answered and loaded cleanly, and run axe on it."""
    return browsing.visit


@pytest.fixture
def axe_check(browsing: Browsing) -> Callable[[Page], None]:
    """``axe_check(page)``: fail on any serious or critical WCAG 2.2 A/AA problem on the page as it is."""
    return browsing.axe_check
