"""The rows an import refuses: the error that lists them, and ``FILE.rejected.csv`` that holds them.

With ``--skip-invalid`` the valid rows are stored and the refused ones are written, as read,
with a ``reason`` column, beside the export; without it, the import stops with
:class:`ImportRejected`, one line per bad row (the first :data:`MAX_LISTED`). A JSON export's
bad items are named ``FILE: item N (NAME): reason`` and written, one JSON object a line, to
``FILE.rejected.jsonl`` (:class:`RejectedItems`); the import sees either kind as
:class:`Rejects`.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

from collectors.exports.read import ImportResult
from collectors.items.context import ItemError
from dora_tui.core.wording import counted
from dora_tui.errors import ImportRejected, InputError, UsageError
from dora_tui.ops.files import replace_file

MAX_LISTED = 20
"""How many bad rows an error lists with their lines before it counts the rest."""


class Rejects(Protocol):
    """The bad rows or items of one read, as the import deals with them."""

    @property
    def unit(self) -> str:
        """What they are: ``rows`` (of a CSV export) or ``items`` (of a JSON one)."""

    @property
    def count(self) -> int:
        """How many there are."""

    def refusal(self, file: Path) -> ImportRejected:
        """The error refusing the import of ``file`` because of them."""

    def write(self, file: Path) -> Path:
        """Write them beside ``file``; returns where."""


@dataclass(frozen=True)
class RejectedRows:
    """The bad rows of a CSV export: :func:`rejection` and :func:`write_rejected`."""

    result: ImportResult
    unit: str = "rows"

    @property
    def count(self) -> int:
        """How many bad rows there are."""
        return len(self.result.errors)

    def refusal(self, file: Path) -> ImportRejected:
        """:func:`rejection` of the rows."""
        return rejection(file, self.result)

    def write(self, file: Path) -> Path:
        """:func:`write_rejected` of the rows."""
        return write_rejected(file, self.result)


@dataclass(frozen=True)
class RejectedItems:
    """The bad items of a JSON export, each named ``FILE: item N (NAME): reason``; ``format``,
    when given, is named in the refusal (``2 bad items (trello format)``)."""

    errors: tuple[ItemError, ...]
    unit: str = "items"
    format: str = ""

    @property
    def count(self) -> int:
        """How many bad items there are."""
        return len(self.errors)

    def refusal(self, file: Path) -> ImportRejected:
        """The error refusing the import: the first :data:`MAX_LISTED` bad items, then a count."""
        listed = self.errors[:MAX_LISTED]
        details = [f"{file}: item {e.item}{f' ({e.name})' if e.name else ''}: {e.reason}" for e in listed]
        if len(self.errors) > MAX_LISTED:
            details.append(f"{file}: … and {counted(len(self.errors) - MAX_LISTED, 'more bad item')}")
        read_as = f" ({self.format} format)" if self.format else ""
        return ImportRejected(
            f"{file}: {counted(len(self.errors), 'bad item')}{read_as}, nothing was imported and the database is "
            "unchanged",
            details,
            skippable=True,
            bad=len(self.errors),
        )

    def write(self, file: Path) -> Path:
        """Write the bad items to :func:`rejected_file` ``FILE.rejected.jsonl``, one a line:
        ``{"item": N, "name": ..., "reason": ..., "value": the item as read}``."""

        target = rejected_file(file, ".jsonl")

        def write(handle: TextIO) -> None:
            for e in self.errors:
                line = {"item": e.item, "name": e.name, "reason": e.reason, "value": e.value}
                try:
                    handle.write(json.dumps(line, ensure_ascii=False) + "\n")
                except RecursionError:  # read, but nested too deep to write back with the stack left
                    raise InputError(
                        f"{file}: item {e.item}{f' ({e.name})' if e.name else ''}: nested too deep to write to {target}"
                    ) from None

        return _replace_rejected(target, write, "items")


def rejected_file(file: Path, suffix: str = ".csv") -> Path:
    """Where the rejected rows of ``file`` go: ``FILE.rejected.csv`` beside it (``suffix``:
    ``.jsonl`` for a JSON export's items). An export read from a pipe, or through the system's
    names for an open file (``/dev/stdin``, ``/dev/fd/N``, ``<(...)``), has no folder of its
    own to write in: its rejected rows go to the current folder's ``NAME.rejected.csv``
    (``stdin.rejected.csv``)."""
    name = file.name + ".rejected" + suffix
    system = os.path.abspath(file).startswith(("/dev/", "/proc/"))
    return file.with_name(name) if file.is_file() and not system else Path.cwd() / name


def rejection(file: Path, result: ImportResult) -> ImportRejected:
    """The error refusing an import with bad rows: the first :data:`MAX_LISTED` with their
    lines, then a count, then the reader's notes."""
    details = [f"{file}:{e.line}: {e.reason}" for e in result.errors[:MAX_LISTED]]
    if len(result.errors) > MAX_LISTED:
        details.append(f"{file}: … and {counted(len(result.errors) - MAX_LISTED, 'more bad row')}")
    details += [f"{file}: note: {note}" for note in result.notes]  # e.g. a column that needs --date-format
    return ImportRejected(
        f"{file}: {counted(len(result.errors), 'bad row')}, nothing was imported and the database is unchanged",
        details,
        skippable=True,
        bad=len(result.errors),
    )


def write_rejected(file: Path, result: ImportResult) -> Path:
    """Write the rejected rows, as read, with a ``reason`` column, to :func:`rejected_file`.

    An existing ``FILE.rejected.csv``, or a link there, is replaced, never written through:
    the rows go to a new file in the same folder, renamed onto that name once complete (a
    link is replaced by the file; what it pointed at is left alone, and an interrupted write
    leaves no half-written file). A folder of that name is an error naming it.
    """

    def write(handle: TextIO) -> None:
        writer = csv.writer(handle)
        writer.writerow([*result.fieldnames, "reason"])
        for error in result.errors:
            values = list(error.values) or [error.raw.get(name, "") for name in result.fieldnames]
            writer.writerow([*values, f"line {error.line}: {error.reason}"])

    return _replace_rejected(rejected_file(file), write, "rows")


def _replace_rejected(target: Path, write: Callable[[TextIO], None], what: str) -> Path:
    """Write ``target`` through ``write`` (see :func:`write_rejected`); UsageError when it cannot be."""
    try:
        return replace_file(target, write, follow_link=False)
    except IsADirectoryError:
        raise UsageError(
            f"{target}: is a folder, so the rejected {what} cannot be written there "
            "(move it away, or import without --skip-invalid)"
        ) from None
    except OSError as exc:
        raise UsageError(f"{target}: cannot write the rejected {what}: {exc.strerror}") from None
