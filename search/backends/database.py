from django.db import DatabaseError, connection

from search.backends.base import BackendHealth, SearchBackend


class DatabaseSearchBackend(SearchBackend):
    """Search on the project's own database (SQLite FTS5 or PostgreSQL full text)."""

    name = "database"

    def health(self) -> BackendHealth:
        # The database backend is healthy when the database it queries answers.
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError as error:
            return BackendHealth(ok=False, detail=type(error).__name__)
        return BackendHealth(ok=True)
