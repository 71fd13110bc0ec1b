"""Facet counts: every facet counts the results of every filter but its own."""

from datetime import date, time
from decimal import Decimal

import pytest

from accounts.tests.factories import CouncilFactory
from providers.models import FrameworkContract, FrameworkLot, FrameworkMembership
from providers.tests.factories import PersonalAssistantProfileFactory
from search.query import SearchQuery
from search.tests.factories import listing, pa_listing, venue

TODAY = date(2026, 3, 2)


@pytest.fixture
def catalogue(backend):  # type: ignore[no-untyped-def]
    """Four offers chosen so that every facet has different counts."""
    respite = listing(
        name="Respite at home",
        categories=["respite-at-home"],
        needs=["autism"],
        minimum_age=5,
        maximum_age=12,
        attending_types=["in_home"],
        schedules=[{"weekday": "SA", "opens_at": "10:00", "closes_at": "15:00"}],
        cost_options=[{"amount": Decimal("18.50"), "unit": "hour"}],
        checks_current_until=date(2026, 12, 31),
        languages=["en"],
        capacity_places=3,
    )
    residential = listing(
        name="Weekend stays",
        categories=["residential-short-breaks"],
        needs=["autism", "adhd"],
        minimum_age=8,
        maximum_age=16,
        attending_types=["venue"],
        locations=[venue("CV1 2GT")],
        schedules=[{"weekday": "FR", "opens_at": "17:00", "closes_at": "20:00"}],
        cost_options=[{"amount": Decimal("250.00"), "unit": "night"}],
        checks_current_until=date(2026, 1, 31),
        languages=["en", "pa"],
    )
    pa = pa_listing(
        pa=PersonalAssistantProfileFactory(checks_current_until=date(2027, 1, 1)),
        name="Sam, personal assistant",
        needs=["adhd"],
        minimum_age=0,
        maximum_age=25,
        attending_types=["in_home"],
        schedules=[{"weekday": "TU", "opens_at": "09:00", "closes_at": "17:00"}],
        cost_options=[{"amount": Decimal("14.00"), "unit": "hour"}],
        languages=["en"],
        capacity_hours=Decimal("10"),
    )
    tuition = listing(
        name="Maths tuition",
        categories=["tuition"],
        needs=[],
        minimum_age=11,
        maximum_age=18,
        attending_types=["online"],
        schedules=[{"weekday": "MO", "opens_at": "16:00", "closes_at": "18:00"}],
        cost_options=[{"amount": Decimal("30.00"), "unit": "session"}],
        languages=["en"],
    )
    framework = FrameworkContract.objects.create(
        council=CouncilFactory(),
        reference="SB-1",
        name="Short Breaks Framework",
        starts_on=date(2025, 4, 1),
        ends_on=date(2027, 3, 31),
    )
    lot = FrameworkLot.objects.create(framework=framework, number=1, name="Everything")
    FrameworkMembership.objects.create(lot=lot, organisation=residential.organisation, admitted_on=date(2025, 4, 1))
    backend.index([respite.pk, residential.pk, pa.pk, tuition.pk])
    return {"respite": respite, "residential": residential, "pa": pa, "tuition": tuition, "framework": framework}


def counts(results, facet):  # type: ignore[no-untyped-def]
    return {value.value: value.count for value in results.facets[facet]}


def search(backend, **filters):  # type: ignore[no-untyped-def]
    return backend.search(SearchQuery(today=TODAY, **filters))


def test_every_facet_is_counted_over_all_results_without_filters(backend, catalogue):
    results = search(backend)

    assert counts(results, "category") == {
        "short-breaks": 2,
        "respite-at-home": 1,
        "residential-short-breaks": 1,
        "pa-support": 1,
        "tuition": 1,
    }
    assert counts(results, "need") == {"autism": 2, "adhd": 2}
    assert counts(results, "age") == {"0-4": 1, "5-10": 3, "11-15": 4, "16-17": 3, "18-25": 2}
    assert counts(results, "attending_type") == {"in_home": 2, "venue": 1, "online": 1}
    assert counts(results, "day") == {"MO": 1, "TU": 1, "WE": 0, "TH": 0, "FR": 1, "SA": 1, "SU": 0}
    assert counts(results, "price") == {"hour:0-15": 1, "hour:15-25": 1, "session:20-50": 1, "night:200-350": 1}
    assert counts(results, "dbs_checked") == {"true": 2}
    assert counts(results, "framework") == {str(catalogue["framework"].public_id): 1}
    assert counts(results, "provider_kind") == {"organisation": 3, "personal_assistant": 1}
    assert counts(results, "language") == {"en": 4, "pa": 1}
    assert counts(results, "has_capacity") == {"true": 2}


def test_facet_values_have_labels_for_people(backend, catalogue):
    results = search(backend)

    labels = {facet: {v.value: v.label for v in values} for facet, values in results.facets.items()}
    assert labels["category"]["respite-at-home"] == "Respite at home"
    assert labels["need"]["adhd"] == "ADHD"
    assert labels["attending_type"]["in_home"] == "At your home"
    assert labels["day"]["TU"] == "Tuesday"
    assert labels["price"]["hour:15-25"] == "£15 to £25 an hour"
    assert labels["price"]["hour:0-15"] == "Under £15 an hour"
    assert labels["framework"][str(catalogue["framework"].public_id)] == "Short Breaks Framework"
    assert labels["language"]["pa"] == "Punjabi"
    assert labels["age"]["0-4"] == "Under 5"


def test_a_facets_own_filter_does_not_change_its_counts_but_narrows_the_others(backend, catalogue):
    results = search(backend, categories=("short-breaks",))

    assert results.total == 2
    assert counts(results, "category")["tuition"] == 1
    assert counts(results, "category")["pa-support"] == 1
    assert counts(results, "need") == {"autism": 2, "adhd": 1}
    assert counts(results, "provider_kind") == {"organisation": 2, "personal_assistant": 0}
    assert counts(results, "attending_type") == {"in_home": 1, "venue": 1, "online": 0}


def test_needs_filter_counts_categories_of_the_matching_offers(backend, catalogue):
    results = search(backend, needs=("adhd",))

    assert {hit.offer_id for hit in results.hits} == {catalogue["residential"].pk, catalogue["pa"].pk}
    assert counts(results, "need") == {"autism": 2, "adhd": 2}
    assert counts(results, "category") == {"short-breaks": 1, "residential-short-breaks": 1, "pa-support": 1}
    assert counts(results, "language") == {"en": 2, "pa": 1}


def test_dbs_checked_counts_follow_the_day_of_the_search(backend, catalogue):
    in_january = backend.search(SearchQuery(today=date(2026, 1, 31)))
    in_march = backend.search(SearchQuery(today=TODAY, dbs_checked_only=True))

    assert counts(in_january, "dbs_checked") == {"true": 3}
    assert counts(in_march, "dbs_checked") == {"true": 2}
    assert counts(in_march, "category") == {"short-breaks": 1, "respite-at-home": 1, "pa-support": 1}


def test_day_counts_apply_the_time_window(backend, catalogue):
    results = search(backend, time_from=time(16, 0))

    assert counts(results, "day") == {"MO": 1, "TU": 1, "WE": 0, "TH": 0, "FR": 1, "SA": 0, "SU": 0}
    assert results.total == 3


def test_day_counts_ignore_the_chosen_days(backend, catalogue):
    results = search(backend, days=("SA",))

    assert results.total == 1
    assert counts(results, "day")["MO"] == 1
    assert counts(results, "age") == {"0-4": 0, "5-10": 1, "11-15": 1, "16-17": 0, "18-25": 0}


def test_price_bands_ignore_the_price_limit_but_follow_other_filters(backend, catalogue):
    limited = search(backend, price_max=Decimal("20"), price_unit="hour")
    at_home = search(backend, price_max=Decimal("20"), price_unit="hour", attending_types=("in_home",))

    assert limited.total == 2
    assert counts(limited, "price") == {"hour:0-15": 1, "hour:15-25": 1, "session:20-50": 1, "night:200-350": 1}
    assert counts(at_home, "price") == {"hour:0-15": 1, "hour:15-25": 1}


def test_framework_counts_ignore_the_framework_filter(backend, catalogue):
    results = search(backend, framework_only=True)

    assert results.total == 1
    assert counts(results, "framework") == {str(catalogue["framework"].public_id): 1}
    assert counts(results, "category") == {"short-breaks": 1, "residential-short-breaks": 1}


def test_age_provider_kind_language_and_capacity_filters_leave_their_own_counts(backend, catalogue):
    results = search(backend, age=14, provider_kind="organisation", languages=("pa",), has_capacity=True)

    assert results.total == 0
    assert counts(results, "age")["11-15"] == 0  # the other filters leave no offers to count
    by_age = search(backend, age=14)
    assert counts(by_age, "age") == {"0-4": 1, "5-10": 3, "11-15": 4, "16-17": 3, "18-25": 2}
    by_kind = search(backend, provider_kind="organisation")
    assert counts(by_kind, "provider_kind") == {"organisation": 3, "personal_assistant": 1}
    by_language = search(backend, languages=("pa",))
    assert counts(by_language, "language") == {"en": 4, "pa": 1}
    with_capacity = search(backend, has_capacity=True)
    assert counts(with_capacity, "has_capacity") == {"true": 2}
    assert counts(with_capacity, "provider_kind") == {"organisation": 1, "personal_assistant": 1}


def test_facets_count_the_results_of_a_word_search(backend, catalogue):
    results = search(backend, text="short breaks")

    assert results.total == 2
    assert counts(results, "category") == {"short-breaks": 2, "respite-at-home": 1, "residential-short-breaks": 1}


def test_facets_count_the_results_of_a_place_search(backend, catalogue):
    results = search(backend, postcode="CV3 5AB", radius_miles=5)

    assert results.total == 2  # the Coventry venue and the PA in CV3
    assert counts(results, "provider_kind") == {"organisation": 1, "personal_assistant": 1}
