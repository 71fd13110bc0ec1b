"""Words: how search text and offer text are split, which words are ignored, and typo tolerance.

Both database engines get the same words from here, so that SQLite and PostgreSQL agree on what a
query means; each engine then stems them its own way (PostgreSQL's English Snowball stemmer, SQLite
FTS5's Porter tokenizer).
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# PostgreSQL's English stop words (tsearch_data/english.stop): PostgreSQL drops these from queries,
# so SQLite must drop them too, or a query with "the" in it would find less on SQLite.
_POSTGRESQL_ENGLISH_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her
    hers herself it its itself they them their theirs themselves what which who whom this that
    these those am is are was were be been being have has had having do does did doing a an the and
    but if or because as until while of at by for with about against between into through during
    before after above below to from up down in out on off over under again further then once here
    there when where why how all any both each few more most other some such no nor not only own same
    so than too very s t can will just don should now"""
STOP_WORDS = frozenset(_POSTGRESQL_ENGLISH_STOP_WORDS.split())

# A typo is looked for only in words this long: shorter words have too many neighbours one edit away.
TYPO_MIN_LENGTH = 5
# Vocabulary words shorter than this cannot be one edit from a word of TYPO_MIN_LENGTH letters.
VOCABULARY_MIN_LENGTH = TYPO_MIN_LENGTH - 1
VOCABULARY_MAX_LENGTH = 60
MAX_CORRECTIONS = 3

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class QueryWord:
    """A word of the query and the words it also matches (its corrections, when it is a typo)."""

    word: str
    corrections: tuple[str, ...] = ()

    @property
    def alternatives(self) -> tuple[str, ...]:
        return (self.word, *self.corrections)


def words_of(text: str) -> list[str]:
    """The words of a text, lower case, without stop words, each once, in order."""
    return list(dict.fromkeys(word for word in _WORD.findall(text.lower()) if word not in STOP_WORDS))


def vocabulary_of(*texts: str) -> set[str]:
    """The words worth keeping for typo correction: letters only, 4 to 60 of them."""
    return {
        word
        for text in texts
        for word in words_of(text)
        if word.isalpha() and VOCABULARY_MIN_LENGTH <= len(word) <= VOCABULARY_MAX_LENGTH
    }


def could_be_typo(word: str) -> bool:
    return word.isalpha() and len(word) >= TYPO_MIN_LENGTH


def within_one_edit(first: str, second: str) -> bool:
    """Whether the Damerau–Levenshtein distance (optimal string alignment) is at most 1: one letter
    added, dropped or changed, or two neighbouring letters swapped."""
    if first == second:
        return True
    if abs(len(first) - len(second)) > 1:
        return False
    if len(first) == len(second):
        differences = [i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b]
        if len(differences) == 1:
            return True
        return (
            len(differences) == 2
            and differences[1] == differences[0] + 1
            and first[differences[0]] == second[differences[1]]
            and first[differences[1]] == second[differences[0]]
        )
    shorter, longer = sorted((first, second), key=len)
    for i, letter in enumerate(shorter):
        if letter != longer[i]:
            return shorter[i:] == longer[i + 1 :]
    return True


def query_words(
    text: str, *, known: Callable[[list[str]], set[str]], candidates: Callable[[str], list[tuple[str, int]]]
) -> list[QueryWord]:
    """The words of a query, each with its corrections when it is a word of 5 or more letters that
    no indexed offer uses.

    ``known(words)`` answers which words are in the vocabulary; ``candidates(word)`` answers
    vocabulary words that may be one edit away, with their frequencies. Candidates are confirmed here,
    and the most used ``MAX_CORRECTIONS`` are kept.
    """
    words = words_of(text)
    unknown = [word for word in words if could_be_typo(word)]
    in_vocabulary = known(unknown) if unknown else set()
    result = []
    for word in words:
        corrections: tuple[str, ...] = ()
        if could_be_typo(word) and word not in in_vocabulary:
            corrections = _best_corrections(word, candidates(word))
        result.append(QueryWord(word, corrections))
    return result


def _best_corrections(word: str, candidates: Iterable[tuple[str, int]]) -> tuple[str, ...]:
    confirmed = [
        (candidate, frequency)
        for candidate, frequency in candidates
        if candidate != word and within_one_edit(word, candidate)
    ]
    confirmed.sort(key=lambda pair: (-pair[1], pair[0]))
    return tuple(candidate for candidate, _ in confirmed[:MAX_CORRECTIONS])
