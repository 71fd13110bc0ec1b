"""Demand signals: searches that find little, recorded without anything that identifies who searched."""

from datetime import date

import pytest

from search.models import DemandSignal
from search.privacy import search_words_scrub
from search.query import SearchQuery
from search.selectors import demand_terms
from search.services import demand_record
from search.tests.factories import BIRMINGHAM, COVENTRY, gazetteer

MARCH = date(2026, 3, 17)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Respite for my son (age 7) near CV1 2GT", "respite for my son age near"),
        ("email me at jo.bloggs@example.org", "email me at"),
        ("call 07700 900123 or +44 7700 900123", "call or"),
        ("autism club cv12gt or SW1A 1AA", "autism club or"),
        ("clubs in B1 and LS1 4AP", "clubs in and"),
        ("see www.example.org/clubs or https://example.org", "see or"),
        ("born 12/03/2015, flat 4b", "born flat"),
        ("Weekend   STAYS!", "weekend stays"),
        ("children's respite", "children's respite"),
    ],
)
def test_the_scrubber_strips_numbers_email_addresses_and_postcodes(typed, kept):
    assert search_words_scrub(typed) == kept


@pytest.fixture
def places(db):  # type: ignore[no-untyped-def]
    gazetteer()


def test_a_search_with_fewer_than_3_results_is_recorded_with_scrubbed_words_area_and_month(places):
    query = SearchQuery(
        text="Horse riding for my daughter, 9, email amy.mum@example.org",
        postcode="CV3 5AB",
        comes_to_home=True,
        categories=("leisure-and-activities",),
        needs=("autism",),
        age=9,
        dbs_checked_only=True,
        today=MARCH,
    )

    signal = demand_record(query=query, total=2)

    signal.refresh_from_db()
    assert signal.text == "horse riding for my daughter email"
    assert signal.filters == {
        "categories": ["leisure-and-activities"],
        "needs": ["autism"],
        "comes_to_home": True,
        "dbs_checked_only": True,
        "age_band": "5-10",
    }
    assert (signal.postcode_district, signal.council_code) == ("CV3", COVENTRY)
    assert signal.month == date(2026, 3, 1)
    assert signal.results == 2
    assert "5AB" not in str(signal.__dict__)


def test_a_search_with_3_or_more_results_is_not_recorded(places):
    assert demand_record(query=SearchQuery(text="respite", today=MARCH), total=3) is None
    assert not DemandSignal.objects.exists()


def test_only_the_first_page_of_a_search_is_recorded(places):
    assert demand_record(query=SearchQuery(text="respite", page=2, today=MARCH), total=0) is None


def test_a_postcode_the_gazetteer_does_not_know_keeps_only_its_district(places):
    signal = demand_record(query=SearchQuery(text="respite", today=MARCH), total=0)
    unknown = demand_record(query=SearchQuery(text="respite", postcode="ZZ9 9ZZ", today=MARCH), total=0)

    assert (signal.postcode_district, signal.council_code) == ("", "")
    assert (unknown.postcode_district, unknown.council_code) == ("ZZ9", "")


def record(text: str, *, postcode: str = "CV1 2GT", total: int = 0, today: date = MARCH) -> None:
    demand_record(query=SearchQuery(text=text, postcode=postcode, today=today), total=total)


def test_a_term_is_shown_to_commissioners_only_after_5_searches(places):
    for _ in range(4):
        record("horse riding")
    assert demand_terms(COVENTRY) == []

    record("Horse riding", total=1)

    [term] = demand_terms(COVENTRY)
    assert (term.text, term.searches, term.found_nothing, term.latest_month) == ("horse riding", 5, 4, date(2026, 3, 1))


def test_terms_are_counted_per_council_area_most_searched_first(places):
    for _ in range(6):
        record("sensory room")
    for _ in range(5):
        record("horse riding")
    for _ in range(9):
        record("horse riding", postcode="B1 1AA")

    assert [(t.text, t.searches) for t in demand_terms(COVENTRY)] == [("sensory room", 6), ("horse riding", 5)]
    assert [(t.text, t.searches) for t in demand_terms(BIRMINGHAM)] == [("horse riding", 9)]


def test_the_threshold_cannot_be_lowered_below_5(places):
    for _ in range(2):
        record("sensory room")

    assert demand_terms(COVENTRY, min_searches=1) == []


def test_terms_can_be_limited_to_recent_months(places):
    for _ in range(5):
        record("sensory room", today=date(2025, 11, 3))
    for _ in range(5):
        record("horse riding")

    assert [t.text for t in demand_terms(COVENTRY, since=date(2026, 1, 15))] == ["horse riding"]
