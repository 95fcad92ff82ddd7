"""How a figure reads: values with their unit (``35 min``, ``20.5 h``, ``12.5 %``), a trend in
words, and a count with its noun (``1 repository``, ``3 repositories``).

Pure text helpers shared by the dashboard (:mod:`dora_tui.tui.facade.views` re-exports them),
the static site (:mod:`dora_tui.ops.site`) and the command line, so all say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence

from dora_tui.core import trends


def format_value(unit: str, value: float | None) -> str:
    """A figure as shown: counts as they are, hours as minutes, hours or days, rates in %."""
    if value is None:
        return "–"
    if unit == "count":
        return str(int(value))
    if unit == "rate":
        text = f"{value * 100:.1f}".removesuffix(".0")
        return f"{text} %"
    return format_hours(value)


def format_hours(hours: float | None) -> str:
    """A duration in hours as ``35 min``, ``20.5 h`` or ``3.2 d``."""
    if hours is None:
        return "–"
    if hours < 1:
        return f"{hours * 60:.0f} min"
    if hours < 48:
        return f"{hours:.1f}".removesuffix(".0") + " h"
    return f"{hours / 24:.1f}".removesuffix(".0") + " d"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` with its noun, singular for 1 (``1 service``, ``0 services``); ``plural``
    where the noun does not just take an ``s`` (``repository``, ``repositories``)."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def unresolved_example(deployment: str, sha: str) -> str:
    """An imported deployment that names no commit of its repository, as ``collect`` and
    ``doctor`` show one: its name and the sha it named, or what naming none likely means."""
    return f"{deployment!r}, {sha!r}" if sha else f"{deployment!r}, which names none: an image by digest only?"


def trend_words(trend: str, values: Sequence[float], better: str) -> str:
    """``worsening for 4 months``, ``improving``, ``flat`` or ``not enough data``."""
    if trend == trends.INSUFFICIENT:
        return "not enough data"
    if trend == trends.FLAT:
        return "flat"
    worse_way = better if trend == trends.WORSENING else ("down" if better == "up" else "up")
    run = trends.run_length(list(values), worse_way)
    return f"{trend} for {run} months" if run >= 2 else trend
