"""Untrusted text made inert for where it is printed or written: one function per target.

Values read from CSV exports, folder and file names, tag names, commit messages and the
config reach the terminal, Markdown and CSV files and suggested config lines. Each target
has one function here, and every such value goes through it:

- :func:`terminal`: a line printed to a terminal;
- :func:`markdown`: a value inside a line of Markdown (a heading, a list item, a table cell);
- :func:`csv_cell`: a cell of a CSV file (formula injection, as OWASP recommends);
- :func:`toml_string`: a value in a TOML line the user is told to paste into the config;
- :func:`document`: a whole JSON or TOML document made by ``json.dumps`` or ``tomli_w``.

Pure functions of ``str``; no Textual, Rich or sqlite. The dashboard has its own rendering
(:func:`dora_tui.tui.facade.views.safe_text`, control pictures such as ``␛``).
"""

from __future__ import annotations

import re

# The characters a terminal (or a reader) can be fooled by: C0 controls, DEL, C1 controls, the
# Unicode bidirectional marks, embeddings, overrides and isolates ("trojan source"), the line
# and paragraph separators, and lone surrogates (an undecodable byte of a file name, which
# cannot even be written to a UTF-8 terminal).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def terminal(text: object) -> str:
    """``text`` as one inert line for a terminal.

    Rule: every C0 control (newline and tab included: the value stays on its line), DEL,
    every C1 control (U+0080–U+009F), the bidirectional controls (U+061C, U+200E, U+200F,
    U+202A–U+202E, U+2066–U+2069), the line and paragraph separators U+2028/U+2029 and lone
    surrogates are shown as Python-style escapes: ``\\n``, ``\\r``, ``\\t``, ``\\x1b``,
    ``\\x9b``, ``\\u202e``, ``\\udcff``. Everything else, backslashes included, is literal, so
    ordinary text prints unchanged (an escape cannot be told from the same characters typed
    literally, which is harmless).
    """
    line = str(text)
    if line.isprintable():  # none of them is printable: most text needs no search (a hot path)
        return line
    return _UNSAFE.sub(_escape, line)


# CommonMark/GFM characters that can start emphasis, code, links, images, HTML, entities,
# table cells, strikethrough, headings' closing sequences, math ($), emoji (:name:) or an
# e-mail autolink (@), a dot before a letter of any script (an address: shop.io, shop.рф)
# and a dot after www (www.1und1.de).
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|#~&$:!@]|\.(?=[^\W\d_])|(?<=[wW]{3})\.)")


def markdown(text: object) -> str:
    """``text`` as inert Markdown inline content (a heading, a list item or a table cell).

    Rule: first the :func:`terminal` rule (so a newline becomes the two characters ``\\n``
    and the value stays on its line: a heading or a table row is never split), then a
    backslash before each of ``\\ ` * _ [ ] < > | # ~ & $ : ! @``, before a ``.`` followed by
    a letter of any script and before one after ``www``, so the value renders as its literal
    text: no emphasis, code, link, image, HTML tag, entity, table column or emoji, and no
    address a renderer links by itself (GFM's ``www.shop.io`` and ``ops@acme.com``,
    linkify-it's ``shop.io`` and ``shop.рф``; ``http:`` is already broken at its ``:``).
    Letters, digits, spaces, ``-``, a ``.`` before a digit (``v1.2.3``), ``(``,
    ``)``, ``/`` and the rest stay as they are (they only mean something at the start of a
    line, where a value never lands).
    """
    return _MARKDOWN.sub(r"\\\1", terminal(text))


# What counts as a number in a CSV cell: an optional sign, ASCII digits with at most one
# decimal point (``-1.5``, ``+3``, ``3.``, ``-.5``), an optional exponent (``-2.5E-3``).
# Not ``inf``, ``nan``, spaces, thousands separators or other scripts' digits.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """``text`` as a CSV cell that a spreadsheet shows as text and never runs as a formula.

    Rule (OWASP, "CSV injection"): a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets a single quote ``'`` in front, unless the whole cell is a number
    (``-1.5``, ``+3``, ``1e5``: an optional sign, ASCII digits with at most one decimal point,
    an optional exponent), which a spreadsheet reads as that number. Then the :func:`terminal`
    rule, so the file stays safe to print (a tab or a newline inside a value becomes ``\\t``,
    ``\\n``). Cells that are numbers in our own rows are written as numbers and never come here.
    """
    if text.startswith(_FORMULA_START) and _NUMBER.fullmatch(text) is None:
        return "'" + terminal(text)
    return terminal(text)


_TOML_NAMED = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_TOML_ESCAPE = re.compile('["\\\\\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]')


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (quotes included) that reads back as exactly ``text``.

    Rule: ``"`` and ``\\`` are escaped, ``\\b \\t \\n \\f \\r`` by name, and every other
    character the :func:`terminal` rule escapes (C0, DEL, C1, bidirectional controls, U+2028,
    U+2029) as ``\\uXXXX``; everything else is literal. The result is one line with no
    control character, so it is also inert on a terminal. A lone surrogate cannot be in a
    TOML file: :class:`ValueError`.
    """
    if re.search("[\ud800-\udfff]", text):
        raise ValueError(f"{terminal(text)}: a lone surrogate cannot be written in TOML")
    return '"' + _TOML_ESCAPE.sub(lambda m: _TOML_NAMED.get(m.group()) or f"\\u{ord(m.group()):04X}", text) + '"'


_DOCUMENT_UNSAFE = re.compile("[\t\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def document(text: str) -> str:
    """A JSON document (``json.dumps(..., ensure_ascii=False)``) or a TOML document (``tomli_w``)
    made inert, with the same data.

    Rule: both writers already escape ``"``, ``\\`` and the C0 controls (but ``tomli_w``
    leaves tabs); tabs and the other characters of the :func:`terminal` rule (DEL, C1,
    bidirectional controls, U+2028, U+2029) become ``\\uXXXX`` escapes too. Outside strings
    both writers use only printable ASCII, spaces and newlines, so these characters only stand
    inside double-quoted strings, where JSON and TOML allow the escape for any character:
    the document reads back the same.
    """
    return _DOCUMENT_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
