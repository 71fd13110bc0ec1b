"""Writing the Elasticsearch index: a rebuild behind the alias (load, make live, swap in one call,
drop the old index), incremental updates by id, ``verify`` against the database and ``health``.

The client is real; the cluster is ``FakeCluster``, which records what a cluster would receive.
"""

import time
from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import timezone

from providers.models import OfferStatus
from providers.services.offers import offer_set_status
from search.backends.base import BackendHealth, IndexCheck
from search.backends.elasticsearch import ElasticsearchSearchBackend, SearchIndexingFailed
from search.backends.elasticsearch_mapping import index_definition, offer_source
from search.documents import indexed_offers
from search.exceptions import SearchUnavailable
from search.tests.elasticsearch_cluster import FakeCluster, missing_index
from search.tests.factories import listing

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
NEW_INDEX = "offers-20260302093000000000"
OLD_INDEX = "offers-20260301020000000000"


@pytest.fixture
def cluster() -> FakeCluster:
    return FakeCluster()


@pytest.fixture
def backend(cluster: FakeCluster, settings) -> ElasticsearchSearchBackend:  # type: ignore[no-untyped-def]
    settings.ELASTICSEARCH_SHARDS, settings.ELASTICSEARCH_REPLICAS = 2, 1
    return ElasticsearchSearchBackend(cluster.client(), alias="offers")


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield time.time_ns()


def source_of(offer) -> dict:  # type: ignore[no-untyped-def]
    [indexed] = indexed_offers([offer.pk], today=timezone.localdate())
    return offer_source(indexed)


def index_line(index: str, offer_id: int, version: int) -> dict:
    return {"index": {"_index": index, "_id": str(offer_id), "version": version, "version_type": "external"}}


def delete_line(index: str, offer_id: int, version: int) -> dict:
    return {"delete": {"_index": index, "_id": str(offer_id), "version": version, "version_type": "external"}}


def cluster_ready(cluster: FakeCluster, *, old_indices: list[str]) -> None:
    cluster.on("PUT", f"/{NEW_INDEX}", {"acknowledged": True, "index": NEW_INDEX})
    cluster.on("PUT", f"/{NEW_INDEX}/_settings", {"acknowledged": True})
    cluster.on("POST", f"/{NEW_INDEX}/_refresh", {"_shards": {"total": 2, "successful": 2, "failed": 0}})
    cluster.on("GET", f"/_cluster/health/{NEW_INDEX}", {"status": "yellow", "timed_out": False})
    if old_indices:
        cluster.on("GET", "/_alias/offers", {index: {"aliases": {"offers": {}}} for index in old_indices})
    else:
        cluster.on("GET", "/_alias/offers", {"error": "alias [offers] missing", "status": 404}, status=404)
    cluster.on("POST", "/_aliases", {"acknowledged": True})
    for index in old_indices:
        cluster.on("DELETE", f"/{index}", {"acknowledged": True})


# --- Rebuilding ----------------------------------------------------------------------------------


def test_a_rebuild_loads_a_new_index_makes_it_live_swaps_the_alias_in_one_call_then_drops_the_old(
    backend, cluster, frozen
):
    first, second = listing(name="Art club"), listing(name="Bowling club")
    cluster_ready(cluster, old_indices=[OLD_INDEX])
    progress: list[tuple[int, int]] = []

    indexed = backend.rebuild(progress=lambda done, total: progress.append((done, total)))

    assert indexed == 2
    assert progress == [(2, 2)]
    assert cluster.calls() == [
        ("PUT", f"/{NEW_INDEX}"),
        ("PUT", "/_bulk"),
        ("PUT", f"/{NEW_INDEX}/_settings"),
        ("POST", f"/{NEW_INDEX}/_refresh"),
        ("GET", f"/_cluster/health/{NEW_INDEX}"),
        ("GET", "/_alias/offers"),
        ("POST", "/_aliases"),
        ("DELETE", f"/{OLD_INDEX}"),
    ]
    created = cluster.bodies("PUT", f"/{NEW_INDEX}")[0]
    expected = index_definition(NEW_INDEX, shards=2, replicas=1).to_dict()
    assert created == {**expected, "aliases": {"offers-rebuilding": {}}}
    assert cluster.bodies("PUT", "/_bulk") == [
        [
            index_line(NEW_INDEX, first.pk, frozen),
            source_of(first),
            index_line(NEW_INDEX, second.pk, frozen),
            source_of(second),
        ]
    ]
    assert cluster.bodies("PUT", f"/{NEW_INDEX}/_settings") == [
        {"index": {"number_of_replicas": 1, "refresh_interval": "1s"}}
    ]
    health = next(request for request in cluster.requests if request.path == f"/_cluster/health/{NEW_INDEX}")
    assert health.params == {"wait_for_status": "yellow", "timeout": "60s"}
    assert cluster.bodies("POST", "/_aliases") == [
        {
            "actions": [
                {"remove": {"index": OLD_INDEX, "alias": "offers"}},
                {"add": {"index": NEW_INDEX, "alias": "offers"}},
                {"remove": {"index": NEW_INDEX, "alias": "offers-rebuilding"}},
            ]
        }
    ]


def test_the_first_rebuild_only_points_the_alias_at_the_new_index(backend, cluster, frozen):
    listing(name="Art club")
    cluster_ready(cluster, old_indices=[])

    backend.rebuild()

    assert cluster.calls()[-2:] == [("GET", "/_alias/offers"), ("POST", "/_aliases")]
    assert cluster.bodies("POST", "/_aliases") == [
        {
            "actions": [
                {"add": {"index": NEW_INDEX, "alias": "offers"}},
                {"remove": {"index": NEW_INDEX, "alias": "offers-rebuilding"}},
            ]
        }
    ]


def test_a_rebuild_indexes_only_published_offers(backend, cluster, frozen):
    published = listing(name="Open club")
    suspended = listing(name="Suspended club")
    offer_set_status(offer=suspended, new_status=OfferStatus.SUSPENDED, actor=None, reason="Concern raised")
    cluster_ready(cluster, old_indices=[OLD_INDEX])

    assert backend.rebuild() == 1
    assert cluster.bodies("PUT", "/_bulk") == [[index_line(NEW_INDEX, published.pk, frozen), source_of(published)]]


def test_a_rebuild_that_fails_drops_its_half_built_index_and_leaves_the_alias_where_it_was(backend, cluster, frozen):
    offer = listing(name="Art club")
    cluster_ready(cluster, old_indices=[OLD_INDEX])
    cluster.on("DELETE", f"/{NEW_INDEX}", {"acknowledged": True})
    refused = {"error": {"type": "document_parsing_exception", "reason": "failed to parse field [places]"}}
    cluster.bulk_failures[str(offer.pk)] = (400, refused)

    with pytest.raises(SearchIndexingFailed):
        backend.rebuild()

    assert cluster.calls() == [("PUT", f"/{NEW_INDEX}"), ("PUT", "/_bulk"), ("DELETE", f"/{NEW_INDEX}")]


def test_a_rebuild_that_cannot_reach_the_cluster_is_search_unavailable(backend, cluster, frozen):
    cluster.on("PUT", f"/{NEW_INDEX}", {"error": {"type": "cluster_block_exception"}, "status": 503}, status=503)
    cluster.on("DELETE", f"/{NEW_INDEX}", missing_index(NEW_INDEX), status=404)

    with pytest.raises(SearchUnavailable):
        backend.rebuild()


# --- Incremental updates -------------------------------------------------------------------------


def test_indexing_writes_published_offers_removes_the_others_and_waits_until_searches_see_them(
    backend, cluster, frozen
):
    published = listing(name="Open club")
    suspended = listing(name="Suspended club")
    offer_set_status(offer=suspended, new_status=OfferStatus.SUSPENDED, actor=None, reason="Concern raised")

    backend.index([published.pk, suspended.pk])

    assert cluster.calls() == [("PUT", "/_bulk"), ("HEAD", "/_alias/offers-rebuilding")]
    [bulk] = [request for request in cluster.requests if request.path == "/_bulk"]
    assert bulk.params == {"refresh": "wait_for", "require_alias": "true"}
    assert bulk.body == [
        index_line("offers", published.pk, frozen),
        source_of(published),
        delete_line("offers", suspended.pk, frozen),
    ]


def test_during_a_rebuild_changes_also_go_to_the_index_being_built_without_waiting_for_it(backend, cluster, frozen):
    offer = listing(name="Open club")
    cluster.on("HEAD", "/_alias/offers-rebuilding", status=200)

    backend.index([offer.pk])

    live, building = [request for request in cluster.requests if request.path == "/_bulk"]
    assert live.params == {"refresh": "wait_for", "require_alias": "true"}
    assert building.params == {"require_alias": "true"}
    assert building.body == [index_line("offers-rebuilding", offer.pk, frozen), source_of(offer)]


def test_a_newer_copy_already_in_the_index_is_kept_without_an_error(backend, cluster, frozen):
    offer = listing(name="Open club")
    conflict = {"error": {"type": "version_conflict_engine_exception", "reason": "current version is higher"}}
    cluster.bulk_failures[str(offer.pk)] = (409, conflict)

    backend.index([offer.pk])

    assert cluster.calls() == [("PUT", "/_bulk"), ("HEAD", "/_alias/offers-rebuilding")]


def test_removing_offers_deletes_them_by_id_and_one_not_in_the_index_is_not_an_error(backend, cluster, frozen):
    cluster.bulk_failures["8"] = (404, {"result": "not_found"})

    backend.remove([8, 3])

    assert cluster.bodies("PUT", "/_bulk") == [[delete_line("offers", 3, frozen), delete_line("offers", 8, frozen)]]


def test_indexing_before_any_index_is_built_is_search_unavailable(backend, cluster, frozen):
    offer = listing(name="Open club")
    cluster.bulk_failures[str(offer.pk)] = (404, missing_index("offers"))

    with pytest.raises(SearchUnavailable):
        backend.index([offer.pk])


# --- Checking ------------------------------------------------------------------------------------


def test_verify_compares_the_ids_and_a_sample_of_documents_with_the_database(backend, cluster):
    current, edited, missing = listing(name="Art club"), listing(name="Bowling club"), listing(name="Cookery club")
    stale = {**source_of(edited), "name": "Bowling club (old name)"}
    cluster.on(
        "POST",
        "/offers/_search",
        {
            "_scroll_id": "scroll-1",
            "hits": {"hits": [{"_id": str(current.pk)}, {"_id": str(edited.pk)}, {"_id": "9999"}]},
            "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        },
    )
    cluster.on("POST", "/_search/scroll", {"_scroll_id": "scroll-1", "hits": {"hits": []}, "_shards": {"total": 1}})
    cluster.on("DELETE", "/_search/scroll", {"succeeded": True, "num_freed": 1})
    cluster.on(
        "POST",
        "/offers/_mget",
        {
            "docs": [
                {"_id": str(current.pk), "found": True, "_source": source_of(current)},
                {"_id": str(edited.pk), "found": True, "_source": stale},
            ]
        },
    )

    check = backend.verify(sample_size=50)

    assert check == IndexCheck(
        expected=3, indexed=3, missing=[missing.pk], unexpected=[9999], sampled=2, stale=[edited.pk]
    )
    [scan] = cluster.bodies("POST", "/offers/_search")
    assert scan == {"query": {"match_all": {}}, "_source": False, "size": 5000, "sort": "_doc"}
    assert sorted(cluster.bodies("POST", "/offers/_mget")[0]["ids"]) == sorted([str(current.pk), str(edited.pk)])


def test_health_is_the_clusters_and_needs_the_alias_to_exist(backend, cluster):
    cluster.on("GET", "/_cluster/health", {"cluster_name": "directory", "status": "yellow"})
    cluster.on("HEAD", "/_alias/offers", status=200)

    assert backend.health() == BackendHealth(ok=True, detail="the cluster's health is yellow")


def test_health_is_not_ok_before_the_index_is_built(backend, cluster):
    cluster.on("GET", "/_cluster/health", {"cluster_name": "directory", "status": "green"})

    health = backend.health()

    assert health == BackendHealth(ok=False, detail="the search index has not been built: run search_index --rebuild")


def test_health_is_not_ok_when_the_cluster_is_red(backend, cluster):
    cluster.on("GET", "/_cluster/health", {"cluster_name": "directory", "status": "red"})
    cluster.on("HEAD", "/_alias/offers", status=200)

    assert backend.health() == BackendHealth(ok=False, detail="the cluster's health is red")


def test_health_is_not_ok_when_the_cluster_cannot_be_reached(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port

    health = ElasticsearchSearchBackend(alias="offers").health()

    assert health == BackendHealth(ok=False, detail="the cluster cannot be reached (ConnectionError)")
