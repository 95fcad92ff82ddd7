"""Which columns of an export hold which field, and how a record's needed values are pulled out.

:func:`make_plan` turns a format (:mod:`collectors.exports.presets`), the file's header and
the read's settings into a :class:`Plan`: each field's positions in the tuple one
:func:`operator.itemgetter` pulls out of every record (only the columns some field needs),
and what the reading loop (:mod:`collectors.exports.extract`) checks on the way. A column a
field cannot do without that the file lacks raises :class:`~collectors.errors.InputError`.

The column a row is mapped from (an incident's service; a ticket's team, else its service) is
not one of those: without it every row is stored unmapped, and :attr:`Plan.notes` says which
column was missing and how to map the rows (README, ``dora-tui import``). A format whose ids
name a project (Jira's ``OPS-311``) takes a ticket's or incident's team value from the id's
prefix when the file has no project column (:attr:`Plan.team_from_key`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter

from collectors.errors import InputError, MissingColumn
from collectors.exports import check
from collectors.exports import presets as _presets
from collectors.exports.fields import Field
from collectors.exports.reader import CsvFile, Header
from collectors.exports.settings import ReadSettings

FIELDS = {
    "incidents": ("id", "opened", "resolved", "service", "team", "severity", "title", "reference", "type"),
    "tickets": ("id", "opened", "resolved", "service", "team", "type", "status", "labels", "title"),
    "deployments": ("service", "name", "opened", "sha", "message"),
}
"""The fields read for each kind."""

_WORDS = {"id": "id", "opened": "time", "name": "name", "service": "service", "team": "team", "type": "type"}


@dataclass
class Plan:
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
    notes: tuple[str, ...] = ()  # how the rows are read without a column (see the module docstring)
    team_from_key: bool = False  # the team value is the id's prefix (``OPS`` of ``OPS-311``)


def make_plan(f: CsvFile, preset: _presets.Preset, settings: ReadSettings) -> Plan:
    """The plan for reading ``f`` in ``preset``'s format with ``settings``.

    Raises InputError naming the file for a column named by ``columns`` or
    ``reference_column`` that the file lacks, and :class:`~collectors.errors.MissingColumn`
    for a field the rows cannot do without.
    """
    label, kind, header, width = f.label, settings.kind, f.header, f.width
    spec = _spec(label, kind, preset, header, settings.columns, settings.reference_column)
    used: dict[int, int] = {}  # file position -> index in the extracted tuple

    def at(p: int) -> int:
        return used.setdefault(p, len(used))

    fields: dict[str, Field] = {}
    for name in FIELDS[kind]:
        cands = spec.get(name, ())
        ps = list(dict.fromkeys(p for c in cands for p in header.find(c)))
        if ps:
            fields[name] = Field(tuple(at(p) for p in ps), tuple(header.label(p) for p in ps), header.label(ps[0]))
        else:  # no such column: the always-empty field appended to every row
            fields[name] = Field((at(width),), ("",), cands[0] if cands else name)
    _require(label, kind, preset, fields, settings.service)
    team_from_key = kind != "deployments" and preset.team_from_key and not fields["team"].labels[0]
    if team_from_key:
        fields["team"] = fields["id"]
    notes = _unmapped_note(kind, preset, fields, settings.service, settings.team)
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
    getter = itemgetter(*order) if len(order) > 1 else _one(order[0])
    key_pos = fields["name" if kind == "deployments" else "id"].positions[0]
    single = check.single_positions(fields, offset)
    return Plan(
        fields,
        getter,
        key_pos,
        filter_pos,
        offset,
        width in used,
        len(order),
        itemgetter(*single),
        tuple(sorted(order[p] for p in single)),
        notes,
        team_from_key,
    )


def _one(position: int) -> Callable[[list[str]], tuple[str, ...]]:
    """What ``itemgetter`` would be for several positions, for one: the value in a tuple."""

    def get(row: list[str], _p: int = position) -> tuple[str, ...]:
        return (row[_p],)

    return get


def _spec(
    label: str, kind: str, preset: _presets.Preset, header: Header, columns: Mapping[str, str], reference_column: str
) -> dict[str, tuple[str, ...]]:
    """Each field's candidate column names: the format's, with those the settings name."""
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


def _require(label: str, kind: str, preset: _presets.Preset, fields: dict[str, Field], service: str | None) -> None:
    """Raise MissingColumn for a field the rows cannot do without that has no column (a
    deployment's service among them: a deployment is never stored unmapped)."""
    need = {"incidents": ["id", "opened"], "tickets": ["id", "opened"], "deployments": ["name", "opened"]}[kind]
    if kind == "deployments" and service is None:
        need.append("service")
    for name in need:
        fld = fields[name]
        if not fld.labels[0]:
            raise MissingColumn(
                f"{label}: missing column {fld.label!r}, needed for the "
                f"{_WORDS[name]} of {kind} ({preset.name} format)",
                instead="service" if name == "service" else "",
            )


UNMAPPED_NOTE = (
    "the export has no column {column!r} ({preset} format), which {kind} are mapped to a {what} from: "
    "every row is stored unmapped. Map them with --{what} NAME (one {what} for the whole file), "
    'columns = {{ {what} = "COLUMN" }} in the [[imports]] entry (another column that holds it, '
    "its values mapped by {what}_map), or add the column to the export"
)
"""What an import says when the column its rows are mapped from is missing."""


def _unmapped_note(
    kind: str, preset: _presets.Preset, fields: dict[str, Field], service: str | None, team: str | None
) -> tuple[str, ...]:
    """The note for an export lacking the column its rows are mapped from (none when
    ``--service``/``--team`` stands in for it, or a deployments export: see :func:`_require`)."""
    if kind == "deployments":
        return ()
    if kind == "incidents":
        missing = "service" if service is None and not fields["service"].labels[0] else ""
    else:
        unmapped = team is None and service is None
        missing = "team" if unmapped and not fields["team"].labels[0] and not fields["service"].labels[0] else ""
    if not missing:
        return ()
    note = UNMAPPED_NOTE.format(column=fields[missing].label, preset=preset.name, kind=kind, what=missing)
    return (note,)
