"""The export formats dora-tui reads (README, ``dora-tui import``): which columns hold which field.

A :class:`Preset` names, for each field, the columns that may hold it, best first. Names
are compared case-insensitively (:func:`collectors.exports.reader.norm`), so a tool's field-name
export and its label export usually share one list (ServiceNow ``number`` / ``Number``).
All candidate columns present in the file are used, per row, in order:

- a single-valued field takes the first non-empty one (ServiceNow: ``resolved_at``, else
  ``closed_at``; Azure DevOps tree queries: ``Title 1``, else ``Title 2``...);
- ``service`` tries each non-empty value until one maps to a service (Jira's repeated
  ``Components``; ServiceNow's ``cmdb_ci``, else ``business_service``);
- ``labels`` collects every value of every candidate column, each split on ``,`` or ``;``.

Fields: ``id``, ``opened`` (incident opened, ticket created, deployment time),
``resolved``, ``service``, ``team``, ``severity``, ``title``, ``reference``, ``type``,
``status``, ``labels``; deployments also ``name``, ``sha``, ``message``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from collectors.errors import InputError
from collectors.exports.reader import norm
from collectors.formats import telling

KINDS = ("incidents", "tickets", "deployments")
"""What an export can hold (the ``import`` sub-commands)."""

GENERIC_KEYS: dict[str, dict[str, str]] = {
    "incidents": {
        "id": "id",
        "key": "id",
        "opened_at": "opened",
        "created_at": "opened",
        "resolved_at": "resolved",
        "service": "service",
        "team": "team",
        "severity": "severity",
        "title": "title",
        "reference": "reference",
    },
    "tickets": {
        "key": "id",
        "id": "id",
        "created_at": "opened",
        "opened_at": "opened",
        "resolved_at": "resolved",
        "team": "team",
        "service": "service",
        "type": "type",
        "status": "status",
        "labels": "labels",
        "title": "title",
    },
    "deployments": {"service": "service", "name": "name", "time": "opened", "sha": "sha", "message": "message"},
}
"""For each kind, the keys of a ``columns`` mapping (config or ``generic``) and the field each sets."""

INCIDENT_TYPES = frozenset({"incident", "[system] incident", "major incident"})
"""Type values (lower case) that make a Jira / Freshservice row an incident."""


@dataclass(frozen=True)
class Preset:
    """One export format: the kinds it holds, its columns, and how it is recognised.

    ``detect`` lists header signatures: the format is recognised when every name of one
    signature is in the header. ``incident_types`` (when set) marks a format that mixes
    incidents with other work: on ``import incidents`` only rows whose ``type`` is one of
    them are kept, the others are skipped. ``offset_column`` names a per-row UTC offset
    applied to that row's naive times (Shortcut's ``utc_offset``). ``team_from_key``: ids
    name their project (Jira's ``OPS-311``), whose key is the team value of a file without
    a team column.
    """

    name: str
    kinds: tuple[str, ...]
    columns: Mapping[str, tuple[str, ...]]
    detect: tuple[frozenset[str], ...] = ()
    incident_types: frozenset[str] = frozenset()
    offset_column: str = ""
    description: str = ""
    team_from_key: bool = False

    def matches(self, names: Iterable[str]) -> bool:
        """True when a header with ``names`` looks like this format."""
        have = {norm(n) for n in names}
        return any(sig <= have for sig in self.detect)


def _sig(*names: str) -> frozenset[str]:
    return frozenset(norm(n) for n in names)


_TITLES = ("Title", *tuple(f"Title {i}" for i in range(1, 13)))

_PRESETS = (
    Preset(
        "jira",
        ("tickets", "incidents"),
        {
            "id": ("Issue key", "Key", "Work item key"),
            "opened": ("Created",),
            "resolved": ("Resolved",),
            "service": ("Components", "Component/s", "Custom field (Affected services)"),
            "team": ("Project key",),
            "type": ("Issue Type", "Work type", "Work item type"),
            "status": ("Status",),
            "labels": ("Labels",),
            "title": ("Summary",),
            "severity": ("Custom field (Severity)", "Severity", "Priority"),
        },
        detect=(_sig("Issue key"), _sig("Work item key"), _sig("Key", "Summary", "Created")),
        incident_types=INCIDENT_TYPES,
        description="Jira Cloud / Server / Service Management CSV (all or current fields)",
        team_from_key=True,
    ),
    Preset(
        "pagerduty",
        ("incidents",),
        {
            "id": ("id",),
            "opened": ("created_on",),
            "resolved": ("resolved_on",),
            "service": ("service_name",),
            "severity": ("priority_name", "priority", "urgency"),
            "title": ("description", "title"),
        },
        detect=(_sig("id", "incident_number", "created_on"),),
        description="PagerDuty incidents.csv report",
    ),
    Preset(
        "pagerduty-analytics",
        ("incidents",),
        {
            "id": ("id", "incident_id"),
            "opened": ("created_at",),
            "resolved": ("resolved_at",),
            "service": ("service_name",),
            "team": ("team_name",),
            "severity": ("priority_name", "priority", "urgency"),
            "title": ("description", "title"),
        },
        detect=(
            _sig("id", "service_name", "created_at"),
            _sig("incident_id", "service_name", "created_at"),
            _sig("id", "incident_number", "created_at"),  # without its service column
        ),
        description="PagerDuty Analytics raw incidents CSV",
    ),
    Preset(
        "servicenow",
        ("incidents",),
        {
            "id": ("number",),
            "opened": ("opened_at", "Opened"),
            "resolved": ("resolved_at", "Resolved", "closed_at", "Closed"),
            "service": ("cmdb_ci", "Configuration item", "business_service", "Service", "Business service"),
            "severity": ("priority", "severity"),
            "title": ("short_description", "Short description"),
            "status": ("state",),
        },
        detect=(_sig("number", "opened_at"), _sig("number", "opened")),
        description="ServiceNow incident list export, with field names or labels",
    ),
    Preset(
        "freshservice",
        ("incidents", "tickets"),
        {
            "id": ("Ticket Id", "Ticket ID"),
            "opened": ("Created Time",),
            "resolved": ("Resolved Time", "Closed Time"),
            "team": ("Group",),
            "service": ("Affected CI", "Affected CIs", "Configuration Item"),
            "type": ("Type",),
            "status": ("Status",),
            "labels": ("Tags",),
            "title": ("Subject",),
            "severity": ("Priority",),
        },
        detect=(_sig("Ticket Id", "Created Time"),),
        incident_types=INCIDENT_TYPES,
        description="Freshservice ticket export",
    ),
    Preset(
        "azure-devops",
        ("tickets",),
        {
            "id": ("ID",),
            "opened": ("Created Date",),
            "resolved": ("Closed Date",),
            "team": ("Area Path",),
            "type": ("Work Item Type",),
            "status": ("State",),
            "labels": ("Tags",),
            "title": _TITLES,
        },
        detect=(_sig("ID", "Work Item Type"),),
        description="Azure DevOps query results (flat or tree) exported to CSV",
    ),
    Preset(
        "linear",
        ("tickets",),
        {
            "id": ("ID",),
            "opened": ("Created",),
            "resolved": ("Completed",),
            "team": ("Team",),
            "status": ("Status",),
            "labels": ("Labels",),
            "title": ("Title",),
        },
        detect=(
            _sig("ID", "Team", "Title", "Created", "Completed"),
            _sig("ID", "Title", "Created", "Completed", "Canceled"),  # without its team column
        ),
        description="Linear issues CSV export",
    ),
    Preset(
        "shortcut",
        ("tickets",),
        {
            "id": ("id",),
            "opened": ("created_at",),
            "resolved": ("completed_at",),
            "team": ("team", "group"),
            "type": ("type",),
            "status": ("state",),
            "labels": ("labels",),
            "title": ("name",),
        },
        detect=(_sig("id", "name", "created_at", "completed_at"),),
        offset_column="utc_offset",
        description="Shortcut stories CSV export",
    ),
    Preset(
        "deployments",
        ("deployments",),
        {"service": ("service",), "name": ("name",), "opened": ("time",), "sha": ("sha",), "message": ("message",)},
        detect=(_sig("service", "name", "time"),),
        description="deployments: service,name,time[,sha,message]",
    ),
    Preset(
        "generic",
        KINDS,
        {},
        description="any CSV, columns named by the `columns` setting",
    ),
)

PRESETS: dict[str, Preset] = {p.name: p for p in _PRESETS}
"""Every format by name, in detection order."""

ALIASES = {
    "jsm": "jira",
    "jira-service-management": "jira",
    "jira-cloud": "jira",
    "jira-server": "jira",
    "pd": "pagerduty",
    "pagerduty-insights": "pagerduty-analytics",
    "snow": "servicenow",
    "service-now": "servicenow",
    "ado": "azure-devops",
    "azure": "azure-devops",
    "azuredevops": "azure-devops",
    "vsts": "azure-devops",
    "clubhouse": "shortcut",
}
"""Other spellings accepted for a format name."""


def lookup(name: str) -> Preset | None:
    """The preset called ``name`` (any case, ``_`` for ``-``, or an alias), or None."""
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    return PRESETS.get(ALIASES.get(key, key))


def detect(names: Iterable[str]) -> str | None:
    """The name of the first format whose header signature is in ``names``, or None."""
    names = list(names)
    for preset in _PRESETS:
        if preset.detect and preset.matches(names):
            return preset.name
    return None


def choose(
    label: str, kind: str, fmt: str, names: Iterable[str], columns: Mapping[str, str], *, entry: bool = False
) -> Preset:
    """The preset to read a file labelled ``label`` with header ``names`` as ``kind``.

    ``fmt``: a format name, or ``auto`` (detected from the header; with no match, ``generic``
    when ``columns`` are given, ``deployments`` for that kind). Raises InputError naming the
    file for an unknown or undetectable format, or one that does not hold ``kind`` (``entry``:
    the advice names the ``[[imports]]`` entry's ``format`` key, not ``--format``).
    """
    known = ", ".join(PRESETS)
    if not fmt or fmt.strip().lower() == "auto":
        name = detect(names)
        if name is None:
            if columns:
                name = "generic"
            elif kind == "deployments":
                name = "deployments"
            else:
                generic = 'format = "generic"' if entry else "--format generic"
                raise InputError(
                    f"{label}: cannot tell the export format from the header "
                    f"(known formats: {known}); {telling(entry=entry)}, or {generic} "
                    "with `columns` in the config"
                )
        preset = PRESETS[name]
    else:
        found = lookup(fmt)
        if found is None:
            raise InputError(f"{label}: unknown format {fmt!r} (known formats: {known})")
        preset = found
    if kind not in preset.kinds:
        holds = " or ".join(preset.kinds)
        raise InputError(
            f"{label}: the {preset.name} format holds {holds}, not {kind} (use `dora-tui import {preset.kinds[0]}`)"
        )
    return preset


def generic_columns(kind: str, columns: Mapping[str, str], label: str) -> dict[str, tuple[str, ...]]:
    """The field -> column map for a ``columns`` setting; ValueError naming an unknown key.

    Keys are those of :data:`GENERIC_KEYS` for ``kind`` (``key``, ``created_at``... for
    tickets; ``id``, ``opened_at``... for incidents; ``service``, ``name``, ``time`` for
    deployments). For the ``generic`` format a field not named in ``columns`` is read from
    a column called like the key, when there is one.
    """
    keys = GENERIC_KEYS[kind]
    out: dict[str, tuple[str, ...]] = {}
    for key, column in columns.items():
        if key not in keys:
            known = ", ".join(dict.fromkeys(keys))
            raise ValueError(f"{label}: columns: unknown field {key!r} for {kind} (known: {known})")
        out[keys[key]] = (column,)
    return out


def generic_defaults(kind: str) -> dict[str, tuple[str, ...]]:
    """For the ``generic`` format: each field read from the column named like its key(s)."""
    out: dict[str, list[str]] = {}
    for key, fld in GENERIC_KEYS[kind].items():
        out.setdefault(fld, []).append(key)
    return {k: tuple(v) for k, v in out.items()}


_LEVEL_NUMBER = re.compile(r"\s*(?:p|s|sev|severity|priority|prio)?[\s_:-]*(\d+)\b", re.I)
_LEVEL_WORDS = {
    "critical": 1,
    "highest": 1,
    "urgent": 1,
    "blocker": 1,
    "emergency": 1,
    "high": 2,
    "major": 2,
    "medium": 3,
    "moderate": 3,
    "normal": 3,
    "low": 4,
    "minor": 4,
    "lowest": 5,
    "planning": 5,
    "trivial": 5,
}


def severity_level(text: str) -> int | None:
    """The level in a severity or priority as shown by the tools; 1 is the most severe.

    ``"1 - Critical"`` -> 1, ``"P2"`` -> 2, ``"SEV-3"`` -> 3, ``"High"`` -> 2 (words:
    critical/highest/urgent 1, high 2, medium/moderate 3, low 4, lowest/planning 5).
    None when there is no level in the text. Incidents keep the text as read.
    """
    m = _LEVEL_NUMBER.match(text)
    if m:
        return int(m.group(1))
    words = re.findall(r"[a-z]+", text.lower())
    return next((_LEVEL_WORDS[w] for w in words if w in _LEVEL_WORDS), None)
