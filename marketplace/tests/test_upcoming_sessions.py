"""The next dated sessions of an order, worked out from its plan line's weekly times with a fixed clock."""

import datetime
from types import SimpleNamespace

from marketplace.upcoming_sessions import next_sessions

MONDAY, TUESDAY, THURSDAY, SATURDAY = 0, 1, 3, 5
# Wednesday 25 November 2026, 4pm.
NOW = datetime.datetime(2026, 11, 25, 16, 0)


def weekly(weekday: int, starts: int, ends: int) -> SimpleNamespace:
    return SimpleNamespace(weekday=weekday, starts_at=datetime.time(starts), ends_at=datetime.time(ends))


def dated(sessions) -> list[tuple[datetime.date, int]]:  # type: ignore[no-untyped-def]
    return [(session.on, session.starts_at.hour) for session in sessions]


def test_the_next_five_sessions_run_on_across_the_week_boundary():
    times = [weekly(TUESDAY, 17, 18), weekly(THURSDAY, 17, 18), weekly(SATURDAY, 10, 12)]
    sessions = next_sessions(
        times, starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2027, 3, 31), now=NOW, count=5
    )
    assert dated(sessions) == [
        (datetime.date(2026, 11, 26), 17),
        (datetime.date(2026, 11, 28), 10),
        (datetime.date(2026, 12, 1), 17),
        (datetime.date(2026, 12, 3), 17),
        (datetime.date(2026, 12, 5), 10),
    ]
    assert sessions[1].text == "Saturday 28 November, 10am to midday"


def test_a_session_under_way_counts_and_one_already_over_today_does_not():
    wednesday = NOW.weekday()
    times = [weekly(wednesday, 9, 10), weekly(wednesday, 15, 17)]
    sessions = next_sessions(times, starts_on=NOW.date(), ends_on=NOW.date(), now=NOW)
    assert dated(sessions) == [(NOW.date(), 15)]


def test_sessions_stop_at_the_order_end_date():
    sessions = next_sessions(
        [weekly(MONDAY, 9, 10)], starts_on=datetime.date(2026, 11, 1), ends_on=datetime.date(2026, 12, 7), now=NOW
    )
    assert dated(sessions) == [(datetime.date(2026, 11, 30), 9), (datetime.date(2026, 12, 7), 9)]


def test_an_order_that_has_ended_has_no_next_sessions():
    sessions = next_sessions(
        [weekly(MONDAY, 9, 10)], starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2026, 11, 24), now=NOW
    )
    assert sessions == []


def test_an_order_not_started_yet_begins_on_its_start_date():
    sessions = next_sessions(
        [weekly(MONDAY, 9, 10)], starts_on=datetime.date(2027, 1, 4), ends_on=datetime.date(2027, 3, 31), now=NOW
    )
    assert dated(sessions)[:2] == [(datetime.date(2027, 1, 4), 9), (datetime.date(2027, 1, 11), 9)]
    assert len(sessions) == 5


def test_without_weekly_times_there_are_no_dated_sessions():
    assert next_sessions([], starts_on=NOW.date(), ends_on=datetime.date(2027, 3, 31), now=NOW) == []
