"""Reading a JSON ticket or incident export: :func:`read_trackers`, and telling its format (:func:`detect`).

The format is named (``trello``, ``github-issues``, ``statuspage``) or told from the items:
the first item that is a Trello board, a GitHub issue or a Statuspage incident (or the
page's ``incidents.json``) decides. A format named for a file of which no item is of it is
refused in one line, naming the format the items are of when they are of one (a Trello board
named ``github-issues`` would otherwise read as no issue at all, and store nothing while
saying it succeeded). A file whose items are none of these is refused naming
its first item (and what an item of each format of the kind is); a format that does not hold
the kind imported is refused naming the kinds it holds. An export that holds no items with
no format named is nothing to import, said in a note (as :mod:`collectors.deploys.read` says
why). Bad items are never raised: the result lists them, and the caller decides between
all or nothing and storing the rest. No SQL here: ``dora_tui.ops`` stores the rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from collectors.errors import InputError
from collectors.formats import EMPTY, UNTOLD, of_format, telling
from collectors.items.context import ItemError
from collectors.items.values import name_of
from collectors.records import Incident, Ticket
from collectors.trackers import github_issues, statuspage, trello
from collectors.trackers.context import TrackerContext, TrackerSettings
from collectors.trackers.formats import FORMATS, tracker_format

__all__ = ["TrackerRead", "TrackerSettings", "detect", "read_trackers"]

Reader = Callable[[list[object], TrackerContext], None]
READERS: dict[str, tuple[Callable[[dict[str, object]], bool], Reader, dict[str, str]]] = {
    trello.NAME: (trello.claims, trello.read, trello.LEFT_OUT),
    github_issues.NAME: (github_issues.claims, github_issues.read, github_issues.LEFT_OUT),
    statuspage.NAME: (statuspage.claims, statuspage.read, statuspage.LEFT_OUT),
}
"""Each format's name, how one of its items is recognised, its reader, and its reasons for leaving items out."""

WHAT = {trello.NAME: "a Trello board", github_issues.NAME: "a GitHub issue", statuspage.NAME: "a Statuspage incident"}
"""What one item of each format is, for the refusal of a file of no known format."""


@dataclass(frozen=True)
class TrackerRead:
    """What one export holds: its format, the source name its rows carry, the rows (tickets
    or incidents, in file order; one per id: an item repeating an earlier one's id is a bad
    item), the bad items, the rows kept unmapped by their own value, and the notes (what was left out and why,
    how things were read)."""

    format: str
    source: str
    rows: tuple[Ticket | Incident, ...]
    errors: tuple[ItemError, ...]
    unmapped_values: dict[str, int]
    notes: tuple[str, ...]
    items: int


def detect(items: list[object]) -> str | None:
    """The format of the first item any reader recognises, or None."""
    for item in items:
        if isinstance(item, dict):
            for name, (claims, _, _) in READERS.items():
                if claims(item):
                    return name
    return None


def read_trackers(items: list[object], label: str, settings: TrackerSettings) -> TrackerRead:
    """Read the items of an export (shown as ``label``) as ``settings.kind``.

    Raises InputError (``FILE: reason``, or ``FILE: item N (NAME): reason``) for an unknown
    format name, a format that does not hold the kind, an export whose items are of no known
    format, or one of which no item is of the format named (one of no items, with no format
    named, reads as none: the module docstring).
    """
    name = tracker_format(settings.format)
    if name is None and settings.format.strip().lower() not in ("", "auto"):
        raise InputError(f"{label}: unknown format {settings.format!r} (known JSON formats: {', '.join(FORMATS)})")
    if (
        name is not None
        and items
        and not of_format(items, label, name, READERS[name][0], detect, entry=settings.from_entry)
    ):
        raise InputError(
            f"{label}: no item is {WHAT[name]}: this is no {name} export "
            f"({'remove the format key of its [[imports]] entry' if settings.from_entry else 'leave --format out'}"
            " to tell its format)"
        )
    if name is None:
        name = detect(items)
    if name is None:
        if not items:
            return TrackerRead(UNTOLD, settings.source or UNTOLD, (), (), {}, (EMPTY,), 0)
        first = name_of(items[0], "name") or name_of(items[0], "title") or name_of(items[0], "id")
        formats = [format for format in WHAT if settings.kind in FORMATS[format]]
        kinds = [WHAT[format] for format in formats]
        listed = f"{', '.join(kinds[:-1])} or {kinds[-1]}" if len(kinds) > 1 else kinds[0]
        raise InputError(
            f"{label}: item 1{f' ({first})' if first else ''}: of no known format for {settings.kind}: not "
            f"{listed} ({telling(formats, entry=settings.from_entry)})"
        )
    if settings.kind not in FORMATS[name]:
        holds = " or ".join(FORMATS[name])
        raise InputError(
            f"{label}: the {name} format holds {holds}, not {settings.kind} (use `dora-tui import {FORMATS[name][0]}`)"
        )
    _, reader, reasons = READERS[name]
    ctx = TrackerContext(settings, name, reasons)
    reader(items, ctx)
    return TrackerRead(
        format=name,
        source=ctx.source,
        rows=tuple(ctx.rows),
        errors=tuple(sorted(ctx.errors, key=lambda e: e.item)),
        unmapped_values=dict(ctx.unmapped()),
        notes=tuple(ctx.all_notes()),
        items=len(items),
    )
