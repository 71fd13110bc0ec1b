"""rows_insert writes the same rows as bulk_create: one statement per table on PostgreSQL, bulk_create elsewhere.

These run on both databases (the PostgreSQL stage of `make test` runs them with unnest)."""

import datetime
import uuid

import pytest
from django.utils import timezone

from accounts.bulk import rows_insert
from accounts.models import Notification
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_rows_are_written_with_the_fields_given_and_defaults_for_the_rest() -> None:
    user = UserFactory()
    before = timezone.now()

    rows_insert(
        Notification,
        [
            {"recipient": user, "subject": "One", "body": "b"},
            {"recipient_id": user.pk, "subject": "Two", "body": "c", "link": "/x/"},
        ],
    )

    first, second = Notification.objects.order_by("subject")
    assert (first.subject, first.recipient, first.link, first.read_at) == ("One", user, "", None)
    assert (second.subject, second.link) == ("Two", "/x/")
    assert isinstance(first.public_id, uuid.UUID) and first.public_id != second.public_id
    assert first.created_at >= before


def test_returning_gives_the_named_fields_of_every_row_to_match_up_by_a_unique_one() -> None:
    user = UserFactory()
    ids = [uuid.uuid4() for _ in range(3)]

    returned = rows_insert(
        Notification,
        [{"recipient": user, "subject": str(n), "body": "", "public_id": public_id} for n, public_id in enumerate(ids)],
        returning=("public_id", "pk"),
    )

    by_public_id = dict(returned)
    assert set(by_public_id) == set(ids)
    for public_id, pk in by_public_id.items():
        assert Notification.objects.get(pk=pk).public_id == public_id


def test_values_keep_their_types_through_the_arrays() -> None:
    user = UserFactory()
    read_at = datetime.datetime(2026, 11, 23, 9, 30, tzinfo=datetime.UTC)

    rows_insert(Notification, [{"recipient": user, "subject": "Typed", "body": "é ✓", "read_at": read_at}])

    saved = Notification.objects.get(subject="Typed")
    assert (saved.body, saved.read_at) == ("é ✓", read_at)


def test_no_rows_is_no_statement(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(0):
        assert rows_insert(Notification, [], returning=("pk",)) == []


def test_a_column_the_same_in_every_row_is_written_to_every_row() -> None:
    users = [UserFactory(), UserFactory()]
    read_at = datetime.datetime(2026, 11, 23, 9, 30, tzinfo=datetime.UTC)

    rows_insert(
        Notification,
        [
            {"recipient": users[number % 2], "subject": "Same", "body": f"body {number}", "read_at": read_at}
            for number in range(5)
        ],
    )

    saved = list(Notification.objects.order_by("body"))
    assert [(row.recipient, row.subject, row.body, row.read_at) for row in saved] == [
        (users[number % 2], "Same", f"body {number}", read_at) for number in range(5)
    ]
    assert len({row.public_id for row in saved}) == 5
