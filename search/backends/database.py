"""The embedded default backend: search on the project's own database (SQLite FTS5 or PostgreSQL
full text), over the document tables in ``search.models``."""

import random
from collections.abc import Iterable

from django.db import DatabaseError, connection, transaction
from django.db.models import F, OrderBy, OuterRef, QuerySet, Subquery
from django.utils import timezone

from providers.models import Offer
from search.backends import database_statement
from search.backends.base import BackendHealth, IndexCheck, Progress, SearchBackend
from search.backends.database_facets import facet_counts
from search.backends.database_filters import FilterPlan, nearest_miles
from search.backends.database_index import (
    document_fingerprints,
    documents_clear,
    documents_replace,
    engine,
    offer_fingerprint,
)
from search.backends.facet_values import facets_present
from search.documents import indexed_offers, indexed_offers_in_batches, searchable_offers
from search.geo import origin_of
from search.models import OfferDocument, OfferPrice, SearchWord
from search.query import Hit, SearchQuery, SearchResults, Suggestion
from search.text import QueryWord, query_words


class DatabaseSearchBackend(SearchBackend):
    """Search on the project's own database (SQLite FTS5 or PostgreSQL full text)."""

    name = "database"

    def search(self, query: SearchQuery) -> SearchResults:
        origin = origin_of(query.postcode) if query.postcode else None
        words = self._words(query.text)
        suggestions = [Suggestion(item.word, item.corrections) for item in words if item.corrections]
        if connection.vendor == "postgresql":
            # One statement for the page, the total and every facet count (database_statement).
            found = database_statement.search(query, origin, words)
            return SearchResults(
                hits=found.hits,
                total=found.total,
                facets=facets_present(found.counts, found.labels),
                suggestions=suggestions,
                page=query.page,
                per_page=query.per_page,
            )
        plan = FilterPlan(query, origin, engine().text_filter(words) if words else None)
        documents = plan.documents()
        return SearchResults(
            hits=self._hits(documents, plan, words),
            total=documents.count(),
            facets=facet_counts(plan),
            suggestions=suggestions,
            page=query.page,
            per_page=query.per_page,
        )

    def text_matches(self, text: str) -> list[int]:
        words = self._words(" ".join(text.split()))
        documents = OfferDocument.objects.all()
        if words:
            documents = engine().with_text_score(documents.filter(engine().text_filter(words)), words)
            documents = documents.order_by(F("text_score").desc(), "name", "pk")
        return list(documents.values_list("offer_id", flat=True))

    def index(self, offer_ids: Iterable[int]) -> None:
        ids = sorted(set(offer_ids))
        with transaction.atomic():
            # Lock the offers first, then read them: two tasks indexing one offer take turns, and the
            # later one reads what the earlier one saw or newer, so an older copy never wins.
            list(Offer.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
            documents_replace(indexed_offers(ids, today=timezone.localdate()), remove_offer_ids=ids)

    def remove(self, offer_ids: Iterable[int]) -> None:
        documents_replace([], remove_offer_ids=set(offer_ids))

    def rebuild(self, progress: Progress | None = None) -> int:
        # One transaction: searches keep using the old index until the new one is complete.
        with transaction.atomic():
            # Indexing tasks wait until the new index is complete; searches go on reading the old one.
            engine().index_lock()
            documents_clear()
            total, done = searchable_offers().count(), 0
            for batch in indexed_offers_in_batches(today=timezone.localdate()):
                documents_replace(batch)
                done += len(batch)
                if progress is not None:
                    progress(done, total)
        return done

    def verify(self, sample_size: int = 50) -> IndexCheck:
        expected = set(searchable_offers().values_list("pk", flat=True))
        indexed = set(OfferDocument.objects.values_list("offer_id", flat=True))
        both = sorted(expected & indexed)
        sample = random.sample(both, min(sample_size, len(both)))
        stored = document_fingerprints(sample)
        fresh = {
            offer.offer_id: offer_fingerprint(offer) for offer in indexed_offers(sample, today=timezone.localdate())
        }
        return IndexCheck(
            expected=len(expected),
            indexed=len(indexed),
            missing=sorted(expected - indexed),
            unexpected=sorted(indexed - expected),
            sampled=len(sample),
            stale=sorted(offer_id for offer_id in sample if stored.get(offer_id) != fresh.get(offer_id)),
        )

    def health(self) -> BackendHealth:
        # Healthy when the database answers and the index tables and word search are in place.
        try:
            OfferDocument.objects.exists()
        except DatabaseError as error:
            return BackendHealth(ok=False, detail=type(error).__name__)
        problem = engine().problem()
        return BackendHealth(ok=not problem, detail=problem)

    def _words(self, text: str) -> list[QueryWord]:
        if not text:
            return []
        return query_words(text, known=_known_words, candidates=engine().correction_candidates)

    def _hits(self, documents: QuerySet[OfferDocument], plan: FilterPlan, words: list[QueryWord]) -> list[Hit]:
        query = plan.query
        if words:
            documents = engine().with_text_score(documents, words)
        if plan.origin is not None:
            documents = documents.annotate(distance=nearest_miles(plan.origin))
        if query.sort == "price":
            documents = documents.annotate(unit_price=_cheapest_in(query.price_unit))
        start = (query.page - 1) * query.per_page
        rows = documents.order_by(*_ordering(query, has_words=bool(words), has_origin=plan.origin is not None))
        fields = ["offer_id", "public_id"] + (["text_score"] if words else []) + (["distance"] if plan.origin else [])
        return [
            Hit(
                offer_id=row["offer_id"],
                public_id=row["public_id"],
                score=float(row.get("text_score") or 0.0),
                distance_miles=row.get("distance"),
            )
            for row in rows.values(*fields)[start : start + query.per_page]
        ]


def _known_words(words: list[str]) -> set[str]:
    return set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))


def _cheapest_in(unit: str) -> Subquery:
    prices = OfferPrice.objects.filter(document=OuterRef("pk"), unit=unit).order_by("amount").values("amount")[:1]
    return Subquery(prices)


def _ordering(query: SearchQuery, *, has_words: bool, has_origin: bool) -> list[OrderBy | str]:
    relevance = [F("text_score").desc()] if has_words else []
    nearest = [F("distance").asc(nulls_last=True)] if has_origin else []
    first: dict[str, list[OrderBy]] = {
        "relevance": relevance + nearest,
        "distance": nearest + relevance,
        "price": [F("unit_price").asc(nulls_last=True), *relevance],
        "assured": [F("assured_on").desc(nulls_last=True), *relevance],
    }
    return [*first[query.sort], "name", "pk"]
