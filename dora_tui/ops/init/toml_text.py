"""A TOML file's text, read to add to it without moving anything a person wrote.

tomlkit, made for editing a config in place, writes an array's tables back together when
other tables split them (``[[services]]``, ``[[imports]]``, ``[[services]]``: the second
service is moved up, and the comments between them with it), even with nothing changed. So
``init --update`` (:mod:`~dora_tui.ops.init.update`) puts what it adds into the text as
written: :func:`tables` finds where each table's keys end and where a table added after it
goes, and :func:`splice` puts the new text there, in the line break most of the file's lines
end in (:func:`_line_break`). The text is valid TOML (it loaded a moment before), so this
reads only as much of its grammar as that takes: headers, keys whose values may span lines
(strings, arrays, inline tables), comments and blank lines.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any


@dataclass
class TableText:
    """A table of a TOML text as written: its header's key (``()`` for the top-level keys before
    any header), whether it is an array's entry, where a key added to it goes (after its last
    key, or its header) and where a table added after it goes (:func:`tables`)."""

    name: tuple[str, ...]
    array: bool
    keys_end: int
    end: int


def tables(text: str) -> list[TableText]:
    """The tables of ``text`` (valid TOML), in the order written.

    A table added after one goes after its last key, and after the comment lines right under
    that key when a blank line follows them (a note on the table); comment lines that run
    into the next header or the end of the file, or that stand apart, are left below it: they
    introduce what follows.
    """
    tables = [TableText((), False, 0, 0)]
    run: int | None = 0  # the end of the comment lines right under the last key; None once apart
    pos = 0
    while pos < len(text):
        while text.startswith((" ", "\t"), pos):
            pos += 1
        table = tables[-1]
        if text.startswith("[", pos):
            end = _line_end(text, pos)
            tables.append(TableText(*_header(text[pos:end]), end, end))
            run = end
        elif text.startswith("#", pos):
            end = _line_end(text, pos)
            run = end if run is not None else None
        elif pos < len(text) and text[pos] not in "\r\n":
            end = _value_end(text, pos)
            table.keys_end = table.end = run = end
        else:  # a blank line: the comments right above it, under the last key, are the table's
            end = _line_end(text, pos)
            if run is not None:
                table.end = run
            run = None
        pos = end
    return tables


def _header(line: str) -> tuple[tuple[str, ...], bool]:
    """The key of a table header line (``[[services]]  # ours``) and whether it is an array's."""
    names: list[str] = []
    data: Any = tomllib.loads(line)
    while isinstance(data, dict) and data:
        name = next(iter(data))
        names.append(name)
        data = data[name][-1] if isinstance(data[name], list) else data[name]
    return tuple(names), line.startswith("[[")


def _line_end(text: str, pos: int) -> int:
    """Where the line holding ``pos`` ends (after its line break)."""
    end = text.find("\n", pos)
    return len(text) if end < 0 else end + 1


def _value_end(text: str, pos: int) -> int:
    """Where the key/value starting at ``pos`` ends: the end of its last line (a value can
    span lines: a multi-line string, an array)."""
    depth = 0
    while pos < len(text):
        char = text[pos]
        if char == "\n" and depth == 0:
            return pos + 1
        if char == "#":
            pos = text.find("\n", pos)
            if pos < 0:
                return len(text)
            continue
        if char in "\"'":
            pos = _string_end(text, pos)
            continue
        depth += (char in "[{") - (char in "]}")
        pos += 1
    return len(text)


def _string_end(text: str, pos: int) -> int:
    """Where the string starting at ``pos`` (its opening quote) ends."""
    quote = text[pos]
    multi = text.startswith(quote * 3, pos)
    pos += 3 if multi else 1
    while pos < len(text):
        if text[pos] == "\\" and quote == '"':
            pos += 2
        elif multi and text.startswith(quote * 3, pos):
            pos += 3
            for _ in range(2):  # up to two quotes of the content just before the closing three
                if text.startswith(quote, pos):
                    pos += 1
            return pos
        elif not multi and text[pos] == quote:
            return pos + 1
        else:
            pos += 1
    return len(text)


def splice(text: str, inserts: list[tuple[int, str, bool]]) -> str:
    """``text`` with each chunk put in at its offset (in the order given at one offset), in the
    file's line break (:func:`_line_break`): the line before it ended, and a chunk set apart by
    blank lines (a blank line already there, in either line break, is not doubled)."""
    newline = _line_break(text)
    out, last = "", 0
    for at, chunk, apart in sorted(inserts, key=lambda insert: insert[0]):
        out += text[last:at]
        last = at
        if out and not out.endswith("\n"):
            out += newline
        if apart and out and not out.endswith(("\n\n", "\n\r\n")):
            out += newline
        out += chunk.replace("\n", newline)
        if apart and text[at:] and not text.startswith(("\n", "\r\n"), at):
            out += newline
    return out + text[last:]


def _line_break(text: str) -> str:
    """The line break what is added to ``text`` is written in: the one most of its lines end
    in, ``"\\r\\n"`` or ``"\\n"`` (a file with both, say a CRLF file with a few lines pasted
    in LF, gets what most of it has, as its editor most likely writes it; every line added,
    wherever it goes, in that one); on a tie, the one its first line ends in; ``"\\n"`` for a
    text with no line break (as ``init`` writes a new config). A file all LF gets LF, all
    CRLF gets CRLF."""
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    if crlf != lf:
        return "\r\n" if crlf > lf else "\n"
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


__all__ = ["TableText", "splice", "tables"]
