"""What /healthz learns from the search backend."""

import pytest
from django.db import connection

from search.backends import get_backend
from search.backends.base import BackendHealth

pytestmark = pytest.mark.django_db


def test_the_database_backend_is_healthy_when_its_tables_and_word_search_are_in_place():
    assert get_backend().health() == BackendHealth(ok=True, detail="")


def test_the_database_has_the_math_functions_distances_need():
    # SQLite has them when compiled with them; otherwise Django registers Python versions.
    with connection.cursor() as cursor:
        cursor.execute("SELECT sin(1), cos(1), asin(1), sqrt(4), radians(180)")
        sine, _, _, root, half_turn = cursor.fetchone()

    assert (round(sine, 4), root, round(half_turn, 4)) == (0.8415, 2.0, 3.1416)


def test_the_backend_is_unhealthy_when_word_search_has_a_problem(monkeypatch):
    class Broken:
        @staticmethod
        def problem() -> str:
            return "the word index table is missing: run the migrations"

    monkeypatch.setattr("search.backends.database.engine", lambda: Broken)

    health = get_backend().health()

    assert not health.ok
    assert "missing" in health.detail
