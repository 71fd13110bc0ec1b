"""Search backends behind one interface. The database backend is the embedded default."""

from django.conf import settings

from search.backends.base import SearchBackend
from search.backends.database import DatabaseSearchBackend

BACKENDS: dict[str, type[SearchBackend]] = {"database": DatabaseSearchBackend}


def get_backend() -> SearchBackend:
    return BACKENDS[settings.SEARCH_BACKEND]()
