"""Banking days in England and Wales: weekends and bank holidays (with substitute days) are skipped."""

import datetime

import pytest

from marketplace.payments.working_days import banking_days_after, is_banking_day, next_banking_day

d = datetime.date


@pytest.mark.parametrize(
    ("day", "banking"),
    [
        (d(2026, 12, 24), True),  # Thursday, Christmas Eve is a working day
        (d(2026, 12, 25), False),  # Christmas Day, a Friday
        (d(2026, 12, 26), False),  # Boxing Day, a Saturday
        (d(2026, 12, 28), False),  # the substitute day for Boxing Day
        (d(2026, 12, 29), True),
        (d(2026, 4, 3), False),  # Good Friday
        (d(2026, 4, 6), False),  # Easter Monday
        (d(2026, 4, 7), True),
        (d(2026, 11, 21), False),  # Saturday
        (d(2026, 11, 22), False),  # Sunday
        (d(2026, 11, 23), True),
    ],
)
def test_banking_days_skip_weekends_and_bank_holidays(day, banking):
    assert is_banking_day(day) is banking


def test_christmas_2026_moves_to_the_tuesday_after_the_substitute_boxing_day():
    assert next_banking_day(d(2026, 12, 25)) == d(2026, 12, 29)


def test_a_banking_day_is_its_own_next_banking_day():
    assert next_banking_day(d(2026, 12, 24)) == d(2026, 12, 24)


def test_easter_weekend_2026_moves_to_the_tuesday():
    assert next_banking_day(d(2026, 4, 3)) == d(2026, 4, 7)


def test_banking_days_after_counts_only_banking_days():
    assert banking_days_after(d(2026, 12, 24), 1) == d(2026, 12, 29)
    assert banking_days_after(d(2026, 11, 20), 1) == d(2026, 11, 23)  # Friday → Monday
    assert banking_days_after(d(2026, 12, 23), 3) == d(2026, 12, 30)
    assert banking_days_after(d(2026, 11, 23), 0) == d(2026, 11, 23)
