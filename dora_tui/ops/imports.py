"""``import``: CSV and JSON exports into the store, all or nothing, never duplicated (README, ``dora-tui import``).

The way an export goes: :func:`import_file` takes an :class:`ImportRequest` (the file, its
kind and the command's options), finds the ``[[imports]]`` entry whose settings read it
(:func:`~dora_tui.ops.import_settings.settings_for`: when no entry names the file, it
compares formats), makes both one
:class:`~collectors.exports.settings.ReadSettings` (:func:`read_settings`), reads the
export once with :func:`collectors.exports.read.read_export` (its stages are listed there),
checks the rows against the database and upserts them on (source, id) in one transaction.
Any bad row aborts the import with ``FILE:LINE: reason`` per bad row (the first 20, then a
count) and the database unchanged; with ``skip_invalid`` the valid rows are stored and the
rejected ones written, with a ``reason`` column, to ``FILE.rejected.csv``. ``dry_run``
stores nothing. A JSON export of deployments (a runtime's or a pipeline's history) is read
by :mod:`dora_tui.ops.deploy_exports` instead, one of tickets or incidents (Trello, GitHub
issues, Statuspage) by :mod:`dora_tui.ops.tracker_exports`, into the same rows: their bad
items are named ``FILE: item N (NAME): reason`` and written to ``FILE.rejected.jsonl``.

Settings come from the ``[[imports]]`` entry whose ``file`` is the file being imported (its
``format`` read first, so the file is refused alike imported alone or with ``--all``).
Any other file (next month's export, saved under a new name) takes every setting of the one
entry of the same kind whose file is in the same format (its ``name``, so the rows upsert
onto that source's rows instead of duplicating them, its ``reference_column``, ``columns``
and the rest); with no such entry, or several, the maps of every entry of the same kind (so
``service_map`` and ``team_map`` written once apply to every export of that kind) and the
format's own name as the source. The request's options win: ``format`` names the format,
``service``/``team`` map every row, ``timezone`` reads naive times, ``date_format`` reads
every time column.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from collectors.errors import MissingColumn
from collectors.exports.date_formats import format_problem
from collectors.exports.read import CsvSource, ImportResult, ReadSettings, gc_paused, read_export
from collectors.exports.source import WrongFile
from dora_tui.config import Config, ImportSource
from dora_tui.core.sources import TAGS, source_of
from dora_tui.core.wording import counted
from dora_tui.errors import ImportRejected, InputError, OptionError, UsageError
from dora_tui.ops import deploy_exports, tracker_exports
from dora_tui.ops.import_settings import EntryFormats, entry_of, settings_for, unmatched
from dora_tui.ops.rejected import MAX_LISTED, RejectedRows, Rejects
from dora_tui.ops.rework import NamedRework
from dora_tui.store.database import Store
from dora_tui.store.queries.incidents import IncidentRecord, TicketRecord


@dataclass(frozen=True)
class ImportRequest:
    """One file to import and the options given for it (None: not given), which win over the
    settings of its ``[[imports]]`` entry (see the module docstring).

    ``date_format_origin`` names where ``date_format`` was given, for a note when no value
    matches it (the command line passes its option's name).
    """

    kind: str
    file: Path
    format: str | None = None
    service: str | None = None
    team: str | None = None
    timezone: str | None = None
    date_format: str | None = None
    date_format_origin: str = "the date format given"
    dry_run: bool = False
    skip_invalid: bool = False


@dataclass
class ImportSummary:
    """What an import read and stored (or would store, on a dry run)."""

    file: Path
    kind: str
    format: str
    source: str
    rows: int
    stored: int = 0
    rejected: int = 0
    rejected_file: Path | None = None
    skipped: int = 0
    unmapped: int = 0
    unmapped_values: dict[str, int] = field(default_factory=dict)
    by_target: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    dry_run: bool = False
    unit: str = "rows"  # what the file holds: rows (CSV) or items (JSON)
    settings_of: Path | None = None  # the [[imports]] entry's file whose settings a renamed export took
    unmatched: tuple[Path, ...] = ()  # entries this export could not be compared with (import_settings.unmatched)


def import_file(
    config: Config,
    store: Store | None,
    request: ImportRequest,
    *,
    settings: ImportSource | None = None,
    progress: Callable[[int, int], None] | None = None,
    open_store: Callable[[], Store] | None = None,
) -> ImportSummary:
    """Import one export; see the module docstring for the rules.

    ``settings``: the ``[[imports]]`` entry to read it with (default:
    :func:`~dora_tui.ops.import_settings.settings_for`).
    ``store`` may be None: for a dry run (nothing is read from or written to a database), or
    with ``open_store``, called to open the database only once there are rows to write (so
    a refused first import leaves no new database behind). ``progress(bytes_read,
    total_bytes)`` is called now and then while reading.
    """
    if request.service is not None:
        config.require_service(request.service)
    if request.team is not None:
        config.require_team(request.team)
    if request.date_format and (problem := format_problem(request.date_format)):  # checked where it is given
        raise OptionError("date_format", problem)
    deploy_exports.check_format(request.format)
    file = request.file
    export = CsvSource(file)  # a pipe is read here, whole and once; every later read uses these bytes
    formats = EntryFormats()
    # The cyclic collector stays paused until the rows are written and freed: hundreds of
    # thousands of new tuples, none in a cycle, that it would otherwise walk a few times over.
    with gc_paused():
        own = settings or entry_of(config, request.kind, file)  # its entry's format reads it, alone or with --all
        from_entry = not request.format and own is not None  # its advice names the entry's key, not --format
        items = deploy_exports.load(
            export, request.kind, request.format or (own.format if own else None), entry=from_entry
        )
        fmt = request.format or (deploy_exports.detect(items, request.kind) if items is not None else None)
        entry = own or settings_for(config, request.kind, file, fmt, export=export, formats=formats)
        read = read_settings(config, request, entry, from_entry=from_entry)
        borrowed = entry.file != file.resolve()  # the settings of another file's entry
        try:
            if items is None:
                result = read_export(export, read, progress)
                rejects: Rejects = RejectedRows(result)
            elif request.kind == "deployments":
                json_settings = deploy_exports.deploy_settings(
                    config, request.format, request.service, entry, read.tz, from_entry=from_entry
                )
                result, rejects = deploy_exports.read(export.label, items, json_settings)
                del items
            else:
                tracker_settings = tracker_exports.tracker_settings(
                    config,
                    request.kind,
                    request.format,
                    request.service,
                    request.team,
                    entry,
                    read.tz,
                    from_entry=from_entry,
                )
                result, rejects = tracker_exports.read(export.label, items, tracker_settings)
                del items
            try:
                summary = _apply(config, store, request, result, rejects, open_store)
            finally:
                del result, rejects
        except InputError as exc:
            note = (
                f" (read with the settings of the [[imports]] entry for {entry.file}: same kind and "
                f"format; give {file.name} an entry of its own to read it otherwise)"
                if borrowed
                else ""
            )
            if isinstance(exc, MissingColumn):  # an [[imports]] entry's read takes no service or team for every row
                raise MissingColumn(exc.message, exc.instead if settings is None else "", note) from None
            if not note or isinstance(exc, WrongFile):  # what the file is, whatever settings read it
                raise
            raise InputError(f"{exc}{note}") from None
        except ImportRejected as exc:
            if borrowed:
                exc.details.append(
                    f"{file}: note: read with the settings of the [[imports]] entry "
                    f"for {entry.file} (same kind and format)"
                )
            raise
    if borrowed:
        summary.settings_of = entry.file
    summary.unmatched = unmatched(config, request.kind, entry, formats)
    return summary


def read_settings(
    config: Config, request: ImportRequest, entry: ImportSource, *, from_entry: bool = False
) -> ReadSettings:
    """How to read ``request.file``: the settings of ``entry``, with the request's options
    over them, the config's time zone when neither names one, and the configured services
    and teams to map the rows to (``from_entry``: ``entry`` is the file's own and no
    ``--format`` was given, so an error's advice names its ``format`` key). Raises
    OptionError for an unknown time zone."""
    if request.timezone is not None and not request.timezone.strip():  # `--timezone ''`: not "the config's"
        raise OptionError("timezone", "is empty: name a time zone, such as Europe/London")
    zone = request.timezone or entry.timezone or config.timezone
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise OptionError("timezone", f"unknown time zone {zone!r}") from None
    if request.date_format:
        date_format, origin = request.date_format, request.date_format_origin
    else:
        date_format, origin = entry.date_format, f"imports[{entry.index}].date_format in {config.label}"
    return ReadSettings(
        kind=request.kind,
        tz=tz,
        format=request.format or entry.format,
        source=entry.name,
        date_format=date_format,
        date_format_origin=origin,
        columns=entry.columns,
        reference_column=entry.reference_column,
        unplanned_types=entry.unplanned_types,
        unplanned_labels=entry.unplanned_labels,
        service=request.service,
        team=request.team,
        service_map=entry.service_map,
        team_map=entry.team_map,
        services={s.name: s.team for s in config.services},
        teams=frozenset(t.name for t in config.teams),
        from_entry=from_entry,
    )


def _apply(
    config: Config,
    store: Store | None,
    request: ImportRequest,
    result: ImportResult,
    rejects: Rejects,
    open_store: Callable[[], Store] | None,
) -> ImportSummary:
    """Check what was read, then store it (or the valid part of it) unless it is a dry run;
    ``rejects``: its bad rows or items."""
    kind, file, dry_run = request.kind, request.file, request.dry_run
    if kind == "deployments":
        result = _with_rework(config, result)
        if store is not None:
            _refuse_git_names(config, file, store, result)
            result = _noting_replaced(store, result)
    summary = _summarise(file, kind, result, dry_run)
    summary.unit = rejects.unit
    if rejects.count and not request.skip_invalid:
        raise rejects.refusal(file)
    if rejects.count:
        summary.rejected = rejects.count
        if not dry_run:
            summary.rejected_file = rejects.write(file)
    if dry_run:
        return summary
    if store is None:
        if open_store is None:
            return summary
        store = open_store()
    with store.atomic(f"the import of {summary.rows} {kind if summary.rows != 1 else kind[:-1]} from {file}"):
        summary.stored = _store_rows(config, store, kind, result)
        store.log_event(int(time.time()), "import", f"{kind} {file}")
    return summary


def _with_rework(config: Config, result: ImportResult) -> ImportResult:
    """Mark imported deployments that are rework by their name or message
    (:class:`~dora_tui.ops.rework.NamedRework`)."""
    named = NamedRework(config)
    records = []
    for row in result.deployments:
        if named(row.service, row.name, row.message):
            row = dataclasses.replace(row, rework=True)
        records.append(dataclasses.astuple(row))
    return dataclasses.replace(result, records=tuple(records))


def _refuse_git_names(config: Config, file: Path, store: Store, result: ImportResult) -> None:
    """An imported deployment may not take the name of a tag of a service whose tags count
    (``deployments = "tags"``): one would hide the other. (A service whose imported
    deployments count keeps its tags aside, and a tag of the same name gives way.)"""
    clashes = []
    names: dict[str, set[str]] = {}
    for row in result.deployments:
        service = config.service(row.service)
        if service is None or source_of(service.deployments, True) != TAGS:
            continue
        if row.service not in names:
            names[row.service] = store.git_deployment_names(row.service)
        if row.name in names[row.service]:
            clashes.append(f"{file}: deployment {row.name!r} of {row.service} is already a git tag")
    if clashes:
        raise ImportRejected(
            f"{file}: {counted(len(clashes), 'deployment')} "
            f"{'has the name of a git tag' if len(clashes) == 1 else 'have the names of git tags'}; nothing was "
            f"imported (rename {'it' if len(clashes) == 1 else 'them'} in the file, or leave "
            f"{'it' if len(clashes) == 1 else 'them'} out)",
            clashes[:MAX_LISTED],
        )


def _noting_replaced(store: Store, result: ImportResult) -> ImportResult:
    """``result`` with a note naming the deployments it replaces that came from another source
    (another export of the same deployments, under another name): the import replaces them, as
    a source's own rows are replaced by its next export, and says so."""
    stored: dict[str, dict[str, str]] = {}
    replaced: Counter[str] = Counter()
    names: list[str] = []
    for row in result.deployments:
        if row.service not in stored:
            stored[row.service] = store.imported_sources(row.service)
        before = stored[row.service].get(row.name)
        if before is not None and before != row.source:
            replaced[before] += 1
            names.append(f"{row.service} {row.name!r}")
    if not names:
        return result
    sources = ", ".join(f"{source}: {count}" for source, count in sorted(replaced.items()))
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    names_of = "the same name" if len(names) == 1 else "the same names"
    note = f"replaces {counted(len(names), 'deployment')} of {names_of} stored from another source ({sources}): {shown}"
    return dataclasses.replace(result, notes=(*result.notes, note))


def _summarise(file: Path, kind: str, result: ImportResult, dry_run: bool) -> ImportSummary:
    targets: Counter[str] = Counter()
    for target, count in Counter(result.targets()).items():
        targets["(unmapped)" if target is None else target] += count
    return ImportSummary(
        file=file,
        kind=kind,
        format=result.format,
        source=result.source or result.format,
        rows=len(result.records),
        skipped=result.skipped,
        unmapped=result.unmapped,
        unmapped_values=dict(result.unmapped_values),
        by_target=dict(sorted(targets.items())),
        notes=tuple(result.notes),
        dry_run=dry_run,
    )


def _store_rows(config: Config, store: Store, kind: str, result: ImportResult) -> int:
    """Store what was read; for deployments, apply their services' one source of truth
    (:mod:`dora_tui.core.sources`) at once, so that a report before the next collect counts
    one source too."""
    # An export's records are tuples of its kind's record fields, in order (ImportResult's docstring).
    if kind == "incidents":
        return store.upsert_incident_records(cast("tuple[IncidentRecord, ...]", result.records))
    if kind == "tickets":
        return store.upsert_ticket_records(cast("tuple[TicketRecord, ...]", result.records))
    services = sorted({d.service for d in result.deployments})
    counts_tags = {}
    for name in services:
        service = config.service(name)
        counts_tags[name] = service is not None and source_of(service.deployments, True) == TAGS
        if not counts_tags[name]:  # its imported deployments count from now on: its tags' rows give way
            store.drop_tag_rows(name)
        if service is not None:  # the next collect reads the commits they carried
            store.mark_stale(str(service.repo))
    stored = store.upsert_deployments(result.deployments)
    for name in services:
        store.count_source(name, tags=counts_tags[name])
    return stored


def import_all(
    config: Config,
    store: Store | None,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Callable[[Path, int, int], None] | None = None,
) -> list[ImportSummary]:
    """Re-read every ``[[imports]]`` source, in one transaction: one bad file stores nothing."""
    if not config.imports:
        raise UsageError(f"{config.label}: no [[imports]] entries to re-read")
    summaries = []
    sources = counted(len(config.imports), "[[imports]] source")
    # A dry run only reads (its store may be open read-only): no transaction.
    writing = store.atomic(f"the import of {sources}") if store is not None and not dry_run else None
    with writing or contextlib.nullcontext():
        for source in config.imports:
            report = (lambda done, total, file=source.file: progress(file, done, total)) if progress else None
            request = ImportRequest(source.kind, source.file, dry_run=dry_run, skip_invalid=skip_invalid)
            summaries.append(import_file(config, store, request, settings=source, progress=report))
    return summaries
