"""A demo built once per test module: building takes most of a minute, and most tests only look at it.

``demo_built`` runs ``demo_data`` inside a transaction that lives as long as the module's tests and is
rolled back after the last one. Each test still runs in its own savepoint within it (pytest-django's
``db``), so whatever a test changes is undone before the next test sees the demo. Tests that need a
database without the demo belong in a module that does not use this fixture.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.models import Membership, Organisation, User


@dataclass(frozen=True)
class DemoRun:
    output: str
    rows_before: int


@pytest.fixture(scope="module")
def demo_built(django_db_setup, django_db_blocker) -> Iterator[DemoRun]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), transaction.atomic():
        rows_before = sum(model.objects.count() for model in (Organisation, User, Membership))
        stdout = StringIO()
        call_command("demo_data", stdout=stdout, stderr=StringIO())
        yield DemoRun(output=stdout.getvalue(), rows_before=rows_before)
        transaction.set_rollback(True)
