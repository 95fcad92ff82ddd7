"""The rows behind the dashboard's figures, read on demand: :class:`DrillDown`.

Plain Python like the rest of the facade (no Textual, no Rich). A :class:`DrillDown` reads,
for one "today", the deployments, changes, incidents and tickets behind a figure with small
indexed queries, and keeps a page's recent deployments and each service's deployment
outcomes; :class:`~dora_tui.tui.facade.dashboard.Dashboard` starts a new one after each
collect, so nothing read from older data is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from collectors.records import Ticket
from dora_tui.config import Config
from dora_tui.core.attribution import Outcome
from dora_tui.core.periods import local_midnight
from dora_tui.ops import report as report_module
from dora_tui.store.database import Store
from dora_tui.tui.facade.rows import (
    change_counts,
    change_row,
    deployment_row,
    incident_row,
    latest_outcomes,
    services_of,
    ticket_row,
)
from dora_tui.tui.facade.views import (
    METRIC_BY_KEY,
    DeploymentDetail,
    DeploymentRow,
    IncidentRow,
    MonthInfo,
    MonthRows,
)


class DrillDown:
    """The rows behind the figures of one configuration, up to the end of ``today``.

    ``store`` gives the calling thread's connection. What it reads is kept until the object
    is dropped: make a new one when the data changes.
    """

    def __init__(self, config: Config, store: Callable[[], Store], today: date) -> None:
        self.config = config
        self._store = store
        self.cutoff = local_midnight(today + timedelta(days=1), config.tz)
        """The end of "today": nothing later is counted."""
        self._outcomes: dict[str, list[Outcome]] = {}
        self._recent: dict[tuple[str, str, int], list[DeploymentRow]] = {}

    def outcomes(self, service: str) -> list[Outcome]:
        """Every deployment of ``service`` up to today with what became of it (kept)."""
        cached = self._outcomes.get(service)
        if cached is None:
            cached = report_module.outcomes_for(self.config, self._store(), service, self.cutoff)
            self._outcomes[service] = cached
        return cached

    def recent_deployments(
        self, kind: str, name: str, limit: int, since: Callable[[], int | None]
    ) -> list[DeploymentRow]:
        """The latest ``limit`` deployments of a service or of a team's services, newest first (kept).

        One indexed query from ``since()`` (a time the window's monthly counts say holds
        enough of them; None for the whole history); outcomes over the whole history are only
        computed when an incident needs them.
        """
        key = (kind, name, limit)
        cached = self._recent.get(key)
        if cached is not None:
            return cached
        store = self._store()
        services = services_of(self.config, kind, name)
        outcomes = latest_outcomes(
            store,
            services,
            since=since(),
            cutoff=self.cutoff,
            limit=limit,
            window_hours=self.config.window_hours,
            history=self.outcomes,
        )
        found: list[DeploymentRow] = []
        if outcomes:
            counts = change_counts(store, services, outcomes[0].deployment.time, self.cutoff)
            found = [deployment_row(o, counts) for o in reversed(outcomes)]
        self._recent[key] = found
        return found

    def deployment(self, service: str, name: str) -> DeploymentDetail | None:
        """A deployment of ``service``, its changes with lead times, and the incidents that failed it."""
        outcome = next((o for o in self.outcomes(service) if o.deployment.name == name), None)
        if outcome is None:
            return None
        store = self._store()
        changes = tuple(change_row(c) for c in store.changes([service], deployment=name))
        wanted = set(outcome.incidents)
        incidents = tuple(incident_row(i, name) for i in store.incidents([service]) if i.id in wanted)
        row = deployment_row(outcome, {(service, name): len(changes)})
        return DeploymentDetail(row, changes, incidents)

    def incidents(self, kind: str, name: str) -> list[IncidentRow]:
        """Every incident of a service (or of a team's services and its unmapped ones), newest first."""
        store = self._store()
        services = services_of(self.config, kind, name)
        failed = self._failed_by(services)
        found = list(store.incidents(services))
        if kind == "team":
            found += [i for i in store.incidents() if i.service is None and i.team == name]
        found = [i for i in found if i.opened_at < self.cutoff]
        found.sort(key=lambda i: (i.opened_at, i.id), reverse=True)
        return [incident_row(i, failed.get((i.service, i.id), ""), self.cutoff) for i in found]

    def month_rows(self, kind: str, name: str, metric_key: str, info: MonthInfo) -> MonthRows:
        """The rows behind ``metric_key`` in the month ``info``."""
        metric = METRIC_BY_KEY[metric_key]
        store = self._store()
        services = services_of(self.config, kind, name)
        start, end = info.start, min(info.end, self.cutoff)
        rows: list[object]
        if metric.rows == "deployments":
            if all(s in self._outcomes for s in services):  # the whole history is at hand
                found = [o for s in services for o in self.outcomes(s)]
                found.sort(key=lambda o: (o.deployment.time, o.deployment.service, o.deployment.name))
            else:  # the deployments from the month on: enough to tell what became of them
                found = latest_outcomes(
                    store,
                    services,
                    since=start,
                    cutoff=self.cutoff,
                    limit=None,
                    window_hours=self.config.window_hours,
                    history=self.outcomes,
                )
            outcomes = [o for o in found if start <= o.deployment.time < end]
            counts = change_counts(store, services, start, end)
            rows = [deployment_row(o, counts) for o in outcomes]
        elif metric.rows == "changes":
            rows = [change_row(c) for c in store.changes(services, since=start, until=end)]
        elif metric.rows == "incidents":
            rows = [
                i
                for i in reversed(self.incidents(kind, name))
                if i.resolved_at is not None and start <= i.resolved_at < end
            ]
        else:
            rows = [
                ticket_row(t)
                for t in self._tickets(store, kind, name)
                if t.resolved_at is not None and start <= t.resolved_at < end
            ]
        return MonthRows(metric.rows, info, tuple(rows))

    def _tickets(self, store: Store, kind: str, name: str) -> Iterable[Ticket]:
        """A service's tickets; a team's own and its services' (each once), as the report counts them."""
        if kind == "service":
            return [t for t in store.tickets() if t.service == name]
        services = set(services_of(self.config, kind, name))
        return [t for t in store.tickets() if t.team == name or t.service in services]

    def _failed_by(self, services: list[str]) -> dict[tuple[str | None, str], str]:
        failed: dict[tuple[str | None, str], str] = {}
        for s in services:
            for o in self.outcomes(s):
                for incident in o.incidents:
                    failed[(s, incident)] = o.deployment.name
        return failed
