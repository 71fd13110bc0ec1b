"""Search on an Elasticsearch 8 cluster, for directories that outgrow one database.

Searches read an alias (``ELASTICSEARCH_INDEX_PREFIX``), never an index. ``rebuild`` loads a new index
``<prefix>-<timestamp>`` while searches go on reading the old one, then moves the alias to it in one
``update_aliases`` call (so every search sees one index or the other, never neither) and deletes the
old index. While a rebuild runs, the new index also carries the alias ``<prefix>-rebuilding`` and
incremental updates are written to both, so that an offer changed during the rebuild is not lost.

Each write carries an external version: the moment (in nanoseconds) its data began to be read from the
database. Elasticsearch keeps the write with the higher version, so a rebuild batch read before an
edit cannot overwrite the edit's newer copy.

A cluster that cannot be reached, or that refuses or times out, raises ``SearchUnavailable``: the
find-support page says search is unavailable and the open API answers 503.
"""

import functools
import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress

from django.conf import settings
from django.utils import timezone
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.helpers import scan, streaming_bulk
from elasticsearch_dsl import Search

from search.backends.base import BackendHealth, IndexCheck, Progress, SearchBackend
from search.backends.elasticsearch_mapping import index_definition, live_settings, offer_source
from search.backends.elasticsearch_query import (
    TEXT_MATCHES_PAGE,
    results_from,
    search_request,
    text_matches_request,
    typo_candidates,
    vocabulary_request,
    words_from,
)
from search.documents import IndexedOffer, indexed_offers, indexed_offers_in_batches, searchable_offers
from search.exceptions import SearchUnavailable
from search.geo import origin_of
from search.query import SearchQuery, SearchResults
from search.text import QueryWord

logger = logging.getLogger(__name__)

HEALTH_TIMEOUT_SECONDS = 2
# How long a rebuild waits for the new index's primary shards before it gives up (and keeps the old index).
READY_TIMEOUT = "60s"
BULK_CHUNK_SIZE = 500
SCAN_PAGE_SIZE = 5000
# Refusals that mean "not now" rather than "a bug in the request": credentials, timeouts, overload.
UNAVAILABLE_STATUSES = {401, 403, 408, 429}
NOT_BUILT = "Search is not working at the moment: the search index has not been built"
UNREACHABLE = "Search is not working at the moment: the search cluster cannot be reached"
REFUSED = "Search is not working at the moment: the search cluster refused the request"


def elasticsearch_client() -> Elasticsearch:
    """The process's client for the configured cluster (it keeps a pool of connections, so one is shared)."""
    return _client(
        settings.ELASTICSEARCH_URL,
        username=settings.ELASTICSEARCH_USERNAME,
        password=settings.ELASTICSEARCH_PASSWORD,
        api_key=settings.ELASTICSEARCH_API_KEY,
        ca_certs=settings.ELASTICSEARCH_CA_CERTS,
        verify_certs=settings.ELASTICSEARCH_VERIFY_CERTS,
        timeout=settings.ELASTICSEARCH_TIMEOUT_SECONDS,
    )


@functools.cache
def _client(
    url: str, *, username: str, password: str, api_key: str, ca_certs: str, verify_certs: bool, timeout: int
) -> Elasticsearch:
    if not url:
        raise SearchUnavailable("Search is not working at the moment: ELASTICSEARCH_URL is not set")
    options: dict = {"request_timeout": timeout, "max_retries": 2, "retry_on_timeout": True}
    if api_key:
        options["api_key"] = api_key
    elif username:
        options["basic_auth"] = (username, password)
    if url.startswith("https:"):
        options["verify_certs"] = verify_certs
        if ca_certs:
            options["ca_certs"] = ca_certs
    return Elasticsearch(url, **options)


@contextmanager
def cluster_errors() -> Iterator[None]:
    """Errors of a cluster that cannot answer now become ``SearchUnavailable``; a request the cluster
    finds wrong (a bug here) is raised as it is."""
    try:
        yield
    except NotFoundError as error:
        if error.error != "index_not_found_exception":
            raise
        logger.error("The search index is missing: run manage.py search_index --rebuild (%s)", error)
        raise SearchUnavailable(NOT_BUILT) from error
    except ApiError as error:
        if error.status_code not in UNAVAILABLE_STATUSES and error.status_code < 500:
            raise
        logger.error("The search cluster refused a request: %s", error)
        raise SearchUnavailable(REFUSED) from error
    except TransportError as error:
        logger.error("The search cluster cannot be reached: %s", error)
        raise SearchUnavailable(UNREACHABLE) from error


class ElasticsearchSearchBackend(SearchBackend):
    """Search on an Elasticsearch 8 cluster (``ELASTICSEARCH_URL``), through an alias."""

    name = "elasticsearch"

    def __init__(self, client: Elasticsearch | None = None, *, alias: str | None = None) -> None:
        self._client = client
        self.alias = alias or settings.ELASTICSEARCH_INDEX_PREFIX
        self.rebuilding_alias = f"{self.alias}-rebuilding"

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            self._client = elasticsearch_client()
        return self._client

    # --- Reading ---------------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        # The postcode is checked first: an unknown postcode is the person's mistake, whatever the cluster's state.
        origin = origin_of(query.postcode) if query.postcode else None
        with cluster_errors():
            words = self._words(query.text)
            response = search_request(self._search(), query, origin, words).execute()
        return results_from(response.to_dict(), query, origin, words)

    def text_matches(self, text: str) -> list[int]:
        ids: list[int] = []
        after = None
        with cluster_errors():
            words = self._words(" ".join(text.split()))
            while True:
                hits = text_matches_request(self._search(), words, after).execute().to_dict()["hits"]["hits"]
                ids += [int(hit["_id"]) for hit in hits]
                if len(hits) < TEXT_MATCHES_PAGE:
                    return ids
                after = hits[-1]["sort"]

    def _search(self) -> Search:
        return Search(using=self.client, index=self.alias)

    def _words(self, text: str) -> list[QueryWord]:
        if not text:
            return []
        candidates = typo_candidates(text)
        body = vocabulary_request(self._search(), candidates).execute().to_dict() if candidates else None
        return words_from(text, candidates, body)

    # --- Writing ---------------------------------------------------------------------------------

    def index(self, offer_ids: Iterable[int]) -> None:
        ids = set(offer_ids)
        version = time.time_ns()  # before the read: any later read sees this data or newer
        offers = indexed_offers(ids, today=timezone.localdate())
        removed = ids - {offer.offer_id for offer in offers}
        with cluster_errors():
            self._write(lambda target: _actions(target, offers, removed, version))

    def remove(self, offer_ids: Iterable[int]) -> None:
        version = time.time_ns()
        ids = set(offer_ids)
        with cluster_errors():
            self._write(lambda target: _actions(target, [], ids, version))

    def _write(self, actions_for: Callable[[str], Iterable[dict]]) -> None:
        # wait_for: the task returns once searches can see the change (it does not force a refresh).
        self._bulk(actions_for(self.alias), refresh="wait_for", require_alias=True)
        if self.client.indices.exists_alias(name=self.rebuilding_alias):
            # The index being built has refreshes turned off until it is complete: do not wait for one.
            self._bulk(actions_for(self.rebuilding_alias), require_alias=True, alias_may_be_gone=True)

    def _bulk(self, actions: Iterable[dict], *, alias_may_be_gone: bool = False, **options: object) -> int:
        """Send the actions; answers how many took effect. A version conflict means the index already
        holds a newer copy, and deleting a document that is not there leaves it not there: neither is an error."""
        done, errors = 0, []
        for ok, item in streaming_bulk(
            self.client, actions, chunk_size=BULK_CHUNK_SIZE, raise_on_error=False, **options
        ):
            operation, result = next(iter(item.items()))
            if ok:
                done += 1
            elif result.get("status") == 409 or (operation == "delete" and result.get("result") == "not_found"):
                continue
            elif _index_is_missing(result) and alias_may_be_gone:
                continue  # the rebuild finished meanwhile: the alias now names the new index, written above
            else:
                errors.append(result)
        if errors:
            if any(_index_is_missing(error) for error in errors):
                raise SearchUnavailable(NOT_BUILT)
            raise SearchIndexingFailed(errors)
        return done

    # --- Rebuilding, checking ----------------------------------------------------------------------

    def rebuild(self, progress: Progress | None = None) -> int:
        name = f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        definition = index_definition(
            name, shards=settings.ELASTICSEARCH_SHARDS, replicas=settings.ELASTICSEARCH_REPLICAS
        )
        definition.aliases(**{self.rebuilding_alias: {}})
        with cluster_errors():
            definition.create(using=self.client)
            try:
                done = self._load(name, progress)
                self._make_live(name)
                old = self._swap_alias(name)
            except BaseException:
                # The old index is untouched and still searched: only the half-built one goes (if the
                # cluster lets it; otherwise the next rebuild's operator sees it in the index list).
                with suppress(ApiError, TransportError):
                    self.client.indices.delete(index=name, ignore_unavailable=True)
                raise
            for index in old:
                self.client.indices.delete(index=index)
        return done

    def _load(self, name: str, progress: Progress | None) -> int:
        total, done = searchable_offers().count(), 0
        batches = indexed_offers_in_batches(today=timezone.localdate(), batch_size=BULK_CHUNK_SIZE)
        while True:
            version = time.time_ns()  # before the batch is read
            batch = next(batches, None)
            if batch is None:
                return done
            self._bulk(_actions(name, batch, set(), version))
            done += len(batch)
            if progress is not None:
                progress(done, total)

    def _make_live(self, name: str) -> None:
        self.client.indices.put_settings(index=name, settings=live_settings(replicas=settings.ELASTICSEARCH_REPLICAS))
        self.client.indices.refresh(index=name)
        self.client.cluster.health(index=name, wait_for_status="yellow", timeout=READY_TIMEOUT)

    def _swap_alias(self, name: str) -> list[str]:
        """Point the alias at the new index and nothing else, in one atomic call; answers the old indices."""
        old = self._indices_of(self.alias)
        self.client.indices.update_aliases(
            actions=[
                *({"remove": {"index": index, "alias": self.alias}} for index in old),
                {"add": {"index": name, "alias": self.alias}},
                {"remove": {"index": name, "alias": self.rebuilding_alias}},
            ]
        )
        return old

    def _indices_of(self, alias: str) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=alias))
        except NotFoundError:
            return []

    def verify(self, sample_size: int = 50) -> IndexCheck:
        expected = set(searchable_offers().values_list("pk", flat=True))
        with cluster_errors():
            indexed = self._indexed_ids()
            both = sorted(expected & indexed)
            sample = random.sample(both, min(sample_size, len(both)))
            stored = self._sources(sample)
        fresh = {offer.offer_id: offer_source(offer) for offer in indexed_offers(sample, today=timezone.localdate())}
        return IndexCheck(
            expected=len(expected),
            indexed=len(indexed),
            missing=sorted(expected - indexed),
            unexpected=sorted(indexed - expected),
            sampled=len(sample),
            stale=sorted(offer_id for offer_id in sample if stored.get(offer_id) != fresh.get(offer_id)),
        )

    def _indexed_ids(self) -> set[int]:
        query = {"query": {"match_all": {}}, "_source": False}
        return {int(hit["_id"]) for hit in scan(self.client, index=self.alias, query=query, size=SCAN_PAGE_SIZE)}

    def _sources(self, offer_ids: list[int]) -> dict[int, dict]:
        if not offer_ids:
            return {}
        documents = self.client.mget(index=self.alias, ids=[str(offer_id) for offer_id in offer_ids])["docs"]
        return {int(document["_id"]): document["_source"] for document in documents if document.get("found")}

    def health(self) -> BackendHealth:
        client = self.client.options(request_timeout=HEALTH_TIMEOUT_SECONDS)
        try:
            status = client.cluster.health()["status"]
            built = bool(client.indices.exists_alias(name=self.alias))
        except (ApiError, TransportError) as error:
            return BackendHealth(ok=False, detail=f"the cluster cannot be reached ({type(error).__name__})")
        if status == "red":
            return BackendHealth(ok=False, detail="the cluster's health is red")
        if not built:
            return BackendHealth(ok=False, detail="the search index has not been built: run search_index --rebuild")
        return BackendHealth(ok=True, detail=f"the cluster's health is {status}")


class SearchIndexingFailed(Exception):
    """Elasticsearch refused documents for a reason other than the cluster's state (a mapping error, say)."""

    def __init__(self, errors: list[dict]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} search documents were refused; the first: {errors[0]}")


def _actions(target: str, offers: list[IndexedOffer], removed: set[int], version: int) -> Iterator[dict]:
    for offer in offers:
        yield {
            "_op_type": "index",
            "_index": target,
            "_id": str(offer.offer_id),
            "version": version,
            "version_type": "external",
            "_source": offer_source(offer),
        }
    for offer_id in sorted(removed):
        yield {
            "_op_type": "delete",
            "_index": target,
            "_id": str(offer_id),
            "version": version,
            "version_type": "external",
        }


def _index_is_missing(result: dict) -> bool:
    return result.get("error", {}).get("type") == "index_not_found_exception"
