"""Reading incident, ticket and deployment CSV exports (``dora-tui import``): parsing and mapping.

:func:`read_export` reads one file into :class:`ImportResult`: the rows in file order, and
one :class:`RowError` per bad row (no id, an unreadable time, resolved before opened, a
repeated id...). Bad rows are never raised: the caller decides between all-or-nothing and
``--skip-invalid``. Problems with the whole file raise :class:`~dora_tui.errors.InputError`
as one line ``FILE: reason``: unreadable file, unknown or undetectable format, a format
that does not hold this kind, a missing column, or day/month order that the data leaves
open. (A time column where no value reads makes each of its rows a bad row, with a note.)

The work is done in three passes over memory, not over the file: the records' needed
columns are pulled out with one :func:`operator.itemgetter` per row (and then turned into
columns); each time column is read once (:mod:`collectors.exports.date_columns`), which is also where
the day/month order is decided from the whole column; then rows are built a column at a
time (:mod:`collectors.exports.rows`). Records that a CSV reader lets through but that cannot be
right (a NUL byte, a line break where a field has none: :mod:`collectors.exports.check`) are bad
rows. Only when there are bad rows whose fields were not kept is the same open file (or the
bytes of a pipe) read a second time, to hand back their full original fields.

No SQL here and no Textual or Rich: see ``dora_tui.store.database`` for writing the rows.
"""

from __future__ import annotations

import csv
import dataclasses
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from itertools import starmap
from operator import itemgetter
from pathlib import Path
from zoneinfo import ZoneInfo

from collectors.errors import InputError
from collectors.exports import check as csvcheck
from collectors.exports import presets as _presets
from collectors.exports.fields import Field, Mapper, read_time_fields
from collectors.exports.presets import DEFAULT_UNPLANNED_LABELS, DEFAULT_UNPLANNED_TYPES, severity_level
from collectors.exports.reader import CsvFile, CsvSource, Header
from collectors.exports.rows import Rules, build_deployments, build_incidents, build_tickets
from collectors.records import Deployment, Incident, Ticket

__all__ = [
    "KINDS",
    "PRESETS",
    "CsvSource",
    "ImportResult",
    "RowError",
    "detect_format",
    "gc_paused",
    "read_export",
    "severity_level",
]

PRESETS: tuple[str, ...] = tuple(_presets.PRESETS)
"""The format names: the tools' presets, ``deployments`` and ``generic`` (see SPEC section 6)."""

KINDS = _presets.KINDS
MODELS: dict[str, type] = {"incidents": Incident, "tickets": Ticket, "deployments": Deployment}
"""The model of each kind's rows."""

_FIELDS = {
    "incidents": ("id", "opened", "resolved", "service", "team", "severity", "title", "reference", "type"),
    "tickets": ("id", "opened", "resolved", "service", "team", "type", "status", "labels", "title"),
    "deployments": ("service", "name", "opened", "sha", "message"),
}
_WORDS = {"id": "id", "opened": "time", "name": "name", "service": "service", "team": "team", "type": "type"}


@dataclass(frozen=True)
class RowError:
    """A row that cannot be imported: where it starts, why, and its fields as read.

    ``line`` is the physical line the record starts on (the header is line 1). ``raw``
    maps each column name to its value (a repeated name holds its non-empty values joined
    by ``", "``); ``values`` is the record exactly as read, aligned with
    :attr:`ImportResult.fieldnames` (padded when short), for writing ``FILE.rejected.csv``.
    """

    line: int
    reason: str
    raw: dict[str, str]
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportResult:
    """What one export holds.

    ``records`` are the rows in file order, each a tuple of its model's fields in order
    (:class:`~collectors.records.Incident`, ``Ticket`` or ``Deployment``): what the store
    writes. :attr:`rows` makes the objects, on first use. ``unmapped`` counts rows kept
    without a service (incidents) or a team (tickets); ``unmapped_values`` counts them by the
    file's value (an incident's first service value, a ticket's team value, else its service
    value; ``""`` when empty), for ``doctor`` to suggest ``service_map`` / ``team_map``
    lines. ``skipped`` counts rows
    left out on purpose: on ``import incidents`` from Jira or Freshservice, the rows whose
    type is not Incident. ``notes`` says how ambiguous things were read (day/month order).
    """

    format: str
    kind: str
    records: tuple[tuple, ...]
    errors: tuple[RowError, ...]
    fieldnames: tuple[str, ...]
    unmapped: int
    unmapped_values: dict[str, int]
    skipped: int = 0
    source: str = ""
    notes: tuple[str, ...] = ()

    @cached_property
    def rows(self) -> tuple:
        """The records as :class:`~collectors.records.Incident`, ``Ticket`` or ``Deployment`` objects."""
        return tuple(starmap(MODELS[self.kind], self.records))

    def column(self, name: str) -> list:
        """Every record's value of the model's field ``name``."""
        names = [f.name for f in dataclasses.fields(MODELS[self.kind])]
        return list(map(itemgetter(names.index(name)), self.records))


def detect_format(fieldnames: Iterable[str]) -> str | None:
    """The format a header row belongs to, or None (``generic`` is never detected)."""
    return _presets.detect(fieldnames)


def file_format(
    path: str | Path | CsvSource, kind: str, format: str = "auto", columns: Mapping[str, str] = {}
) -> str | None:
    """The format :func:`read_export` would read ``path`` with as ``kind``, or None.

    None when the file cannot be read, its format cannot be told, or it does not hold
    ``kind``. Only the header is read, and only for ``auto``.
    """
    if format and format.strip().lower() != "auto":
        preset = _presets.lookup(format)
        return preset.name if preset is not None and kind in preset.kinds else None
    try:
        with CsvFile(path) as f:
            return _presets.choose(f.label, kind, format, f.header.names, columns).name
    except InputError:
        return None


def read_export(
    path: str | Path | CsvSource,
    kind: str,
    *,
    format: str = "auto",
    source: str = "",
    tz: ZoneInfo,
    date_format: str = "",
    date_format_origin: str = "--date-format",
    service_map: Mapping[str, str] = {},
    team_map: Mapping[str, str] = {},
    reference_column: str = "",
    unplanned_types: Iterable[str] = DEFAULT_UNPLANNED_TYPES,
    unplanned_labels: Iterable[str] = DEFAULT_UNPLANNED_LABELS,
    columns: Mapping[str, str] = {},
    service: str | None = None,
    team: str | None = None,
    services: Mapping[str, str | None] = {},
    teams: frozenset[str] = frozenset(),
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Read the export at ``path`` as ``kind`` rows (``incidents``, ``tickets``, ``deployments``).

    ``path`` may be a :class:`CsvSource` already made (a pipe read into memory once), whose
    name every message then shows.

    ``format`` is a name of :data:`PRESETS` or ``auto`` (detected from the header; with no
    match, ``generic`` when ``columns`` is given, ``deployments`` for that kind). ``source``
    (default: the format name) is stored on every row, the first half of the upsert key.
    Naive times are read in ``tz``; ``date_format`` (strptime codes) reads every time
    column instead of the built-in styles (``date_format_origin``: where it was given, for
    messages). ``columns`` names the file's column for a field
    (keys as in the config's ``columns``: ``id``, ``opened_at``... / ``key``,
    ``created_at``... / ``service``, ``name``, ``time``...); for a preset it overrides the
    preset's column. ``reference_column`` names the incidents' deployment reference.

    Mapping: the service is ``service`` when given, else ``service_map[value]``, else the
    value when it names one of ``services``; else None (unmapped, still kept). The team is
    ``team``, else ``team_map[value]``, else the value when it is one of ``teams``, else the
    team of the mapped service (``services`` maps service -> team). A deployment whose
    service cannot be mapped is a row error. ``progress(bytes_read, total_bytes)`` is
    called now and then while reading.
    """
    label = path.label if isinstance(path, CsvSource) else str(path)
    if kind not in KINDS:
        raise InputError(f"{label}: unknown kind {kind!r} (expected {', '.join(KINDS)})")
    with gc_paused(), CsvFile(path) as f:
        preset = _presets.choose(label, kind, format, f.header.names, columns)
        spec = _spec(label, kind, preset, f.header, columns, reference_column)
        plan = _plan(label, kind, preset, f, spec, service, team)
        starts, recs, early, others = _extract(f, plan, progress)
        cols = list(zip(*recs)) if recs else [()] * plan.size  # the same values, by column
        hostile = csvcheck.nul_rows(plan.fields, plan.offset, starts, recs, cols) if f.nul_possible else []
        if hostile:
            cols = list(zip(*recs)) if recs else [()] * plan.size
        times, notes = read_time_fields(
            label, kind, plan.fields, cols, others, tz, date_format, plan.offset is not None, date_format_origin
        )
        rules = Rules(
            source=source or preset.name,
            fields=plan.fields,
            times=times,
            mapper=Mapper(service_map, team_map, services, teams),
            service=service,
            team=team,
            unplanned_types=frozenset(t.casefold() for t in unplanned_types),
            unplanned_labels=frozenset(t.casefold() for t in unplanned_labels),
            offset=plan.offset,
        )
        build = {"incidents": build_incidents, "tickets": build_tickets, "deployments": build_deployments}[kind]
        built = build(rules, starts, recs, cols)
        errors = csvcheck.row_errors(f, early, hostile + built.errors, plan.single_columns)
    return ImportResult(
        format=preset.name,
        kind=kind,
        records=tuple(built.records),
        errors=tuple(starmap(RowError, errors)),
        fieldnames=f.header.names,
        unmapped=built.unmapped,
        unmapped_values=built.unmapped_values,
        skipped=len(others),
        source=rules.source,
        notes=tuple(notes),
    )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block (nested blocks are fine).

    Reading keeps every record: hundreds of thousands of new tuples, which make the
    collector walk all of them again and again (it doubled the time of a large import).
    Nothing made here forms a cycle, so collection can wait until the rows are built, and
    a caller that goes on to store them can hold it off until they are freed.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class _Plan:
    """Where each field is: ``fields`` index into the tuples ``getter`` pulls out of a row."""

    fields: dict[str, Field]
    getter: Callable[[list[str]], tuple[str, ...]]
    key_pos: int  # the id (or deployment name): a record without it may be all empty
    filter_pos: int  # the type, for formats mixing incidents with other work; -1 for none
    offset: Field | None  # a per-row UTC offset column (Shortcut)
    pad: bool  # some field has no column: append the always-empty field to each row
    size: int  # how many values ``getter`` pulls out
    single: Callable[[tuple[str, ...]], Iterable[str]] = tuple  # the values that hold no line break
    single_columns: tuple[int, ...] = ()  # their file positions


def _plan(
    label: str,
    kind: str,
    preset: _presets.Preset,
    f: CsvFile,
    spec: dict[str, tuple[str, ...]],
    service: str | None,
    team: str | None,
) -> _Plan:
    header, width = f.header, f.width
    used: dict[int, int] = {}  # file position -> index in the extracted tuple

    def at(p: int) -> int:
        return used.setdefault(p, len(used))

    fields: dict[str, Field] = {}
    for name in _FIELDS[kind]:
        cands = spec.get(name, ())
        ps = list(dict.fromkeys(p for c in cands for p in header.find(c)))
        if ps:
            fields[name] = Field(tuple(at(p) for p in ps), tuple(header.label(p) for p in ps), header.label(ps[0]))
        else:  # no such column: the always-empty field appended to every row
            fields[name] = Field((at(width),), ("",), cands[0] if cands else name)
    _require(label, kind, preset, fields, service, team)
    filter_pos = -1
    if kind == "incidents" and preset.incident_types:
        if not fields["type"].labels[0]:
            raise InputError(
                f"{label}: missing column {fields['type'].label!r}, needed to "
                f"tell incidents from other {preset.name} rows"
            )
        filter_pos = fields["type"].positions[0]
    offset = None
    if preset.offset_column and header.find(preset.offset_column):
        p = header.find(preset.offset_column)[0]
        offset = Field((at(p),), (header.label(p),), header.label(p))
    order = sorted(used, key=used.__getitem__)
    getter = itemgetter(*order) if len(order) > 1 else (lambda row, _p=order[0]: (row[_p],))
    key_pos = fields["name" if kind == "deployments" else "id"].positions[0]
    single = csvcheck.single_positions(fields, offset)
    return _Plan(
        fields,
        getter,
        key_pos,
        filter_pos,
        offset,
        width in used,
        len(order),  # type: ignore[arg-type]
        itemgetter(*single),
        tuple(sorted(order[p] for p in single)),
    )


Records = csvcheck.Records
Early = csvcheck.Early


def _extract(
    f: CsvFile, plan: _Plan, progress: Callable[[int, int], None] | None
) -> tuple[list[int], Records, Early, Records]:
    """Read every record: (start lines, records to import, early errors, records skipped by type).

    This is the loop over the file: it stays lean (no per-row dict, one itemgetter). An early
    error carries its row; a record whose quoting broke the reader has none (``None``), and
    its reason names the column once its fields are read again (``csvcheck.row_errors``).
    Only a record over several lines has its fields that hold no line break looked at (one
    join, in C): a line break in one is a quote left open (``csvcheck.runs_on``).
    """
    width, getter, key_pos, filt, pad = f.width, plan.getter, plan.key_pos, plan.filter_pos, plan.pad
    single, single_columns, header = plan.single, plan.single_columns, f.header
    starts: list[int] = []
    recs: Records = []
    early: Early = []
    others: Records = []
    add_start, add_rec = starts.append, recs.append
    types = _presets.INCIDENT_TYPES
    total = f.size if progress else 0
    report = 8192 if progress else -1  # when len(recs) reaches it, report progress
    reader, skip, last = f.reader, f.skip, f.header_end
    is_end = f.is_end
    while True:
        try:
            for row in reader:
                start = last + 1
                last = skip + reader.line_num
                if len(row) != width:
                    n = len(row)
                    if n < width:
                        if not n:
                            continue  # a blank line
                        row.extend([""] * (width - n))
                    elif n == width + 1 and is_end(row):
                        break  # the line fed after the file's last: every record was whole
                    elif any(x.strip() for x in row[width:]):
                        early.append((start, f"{n} fields, the header has {width}", row))
                        continue
                    else:
                        del row[width:]
                if pad:
                    row.append("")
                vals = getter(row)
                if last != start:  # over several lines: only free text may hold a line break
                    text = "".join(single(vals))
                    if "\n" in text or "\r" in text:
                        early.append((start, csvcheck.runs_on(header, row, start, single_columns), row[:width]))
                        continue
                if not vals[key_pos] and not any(x.strip() for x in row):
                    continue  # a record of empty fields (",,,,")
                if filt >= 0 and vals[filt].strip().casefold() not in types:
                    others.append(vals)  # not imported, but its dates tell day/month order
                    continue
                add_start(start)
                add_rec(vals)
                if len(recs) == report:
                    progress(f.tell(), total)  # type: ignore[misc]
                    report += 8192
            else:  # the last record swallowed the line fed after the file: a quote never closed
                csvcheck.unclosed(f, row, start, (starts, recs), early, others)
            break
        except csv.Error:  # a closing quote followed by other text; read on from the next line
            start, last = last + 1, skip + reader.line_num
            early.append((start, csvcheck.broken(start, last), None))
        except UnicodeDecodeError as exc:
            raise f.error(exc, last + 1) from None
    if progress is not None:
        progress(total, total)
    return starts, recs, early, others


def _spec(
    label: str, kind: str, preset: _presets.Preset, header: Header, columns: Mapping[str, str], reference_column: str
) -> dict[str, tuple[str, ...]]:
    spec = dict(_presets.generic_defaults(kind) if preset.name == "generic" else preset.columns)
    try:
        named = _presets.generic_columns(kind, columns, label)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    for key, column in columns.items():
        if column not in header:
            raise InputError(f"{label}: no column {column!r} (named by columns.{key})")
    spec.update(named)
    if reference_column and kind == "incidents":
        if reference_column not in header:
            raise InputError(f"{label}: no column {reference_column!r} (named by reference_column)")
        spec["reference"] = (reference_column,)
    return spec


def _require(
    label: str, kind: str, preset: _presets.Preset, fields: dict[str, Field], service: str | None, team: str | None
) -> None:
    need = {"incidents": ["id", "opened"], "tickets": ["id", "opened"], "deployments": ["name", "opened"]}[kind]
    if kind == "incidents" and service is None:
        need.append("service")
    if kind == "deployments" and service is None:
        need.append("service")
    for name in need:
        fld = fields[name]
        if not fld.labels[0]:
            hint = " (or give --service)" if name == "service" else ""
            raise InputError(
                f"{label}: missing column {fld.label!r}, needed for the "
                f"{_WORDS[name]} of {kind} ({preset.name} format){hint}"
            )
    if (
        kind == "tickets"
        and service is None
        and team is None
        and not fields["team"].labels[0]
        and not fields["service"].labels[0]
    ):
        raise InputError(
            f"{label}: missing column {fields['team'].label!r}, needed for the "
            f"team of tickets ({preset.name} format) (or give --team)"
        )
