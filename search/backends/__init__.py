"""Search backends behind one interface. The database backend is the embedded default; Elasticsearch
is for directories that outgrow one database (docs/deployment.md)."""

from django.conf import settings

from search.backends.base import SearchBackend
from search.backends.database import DatabaseSearchBackend
from search.backends.elasticsearch import ElasticsearchSearchBackend

BACKENDS: dict[str, type[SearchBackend]] = {
    "database": DatabaseSearchBackend,
    "elasticsearch": ElasticsearchSearchBackend,
}


def get_backend() -> SearchBackend:
    return BACKENDS[settings.SEARCH_BACKEND]()
