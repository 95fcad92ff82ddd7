"""Every import format by name, CSV and JSON: which names exist and which kinds each holds.

One place for the rule the config's ``[[imports]]`` check and an import's ``--format`` both
apply. The CSV presets are loaded only when a name is not a JSON format (a JSON import, or a
command without imports, loads no CSV reader).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from collectors.deploys.formats import FORMATS as DEPLOY_FORMATS
from collectors.deploys.formats import json_format
from collectors.trackers.formats import FORMATS as TRACKER_FORMATS
from collectors.trackers.formats import tracker_format

UNTOLD = "unknown"
"""The format an export of no items reads as when no format is named (nothing to tell it from)."""

EMPTY = "the export holds no items: nothing to import (an empty export, whose format cannot be told)"
"""The note on an export of no items read with no format named: nothing stored, nothing refused."""


def a_format(name: str) -> str:
    """A format's name with its article, as a sentence says it: ``a jira``, ``an argocd``."""
    return f"{'an' if name[:1] in ('a', 'e', 'i', 'o', 'u') else 'a'} {name}"


def other_export(label: str, found: str, named: str, *, entry: bool) -> str:
    """The refusal of the export ``label``, of the format ``found``, read with the format
    ``named`` (``entry``: named by an ``[[imports]]`` entry, not by ``--format``)."""
    return f"{label}: this is {a_format(found)} export, not {named} ({naming(found, entry=entry)})"


def of_format(
    items: list[object],
    label: str,
    named: str,
    claims: Callable[[dict[str, object]], bool],
    detect: Callable[[list[object]], str | None],
    *,
    entry: bool,
) -> bool:
    """Whether some item of the export ``label`` is of the format ``named`` (``claims`` tells
    one). When none is and ``detect`` tells the items to be of another format, raises
    :class:`~collectors.exports.source.WrongFile` naming it (:func:`other_export`): read with
    the wrong reader, every item would be a bad one."""
    if any(isinstance(item, dict) and claims(item) for item in items):
        return True
    found = detect(items)
    if found is not None:
        from collectors.exports.source import WrongFile  # here: only on the way to an error

        raise WrongFile(other_export(label, found, named, entry=entry))
    return False


def json_kinds(format: str | None) -> tuple[str, tuple[str, ...]] | None:
    """The JSON format ``format`` names and the kinds it holds, or None when it names none."""
    deploys = json_format(format)
    if deploys is not None:
        return deploys, ("deployments",)
    trackers = tracker_format(format)
    if trackers is not None:
        return trackers, TRACKER_FORMATS[trackers]
    return None


def naming(format: str | None, *, entry: bool) -> str:
    """How a person names the format ``format`` (None: one of the formats just listed) for an
    import, where the wrong one came from: the ``--format`` option, or (``entry``) an
    ``[[imports]]`` entry's ``format`` key, which neither ``import --all`` nor the dashboard's
    re-import takes an option over."""
    if entry:
        value = f'format = "{format}"' if format else "format to one of them"
        return f"set {value} in its [[imports]] entry, or remove the key"
    return f"give {f'--format {format}' if format else 'one with --format'}, or leave --format out"


def telling(formats: Sequence[str] = (), *, entry: bool) -> str:
    """The advice for an export whose format its content does not tell: name one with
    ``--format``, or (``entry``) with a ``format`` key in its ``[[imports]]`` entry, which lacks
    one (with one, the format is named, not told), as neither ``import --all`` nor the
    dashboard's re-import takes ``--format``. ``formats``: the ones to name (listed for the
    entry's advice only; the option's advice is said after a list of them)."""
    if not entry:
        return "give --format"
    listed = f": {', '.join(formats[:-1])} or {formats[-1]}" if len(formats) > 1 else ""
    return f"add a format key to its [[imports]] entry{listed}"


def format_problem(format: str | None, kind: str | None = None) -> str | None:
    """What is wrong with the format name ``format`` (for an import of ``kind``, when given):
    a name no format has (every format listed), or a JSON format that holds other kinds;
    None when it is fine (``auto`` and no name included)."""
    if not format or format.strip().lower() == "auto":
        return None
    named = json_kinds(format)
    if named is not None:
        name, kinds = named
        return None if kind is None or kind in kinds else f"the {name} format holds {' or '.join(kinds)}, not {kind}"
    from collectors.exports import presets

    if presets.lookup(format) is not None:
        return None
    known = ", ".join([*presets.PRESETS, *DEPLOY_FORMATS, *TRACKER_FORMATS])
    return f"unknown format {format!r} (known: auto, {known})"
