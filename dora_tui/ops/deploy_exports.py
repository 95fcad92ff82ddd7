"""``import deployments`` of a JSON export (a runtime's or a pipeline's history): README, ``dora-tui import``.

:func:`dora_tui.ops.imports.import_file` sends a deployments export here when it is JSON:
its format named (``--format kubernetes`` or an ``[[imports]]`` entry's ``format``), or, with
``auto``, its content starting with ``[`` or ``{``. :func:`load` reads its items once
(a pipe's bytes are the ones read already), :func:`read` reads them with the entry's
settings and the request's options (:func:`deploy_settings`) into the same
:class:`~collectors.exports.read.ImportResult` a CSV read gives, plus its bad items as
:class:`~dora_tui.ops.rejected.RejectedItems`; the import then checks and stores them as it
does a CSV's rows. :func:`export_format` tells an export's format, JSON or CSV, for
comparing a renamed export with the ``[[imports]]`` entries.

:func:`load` and :func:`detect` are the way in for every JSON export: a ticket or incident
export (Trello, GitHub issues, Statuspage) is loaded here too, then read by
:mod:`dora_tui.ops.tracker_exports`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import tzinfo
from operator import attrgetter
from pathlib import Path

from collectors.deploys.formats import FORMATS as DEPLOY_FORMATS
from collectors.deploys.read import DeploySettings, read_items
from collectors.deploys.read import detect as detect_deploys
from collectors.errors import InputError
from collectors.exports.read import CsvSource, ImportResult, file_format
from collectors.formats import format_problem, json_kinds, naming
from collectors.items.load import load_items, looks_like_json
from collectors.records import Deployment
from collectors.trackers.formats import FORMATS as TRACKER_FORMATS
from dora_tui.config import Config, ImportSource
from dora_tui.errors import OptionError
from dora_tui.ops.rejected import RejectedItems

__all__ = [
    "HEAD",
    "check_format",
    "deploy_settings",
    "detect",
    "export_format",
    "is_json",
    "json_kinds",
    "load",
    "read",
]

HEAD = 4096
"""How many bytes of a file :func:`is_json` looks at."""


def check_format(format: str | None) -> None:
    """Raise OptionError when ``format`` (given for an import) names no format, CSV or JSON,
    before any file is read: the error lists every format, as the config's check does
    (:func:`collectors.formats.format_problem`)."""
    problem = format_problem(format)
    if problem is not None:
        raise OptionError("format", problem)


def json_formats(kind: str) -> list[str]:
    """The JSON formats that hold ``kind``."""
    if kind == "deployments":
        return list(DEPLOY_FORMATS)
    return [name for name, kinds in TRACKER_FORMATS.items() if kind in kinds]


def detect(items: list[object], kind: str) -> str | None:
    """The format of a JSON export's ``items`` imported as ``kind``, or None."""
    if kind == "deployments":
        return detect_deploys(items)
    from collectors.trackers.read import detect as detect_trackers  # here: a deployments import loads no tracker reader

    return detect_trackers(items)


def is_json(export: CsvSource, format: str | None) -> bool:
    """Whether ``export`` is read as JSON: ``format`` names a JSON format, or it is ``auto``
    (or not given) and the content opens an array or an object."""
    if json_kinds(format):
        return True
    if format and format.strip().lower() != "auto":
        return False
    if export.data is not None:
        return looks_like_json(export.data[:HEAD])
    try:
        with export.open() as handle:
            return looks_like_json(handle.read(HEAD) or b"")
    except (InputError, OSError):
        return False


def load(export: CsvSource, kind: str, format: str | None, *, entry: bool = False) -> list[object] | None:
    """The items of ``export`` when it is a JSON export (None for a CSV one), read once;
    ``entry``: ``format`` came from an ``[[imports]]`` entry, not from ``--format`` (for the
    advice of an error: :func:`collectors.formats.naming`).

    Raises InputError for JSON that does not parse, for a format named that does not
    hold ``kind``, and for a CSV format named for a JSON export (naming the JSON formats of
    ``kind``: read as CSV, its first line would give a misleading error)."""
    if not is_json(export, format):
        if format and format.strip().lower() != "auto" and is_json(export, None):
            raise InputError(
                f"{export.label}: this is a JSON export, and the {format} format reads CSV (JSON formats "
                f"for {kind}: {', '.join(json_formats(kind))}; {naming(None, entry=entry)})"
            )
        return None
    named = json_kinds(format)
    if named is not None and kind not in named[1]:
        holds = " or ".join(named[1])
        raise InputError(
            f"{export.label}: the {named[0]} format holds {holds}, not {kind} (use `dora-tui import {named[1][0]}`)"
        )
    try:
        with export.open() as handle:
            data = handle.read() or b""
    except OSError as exc:
        raise InputError(f"{export.label}: cannot read: {exc.strerror or exc}") from None
    items = load_items(data, export.label, format=format, kind=kind, entry=entry)
    if named is None and detect(items, kind) is None:
        _refuse_other_kind(export.label, items, kind)
    return items


def _refuse_other_kind(label: str, items: list[object], kind: str) -> None:
    """Raise InputError when ``items`` are of a JSON format of the other family (a Trello board
    imported as deployments, a kubectl export as incidents): the error names the command
    that reads them."""
    found = detect(items, "incidents" if kind == "deployments" else "deployments")  # (any tracker format)
    if found is not None:
        kinds = TRACKER_FORMATS.get(found, ("deployments",))
        raise InputError(
            f"{label}: the {found} format holds {' or '.join(kinds)}, not {kind} (use `dora-tui import {kinds[0]}`)"
        )


def export_format(
    path: Path | CsvSource, kind: str, format: str | None, columns: Mapping[str, str] | None = None
) -> str | None:
    """The format an import would read ``path`` with as ``kind`` (None when it cannot be told
    or the file cannot be read): a JSON format, else a CSV one
    (:func:`collectors.exports.read.file_format`)."""
    named = json_kinds(format)
    if named is not None:
        return named[0] if kind in named[1] else None
    if format and format.strip().lower() != "auto":  # a CSV format's name: no need to read the file
        return file_format(path, kind, format, columns)
    try:
        export = CsvSource.of(path)
        items = load(export, kind, format)
    except InputError:
        return None
    if items is not None:
        return detect(items, kind)
    return file_format(export, kind, format or "auto", columns)


def deploy_settings(
    config: Config,
    format: str | None,
    service: str | None,
    entry: ImportSource,
    tz: tzinfo,
    *,
    from_entry: bool = False,
) -> DeploySettings:
    """How to read a JSON export: ``entry``'s settings (its name as the source, its
    ``service_map``, ``production``, ``image_pattern`` and ``version_tag``), with the request's
    ``format`` and ``service`` over them, and times without an offset read in ``tz``.
    ``from_entry``: ``entry`` is the export's own and no ``--format`` was given (an error's
    advice names the entry's ``format`` key)."""
    return DeploySettings(
        format=format or entry.format,
        source=entry.name,
        service=service,
        service_map=entry.service_map,
        services={s.name: s.team for s in config.services},
        production=entry.production,
        image_pattern=entry.image_pattern,
        version_tag=entry.version_tag,
        tz=tz,
        from_entry=from_entry,
    )


_RECORD = attrgetter(*(f.name for f in fields(Deployment)))
"""A deployment as the tuple of its fields in order: how an import's rows are kept."""


def read(label: str, items: list[object], settings: DeploySettings) -> tuple[ImportResult, RejectedItems]:
    """Read ``items`` with ``settings`` into the rows an import stores and its bad items."""
    got = read_items(items, label, settings)
    records = tuple(map(_RECORD, got.deployments))
    result = ImportResult(
        format=got.format,
        kind="deployments",
        records=records,
        errors=(),
        fieldnames=(),
        unmapped=0,
        unmapped_values={},
        source=got.source,
        notes=got.notes,
    )
    return result, RejectedItems(got.errors)
