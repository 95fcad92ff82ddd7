"""What one read of a JSON export keeps besides its records: bad items, and items left out.

A reader walks the export's items and, for each, takes it, leaves it out on purpose and
counts why (:meth:`ItemTally.leave_out`: another kind of object, not production, a draft,
an issue closed as not planned...), or finds it bad (a field its format needs is missing or
unreadable: :meth:`ItemTally.fail`). Items left out are never errors; bad items are, unless
the caller skips them. Each reader's reasons, as the summary says them, are a template
table (``{n}`` items, ``{s}`` the plural's s, ``{values}`` the values left out most often).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ItemError:
    """A bad item: its number in the file (from 1), its name ('' when it has none), why, and the
    item as read (for ``FILE.rejected.jsonl``)."""

    item: int
    name: str
    reason: str
    value: object


class ItemTally:
    """The bad items and the items left out of one read; ``reasons`` words each reason a
    reader leaves items out for (see the module docstring)."""

    def __init__(self, reasons: Mapping[str, str]) -> None:
        self.reasons = reasons
        self.errors: list[ItemError] = []
        self.left_out: dict[str, Counter[str]] = {}

    def leave_out(self, reason: str, value: str) -> None:
        """Count an item left out for ``reason`` (a key of ``reasons``), by its ``value``."""
        self.left_out.setdefault(reason, Counter())[value] += 1

    def fail(self, item: int, name: str, reason: str, value: object) -> None:
        """Record item number ``item`` (called ``name``) as bad, for ``reason``."""
        self.errors.append(ItemError(item, name, reason, value))

    def left_out_count(self) -> int:
        """How many items were left out, for every reason."""
        return sum(sum(counted.values()) for counted in self.left_out.values())

    def notes(self) -> list[str]:
        """What was left out, one line a reason, with the values left out most often."""
        notes = []
        for reason, line in self.reasons.items():
            counted = self.left_out.get(reason)
            if not counted:
                continue
            total = sum(counted.values())
            values = ", ".join(f"{value!r} ({n})" for value, n in counted.most_common(5))
            more = f" and {len(counted) - 5} more" if len(counted) > 5 else ""
            notes.append(line.format(n=total, s="" if total == 1 else "s", values=values + more))
        return notes
