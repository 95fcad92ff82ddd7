"""Calendar months and days in the configured time zone, as epoch-second boundaries.

A :class:`Window` covers ``months`` calendar months ending with the month of ``as_of``. Rows
at or after ``cutoff`` (the end of the ``as_of`` day) are outside it: ``as_of`` stands for
"now", so a report as of a past day never sees what happened later. The month holding
``as_of`` is the current, incomplete month: shown, never used for a trend.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Month:
    """One calendar month of a window: ``key`` like ``2026-11``, boundaries in epoch seconds."""

    key: str
    start: int
    end: int
    complete: bool


@dataclass(frozen=True)
class Window:
    """The months of a report, with the epoch seconds where each month and each day starts."""

    months: tuple[Month, ...]
    as_of: date
    start: int
    cutoff: int
    day_starts: tuple[int, ...]
    first_day: date
    month_starts: tuple[int, ...] = ()

    def day_of(self, t: int) -> int | None:
        """Index (0 = the window's first day) of the local day holding ``t``, or None."""
        if t < self.start or t >= self.cutoff:
            return None
        return bisect_right(self.day_starts, t) - 1

    @property
    def keys(self) -> list[str]:
        """The month keys, oldest first."""
        return [m.key for m in self.months]


def local_midnight(day: date, tz: ZoneInfo) -> int:
    """Epoch seconds of the start of ``day`` in ``tz``."""
    return int(datetime(day.year, day.month, day.day, tzinfo=tz).timestamp())


def add_months(day: date, n: int) -> date:
    """The first day of the month ``n`` months after ``day``'s month (n may be negative)."""
    index = day.year * 12 + day.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def make_window(as_of: date, months: int, tz: ZoneInfo) -> Window:
    """The ``months`` calendar months ending with the month of ``as_of``, in ``tz``.

    Raises ValueError when the window would leave the years 1 to 9999.
    """
    if not (date(2, 1, 1) + timedelta(days=31 * months) <= as_of <= date(9998, 12, 31)):
        raise ValueError(f"{months} months up to {as_of.isoformat()} leave the calendar")
    first = add_months(as_of, -(months - 1))
    result = []
    for n in range(months):
        begin = add_months(first, n)
        end = add_months(first, n + 1)
        result.append(
            Month(
                f"{begin.year:04d}-{begin.month:02d}",
                local_midnight(begin, tz),
                local_midnight(end, tz),
                complete=end <= as_of,
            )
        )
    next_day = as_of + timedelta(days=1)
    cutoff = local_midnight(next_day, tz)
    days = (next_day - first).days
    day_starts = tuple(local_midnight(first + timedelta(days=i), tz) for i in range(days))
    return Window(tuple(result), as_of, result[0].start, cutoff, day_starts, first, tuple(m.start for m in result))
