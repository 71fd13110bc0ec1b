"""Each filter on its own: categories, needs, age, attending type, days and times, price, checks,
frameworks, provider kind, languages and capacity."""

from datetime import date, time
from decimal import Decimal

import pytest

from accounts.tests.factories import CouncilFactory
from providers.models import FrameworkContract, FrameworkLot, FrameworkMembership
from providers.tests.factories import PersonalAssistantProfileFactory, term
from search.query import SearchQuery
from search.tests.factories import listing, pa_listing

TODAY = date(2026, 3, 2)


def found(backend, **filters):  # type: ignore[no-untyped-def]
    return {hit.offer_id for hit in backend.search(SearchQuery(today=TODAY, **filters)).hits}


def test_a_category_matches_its_own_offers_and_a_parent_matches_its_childrens(backend):
    respite = listing(categories=["respite-at-home"])
    residential = listing(categories=["residential-short-breaks"])
    tuition = listing(categories=["tuition"])
    backend.index([respite.pk, residential.pk, tuition.pk])

    assert found(backend, categories=("respite-at-home",)) == {respite.pk}
    assert found(backend, categories=("short-breaks",)) == {respite.pk, residential.pk}
    assert found(backend, categories=("tuition", "respite-at-home")) == {respite.pk, tuition.pk}


def test_needs_match_any_of_the_chosen_needs(backend):
    autism = listing(needs=["autism"])
    both = listing(needs=["autism", "adhd"])
    physical = listing(needs=["physical-disability"])
    backend.index([autism.pk, both.pk, physical.pk])

    assert found(backend, needs=("adhd",)) == {both.pk}
    assert found(backend, needs=("adhd", "physical-disability")) == {both.pk, physical.pk}


def test_an_age_must_be_within_the_offers_age_range(backend):
    young = listing(minimum_age=0, maximum_age=5)
    teens = listing(minimum_age=13, maximum_age=19)
    backend.index([young.pk, teens.pk])

    assert found(backend, age=5) == {young.pk}
    assert found(backend, age=13) == {teens.pk}
    assert found(backend, age=9) == set()


def test_attending_types_match_any_of_the_chosen(backend):
    home = listing(attending_types=["in_home"])
    online = listing(attending_types=["online"])
    both = listing(attending_types=["in_home", "online"])
    backend.index([home.pk, online.pk, both.pk])

    assert found(backend, attending_types=("online",)) == {online.pk, both.pk}


def test_days_and_times_match_a_span_that_overlaps_the_window(backend):
    saturday_morning = listing(schedules=[{"weekday": "SA", "opens_at": "09:00", "closes_at": "12:00"}])
    weekday_evenings = listing(
        schedules=[
            {"weekday": "MO", "opens_at": "17:00", "closes_at": "20:00"},
            {"weekday": "WE", "opens_at": "17:00", "closes_at": "20:00"},
        ]
    )
    backend.index([saturday_morning.pk, weekday_evenings.pk])

    assert found(backend, days=("SA",)) == {saturday_morning.pk}
    assert found(backend, days=("SA", "WE")) == {saturday_morning.pk, weekday_evenings.pk}
    assert found(backend, time_from=time(18, 0)) == {weekday_evenings.pk}
    assert found(backend, days=("SA",), time_from=time(11, 30), time_to=time(14, 0)) == {saturday_morning.pk}
    # A span that ends as the window starts does not overlap it.
    assert found(backend, days=("SA",), time_from=time(12, 0)) == set()
    # The times must fall on one of the chosen days.
    assert found(backend, days=("SA",), time_from=time(18, 0)) == set()


def test_a_personal_assistant_without_a_timetable_is_found_on_the_days_they_are_available(backend):
    pa = pa_listing(pa=PersonalAssistantProfileFactory(available_days=["TU", "TH"]), schedules=[])
    backend.index([pa.pk])

    assert found(backend, days=("TH",)) == {pa.pk}
    assert found(backend, days=("FR",)) == set()


def test_a_price_limit_applies_to_prices_in_its_unit_with_vat_added(backend):
    cheap = listing(cost_options=[{"amount": Decimal("15.00"), "unit": "hour"}])
    vat_on_top = listing(cost_options=[{"amount": Decimal("20.00"), "unit": "hour", "vat_status": "plus_vat"}])
    weekly = listing(cost_options=[{"amount": Decimal("10.00"), "unit": "week"}])
    backend.index([cheap.pk, vat_on_top.pk, weekly.pk])

    assert found(backend, price_max=Decimal("20"), price_unit="hour") == {cheap.pk}
    assert found(backend, price_max=Decimal("24"), price_unit="hour") == {cheap.pk, vat_on_top.pk}
    assert found(backend, price_max=Decimal("10"), price_unit="week") == {weekly.pk}


def test_dbs_checked_only_keeps_providers_whose_checks_are_current_on_the_day(backend):
    current = listing(checks_current_until=date(2026, 3, 31))
    never = listing(checks_current_until=None)
    backend.index([current.pk, never.pk])

    assert found(backend, dbs_checked_only=True) == {current.pk}


def test_a_lapsed_check_takes_effect_at_once_without_reindexing(backend):
    offer = listing(checks_current_until=date(2026, 3, 31))
    backend.index([offer.pk])

    on_the_last_day = backend.search(SearchQuery(dbs_checked_only=True, today=date(2026, 3, 31)))
    the_day_after = backend.search(SearchQuery(dbs_checked_only=True, today=date(2026, 4, 1)))

    assert [hit.offer_id for hit in on_the_last_day.hits] == [offer.pk]
    assert the_day_after.hits == []
    assert the_day_after.total == 0


@pytest.fixture
def short_breaks_framework():  # type: ignore[no-untyped-def]
    framework = FrameworkContract.objects.create(
        council=CouncilFactory(),
        reference="SB-1",
        name="Short Breaks Framework",
        starts_on=date(2025, 4, 1),
        ends_on=date(2027, 3, 31),
    )
    lot = FrameworkLot.objects.create(framework=framework, number=1, name="Short breaks")
    lot.categories.set([term("short-breaks")])
    return lot


def test_framework_only_keeps_offers_in_an_admitted_lots_categories_while_the_framework_runs(
    backend, short_breaks_framework
):
    lot = short_breaks_framework
    on_framework = listing(categories=["respite-at-home"])
    other_category = listing(categories=["tuition"], profile=on_framework.organisation.provider_profile)
    not_admitted = listing(categories=["respite-at-home"])
    FrameworkMembership.objects.create(lot=lot, organisation=on_framework.organisation, admitted_on=date(2025, 4, 1))
    backend.index([on_framework.pk, other_category.pk, not_admitted.pk])

    assert found(backend, framework_only=True) == {on_framework.pk}
    assert found(backend, framework=str(lot.framework.public_id)) == {on_framework.pk}
    after_it_ends = backend.search(SearchQuery(framework_only=True, today=date(2027, 4, 1)))
    assert after_it_ends.hits == []


def test_provider_kind_separates_organisations_from_personal_assistants(backend):
    organisation = listing()
    pa = pa_listing()
    backend.index([organisation.pk, pa.pk])

    assert found(backend, provider_kind="organisation") == {organisation.pk}
    assert found(backend, provider_kind="personal_assistant") == {pa.pk}


def test_languages_match_any_of_the_chosen(backend):
    english = listing(languages=["en"])
    punjabi = listing(languages=["en", "pa"])
    backend.index([english.pk, punjabi.pk])

    assert found(backend, languages=("pa",)) == {punjabi.pk}


def test_has_capacity_keeps_offers_with_places_or_hours_free(backend):
    places = listing(capacity_places=2)
    hours = listing(capacity_hours=Decimal("6.0"))
    full = listing(capacity_places=0)
    backend.index([places.pk, hours.pk, full.pk])

    assert found(backend, has_capacity=True) == {places.pk, hours.pk}


def test_filters_combine(backend):
    match = listing(name="Respite at home", categories=["respite-at-home"], needs=["autism"], minimum_age=5)
    wrong_need = listing(name="Respite at home", categories=["respite-at-home"], needs=["adhd"], minimum_age=5)
    wrong_age = listing(name="Respite at home", categories=["respite-at-home"], needs=["autism"], minimum_age=12)
    backend.index([match.pk, wrong_need.pk, wrong_age.pk])

    assert found(backend, text="respite", needs=("autism",), age=7, categories=("short-breaks",)) == {match.pk}
