"""A search through the Elasticsearch backend, from the query to ``SearchResults``: the requests sent
and a cluster's responses (canned, in the shape Elasticsearch 8 answers) read into hits, total,
facets with labels for people, and suggestions."""

import uuid
from datetime import date

import pytest
from elasticsearch import BadRequestError

from search.backends.elasticsearch import ElasticsearchSearchBackend
from search.exceptions import InvalidQuery, SearchUnavailable
from search.query import FacetValue, Hit, SearchQuery, SearchResults, Suggestion
from search.tests.elasticsearch_cluster import FakeCluster, missing_index
from search.tests.factories import gazetteer

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)
SWIMMING = "0b9f8a43-5a1e-4bb3-9a55-0f0c8e3f1a01"
CLUB = "7d2c1e55-9a6b-4c0e-8f3d-2b1a0c9d8e02"
FRAMEWORK = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e03"

VOCABULARY_ANSWER = {
    "took": 2,
    "timed_out": False,
    "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
    "hits": {"total": {"value": 41, "relation": "eq"}, "max_score": None, "hits": []},
    "aggregations": {
        "known": {
            "doc_count_error_upper_bound": 0,
            "sum_other_doc_count": 0,
            "buckets": [{"key": "lessons", "doc_count": 6}],
        }
    },
    "suggest": {
        "word_0": [
            {
                "text": "swiming",
                "offset": 0,
                "length": 7,
                "options": [
                    {"text": "swimming", "score": 0.857, "freq": 12},
                    {"text": "skiing", "score": 0.667, "freq": 30},  # two edits: dropped
                    {"text": "swimmings", "score": 0.75, "freq": 1},  # also two edits: dropped
                ],
            }
        ],
        "word_1": [{"text": "lessons", "offset": 0, "length": 7, "options": []}],
    },
}


def terms(buckets: dict[str, int]) -> dict:
    return {
        "doc_count_error_upper_bound": 0,
        "sum_other_doc_count": 0,
        "buckets": [{"key": key, "doc_count": count} for key, count in buckets.items()],
    }


def counted(doc_count: int, counts: dict) -> dict:
    return {"doc_count": doc_count, "counts": counts}


SEARCH_ANSWER = {
    "took": 14,
    "timed_out": False,
    "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
    "hits": {
        "total": {"value": 23, "relation": "eq"},
        "max_score": 21.4,
        "hits": [
            {
                "_index": "offers-20260302093000000000",
                "_id": "12",
                "_score": 21.4,
                "_source": {"offer_id": 12, "public_id": SWIMMING, "places": [{"lat": 52.4081, "lon": -1.5105}]},
                "sort": [21.4, 3.1, "Swimming lessons", 12],
            },
            {
                "_index": "offers-20260302093000000000",
                "_id": "31",
                "_score": 9.7,
                "_source": {"offer_id": 31, "public_id": CLUB},
                "sort": [9.7, "Infinity", "Saturday club", 31],
            },
        ],
    },
    "aggregations": {
        "category": counted(23, terms({"short-breaks": 14, "respite-at-home": 9, "tuition": 3})),
        "need": counted(23, terms({"autism": 11, "adhd": 11})),
        "age": counted(
            23,
            {
                "buckets": {
                    "0-4": {"doc_count": 2},
                    "5-10": {"doc_count": 15},
                    "11-15": {"doc_count": 17},
                    "16-17": {"doc_count": 6},
                    "18-25": {"doc_count": 0},
                }
            },
        ),
        "attending_type": counted(23, terms({"in_home": 12, "venue": 11})),
        "day": {
            "doc_count": 23,
            "spans": {
                "doc_count": 61,
                "window": {
                    "doc_count": 61,
                    "counts": {
                        "doc_count_error_upper_bound": 0,
                        "sum_other_doc_count": 0,
                        "buckets": [
                            {"key": "SA", "doc_count": 19, "offers": {"doc_count": 18}},
                            {"key": "MO", "doc_count": 5, "offers": {"doc_count": 5}},
                        ],
                    },
                },
            },
        },
        "price": {
            "doc_count": 23,
            "prices": {
                "doc_count": 30,
                "counts": {
                    "buckets": {
                        "hour:0-15": {"doc_count": 4, "offers": {"doc_count": 4}},
                        "hour:15-25": {"doc_count": 12, "offers": {"doc_count": 11}},
                        "hour:25-40": {"doc_count": 0, "offers": {"doc_count": 0}},
                        "night:200-350": {"doc_count": 2, "offers": {"doc_count": 2}},
                    }
                },
            },
        },
        "dbs_checked": counted(23, {"doc_count": 16}),
        "framework": {
            "doc_count": 23,
            "frameworks": {
                "doc_count": 7,
                "current": {
                    "doc_count": 7,
                    "counts": {
                        "doc_count_error_upper_bound": 0,
                        "sum_other_doc_count": 0,
                        "buckets": [
                            {
                                "key": FRAMEWORK,
                                "doc_count": 7,
                                "offers": {"doc_count": 7},
                                "names": terms({"Short Breaks Framework": 7}),
                            }
                        ],
                    },
                },
            },
        },
        "provider_kind": counted(
            23, {"buckets": {"organisation": {"doc_count": 20}, "personal_assistant": {"doc_count": 3}}}
        ),
        "language": counted(23, terms({"en": 23, "pa": 4})),
        "has_capacity": counted(23, {"doc_count": 8}),
    },
}


@pytest.fixture
def cluster() -> FakeCluster:
    return FakeCluster()


@pytest.fixture
def backend(cluster: FakeCluster) -> ElasticsearchSearchBackend:
    gazetteer()
    return ElasticsearchSearchBackend(cluster.client(), alias="offers")


def test_a_search_checks_its_words_then_reads_hits_total_facets_and_suggestions_from_the_answer(backend, cluster):
    cluster.on("POST", "/offers/_search", VOCABULARY_ANSWER)
    cluster.on("POST", "/offers/_search", SEARCH_ANSWER)

    results = backend.search(SearchQuery(text="swiming lessons", postcode="CV3 5AB", today=TODAY, per_page=2))

    vocabulary, search = cluster.bodies("POST", "/offers/_search")
    assert vocabulary["aggs"]["known"]["terms"]["include"] == ["swiming", "lessons"]
    typo = search["query"]["bool"]["must"][0]
    assert [clause["multi_match"]["query"] for clause in typo["bool"]["should"]] == ["swiming", "swimming"]
    assert results == SearchResults(
        hits=[
            Hit(offer_id=12, public_id=uuid.UUID(SWIMMING), score=21.4, distance_miles=pytest.approx(1.57, abs=0.01)),
            Hit(offer_id=31, public_id=uuid.UUID(CLUB), score=9.7, distance_miles=None),  # no venue
        ],
        total=23,
        facets={
            "category": [
                FacetValue("short-breaks", "Short breaks", 14),
                FacetValue("respite-at-home", "Respite at home", 9),
                FacetValue("tuition", "Tuition", 3),
            ],
            "need": [FacetValue("adhd", "ADHD", 11), FacetValue("autism", "Autism", 11)],
            "age": [
                FacetValue("0-4", "Under 5", 2),
                FacetValue("5-10", "5 to 10", 15),
                FacetValue("11-15", "11 to 15", 17),
                FacetValue("16-17", "16 to 17", 6),
                FacetValue("18-25", "18 to 25", 0),
            ],
            "attending_type": [
                FacetValue("in_home", "At your home", 12),
                FacetValue("venue", "At a venue", 11),
                FacetValue("online", "Online", 0),
            ],
            "day": [
                FacetValue("MO", "Monday", 5),
                FacetValue("TU", "Tuesday", 0),
                FacetValue("WE", "Wednesday", 0),
                FacetValue("TH", "Thursday", 0),
                FacetValue("FR", "Friday", 0),
                FacetValue("SA", "Saturday", 18),  # offers, not timetable spans
                FacetValue("SU", "Sunday", 0),
            ],
            "price": [
                FacetValue("hour:0-15", "Under £15 an hour", 4),
                FacetValue("hour:15-25", "£15 to £25 an hour", 11),
                FacetValue("night:200-350", "£200 to £350 a night", 2),
            ],
            "dbs_checked": [FacetValue("true", "DBS checked", 16)],
            "framework": [FacetValue(FRAMEWORK, "Short Breaks Framework", 7)],
            "provider_kind": [
                FacetValue("organisation", "Organisations", 20),
                FacetValue("personal_assistant", "Personal assistants", 3),
            ],
            "language": [FacetValue("en", "English", 23), FacetValue("pa", "Punjabi", 4)],
            "has_capacity": [FacetValue("true", "Has places or hours free now", 8)],
        },
        suggestions=[Suggestion("swiming", ("swimming",))],
        page=1,
        per_page=2,
    )


def test_words_too_short_to_be_typos_are_searched_without_checking_the_vocabulary(backend, cluster):
    cluster.on("POST", "/offers/_search", SEARCH_ANSWER)

    results = backend.search(SearchQuery(text="art club", today=TODAY))

    assert cluster.calls() == [("POST", "/offers/_search")]
    assert results.suggestions == []


def test_text_matches_reads_every_page_of_ids(backend, cluster):
    page = {"hits": {"total": {"value": 1001, "relation": "eq"}, "hits": []}}
    first = [{"_id": str(n), "_score": 2.0, "sort": [2.0, f"Club {n:04}", n]} for n in range(1000)]
    cluster.on("POST", "/offers/_search", {**page, "hits": {**page["hits"], "hits": first}})
    cluster.on("POST", "/offers/_search", {**page, "hits": {**page["hits"], "hits": [{"_id": "1000", "sort": [1.0]}]}})

    ids = backend.text_matches("club")

    assert ids == list(range(1001))
    assert cluster.bodies("POST", "/offers/_search")[1]["search_after"] == [2.0, "Club 0999", 999]


def test_an_unknown_postcode_is_the_persons_mistake_whatever_the_clusters_state(backend, cluster):
    with pytest.raises(InvalidQuery) as raised:
        backend.search(SearchQuery(postcode="ZZ9 9ZZ", radius_miles=5))

    assert set(raised.value.errors) == {"postcode"}
    assert cluster.requests == []


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_cluster_that_is_overloaded_or_failing_makes_search_unavailable(backend, cluster, status):
    cluster.on(
        "POST", "/offers/_search", {"error": {"type": "search_phase_execution_exception"}, "status": status}, status
    )

    with pytest.raises(SearchUnavailable):
        backend.search(SearchQuery(text="club"))


def test_a_missing_index_makes_search_unavailable(backend, cluster):
    cluster.on("POST", "/offers/_search", missing_index("offers"), status=404)

    with pytest.raises(SearchUnavailable, match="has not been built"):
        backend.search(SearchQuery(text="club"))


def test_a_request_the_cluster_finds_wrong_is_a_bug_and_is_raised_as_it_is(backend, cluster):
    cluster.on("POST", "/offers/_search", {"error": {"type": "parsing_exception"}, "status": 400}, status=400)

    with pytest.raises(BadRequestError):
        backend.search(SearchQuery(text="club"))
