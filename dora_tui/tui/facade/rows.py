"""Builders of the dashboard's view objects: entity views from the report, rows for drill-down.

Plain Python like :mod:`dora_tui.tui.facade.views`, whose objects these functions make:

- :func:`entity_view`, :func:`directory` and :func:`skeleton` turn the report's figures (or
  the config alone) into what the service, team and home pages show; :func:`services_of`
  says which services a page covers;
- :func:`latest_outcomes` reads only the latest deployments of a service or team (one indexed
  query) and decides what became of them, the same as over the whole history;
- :func:`deployment_row`, :func:`change_row`, :func:`incident_row` and :func:`ticket_row`
  turn store rows into the rows a drill-down table lists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from collectors.records import Change, Deployment, Incident, Ticket
from dora_tui.config import Config
from dora_tui.core import trends
from dora_tui.core.attribution import Outcome, deployment_outcomes, outcomes_from_latest
from dora_tui.core.periods import Window
from dora_tui.ops.report import EntityReport, attributable_incidents
from dora_tui.store.database import Store
from dora_tui.tui.facade.views import (
    METRICS,
    ChangeRow,
    DeploymentRow,
    DirectoryEntry,
    EntityView,
    IncidentRow,
    MetricFigures,
    MonthInfo,
    TeamGroup,
    TicketRow,
    format_value,
    trend_words,
)

# ---------------------------------------------------------------------------------------------
# Pages


def entity_view(e: EntityReport, months: tuple[MonthInfo, ...], window: Window, trend_months: int) -> EntityView:
    """The page of one entity of a report (of ``window``): a card per metric, formatted once. Its
    months are those charted (none before the first deployment, for a metric that follows
    deployments: :meth:`~dora_tui.core.metrics.EntityFigures.charted`), and so the months its
    trend in words reads."""
    figures = e.figures
    as_of = window.as_of
    cards = []
    for metric in METRICS:
        # a month before the first deployment (for a metric that follows deployments) is no
        # data in the sparkline, the chart and the months' table, never a zero
        series = tuple(figures.charted(metric, window))
        complete = [v for info, v in zip(months, series) if info.complete and v is not None]
        trend = figures.trends.get(metric.key, trends.INSUFFICIENT)
        cards.append(
            MetricFigures(
                metric=metric,
                current=format_value(metric.unit, series[-1]) if series else "–",
                window=format_value(metric.unit, figures.window[metric.month_key]),
                window_detail=figures.detail(metric, window),
                tier=figures.tiers.get(metric.key),
                trend=trend,
                words=trend_words(trend, complete[-trend_months:], metric.better),
                series=series,
                in_progress=bool(months) and not months[-1].complete,
            )
        )
    return EntityView(e.kind, e.name, e.team, e.services, months, tuple(cards), figures.needs_attention, as_of)


def directory(config: Config, views: dict[tuple[str, str], EntityView]) -> tuple[TeamGroup, ...]:
    """Teams by name with their services, then the services of no team, with their trends."""

    def entry(view: EntityView) -> DirectoryEntry:
        return DirectoryEntry(
            view.kind, view.name, view.team, {m.metric.key: m.trend for m in view.metrics}, view.needs_attention
        )

    return _groups(config, lambda kind, name, team: entry(views[(kind, name)]))


def skeleton(config: Config) -> tuple[TeamGroup, ...]:
    """The directory's names from the config alone, without trends (shown while computing)."""
    return _groups(config, lambda kind, name, team: DirectoryEntry(kind, name, team, {}, False))


def services_of(config: Config, kind: str, name: str) -> list[str]:
    """The services behind an entity: itself for a service, its members (by name) for a team."""
    if kind == "service":
        return [name]
    return sorted(s.name for s in config.services_of(name))


def _groups(config: Config, entry: Callable[[str, str, str | None], DirectoryEntry]) -> tuple[TeamGroup, ...]:
    groups = [
        TeamGroup(
            entry("team", t.name, t.name),
            tuple(entry("service", n, t.name) for n in sorted(s.name for s in config.services_of(t.name))),
        )
        for t in sorted(config.teams, key=lambda t: t.name)
    ]
    loose = sorted(s.name for s in config.services if s.team is None)
    if loose:
        groups.append(TeamGroup(None, tuple(entry("service", n, None) for n in loose)))
    return tuple(groups)


# ---------------------------------------------------------------------------------------------
# Recent deployments


def latest_outcomes(
    store: Store,
    services: Sequence[str],
    *,
    since: int | None,
    cutoff: int,
    limit: int | None,
    window_hours: float,
    history: Callable[[str], list[Outcome]],
) -> list[Outcome]:
    """The deployments of ``services`` from ``since`` to ``cutoff``, or only the latest ``limit`` of
    them, oldest first, with their outcomes.

    One indexed query reads the deployments from ``since`` (None reads them all; with a
    ``limit``, ``since`` is a time at or before the ``limit``-th latest one, and one that
    proves too late reads them all). Per service these are the end of its history: when
    :func:`dora_tui.core.attribution.outcomes_from_latest` says their outcomes follow from
    them alone, they are decided from them; else they are taken from ``history`` (the
    service's outcomes over its whole history, which the caller caches).
    """
    if not services:
        return []
    deployments = store.deployments(list(services), since=since, until=cutoff)
    if limit is not None and since is not None and len(deployments) < limit:
        deployments = store.deployments(list(services), until=cutoff)
    deployments.sort(key=_deployment_order)
    latest = deployments if limit is None else deployments[-limit:] if limit > 0 else []
    by_service: dict[str, list[Deployment]] = {}
    for d in latest:
        by_service.setdefault(d.service, []).append(d)
    incidents: dict[str | None, list[Incident]] = {}
    for i in attributable_incidents(store, list(by_service)) if by_service else ():
        if i.opened_at < cutoff:
            incidents.setdefault(i.service, []).append(i)
    outcomes: list[Outcome] = []
    for service, deps in by_service.items():
        found = incidents.get(service, [])
        if not outcomes_from_latest(deps, found):
            names = {d.name for d in deps}
            outcomes += [o for o in history(service) if o.deployment.name in names]
        else:
            outcomes += deployment_outcomes(deps, found, window_hours, cutoff)
    outcomes.sort(key=lambda o: _deployment_order(o.deployment))
    return outcomes


def _deployment_order(d: Deployment) -> tuple[int, str, str]:
    return (d.time, d.service, d.name)


def change_counts(store: Store, services: Sequence[str], since: int, until: int) -> dict[tuple[str, str], int]:
    """How many changes each (service, deployment) deployed within [since, until) carried."""
    counts: dict[tuple[str, str], int] = {}
    for c in store.changes(list(services), since=since, until=until):
        counts[(c.service, c.deployment)] = counts.get((c.service, c.deployment), 0) + 1
    return counts


# ---------------------------------------------------------------------------------------------
# Rows


def deployment_row(o: Outcome, counts: dict[tuple[str, str], int]) -> DeploymentRow:
    """A deployment's row, its change count looked up in ``counts`` (see :func:`change_counts`)."""
    d = o.deployment
    return DeploymentRow(
        d.service,
        d.name,
        d.time,
        d.sha,
        d.message,
        counts.get((d.service, d.name), 0),
        o.failed,
        o.rework,
        d.baseline,
        o.recovered_at,
        o.incidents,
        d.rollback_of,
        o.undone_by,
    )


def change_row(c: Change) -> ChangeRow:
    """A change's row, its lead time in hours."""
    return ChangeRow(
        c.service,
        c.sha,
        c.deployment,
        c.author,
        c.subject,
        c.commit_time,
        c.deploy_time,
        round(c.lead_time_s / 3600, 2),
        c.negative,
    )


def incident_row(i: Incident, deployment: str, cutoff: int | None = None) -> IncidentRow:
    """An incident's row; one resolved at or after ``cutoff`` is still open."""
    resolved = i.resolved_at
    if cutoff is not None and resolved is not None and resolved >= cutoff:
        resolved = None
    duration = round((resolved - i.opened_at) / 3600, 2) if resolved is not None else None
    return IncidentRow(
        i.source, i.id, i.service, i.opened_at, resolved, duration, i.severity, i.title, i.reference, deployment
    )


def ticket_row(t: Ticket) -> TicketRow:
    """A ticket's row."""
    return TicketRow(t.key, t.type, t.status, t.labels, t.title, t.created_at, t.resolved_at, t.unplanned)
