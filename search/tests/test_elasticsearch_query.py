"""The request bodies the Elasticsearch backend sends for every kind of query: what a cluster receives.

Each facet is counted under a filter aggregation holding every other active facet's filter; the
facet filters themselves go in ``post_filter``, so they narrow the hits but not the counts.
"""

from datetime import date, time
from decimal import Decimal

import pytest
from elasticsearch_dsl import Search

from search.backends.elasticsearch_query import search_request, text_matches_request, vocabulary_request
from search.geo import Origin
from search.query import FACETS, SearchQuery
from search.text import QueryWord

TODAY = date(2026, 3, 2)
CV3 = Origin(latitude=52.387, longitude=-1.497, district="CV3", council_code="E08000026")
FRAMEWORK = "5b0e3b4e-6a53-4e0f-9d0b-4d1c2f3a4b5c"
TIES = [{"name.sort": {"order": "asc"}}, {"offer_id": {"order": "asc"}}]
SCORE = {"_score": {"order": "desc"}}
NEAREST_CV3 = {"_geo_distance": {"places": {"lat": 52.387, "lon": -1.497}, "order": "asc", "unit": "mi", "mode": "min"}}
TEXT_FIELDS = ["name^10", "categories^4", "description"]
TYPEAHEAD = ["name.typeahead", "name.typeahead._2gram", "name.typeahead._3gram"]
EVERYTHING = {"match_all": {}}


def body(query: SearchQuery, origin: Origin | None = None, words: list[QueryWord] | None = None) -> dict:
    return search_request(Search(index="offers"), query, origin, words or []).to_dict()


def word(text: str) -> dict:
    return {"multi_match": {"query": text, "fields": TEXT_FIELDS, "type": "most_fields"}}


def scope(aggregations: dict, facet: str) -> dict:
    """The filter a facet's counts are taken under."""
    return aggregations[facet]["filter"]


def band(unit: str, lowest: float, below: float | None) -> dict:
    amount = {"gte": lowest, **({"lt": below} if below is not None else {})}
    return {"bool": {"filter": [{"term": {"prices.unit": unit}}, {"range": {"prices.amount": amount}}]}}


def ages(lowest: int, highest: int) -> dict:
    return {
        "bool": {"filter": [{"range": {"minimum_age": {"lte": highest}}}, {"range": {"maximum_age": {"gte": lowest}}}]}
    }


CURRENT_FRAMEWORKS = [
    {"range": {"frameworks.starts_on": {"lte": "2026-03-02"}}},
    {"range": {"frameworks.ends_on": {"gte": "2026-03-02"}}},
]

# Every facet's counts for a query without filters: the whole aggregation part of the body.
UNFILTERED_AGGREGATIONS = {
    "category": {"filter": EVERYTHING, "aggs": {"counts": {"terms": {"field": "category_codes", "size": 1000}}}},
    "need": {"filter": EVERYTHING, "aggs": {"counts": {"terms": {"field": "need_codes", "size": 1000}}}},
    "age": {
        "filter": EVERYTHING,
        "aggs": {
            "counts": {
                "filters": {
                    "filters": {
                        "0-4": ages(0, 4),
                        "5-10": ages(5, 10),
                        "11-15": ages(11, 15),
                        "16-17": ages(16, 17),
                        "18-25": ages(18, 25),
                    }
                }
            }
        },
    },
    "attending_type": {"filter": EVERYTHING, "aggs": {"counts": {"terms": {"field": "attending_types", "size": 1000}}}},
    "day": {
        "filter": EVERYTHING,
        "aggs": {
            "spans": {
                "nested": {"path": "spans"},
                "aggs": {
                    "window": {
                        "filter": EVERYTHING,
                        "aggs": {
                            "counts": {
                                "terms": {"field": "spans.weekday", "size": 7},
                                "aggs": {"offers": {"reverse_nested": {}}},
                            }
                        },
                    }
                },
            }
        },
    },
    "price": {
        "filter": EVERYTHING,
        "aggs": {
            "prices": {
                "nested": {"path": "prices"},
                "aggs": {
                    "counts": {
                        "filters": {
                            "filters": {
                                "hour:0-15": band("hour", 0.0, 15.0),
                                "hour:15-25": band("hour", 15.0, 25.0),
                                "hour:25-40": band("hour", 25.0, 40.0),
                                "hour:40-": band("hour", 40.0, None),
                                "session:0-20": band("session", 0.0, 20.0),
                                "session:20-50": band("session", 20.0, 50.0),
                                "session:50-100": band("session", 50.0, 100.0),
                                "session:100-": band("session", 100.0, None),
                                "day:0-50": band("day", 0.0, 50.0),
                                "day:50-100": band("day", 50.0, 100.0),
                                "day:100-200": band("day", 100.0, 200.0),
                                "day:200-": band("day", 200.0, None),
                                "night:0-100": band("night", 0.0, 100.0),
                                "night:100-200": band("night", 100.0, 200.0),
                                "night:200-350": band("night", 200.0, 350.0),
                                "night:350-": band("night", 350.0, None),
                                "week:0-200": band("week", 0.0, 200.0),
                                "week:200-500": band("week", 200.0, 500.0),
                                "week:500-1000": band("week", 500.0, 1000.0),
                                "week:1000-": band("week", 1000.0, None),
                                "item:0-25": band("item", 0.0, 25.0),
                                "item:25-100": band("item", 25.0, 100.0),
                                "item:100-500": band("item", 100.0, 500.0),
                                "item:500-": band("item", 500.0, None),
                            }
                        },
                        "aggs": {"offers": {"reverse_nested": {}}},
                    }
                },
            }
        },
    },
    "dbs_checked": {
        "filter": EVERYTHING,
        "aggs": {"counts": {"filter": {"range": {"checks_current_until": {"gte": "2026-03-02"}}}}},
    },
    "framework": {
        "filter": EVERYTHING,
        "aggs": {
            "frameworks": {
                "nested": {"path": "frameworks"},
                "aggs": {
                    "current": {
                        "filter": {"bool": {"filter": CURRENT_FRAMEWORKS}},
                        "aggs": {
                            "counts": {
                                "terms": {"field": "frameworks.public_id", "size": 1000},
                                "aggs": {
                                    "offers": {"reverse_nested": {}},
                                    "names": {"terms": {"field": "frameworks.name", "size": 1}},
                                },
                            }
                        },
                    }
                },
            }
        },
    },
    "provider_kind": {
        "filter": EVERYTHING,
        "aggs": {
            "counts": {
                "filters": {
                    "filters": {
                        "organisation": {"term": {"provider_kind": "organisation"}},
                        "personal_assistant": {"term": {"provider_kind": "personal_assistant"}},
                    }
                }
            }
        },
    },
    "language": {"filter": EVERYTHING, "aggs": {"counts": {"terms": {"field": "languages", "size": 1000}}}},
    "has_capacity": {"filter": EVERYTHING, "aggs": {"counts": {"filter": {"term": {"has_capacity": True}}}}},
}


def test_a_query_without_words_place_or_filters_asks_for_everything_by_name_with_every_facet():
    assert body(SearchQuery(today=TODAY)) == {
        "query": EVERYTHING,
        "aggs": UNFILTERED_AGGREGATIONS,
        "sort": TIES,
        "track_total_hits": True,
        "_source": ["offer_id", "public_id", "places"],
        "from": 0,
        "size": 20,
    }


def test_every_word_must_match_a_weighted_field_and_names_that_begin_with_the_words_score_higher():
    sent = body(SearchQuery(text="swimming lessons", today=TODAY), words=[QueryWord("swimming"), QueryWord("lessons")])

    assert sent["query"] == {
        "bool": {"must": [word("swimming"), word("lessons")], "should": [_typeahead("swimming lessons")]}
    }
    assert sent["sort"] == [SCORE, *TIES]
    assert "post_filter" not in sent


def _typeahead(text: str) -> dict:
    return {"multi_match": {"query": text, "type": "bool_prefix", "fields": TYPEAHEAD}}


def test_the_words_of_a_typo_are_checked_against_the_vocabulary_in_one_request():
    sent = vocabulary_request(Search(index="offers"), ["swiming", "lessons"]).to_dict()

    suggester = {"field": "vocabulary", "suggest_mode": "always", "max_edits": 1, "prefix_length": 0}
    options = {**suggester, "min_word_length": 5, "size": 20, "sort": "frequency"}
    assert sent == {
        "from": 0,
        "size": 0,
        "aggs": {"known": {"terms": {"field": "vocabulary", "include": ["swiming", "lessons"], "size": 2}}},
        "suggest": {
            "word_0": {"text": "swiming", "term": options},
            "word_1": {"text": "lessons", "term": options},
        },
    }


def test_a_typo_matches_the_word_as_typed_or_any_of_its_corrections():
    words = [QueryWord("swiming", ("swimming", "swimmings")), QueryWord("lessons")]

    sent = body(SearchQuery(text="swiming lessons", today=TODAY), words=words)

    either = {"bool": {"should": [word("swiming"), word("swimming"), word("swimmings")], "minimum_should_match": 1}}
    assert sent["query"] == {"bool": {"must": [either, word("lessons")], "should": [_typeahead("swiming lessons")]}}


def test_a_radius_keeps_offers_with_a_venue_within_it_and_relevance_lists_the_nearest_first():
    sent = body(SearchQuery(postcode="CV3 5AB", radius_miles=10, today=TODAY), origin=CV3)

    within = {"geo_distance": {"distance": "10mi", "places": {"lat": 52.387, "lon": -1.497}}}
    assert sent["query"] == {"bool": {"must": [EVERYTHING], "filter": [within]}}
    assert sent["sort"] == [NEAREST_CV3, *TIES]
    # The place is not a facet: it narrows the counts too.
    assert scope(sent["aggs"], "provider_kind") == EVERYTHING


def test_comes_to_my_home_keeps_offers_covering_the_postcodes_district_or_council_area():
    sent = body(SearchQuery(postcode="CV3 5AB", comes_to_home=True, today=TODAY), origin=CV3)

    covers = {
        "bool": {
            "should": [{"term": {"districts": "CV3"}}, {"term": {"council_codes": "E08000026"}}],
            "minimum_should_match": 1,
        }
    }
    assert sent["query"] == {"bool": {"must": [EVERYTHING], "filter": [covers]}}


def test_comes_to_my_home_from_a_postcode_without_a_council_area_checks_the_district_only():
    nowhere = Origin(latitude=52.387, longitude=-1.497, district="CV3", council_code="")

    sent = body(SearchQuery(postcode="CV3 5AB", comes_to_home=True, today=TODAY), origin=nowhere)

    covers = {"bool": {"should": [{"term": {"districts": "CV3"}}], "minimum_should_match": 1}}
    assert sent["query"]["bool"]["filter"] == [covers]


RUNS_ON_SATURDAY_AFTERNOONS = {
    "nested": {
        "path": "spans",
        "query": {
            "bool": {
                "filter": [
                    {"terms": {"spans.weekday": ["SA"]}},
                    {"range": {"spans.opens_at": {"lt": "17:00:00"}}},
                    {"range": {"spans.closes_at": {"gt": "12:30:00"}}},
                ]
            }
        },
    }
}

FILTERS = [
    (
        {"categories": ("short-breaks", "tuition")},
        "category",
        {"terms": {"category_codes": ["short-breaks", "tuition"]}},
    ),
    ({"needs": ("autism",)}, "need", {"terms": {"need_codes": ["autism"]}}),
    ({"age": 9}, "age", ages(9, 9)),
    ({"attending_types": ("online", "venue")}, "attending_type", {"terms": {"attending_types": ["online", "venue"]}}),
    ({"days": ("SA",), "time_from": time(12, 30), "time_to": time(17, 0)}, "day", RUNS_ON_SATURDAY_AFTERNOONS),
    (
        {"time_from": time(18, 0)},
        "day",
        {
            "nested": {
                "path": "spans",
                "query": {"bool": {"filter": [{"range": {"spans.closes_at": {"gt": "18:00:00"}}}]}},
            }
        },
    ),
    (
        {"price_max": Decimal("24.50"), "price_unit": "hour"},
        "price",
        {
            "nested": {
                "path": "prices",
                "query": {
                    "bool": {"filter": [{"term": {"prices.unit": "hour"}}, {"range": {"prices.amount": {"lte": 24.5}}}]}
                },
            }
        },
    ),
    ({"dbs_checked_only": True}, "dbs_checked", {"range": {"checks_current_until": {"gte": "2026-03-02"}}}),
    (
        {"framework_only": True},
        "framework",
        {"nested": {"path": "frameworks", "query": {"bool": {"filter": CURRENT_FRAMEWORKS}}}},
    ),
    (
        {"framework": FRAMEWORK},
        "framework",
        {
            "nested": {
                "path": "frameworks",
                "query": {"bool": {"filter": [*CURRENT_FRAMEWORKS, {"term": {"frameworks.public_id": FRAMEWORK}}]}},
            }
        },
    ),
    ({"provider_kind": "personal_assistant"}, "provider_kind", {"term": {"provider_kind": "personal_assistant"}}),
    ({"languages": ("pa", "ur")}, "language", {"terms": {"languages": ["pa", "ur"]}}),
    ({"has_capacity": True}, "has_capacity", {"term": {"has_capacity": True}}),
]


@pytest.mark.parametrize(("filters", "facet", "condition"), FILTERS, ids=[f"{f[1]}-{i}" for i, f in enumerate(FILTERS)])
def test_a_facet_filter_narrows_the_hits_and_every_other_facets_counts_but_not_its_own(filters, facet, condition):
    sent = body(SearchQuery(today=TODAY, **filters))

    assert sent["query"] == EVERYTHING
    assert sent["post_filter"] == {"bool": {"filter": [condition]}}
    assert scope(sent["aggs"], facet) == EVERYTHING
    for other in FACETS:
        if other != facet:
            assert scope(sent["aggs"], other) == {"bool": {"filter": [condition]}}


def test_several_filters_are_all_applied_and_each_facet_is_counted_without_its_own():
    sent = body(SearchQuery(today=TODAY, needs=("autism",), age=9, has_capacity=True))

    need, age, capacity = {"terms": {"need_codes": ["autism"]}}, ages(9, 9), {"term": {"has_capacity": True}}
    assert sent["post_filter"] == {"bool": {"filter": [need, age, capacity]}}
    assert scope(sent["aggs"], "need") == {"bool": {"filter": [age, capacity]}}
    assert scope(sent["aggs"], "age") == {"bool": {"filter": [need, capacity]}}
    assert scope(sent["aggs"], "has_capacity") == {"bool": {"filter": [need, age]}}
    assert scope(sent["aggs"], "language") == {"bool": {"filter": [need, age, capacity]}}


def test_day_counts_follow_the_time_window_but_not_the_chosen_days():
    sent = body(SearchQuery(today=TODAY, days=("SA",), time_from=time(12, 30), time_to=time(17, 0)))

    window = sent["aggs"]["day"]["aggs"]["spans"]["aggs"]["window"]["filter"]
    assert window == {
        "bool": {
            "filter": [
                {"range": {"spans.opens_at": {"lt": "17:00:00"}}},
                {"range": {"spans.closes_at": {"gt": "12:30:00"}}},
            ]
        }
    }


CHEAPEST_HOURLY = {
    "prices.amount": {
        "order": "asc",
        "mode": "min",
        "missing": "_last",
        "nested": {"path": "prices", "filter": {"term": {"prices.unit": "hour"}}},
    }
}
MOST_RECENTLY_ASSURED = {"assured_on": {"order": "desc", "missing": "_last"}}
SORTS = [
    # (sort, with words, with a postcode, the sort sent)
    ("relevance", False, False, TIES),
    ("relevance", True, False, [SCORE, *TIES]),
    ("relevance", False, True, [NEAREST_CV3, *TIES]),
    ("relevance", True, True, [SCORE, NEAREST_CV3, *TIES]),
    ("distance", False, True, [NEAREST_CV3, *TIES]),
    ("distance", True, True, [NEAREST_CV3, SCORE, *TIES]),
    ("price", False, False, [CHEAPEST_HOURLY, *TIES]),
    ("price", True, False, [CHEAPEST_HOURLY, SCORE, *TIES]),
    ("assured", False, False, [MOST_RECENTLY_ASSURED, *TIES]),
    ("assured", True, True, [MOST_RECENTLY_ASSURED, SCORE, *TIES]),
]


@pytest.mark.parametrize(("sort", "has_words", "has_postcode", "expected"), SORTS)
def test_each_sort_orders_as_the_database_backend_does_and_ends_with_name_then_id(
    sort, has_words, has_postcode, expected
):
    query = SearchQuery(
        text="club" if has_words else "",
        postcode="CV3 5AB" if has_postcode else "",
        sort=sort,
        price_unit="hour",
        today=TODAY,
    )

    sent = body(query, origin=CV3 if has_postcode else None, words=[QueryWord("club")] if has_words else [])

    assert sent["sort"] == expected


@pytest.mark.parametrize(
    ("page", "per_page", "window"),
    [
        (1, 20, (0, 20)),
        (3, 20, (40, 20)),
        (2, 100, (100, 100)),
        (500, 20, (9980, 20)),
        (200, 50, (9950, 50)),  # the last page that fits: 9,950 + 50 = 10,000
        (167, 60, (9960, 40)),  # a page that crosses Elasticsearch's result window is cut at it
        (501, 20, (0, 0)),  # past the window: no hits, but the total and the facets are still counted
    ],
)
def test_pages_ask_for_their_slice_of_hits(page, per_page, window):
    sent = body(SearchQuery(page=page, per_page=per_page, today=TODAY))

    assert (sent["from"], sent["size"]) == window
    assert sent["track_total_hits"] is True


def test_text_matches_pages_through_every_match_best_first_with_ids_only():
    first = text_matches_request(Search(index="offers"), [QueryWord("club")], None).to_dict()
    next_page = text_matches_request(Search(index="offers"), [QueryWord("club")], [3.2, "Club", 7]).to_dict()

    assert first == {
        "query": {"bool": {"must": [word("club")], "should": [_typeahead("club")]}},
        "sort": [SCORE, *TIES],
        "_source": False,
        "from": 0,
        "size": 1000,
    }
    assert next_page == {**first, "search_after": [3.2, "Club", 7]}
