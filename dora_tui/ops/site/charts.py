"""A metric's months as a bar chart: the geometry only; the template draws it as inline SVG.

One bar per month of the window, on a scale from 0 to the largest value shown. A month
without data has no bar (a gap marked ``×``, never a 0); a month with a value of 0 has a
hairline on the axis; the month in progress is drawn dashed, so a month that has only begun
does not read as a collapse. The bars of each kind are drawn as one SVG path
(:attr:`Chart.paths`), not an element each: a portal has hundreds of charts of dozens of
months. The chart's text alternative is its sentence (:attr:`Chart.summary`); the values are
in the table beside it. Month labels sit under the axis; with
many months only every ``step``-th month is labelled, counted back from the last (so the
last is, and no two crowd each other), and the table beside the chart lists them all. A
labelled month says its year when it is the first labelled one or its year is not the
previous labelled month's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from dora_tui.core.wording import format_value

WIDTH = 480
"""The chart's width in SVG units (it scales to its box)."""

HEIGHT = 150
"""The chart's height in SVG units."""

TOP, BOTTOM, LEFT, RIGHT = 16, 38, 6, 6
"""Margins: room for the largest value above, the month labels below."""

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Bar(NamedTuple):
    """One month: its bar (``height`` 0 for a gap or a zero; ``cx`` its middle), its labels and its state
    (a named tuple: a portal makes tens of thousands).

    ``state`` is ``complete``, ``progress`` (the month in progress) or ``missing`` (no data).
    """

    key: str
    x: float
    cx: float
    width: float
    height: float
    label: str
    year: str
    value: str
    state: str
    labelled: bool


@dataclass(frozen=True)
class Chart:
    """A chart's bars, its size and axis, and the sentence that is its text alternative.

    ``paths`` draws the bars: SVG path data by kind (``complete``, ``progress``, ``zero``: a
    hairline), ``''`` for a kind no bar has; ``labels`` and ``gaps`` are the labelled months
    and the months without data.
    """

    width: int
    height: int
    axis_y: float
    top_value: str
    bars: tuple[Bar, ...]
    summary: str
    paths: dict[str, str]
    labels: tuple[Bar, ...]
    gaps: tuple[Bar, ...]


def month_label(key: str) -> tuple[str, str]:
    """``("Nov", "2026")`` for ``2026-11``."""
    year, month = key.split("-")
    return MONTH_NAMES[int(month) - 1], year


class _Slot(NamedTuple):
    """Where a month of a window's charts sits, the same for every chart of that window."""

    key: str
    x: float
    cx: float
    label: str
    year: str
    labelled: bool


@lru_cache(maxsize=16)
def _slots(keys: tuple[str, ...]) -> tuple[tuple[_Slot, ...], float]:
    """The months ``keys`` on the axis, and the bars' width: worked out once for the hundreds
    of charts a site draws over the same months."""
    n = len(keys)
    slot = (WIDTH - LEFT - RIGHT) / max(n, 1)
    width = max(slot * 0.72, 1.0)
    step = max(1, -(-n // 12))
    found = []
    shown_year = ""  # the year of the last labelled month: a labelled month of another year says its own
    for i, key in enumerate(keys):
        label, year = month_label(key)
        labelled = (n - 1 - i) % step == 0  # counted back from the last month: it is labelled, none crowd it
        new_year = labelled and year != shown_year
        shown_year = year if labelled else shown_year
        x = round(LEFT + i * slot + (slot - width) / 2, 2)
        found.append(_Slot(key, x, round(LEFT + i * slot + slot / 2, 2), label, year if new_year else "", labelled))
    return tuple(found), round(width, 2)


def bar_chart(
    title: str, unit: str, keys: Sequence[str], values: Sequence[float | int | None], complete: Sequence[bool]
) -> Chart:
    """The chart of one metric over the months ``keys`` (``complete`` False for the month in progress)."""
    known = [v for v in values if v is not None]
    high = max(known) if known else 0
    plot = HEIGHT - TOP - BOTTOM
    axis_y = float(HEIGHT - BOTTOM)
    slots, width = _slots(tuple(keys))
    bars = []
    for s, value, done in zip(slots, values, complete):
        height = 0.0 if value is None or high <= 0 else round(plot * value / high, 2)
        state = "missing" if value is None else "complete" if done else "progress"
        value_text = format_value(unit, value) if value is not None else "no data"
        bars.append(Bar(s.key, s.x, s.cx, width, height, s.label, s.year, value_text, state, s.labelled))
    gaps = sum(1 for v in values if v is None)
    summary = f"{title} by month, {keys[0]} to {keys[-1]}" if keys else f"{title}: no months"
    if gaps:
        summary += f"; {gaps} {'month' if gaps == 1 else 'months'} without data"
    if complete and not complete[-1]:
        summary += "; the last month is in progress"
    paths: dict[str, list[str]] = {"complete": [], "progress": [], "zero": []}
    for b in bars:
        if b.state != "missing":
            kind, height = (b.state, b.height) if b.height > 0 else ("zero", 1.5)
            paths[kind].append(f"M{b.x} {axis_y}v{-height}h{b.width}v{height}z")
    return Chart(
        WIDTH,
        HEIGHT,
        axis_y,
        format_value(unit, high) if known else "",
        tuple(bars),
        summary,
        {kind: "".join(found) for kind, found in paths.items()},
        tuple(b for b in bars if b.labelled),
        tuple(b for b in bars if b.state == "missing"),
    )
