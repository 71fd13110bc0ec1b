"""Reads of the search app: searching (through the configured backend) and demand for commissioners."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q

from search.backends import get_backend
from search.models import DemandSignal
from search.query import SearchQuery, SearchResults

# A term is shown only once this many searches used it, so that no one search can be picked out.
MIN_SEARCHES = 5


@dataclass(frozen=True)
class DemandTerm:
    text: str
    searches: int
    found_nothing: int
    latest_month: date


def offers_search(query: SearchQuery) -> SearchResults:
    """Search published offers; raises ``InvalidQuery`` for an unknown postcode."""
    return get_backend().search(query)


def demand_terms(council_code: str, min_searches: int = MIN_SEARCHES, *, since: date | None = None) -> list[DemandTerm]:
    """Words that searches in this council area used and that found fewer than 3 offers, most
    searched first; a term appears only after ``min_searches`` (at least 5) such searches."""
    signals = DemandSignal.objects.filter(council_code=council_code).exclude(text="")
    if since is not None:
        signals = signals.filter(month__gte=since.replace(day=1))
    rows = (
        signals.values("text")
        .annotate(searches=Count("pk"), found_nothing=Count("pk", filter=Q(results=0)), latest_month=Max("month"))
        .filter(searches__gte=max(min_searches, MIN_SEARCHES))
        .order_by("-searches", "text")
    )
    return [DemandTerm(**row) for row in rows]
