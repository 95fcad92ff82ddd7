"""The rows behind the site's drill-down pages, read from the store once for the whole site.

One query per table, not one per page. A deployment's outcome depends on every deployment and
incident before it, so each service's whole history is attributed
(:func:`dora_tui.core.attribution.attribute`, the rules the report applies) on plain rows;
records are made only of the deployments the site lists: those from ``since`` (the first month
with rows pages) and each service's latest :data:`RECENT`. The changes are read from
``since`` on; the incidents (references resolved as the report resolves them) and the tickets
as the pages need them.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from collectors.records import Incident, Ticket
from dora_tui.config import Config
from dora_tui.core.attribution import Outcome, attribute
from dora_tui.core.periods import Window
from dora_tui.ops.report import attributable_incidents
from dora_tui.store.database import Store
from dora_tui.store.queries.deployments import ChangeRow, DeploymentFields, deployment_of

RECENT = 20
"""How many deployments a service or team page lists (the dashboard lists as many)."""


@dataclass
class SiteRows:
    """Every row a page of the site lists, by service."""

    since: int
    """The start of the first month with rows pages: changes are read from here on."""
    outcomes: dict[str, list[Outcome]]
    """Each service's deployments listed by the site (its latest :data:`RECENT`, and every one
    from ``since``), oldest first, with what became of them."""
    changes: dict[str, list[ChangeRow]]
    """Each service's changes deployed from ``since`` to the cutoff, by deployment time."""
    incidents: list[Incident]
    """Every incident opened before the cutoff (unmapped ones too), oldest first."""
    tickets: list[Ticket]
    """The tickets resolved from ``since`` to the cutoff."""
    failed_by: dict[Incident, str]
    """The deployment each incident failed (by the incident: two imports may give a service
    two incidents of one id)."""
    failing: dict[tuple[str, str], list[Incident]]
    """The incidents that failed each deployment, by (service, deployment)."""
    counts: dict[tuple[str, str], int]
    """How many changes each listed deployment carried, by (service, deployment)."""
    collected_at: int | None = None
    """When the data was last collected (the pages say so), read with the rows."""


def read_rows(config: Config, store: Store, window: Window, since: int) -> SiteRows:
    """Read every row the site lists for ``window``: deployments over the whole history (their
    outcomes depend on what came before), changes from ``since``."""
    cutoff = window.cutoff
    incidents = [i for i in attributable_incidents(store) if i.opened_at < cutoff]
    by_service: dict[str | None, list[Incident]] = {}
    for i in incidents:
        by_service.setdefault(i.service, []).append(i)
    outcomes: dict[str, list[Outcome]] = {name: [] for name in sorted(s.name for s in config.services)}
    failed_by: dict[Incident, str] = {}
    failing: dict[tuple[str, str], list[Incident]] = {}
    for name, group in groupby(store.deployment_fields(until=cutoff), key=itemgetter(0)):
        if name in outcomes:
            found = _outcomes(list(group), by_service.get(name, []), config.window_hours, cutoff, since)
            outcomes[name], failed = found
            failed_by.update(failed)
            for incident, deployment in failed.items():
                failing.setdefault((name, deployment), []).append(incident)
    changes: dict[str, list[ChangeRow]] = {name: [] for name in outcomes}
    counts: dict[tuple[str, str], int] = {}
    for c in store.change_rows(list(outcomes), since=since, until=cutoff):
        changes[c.service].append(c)
        counts[(c.service, c.deployment)] = counts.get((c.service, c.deployment), 0) + 1
    for name, listed in outcomes.items():
        if listed and listed[0].deployment.time < since:  # a quiet service's latest, older than the rows pages
            older = store.change_counts(name, since=listed[0].deployment.time, until=since)
            counts.update(((name, d), n) for d, n in older.items())
    tickets = store.tickets(resolved_since=since, resolved_until=cutoff)
    collected_at = store.last_event("collect")
    return SiteRows(since, outcomes, changes, incidents, tickets, failed_by, failing, counts, collected_at)


def _outcomes(
    rows: list[DeploymentFields], incidents: list[Incident], window_hours: float, cutoff: int, since: int
) -> tuple[list[Outcome], dict[Incident, str]]:
    """One service's deployments (``rows``, by time) attributed over its whole history: the
    outcomes of those the site lists (its latest :data:`RECENT` and every one from ``since``),
    and the deployment each incident failed, listed or not."""
    found = attribute(
        [r[2] for r in rows],
        [r[1] for r in rows],
        [r[3] or "" for r in rows],
        [bool(r[7]) for r in rows],
        incidents,
        window_hours,
        cutoff,
        [r[8] for r in rows],
        [bool(r[9]) for r in rows],
    )
    first = min(len(rows) - RECENT, next((i for i, r in enumerate(rows) if r[2] >= since), len(rows)))
    failed = {incident: rows[i][1] for incident, i in zip(incidents, found.targets) if i is not None}
    listed = [
        Outcome(
            deployment_of(rows[i]),
            failed=found.failed[i],
            rework=found.rework[i],
            recovered_at=found.recovered[i],
            incidents=tuple(found.causes.get(i, ())),
            undone_by=found.undone_by.get(i, ""),
        )
        for i in range(max(first, 0), len(rows))
    ]
    return listed, failed
