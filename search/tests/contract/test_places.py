"""Searching by place: within a distance of a postcode, or offers that come to the family's home."""

import pytest

from providers.tests.factories import PersonalAssistantProfileFactory
from search.exceptions import InvalidQuery
from search.query import SearchQuery
from search.tests.factories import COVENTRY, listing, pa_listing, venue


def ids(results):  # type: ignore[no-untyped-def]
    return [hit.offer_id for hit in results.hits]


@pytest.fixture
def venues_in_three_cities():  # type: ignore[no-untyped-def]
    coventry = listing(name="Coventry club", attending_types=["venue"], locations=[venue("CV1 2GT")])
    birmingham = listing(name="Birmingham club", attending_types=["venue"], locations=[venue("B1 1AA")])
    leeds = listing(name="Leeds club", attending_types=["venue"], locations=[venue("LS1 4AP")])
    return coventry, birmingham, leeds


def test_a_radius_keeps_offers_with_a_venue_within_it(backend, venues_in_three_cities):
    coventry, birmingham, leeds = venues_in_three_cities
    backend.index([coventry.pk, birmingham.pk, leeds.pk])

    near = backend.search(SearchQuery(postcode="CV3 5AB", radius_miles=10))
    wider = backend.search(SearchQuery(postcode="CV3 5AB", radius_miles=25, sort="distance"))

    assert ids(near) == [coventry.pk]
    assert ids(wider) == [coventry.pk, birmingham.pk]


def test_distances_are_in_miles_from_the_postcode(backend, venues_in_three_cities):
    coventry, birmingham, leeds = venues_in_three_cities
    backend.index([coventry.pk, birmingham.pk, leeds.pk])

    results = backend.search(SearchQuery(postcode="CV1 2GT", sort="distance"))

    distances = {hit.offer_id: hit.distance_miles for hit in results.hits}
    assert distances[coventry.pk] == pytest.approx(0, abs=0.05)
    assert distances[birmingham.pk] == pytest.approx(17.2, abs=0.2)
    assert distances[leeds.pk] == pytest.approx(95.9, abs=0.2)
    assert ids(results) == [coventry.pk, birmingham.pk, leeds.pk]


def test_the_nearest_of_an_offers_venues_counts(backend):
    both = listing(name="Two venues", attending_types=["venue"], locations=[venue("LS1 4AP"), venue("B1 1AA")])
    backend.index([both.pk])

    results = backend.search(SearchQuery(postcode="CV1 2GT", radius_miles=25))

    assert ids(results) == [both.pk]
    assert results.hits[0].distance_miles == pytest.approx(17.2, abs=0.2)


def test_sorting_by_distance_puts_offers_without_a_venue_last(backend):
    at_home = listing(name="Comes to you", attending_types=["in_home"])
    near = listing(name="Near venue", attending_types=["venue"], locations=[venue("CV1 2GT")])
    backend.index([at_home.pk, near.pk])

    results = backend.search(SearchQuery(postcode="CV1 2GT", sort="distance"))

    assert ids(results) == [near.pk, at_home.pk]
    assert results.hits[1].distance_miles is None


def test_comes_to_my_home_keeps_offers_whose_service_area_covers_the_postcode(backend):
    district = listing(name="CV3 carers", service_areas=[{"postcode_district": "CV3", "name": "CV3"}])
    council = listing(name="Coventry carers", service_areas=[{"council_code": COVENTRY, "name": "Coventry"}])
    elsewhere = listing(name="CV1 carers", service_areas=[{"postcode_district": "CV1", "name": "CV1"}])
    venue_only = listing(name="Club", attending_types=["venue"], service_areas=[], locations=[venue("CV3 5AB")])
    backend.index([district.pk, council.pk, elsewhere.pk, venue_only.pk])

    results = backend.search(SearchQuery(postcode="CV3 5AB", comes_to_home=True))

    assert set(ids(results)) == {district.pk, council.pk}


def test_comes_to_my_home_includes_personal_assistants_covering_the_district(backend):
    covers_cv3 = pa_listing(pa=PersonalAssistantProfileFactory(areas=["CV1", "CV3"], home_district="CV1"))
    covers_b1 = pa_listing(pa=PersonalAssistantProfileFactory(areas=["B1"], home_district="B1", home_postcode="B1 1AA"))
    backend.index([covers_cv3.pk, covers_b1.pk])

    results = backend.search(SearchQuery(postcode="CV3 5AB", comes_to_home=True))

    assert ids(results) == [covers_cv3.pk]


def test_distance_to_a_personal_assistant_is_measured_from_their_district_not_their_home(backend):
    pa = PersonalAssistantProfileFactory(home_postcode="CV3 5AB", home_district="CV3", areas=["CV3"])
    offer = pa_listing(pa=pa)
    backend.index([offer.pk])

    results = backend.search(SearchQuery(postcode="CV3 5AB", sort="distance"))

    # CV3 5AB is about 0.16 miles from the CV3 district centre: a search from the PA's own postcode
    # must not reveal it by answering 0.
    assert results.hits[0].distance_miles == pytest.approx(0.16, abs=0.01)


def test_an_unknown_postcode_is_an_error_for_the_postcode_field(backend):
    with pytest.raises(InvalidQuery) as raised:
        backend.search(SearchQuery(postcode="ZZ9 9ZZ", radius_miles=5))

    assert set(raised.value.errors) == {"postcode"}


def test_a_malformed_postcode_is_an_error_for_the_postcode_field(backend):
    with pytest.raises(InvalidQuery) as raised:
        backend.search(SearchQuery(postcode="not a postcode"))

    assert set(raised.value.errors) == {"postcode"}
