"""What every ticket and incident reader shares: its settings, and the :class:`TrackerContext` it reads into.

Mapping (README, ``dora-tui import``), as for a CSV export: an item's service is
``service`` when given, else the first of its values (a label, a component) that maps
through ``service_map`` or names a configured service; a label ``service:NAME``,
``area/NAME`` and the like also tries the part after its last ``:`` or ``/``, and a name
with spaces its slug (the component ``Payments API`` names the service ``payments-api``). Its team is
``team``, else its team value (a board's name, a repository) through ``team_map`` or named
like a configured team, else the team of its service. Items that map to nothing are kept,
unmapped, and counted.

A ticket's labels decide whether it is unplanned, by the rule every ticket reader uses
(:class:`~collectors.exports.fields.UnplannedRule`; these formats have no type field, so
labels are checked against the unplanned types too); its type is its first label that
names no service and is not one of the unplanned labels.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from typing import Any

from collectors.exports.defaults import DEFAULT_UNPLANNED_LABELS, DEFAULT_UNPLANNED_TYPES
from collectors.exports.fields import Mapper, UnplannedRule
from collectors.items.context import ItemTally
from collectors.items.values import name_of
from collectors.records import Incident, Ticket
from collectors.trackers.formats import DEFAULT_DONE_LISTS, DEFAULT_INCIDENT_LABELS

_SEVERITY_LABEL = re.compile(r"(?i)(?:sev(?:erity)?|p(?:riority)?)[\s:_/-]*\d+")


@dataclass(frozen=True)
class TrackerSettings:
    """How to read one JSON ticket or incident export as ``kind`` (``tickets``, ``incidents``).

    ``format``: a name of :data:`collectors.trackers.formats.FORMATS`, or ``auto``. ``source``
    (default: the format's name) is stored on every row. ``service``/``team`` name the service
    or team of every item; ``service_map``/``team_map`` map an item's own values (see the
    module docstring); ``services`` maps each configured service to its team, ``teams`` names
    the configured teams. ``unplanned_types``/``unplanned_labels``: the unplanned rule.
    ``done_lists``: the Trello lists a card is resolved in (word match, case ignored).
    ``incident_labels``: the GitHub labels that make an issue an incident. Times without an
    offset are read in ``tz``. ``from_entry``: the export is read with its own ``[[imports]]``
    entry and no ``--format`` was given (so ``format``, when named, is the entry's; an error's
    advice names the entry's key).
    """

    kind: str
    format: str = "auto"
    source: str = ""
    service: str | None = None
    team: str | None = None
    service_map: Mapping[str, str] = field(default_factory=dict)
    team_map: Mapping[str, str] = field(default_factory=dict)
    services: Mapping[str, str | None] = field(default_factory=dict)
    teams: frozenset[str] = frozenset()
    unplanned_types: tuple[str, ...] = DEFAULT_UNPLANNED_TYPES
    unplanned_labels: tuple[str, ...] = DEFAULT_UNPLANNED_LABELS
    done_lists: tuple[str, ...] = DEFAULT_DONE_LISTS
    incident_labels: tuple[str, ...] = DEFAULT_INCIDENT_LABELS
    tz: tzinfo = UTC
    from_entry: bool = False


def words_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """A pattern finding any of ``names`` as a word of a text (case ignored: search the text
    case-folded): ``Done`` finds "Done", "done ✅" and "Sprint 4 - Done", not "Undone"."""
    words = "|".join(re.escape(name.strip().casefold()) for name in names if name.strip())
    return re.compile(rf"(?<![^\W_])(?:{words or '(?!)'})(?![^\W_])")


class TrackerContext(ItemTally):
    """One read under way: its settings, the rows made, and the shared rules (see the module
    docstring); its bad items and the items it left out (``reasons``: how the summary words
    each reason an item is left out for)."""

    def __init__(self, settings: TrackerSettings, format: str, reasons: Mapping[str, str]) -> None:
        super().__init__(reasons)
        self.settings = settings
        self.source = settings.source or format
        self.rows: list[Ticket | Incident] = []
        self._first: dict[str, int] = {}  # each id kept, and the item it came from
        self.said: list[str] = []
        self.mapper = Mapper(settings.service_map, settings.team_map, settings.services, settings.teams)
        self.unplanned = UnplannedRule.of(settings.unplanned_types, settings.unplanned_labels, has_type=False)
        self._planned_labels = frozenset(x.casefold() for x in settings.unplanned_labels)

    def service(self, values: Iterable[str]) -> tuple[str | None, str]:
        """(the service, the value it came from) of an item whose own values (labels,
        components) are ``values``, best first; (None, the first value) when none maps."""
        values = [v.strip() for v in values if v and v.strip()]
        if self.settings.service is not None:
            return self.settings.service, values[0] if values else ""
        for value in values:
            found = self.map_service(value)
            if found is not None:
                return found, value
        return None, values[0] if values else ""

    def map_service(self, value: str) -> str | None:
        """The service one value (a label, a component) maps to, or None: the value, else its
        part after its last ``:`` or ``/``, else either written as a slug (``Payments API``
        -> ``payments-api``), through ``service_map`` or naming a configured service."""
        tail = re.split(r"[:/]", value)[-1].strip()
        for candidate in dict.fromkeys((value, tail, _slug(value), _slug(tail))):
            found = self.mapper.service(candidate) if candidate else None
            if found is not None:
                return found
        return None

    def team(self, raw: str, service: str | None) -> str | None:
        """The team of an item whose team value is ``raw`` and whose service is ``service``."""
        if self.settings.team is not None:
            return self.settings.team
        found = self.mapper.team(raw) if raw else None
        if found is None and service is not None:
            found = self.settings.services.get(service)
        return found

    def ticket_labels(self, labels: list[str]) -> tuple[str, bool]:
        """(type, unplanned) of a ticket with ``labels`` (see the module docstring)."""
        typ = next((x for x in labels if x.casefold() not in self._planned_labels and self.map_service(x) is None), "")
        return typ, self.unplanned.by_labels(labels)

    def keep(self, number: int, name: str, rows: Sequence[Ticket | Incident], item: object) -> bool:
        """Keep the ``rows`` of item number ``number`` (called ``name``), unless one's id is
        already kept from an earlier item: then the item is bad (``id 'ID' already on item M``,
        as a CSV export's row is ``already on line N``), since the two would store as one.
        Whether they were kept."""
        for row in rows:
            key = row.key if isinstance(row, Ticket) else row.id
            if key in self._first:
                self.fail(number, name, f"id {key!r} already on item {self._first[key]}", item)
                return False
        for row in rows:
            self._first[row.key if isinstance(row, Ticket) else row.id] = number
        self.rows.extend(rows)
        return True

    def claimed(
        self, items: Iterable[object], claims: Callable[[dict[str, Any]], bool], name_key: str
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        """The items of ``items`` of this format, numbered from 1: one that is no object is a bad
        item; one that ``claims`` does not take (another kind) is left out, named by its
        ``name_key``."""
        for number, item in enumerate(items, 1):
            if not isinstance(item, dict):
                self.fail(number, "", "not an object", item)
            elif not claims(item):
                self.leave_out("kind", name_of(item, name_key))
            else:
                yield number, item

    def say(self, note: str) -> None:
        """A note for the import's summary (how something was read)."""
        self.said.append(note)

    def all_notes(self) -> list[str]:
        """The notes: what was left out, then how things were read."""
        return self.notes() + self.said

    def unmapped(self) -> Counter[str]:
        """The rows kept unmapped (an incident without a service, a ticket without a team), by
        their own value (for ``doctor`` to suggest a map line)."""
        counted: Counter[str] = Counter()
        for row in self.rows:
            if isinstance(row, Incident) and row.service is None:
                counted[row.raw_service] += 1
            elif isinstance(row, Ticket) and row.team is None:
                counted[row.raw_team] += 1
        return counted


def _slug(value: str) -> str:
    """``value`` lower case, its runs of spaces and underscores one ``-``."""
    return re.sub(r"[\s_]+", "-", value.strip().casefold())


def severity_label(labels: Iterable[str]) -> str:
    """The first of ``labels`` that names a severity or priority (``sev1``, ``P2``,
    ``severity:3``), or ''."""
    return next((x for x in labels if _SEVERITY_LABEL.fullmatch(x.strip())), "")
