"""demo_data on a database without the demo: the command's options, its output and its safety."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from accounts.models import Organisation
from accounts.tests.factories import UserFactory
from demo import runner
from demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from demo.tests.helpers import row_counts, run_demo_data, snapshot

pytestmark = pytest.mark.django_db


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def people_only(monkeypatch):  # type: ignore[no-untyped-def]
    """Only the first builder (councils, organisations and people): enough to watch the command's output."""
    monkeypatch.setattr(runner, "BUILDERS", runner.BUILDERS[:1])


def test_the_same_data_is_built_on_every_fresh_database_and_someone_elses_account_is_left_alone():
    # One test, because a full build is the slowest thing in the suite. Rolling the first build back
    # leaves the database exactly as migrations made it (and Alice), so the second build starts as fresh
    # as the first did.
    alice = UserFactory(email="alice@example.org")
    password_before = alice.password
    with transaction.atomic():
        run_demo_data()
        first = snapshot()
        transaction.set_rollback(True)
    assert not Organisation.objects.filter(email__endswith=".demo").exists()

    run_demo_data()

    assert snapshot() == first
    alice.refresh_from_db()
    assert alice.password == password_before
    assert not alice.memberships.exists()


def test_logins_option_prints_every_login_and_creates_nothing():
    before = row_counts()

    output = run_demo_data("--logins")

    assert row_counts() == before
    for login in DEMO_LOGINS:
        assert login.email in output
    assert DEMO_PASSWORD in output
    assert "do not exist yet" in output


def test_progress_bar_is_drawn_on_a_terminal(people_only):
    terminal = Terminal()

    call_command("demo_data", stdout=StringIO(), stderr=terminal)

    assert "People:" in terminal.getvalue()
    assert "Memberships:" in terminal.getvalue()


def test_quiet_hides_the_progress_bar_even_on_a_terminal(people_only):
    terminal = Terminal()

    call_command("demo_data", "--quiet", stdout=StringIO(), stderr=terminal)

    assert terminal.getvalue() == ""


@pytest.mark.parametrize("scale", ["0", "-3", "two"])
def test_scale_that_is_not_a_positive_whole_number_is_refused(scale):
    before = row_counts()

    with pytest.raises(CommandError):
        call_command("demo_data", "--scale", scale, stdout=StringIO(), stderr=StringIO())

    assert row_counts() == before


def test_a_failing_builder_leaves_the_database_as_it_was(monkeypatch):
    def broken_builder(ctx):  # type: ignore[no-untyped-def]
        raise RuntimeError("a later builder failed")

    # The first builder writes councils, organisations and people; the broken one after it must undo them.
    monkeypatch.setattr(runner, "BUILDERS", (runner.BUILDERS[0], runner.Builder("Broken", broken_builder)))
    before = row_counts()

    with pytest.raises(RuntimeError):
        run_demo_data()

    assert row_counts() == before


def test_demo_data_refuses_to_run_under_production_settings(settings):
    settings.SETTINGS_MODULE = "config.settings.production"

    with pytest.raises(CommandError, match="production settings"):
        call_command("demo_data", "--quiet")
