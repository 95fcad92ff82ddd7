"""A JSON export's bytes read into its items, whatever wrapper, pages or encoding the tool wrote.

What real output holds, and how each is read:

- UTF-8 with or without a byte order mark; UTF-16 or UTF-32 (a shell that redirects in
  UTF-16 writes a BOM; without one, the NULs of the first character tell);
- pretty or compact JSON, with or without a final newline;
- one array of items (gcloud, gh), a Kubernetes ``List`` object with ``items`` (kubectl), or
  a single object (``kubectl get replicaset NAME -o json``);
- pages written back to back (gh before 2.31 with ``--paginate``: ``[...][...]``), one
  value a line (``--jq '.[]'``), and pages in one array (gh ``--slurp``: ``[[...],[...]]``).

:func:`load_items` returns the items in file order; :func:`looks_like_json` tells a JSON
export from a CSV one by how it opens (``[Summary],Issue key`` is a CSV header). A CSV
export given to a JSON format is refused saying so, and JSON after a stray line (a warning
written into the file) says on which line the JSON starts (:mod:`collectors.items.not_json`;
read with no format, as CSV, the same words: :func:`stray_refusal`);
a zip or gzip file is said to be no text (:func:`collectors.exports.source.not_text`).
"""

from __future__ import annotations

import json
import re

from collectors.errors import InputError
from collectors.exports.source import encoding_of, not_text
from collectors.items.not_json import HEAD, csv_refusal, json_start, opens_json, stray_lines

_SPACE = re.compile(r"[ \t\r\n]*")
_DECODER = json.JSONDecoder()


def looks_like_json(head: bytes) -> bool:
    """Whether a file beginning with ``head`` (its first bytes) is JSON: after a byte order
    mark and white space, it opens an array or an object
    (:func:`~collectors.items.not_json.opens_json`: not a CSV header such as ``[Summary],Issue key``)."""
    try:
        text = head.decode(encoding_of(head[:4]), errors="ignore")
    except LookupError:
        return False
    return opens_json(text.lstrip(" \t\r\n\ufeff"))


def decode(data: bytes, label: str) -> str:
    """The text of ``data``: UTF-8 (a BOM dropped), or UTF-16/32 told by a BOM or NULs.
    Raises InputError naming the line of the first bytes that do not decode."""
    encoding = encoding_of(data[:4])
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{label}:{line}: not {encoding.removesuffix('-sig').upper()} text") from None
    return text[1:] if text.startswith("\ufeff") else text


def load_items(
    data: bytes, label: str, *, format: str | None = None, kind: str | None = None, entry: bool = False
) -> list[object]:
    """The items of the JSON export ``data`` (see the module docstring), in file order, read
    with the JSON format ``format`` as ``kind`` (both only for the words of an error, and
    ``entry``: the format came from an ``[[imports]]`` entry, not from ``--format``).

    Raises InputError for text that is not JSON (``FILE:LINE: not valid JSON (column C:
    what)``; ``FILE: not valid JSON (nested too deep)`` for arrays or objects nested deeper
    than Python's parser goes, a thousand or so, which no export writes; when its first line
    is a CSV header, or it is not text and its first line is one, ``FILE: this looks like a
    CSV export, ...``: :func:`collectors.items.not_json.csv_refusal`; when a later line
    starts the JSON, the parser's error and ``: the JSON starts on line N; ...``:
    :func:`collectors.items.not_json.stray_lines`), for a zip or gzip file (``FILE: this is
    not a text file (...)``) or a document that holds no items (``the JSON holds null``, a
    number, a string).
    """
    archive = not_text(label, data[:4])
    if archive is not None:
        raise archive
    try:
        text = decode(data, label)
    except InputError:
        head = data[:HEAD].decode(encoding_of(data[:4]), errors="replace")
        refusal = csv_refusal(label, head, format, kind, entry=entry)
        if refusal is None:
            raise
        raise InputError(refusal) from None
    values: list[object] = []
    end = _skip(text, 0)
    while end < len(text):
        try:
            value, end = _DECODER.raw_decode(text, end)
        except json.JSONDecodeError as exc:
            stray = _stray(label, text, exc, end) if not values else None
            refusal = stray or csv_refusal(label, text, format, kind, entry=entry)
            raise InputError(refusal or _said(label, exc)) from None
        except RecursionError:
            raise InputError(f"{label}: not valid JSON (nested too deep)") from None
        values.append(value)
        end = _skip(text, end)
    items: list[object] = []
    for value in values:
        _add(items, value, label, pages=True)
    return items


def stray_refusal(data: bytes, label: str) -> str | None:
    """The refusal of ``data`` (the file ``label``) when it is JSON after stray lines: its
    first line is no JSON, a later one starts a JSON array or object
    (:func:`~collectors.items.not_json.json_start`) and the JSON from there to the end of the
    file parses. The same words as :func:`load_items` gives a JSON format's read of it; None
    for anything else.

    Asked by a CSV read of a format told from the header (``auto``) when the header names
    no format or misses a column (:func:`collectors.exports.read.read_export`): on the way to
    that error only, so a CSV export is read as before, and a file is told JSON by how it
    opens (:func:`looks_like_json`), looking at its first bytes alone.
    """
    if not_text(label, data[:4]) is not None:
        return None
    try:
        text = decode(data, label)
    except InputError:
        return None
    first = _skip(text, 0)
    try:
        _DECODER.raw_decode(text, first)
    except json.JSONDecodeError as exc:
        return _stray(label, text, exc, first)
    except RecursionError:
        return None
    return None


def _stray(label: str, text: str, exc: json.JSONDecodeError, first: int) -> str | None:
    """The parser's error ``exc`` at the first value of ``text`` (at ``first``) with where the
    JSON starts, when a later line starts a JSON array or object and the text from there to
    its end is JSON (:func:`_parses`): the one rule of stray lines; None otherwise."""
    start = json_start(text, exc.lineno) if exc.pos == first else None
    if start is not None and _parses(text, _line_position(text, start)):
        return stray_lines(_said(label, exc), text, exc.lineno)
    return None


def _said(label: str, exc: json.JSONDecodeError) -> str:
    """The parser's error ``exc`` in the file ``label``, in one line."""
    return f"{label}:{exc.lineno}: not valid JSON (column {exc.colno}: {exc.msg})"


def _line_position(text: str, line: int) -> int:
    """The position in ``text`` where its line ``line`` (counted from 1) begins."""
    position = 0
    for _ in range(line - 1):
        position = text.index("\n", position) + 1
    return position


def _parses(text: str, position: int) -> bool:
    """Whether ``text`` from ``position`` to its end is JSON values and white space alone."""
    end = _skip(text, position)
    while end < len(text):
        try:
            _, end = _DECODER.raw_decode(text, end)
        except (json.JSONDecodeError, RecursionError):
            return False
        end = _skip(text, end)
    return True


def _skip(text: str, position: int) -> int:
    """The position of the first character at or after ``position`` that is not JSON white space."""
    space = _SPACE.match(text, position)
    return space.end() if space else position


def _add(items: list[object], value: object, label: str, *, pages: bool) -> None:
    """Append the items ``value`` holds: an array's elements (each array in it a page, when
    ``pages``), a ``List`` object's ``items``, or ``value`` itself."""
    if isinstance(value, list):
        if pages and value and all(isinstance(page, list) for page in value):  # gh --slurp
            for page in value:
                items.extend(page)
        else:
            items.extend(value)
    elif isinstance(value, dict):
        inner, kind = value.get("items"), value.get("kind")
        if isinstance(inner, list) and isinstance(kind, str) and kind.endswith("List"):
            if kind != "List":  # the API's own list (ReplicaSetList): its items do not repeat their kind
                for item in inner:
                    if isinstance(item, dict):
                        item.setdefault("kind", kind.removesuffix("List"))
            items.extend(inner)
        else:
            items.append(value)
    else:
        raise InputError(f"{label}: not an export: the JSON holds {_json_name(value)}, not items")


def _json_name(value: object) -> str:
    """What a JSON value that is no array or object is, in JSON's words: ``null``, ``true``
    (or ``false``), a number, a string."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    return "a string" if isinstance(value, str) else "a number"
