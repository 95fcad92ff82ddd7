"""The report's figures: every service and team of the config, computed from the store's rows.

:func:`compute` reads the rows once through the store and returns :class:`EntityReport`
objects (the dashboard uses these too); the renderers (:mod:`~dora_tui.ops.report.render_json`,
:mod:`~dora_tui.ops.report.render_csv`, :mod:`~dora_tui.ops.report.render_markdown`) write them.

Trends and ``needs_attention`` do not depend on the window shown: they always come from the
months of :func:`trend_span` (the config's ``months``, and at least ``trend_months`` + 1), so
a window of 3 months cannot hide a service that is sliding, and one of 36 does not reach
back to older months for a sparse metric. The rows are cut once into the longer of the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from collectors.records import Incident
from dora_tui.config import Config
from dora_tui.core.attribution import Outcome, attribute, deployment_outcomes, resolve_references
from dora_tui.core.metrics import Buckets, EntityFigures, figures
from dora_tui.core.periods import Window, make_window
from dora_tui.core.sources import IMPORTS, source_of
from dora_tui.errors import OptionError, UsageError
from dora_tui.ops.doctor import quality_warnings
from dora_tui.store.database import Store


@dataclass(frozen=True)
class EntityReport:
    """One service or team with its figures and the rows behind them."""

    kind: str
    name: str
    team: str | None
    services: tuple[str, ...]
    figures: EntityFigures
    system: str | None = None  # a service's system (its config's ``system``), for grouping


@dataclass(frozen=True)
class Report:
    """A computed report: the window, the entities, and the data-quality block."""

    window: Window
    timezone: str
    generated_at: str
    entities: list[EntityReport]
    data_quality: dict[str, Any]


def compute(
    config: Config,
    store: Store,
    *,
    as_of: date,
    months: int | None = None,
    service: str | None = None,
    team: str | None = None,
    generated_at: datetime | None = None,
) -> Report:
    """Compute the figures of every configured service and team (or just one of them).

    ``generated_at`` is the time the report says it was made (now, when None): a caller that
    fixes it, and ``as_of``, gets the same report from the same database every time.
    Raises :class:`~dora_tui.errors.UnknownName` for a service or team the config does not
    hold, and :class:`~dora_tui.errors.OptionError` (``as_of``, ``months``) for a window
    that would leave the calendar. Every row is read in one snapshot of the database
    (:meth:`~dora_tui.store.database.Store.snapshot`): a write committed meanwhile by another
    process is in none of the figures or in all of them.
    """
    with store.snapshot(), store.read_as_written():
        return _compute(
            config, store, as_of=as_of, months=months, service=service, team=team, generated_at=generated_at
        )


def _compute(
    config: Config,
    store: Store,
    *,
    as_of: date,
    months: int | None,
    service: str | None,
    team: str | None,
    generated_at: datetime | None,
) -> Report:
    """The figures (:func:`compute`), read in the snapshot its caller holds."""
    if service and team:
        raise UsageError("a report is of one service or of one team, not both")
    if service:
        config.require_service(service)
    if team:
        config.require_team(team)
    n, span = months or config.months, trend_span(config)
    whole, window, trend_window = windows(config, as_of=as_of, months=months)
    total = len(whole.months)
    if team:
        wanted = {s.name for s in config.services_of(team)}
    else:
        wanted = {service} if service else {s.name for s in config.services}
    incidents = [i for i in attributable_incidents(store) if i.opened_at < window.cutoff]
    incident_data = bool(incidents)
    # A source that shows rollbacks (a runtime's or a pipeline's export) measures failures by itself.
    with_imports = store.services_with_imports()
    rollback_sources = {s.name for s in config.services if source_of(s.deployments, s.name in with_imports) == IMPORTS}
    inc_by_service: dict[str | None, list[Incident]] = {}
    for i in incidents:
        inc_by_service.setdefault(i.service, []).append(i)

    buckets = {name: Buckets(total) for name in wanted}
    for name, group in groupby(store.deployment_rows(until=window.cutoff), key=itemgetter(0)):
        if name in buckets:
            rows = list(group)
            times = [r[2] for r in rows]
            found = attribute(
                times,
                [r[1] for r in rows],
                [r[3] or "" for r in rows],
                [bool(r[4]) for r in rows],
                inc_by_service.get(name, ()),
                config.window_hours,
                window.cutoff,
                [r[5] for r in rows],
                [bool(r[6]) for r in rows],
            )
            buckets[name].add_deployments(whole, times, found)
    leads: dict[str, list[tuple[int, int]]] = {name: [] for name in wanted}
    for name, deploy_time, lead in store.lead_times(None, since=whole.start, until=whole.cutoff):
        if name in leads:
            leads[name].append((deploy_time, lead))
    tickets_by_service: dict[str | None, list[tuple[int, int]]] = {}
    tickets_by_team: dict[str | None, list[tuple[int, int]]] = {}
    team_of: dict[str | None, str | None] = {s.name: s.team for s in config.services}
    for svc_name, team_name, resolved, unplanned in store.ticket_rows(since=whole.start, until=whole.cutoff):
        tickets_by_service.setdefault(svc_name, []).append((resolved, unplanned))
        # A team's tickets: its own, and its services' (each ticket once).
        for owner in {team_name, team_of.get(svc_name)} - {None}:
            tickets_by_team.setdefault(owner, []).append((resolved, unplanned))
    for name, b in buckets.items():
        b.add_lead_times(whole, leads[name])
        b.add_incidents(whole, inc_by_service.get(name, ()))
        b.add_tickets(whole, tickets_by_service.get(name, ()))

    def entity_figures(b: Buckets, services: tuple[str, ...]) -> EntityFigures:
        measured = incident_data or any(s in rollback_sources for s in services)
        shown = figures(
            window,
            b.tail(n, len(whole.day_starts) - len(window.day_starts)),
            config.trend_months,
            incident_data=measured,
        )
        if trend_window is window:
            return shown
        trended = figures(
            trend_window,
            b.tail(span, len(whole.day_starts) - len(trend_window.day_starts)),
            config.trend_months,
            incident_data=measured,
        )
        return replace(shown, trends=trended.trends, needs_attention=trended.needs_attention)

    entities = []
    for svc in sorted(config.services, key=lambda s: s.name):
        if team or svc.name not in wanted:
            continue
        entities.append(
            EntityReport(
                "service",
                svc.name,
                svc.team,
                (svc.name,),
                entity_figures(buckets[svc.name], (svc.name,)),
                system=svc.system,
            )
        )
    for tm in sorted(config.teams, key=lambda t: t.name):
        if service or (team and tm.name != team):
            continue
        members = sorted(s.name for s in config.services_of(tm.name))
        b = Buckets.union([buckets[m] for m in members], total, tickets=False)
        b.add_incidents(whole, (i for i in inc_by_service.get(None, ()) if i.team == tm.name))
        b.add_tickets(whole, tickets_by_team.get(tm.name, ()))
        entities.append(EntityReport("team", tm.name, tm.name, tuple(members), entity_figures(b, tuple(members))))

    unmapped_incidents, unmapped_tickets = store.unmapped_counts(
        [s.name for s in config.services], [t.name for t in config.teams]
    )
    quality = {
        "unmapped_incidents": unmapped_incidents,
        "unmapped_tickets": unmapped_tickets,
        "negative_lead_times": store.negative_lead_times(),
        "unresolved_deployments": sum(len(rows) for rows in store.unresolved_deployments().values()),
        "shallow_repositories": store.shallow_repositories(),
        "warnings": [f.message for f in quality_warnings(store)],
    }
    stamp = generated_at or datetime.now(UTC)
    return Report(window, config.timezone, stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), entities, quality)


def windows(config: Config, *, as_of: date, months: int | None = None) -> tuple[Window, Window, Window]:
    """The windows of a report of ``months`` (the config's when None) to ``as_of``: the whole
    span its rows are cut by, the window it shows and the one its trends are read from.
    Raises :class:`~dora_tui.errors.OptionError` (``as_of``, ``months``) for a window that would
    leave the calendar."""
    n, span = months or config.months, trend_span(config)
    try:
        whole = make_window(as_of, max(n, span), config.tz)
        window = whole if n >= span else make_window(as_of, n, config.tz)
        trend_window = whole if span >= n else make_window(as_of, span, config.tz)
    except ValueError as exc:
        raise OptionError(("as_of", "months"), str(exc)) from None
    return whole, window, trend_window


def trend_span(config: Config) -> int:
    """How many months (to the as-of month) trends are read from, whatever window is shown."""
    return max(config.months, config.trend_months + 1)


def attributable_incidents(store: Store, services: Sequence[str] | None = None) -> list[Incident]:
    """The incidents of ``services`` (all when None), their references resolved by the rules of
    :func:`dora_tui.core.attribution.resolve_references` against the store's deployments."""
    return resolve_references(store.incidents(services), named=store.has_deployment, carriers=store.carriers)


def outcomes_for(config: Config, store: Store, service: str, cutoff: int) -> list[Outcome]:
    """The outcomes of one service's deployments (for drilling down to a deployment)."""
    deployments = store.deployments([service], until=cutoff)
    incidents = [i for i in attributable_incidents(store, [service]) if i.opened_at < cutoff]
    return deployment_outcomes(deployments, incidents, config.window_hours, cutoff)
