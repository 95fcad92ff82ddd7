"""How to read one export: every setting :func:`collectors.exports.read.read_export` takes, in one object.

The caller (``dora_tui.ops.imports``) builds a :class:`ReadSettings` from an ``[[imports]]``
entry of the configuration and the command's options; the stages of a read take what they
need from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timezone
from zoneinfo import ZoneInfo

from collectors.exports.defaults import DEFAULT_UNPLANNED_LABELS, DEFAULT_UNPLANNED_TYPES


@dataclass(frozen=True)
class ReadSettings:
    """How to read an export as ``kind`` rows (``incidents``, ``tickets``, ``deployments``).

    ``format`` is a preset name (:data:`collectors.exports.presets.PRESETS`) or ``auto``
    (detected from the header; with no match, ``generic`` when ``columns`` is given,
    ``deployments`` for that kind). ``source`` (default: the format name) is stored on every
    row, the first half of the upsert key. Naive times are read in ``tz``; ``date_format``
    (strptime codes) reads every time column instead of the built-in styles
    (``date_format_origin``: where it was given, for the note when no value matches it).
    ``columns`` names the file's column for a field (keys as in the config's ``columns``:
    ``id``, ``opened_at``... / ``key``, ``created_at``... / ``service``, ``name``,
    ``time``...); for a preset it overrides the preset's column. ``reference_column`` names
    the incidents' deployment reference. A ticket is unplanned when its type is one of
    ``unplanned_types`` or one of its labels one of ``unplanned_labels`` (case ignored).

    Mapping: the service is ``service`` when given, else ``service_map[value]``, else the
    value when it names one of ``services``; else None (unmapped, still kept). The team is
    ``team``, else ``team_map[value]``, else the value when it is one of ``teams``, else the
    team of the mapped service (``services`` maps each configured service to its team). A
    deployment whose service cannot be mapped is a bad row.

    ``from_entry``: the export is read with its own ``[[imports]]`` entry and no ``--format``
    was given (an error's advice names the entry's ``format`` key).
    """

    kind: str
    tz: ZoneInfo | timezone
    format: str = "auto"
    source: str = ""
    date_format: str = ""
    date_format_origin: str = "the date format given"
    columns: Mapping[str, str] = field(default_factory=dict)
    reference_column: str = ""
    unplanned_types: tuple[str, ...] = DEFAULT_UNPLANNED_TYPES
    unplanned_labels: tuple[str, ...] = DEFAULT_UNPLANNED_LABELS
    service: str | None = None
    team: str | None = None
    service_map: Mapping[str, str] = field(default_factory=dict)
    team_map: Mapping[str, str] = field(default_factory=dict)
    services: Mapping[str, str | None] = field(default_factory=dict)
    teams: frozenset[str] = frozenset()
    from_entry: bool = False
