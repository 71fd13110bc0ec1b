"""Searching by words: relevance, every word required, stop words, typo tolerance."""

import pytest

from search.query import SearchQuery
from search.tests.factories import listing


def ids(results):  # type: ignore[no-untyped-def]
    return [hit.offer_id for hit in results.hits]


def test_an_offer_named_exactly_as_searched_comes_before_one_that_only_mentions_it(backend):
    mention = listing(name="Saturday club", description="Games, crafts and swimming lessons once a month.")
    named = listing(name="Swimming lessons", description="Small groups in a warm pool.")
    listing(name="Music tuition", description="Guitar and piano.")
    backend.index([mention.pk, named.pk])

    results = backend.search(SearchQuery(text="swimming lessons"))

    assert ids(results) == [named.pk, mention.pk]
    assert results.hits[0].score > results.hits[1].score
    assert results.total == 2


def test_every_word_must_match(backend):
    swimming = listing(name="Swimming lessons", description="Small groups in a warm pool.")
    music = listing(name="Music lessons", description="Guitar and piano.")
    backend.index([swimming.pk, music.pk])

    assert ids(backend.search(SearchQuery(text="music lessons"))) == [music.pk]
    assert ids(backend.search(SearchQuery(text="music swimming"))) == []


def test_categories_and_needs_are_searched_by_name(backend):
    offer = listing(name="Saturday club", description="Games and crafts.", categories=["respite-at-home"])
    backend.index([offer.pk])

    assert ids(backend.search(SearchQuery(text="respite"))) == [offer.pk]
    # The parent category's name finds offers in its children.
    assert ids(backend.search(SearchQuery(text="short breaks"))) == [offer.pk]
    # offer_content's default need is autism.
    assert ids(backend.search(SearchQuery(text="autism"))) == [offer.pk]


def test_common_words_are_ignored(backend):
    offer = listing(name="Swimming lessons", description="Small groups in a warm pool.")
    backend.index([offer.pk])

    assert ids(backend.search(SearchQuery(text="the swimming lessons for you"))) == [offer.pk]


def test_words_are_matched_by_their_stem(backend):
    offer = listing(name="Swimming lessons", description="Small groups in a warm pool.")
    backend.index([offer.pk])

    assert ids(backend.search(SearchQuery(text="lesson"))) == [offer.pk]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("respit", "respite"),  # a letter dropped
        ("resspite", "respite"),  # a letter added
        ("rezpite", "respite"),  # a letter changed
        ("repsite", "respite"),  # two letters swapped
        ("autsim", "autism"),  # two letters swapped, in a need's name
    ],
)
def test_a_word_of_5_or_more_letters_with_one_typo_still_finds_the_offer(backend, typed, meant):
    offer = listing(name="Respite at home", description="A carer comes to your home.", needs=["autism"])
    other = listing(name="Music lessons", description="Guitar and piano.", needs=[])
    backend.index([offer.pk, other.pk])

    results = backend.search(SearchQuery(text=typed))

    assert ids(results) == [offer.pk]
    assert [(s.word, s.corrections) for s in results.suggestions] == [(typed, (meant,))]


def test_a_typo_is_corrected_alongside_correct_words(backend):
    offer = listing(name="Swimming lessons", description="Small groups in a warm pool.")
    backend.index([offer.pk])

    results = backend.search(SearchQuery(text="swiming lessons"))

    assert ids(results) == [offer.pk]
    assert [s.word for s in results.suggestions] == ["swiming"]


def test_short_words_and_words_two_edits_away_are_not_corrected(backend):
    offer = listing(name="Swimming club", description="Small groups in a warm pool.")
    backend.index([offer.pk])

    assert ids(backend.search(SearchQuery(text="clbu"))) == []  # four letters: too short to correct
    assert ids(backend.search(SearchQuery(text="swmiimng"))) == []  # two edits away
    assert backend.search(SearchQuery(text="clbu")).suggestions == []


def test_a_word_in_the_vocabulary_is_not_corrected(backend):
    respite = listing(name="Respite at home", description="A carer comes to your home.")
    backend.index([respite.pk])

    results = backend.search(SearchQuery(text="respite"))

    assert results.suggestions == []


def test_words_that_are_not_search_syntax_are_searched_for_as_they_are(backend):
    offer = listing(name="Swimming lessons", description="Small groups in a warm pool.")
    backend.index([offer.pk])

    assert ids(backend.search(SearchQuery(text='swimming "lessons" OR -NEAR*'))) == []
    assert ids(backend.search(SearchQuery(text='"swimming" (lessons)'))) == [offer.pk]


def test_text_matches_lists_every_matching_offer_best_first(backend):
    mention = listing(name="Saturday club", description="Games, crafts and swimming lessons once a month.")
    named = listing(name="Swimming lessons", description="Small groups in a warm pool.")
    other = listing(name="Music tuition", description="Guitar and piano.")
    backend.index([mention.pk, named.pk, other.pk])

    assert backend.text_matches("swiming lessons") == [named.pk, mention.pk]
