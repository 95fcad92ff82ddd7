"""The dashboard's data facade: everything the screens show, read through store, report and metrics.

Plain Python (no Textual, no Rich), so it can be tested and benchmarked on its own and used
from worker threads. A :class:`Dashboard` opens the configuration's database (one SQLite
connection per thread: a connection may only be used by the thread that opened it),
computes :func:`dora_tui.ops.report.compute` once per window size and keeps the results, so a
page only looks figures up. Rows behind a figure (deployments, changes, incidents, tickets)
are read on demand, a few milliseconds each; a page's recent deployments and a service's
deployment outcomes are cached until the next collect.

The objects it returns, and the text helpers every screen uses (:func:`safe_text`, the
formatters, :data:`METRICS`), are in :mod:`dora_tui.tui.facade.views` and importable from here
too; the functions building them are in :mod:`dora_tui.tui.facade.rows`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from collectors.records import Ticket
from dora_tui.config.settings import Config, load_file
from dora_tui.core.attribution import Outcome
from dora_tui.core.periods import Window, local_midnight
from dora_tui.ops import report as report_module
from dora_tui.store.database import Store
from dora_tui.tui.facade.rows import (
    change_counts,
    change_row,
    deployment_row,
    directory,
    entity_view,
    incident_row,
    latest_outcomes,
    skeleton,
    ticket_row,
)
from dora_tui.tui.facade.views import (
    METRIC_BY_KEY,
    METRICS,
    ChangeRow,
    DeploymentDetail,
    DeploymentRow,
    DirectoryEntry,
    EntityView,
    IncidentRow,
    Metric,
    MetricFigures,
    MonthInfo,
    MonthRows,
    TeamGroup,
    TicketRow,
    format_hours,
    format_value,
    safe_text,
    trend_words,
)

if TYPE_CHECKING:
    from dora_tui.ops.imports import ImportSummary

__all__ = [
    "METRICS",
    "METRIC_BY_KEY",
    "RECENT_DEPLOYMENTS",
    "WINDOW_SIZES",
    "ChangeRow",
    "Dashboard",
    "DeploymentDetail",
    "DeploymentRow",
    "DirectoryEntry",
    "EntityView",
    "IncidentRow",
    "Metric",
    "MetricFigures",
    "MonthInfo",
    "MonthRows",
    "TeamGroup",
    "TicketRow",
    "format_hours",
    "format_value",
    "safe_text",
    "trend_words",
]

WINDOW_SIZES = (6, 12, 24)
"""The window sizes ``m`` cycles through, in months."""

RECENT_DEPLOYMENTS = 20
"""How many deployments a service or team page lists."""


@dataclass
class _Computed:
    window: Window
    directory: tuple[TeamGroup, ...]
    views: dict[tuple[str, str], EntityView] = field(default_factory=dict)


@dataclass
class _RowCache:
    """Rows read on demand, for the data of one collect (a refresh swaps in an empty cache)."""

    outcomes: dict[str, list[Outcome]] = field(default_factory=dict)
    recent: dict[tuple[str, str, int], list[DeploymentRow]] = field(default_factory=dict)


class Dashboard:
    """The data behind the dashboard, for one configuration and one fixed "today".

    Figures are computed by :meth:`load` (slow: call it from a worker thread) and kept per
    window size; every other method is a lookup or a small indexed query.
    """

    def __init__(self, config: Config, *, today: date | None = None) -> None:
        self.config = config
        self._fixed_today = today
        self._today = today or datetime.now(config.tz).date()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._computed: dict[int, _Computed] = {}
        self._rows = _RowCache()

    @classmethod
    def open(cls, config_path: Path, *, today: date | None = None) -> Dashboard:
        """A dashboard over the config file at ``config_path``."""
        return cls(load_file(config_path), today=today)

    # -- connections ----------------------------------------------------------------------

    @property
    def store(self) -> Store:
        """This thread's connection to the database (opened, and created, on first use)."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store.open(self.config.database)
            self._local.store = store
        return store

    def close(self) -> None:
        """Close this thread's connection (other threads' close when their thread ends)."""
        store = getattr(self._local, "store", None)
        if store is not None:
            store.close()
            self._local.store = None

    # -- window and computation -----------------------------------------------------------

    @property
    def today(self) -> date:
        """The day the windows end with."""
        return self._today

    @property
    def default_months(self) -> int:
        """The window size to start with: the config's ``months``."""
        return self.config.months

    def next_months(self, months: int) -> int:
        """The window size after ``months`` in the 6 / 12 / 24 cycle."""
        later = [m for m in WINDOW_SIZES if m > months]
        return later[0] if later else WINDOW_SIZES[0]

    def needs_collect(self) -> bool:
        """True when services are configured but nothing was ever collected into the database."""
        return bool(self.config.services) and self.store.last_event("collect") is None

    def collect(self, progress: Callable[[str, int, int], None] | None = None):
        """Re-collect every repository with a fresh connection of this thread.

        The figures shown so far stay until :meth:`refresh` swaps in new ones.
        """
        from dora_tui.ops.collect import collect

        store = Store.open(self.config.database)
        try:
            return collect(self.config, store, progress=progress)
        finally:
            store.close()

    def import_all(self) -> list[ImportSummary]:
        """Re-read every ``[[imports]]`` source of the config (nothing when there is none).

        All or nothing, with a fresh connection of this thread: a bad file raises
        :class:`dora_tui.ops.imports.ImportRejected` and stores nothing. Returns the summaries.
        """
        if not self.config.imports:
            return []
        from dora_tui.ops.imports import import_all

        store = Store.open(self.config.database)
        try:
            return import_all(self.config, store)
        finally:
            store.close()

    def collected_at(self) -> int | None:
        """When the data was last collected (epoch seconds), or None when it never was."""
        return self.store.last_event("collect")

    def refresh(self, months: int) -> None:
        """Recompute a window after a collect and swap it in, forgetting every other cached figure.

        "Today" moves on unless it was fixed.
        """
        today = self._fixed_today or datetime.now(self.config.tz).date()
        computed = self._compute(months, today)
        with self._lock:
            self._today = today
            self._computed = {months: computed}
            self._rows = _RowCache()

    def is_loaded(self, months: int) -> bool:
        """True when the figures of a ``months`` window are ready."""
        return months in self._computed

    def load(self, months: int) -> None:
        """Compute (once) the figures of every service and team over ``months`` months."""
        if months in self._computed:
            return
        computed = self._compute(months, self._today)
        with self._lock:
            self._computed[months] = computed

    def _compute(self, months: int, today: date) -> _Computed:
        rep = report_module.compute(self.config, self.store, as_of=today, months=months)
        months_info = tuple(MonthInfo(m.key, m.start, m.end, m.complete) for m in rep.window.months)
        views = {
            (e.kind, e.name): entity_view(e, months_info, rep.window.as_of, self.config.trend_months)
            for e in rep.entities
        }
        return _Computed(rep.window, directory(self.config, views), views)

    def _get(self, months: int) -> _Computed:
        computed = self._computed.get(months)
        if computed is None:
            self.load(months)
            computed = self._computed[months]
        return computed

    # -- lookups --------------------------------------------------------------------------

    def names(self) -> list[tuple[str, str, str | None]]:
        """(kind, name, team) of every team and service, from the config (no computation)."""
        items: list[tuple[str, str, str | None]] = [("team", t.name, t.name) for t in self.config.teams]
        items += [("service", s.name, s.team) for s in self.config.services]
        return items

    def directory(self, months: int) -> tuple[TeamGroup, ...]:
        """Teams with their services (then services of no team) and their trends."""
        return self._get(months).directory

    def skeleton(self) -> tuple[TeamGroup, ...]:
        """The directory's names from the config alone, without trends (shown while computing)."""
        return skeleton(self.config)

    def entity(self, kind: str, name: str, months: int) -> EntityView | None:
        """A service's or team's figures, or None when there is no such entity."""
        return self._get(months).views.get((kind, name))

    def services_of(self, kind: str, name: str) -> list[str]:
        """The services behind an entity: itself for a service, its members for a team."""
        if kind == "service":
            return [name]
        return sorted(s.name for s in self.config.services_of(name))

    # -- rows -----------------------------------------------------------------------------

    @property
    def cutoff(self) -> int:
        """The end of "today": nothing later is counted."""
        return local_midnight(self._today + timedelta(days=1), self.config.tz)

    def outcomes(self, service: str) -> list[Outcome]:
        """Every deployment of ``service`` up to today with what became of it (cached)."""
        cache = self._rows.outcomes
        cached = cache.get(service)
        if cached is None:
            cached = report_module.outcomes_for(self.config, self.store, service, self.cutoff)
            cache[service] = cached
        return cached

    def recent_deployments(self, kind: str, name: str, limit: int = RECENT_DEPLOYMENTS) -> list[DeploymentRow]:
        """The latest ``limit`` deployments of a service or of a team's services, newest first (cached).

        One indexed query from a time the window's monthly counts say holds enough of them;
        outcomes over the whole history are only computed when an incident needs them.
        """
        rows = self._rows
        key = (kind, name, limit)
        cached = rows.recent.get(key)
        if cached is not None:
            return cached
        services = self.services_of(kind, name)
        cutoff = self.cutoff
        outcomes = latest_outcomes(
            self.store,
            services,
            since=self._since(kind, name, limit),
            cutoff=cutoff,
            limit=limit,
            window_hours=self.config.window_hours,
            history=self.outcomes,
        )
        found: list[DeploymentRow] = []
        if outcomes:
            counts = change_counts(self.store, services, outcomes[0].deployment.time, cutoff)
            found = [deployment_row(o, counts) for o in reversed(outcomes)]
        rows.recent[key] = found
        return found

    def _since(self, kind: str, name: str, limit: int) -> int | None:
        """The start of the latest month from which a loaded window counts ``limit`` deployments."""
        for computed in sorted(self._computed.values(), key=lambda c: -len(c.window.months)):
            view = computed.views.get((kind, name))
            if view is None:
                continue
            total = 0
            for info, count in zip(reversed(view.months), reversed(view.metric("deployment_frequency").series)):
                total += count or 0
                if total >= limit:
                    return info.start
        return None

    def deployment(self, service: str, name: str) -> DeploymentDetail | None:
        """A deployment of ``service``, its changes with lead times, and the incidents that failed it."""
        outcome = next((o for o in self.outcomes(service) if o.deployment.name == name), None)
        if outcome is None:
            return None
        changes = tuple(change_row(c) for c in self.store.changes([service], deployment=name))
        wanted = set(outcome.incidents)
        incidents = tuple(incident_row(i, name) for i in self.store.incidents([service]) if i.id in wanted)
        row = deployment_row(outcome, {(service, name): len(changes)})
        return DeploymentDetail(row, changes, incidents)

    def incidents(self, kind: str, name: str) -> list[IncidentRow]:
        """Every incident of a service (or of a team's services and its unmapped ones), newest first."""
        services = self.services_of(kind, name)
        failed = self._failed_by(services)
        found = list(self.store.incidents(services))
        if kind == "team":
            found += [i for i in self.store.incidents() if i.service is None and i.team == name]
        found = [i for i in found if i.opened_at < self.cutoff]
        found.sort(key=lambda i: (i.opened_at, i.id), reverse=True)
        return [incident_row(i, failed.get((i.service, i.id), ""), self.cutoff) for i in found]

    def month_rows(self, kind: str, name: str, metric_key: str, month: int, months: int) -> MonthRows:
        """The rows behind ``metric_key`` in month number ``month`` of the ``months`` window."""
        metric = METRIC_BY_KEY[metric_key]
        info = self._get_month(months, month)
        services = self.services_of(kind, name)
        start, end = info.start, min(info.end, self.cutoff)
        rows: list[object]
        if metric.rows == "deployments":
            if all(s in self._rows.outcomes for s in services):  # the whole history is at hand
                found = [o for s in services for o in self.outcomes(s)]
                found.sort(key=lambda o: (o.deployment.time, o.deployment.service, o.deployment.name))
            else:  # the deployments from the month on: enough to tell what became of them
                found = latest_outcomes(
                    self.store,
                    services,
                    since=start,
                    cutoff=self.cutoff,
                    limit=None,
                    window_hours=self.config.window_hours,
                    history=self.outcomes,
                )
            outcomes = [o for o in found if start <= o.deployment.time < end]
            counts = change_counts(self.store, services, start, end)
            rows = [deployment_row(o, counts) for o in outcomes]
        elif metric.rows == "changes":
            rows = [change_row(c) for c in self.store.changes(services, since=start, until=end)]
        elif metric.rows == "incidents":
            rows = [
                i
                for i in reversed(self.incidents(kind, name))
                if i.resolved_at is not None and start <= i.resolved_at < end
            ]
        else:
            rows = [
                ticket_row(t)
                for t in self._tickets(kind, name)
                if t.resolved_at is not None and start <= t.resolved_at < end
            ]
        return MonthRows(metric.rows, info, tuple(rows))

    def _get_month(self, months: int, index: int) -> MonthInfo:
        window = self._get(months).window
        m = window.months[index]
        return MonthInfo(m.key, m.start, m.end, m.complete)

    def _tickets(self, kind: str, name: str) -> Iterable[Ticket]:
        """A service's tickets; a team's own and its services' (each once), as the report counts them."""
        if kind == "service":
            return [t for t in self.store.tickets() if t.service == name]
        services = set(self.services_of(kind, name))
        return [t for t in self.store.tickets() if t.team == name or t.service in services]

    def _failed_by(self, services: list[str]) -> dict[tuple[str | None, str], str]:
        failed: dict[tuple[str | None, str], str] = {}
        for s in services:
            for o in self.outcomes(s):
                for incident in o.incidents:
                    failed[(s, incident)] = o.deployment.name
        return failed

    # -- time -----------------------------------------------------------------------------

    @property
    def tz(self) -> ZoneInfo:
        """The configured time zone (months and shown times)."""
        return self.config.tz

    def local_time(self, t: int | None) -> str:
        """An epoch second as a local ``YYYY-MM-DD HH:MM`` (empty for None)."""
        if t is None:
            return ""
        return datetime.fromtimestamp(t, self.config.tz).strftime("%Y-%m-%d %H:%M")
