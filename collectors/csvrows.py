"""Turning the extracted fields of CSV records into Incident / Ticket / Deployment rows.

Used by :func:`collectors.imports.read_export`, which reads the file, picks the columns and
reads the time columns; this module applies the per-row rules (SPEC section 6): required
values, time order, duplicates, service and team mapping, unplanned tickets.

Records arrive as tuples of the needed columns' text (``vals``); :class:`Field` says where
each field is in them. Everything here runs once per row, so it avoids per-row dicts and
caches every mapping by its raw cells.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import Any, Callable

from .csvdates import BAD
from .csvfields import (Field, Mapper, TimeField, make_deployment, make_incident, make_ticket,
                        split_labels)
from .dates import parse_offset


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

    def f(self, name: str) -> Field:
        """The field called ``name`` (the always-empty field when the file has no such column)."""
        return self.fields[name]


@dataclass
class Built:
    """The builders' output: rows, (line, reason) errors, unmapped counts."""

    rows: list[Any] = dataclasses.field(default_factory=list)
    errors: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    unmapped: int = 0
    unmapped_values: dict[str, int] = dataclasses.field(default_factory=dict)


def _single(fld: Field) -> int:
    return fld.positions[0] if len(fld.positions) == 1 else -1


def _times(rules: Rules, vals: tuple[str, ...], out: Built, line: int) -> tuple[int, int | None] | None:
    """(opened, resolved) of a record, or None after noting why it cannot be read.

    The builders try a fast path first (:meth:`TimeField.fast`); this is the full rule.
    """
    rowoff = None
    if rules.offset is not None:
        text = rules.offset.first(vals)
        if text:
            rowoff = parse_offset(text)
            if rowoff is None:
                out.errors.append((line, f"cannot read {rules.offset.label!r} value {text!r} "
                                         "as a UTC offset"))
                return None
    opened, text, label = rules.times["opened"].read(vals, rowoff)
    if opened is None:
        out.errors.append((line, f"no date in column {label!r}"))
        return None
    if opened == BAD:
        out.errors.append((line, f"cannot read {label!r} value {text!r} as a date"))
        return None
    if "resolved" not in rules.times:
        return opened, None
    resolved, rtext, rlabel = rules.times["resolved"].read(vals, rowoff)
    if resolved == BAD:
        out.errors.append((line, f"cannot read {rlabel!r} value {rtext!r} as a date"))
        return None
    if resolved is not None and resolved < opened:
        out.errors.append((line, f"resolved before opened ({rlabel!r} {rtext!r} is before "
                                 f"{label!r} {text!r})"))
        return None
    return opened, resolved


class _Lookups:
    """What a field's raw cells (a tuple) map to; the builders cache the results per file."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        utypes, ulabels = rules.unplanned_types, rules.unplanned_labels
        if not rules.f("type").labels[0]:  # no type column (Linear): labels name the type
            ulabels = ulabels | utypes
        self.utypes, self.ulabels = utypes, ulabels

    def service(self, key: Any) -> tuple[str | None, str]:
        """(mapped service, raw value) for the service cells ``key``."""
        raws = _stripped(key)
        raw = raws[0] if raws else ""
        return self.rules.service or self.rules.mapper.first_service(raws), raw

    def team(self, key: Any) -> tuple[str, str | None]:
        """(raw value, mapped team or None) for the team cells ``key`` (service aside)."""
        raws = _stripped(key)
        raw = raws[0] if raws else ""
        return raw, self.rules.team or (self.rules.mapper.team(raw) if raw else None)

    def type(self, key: Any) -> tuple[str, bool]:
        """(type, unplanned by type) for the type cells ``key``."""
        raws = _stripped(key)
        typ = raws[0] if raws else ""
        return typ, typ.casefold() in self.utypes

    def label(self, key: Any) -> tuple[tuple[str, ...], bool]:
        """(labels, unplanned by label) for the label cells ``key``."""
        labels = split_labels(key)
        return labels, any(x.casefold() in self.ulabels for x in labels)


def _stripped(cells: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(s for c in cells if (s := c.strip()))


def _dedupe(out: Built, rows: list[Any], starts: list[int], attr: str,
            unmapped: list[tuple[int, str]]) -> None:
    """Keep the first row of each id (the others become errors); count the unmapped kept.

    Every record became either a row or an error, in order, so the rows' lines are the
    records' lines without the error lines.
    """
    keys = list(map(attrgetter(attr), rows))
    dropped: set[int] = set()
    if len(set(keys)) != len(keys):
        failed = {line for line, _ in out.errors}
        lines = [line for line in starts if line not in failed]
        seen: dict[str, int] = {}
        kept = []
        for line, key, row in zip(lines, keys, rows):
            first = seen.setdefault(key, line)
            if first != line:
                out.errors.append((line, f"id {key!r} already on line {first}"))
                dropped.add(line)
            else:
                kept.append(row)
        rows = kept
    out.rows = rows
    counts = out.unmapped_values
    for line, raw in unmapped:
        if line not in dropped:
            out.unmapped += 1
            counts[raw] = counts.get(raw, 0) + 1


def build_incidents(rules: Rules, starts: list[int], recs: list[tuple[str, ...]]) -> Built:
    """Incident rows from ``recs`` (records starting on ``starts``)."""
    out = Built()
    idf = rules.f("id")
    idp = _single(idf)
    svc_f, team_f = rules.f("service"), rules.f("team")
    cats = itemgetter(*svc_f.positions, *team_f.positions)  # 2+ positions: a tuple
    ns, nt = len(svc_f.positions), len(team_f.positions)
    sev, title, ref = rules.f("severity"), rules.f("title"), rules.f("reference")
    quick = _quick_times(rules)
    services, look = rules.mapper.services, _Lookups(rules)
    cache: dict[tuple[str, ...], tuple[str | None, str, str | None]] = {}

    def classify(k: tuple[str, ...]) -> tuple[str | None, str, str | None]:
        service, raw = look.service(k[:ns])
        team = look.team(k[ns:ns + nt])[1]
        if team is None and service is not None:
            team = services.get(service)
        got = cache[k] = (service, raw, team)
        return got

    source, make, errors = rules.source, make_incident, out.errors
    rows: list[Any] = []
    unmapped: list[tuple[int, str]] = []
    for line, vals in zip(starts, recs):
        key = vals[idp].strip() if idp >= 0 else idf.first(vals)
        if not key:
            errors.append((line, f"no id in column {idf.label!r}"))
            continue
        times = quick(vals)
        if times is None:
            times = _times(rules, vals, out, line)
            if times is None:
                continue
        k = cats(vals)
        service, raw, team = cache.get(k) or classify(k)
        if service is None:
            unmapped.append((line, raw))
        rows.append(make(source, key, times[0], times[1], service, raw, team,
                         sev.first(vals), title.first(vals), ref.first(vals)))
    _dedupe(out, rows, starts, "id", unmapped)
    return out


def _quick_times(rules: Rules) -> Callable[[tuple[str, ...]], tuple[int, int | None] | None]:
    """The fast path for a record's (opened, resolved) times: look-ups only (see
    :mod:`collectors.csvdates`); None sends the record to the slow path, which explains."""
    op, osep, obase, osecs, _ = rules.times["opened"].fast()
    rp, rsep, rbase, rsecs, rmore = rules.times["resolved"].fast()

    def quick(vals: tuple[str, ...]) -> tuple[int, int | None] | None:
        d, _, r = vals[op].partition(osep)
        opened = obase.get(d)
        if opened is None or (secs := osecs.get(r)) is None:
            return None
        opened += secs
        v = vals[rp]
        if not v:
            return None if rmore else (opened, None)
        d, _, r = v.partition(rsep)
        resolved = rbase.get(d)
        if resolved is None or (secs := rsecs.get(r)) is None or resolved + secs < opened:
            return None
        return opened, resolved + secs

    return quick


def build_tickets(rules: Rules, starts: list[int], recs: list[tuple[str, ...]]) -> Built:
    """Ticket rows from ``recs``; a ticket is unplanned by its type or any of its labels.

    A format without a type column (Linear) checks its labels against both lists.
    """
    out = Built()
    idf, status_f, title_f = rules.f("id"), rules.f("status"), rules.f("title")
    idp, stp, tip = _single(idf), _single(status_f), _single(title_f)
    svc_f, team_f, type_f, labels_f = rules.f("service"), rules.f("team"), rules.f("type"), rules.f("labels")
    ns, nt, ny = len(svc_f.positions), len(team_f.positions), len(type_f.positions)
    cats = itemgetter(*svc_f.positions, *team_f.positions, *type_f.positions, *labels_f.positions)
    quick = _quick_times(rules)
    services, look = rules.mapper.services, _Lookups(rules)
    cache: dict[tuple[str, ...], tuple[Any, ...]] = {}

    def classify(k: tuple[str, ...]) -> tuple[Any, ...]:
        service, raw_svc = look.service(k[:ns])
        raw_team, team = look.team(k[ns:ns + nt])
        if team is None and service is not None:
            team = services.get(service)
        typ, by_type = look.type(k[ns + nt:ns + nt + ny])
        labels, by_label = look.label(k[ns + nt + ny:])
        unmapped_as = (raw_team or raw_svc) if team is None else None
        got = cache[k] = (service, raw_team, team, typ, labels, by_type or by_label, unmapped_as)
        return got

    source, make, errors = rules.source, make_ticket, out.errors
    rows: list[Any] = []
    unmapped: list[tuple[int, str]] = []
    for line, vals in zip(starts, recs):
        key = vals[idp].strip() if idp >= 0 else idf.first(vals)
        if not key:
            errors.append((line, f"no id in column {idf.label!r}"))
            continue
        times = quick(vals)
        if times is None:
            times = _times(rules, vals, out, line)
            if times is None:
                continue
        k = cats(vals)
        service, raw_team, team, typ, labels, unplanned, unmapped_as = cache.get(k) or classify(k)
        if unmapped_as is not None:
            unmapped.append((line, unmapped_as))
        rows.append(make(source, key, times[0], times[1], team, raw_team, service, typ,
                         vals[stp].strip() if stp >= 0 else status_f.first(vals), labels,
                         vals[tip].strip() if tip >= 0 else title_f.first(vals), unplanned))
    _dedupe(out, rows, starts, "key", unmapped)
    return out


def build_deployments(rules: Rules, starts: list[int], recs: list[tuple[str, ...]]) -> Built:
    """Deployment rows; a row whose service is not a configured one is an error, not unmapped."""
    out = Built()
    svc, name_f, sha_f, msg_f = rules.f("service"), rules.f("name"), rules.f("sha"), rules.f("message")
    mapper, source, service_arg = rules.mapper, rules.source, rules.service
    make, rows, seen = make_deployment, out.rows, {}
    for line, vals in zip(starts, recs):
        service = service_arg
        if service is None:
            raw = svc.first(vals)
            if not raw:
                out.errors.append((line, f"no service in column {svc.label!r}"))
                continue
            service = mapper.service(raw)
            if service is None:
                out.errors.append((line, f"unknown service {raw!r} in column {svc.label!r} "
                                         "(not a configured service; map it with service_map)"))
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
        rows.append(make(service, name, times[0], sha_f.first(vals), msg_f.first(vals), source))
    return out
