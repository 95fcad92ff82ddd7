"""The rows an import refuses: the error that lists them, and ``FILE.rejected.csv`` that holds them.

With ``--skip-invalid`` the valid rows are stored and the refused ones are written, as read,
with a ``reason`` column, beside the export; without it, the import stops with
:class:`ImportRejected`, one line per bad row (the first :data:`MAX_LISTED`).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import TextIO

from collectors.exports.read import ImportResult
from dora_tui.errors import ImportRejected, UsageError
from dora_tui.ops.files import replace_file

MAX_LISTED = 20
"""How many bad rows an error lists with their lines before it counts the rest."""


def rejected_file(file: Path) -> Path:
    """Where the rejected rows of ``file`` go: ``FILE.rejected.csv`` beside it. An export read
    from a pipe, or through the system's names for an open file (``/dev/stdin``, ``/dev/fd/N``,
    ``<(...)``), has no folder of its own to write in: its rejected rows go to the current
    folder's ``NAME.rejected.csv`` (``stdin.rejected.csv``)."""
    name = file.name + ".rejected.csv"
    system = os.path.abspath(file).startswith(("/dev/", "/proc/"))
    return file.with_name(name) if file.is_file() and not system else Path.cwd() / name


def rejection(file: Path, result: ImportResult) -> ImportRejected:
    """The error refusing an import with bad rows: the first :data:`MAX_LISTED` with their
    lines, then a count, then the reader's notes."""
    details = [f"{file}:{e.line}: {e.reason}" for e in result.errors[:MAX_LISTED]]
    if len(result.errors) > MAX_LISTED:
        details.append(f"{file}: … and {len(result.errors) - MAX_LISTED} more bad rows")
    details += [f"{file}: note: {note}" for note in result.notes]  # e.g. a column that needs --date-format
    return ImportRejected(
        f"{file}: {len(result.errors)} bad rows, nothing was imported and the database is unchanged",
        details,
        skippable=True,
    )


def write_rejected(file: Path, result: ImportResult) -> Path:
    """Write the rejected rows, as read, with a ``reason`` column, to :func:`rejected_file`.

    An existing ``FILE.rejected.csv``, or a link there, is replaced, never written through:
    the rows go to a new file in the same folder, renamed onto that name once complete (a
    link is replaced by the file; what it pointed at is left alone, and an interrupted write
    leaves no half-written file). A folder of that name is an error naming it.
    """
    target = rejected_file(file)

    def write(handle: TextIO) -> None:
        writer = csv.writer(handle)
        writer.writerow([*result.fieldnames, "reason"])
        for error in result.errors:
            values = list(error.values) or [error.raw.get(name, "") for name in result.fieldnames]
            writer.writerow([*values, f"line {error.line}: {error.reason}"])

    try:
        return replace_file(target, write, follow_link=False)
    except IsADirectoryError:
        raise UsageError(
            f"{target}: is a folder, so the rejected rows cannot be written there "
            "(move it away, or import without --skip-invalid)"
        ) from None
    except OSError as exc:
        raise UsageError(f"{target}: cannot write the rejected rows: {exc.strerror}") from None
