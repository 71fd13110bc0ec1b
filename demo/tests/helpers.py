"""What the demo_data tests share: running the command, counting and snapshotting rows, signing in, and
building Coventry's part of the demo once for a module."""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from accounts.models import Membership, Organisation, User
from demo.builders import accounts, brokerage, providers
from demo.context import DemoContext
from demo.councils import COVENTRY

SIGN_IN = "/account/sign-in/"


def run_demo_data(*args: str) -> str:
    stdout, stderr = StringIO(), StringIO()
    call_command("demo_data", *args, stdout=stdout, stderr=stderr)
    assert stderr.getvalue() == "", "the progress bar must stay off when output is not a terminal"
    return stdout.getvalue()


def row_counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
    }


def snapshot() -> dict[str, set[tuple]]:
    """Every field that matters of every row, to show that nothing changed or that two runs agree."""
    return {
        "organisations": set(
            Organisation.objects.values_list("public_id", "slug", "name", "kind", "council__slug", "ons_code", "phone")
        ),
        "users": set(User.objects.values_list("public_id", "email", "first_name", "last_name", "password", "is_staff")),
        "memberships": set(
            Membership.objects.values_list("public_id", "user__email", "organisation__slug", "role", "is_active")
        ),
    }


def tally_row(output: str, label: str) -> tuple[int, int]:
    """(created, already there) from the summary line for ``label``."""
    found = re.search(rf"^\s+{re.escape(label)}\s+(\d+)\s+(\d+)$", output, flags=re.MULTILINE)
    assert found, f"no summary line for {label}"
    return int(found[1]), int(found[2])


def sign_in(email: str, password: str) -> Client:
    client = Client()
    response = client.post(SIGN_IN, {"username": email, "password": password})
    assert response.status_code == 302, f"{email} could not sign in"
    return client


@contextmanager
def coventry_demo(django_db_blocker, *builds: Callable[[DemoContext], object]) -> Iterator[DemoContext]:  # type: ignore[no-untyped-def]
    """Coventry's people, directory and families, then ``builds`` in order, in a transaction rolled back on
    leaving: for a module-scoped fixture (building takes most of a minute, and the tests only look at it;
    each test still runs in its own savepoint within it). The other councils' directories take most of a
    full build's time, and these demos are Coventry's."""
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        ctx = DemoContext()
        accounts.build(ctx)
        patch.setattr(providers, "DEMO_COUNCILS", (COVENTRY,))
        providers.build(ctx)
        brokerage.build(ctx)
        for build in builds:
            build(ctx)
        yield ctx
        transaction.set_rollback(True)
