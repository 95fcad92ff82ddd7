"""Turning the extracted fields of CSV records into Incident / Ticket / Deployment records.

Used by :func:`collectors.exports.read.read_export`, which reads the file, picks the columns and
reads the time columns; this module applies the per-row rules (README, ``dora-tui import``):
required values, time order, duplicates, service and team mapping, unplanned tickets.

Records arrive twice: as tuples of the needed columns' text (``recs[i]``, indexed by
:class:`Field` positions, the record starting on line ``starts[i]``) and as the same values
by column (``cols[p][i]``). A row comes out as a plain tuple of its model's fields in order
(``Incident(*record)`` makes the object; the store writes the tuple as it is), so no object
is made per row on the way from the file to the database.

Every rule is applied a column at a time: a field's values are mapped with ``map()`` over
the column, and a mapping (service, team, type, labels) is worked out once per distinct
combination of raw values. Only records that fail a check go through the per-record rule,
which says why: the builders make a few Python steps per row, not one per rule.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import is_not, itemgetter, lt
from typing import Any, cast

from collectors.exports.date_columns import BAD, OUT, RANGE_TEXT
from collectors.exports.dates import parse_offset
from collectors.exports.fields import Field, Mapper, TimeField, UnplannedRule, split_labels

Records = list[tuple[str, ...]]
Columns = Sequence[Sequence[str]]


@dataclass
class Rules:
    """What the row builders need besides the records: fields, times, mapping, settings."""

    source: str
    fields: dict[str, Field]
    times: dict[str, TimeField]
    mapper: Mapper
    service: str | None = None
    team: str | None = None
    unplanned_types: frozenset[str] = frozenset()
    unplanned_labels: frozenset[str] = frozenset()
    offset: Field | None = None
    team_from_key: bool = False  # the team value is the id's prefix (``OPS`` of ``OPS-311``)

    def f(self, name: str) -> Field:
        """The field called ``name`` (the always-empty field when the file has no such column)."""
        return self.fields[name]


@dataclass
class Built:
    """The builders' output: records (a row's fields as a tuple, in its model's field order),
    (line, reason) errors, unmapped counts."""

    records: list[tuple[Any, ...]] = dataclasses.field(default_factory=list)
    errors: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    unmapped: int = 0
    unmapped_values: dict[str, int] = dataclasses.field(default_factory=dict)


def _times(rules: Rules, vals: tuple[str, ...], out: Built, line: int) -> tuple[int, int | None] | None:
    """(opened, resolved) of a record, or None after noting why it cannot be read.

    The builders read whole columns first (:func:`_time_columns`); this is the full rule,
    run for the records that fail there, to say why.
    """
    rowoff = None
    if rules.offset is not None:
        text = rules.offset.first(vals)
        if text:
            rowoff = parse_offset(text)
            if rowoff is None:
                out.errors.append((line, f"cannot read {rules.offset.label!r} value {text!r} as a UTC offset"))
                return None
    opened, text, label = rules.times["opened"].read(vals, rowoff)
    if opened is None:
        out.errors.append((line, f"no date in column {label!r}"))
        return None
    if opened in (BAD, OUT):
        out.errors.append((line, _unread(opened, text, label)))
        return None
    if "resolved" not in rules.times:
        return opened, None
    resolved, rtext, rlabel = rules.times["resolved"].read(vals, rowoff)
    if resolved in (BAD, OUT):
        out.errors.append((line, _unread(resolved, rtext, rlabel)))
        return None
    if resolved is not None and resolved < opened:
        out.errors.append((line, f"resolved before opened ({rlabel!r} {rtext!r} is before {label!r} {text!r})"))
        return None
    return opened, resolved


def _unread(t: int, text: str, label: str) -> str:
    """Why a time (:data:`BAD` or :data:`OUT`) cannot be imported."""
    if t == OUT:
        return f"time {text!r} in column {label!r} is out of range ({RANGE_TEXT})"
    return f"cannot read {label!r} value {text!r} as a date"


class _Lookups:
    """What a field's raw cells (a tuple) map to; the builders cache the results per file."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        has_type = bool(rules.f("type").labels[0])  # no type column (Linear): labels name the type
        self.unplanned = UnplannedRule.of(rules.unplanned_types, rules.unplanned_labels, has_type=has_type)

    def service(self, key: Any) -> tuple[str | None, str]:
        """(mapped service, raw value) for the service cells ``key``."""
        raws = _stripped(key)
        raw = raws[0] if raws else ""
        return self.rules.service or self.rules.mapper.first_service(raws), raw

    def team(self, key: Any) -> tuple[str, str | None]:
        """(raw value, mapped team or None) for the team cells ``key`` (service aside)."""
        raws = _stripped(key)
        raw = raws[0] if raws else ""
        if self.rules.team_from_key:
            raw = raw.rpartition("-")[0]
        return raw, self.rules.team or (self.rules.mapper.team(raw) if raw else None)

    def type(self, key: Any) -> tuple[str, bool]:
        """(type, unplanned by type) for the type cells ``key``."""
        raws = _stripped(key)
        typ = raws[0] if raws else ""
        return typ, self.unplanned.by_type(typ)

    def label(self, key: Any) -> tuple[tuple[str, ...], bool]:
        """(labels, unplanned by label) for the label cells ``key``."""
        labels = split_labels(key)
        return labels, self.unplanned.by_labels(labels)


def _stripped(cells: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(s for c in cells if (s := c.strip()))


def _text(fld: Field, cols: Columns, recs: Records) -> list[str]:
    """The field of every record: its first non-empty value, stripped ('' when none)."""
    if len(fld.positions) == 1:
        return list(map(str.strip, cols[fld.positions[0]]))
    return list(map(fld.first, recs))


def _row_time(rules: Rules, tf: TimeField, vals: tuple[str, ...]) -> int | None:
    """One record's time of ``tf``, through every column and the row's UTC offset."""
    text = rules.offset.first(vals) if rules.offset is not None else ""
    offset = parse_offset(text) if text else None
    if text and offset is None:
        return BAD  # :func:`_times` says why
    return tf.read(vals, offset)[0]


def _time_columns(rules: Rules, cols: Columns, recs: Records) -> list[Sequence[int | None]]:
    """Every record's time of each time field (UTC seconds, None when empty, BAD when not read)."""
    out: list[Sequence[int | None]] = []
    for tf in rules.times.values():
        if len(tf.columns) == 1 and rules.offset is None:
            cd, col = tf.columns[0], cols[tf.field.positions[0]]
            out.append(cd.convert_all(col) if cd is not None else [None] * len(col))
        else:  # several columns, or a UTC offset column: the record-by-record rule
            out.append([_row_time(rules, tf, vals) for vals in recs])
    return out


def _check(
    rules: Rules,
    out: Built,
    starts: list[int],
    recs: Records,
    ids: list[str],
    times: list[Sequence[int | None]],
    idf: Field,
    key_word: str,
) -> set[int]:
    """The indexes of records that cannot be imported; each one's reason is in ``out.errors``.

    A record needs an id and an opening time; a resolution, when there is one, must read
    and not come before the opening. The first record of an id wins; a later one is an error.
    """
    opened = times[0]
    resolved = times[1] if len(times) > 1 else None
    suspects: list[int] = []
    if not _all_good(ids, opened, resolved):
        suspects = [
            i
            for i, (k, o, r) in enumerate(zip(ids, opened, resolved or repeat(None)))
            if not k or o is None or o in (BAD, OUT) or (r is not None and (r in (BAD, OUT) or r < o))
        ]
    failed: set[int] = set()
    for i in suspects:
        if not ids[i]:
            out.errors.append((starts[i], f"no {key_word} in column {idf.label!r}"))
            failed.add(i)
        elif _times(rules, recs[i], out, starts[i]) is None:
            failed.add(i)
    if len(set(ids)) != len(ids):
        first: dict[str, int] = {}
        for i, key in enumerate(ids):
            if i in failed:
                continue
            line = first.setdefault(key, starts[i])
            if line != starts[i]:
                out.errors.append((starts[i], f"{key_word} {key!r} already on line {line}"))
                failed.add(i)
    return failed


def _all_good(ids: list[str], opened: Sequence[int | None], resolved: Sequence[int | None] | None) -> bool:
    """Whether every record has an id and an opening time, and every resolution reads and
    comes after its opening, all in range (the common case, checked without a Python step per
    record)."""
    if not all(ids) or None in opened:
        return False
    times = cast(Sequence[int], opened)  # no None: checked just above
    # BAD < OUT < any time in range: one min() finds either
    if min(times, default=0) <= OUT:
        return False
    if resolved is None:
        return True
    has = list(map(is_not, resolved, repeat(None)))
    done = cast(list[int], list(compress(resolved, has)))  # the values that are not None
    return min(done, default=0) > OUT and not any(map(lt, done, compress(times, has)))


def _finish(out: Built, records: list[tuple[Any, ...]], failed: set[int], unmapped_as: list[str | None]) -> Built:
    """Keep the records that passed; count the unmapped ones by their file value."""
    if failed:
        keep = [i not in failed for i in range(len(records))]
        records = list(compress(records, keep))
        unmapped_as = list(compress(unmapped_as, keep))
    out.records = records
    raw_values = cast("Iterator[str]", compress(unmapped_as, map(is_not, unmapped_as, repeat(None))))  # not None
    out.unmapped_values = dict(Counter(raw_values))
    out.unmapped = sum(out.unmapped_values.values())
    return out


def _categories(recs: Records, *fields: Field) -> list[tuple[str, ...]]:
    """Each record's raw cells of ``fields``, as one tuple."""
    return list(map(itemgetter(*(p for f in fields for p in f.positions)), recs))  # 2+: a tuple


def build_incidents(rules: Rules, starts: list[int], recs: Records, cols: Columns) -> Built:
    """Incident records from ``recs`` (records starting on ``starts``; ``cols``: by column)."""
    out = Built()
    idf = rules.f("id")
    svc_f, team_f = rules.f("service"), rules.f("team")
    ns, nt = len(svc_f.positions), len(team_f.positions)
    services, look = rules.mapper.services, _Lookups(rules)

    def classify(k: tuple[str, ...]) -> tuple[str | None, str, str | None, str | None]:
        service, raw = look.service(k[:ns])
        team = look.team(k[ns : ns + nt])[1]
        if team is None and service is not None:
            team = services.get(service)
        return service, raw, team, (raw if service is None else None)

    ids = _text(idf, cols, recs)
    times = _time_columns(rules, cols, recs)
    failed = _check(rules, out, starts, recs, ids, times, idf, "id")
    keys = _categories(recs, svc_f, team_f)
    table = {k: classify(k) for k in set(keys)}
    svc, raw, team, unmapped_as = zip(*map(table.__getitem__, keys)) if keys else ((),) * 4
    records = list(
        zip(
            repeat(rules.source),
            ids,
            times[0],
            times[1],
            svc,
            raw,
            team,
            _text(rules.f("severity"), cols, recs),
            _text(rules.f("title"), cols, recs),
            _text(rules.f("reference"), cols, recs),
        )
    )
    return _finish(out, records, failed, list(unmapped_as))


def build_tickets(rules: Rules, starts: list[int], recs: Records, cols: Columns) -> Built:
    """Ticket records; a ticket is unplanned by its type or any of its labels.

    A format without a type column (Linear) checks its labels against both lists.
    """
    out = Built()
    idf = rules.f("id")
    svc_f, team_f, type_f, labels_f = rules.f("service"), rules.f("team"), rules.f("type"), rules.f("labels")
    ns, nt, ny = len(svc_f.positions), len(team_f.positions), len(type_f.positions)
    services, look = rules.mapper.services, _Lookups(rules)

    def classify(k: tuple[str, ...]) -> tuple[Any, ...]:
        service, raw_svc = look.service(k[:ns])
        raw_team, team = look.team(k[ns : ns + nt])
        if team is None and service is not None:
            team = services.get(service)
        typ, by_type = look.type(k[ns + nt : ns + nt + ny])
        labels, by_label = look.label(k[ns + nt + ny :])
        unmapped_as = (raw_team or raw_svc) if team is None else None
        return team, raw_team, service, typ, labels, by_type or by_label, unmapped_as

    ids = _text(idf, cols, recs)
    times = _time_columns(rules, cols, recs)
    failed = _check(rules, out, starts, recs, ids, times, idf, "id")
    keys = _categories(recs, svc_f, team_f, type_f, labels_f)
    table = {k: classify(k) for k in set(keys)}
    team, raw_team, svc, typ, labels, unplanned, unmapped_as = zip(*map(table.__getitem__, keys)) if keys else ((),) * 7
    records = list(
        zip(
            repeat(rules.source),
            ids,
            times[0],
            times[1],
            team,
            raw_team,
            svc,
            typ,
            _text(rules.f("status"), cols, recs),
            labels,
            _text(rules.f("title"), cols, recs),
            unplanned,
        )
    )
    return _finish(out, records, failed, list(unmapped_as))


def build_deployments(rules: Rules, starts: list[int], recs: Records, cols: Columns) -> Built:
    """Deployment records; a row whose service is not a configured one is an error, not unmapped.

    Deployment exports are small (one row per release): this goes record by record.
    """
    out = Built()
    svc, name_f, sha_f, msg_f = rules.f("service"), rules.f("name"), rules.f("sha"), rules.f("message")
    mapper, source, service_arg = rules.mapper, rules.source, rules.service
    records = out.records
    seen: dict[tuple[str, str], int] = {}
    for line, vals in zip(starts, recs):
        service = service_arg
        if service is None:
            raw = svc.first(vals)
            if not raw:
                out.errors.append((line, f"no service in column {svc.label!r}"))
                continue
            service = mapper.service(raw)
            if service is None:
                out.errors.append(
                    (
                        line,
                        f"unknown service {raw!r} in column {svc.label!r} "
                        "(not a configured service; map it with service_map)",
                    )
                )
                continue
        name = name_f.first(vals)
        if not name:
            out.errors.append((line, f"no name in column {name_f.label!r}"))
            continue
        times = _times(rules, vals, out, line)
        if times is None:
            continue
        prev = seen.get((service, name))
        if prev is not None:
            out.errors.append((line, f"deployment {name!r} of {service!r} already on line {prev}"))
            continue
        seen[(service, name)] = line
        records.append((service, name, times[0], sha_f.first(vals), msg_f.first(vals), source, False, False))
    return out
