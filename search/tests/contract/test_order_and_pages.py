"""Sort orders and paging."""

from datetime import date
from decimal import Decimal

import pytest

from search.query import SearchQuery
from search.tests.factories import listing, venue


def ids(results):  # type: ignore[no-untyped-def]
    return [hit.offer_id for hit in results.hits]


def test_without_words_or_a_postcode_relevance_lists_offers_by_name(backend):
    offers = [listing(name=name) for name in ("Cookery club", "Art club", "Bowling club")]
    backend.index([offer.pk for offer in offers])

    results = backend.search(SearchQuery())

    assert ids(results) == [offers[1].pk, offers[2].pk, offers[0].pk]


def test_without_words_relevance_lists_the_nearest_first(backend):
    far = listing(name="A far club", attending_types=["venue"], locations=[venue("B1 1AA")])
    near = listing(name="B near club", attending_types=["venue"], locations=[venue("CV1 2GT")])
    backend.index([far.pk, near.pk])

    assert ids(backend.search(SearchQuery(postcode="CV3 5AB"))) == [near.pk, far.pk]


def test_price_sort_lists_the_cheapest_in_the_unit_first_and_offers_without_one_last(backend):
    dear = listing(name="Dear", cost_options=[{"amount": Decimal("30.00"), "unit": "hour"}])
    cheap = listing(name="Cheap", cost_options=[{"amount": Decimal("12.00"), "unit": "hour"}])
    vat = listing(
        name="With VAT", cost_options=[{"amount": Decimal("20.00"), "unit": "hour", "vat_status": "plus_vat"}]
    )
    weekly = listing(name="Weekly", cost_options=[{"amount": Decimal("5.00"), "unit": "week"}])
    backend.index([dear.pk, cheap.pk, vat.pk, weekly.pk])

    results = backend.search(SearchQuery(sort="price", price_unit="hour"))

    assert ids(results) == [cheap.pk, vat.pk, dear.pk, weekly.pk]


def test_assured_sort_lists_the_most_recently_assured_first(backend):
    older = listing(name="Older", assured_on=date(2025, 6, 1))
    never = listing(name="Never")
    recent = listing(name="Recent", assured_on=date(2026, 2, 1))
    backend.index([older.pk, never.pk, recent.pk])

    assert ids(backend.search(SearchQuery(sort="assured"))) == [recent.pk, older.pk, never.pk]


def test_distance_sort_breaks_ties_by_relevance(backend):
    mention = listing(
        name="Club", description="Swimming now and then.", attending_types=["venue"], locations=[venue("CV1 2GT")]
    )
    named = listing(
        name="Swimming", description="In the pool.", attending_types=["venue"], locations=[venue("CV1 2GT")]
    )
    backend.index([mention.pk, named.pk])

    results = backend.search(SearchQuery(text="swimming", postcode="CV1 2GT", sort="distance"))

    assert ids(results) == [named.pk, mention.pk]


@pytest.mark.parametrize("sort", ["relevance", "distance", "price", "assured"])
def test_pages_cover_every_result_once_in_every_sort_order(backend, sort):
    offers = [
        listing(name=f"Club {n}", attending_types=["venue"], locations=[venue("CV1 2GT")], assured_on=date(2026, 1, 1))
        for n in range(5)
    ]  # same distance, price and date: the ties are broken the same way on every page
    backend.index([offer.pk for offer in offers])
    base = SearchQuery(text="club", postcode="CV1 2GT", sort=sort, price_unit="hour", per_page=2)

    pages = [backend.search(base.replace(page=page)) for page in (1, 2, 3, 4)]

    assert [len(page.hits) for page in pages] == [2, 2, 1, 0]
    assert sorted(hit.offer_id for page in pages for hit in page.hits) == sorted(offer.pk for offer in offers)
    assert {page.total for page in pages} == {5}
    assert pages[0].pages == 3
    assert (pages[0].has_previous, pages[0].has_next, pages[2].has_next) == (False, True, False)
    assert (pages[1].first_index, pages[1].last_index) == (3, 4)
