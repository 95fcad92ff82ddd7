"""The dashboard's data facade: everything the screens show, read through store, report and metrics.

Plain Python (no Textual, no Rich), so it can be tested and benchmarked on its own and used
from worker threads. A :class:`Dashboard` opens the configuration's database (one SQLite
connection per thread: a connection may only be used by the thread that opened it),
computes :func:`dora_tui.report.compute` once per window size and keeps the results, so a
page only looks figures up. Rows behind a figure (deployments, changes, incidents, tickets)
are read on demand, a few milliseconds each, and the per-service deployment outcomes are
cached until the next collect.

It also holds the small text helpers the UI uses everywhere: :func:`safe_text`, which makes
untrusted text (commit subjects, tag names, incident titles, people's names) printable, and
the value formatters.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from . import report as report_module
from . import trends
from .config import Config, load_file
from .metrics import Outcome
from .models import Incident, Ticket
from .periods import Window, local_midnight
from .store import Store

WINDOW_SIZES = (6, 12, 24)
RECENT_DEPLOYMENTS = 20

# ---------------------------------------------------------------------------------------------
# Untrusted text


def _control_table() -> dict[int, str]:
    table = {code: chr(0x2400 + code) for code in range(32)}  # C0 controls -> control pictures
    table[0x09] = " "
    table[0x0A] = "\u2424"  # ␤
    table[0x7F] = "\u2421"  # ␡
    for code in range(0x80, 0xA0):  # C1 controls (0x9b is a one-byte CSI)
        table[code] = "\ufffd"
    for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C):
        table[code] = "\ufffd"  # bidirectional overrides ("trojan source")
    return table


_CONTROLS = _control_table()


def safe_text(text: object) -> str:
    """``text`` made printable: control characters become visible placeholders (ESC is ``␛``).

    The result still has to be shown literally (as a Rich ``Text`` or Textual ``Content``,
    never parsed as markup); this only makes sure no byte can reach the terminal as a control
    sequence.
    """
    if text is None:
        return ""
    return str(text).translate(_CONTROLS)


# ---------------------------------------------------------------------------------------------
# Metrics shown as cards


@dataclass(frozen=True)
class Metric:
    """One card of an entity page: which figures it shows and which rows lie behind it."""

    key: str
    title: str
    short: str
    month_key: str
    better: str
    unit: str
    rows: str
    definition: str


METRICS: tuple[Metric, ...] = (
    Metric("deployment_frequency", "Deployment frequency", "Deploy", "deployments", "up", "count",
           "deployments",
           "How often a service reaches production: deployments in the month (and the distinct "
           "days with one). A deployment is a tag matching the service's tag pattern. Higher is "
           "better."),
    Metric("lead_time", "Lead time", "Lead", "lead_time_median_h", "down", "hours", "changes",
           "Time from a commit to the deployment that first carried it to production; the median "
           "over the changes deployed in the month. The first deployment is a baseline whose "
           "commits count nowhere. Lower is better."),
    Metric("change_failure_rate", "Change failure rate", "Fail", "change_failure_rate", "down",
           "rate", "deployments",
           "Share of the month's deployments that failed: an incident names the deployment, or "
           "opens after it, before the next one and within the attribution window. Lower is better."),
    Metric("time_to_restore", "Time to restore", "Restore", "time_to_restore_median_h", "down",
           "hours", "incidents",
           "Median time from an incident opening to its resolution, over the incidents resolved "
           "in the month. Lower is better."),
    Metric("rework_rate", "Rework rate", "Rework", "rework_rate", "down", "rate", "deployments",
           "Share of deployments that were unplanned fixes: made while an incident was open, or "
           "named like a hotfix, rollback or revert. Lower is better."),
    Metric("unplanned_work_rate", "Unplanned work", "Unpl.", "unplanned_work_rate", "down", "rate",
           "tickets",
           "Share of the tickets resolved in the month that were unplanned (bugs, incidents, or "
           "labelled unplanned). Lower is better."),
)
METRIC_BY_KEY = {m.key: m for m in METRICS}


def format_value(unit: str, value: float | None) -> str:
    """A figure as shown: counts as they are, hours as minutes, hours or days, rates in %."""
    if value is None:
        return "–"
    if unit == "count":
        return str(int(value))
    if unit == "rate":
        text = f"{value * 100:.1f}".removesuffix(".0")
        return f"{text} %"
    return format_hours(value)


def format_hours(hours: float | None) -> str:
    """A duration in hours as ``35 min``, ``20.5 h`` or ``3.2 d``."""
    if hours is None:
        return "–"
    if hours < 1:
        return f"{hours * 60:.0f} min"
    if hours < 48:
        return f"{hours:.1f}".removesuffix(".0") + " h"
    return f"{hours / 24:.1f}".removesuffix(".0") + " d"


def trend_words(trend: str, values: Sequence[float], better: str) -> str:
    """``worsening for 4 months``, ``improving``, ``flat`` or ``not enough data``."""
    if trend == trends.INSUFFICIENT:
        return "not enough data"
    if trend == trends.FLAT:
        return "flat"
    worse_way = better if trend == trends.WORSENING else ("down" if better == "up" else "up")
    run = trends.run_length(list(values), worse_way)
    return f"{trend} for {run} months" if run >= 2 else trend


# ---------------------------------------------------------------------------------------------
# What the screens receive


@dataclass(frozen=True)
class MonthInfo:
    """One month of the window: its key, its bounds in epoch seconds, and whether it is over."""

    key: str
    start: int
    end: int
    complete: bool


@dataclass(frozen=True)
class MetricFigures:
    """One metric of one entity: what its card and its chart show."""

    metric: Metric
    current: str
    window: str
    window_detail: str
    tier: str | None
    trend: str
    words: str
    series: tuple[float | int | None, ...]


@dataclass(frozen=True)
class EntityView:
    """A service or team page's figures, computed once per window size."""

    kind: str
    name: str
    team: str | None
    services: tuple[str, ...]
    months: tuple[MonthInfo, ...]
    metrics: tuple[MetricFigures, ...]
    needs_attention: bool
    as_of: date

    def metric(self, key: str) -> MetricFigures:
        """The figures of metric ``key``."""
        return next(m for m in self.metrics if m.metric.key == key)


@dataclass(frozen=True)
class DirectoryEntry:
    """A name on the home page with its trend per metric (never its values)."""

    kind: str
    name: str
    team: str | None
    trends: dict[str, str]
    needs_attention: bool


@dataclass(frozen=True)
class TeamGroup:
    """A team and its services; ``team`` is None for services owned by no team."""

    team: DirectoryEntry | None
    services: tuple[DirectoryEntry, ...]


@dataclass(frozen=True)
class DeploymentRow:
    """A deployment with what became of it."""

    service: str
    name: str
    time: int
    sha: str
    message: str
    changes: int
    failed: bool
    rework: bool
    baseline: bool
    recovered_at: int | None
    incidents: tuple[str, ...]


@dataclass(frozen=True)
class ChangeRow:
    """A change (commit) and its lead time."""

    service: str
    sha: str
    deployment: str
    author: str
    subject: str
    commit_time: int
    deploy_time: int
    lead_time_h: float
    negative: bool


@dataclass(frozen=True)
class IncidentRow:
    """An incident with its duration and the deployment it failed, if any."""

    source: str
    id: str
    service: str | None
    opened_at: int
    resolved_at: int | None
    duration_h: float | None
    severity: str
    title: str
    reference: str
    deployment: str


@dataclass(frozen=True)
class TicketRow:
    """A resolved ticket, planned or not."""

    key: str
    type: str
    status: str
    labels: tuple[str, ...]
    title: str
    created_at: int
    resolved_at: int | None
    unplanned: bool


@dataclass(frozen=True)
class DeploymentDetail:
    """A deployment, the changes it carried and the incidents attributed to it."""

    deployment: DeploymentRow
    changes: tuple[ChangeRow, ...]
    incidents: tuple[IncidentRow, ...]


@dataclass(frozen=True)
class MonthRows:
    """The rows behind one metric's figure in one month."""

    kind: str
    month: MonthInfo
    rows: tuple[object, ...]


@dataclass
class _Computed:
    window: Window
    directory: tuple[TeamGroup, ...]
    views: dict[tuple[str, str], EntityView] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------


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
        self._outcomes: dict[str, list[Outcome]] = {}

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
        from .collect import collect

        store = Store.open(self.config.database)
        try:
            return collect(self.config, store, progress=progress)
        finally:
            store.close()

    def refresh(self, months: int) -> None:
        """Recompute a window after a collect and swap it in, forgetting every other cached figure.

        "Today" moves on unless it was fixed.
        """
        today = self._fixed_today or datetime.now(self.config.tz).date()
        computed = self._compute(months, today)
        with self._lock:
            self._today = today
            self._computed = {months: computed}
            self._outcomes = {}

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
        views: dict[tuple[str, str], EntityView] = {}
        for e in rep.entities:
            views[(e.kind, e.name)] = self._view(e, months_info, rep.window.as_of)
        return _Computed(rep.window, self._directory(views), views)

    def _view(self, e: report_module.EntityReport, months: tuple[MonthInfo, ...], as_of: date) -> EntityView:
        figures = e.figures
        cards = []
        for metric in METRICS:
            series = tuple(month[metric.month_key] for month in figures.months)
            complete = [v for info, v in zip(months, series) if info.complete and v is not None]
            trend = figures.trends.get(metric.key, trends.INSUFFICIENT)
            cards.append(MetricFigures(
                metric=metric,
                current=format_value(metric.unit, series[-1]) if series else "–",
                window=format_value(metric.unit, figures.window[metric.month_key]),
                window_detail=_window_detail(metric, figures.window, len(months)),
                tier=figures.tiers.get(metric.key),
                trend=trend,
                words=trend_words(trend, complete[-self.config.trend_months:], metric.better),
                series=series,
            ))
        return EntityView(e.kind, e.name, e.team, e.services, months, tuple(cards),
                          figures.needs_attention, as_of)

    def _directory(self, views: dict[tuple[str, str], EntityView]) -> tuple[TeamGroup, ...]:
        def entry(view: EntityView) -> DirectoryEntry:
            return DirectoryEntry(view.kind, view.name, view.team,
                                  {m.metric.key: m.trend for m in view.metrics}, view.needs_attention)

        groups = []
        for team in sorted(self.config.teams, key=lambda t: t.name):
            members = sorted(s.name for s in self.config.services_of(team.name))
            groups.append(TeamGroup(entry(views[("team", team.name)]),
                                    tuple(entry(views[("service", n)]) for n in members)))
        loose = sorted(s.name for s in self.config.services if s.team is None)
        if loose:
            groups.append(TeamGroup(None, tuple(entry(views[("service", n)]) for n in loose)))
        return tuple(groups)

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
        def entry(kind: str, name: str, team: str | None) -> DirectoryEntry:
            return DirectoryEntry(kind, name, team, {}, False)

        groups = [TeamGroup(entry("team", t.name, t.name),
                            tuple(entry("service", n, t.name)
                                  for n in sorted(s.name for s in self.config.services_of(t.name))))
                  for t in sorted(self.config.teams, key=lambda t: t.name)]
        loose = sorted(s.name for s in self.config.services if s.team is None)
        if loose:
            groups.append(TeamGroup(None, tuple(entry("service", n, None) for n in loose)))
        return tuple(groups)

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
        cached = self._outcomes.get(service)
        if cached is None:
            cached = report_module.outcomes_for(self.config, self.store, service, self.cutoff)
            self._outcomes[service] = cached
        return cached

    def recent_deployments(self, kind: str, name: str, limit: int = RECENT_DEPLOYMENTS) -> list[DeploymentRow]:
        """The latest ``limit`` deployments of a service or of a team's services, newest first."""
        outcomes = [o for s in self.services_of(kind, name) for o in self.outcomes(s)[-limit:]]
        outcomes.sort(key=lambda o: (o.deployment.time, o.deployment.service, o.deployment.name))
        outcomes = outcomes[-limit:]
        if not outcomes:
            return []
        counts = self._change_counts(self.services_of(kind, name), outcomes[0].deployment.time, self.cutoff)
        return [_deployment_row(o, counts) for o in reversed(outcomes)]

    def deployment(self, service: str, name: str) -> DeploymentDetail | None:
        """A deployment of ``service``, its changes with lead times, and the incidents that failed it."""
        outcome = next((o for o in self.outcomes(service) if o.deployment.name == name), None)
        if outcome is None:
            return None
        changes = tuple(_change_row(c) for c in self.store.changes([service], deployment=name))
        wanted = set(outcome.incidents)
        incidents = tuple(_incident_row(i, name) for i in self.store.incidents([service]) if i.id in wanted)
        row = _deployment_row(outcome, {(service, name): len(changes)})
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
        return [_incident_row(i, failed.get((i.service, i.id), ""), self.cutoff) for i in found]

    def month_rows(self, kind: str, name: str, metric_key: str, month: int, months: int) -> MonthRows:
        """The rows behind ``metric_key`` in month number ``month`` of the ``months`` window."""
        metric = METRIC_BY_KEY[metric_key]
        info = self._get_month(months, month)
        services = self.services_of(kind, name)
        start, end = info.start, min(info.end, self.cutoff)
        rows: list[object]
        if metric.rows == "deployments":
            outcomes = [o for s in services for o in self.outcomes(s) if start <= o.deployment.time < end]
            outcomes.sort(key=lambda o: (o.deployment.time, o.deployment.service, o.deployment.name))
            counts = self._change_counts(services, start, end)
            rows = [_deployment_row(o, counts) for o in outcomes]
        elif metric.rows == "changes":
            rows = [_change_row(c) for c in self.store.changes(services, since=start, until=end)]
        elif metric.rows == "incidents":
            rows = [i for i in reversed(self.incidents(kind, name))
                    if i.resolved_at is not None and start <= i.resolved_at < end]
        else:
            rows = [_ticket_row(t) for t in self._tickets(kind, name)
                    if t.resolved_at is not None and start <= t.resolved_at < end]
        return MonthRows(metric.rows, info, tuple(rows))

    def _get_month(self, months: int, index: int) -> MonthInfo:
        window = self._get(months).window
        m = window.months[index]
        return MonthInfo(m.key, m.start, m.end, m.complete)

    def _tickets(self, kind: str, name: str) -> Iterable[Ticket]:
        if kind == "team":
            return self.store.tickets([name])
        service = self.config.service(name)
        teams = [service.team] if service is not None and service.team else None
        return [t for t in self.store.tickets(teams) if t.service == name]

    def _change_counts(self, services: Sequence[str], since: int, until: int) -> dict[tuple[str, str], int]:
        counts: dict[tuple[str, str], int] = {}
        for c in self.store.changes(list(services), since=since, until=until):
            counts[(c.service, c.deployment)] = counts.get((c.service, c.deployment), 0) + 1
        return counts

    def _failed_by(self, services: Sequence[str]) -> dict[tuple[str | None, str], str]:
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


def _window_detail(metric: Metric, window: dict[str, float | int | None], months: int) -> str:
    deployments = window["deployments"] or 0
    if metric.key == "deployment_frequency":
        return f"{deployments / months:.1f}".removesuffix(".0") + " a month"
    if metric.key == "lead_time":
        return f"{window['changes']} changes"
    if metric.key == "change_failure_rate":
        return f"{window['failed_deployments']} of {deployments}"
    if metric.key == "time_to_restore":
        return f"{window['incidents_resolved']} resolved"
    if metric.key == "rework_rate":
        return f"{window['rework_deployments']} of {deployments}"
    return f"{window['unplanned_tickets']} of {window['tickets_resolved']}"


def _deployment_row(o: Outcome, counts: dict[tuple[str, str], int]) -> DeploymentRow:
    d = o.deployment
    return DeploymentRow(d.service, d.name, d.time, d.sha, d.message,
                         counts.get((d.service, d.name), 0), o.failed, o.rework, d.baseline,
                         o.recovered_at, o.incidents)


def _change_row(c) -> ChangeRow:
    return ChangeRow(c.service, c.sha, c.deployment, c.author, c.subject, c.commit_time,
                     c.deploy_time, round(c.lead_time_s / 3600, 2), c.negative)


def _incident_row(i: Incident, deployment: str, cutoff: int | None = None) -> IncidentRow:
    resolved = i.resolved_at
    if cutoff is not None and resolved is not None and resolved >= cutoff:
        resolved = None
    duration = round((resolved - i.opened_at) / 3600, 2) if resolved is not None else None
    return IncidentRow(i.source, i.id, i.service, i.opened_at, resolved, duration, i.severity,
                       i.title, i.reference, deployment)


def _ticket_row(t: Ticket) -> TicketRow:
    return TicketRow(t.key, t.type, t.status, t.labels, t.title, t.created_at, t.resolved_at, t.unplanned)
