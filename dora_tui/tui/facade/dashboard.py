"""The dashboard's data facade: everything the screens show, read through the store, the report and the metrics.

Plain Python (no Textual, no Rich), so it can be tested and benchmarked on its own and used
from worker threads. A :class:`Dashboard` opens the configuration's database (one SQLite
connection per thread: a connection may only be used by the thread that opened it),
computes :func:`dora_tui.ops.report.compute` once per window size and keeps the results, so a
page only looks figures up. The rows behind a figure (deployments, changes, incidents,
tickets) are read on demand by a :class:`~dora_tui.tui.facade.drilldown.DrillDown`, which
keeps a page's recent deployments and a service's deployment outcomes until the next collect.

The objects it returns, and the text helpers every screen uses (:func:`safe_text`, the
formatters, :data:`METRICS`), are in :mod:`dora_tui.tui.facade.views`; the functions
building them are in :mod:`dora_tui.tui.facade.rows`. The UI reaches the configuration, the
store and the operations only through this module.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from dora_tui import config as config_module
from dora_tui.config import Config as Config
from dora_tui.core.attribution import Outcome
from dora_tui.core.periods import Window
from dora_tui.core.sources import IMPORTS, source_of
from dora_tui.core.wording import counted
from dora_tui.errors import StoreError
from dora_tui.ops import report as report_module
from dora_tui.store.database import Store, damage_said
from dora_tui.tui.facade.drilldown import DrillDown
from dora_tui.tui.facade.rows import directory, entity_view, services_of, skeleton
from dora_tui.tui.facade.views import (
    DeploymentDetail,
    DeploymentRow,
    EntityView,
    IncidentRow,
    MonthInfo,
    MonthRows,
    TeamGroup,
)

if TYPE_CHECKING:  # collecting and importing are only loaded when they run (first paint stays quick)
    from dora_tui.ops.collect import CollectSummary
    from dora_tui.ops.imports import ImportSummary

WINDOW_SIZES = (6, 12, 24)
"""The window sizes ``m`` cycles through, in months."""

RECENT_DEPLOYMENTS = 20
"""How many deployments a service or team page lists."""


@dataclass
class _Computed:
    window: Window
    directory: tuple[TeamGroup, ...]
    views: dict[tuple[str, str], EntityView] = field(default_factory=dict)


@dataclass(frozen=True)
class Collected:
    """What a collect read, for the UI to say: ``found`` in words, and its warnings."""

    found: str
    warnings: list[str]


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
        self._generation = 0  # moved on by every refresh: a window computed before one is not kept
        self._rows = DrillDown(config, lambda: self.store, self._today)

    @classmethod
    def from_config_path(cls, path: Path | str | None, *, today: date | None = None) -> Dashboard:
        """A dashboard over the config file at ``path``; None looks the configuration up as the
        command line does (``DORA_TUI_CONFIG``, the usual places, zero-config in a git repository).

        Raises :class:`~dora_tui.errors.ConfigError` for a config that cannot be used.
        """
        config = config_module.load_file(Path(path)) if path else config_module.load()
        return cls(config, today=today)

    # -- connections ----------------------------------------------------------------------

    @property
    def store(self) -> Store:
        """This thread's connection to the database, for reading (opened on first use; created
        when there is none yet, so that the first collect can fill it). An existing database
        is opened read-only: the dashboard works in a read-only folder, and its collects and
        imports write through connections of their own."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            try:
                store = Store.open(self.config.database, readonly=True)
            except StoreError as exc:
                if exc.kind != "missing":
                    raise
                store = Store.open(self.config.database)
            self._local.store = store
        return store

    def close(self) -> None:
        """Close this thread's connection (other threads' close when their thread ends)."""
        store: Store | None = getattr(self._local, "store", None)
        if store is not None:
            store.close()
            self._local.store = None

    def reading(self) -> contextlib.AbstractContextManager[None]:
        """Around what a page reads: a value another program put in the database (a text where
        a time belongs) that stops it is said as the damage it is, a
        :class:`~dora_tui.errors.StoreError` naming the table, the column and the value
        (:func:`~dora_tui.store.database.damage_said`), which the page shows in one line."""
        return damage_said(self.config.database)

    # -- configuration --------------------------------------------------------------------

    @property
    def months(self) -> int:
        """The window size to start with: the config's ``months``."""
        return self.config.months

    @property
    def has_services(self) -> bool:
        """True when the config names at least one service."""
        return bool(self.config.services)

    @property
    def has_imports(self) -> bool:
        """True when the config lists ``[[imports]]`` sources, which a re-collect re-reads."""
        return bool(self.config.imports)

    # -- window and computation -----------------------------------------------------------

    @property
    def today(self) -> date:
        """The day the windows end with."""
        return self._today

    def next_months(self, months: int) -> int:
        """The window size after ``months`` in the 6 / 12 / 24 cycle."""
        later = [m for m in WINDOW_SIZES if m > months]
        return later[0] if later else WINDOW_SIZES[0]

    def needs_collect(self) -> bool:
        """True when services are configured but nothing was ever collected into the database."""
        return self.has_services and not self.store.happened("collect")

    def collect(self, progress: Callable[[str, int, int], None] | None = None) -> Collected:
        """Re-collect every repository with a fresh connection of this thread; says what it found.

        ``progress`` is called with (stage, done, total) as the collect goes. The figures
        shown so far stay until :meth:`refresh` swaps in new ones.
        """
        from dora_tui.ops.collect import collect

        store = Store.open(self.config.database)
        try:
            summary = collect(self.config, store, progress=progress)
        finally:
            store.close()
        return Collected(collected_words(summary), summary.warnings)

    def import_all(self) -> str:
        """Re-read every ``[[imports]]`` source of the config; returns what was stored, in words
        (see :func:`imported_words`; empty when there is no source).

        All or nothing, with a fresh connection of this thread: a bad file raises
        :class:`dora_tui.errors.ImportRejected` (a DoraError whose ``details`` list the
        bad rows) and stores nothing.
        """
        if not self.config.imports:
            return ""
        from dora_tui.ops.imports import import_all

        store = Store.open(self.config.database)
        try:
            return imported_words(import_all(self.config, store))
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
            self._generation += 1
            self._rows = DrillDown(self.config, lambda: self.store, today)

    def is_loaded(self, months: int) -> bool:
        """True when the figures of a ``months`` window are ready."""
        return months in self._computed

    def load(self, months: int) -> None:
        """Compute (once) the figures of every service and team over ``months`` months. Figures
        computed while a :meth:`refresh` swapped in newer ones are not kept over them: the
        window is computed again, from what the refresh read."""
        while months not in self._computed:  # computed again when a refresh came meanwhile
            generation = self._generation
            computed = self._compute(months, self._today)
            with self._lock:
                if generation == self._generation:
                    self._computed[months] = computed

    def _compute(self, months: int, today: date) -> _Computed:
        rep = report_module.compute(self.config, self.store, as_of=today, months=months)
        months_info = tuple(MonthInfo(m.key, m.start, m.end, m.complete) for m in rep.window.months)
        views = {
            (e.kind, e.name): entity_view(e, months_info, rep.window, self.config.trend_months) for e in rep.entities
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

    def deployments_from(self, service: str) -> str:
        """Where a service's deployments come from, in words: ``its tags matching 'v*'`` or
        ``its imported deployments (kubernetes)`` (:mod:`dora_tui.core.sources`)."""
        found = self.config.service(service)
        if found is None:
            return ""
        sources = self.store.import_sources(service)
        if source_of(found.deployments, bool(sources)) == IMPORTS:
            return f"its imported deployments ({', '.join(sources) or 'none yet'})"
        return f"its tags matching {found.tag_pattern.text!r}"

    def services_of(self, kind: str, name: str) -> list[str]:
        """The services behind an entity: itself for a service, its members for a team."""
        return services_of(self.config, kind, name)

    # -- rows (see DrillDown) -------------------------------------------------------------

    def outcomes(self, service: str) -> list[Outcome]:
        """Every deployment of ``service`` up to today with what became of it (kept until the next collect)."""
        return self._rows.outcomes(service)

    def recent_deployments(self, kind: str, name: str, limit: int = RECENT_DEPLOYMENTS) -> list[DeploymentRow]:
        """The latest ``limit`` deployments of a service or of a team's services, newest first (kept).

        One indexed query from a time the window's monthly counts say holds enough of them.
        """
        return self._rows.recent_deployments(kind, name, limit, lambda: self._since(kind, name, limit))

    def _since(self, kind: str, name: str, limit: int) -> int | None:
        """The start of the latest month from which a loaded window counts ``limit`` deployments."""
        for computed in sorted(self._computed.values(), key=lambda c: -len(c.window.months)):
            view = computed.views.get((kind, name))
            if view is None:
                continue
            total: float = 0
            for info, count in zip(reversed(view.months), reversed(view.metric("deployment_frequency").series)):
                total += count or 0
                if total >= limit:
                    return info.start
        return None

    def deployment(self, service: str, name: str) -> DeploymentDetail | None:
        """A deployment of ``service``, its changes with lead times, and the incidents that failed it."""
        return self._rows.deployment(service, name)

    def incidents(self, kind: str, name: str) -> list[IncidentRow]:
        """Every incident of a service (or of a team's services and its unmapped ones), newest first."""
        return self._rows.incidents(kind, name)

    def month_rows(self, kind: str, name: str, metric_key: str, month: int, months: int) -> MonthRows:
        """The rows behind ``metric_key`` in month number ``month`` of the ``months`` window."""
        m = self._get(months).window.months[month]
        return self._rows.month_rows(kind, name, metric_key, MonthInfo(m.key, m.start, m.end, m.complete))

    def local_time(self, t: int | None) -> str:
        """An epoch second as a local ``YYYY-MM-DD HH:MM`` (empty for None)."""
        if t is None:
            return ""
        return datetime.fromtimestamp(t, self.config.tz).strftime("%Y-%m-%d %H:%M")


def collected_words(summary: CollectSummary) -> str:
    """What a collect read: ``nothing new in 6 repositories`` or ``42 new commits, 180 deployments``."""
    if summary.unchanged == summary.repositories:
        return f"nothing new in {counted(summary.repositories, 'repository', 'repositories')}"
    return f"{counted(summary.commits_read, 'new commit')}, {counted(sum(summary.deployments.values()), 'deployment')}"


def imported_words(summaries: list[ImportSummary]) -> str:
    """What re-reading the imports stored, by kind: ``3 incidents, 12 tickets`` (empty for nothing)."""
    stored: dict[str, int] = {}
    for s in summaries:
        stored[s.kind] = stored.get(s.kind, 0) + s.stored
    return ", ".join(counted(n, kind.removesuffix("s")) for kind, n in stored.items())
