"""Order statistics and the DORA 2023 tiers (their bounds are in :mod:`dora_tui.core.catalog`). Pure.

The median is the usual one (the mean of the two middle values for an even count); the 90th
percentile interpolates linearly between closest ranks exactly as
``statistics.quantiles(values, n=10, method="inclusive")[-1]`` does, the single value when
there is one. Both take an already sorted list so a month's values are sorted once.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from datetime import timedelta
from statistics import median

from dora_tui.core.periods import Window


def median_sorted(values: Sequence[float]) -> float:
    """The median of a sorted, non-empty sequence."""
    n = len(values)
    mid = n // 2
    return values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2


def p90_sorted(values: Sequence[float]) -> float:
    """The 90th percentile of a sorted, non-empty sequence (linear between closest ranks)."""
    if len(values) == 1:
        return float(values[0])
    j, delta = divmod(9 * (len(values) - 1), 10)
    return (values[j] * (10 - delta) + values[j + 1] * delta) / 10


def tier(value: float | None, bounds: tuple[float, float, float], *, strict: bool) -> str | None:
    """``elite``, ``high``, ``medium`` or ``low`` by ``bounds`` (below them, or up to them when
    not ``strict``); None without a value."""
    if value is None:
        return None
    for bound, name in zip(bounds, ("elite", "high", "medium")):
        if (value < bound) if strict else (value <= bound):
            return name
    return "low"


def deployment_frequency_tier(window: Window, days: Sequence[int], first_deployment: int | None) -> str | None:
    """Elite at a median of 5+ deployment days a week, high at 1+, medium at 1+ a month, else low.

    ``days`` are the sorted indexes of the window's days with a deployment. Weeks are the
    complete Monday-to-Sunday weeks inside the window up to ``as_of``; months are its
    complete months (all of its months when none is complete yet). Weeks that began before
    the entity's ``first_deployment`` ever (on a day before its day) are left out, and months
    that ended before it, as its chart and trend leave them (no history yet, not weeks without
    deployments; the week it began in is only part of one, taken only when no whole week
    followed it yet): a new service is judged from its first deployment on. None when it has
    no deployment at all up to the window's end (``first_deployment`` None: no data, rather
    than "low").
    """
    if first_deployment is None:
        return None

    def count(lo: int, hi: int) -> int:  # days with a deployment in [lo, hi)
        return bisect_left(days, hi) - bisect_left(days, lo)

    first, last = window.first_day, window.as_of
    began = 0 if first_deployment < window.start else window.day_of(first_deployment)
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    weekly, partial = [], []
    while monday + timedelta(days=6) <= last:
        start = (monday - first).days
        if began is None or start >= began:
            weekly.append(count(start, start + 7))
        elif began < start + 7:  # the week it began in: only part of one of its history
            partial.append(count(start, start + 7))
        monday += timedelta(days=7)
    weekly = weekly or partial  # younger than a whole week of history: the week it began in
    monthly = []
    months = [m for m in window.months if m.end > first_deployment]
    for month in [m for m in months if m.complete] or months:
        lo = window.day_of(month.start)
        hi = window.day_of(month.end - 1)
        lo = 0 if lo is None else lo
        hi = len(window.day_starts) - 1 if hi is None else hi
        monthly.append(count(lo, hi + 1))
    if weekly and median(weekly) >= 5:
        return "elite"
    if weekly and median(weekly) >= 1:
        return "high"
    if monthly and median(monthly) >= 1:
        return "medium"
    return "low"
