"""The report of SPEC section 5: figures for every service and team, and their renderings.

:func:`compute` reads the rows once through the store and returns :class:`EntityReport`
objects (the dashboard uses these too); :func:`to_dict` gives the JSON schema
``dora-tui/report/v1``; :func:`to_csv` and :func:`to_markdown` render the same figures.

``generated_at`` is the time the report was made; with ``--as-of`` it is the start of the
as-of day in UTC, so that a report is deterministic for a given database and ``--as-of``.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from .config import Config
from .doctor import stored_findings
from .errors import UsageError
from .metrics import KEYS, EntityFigures, Outcome, deployment_outcomes, entity_figures
from .models import Incident, Ticket
from .periods import Window, make_window
from .store import Store

SCHEMA = "dora-tui/report/v1"
# The doctor's findings listed under data_quality.warnings (the others have their own keys).
WARNING_TOPICS = ("tags", "clock skew")


@dataclass(frozen=True)
class EntityReport:
    """One service or team with its figures and the rows behind them."""

    kind: str
    name: str
    team: str | None
    services: tuple[str, ...]
    figures: EntityFigures


@dataclass(frozen=True)
class Report:
    """A computed report: the window, the entities, and the data-quality block."""

    window: Window
    timezone: str
    generated_at: str
    entities: list[EntityReport]
    data_quality: dict[str, Any]


def compute(config: Config, store: Store, *, as_of: date, months: int | None = None,
            service: str | None = None, team: str | None = None,
            generated_at: datetime | None = None) -> Report:
    """Compute the figures of every configured service and team (or just one of them)."""
    if service and team:
        raise UsageError("give --service or --team, not both")
    if service and config.service(service) is None:
        raise UsageError(f"--service: unknown service {service!r} "
                         f"(known: {', '.join(s.name for s in config.services) or 'none'})")
    if team and config.team(team) is None:
        raise UsageError(f"--team: unknown team {team!r} (known: {', '.join(t.name for t in config.teams) or 'none'})")
    window = make_window(as_of, months or config.months, config.tz)
    names = [s.name for s in config.services]
    deployments = store.deployments(names, until=window.cutoff)
    incidents = [i for i in store.incidents() if i.opened_at < window.cutoff]
    tickets = store.tickets()
    leads_by_service: dict[str, list[tuple[int, int]]] = {n: [] for n in names}
    for svc, deploy_time, lead in store.lead_times(names, since=window.start, until=window.cutoff):
        leads_by_service[svc].append((deploy_time, lead))
    deps_by_service: dict[str, list] = {n: [] for n in names}
    for d in deployments:
        deps_by_service[d.service].append(d)
    inc_by_service: dict[str | None, list[Incident]] = {}
    for i in incidents:
        inc_by_service.setdefault(i.service, []).append(i)
    outcomes = {n: deployment_outcomes(deps_by_service[n], inc_by_service.get(n, []),
                                       config.window_hours, window.cutoff) for n in names}
    tickets_by_service: dict[str | None, list[Ticket]] = {}
    tickets_by_team: dict[str | None, list[Ticket]] = {}
    for t in tickets:
        tickets_by_service.setdefault(t.service, []).append(t)
        tickets_by_team.setdefault(t.team, []).append(t)

    entities = []
    for svc in sorted(config.services, key=lambda s: s.name):
        if team or (service and svc.name != service):
            continue
        figures = entity_figures(window, outcomes[svc.name], leads_by_service[svc.name],
                                 inc_by_service.get(svc.name, []), tickets_by_service.get(svc.name, []),
                                 config.trend_months, incident_data=bool(incidents))
        entities.append(EntityReport("service", svc.name, svc.team, (svc.name,), figures))
    for tm in sorted(config.teams, key=lambda t: t.name):
        if service or (team and tm.name != team):
            continue
        members = sorted(s.name for s in config.services_of(tm.name))
        team_incidents = [i for n in members for i in inc_by_service.get(n, [])]
        team_incidents += [i for i in inc_by_service.get(None, []) if i.team == tm.name]
        figures = entity_figures(
            window, [o for n in members for o in outcomes[n]],
            [lt for n in members for lt in leads_by_service[n]],
            team_incidents, tickets_by_team.get(tm.name, []), config.trend_months,
            incident_data=bool(incidents))
        entities.append(EntityReport("team", tm.name, tm.name, tuple(members), figures))

    unmapped_incidents, unmapped_tickets = store.unmapped_counts()
    quality = {
        "unmapped_incidents": unmapped_incidents,
        "unmapped_tickets": unmapped_tickets,
        "negative_lead_times": store.negative_lead_times(),
        "shallow_repositories": store.shallow_repositories(),
        "warnings": [f.message for f in stored_findings(config, store) if f.topic in WARNING_TOPICS],
    }
    stamp = generated_at or datetime.now(timezone.utc)
    return Report(window, config.timezone, stamp.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                  entities, quality)


def outcomes_for(config: Config, store: Store, service: str, cutoff: int) -> list[Outcome]:
    """The outcomes of one service's deployments (for drilling down to a deployment)."""
    deployments = store.deployments([service], until=cutoff)
    incidents = [i for i in store.incidents([service]) if i.opened_at < cutoff]
    return deployment_outcomes(deployments, incidents, config.window_hours, cutoff)


def to_dict(report: Report) -> dict[str, Any]:
    """The JSON document of SPEC section 5."""
    entities = []
    for e in report.entities:
        item: dict[str, Any] = {"kind": e.kind, "name": e.name}
        if e.kind == "service":
            item["team"] = e.team
        else:
            item["services"] = list(e.services)
        item["months"] = [{"month": key, **figures}
                          for key, figures in zip(report.window.keys, e.figures.months)]
        item["window"] = dict(e.figures.window)
        item["tiers"] = dict(e.figures.tiers)
        item["trends"] = dict(e.figures.trends)
        item["needs_attention"] = e.figures.needs_attention
        entities.append(item)
    return {
        "schema": SCHEMA,
        "generated_at": report.generated_at,
        "as_of": report.window.as_of.isoformat(),
        "timezone": report.timezone,
        "months": report.window.keys,
        "entities": entities,
        "data_quality": report.data_quality,
    }


def to_json(report: Report) -> str:
    """The report as indented JSON."""
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"


def to_csv(report: Report) -> str:
    """One row per entity and month, with the keys of a month."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "name", "team", "month", *KEYS])
    for e in report.entities:
        for key, figures in zip(report.window.keys, e.figures.months):
            writer.writerow([e.kind, e.name, e.team or "", key,
                             *("" if figures[k] is None else figures[k] for k in KEYS)])
    return out.getvalue()


MARKDOWN_COLUMNS = (
    ("deployments", "Deploys"), ("deployment_days", "Deploy days"), ("changes", "Changes"),
    ("lead_time_median_h", "Lead time median (h)"), ("lead_time_p90_h", "Lead time p90 (h)"),
    ("change_failure_rate", "Change failure rate"), ("time_to_restore_median_h", "Time to restore (h)"),
    ("recovery_time_median_h", "Recovery (h)"), ("rework_rate", "Rework rate"),
    ("unplanned_work_rate", "Unplanned work"),
)


def to_markdown(report: Report) -> str:
    """One section per entity, for pasting into a board report."""
    w = report.window
    lines = [f"# DORA metrics, {w.keys[0]} to {w.keys[-1]}", "",
             f"As of {w.as_of.isoformat()} ({report.timezone}); the last month is still in progress.", ""]
    for e in report.entities:
        heading = f"## {e.kind.capitalize()}: {e.name}"
        if e.kind == "service" and e.team:
            heading += f" (team {e.team})"
        lines += [heading, ""]
        if e.kind == "team":
            lines += [f"Services: {', '.join(e.services) or 'none'}", ""]
        tiers = ", ".join(f"{k.replace('_', ' ')} {v or 'n/a'}" for k, v in e.figures.tiers.items())
        trend = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in e.figures.trends.items())
        lines += [f"Tiers: {tiers}.", "", f"Trends: {trend}.", ""]
        if e.figures.needs_attention:
            lines += ["**Needs attention**: two or more metrics are worsening.", ""]
        lines.append("| Month | " + " | ".join(label for _, label in MARKDOWN_COLUMNS) + " |")
        lines.append("|---|" + "---:|" * len(MARKDOWN_COLUMNS))
        for key, figures in zip(w.keys, e.figures.months):
            lines.append(f"| {key} | " + " | ".join(_cell(figures[k]) for k, _ in MARKDOWN_COLUMNS) + " |")
        lines.append("| **Window** | " + " | ".join(_cell(e.figures.window[k]) for k, _ in MARKDOWN_COLUMNS) + " |")
        lines.append("")
    dq = report.data_quality
    lines += ["## Data quality", "",
              f"- Unmapped incidents: {dq['unmapped_incidents']}",
              f"- Unmapped tickets: {dq['unmapped_tickets']}",
              f"- Negative lead times (clamped to 0): {dq['negative_lead_times']}",
              f"- Shallow repositories: {', '.join(dq['shallow_repositories']) or 'none'}", ""]
    return "\n".join(lines)


def _cell(value: float | int | None) -> str:
    if value is None:
        return "–"
    return str(value)
