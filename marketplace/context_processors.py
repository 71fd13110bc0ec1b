"""The header's "Shortlist (N)" count, for every page."""

from functools import partial

from django.http import HttpRequest

from marketplace.shortlist_selectors import shortlist_public_ids


def shortlist(request: HttpRequest) -> dict[str, object]:
    # A callable, so the count is read only by a template that shows it (never by admin pages or
    # emails), and from the per-request cache that the result cards' buttons share.
    return {"shortlist_count": partial(_count, request)}


def _count(request: HttpRequest) -> int:
    return len(shortlist_public_ids(request))
