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
``sep=;`` line, when there is one) does not open a JSON array or object, holds no ``{`` or
``}``, and splits, at the commas, tabs or semicolons it has most of (the CSV reader's own
choice, comma on a tie), into at least two names that are not empty. A file whose first line
is anything else keeps the parser's error, unchanged. The CSV format of the header is named
when one is recognised from it (the CSV presets are loaded only then, on the way to an
error).

:data:`READS` is what each JSON format reads, as the README's tables under ``dora-tui
import`` give the command that writes it.
"""

from __future__ import annotations

import csv

from collectors.formats import json_kinds, naming

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
"""The separators a CSV header is told by, and their names in a message."""


def csv_header(text: str) -> tuple[int, str, list[str]] | None:
    """The line number, separator and names of the CSV header ``text`` begins with, or None
    when its first line that is not blank is no CSV header (the rule: module docstring)."""
    lines = text[:HEAD].lstrip("\ufeff").splitlines()
    number = next((n for n, line in enumerate(lines) if line.strip()), None)
    if number is None:
        return None
    first = lines[number].strip()
    separator = ""
    if first.lower().startswith("sep=") and len(first) == 5 and first[4] in SEPARATORS:  # Excel's
        separator = first[4]
        number += 1
        first = lines[number].strip() if number < len(lines) else ""
    if not first or first[0] == "[" or "{" in first or "}" in first:
        return None
    if not separator:
        separator = max(SEPARATORS, key=lambda s: (first.count(s), s == ","))
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
        what, advice = f"a {found} CSV export", naming(found, entry=entry)
    elif found is not None:
        what = f"a {found} CSV export"
        advice = f"the {found} format holds {' or '.join(holds)}, not {kind}: use `dora-tui import {holds[0]}`"
    else:
        csv_formats = [p.name for p in presets.PRESETS.values() if kind is None or kind in p.kinds]
        what = f"a CSV export (line {line} is a header of names between {SEPARATORS[separator]})"
        advice = f"CSV formats{f' for {kind}' if kind else ''}: {', '.join(csv_formats)}; {naming(None, entry=entry)}"
    named = json_kinds(format)
    if named is None:
        return f"{label}: this looks like {what}, not JSON ({advice})"
    reads = READS.get(named[0], "JSON")
    return (
        f"{label}: this looks like {what}, and the {named[0]} format reads {reads} "
        f"(see the README, `dora-tui import`; {advice})"
    )
