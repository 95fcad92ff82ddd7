"""Trends of monthly series: Theil–Sen slope and the Mann–Kendall test (README, What is measured).

A series is the metric's values over the last ``trend_months`` complete months that have a
value, oldest first. With fewer than 4 values the trend is ``insufficient``. Otherwise the
two-sided Mann–Kendall p-value decides: below 0.1 the series is going somewhere, and the
sign of the Theil–Sen slope, read against the metric's better direction, says
``improving`` or ``worsening``; else ``flat``.

The p-value is exact when the series has no ties (the distribution of Kendall's S over all
orderings, by counting permutations with a given number of inversions); with ties it uses
the normal approximation with the tie-corrected variance and a continuity correction.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from statistics import median

MIN_POINTS = 4
SIGNIFICANCE = 0.1

IMPROVING = "improving"
WORSENING = "worsening"
FLAT = "flat"
INSUFFICIENT = "insufficient"


def theil_sen_slope(values: Sequence[float]) -> float:
    """The median of the slopes between every pair of points (x = 0, 1, 2, ...)."""
    slopes = [(values[j] - values[i]) / (j - i) for i in range(len(values)) for j in range(i + 1, len(values))]
    return median(slopes) if slopes else 0.0


def kendall_s(values: Sequence[float]) -> int:
    """Mann–Kendall S: pairs going up minus pairs going down."""
    s = 0
    for i in range(len(values)):
        for j in range(i + 1, len(values)):
            s += (values[j] > values[i]) - (values[j] < values[i])
    return s


@lru_cache(maxsize=64)
def _inversion_counts(n: int) -> tuple[int, ...]:
    """How many permutations of n items have k inversions, for every k (Mahonian numbers)."""
    counts = [1]
    for m in range(2, n + 1):
        new = [0] * (len(counts) + m - 1)
        for k, c in enumerate(counts):
            for extra in range(m):
                new[k + extra] += c
        counts = new
    return tuple(counts)


def mann_kendall_p(values: Sequence[float]) -> float:
    """The two-sided p-value of the Mann–Kendall test of ``values`` for a monotonic trend."""
    n = len(values)
    if n < 2:
        return 1.0
    s = kendall_s(values)
    ties = [c for c in Counter(values).values() if c > 1]
    if not ties:
        counts = _inversion_counts(n)
        total = math.factorial(n)
        pairs = n * (n - 1) // 2
        # S = pairs - 2 * inversions; P(|S| >= |s|) summed over the inversion counts.
        tail = sum(c for k, c in enumerate(counts) if abs(pairs - 2 * k) >= abs(s))
        return min(1.0, tail / total)
    variance = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties)) / 18
    if variance <= 0 or s == 0:
        return 1.0
    z = (abs(s) - 1) / math.sqrt(variance)
    return min(1.0, math.erfc(z / math.sqrt(2)))


def classify(values: Sequence[float], better: str) -> str:
    """``improving``, ``worsening``, ``flat`` or ``insufficient`` for a series whose ``better`` is up or down."""
    if len(values) < MIN_POINTS:
        return INSUFFICIENT
    if mann_kendall_p(values) >= SIGNIFICANCE:
        return FLAT
    slope = theil_sen_slope(values)
    if slope == 0:
        slope = kendall_s(values)
    if slope == 0:
        return FLAT
    rising = slope > 0
    return IMPROVING if rising == (better == "up") else WORSENING


def run_length(values: Sequence[float], better: str) -> int:
    """How many of the latest months in a row moved the worse way (for words like "worsening for 4 months")."""
    count = 0
    for previous, current in zip(reversed(values[:-1]), reversed(values[1:])):
        worse = current < previous if better == "up" else current > previous
        if not worse:
            break
        count += 1
    return count
