"""Checking a query before it runs, and reading one from a query string."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.http import QueryDict

from search.exceptions import InvalidQuery
from search.query import SearchQuery, SearchResults


def errors_of(**values) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidQuery) as raised:
        SearchQuery(**values)
    return raised.value.errors


def test_a_plain_query_is_valid_and_defaults_to_today_relevance_and_the_first_page():
    query = SearchQuery(text="  respite   care ")

    assert query.text == "respite care"
    assert (query.sort, query.page, query.per_page) == ("relevance", 1, 20)
    assert isinstance(query.today, date)


def test_lists_become_tuples_without_repeats():
    query = SearchQuery(categories=["tuition", "tuition", "transport"])

    assert query.categories == ("tuition", "transport")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"radius_miles": 5}, "postcode"),
        ({"comes_to_home": True}, "postcode"),
        ({"sort": "distance"}, "postcode"),
        ({"postcode": "CV1 2GT", "radius_miles": 0}, "radius_miles"),
        ({"postcode": "CV1 2GT", "radius_miles": 500}, "radius_miles"),
        ({"postcode": "CV1 2GT", "radius_miles": 5, "comes_to_home": True}, "radius_miles"),
        ({"categories": ("Short Breaks!",)}, "categories"),
        ({"needs": ("",)}, "needs"),
        ({"attending_types": ("by_post",)}, "attending_types"),
        ({"days": ("MONDAY",)}, "days"),
        ({"languages": ("English",)}, "languages"),
        ({"framework": "not-a-uuid"}, "framework"),
        ({"age": -1}, "age"),
        ({"age": 121}, "age"),
        ({"time_from": time(17, 0), "time_to": time(9, 0)}, "time_to"),
        ({"price_max": Decimal("20")}, "price_unit"),
        ({"price_max": Decimal("-1"), "price_unit": "hour"}, "price_max"),
        ({"price_unit": "fortnight"}, "price_unit"),
        ({"sort": "price"}, "price_unit"),
        ({"sort": "cheapest"}, "sort"),
        ({"provider_kind": "company"}, "provider_kind"),
        ({"page": 0}, "page"),
        ({"per_page": 101}, "per_page"),
        ({"text": "x" * 201}, "text"),
    ],
)
def test_a_query_that_cannot_run_is_refused_with_an_error_for_the_field(values, field):
    assert field in errors_of(**values)


def test_every_problem_is_reported_at_once():
    errors = errors_of(age=200, page=0, sort="cheapest", days=("XX",))

    assert set(errors) == {"age", "page", "sort", "days"}


def test_a_query_string_is_read_into_a_query():
    params = QueryDict(
        "text=respite&postcode=CV1+2GT&radius_miles=10&categories=short-breaks&categories=tuition"
        "&needs=autism,adhd&age=7&attending_types=in_home&days=sa&time_from=09:30&time_to=17:00"
        "&price_max=£25.50&price_unit=hour&dbs_checked_only=on&has_capacity=1&provider_kind=organisation"
        "&languages=pa&sort=distance&page=2&per_page=10"
    )

    query = SearchQuery.from_params(params, today=date(2026, 3, 2))

    assert query == SearchQuery(
        text="respite",
        postcode="CV1 2GT",
        radius_miles=10.0,
        categories=("short-breaks", "tuition"),
        needs=("autism", "adhd"),
        age=7,
        attending_types=("in_home",),
        days=("SA",),
        time_from=time(9, 30),
        time_to=time(17, 0),
        price_max=Decimal("25.50"),
        price_unit="hour",
        dbs_checked_only=True,
        has_capacity=True,
        provider_kind="organisation",
        languages=("pa",),
        sort="distance",
        page=2,
        per_page=10,
        today=date(2026, 3, 2),
    )


def test_unreadable_values_in_a_query_string_are_reported_with_the_rest():
    params = QueryDict("age=seven&radius_miles=far&time_from=noon&price_max=1.234&page=x&has_capacity=maybe&sort=odd")

    with pytest.raises(InvalidQuery) as raised:
        SearchQuery.from_params(params)

    assert set(raised.value.errors) == {"age", "radius_miles", "time_from", "price_max", "page", "has_capacity", "sort"}


def test_empty_values_in_a_query_string_are_ignored():
    query = SearchQuery.from_params({"text": "", "age": "", "categories": [""], "has_capacity": ""})

    assert query == SearchQuery(today=query.today)


def test_results_know_their_pages():
    results = SearchResults(hits=[], total=41, facets={}, suggestions=[], page=3, per_page=20)

    assert (results.pages, results.has_previous, results.has_next) == (3, True, False)
    assert results.first_index == 0  # no hits on this page
    assert SearchResults(hits=[], total=0, facets={}, suggestions=[], page=1, per_page=20).pages == 1
