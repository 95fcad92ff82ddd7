"""The rows behind the site's drill-down pages, read from the store once for the whole site.

One query per table, not one per page: every service's deployments up to the cutoff (their
outcomes decided by :func:`dora_tui.core.attribution.deployment_outcomes`, as
:func:`dora_tui.ops.report.outcomes_for` does for one service), the changes deployed in the
window, the incidents (references resolved as the report resolves them) and the tickets.
A deployment page of a deployment older than the months with rows pages reads its changes on its own
(:meth:`SiteRows.changes_of`), which only the latest deployments of a quiet service need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter

from collectors.records import Change, Deployment, Incident, Ticket
from dora_tui.config import Config
from dora_tui.core.attribution import Outcome, deployment_outcomes
from dora_tui.core.periods import Window
from dora_tui.ops.report import attributable_incidents
from dora_tui.store.database import Store

RECENT = 20
"""How many deployments a service or team page lists (the dashboard lists as many)."""


@dataclass
class SiteRows:
    """Every row a page of the site lists, by service."""

    store: Store
    window: Window
    since: int
    """The start of the first month with rows pages: changes are read from here on."""
    outcomes: dict[str, list[Outcome]]
    """Each service's deployments up to the cutoff, oldest first, with what became of them."""
    changes: dict[str, list[Change]]
    """Each service's changes deployed from ``since`` to the cutoff, by deployment time."""
    incidents: list[Incident]
    """Every incident opened before the cutoff (unmapped ones too), oldest first."""
    tickets: list[Ticket]
    """The tickets resolved from ``since`` to the cutoff."""
    failed_by: dict[tuple[str | None, str], str] = field(default_factory=dict)
    """The deployment each (service, incident id) failed."""
    _by_deployment: dict[tuple[str, str], list[Change]] = field(default_factory=dict)

    def changes_of(self, service: str, deployment: Deployment) -> list[Change]:
        """The changes ``deployment`` carried (read from the store when it is older than ``since``)."""
        if deployment.time < self.since:
            return self.store.changes([service], deployment=deployment.name)
        if not self._by_deployment:
            for rows in self.changes.values():
                for c in rows:
                    self._by_deployment.setdefault((c.service, c.deployment), []).append(c)
        return self._by_deployment.get((service, deployment.name), [])

    def change_counts(self) -> dict[tuple[str, str], int]:
        """How many changes each deployment carried: those from ``since``, and those of the latest
        deployments of each service that are older."""
        counts: dict[tuple[str, str], int] = {}
        for found in self.changes.values():
            for c in found:
                counts[(c.service, c.deployment)] = counts.get((c.service, c.deployment), 0) + 1
        for outcomes in self.outcomes.values():
            for o in outcomes[-RECENT:]:
                if o.deployment.time < self.since:
                    counts[(o.deployment.service, o.deployment.name)] = len(
                        self.changes_of(o.deployment.service, o.deployment)
                    )
        return counts


def read_rows(config: Config, store: Store, window: Window, since: int) -> SiteRows:
    """Read every row the site lists for ``window``: deployments over the whole history (their
    outcomes depend on what came before), changes from ``since``."""
    cutoff = window.cutoff
    incidents = [i for i in attributable_incidents(store) if i.opened_at < cutoff]
    by_service: dict[str | None, list[Incident]] = {}
    for i in incidents:
        by_service.setdefault(i.service, []).append(i)
    wanted = {s.name for s in config.services}
    outcomes: dict[str, list[Outcome]] = {name: [] for name in sorted(wanted)}
    deployments = store.deployments(sorted(wanted), until=cutoff)
    deployments.sort(key=attrgetter("service"))  # stable: each service's stay by time, name
    for name, group in groupby(deployments, key=attrgetter("service")):
        outcomes[name] = deployment_outcomes(list(group), by_service.get(name, ()), config.window_hours, cutoff)
    changes: dict[str, list[Change]] = {name: [] for name in outcomes}
    for c in store.changes(sorted(wanted), since=since, until=cutoff):
        changes[c.service].append(c)
    rows = SiteRows(
        store, window, since, outcomes, changes, incidents, store.tickets(resolved_since=since, resolved_until=cutoff)
    )
    for name, found in outcomes.items():
        for o in found:
            for incident in o.incidents:
                rows.failed_by[(name, incident)] = o.deployment.name
    return rows
