"""Names people read for codes the index stores."""

from django.conf.locale import LANG_INFO

# Languages Django does not name, among those most spoken in England and Wales (Census 2021).
LANGUAGE_NAMES = {"gu": "Gujarati", "so": "Somali", "ti": "Tigrinya", "ps": "Pashto", "sgn": "Sign language"}


def language_name(code: str) -> str:
    """The English name of an ISO 639 language code, or the code itself when we do not know it."""
    return LANGUAGE_NAMES.get(code) or LANG_INFO.get(code, {}).get("name") or code
