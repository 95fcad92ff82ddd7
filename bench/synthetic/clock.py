"""Working-hours times over a span of calendar months (:class:`Clock`), drawn from the
caller's random generator: the times of deployments, incidents and tickets."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def _first_of_month(day: date, back: int) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


class Clock:
    """Working-hours times between the first day of ``months`` months before ``as_of`` and its end."""

    def __init__(self, as_of: date, months: int, tz: ZoneInfo, rng: random.Random) -> None:
        self.tz = tz
        self.rng = rng
        self.first = _first_of_month(as_of, months - 1)
        self.days = (as_of - self.first).days + 1
        self.midnights = [
            int(datetime.combine(self.first + timedelta(days=d), datetime.min.time(), tzinfo=tz).timestamp())
            for d in range(self.days + 1)
        ]
        self.start = self.midnights[0]
        self.end = self.midnights[-1]  # the end of as_of: nothing at or after it
        self.weekdays = [d for d in range(self.days) if (self.first + timedelta(days=d)).weekday() < 5]

    def working(self, lo_day: int = 0, hi_day: int | None = None) -> int:
        """A weekday (weekends 4 % of the time), 08:00-19:00 local, in [lo_day, hi_day)."""
        hi_day = self.days if hi_day is None else hi_day
        rng = self.rng
        if rng.random() < 0.04:
            day = rng.randrange(lo_day, hi_day)
        else:
            lo = _bisect(self.weekdays, lo_day)
            hi = _bisect(self.weekdays, hi_day)
            day = self.weekdays[rng.randrange(lo, hi)] if hi > lo else rng.randrange(lo_day, hi_day)
        return self.midnights[day] + rng.randrange(8 * 3600, 19 * 3600)

    def any_time(self) -> int:
        """Any second of the span, day or night."""
        return self.rng.randrange(self.start, self.end)


def _bisect(values: list[int], x: int) -> int:
    """Where ``x`` would go in the sorted ``values`` (before its equals)."""
    lo, hi = 0, len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        if values[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo
