"""Whose figures and which period: the acting council, and a financial year (1 April to 31 March).

Every section reads through these helpers, so that another council's providers, people and money are never
counted: a council's market is the provider organisations registered with it and the personal assistants
registered with it; its money is its own ledger accounts.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from accounts.models import Organisation
from providers.models import Offer

# Figures that count people (families, children) show this text instead of a count under SMALL_COUNT, so
# that no one can be singled out from a small number.
SMALL_COUNT = 5
SUPPRESSED = "fewer than 5"
# How far back the year choice reaches: budgets older than this are archive material, not market insight.
YEARS_SHOWN = 6


@dataclass(frozen=True)
class InsightScope:
    council: Organisation
    year: int  # the financial year starting on 1 April of this year

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.year, 4, 1)

    @property
    def ends_on(self) -> datetime.date:
        return datetime.date(self.year + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.year} to {self.year + 1}"

    @property
    def query_string(self) -> str:
        return f"year={self.year}"


def financial_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def years_offered(today: datetime.date | None = None) -> list[int]:
    current = financial_year_of(today or timezone.localdate())
    return [current - back for back in range(YEARS_SHOWN)]


def scope_from_params(council: Organisation, params: QueryDict) -> InsightScope:
    """The year asked for in ``?year=``, when it is one offered; the current financial year otherwise."""
    offered = years_offered()
    try:
        year = int(params.get("year", ""))
    except ValueError:
        year = offered[0]
    return InsightScope(council=council, year=year if year in offered else offered[0])


def people_count_text(count: int) -> str:
    """A count of people as shown: suppressed under SMALL_COUNT."""
    return SUPPRESSED if count < SMALL_COUNT else str(count)


def council_offers(council: Organisation) -> QuerySet[Offer]:
    """Offers of the provider organisations and personal assistants registered with the council."""
    return Offer.objects.filter(Q(organisation__council=council) | Q(personal_assistant__council=council))
