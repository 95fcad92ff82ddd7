"""``import tickets`` / ``import incidents`` of a JSON export (Trello, GitHub issues, Statuspage).

README, ``dora-tui import``.

:func:`dora_tui.ops.imports.import_file` sends a ticket or incident export here when it is
JSON (its items loaded once by :func:`dora_tui.ops.deploy_exports.load`): :func:`read`
reads them with the ``[[imports]]`` entry's settings and the request's options
(:func:`tracker_settings`) into the same :class:`~collectors.exports.read.ImportResult` a
CSV read gives, plus its bad items as :class:`~dora_tui.ops.rejected.RejectedItems`; the
import then checks and stores them as it does a CSV's rows.
"""

from __future__ import annotations

from dataclasses import astuple
from datetime import tzinfo
from typing import TYPE_CHECKING

from collectors.exports.read import ImportResult
from dora_tui.config import Config, ImportSource
from dora_tui.ops.rejected import RejectedItems

if TYPE_CHECKING:  # the readers load when a JSON ticket or incident export is read, not for a CSV one
    from collectors.trackers.read import TrackerSettings


def tracker_settings(
    config: Config,
    kind: str,
    format: str | None,
    service: str | None,
    team: str | None,
    entry: ImportSource,
    tz: tzinfo,
    *,
    from_entry: bool = False,
) -> TrackerSettings:
    """How to read a JSON ticket or incident export as ``kind``: ``entry``'s settings (its name
    as the source, its maps, unplanned rule, ``done_lists`` and ``incident_labels``), with the
    request's ``format``, ``service`` and ``team`` over them, and times without an offset read
    in ``tz``. ``from_entry``: ``entry`` is the export's own and no ``--format`` was given (an
    error's advice names the entry's ``format`` key)."""
    from collectors.trackers.read import TrackerSettings

    return TrackerSettings(
        kind=kind,
        format=format or entry.format,
        source=entry.name,
        service=service,
        team=team,
        service_map=entry.service_map,
        team_map=entry.team_map,
        services={s.name: s.team for s in config.services},
        teams=frozenset(t.name for t in config.teams),
        unplanned_types=entry.unplanned_types,
        unplanned_labels=entry.unplanned_labels,
        done_lists=entry.done_lists,
        incident_labels=entry.incident_labels,
        tz=tz,
        from_entry=from_entry,
    )


def read(label: str, items: list[object], settings: TrackerSettings) -> tuple[ImportResult, RejectedItems]:
    """Read ``items`` with ``settings`` into the rows an import stores and its bad items."""
    from collectors.trackers.read import read_trackers

    got = read_trackers(items, label, settings)
    result = ImportResult(
        format=got.format,
        kind=settings.kind,
        records=tuple(astuple(row) for row in got.rows),
        errors=(),
        fieldnames=(),
        unmapped=sum(got.unmapped_values.values()),
        unmapped_values=got.unmapped_values,
        source=got.source,
        notes=got.notes,
    )
    return result, RejectedItems(got.errors, format=got.format)
