"""Bad rows that a CSV reader lets through, and the fields of every bad row.

- A line break in a field that cannot hold one (an id, a time, a service or team, a
  severity, status or type: everything read except free text such as a title, labels, a
  message or a reference). A record's quoted field runs over several lines there only when
  its closing quote is missing: the field then swallows the lines, and the records on them,
  up to the next quote in the file. :func:`collectors.exports.extract.extract` looks at the
  records over several lines as it reads them (:func:`runs_on` says why one is bad).
- A NUL byte in a field that is imported (:func:`nul_rows`, a column at a time: one
  ``"".join`` and a substring test each, in C, and only for a file that holds one).

:func:`row_errors` gives every bad row its reason and its fields as read: those kept while
reading, and those of :func:`unread_lines`, read again by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from collectors.exports.fields import Field
from collectors.exports.reader import CsvFile, Header, unclosed_reason

FREE_TEXT = frozenset({"title", "labels", "message", "reference"})
"""Fields whose text may run over several lines."""

QUOTE_RUNS_ON = "a quote opened in column {column} is not closed on its line (the field runs on to line {end})"
"""Why a record whose quoted field swallowed lines is bad."""

NOT_DOUBLED = "a quote inside a quoted field is not doubled (a closing quote is followed by other text)"
"""Why a one-line record whose closing quote is followed by other text is bad."""

Records = list[tuple[str, ...]]
Early = list[tuple[int, str, "list[str] | None"]]
"""Bad rows found while reading: (line, reason, the row as read, or None when the reader
could not make one)."""


def _breaks(text: str) -> int:
    """The line breaks in ``text`` (LF, CRLF or CR)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _has_break(text: str) -> bool:
    return "\n" in text or "\r" in text


def _labels(fields: dict[str, Field], offset: Field | None) -> tuple[dict[int, str], list[int]]:
    """Each extracted position's column name, and the positions that cannot hold a line break."""
    labels: dict[int, str] = {}
    single: list[int] = []
    named = list(fields.items()) + ([("offset", offset)] if offset is not None else [])
    for name, fld in named:
        for p, label in zip(fld.positions, fld.labels):
            if label and p not in labels:  # (no label: the always-empty column)
                labels[p] = label
                if name not in FREE_TEXT:
                    single.append(p)
    return labels, single


def single_positions(fields: dict[str, Field], offset: Field | None) -> list[int]:
    """The extracted positions that cannot hold a line break (at least the id's)."""
    return _labels(fields, offset)[1]


def runs_on(header: Header, row: list[str], start: int, single: Sequence[int]) -> str:
    """Why the record ``row`` (starting on line ``start``), with a line break in one of the
    columns ``single`` (file positions), is bad: a quote left open in the first of them."""
    for q in single:
        if q < len(row) and _has_break(row[q]):
            return QUOTE_RUNS_ON.format(column=repr(header.label(q)), end=start + _breaks(row[q]))
    return ""


def nul_rows(
    fields: dict[str, Field], offset: Field | None, starts: list[int], recs: Records, cols: Sequence[Sequence[str]]
) -> list[tuple[int, str]]:
    """The records with a NUL byte in a field that is imported, as (line, reason); they are
    taken out of ``starts`` and ``recs`` (in place; ``cols``: the records by column)."""
    labels, _ = _labels(fields, offset)
    bad: dict[int, str] = {}
    for p, col in enumerate(cols):
        if p in labels and "\0" in "".join(col):
            for i, value in enumerate(col):
                if i not in bad and "\0" in value:
                    bad[i] = f"a NUL byte in column {labels[p]!r}"
    if bad:
        keep = [i for i in range(len(recs)) if i not in bad]
        found = [(starts[i], reason) for i, reason in bad.items()]
        starts[:] = [starts[i] for i in keep]
        recs[:] = [recs[i] for i in keep]
        return found
    return []


def unclosed(
    f: CsvFile, row: list[str], start: int, kept: tuple[list[int], Records], early: Early, others: Records
) -> None:
    """Take the file's last record (``row``, starting on ``start``) back from where the
    reading loop put it (``kept``: the start lines and records to import; ``early``; else
    ``others``, the records skipped by type), and make it the bad row it is: a quote opened
    and never closed."""
    starts, recs = kept
    if starts and starts[-1] == start:
        del starts[-1], recs[-1]
    elif early and early[-1][0] == start:
        del early[-1]
    elif others:  # not empty, so not skipped as such: skipped by type
        del others[-1]
    position, end = f.unclosed(row)
    column = repr(f.header.label(position)) if position < f.width else str(position + 1)
    early.append((start, unclosed_reason(f"column {column}", end), row))


def unread_lines(early: Early, late: list[tuple[int, str]]) -> set[int]:
    """The lines of the bad rows whose fields were not kept while reading: those found bad
    later (``late``), and those whose quoting broke the reader."""
    return {line for line, _ in late} | {line for line, _, row in early if row is None}


def row_errors(
    header: Header, early: Early, late: list[tuple[int, str]], rows: Mapping[int, list[str]], single: Sequence[int]
) -> list[tuple[int, str, dict[str, str], tuple[str, ...]]]:
    """Every bad row as (line, reason, its fields by column name, its fields as read), in file
    order (see :class:`collectors.exports.read.RowError`).

    Rows found bad while reading (``early``) carry their fields; ``rows`` holds the others'
    (those of :func:`unread_lines`, by line). A row with a line break in one of the columns
    ``single`` (file positions) is bad because of a quote left open there, whatever else is
    wrong with it (too many fields): its reason says so. A row whose quoting broke the
    reader gets its column named from its fields: the last one holding a line break.
    """
    out = []
    for line, reason, row in early:
        if row is None:
            row = rows.get(line, [])
            reason = _name_column(reason, header, row)
        out.append((line, reason, row))
    out += [(line, reason, rows.get(line, [])) for line, reason in late]
    out.sort(key=lambda e: e[0])
    named = []
    for line, reason, row in out:
        if not reason.startswith("a quote "):
            reason = runs_on(header, row, line, single) or reason
        named.append((line, reason, _raw(header, row), tuple(row)))
    return named


def _raw(header: Header, row: list[str]) -> dict[str, str]:
    raw: dict[str, str] = {}
    for name, value in zip(header.names, row):
        name = name.strip()
        if name in raw:
            if value:
                raw[name] = f"{raw[name]}, {value}" if raw[name] else value
        else:
            raw[name] = value
    return raw


def broken(start: int, end: int) -> str:
    """Why the record on lines ``start`` to ``end`` broke the reader: a closing quote followed
    by other text. Over several lines, the reason's ``{column}`` is named by :func:`row_errors`."""
    if start == end:
        return NOT_DOUBLED
    return QUOTE_RUNS_ON.replace("{end}", str(end))


def _name_column(reason: str, header: Header, row: list[str]) -> str:
    """``reason`` (from :func:`broken`) with its column named: the last one of ``row`` holding a
    line break (the quote opened there closed where the reader broke)."""
    for q in range(len(row) - 1, -1, -1):
        if _has_break(row[q]):
            return reason.replace("{column}", repr(header.label(q)) if q < len(header.names) else str(q + 1))
    return reason.replace("in column {column} is not closed on its line", "on this line is not closed on it")
