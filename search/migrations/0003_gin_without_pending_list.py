"""The GIN indexes of word search (migration 0002) write new entries straight into the index.

With GIN's default ``fastupdate``, new entries wait in a pending list that every search reads in
full until a vacuum merges it: after a rebuild of 10,000 offers that was 20,000 entries, and the
planner, costing the list, read the whole documents table instead (11 ms for a two-word search that
the index answers in under 1 ms). Indexing runs in tasks after commit, so a slower write is
invisible to users; a slower search is not.
"""

from django.db import migrations

INDEXES = ("offerdoc_search_vector_gin", "searchword_trigram")


def pending_list_off(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {index} SET (fastupdate = off)")
        # Entries already pending stay there until merged; merge them now.
        schema_editor.execute(
            f"SELECT gin_clean_pending_list(oid) FROM pg_class WHERE relname = '{index}' AND relkind = 'i'"  # noqa: S608
        )


def pending_list_on(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {index} SET (fastupdate = on)")


class Migration(migrations.Migration):
    dependencies = [("directory_search", "0002_word_search")]

    operations = [migrations.RunPython(pending_list_off, pending_list_on)]
