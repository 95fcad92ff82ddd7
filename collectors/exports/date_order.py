"""Day or month first: which order a column's numeric dates are read in.

``09-02-2025`` reads two ways. The order is never guessed from one value: a column with a
value whose first number is above 12 is day-first, one with a value whose second number is
above 12 is month-first (:func:`note_order` collects that evidence, :func:`decide_order`
decides); a column with only values that read both ways takes the order of the file's other
time columns. ``date_format`` (strptime codes) replaces all of this.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

DAY_FIRST = "day-first"
"""The order of ``25/12/2024``: day, then month."""
MONTH_FIRST = "month-first"
"""The order of ``12/25/2024``: month, then day."""


@dataclass
class Evidence:
    """What a column's values say about day/month order, with an example value of each kind."""

    day_first: str | None = None
    month_first: str | None = None
    ambiguous: str | None = None


def decide_order(column: str, own: Evidence, others: Iterable[Evidence]) -> str | None:
    """The order (:data:`DAY_FIRST`, :data:`MONTH_FIRST`) to read a column's numeric dates in.

    The column decides: a value with a first number above 12 makes it day-first, one with
    a second number above 12 month-first. A column with only ambiguous values takes the
    order shown by the file's other time columns (they come from the same export, written
    with the same settings). Returns None when the column has no ambiguous value. Raises
    ``ValueError`` with the message's middle part when the column contradicts itself or
    stays ambiguous; the caller adds the file name and the ``--date-format`` hint.
    """
    if own.day_first and own.month_first:
        raise ValueError(
            f"column {column!r} has both day-first ({own.day_first!r}) and month-first ({own.month_first!r}) dates"
        )
    if own.day_first:
        return DAY_FIRST
    if own.month_first:
        return MONTH_FIRST
    if own.ambiguous is None:
        return None
    votes = {DAY_FIRST if e.day_first else MONTH_FIRST for e in others if bool(e.day_first) != bool(e.month_first)}
    if len(votes) == 1:
        return votes.pop()
    raise ValueError(f"column {column!r} has dates that read either day-first or month-first (e.g. {own.ambiguous!r})")


def note_order(parts: tuple[int, int, int], example: str, evidence: Evidence) -> None:
    """Record what a numeric date says about day/month order in ``evidence``."""
    a, b, _ = parts
    if a > 12 and b <= 12:
        evidence.day_first = evidence.day_first or example
    elif b > 12 and a <= 12:
        evidence.month_first = evidence.month_first or example
    elif a <= 12 and b <= 12 and a != b:
        evidence.ambiguous = evidence.ambiguous or example
