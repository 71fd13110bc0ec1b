"""Words and typo tolerance, apart from any database."""

import pytest

from search.text import QueryWord, query_words, vocabulary_of, within_one_edit, words_of


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("respite", "respite"),
        ("respite", "respit"),  # dropped
        ("respite", "respites"),  # added
        ("respite", "rexpite"),  # changed
        ("respite", "repsite"),  # swapped
        ("respite", "erspite"),  # swapped at the start
        ("respite", "respiet"),  # swapped at the end
        ("autism", "autsim"),
    ],
)
def test_words_one_edit_apart(first, second):
    assert within_one_edit(first, second)
    assert within_one_edit(second, first)


@pytest.mark.parametrize(
    ("first", "second"),
    [("respite", "rspit"), ("respite", "repsiet"), ("respite", "espitre"), ("autism", "artist"), ("club", "clubs!!")],
)
def test_words_more_than_one_edit_apart(first, second):
    assert not within_one_edit(first, second)


def test_words_of_a_text_are_lower_case_once_each_without_common_words():
    assert words_of("The Swimming club and the SWIMMING pool, for children's fun!") == [
        "swimming",
        "club",
        "pool",
        "children",
        "fun",
    ]


def test_the_vocabulary_keeps_words_of_letters_from_4_characters():
    assert vocabulary_of("Art club for 8 to 16s", "Pottery") == {"club", "pottery"}


def test_only_unknown_words_of_5_or_more_letters_get_corrections():
    asked: list[str] = []

    def candidates(word: str) -> list[tuple[str, int]]:
        asked.append(word)
        return [("respite", 4), ("respire", 1), ("resit", 9), ("rest", 2)]

    words = query_words("respit clbu respite", known=lambda words: {"respite"}, candidates=candidates)

    assert words == [
        QueryWord("respit", ("resit", "respite")),  # "respire" and "rest" are two edits away
        QueryWord("clbu"),
        QueryWord("respite"),
    ]
    assert asked == ["respit"]  # candidates only for the unknown word long enough to be a typo


def test_at_most_three_corrections_most_used_first():
    candidates = [("bakes", 1), ("bikes", 50), ("cakes", 3), ("makes", 9), ("lakes", 3)]

    [word] = query_words("bkes", known=lambda words: set(), candidates=lambda word: candidates)
    [longer] = query_words("fakes", known=lambda words: set(), candidates=lambda word: candidates)

    assert word.corrections == ()  # four letters: too short
    assert longer.corrections == ("makes", "cakes", "lakes")  # "bikes" is two edits away
