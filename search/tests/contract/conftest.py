"""The contract suite runs every test against every backend: the database backend on whichever
engine the run uses (SQLite or PostgreSQL), and Elasticsearch when ELASTICSEARCH_URL is set.

A backend that cannot run here is reported as skipped with the reason, never left out silently; a
cluster that is configured but has no backend to test fails loudly.
"""

from collections.abc import Iterator

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
def backend(request, db, settings) -> Iterator[SearchBackend]:  # type: ignore[no-untyped-def]
    backend_class = BACKENDS.get(request.param)
    if backend_class is None:
        pytest.fail(f"ELASTICSEARCH_URL is set but there is no {request.param} search backend to test")
    if request.param == "elasticsearch":
        # Indices of their own, so that a run against a shared cluster never touches the site's index.
        settings.ELASTICSEARCH_INDEX_PREFIX = f"{settings.ELASTICSEARCH_INDEX_PREFIX}-contract-tests"
    backend = backend_class()
    backend.rebuild()  # start from an empty index
    yield backend
    if request.param == "elasticsearch":
        for index in backend.client.indices.get_alias(name=backend.alias):
            backend.client.indices.delete(index=index)


@pytest.fixture(autouse=True)
def places(db) -> None:  # type: ignore[no-untyped-def]
    gazetteer()
