"""Banking working days in England and Wales: Monday to Friday, except bank holidays.

Bacs and Faster Payments settle only on banking days, so a payment run's date must be one. The holidays
come from the ``holidays`` package (England's list, which is England and Wales' bank holidays), including
the substitute days when a holiday falls on a weekend (Christmas 2026 is a Friday, Boxing Day a Saturday:
Monday 28 December is the substitute day).
"""

from datetime import date, timedelta
from functools import cache

import holidays

SATURDAY = 5


@cache
def _bank_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_banking_day(day: date) -> bool:
    return day.weekday() < SATURDAY and day not in _bank_holidays(day.year)


def next_banking_day(day: date) -> date:
    """``day`` itself when it is a banking day, otherwise the next one."""
    while not is_banking_day(day):
        day += timedelta(days=1)
    return day


def banking_days_after(day: date, count: int) -> date:
    """The ``count``-th banking day after ``day`` (``day`` itself is not counted)."""
    for _ in range(count):
        day = next_banking_day(day + timedelta(days=1))
    return day
