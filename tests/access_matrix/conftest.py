"""The access matrix's world, built once per module (the demo takes most of a minute to build)."""

from collections.abc import Iterator

import pytest

from tests.access_matrix.world import World, world_fixture


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:  # type: ignore[no-untyped-def]
    yield from world_fixture(django_db_setup, django_db_blocker)
