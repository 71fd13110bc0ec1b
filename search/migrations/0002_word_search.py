"""Word search for each database engine, outside the model state (see search/models.py):

- PostgreSQL: the pg_trgm extension, a GIN index on the documents' search vectors and a GIN trigram
  index on the vocabulary, for typo candidates.
- SQLite: an FTS5 table of the documents' words (rowid = OfferDocument.id), written by the indexer.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

FTS_TABLE = "directory_search_offertext"

POSTGRES_INDEXES = (
    "CREATE INDEX IF NOT EXISTS offerdoc_search_vector_gin ON directory_search_offerdocument USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS searchword_trigram ON directory_search_searchword USING gin (word gin_trgm_ops)",
)


class PostgresTrigramExtension(TrigramExtension):
    """pg_trgm on PostgreSQL only. Going forwards, Django already skips other databases; going
    backwards it would query pg_extension on SQLite too."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        # Other apps may use pg_trgm too: leave it installed.
        pass


def word_search_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRES_INDEXES:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "name, categories, description, tokenize = 'porter unicode61 remove_diacritics 2')"
        )


def word_search_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS offerdoc_search_vector_gin")
        schema_editor.execute("DROP INDEX IF EXISTS searchword_trigram")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("directory_search", "0001_offer_documents")]

    operations = [
        PostgresTrigramExtension(),
        migrations.RunPython(word_search_create, word_search_drop),
    ]
