"""Retention of demand signals (see accounts/retention.py and docs/data-protection.md).

A demand signal never identifies who searched (words scrubbed, a postcode district, a month), but the
market insights read only the last two years, so older signals are deleted rather than kept for ever.
"""

from datetime import date

from django.db import models

from accounts.retention import DELETE, RetentionRule, retention_register, years_before
from search.models import DemandSignal

DEMAND_SIGNAL_YEARS = 2


def demand_signals_due(today: date) -> models.QuerySet:
    return DemandSignal.objects.filter(month__lt=years_before(today, DEMAND_SIGNAL_YEARS).replace(day=1))


retention_register(
    RetentionRule(
        key="search.demandsignal",
        record_type="Demand signals (searches that found little, unanswered PA adverts)",
        period=f"{DEMAND_SIGNAL_YEARS} years after the month of the search",
        reason="Market insights compare the last two years; nothing older is read, and nothing here names anyone.",
        action=DELETE,
        due=demand_signals_due,
    )
)
