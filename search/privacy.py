"""Keeping people out of demand signals: what a search said, without anything that could identify who searched."""

import re

from providers.postcodes import FULL_POSTCODE

MAX_LENGTH = 200

_EMAIL = re.compile(r"\S+@\S+")
_WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# A full postcode, with or without its space ("CV1 2GT", "cv12gt"); built from providers' own pattern.
_POSTCODE = re.compile(r"\b" + FULL_POSTCODE.pattern.strip("^$").replace(" ?", r"\s?") + r"\b", re.IGNORECASE)
_WORD = re.compile(r"\S+")


def search_words_scrub(text: str) -> str:
    """The words of a search without email or web addresses, postcodes and any word holding a digit
    (house and phone numbers, dates, ages, postcode districts), in lower case, single-spaced."""
    text = _EMAIL.sub(" ", text)
    text = _WEB_ADDRESS.sub(" ", text)
    text = _POSTCODE.sub(" ", text)
    words = [word for word in _WORD.findall(text.lower()) if not any(character.isdigit() for character in word)]
    cleaned = " ".join(word.strip(".,;:!?()[]{}\"'") for word in words)
    return " ".join(cleaned.split())[:MAX_LENGTH].strip()
