"""A CSV export given to a JSON format: told by its first line, and said in one line.

Every JSON format (the deployment exports ``kubernetes``, ``argocd``, ``cloud-run``,
``github-deployments``, ``github-releases``; the ticket and incident exports ``trello``,
``github-issues``, ``statuspage``) reads its file through
:func:`collectors.items.load.load_items`, which asks :func:`csv_refusal` before it reports
text that is not JSON. Where the parser alone would say ``FILE:1: not valid JSON (column 1:
Expecting value)``, a person is told what the file is, what the format reads, and which
formats read a CSV export:

    FILE: this looks like a jira CSV export, and the github-issues format reads the JSON of
    `gh issue list --json ...` (see the README, `dora-tui import`; give --format jira, or
    leave --format out)

(the advice names the ``[[imports]]`` entry's ``format`` key instead when the format came
from there: :func:`collectors.formats.naming`).

The rule (:func:`csv_header`): the text's first line that is not blank (after Excel's
``sep=;`` line, when there is one: any one character, as the CSV reader takes it) does not
open a JSON array or object (:func:`opens_json`), holds no ``{`` or ``}`` and no control
character but tabs (a binary file's first bytes are no header), and splits, at the
delimiter the CSV reader would read it with
(:func:`collectors.exports.reader.delimiter_of`: the commas, tabs or semicolons it has most
of, comma on a tie), into at least two names that are not empty. A file whose first line is
anything else keeps the parser's error, unchanged. The CSV format of the header is named when
one is recognised from it (the CSV presets are loaded only then, on the way to an error).

Before that rule, JSON that a line of other text precedes (``kubectl ... 2>&1`` writes its
``Warning: ...`` into the file, gcloud its ``WARNING: ...``, a person a ``# comment``) is told
by :func:`json_start`: the parser's error, then on which line the JSON starts.

:data:`READS` is what each JSON format reads, as the README's tables under ``dora-tui
import`` give the command that writes it.
"""

from __future__ import annotations

import csv
import json
import re

from collectors.formats import a_format, json_kinds, naming

READS: dict[str, str] = {
    "kubernetes": "the JSON of `kubectl get replicasets -o json`",
    "argocd": "the JSON of `kubectl get applications.argoproj.io -n argocd -o json`",
    "cloud-run": "the JSON of `gcloud run revisions list --format=json`",
    "github-deployments": "the JSON of `gh api repos/OWNER/REPO/deployments --paginate`",
    "github-releases": "the JSON of `gh release list --json ...`",
    "trello": "the JSON of a Trello board's menu > Print, export and share > Export as JSON",
    "github-issues": "the JSON of `gh issue list --json ...`",
    "statuspage": "the JSON of Statuspage's `/api/v2/incidents.json`",
}
"""What each JSON format reads, by its name (README, ``dora-tui import``)."""

HEAD = 1 << 16
"""How many characters of a file (bytes, of one that is not text) are looked at for its header."""

SEPARATORS = {",": "commas", "\t": "tabs", ";": "semicolons"}
"""The names in a message of the separators a CSV header is most often told by (another,
named by Excel's ``sep=`` line, is shown quoted)."""

_OPENS = re.compile(
    r"""\{\s*(?:["}]|$)|\[\s*(?:[\[{"\]]|$|(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)\s*(?:[,\]]|$))"""
)
"""JSON's opening: ``{`` then a name's quote or ``}``; ``[`` then a value's first character or
``]`` (a number or literal whole, so ``[Summary],Issue key`` or ``[nullable]`` opens none)."""

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
"""A control character other than a tab: in no CSV header."""

_DECODER = json.JSONDecoder()


def opens_json(text: str) -> bool:
    """Whether ``text`` (a file's beginning, its byte order mark and white space already
    dropped) opens a JSON array or object: see :data:`_OPENS`. Text that ends there (the
    rest of the file not looked at) opens one."""
    return _OPENS.match(text) is not None


def json_start(text: str, after: int) -> int | None:
    """The number of the first line after line ``after`` of ``text`` on which a JSON array or
    object starts and parses (a line beginning with ``[`` or ``{``, within the first
    :data:`HEAD` characters), or None."""
    position, number = 0, 1
    while True:
        position = text.find("\n", position) + 1
        number += 1
        if not 0 < position < HEAD:
            return None
        if number <= after or text[position : position + 1] not in ("[", "{"):
            continue
        try:
            value, _ = _DECODER.raw_decode(text, position)
        except (json.JSONDecodeError, RecursionError):
            continue
        if isinstance(value, (list, dict)):
            return number


def stray_lines(said: str, text: str, line: int) -> str | None:
    """``said`` (the parser's error at the first value of ``text``, on ``line``) with where
    the JSON starts when a later line starts it (:func:`json_start`); None when none does."""
    start = json_start(text, line)
    if start is None:
        return None
    before = "the line" if start == 2 else f"the {start - 1} lines"
    return (
        f"{said}: the JSON starts on line {start}; remove {before} before it (a warning the command wrote "
        "into the file?)"
    )


def csv_header(text: str) -> tuple[int, str, list[str]] | None:
    """The line number, separator and names of the CSV header ``text`` begins with, or None
    when its first line that is not blank is no CSV header (the rule: module docstring)."""
    from collectors.exports.reader import delimiter_of, excel_delimiter  # here: only on the way to an error

    lines = text[:HEAD].lstrip("\ufeff").splitlines()
    number = next((n for n, line in enumerate(lines) if line.strip()), None)
    if number is None:
        return None
    separator = excel_delimiter(lines[number])
    if separator is not None:  # Excel's sep= line
        number += 1
    first = lines[number].strip() if number < len(lines) else ""
    if not first or opens_json(first) or "{" in first or "}" in first or _CONTROL.search(first):
        return None
    separator = separator or delimiter_of(first)
    try:
        fields = next(csv.reader([first], delimiter=separator), [])
    except csv.Error:
        return None
    names = [field.strip() for field in fields if field.strip()]
    return (number + 1, separator, names) if len(names) >= 2 else None


def csv_refusal(label: str, text: str, format: str | None, kind: str | None, *, entry: bool = False) -> str | None:
    """The one line refusing ``text`` (the file ``label``), read with the JSON format
    ``format`` as ``kind``, when it begins with a CSV header; None when it does not.
    ``entry``: the format came from an ``[[imports]]`` entry, not from ``--format``.

    It names what ``format`` reads and the CSV format of the header, when one is recognised
    (and the kinds it holds, when ``kind`` is not one), else lists the CSV formats of ``kind``.
    """
    header = csv_header(text)
    if header is None:
        return None
    line, separator, names = header
    from collectors.exports import presets  # here: a JSON import loads no CSV reader unless refused

    found = presets.detect(names)
    holds = presets.PRESETS[found].kinds if found is not None else ()
    if found is not None and (kind is None or kind in holds):
        what, advice = f"{a_format(found)} CSV export", naming(found, entry=entry)
    elif found is not None:
        what = f"{a_format(found)} CSV export"
        advice = f"the {found} format holds {' or '.join(holds)}, not {kind}: use `dora-tui import {holds[0]}`"
    else:
        csv_formats = [p.name for p in presets.PRESETS.values() if kind is None or kind in p.kinds]
        between = SEPARATORS.get(separator, f"'{separator}' characters")
        what = f"a CSV export (line {line} is a header of names between {between})"
        advice = f"CSV formats{f' for {kind}' if kind else ''}: {', '.join(csv_formats)}; {naming(None, entry=entry)}"
    named = json_kinds(format)
    if named is None:
        return f"{label}: this looks like {what}, not JSON ({advice})"
    reads = READS.get(named[0], "JSON")
    return (
        f"{label}: this looks like {what}, and the {named[0]} format reads {reads} "
        f"(see the README, `dora-tui import`; {advice})"
    )
