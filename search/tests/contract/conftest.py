"""The contract suite runs every test against every backend: the database backend on whichever
engine the run uses (SQLite or PostgreSQL), and Elasticsearch when ELASTICSEARCH_URL is set.

A backend that cannot run here is reported as skipped with the reason, never left out silently; a
cluster that is configured but has no backend to test fails loudly.
"""

import pytest
from django.conf import settings

from search.backends import BACKENDS
from search.backends.base import SearchBackend
from search.tests.factories import gazetteer


def _backend_params() -> list:
    elasticsearch_url = getattr(settings, "ELASTICSEARCH_URL", "")
    no_cluster = pytest.mark.skip(reason="ELASTICSEARCH_URL is not set: the Elasticsearch run needs a cluster")
    return [
        pytest.param("database", id="database"),
        pytest.param("elasticsearch", id="elasticsearch", marks=() if elasticsearch_url else (no_cluster,)),
    ]


@pytest.fixture(params=_backend_params())
def backend(request, db) -> SearchBackend:  # type: ignore[no-untyped-def]
    backend_class = BACKENDS.get(request.param)
    if backend_class is None:
        pytest.fail(f"ELASTICSEARCH_URL is set but there is no {request.param} search backend to test")
    backend = backend_class()
    backend.rebuild()  # start from an empty index
    return backend


@pytest.fixture(autouse=True)
def places(db) -> None:  # type: ignore[no-untyped-def]
    gazetteer()
