"""Word search on SQLite: an FTS5 table of the documents' words, ranked with bm25().

The table (created by migration 0002) holds one row per OfferDocument, its rowid the document's id;
the indexer writes it in the same transaction as the document. Distances need SQLite's math
functions (sin, cos, asin, sqrt, radians): SQLite 3.35+ has them when compiled with them, and Django
registers Python versions on every connection when it was not (django.db.backends.sqlite3._functions).
"""

from django.db import DatabaseError, connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from search.models import OfferDocument, SearchWord
from search.text import QueryWord

TABLE = "directory_search_offertext"
# Column weights for bm25(): a word in the name counts most, then categories and needs, then the description.
WEIGHTS = "10.0, 4.0, 1.0"
_DOCUMENTS = OfferDocument._meta.db_table


def match_expression(words: list[QueryWord]) -> str:
    """An FTS5 query: every word (or one of its corrections) must appear. Each word is quoted, so
    nothing a user types is read as FTS5 syntax."""
    return " AND ".join("(" + " OR ".join(_quoted(word) for word in item.alternatives) + ")" for item in words)


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def text_filter(words: list[QueryWord]) -> Q:
    # The table name is a constant and the words are a bound parameter: nothing typed reaches the SQL.
    matching = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"  # noqa: S608
    return Q(pk__in=RawSQL(matching, (match_expression(words),)))  # noqa: S611


def with_text_score(documents: QuerySet[OfferDocument], words: list[QueryWord]) -> QuerySet[OfferDocument]:
    # bm25() is lower for better matches; negated so that a higher score is better on every engine.
    score_sql = f"SELECT -bm25({TABLE}, {WEIGHTS}) FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid = {_DOCUMENTS}.id"  # noqa: S608
    score = RawSQL(score_sql, (match_expression(words),))  # noqa: S611
    return documents.annotate(text_score=score)


def text_write(documents: list[OfferDocument]) -> None:
    rows = [(document.pk, document.name, document.categories, document.description) for document in documents]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {TABLE} (rowid, name, categories, description) VALUES (%s, %s, %s, %s)", rows)  # noqa: S608


def text_delete(document_ids: list[int]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(document_ids), 500):
            chunk = document_ids[start : start + 500]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({placeholders})", chunk)  # noqa: S608


def text_clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608


def index_lock() -> None:
    """Nothing to do: SQLite lets one transaction write at a time."""


def correction_candidates(word: str) -> list[tuple[str, int]]:
    """Vocabulary words that may be one edit away: one letter longer or shorter at most, and sharing
    the first or the last letter (a single edit leaves at least one of them in place)."""
    return list(
        SearchWord.objects.filter(length__range=(len(word) - 1, len(word) + 1))
        .filter(Q(word__startswith=word[0]) | Q(word__endswith=word[-1]))
        .values_list("word", "frequency")
    )


def problem() -> str:
    """What stops word search working, or an empty string."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE])
            if cursor.fetchone()[0] != 1:
                return "the word index table is missing: run the migrations"
            cursor.execute("SELECT sin(1), sqrt(4)")
            cursor.fetchone()
    except DatabaseError as error:
        return type(error).__name__
    return ""
