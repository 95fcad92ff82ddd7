"""The pieces the CSV row builders work with: where fields are, times, mapping.

:class:`Field` says where a field's columns are in a record's tuple; :class:`TimeField`
reads a time field through its columns' :class:`~collectors.exports.date_columns.ColumnDates`;
:class:`Mapper` maps a file's service and team values to configured names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timezone
from operator import itemgetter
from zoneinfo import ZoneInfo

from collectors.errors import InputError
from collectors.exports.date_columns import ColumnDates
from collectors.exports.date_order import DAY_FIRST, decide_order
from collectors.exports.dates import Localizer, suggest_format

_SPLIT = re.compile(r"\s*[,;]\s*")


@dataclass(frozen=True)
class Field:
    """Where a field is in a record's tuple: ``positions`` (best first) and their column names."""

    positions: tuple[int, ...]
    labels: tuple[str, ...]
    label: str  # for messages: the first column present, else the first candidate name

    def first(self, vals: tuple[str, ...]) -> str:
        """The first non-empty value of the field, stripped ('' when none)."""
        for p in self.positions:
            v = vals[p]
            if v and (v := v.strip()):
                return v
        return ""


@dataclass
class TimeField:
    """A time field: its columns (best first) and their :class:`ColumnDates` readers."""

    field: Field
    columns: tuple[ColumnDates | None, ...]  # None for the always-empty column

    def read(self, vals: tuple[str, ...], row_offset: int | None = None) -> tuple[int | None, str, str]:
        """(UTC seconds, None when empty, or :data:`~collectors.exports.date_columns.BAD`), the text and
        its column name."""
        for p, cd, label in zip(self.field.positions, self.columns, self.field.labels):
            raw = vals[p]
            if not raw or cd is None:
                continue
            t = cd.convert(raw, row_offset)
            if t is not None:
                return t, raw.strip(), label
        return None, "", self.field.label


class Mapper:
    """Maps a file's service and team values to configured names (cached per raw value).

    A service value maps through ``service_map``, else to the service of that name (exact,
    then ignoring case). A team value maps through ``team_map``, else to the team of that
    name; an Azure DevOps area path also tries its parent paths in ``team_map`` and its
    last segment as a team name.
    """

    def __init__(
        self,
        service_map: Mapping[str, str],
        team_map: Mapping[str, str],
        services: Mapping[str, str | None],
        teams: frozenset[str],
    ) -> None:
        self.services = services
        self._smap = _folded(service_map)
        self._sknown = _folded({s: s for s in services})
        self._tmap = _folded(team_map)
        self._tknown = _folded({t: t for t in teams})
        self._scache: dict[str, str | None] = {}
        self._tcache: dict[str, str | None] = {}

    def service(self, raw: str) -> str | None:
        """The service for file value ``raw``, or None."""
        try:
            return self._scache[raw]
        except KeyError:
            found = _look(self._smap, raw) or _look(self._sknown, raw)
            self._scache[raw] = found
            return found

    def first_service(self, raws: tuple[str, ...]) -> str | None:
        """The service of the first of ``raws`` that maps to one."""
        for raw in raws:
            s = self.service(raw)
            if s is not None:
                return s
        return None

    def team(self, raw: str) -> str | None:
        """The team for file value ``raw``, or None."""
        try:
            return self._tcache[raw]
        except KeyError:
            found = _look(self._tmap, raw) or _look(self._tknown, raw)
            if found is None and "\\" in raw:
                parts = raw.split("\\")
                for i in range(len(parts) - 1, 0, -1):
                    found = _look(self._tmap, "\\".join(parts[:i]))
                    if found:
                        break
                found = found or _look(self._tknown, parts[-1])
            self._tcache[raw] = found
            return found


@dataclass(frozen=True)
class UnplannedRule:
    """When a ticket is unplanned work (README, ``dora-tui import``): its type is one of
    ``types``, or one of its labels one of ``labels`` (case ignored). A format without a type
    (Linear, Trello, GitHub issues: ``has_type`` false) names the type with a label, so its
    labels are checked against both lists. Every ticket reader, CSV or JSON, decides by it."""

    types: frozenset[str]
    labels: frozenset[str]

    @classmethod
    def of(cls, types: Iterable[str], labels: Iterable[str], *, has_type: bool = True) -> UnplannedRule:
        """The rule for the ``unplanned`` settings ``types`` and ``labels``."""
        folded_types = frozenset(t.casefold() for t in types)
        folded_labels = frozenset(t.casefold() for t in labels)
        return cls(folded_types, folded_labels if has_type else folded_labels | folded_types)

    def by_type(self, typ: str) -> bool:
        """Whether the type ``typ`` makes a ticket unplanned."""
        return typ.casefold() in self.types

    def by_labels(self, labels: Iterable[str]) -> bool:
        """Whether one of ``labels`` makes a ticket unplanned."""
        return any(x.casefold() in self.labels for x in labels)


def _folded(m: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    return dict(m), {k.strip().casefold(): v for k, v in m.items()}


def _look(maps: tuple[dict[str, str], dict[str, str]], raw: str) -> str | None:
    exact, folded = maps
    found = exact.get(raw)
    if found is None and raw:
        found = folded.get(raw.casefold())
    return found


def split_labels(cells: tuple[str, ...]) -> tuple[str, ...]:
    """Labels from one or more cells, each split on ``,`` or ``;``, blanks and repeats dropped."""
    out: dict[str, None] = {}
    for cell in cells:
        for part in _SPLIT.split(cell):
            if part:
                out[part] = None
    return tuple(out)


def read_time_fields(
    label: str,
    kind: str,
    fields: dict[str, Field],
    cols: Sequence[Sequence[str]],
    others: list[tuple[str, ...]],
    tz: ZoneInfo | timezone,
    date_format: str,
    row_offsets: bool,
    date_format_origin: str,
) -> tuple[dict[str, TimeField], list[str]]:
    """Read each time column (``cols``: the records' values by position); decide day/month
    order from the whole column (or file).

    ``date_format_origin`` says where ``date_format`` was given, for the note when no value
    of a column matches it (:attr:`ReadSettings.date_format_origin`: the command line's option,
    or a config entry's ``date_format``).

    ``others`` are the records skipped by type: their dates are not read, but they are
    part of the column and count as day/month evidence.
    """
    names = ("opened", "resolved") if kind != "deployments" else ("opened",)
    columns: dict[int, ColumnDates] = {}
    for name in names:
        fld = fields[name]
        for p, col in zip(fld.positions, fld.labels):
            if col and p not in columns:
                cd = ColumnDates(col, date_format)
                cd.scan(cols[p])
                if others and not date_format:
                    extra = ColumnDates(col)
                    extra.scan(map(itemgetter(p), others))
                    ev, more = cd.evidence, extra.evidence
                    ev.day_first = ev.day_first or more.day_first
                    ev.month_first = ev.month_first or more.month_first
                columns[p] = cd
    notes: list[str] = []
    for cd in columns.values():
        # Every row with a value here is a bad row (``FILE:LINE`` each); the note says what
        # the whole column suggests: most likely a date style that needs --date-format.
        if not cd.readable and cd.unreadable_example is not None:
            if date_format:
                notes.append(
                    f"no value of column {cd.name!r} matches the date format '{date_format}' "
                    f"given by {date_format_origin} (e.g. {cd.unreadable_example!r})"
                )
            elif any(ch.isdigit() for ch in cd.unreadable_example):
                notes.append(
                    f"column {cd.name!r} has no value that reads as a date "
                    f"(e.g. {cd.unreadable_example!r}); give --date-format, e.g. "
                    f"--date-format '{suggest_format(cd.unreadable_example)}'"
                )
            else:  # words, not a date style: no format would read them
                notes.append(f"column {cd.name!r} has no value that reads as a date (e.g. {cd.unreadable_example!r})")
    localize = Localizer(tz)
    for p, cd in columns.items():
        order = None
        if not date_format:
            try:
                order = decide_order(cd.name, cd.evidence, [c.evidence for q, c in columns.items() if q != p])
            except ValueError as exc:
                ev = cd.evidence
                example = ev.ambiguous or ev.day_first or ev.month_first or ""
                hint = suggest_format(f"{example} {cd.example_rest}", DAY_FIRST)
                raise InputError(f"{label}: {exc}; give --date-format, e.g. --date-format '{hint}'") from None
            if order is not None:
                notes.append(f"column {cd.name!r}: dates read {order}")
        if cd.date_only:
            notes.append(f"column {cd.name!r} holds dates without a time: read as midnight in {tz}")
        cd.finish(order, localize, row_offsets)
    times = {name: TimeField(fields[name], tuple(columns.get(p) for p in fields[name].positions)) for name in names}
    return times, notes
