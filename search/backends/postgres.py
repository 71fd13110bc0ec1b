"""Word search on PostgreSQL: a weighted tsvector per document (name A, categories and needs B,
description C) with a GIN index, websearch_to_tsquery('english', ...) and ts_rank_cd; typo candidates
come from pg_trgm similarity on a GIN trigram index of the vocabulary."""

from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q, QuerySet, Value

from search.models import OfferDocument, SearchWord
from search.text import QueryWord

CONFIG = "english"
# Low enough that one swapped pair of letters in a five-letter word (similarity 0.2) is still a
# candidate; every candidate is then confirmed by edit distance in Python.
TRIGRAM_THRESHOLD = 0.19
CANDIDATE_LIMIT = 50
# ts_rank_cd normalisation 1: divide by 1 + log(document length), so a long description does not
# outrank a name that says exactly what was searched for.
RANK_NORMALISATION = 1


def _tsquery(words: list[QueryWord]) -> SearchQuery:
    return reduce(
        and_,
        (
            reduce(or_, (SearchQuery(word, config=CONFIG, search_type="websearch") for word in item.alternatives))
            for item in words
        ),
    )


def text_filter(words: list[QueryWord]) -> Q:
    return Q(search_vector=_tsquery(words))


def with_text_score(documents: QuerySet[OfferDocument], words: list[QueryWord]) -> QuerySet[OfferDocument]:
    rank = SearchRank(F("search_vector"), _tsquery(words), cover_density=True, normalization=Value(RANK_NORMALISATION))
    return documents.annotate(text_score=rank)


def text_write(documents: list[OfferDocument]) -> None:
    vector = (
        SearchVector("name", weight="A", config=CONFIG)
        + SearchVector("categories", weight="B", config=CONFIG)
        + SearchVector("description", weight="C", config=CONFIG)
    )
    OfferDocument.objects.filter(pk__in=[document.pk for document in documents]).update(search_vector=vector)


def text_delete(document_ids: list[int]) -> None:
    """Nothing to do: the vector lives on the document row."""


def text_clear() -> None:
    """Nothing to do: the vector lives on the document row."""


def index_lock() -> None:
    """Hold other writers of the index until this transaction ends; readers carry on (EXCLUSIVE mode
    still allows SELECT)."""
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {OfferDocument._meta.db_table} IN EXCLUSIVE MODE")


def correction_candidates(word: str) -> list[tuple[str, int]]:
    table = SearchWord._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # set_config(..., true) lasts until the end of this transaction only.
        cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(TRIGRAM_THRESHOLD)])
        cursor.execute(
            f"SELECT word, frequency FROM {table} WHERE word %% %s AND length BETWEEN %s AND %s "  # noqa: S608
            "ORDER BY similarity(word, %s) DESC LIMIT %s",
            [word, len(word) - 1, len(word) + 1, word, CANDIDATE_LIMIT],
        )
        return list(cursor.fetchall())


def problem() -> str:
    """What stops word search working, or an empty string."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")
            if cursor.fetchone()[0] != 1:
                return "the pg_trgm extension is missing: run the migrations"
    except DatabaseError as error:
        return type(error).__name__
    return ""
