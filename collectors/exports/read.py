"""Reading incident, ticket and deployment CSV exports (``dora-tui import``): :func:`read_export`.

:func:`read_export` reads one file, with one :class:`~collectors.exports.settings.ReadSettings`,
into an :class:`ImportResult`: the rows in file order, and one :class:`RowError` per bad row
(no id, an unreadable time, resolved before opened, a repeated id...). Bad rows are never
raised: the caller decides between all-or-nothing and ``--skip-invalid``. Problems with the
whole file raise :class:`~collectors.errors.InputError` as one line ``FILE: reason``:
unreadable file, unknown or undetectable format, a format that does not hold this kind, a
missing column (:class:`~collectors.errors.MissingColumn`), or day/month order that the data
leaves open. A file whose header names no format or misses a column, when the format is told
from the header, is first asked whether it is JSON after a stray line (``kubectl ... 2>&1``
writes its ``Warning: ...`` first), and refused saying where the JSON starts. (A time
column where no value reads makes each of its rows a bad row, with a note.)

The path the data takes. :func:`read_export` calls each stage once, in this order, and each
returns to it; none calls another stage:

1. the source (:mod:`~collectors.exports.source`): a file by its path, or a pipe's bytes
   read once; its encoding;
2. the header (:mod:`~collectors.exports.reader`), the format
   (:mod:`~collectors.exports.presets`) and the plan (:mod:`~collectors.exports.plan`): which
   columns hold which field;
3. reading (:mod:`~collectors.exports.extract`): one pass over the records, keeping each
   record's needed values and the line it starts on, and the bad rows a CSV reader lets
   through with their fields; then the same values by column, without the records that
   hold a NUL byte (:func:`~collectors.exports.check.nul_rows`);
4. time columns (:func:`~collectors.exports.fields.read_time_fields`): each time column read
   once, its day/month order decided from the whole column;
5. building rows (:mod:`~collectors.exports.rows`): the records as tuples of their model's
   fields, a column at a time, and the rows that break a rule, by line and reason;
6. bad rows (:func:`~collectors.exports.check.row_errors`): each one's reason and fields.

Then ``dora_tui.ops.imports`` checks the result against the database and stores it.

Bad rows' fields. The rows found bad while reading keep theirs. Those found bad later (a NUL
byte, no id, an unreadable time, a repeated id...) and those whose quoting broke the reader
are read again in step 6: a second pass over the same open file (or the bytes of a pipe),
made only when there are any, which stops at the last of them
(:meth:`~collectors.exports.reader.CsvFile.rows_at`). Keeping every record's fields through
the read instead, to have them at hand, would hold the whole export as Python strings: for
a large export several times the memory an import takes (measured in bench/README.md).

No SQL here and no Textual or Rich: see ``dora_tui.store.database`` for writing the rows.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from itertools import starmap
from operator import itemgetter
from pathlib import Path

from collectors.errors import InputError
from collectors.exports import check
from collectors.exports import presets as _presets
from collectors.exports.extract import extract
from collectors.exports.fields import Mapper, read_time_fields
from collectors.exports.plan import make_plan
from collectors.exports.reader import WINDOWS_1252, CsvFile, NotUtf8
from collectors.exports.rows import Built, Rules, build_deployments, build_incidents, build_tickets
from collectors.exports.settings import ReadSettings
from collectors.exports.source import CsvSource
from collectors.records import Deployment, Incident, Ticket

__all__ = [
    "KINDS",
    "PRESETS",
    "CsvSource",
    "ImportResult",
    "ReadSettings",
    "RowError",
    "file_format",
    "gc_paused",
    "read_export",
]

PRESETS: tuple[str, ...] = tuple(_presets.PRESETS)
"""The format names: the tools' presets, ``deployments`` and ``generic`` (README, ``dora-tui import``)."""

KINDS = _presets.KINDS
MODELS: dict[str, type[Incident] | type[Ticket] | type[Deployment]] = {
    "incidents": Incident,
    "tickets": Ticket,
    "deployments": Deployment,
}
"""The model of each kind's rows."""

_BUILDERS: dict[str, Callable[[Rules, list[int], list[tuple[str, ...]], Sequence[Sequence[str]]], Built]] = {
    "incidents": build_incidents,
    "tickets": build_tickets,
    "deployments": build_deployments,
}


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
    lines. ``skipped`` counts rows left out on purpose: on ``import incidents`` from Jira or
    Freshservice, the rows whose type is not Incident. ``notes`` says how ambiguous things
    were read (day/month order).
    """

    format: str
    kind: str
    records: tuple[tuple[object, ...], ...]
    errors: tuple[RowError, ...]
    fieldnames: tuple[str, ...]
    unmapped: int
    unmapped_values: dict[str, int]
    skipped: int = 0
    source: str = ""
    notes: tuple[str, ...] = ()

    @cached_property
    def rows(self) -> tuple[Incident | Ticket | Deployment, ...]:
        """The records as :class:`~collectors.records.Incident`, ``Ticket`` or ``Deployment`` objects."""
        return tuple(starmap(MODELS[self.kind], self.records))

    @cached_property
    def deployments(self) -> tuple[Deployment, ...]:
        """The records of a ``deployments`` read as :class:`~collectors.records.Deployment`
        objects (none for another kind)."""
        return tuple(starmap(Deployment, self.records)) if self.kind == "deployments" else ()

    def targets(self) -> list[str | None]:
        """What each record maps to: its team (tickets) or service (incidents, deployments);
        None when unmapped."""
        names = [f.name for f in dataclasses.fields(MODELS[self.kind])]
        position = names.index("team" if self.kind == "tickets" else "service")
        return list(map(itemgetter(position), self.records))


def file_format(
    path: str | Path | CsvSource, kind: str, format: str = "auto", columns: Mapping[str, str] | None = None
) -> str | None:
    """The format :func:`read_export` would read ``path`` with as ``kind``, or None.

    None when the file cannot be read, its format cannot be told, or it does not hold
    ``kind``. Only the header is read, and only for ``auto``.
    """
    if format and format.strip().lower() != "auto":
        preset = _presets.lookup(format)
        return preset.name if preset is not None and kind in preset.kinds else None
    for encoding in ("", WINDOWS_1252):
        try:
            with CsvFile(path, encoding) as f:
                return _presets.choose(f.label, kind, format, f.header.names, columns or {}).name
        except NotUtf8:
            continue
        except InputError:
            return None
    return None


def read_export(
    path: str | Path | CsvSource, settings: ReadSettings, progress: Callable[[int, int], None] | None = None
) -> ImportResult:
    """Read the export at ``path`` with ``settings`` (see the module docstring for the stages).

    ``path`` may be a :class:`CsvSource` already made (a pipe read into memory once), whose
    name every message then shows. ``progress(bytes_read, total_bytes)`` is called now and
    then while reading.
    """
    label = path.label if isinstance(path, CsvSource) else str(path)
    kind = settings.kind
    if kind not in KINDS:
        raise InputError(f"{label}: unknown kind {kind!r} (expected {', '.join(KINDS)})")
    source = CsvSource.of(path)
    try:
        return _read(source, label, settings, progress, "")
    except NotUtf8 as exc:
        result = _read(source, label, settings, progress, WINDOWS_1252)  # raises naming both encodings
        note = (
            f"not UTF-8 text (line {exc.line}): read as Windows-1252; if names or titles look wrong, "
            "save the export as UTF-8 CSV"
        )
        return dataclasses.replace(result, notes=(note, *result.notes))


def _read(
    path: CsvSource, label: str, settings: ReadSettings, progress: Callable[[int, int], None] | None, encoding: str
) -> ImportResult:
    """:func:`read_export` of ``path`` in ``encoding`` (``""``: told from its first bytes)."""
    kind = settings.kind
    with gc_paused(), CsvFile(path, encoding) as f:
        try:
            preset = _presets.choose(
                label, kind, settings.format, f.header.names, settings.columns, entry=settings.from_entry
            )
            plan = make_plan(f, preset, settings)
        except InputError:
            if not settings.format or settings.format.strip().lower() == "auto":
                _refuse_stray_json(path, label)
            raise
        got = extract(f, plan, progress)
        recs = got.records
        cols = list(zip(*recs)) if recs else [()] * plan.size  # the same values, by column
        hostile = check.nul_rows(plan.fields, plan.offset, got.lines, recs, cols) if f.nul_possible else []
        if hostile:
            cols = list(zip(*recs)) if recs else [()] * plan.size
        times, notes = read_time_fields(
            label,
            kind,
            plan.fields,
            cols,
            got.others,
            settings.tz,
            settings.date_format,
            plan.offset is not None,
            settings.date_format_origin,
        )
        rules = Rules(
            source=settings.source or preset.name,
            fields=plan.fields,
            times=times,
            mapper=Mapper(settings.service_map, settings.team_map, settings.services, settings.teams),
            service=settings.service,
            team=settings.team,
            unplanned_types=frozenset(t.casefold() for t in settings.unplanned_types),
            unplanned_labels=frozenset(t.casefold() for t in settings.unplanned_labels),
            offset=plan.offset,
            team_from_key=plan.team_from_key,
        )
        built = _BUILDERS[kind](rules, got.lines, recs, cols)
        late = hostile + built.errors
        unread = check.unread_lines(got.early, late)
        rows = f.rows_at(unread) if unread else {}
        errors = check.row_errors(f.header, got.early, late, rows, plan.single_columns)
    return ImportResult(
        format=preset.name,
        kind=kind,
        records=tuple(built.records),
        errors=tuple(starmap(RowError, errors)),
        fieldnames=f.header.names,
        unmapped=built.unmapped,
        unmapped_values=built.unmapped_values,
        skipped=len(got.others),
        source=rules.source,
        notes=(*plan.notes, *notes),
    )


def _refuse_stray_json(path: CsvSource, label: str) -> None:
    """Raise InputError when ``path``, whose header names no format or misses a column, is
    JSON after stray lines (a warning ``2>&1`` wrote into the file): the words of a JSON
    format's read of it (:func:`collectors.items.load.stray_refusal`), said in place of the
    header's error. The whole file is read only when its first :data:`HEAD` bytes hold a line
    opening a JSON array or object (a large CSV export of an unknown header is not)."""
    from collectors.items.load import stray_refusal  # here: only on the way to an error
    from collectors.items.not_json import HEAD

    try:
        with path.open() as handle:
            data = handle.read(HEAD) or b""
            if not any(line.lstrip(b"\x00")[:1] in (b"[", b"{") for line in data.splitlines()[1:]):  # UTF-16/32
                return
            data += handle.read() or b""
    except (InputError, OSError):
        return
    refusal = stray_refusal(data, label)
    if refusal is not None:
        raise InputError(refusal) from None


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block (nested blocks are fine).

    Reading keeps every record: hundreds of thousands of new tuples, which the collector
    would otherwise walk again and again. Nothing made here forms a cycle, so collection
    can wait until the rows are built, and a caller that goes on to store them can hold it
    off until they are freed.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
