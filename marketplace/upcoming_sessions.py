"""The next dated sessions of an order whose plan line has weekly times (the package builder's slots).

Orders hold no calendar: the weekly times of the plan line an order came from, between the order's start
and end dates, say when its next sessions are. ``next_sessions`` is pure (the clock is an argument), so
it is tested on hand-built times with a fixed ``now``.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

SESSIONS_SHOWN = 5


class WeeklyTime(Protocol):
    weekday: int  # 0 is Monday, as date.weekday()
    starts_at: datetime.time
    ends_at: datetime.time


@dataclass(frozen=True)
class Session:
    on: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time

    @property
    def text(self) -> str:
        return f"{self.on:%A %-d %B}, {_clock(self.starts_at)} to {_clock(self.ends_at)}"


def _clock(moment: datetime.time) -> str:
    # GOV.UK style: 9am, 5:30pm, midday.
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def next_sessions(
    times: Iterable[WeeklyTime],
    *,
    starts_on: datetime.date,
    ends_on: datetime.date,
    now: datetime.datetime,
    count: int = SESSIONS_SHOWN,
) -> list[Session]:
    """The next ``count`` sessions from ``now`` (a session under way counts) within the order's dates."""
    by_weekday: dict[int, list[WeeklyTime]] = {}
    for time in sorted(times, key=lambda time: (time.starts_at, time.ends_at)):
        by_weekday.setdefault(time.weekday, []).append(time)
    sessions: list[Session] = []
    if not by_weekday:
        return sessions
    day = max(starts_on, now.date())
    while day <= ends_on and len(sessions) < count:
        for time in by_weekday.get(day.weekday(), []):
            if day == now.date() and time.ends_at <= now.time():
                continue
            sessions.append(Session(day, time.starts_at, time.ends_at))
        day += datetime.timedelta(days=1)
    return sessions[:count]
