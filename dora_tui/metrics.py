"""The DORA figures: rows in, figures out (SPEC section 2). Pure: no I/O, the clock passed in.

Two steps:

1. :func:`deployment_outcomes` decides, per service, which deployments failed (an incident
   of the service references it, or opens after it, before the next deployment and within
   the attribution window — inclusive at the window's end), which are rework (made while an
   incident of the service was open, or named so by ``rework_pattern``), and when each failed
   deployment recovered (when the last incident that failed it was resolved).
2. :func:`entity_figures` turns any set of rows — one service's, or the union of a team's
   services' rows — into monthly figures, the window block, tiers and trends.

Counts are 0 when nothing happened; a figure derived from rows (a median, a rate) is None
when it has no rows. Hours are rounded to 2 decimals, rates to 3.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from statistics import median, quantiles

from . import trends
from .models import Deployment, Incident, Ticket
from .periods import Window

COUNT_KEYS = ("deployments", "deployment_days", "changes", "failed_deployments",
              "incidents_opened", "incidents_resolved", "rework_deployments",
              "tickets_resolved", "unplanned_tickets")
KEYS = ("deployments", "deployment_days", "changes", "lead_time_median_h", "lead_time_p90_h",
        "failed_deployments", "change_failure_rate", "incidents_opened", "incidents_resolved",
        "time_to_restore_median_h", "recovery_time_median_h", "rework_deployments", "rework_rate",
        "tickets_resolved", "unplanned_tickets", "unplanned_work_rate")

# metric -> (the monthly key its trend follows, the better direction)
TREND_SERIES = {
    "deployment_frequency": ("deployments", "up"),
    "lead_time": ("lead_time_median_h", "down"),
    "change_failure_rate": ("change_failure_rate", "down"),
    "time_to_restore": ("time_to_restore_median_h", "down"),
    "rework_rate": ("rework_rate", "down"),
    "unplanned_work_rate": ("unplanned_work_rate", "down"),
}
TIER_KEYS = ("deployment_frequency", "lead_time", "change_failure_rate", "time_to_restore")
SHA_RE = re.compile(r"[0-9a-fA-F]{7,40}")


@dataclass(frozen=True)
class Outcome:
    """What became of one deployment: failed, rework, recovered when, and the incidents behind it."""

    deployment: Deployment
    failed: bool = False
    rework: bool = False
    recovered_at: int | None = None
    incidents: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntityFigures:
    """Everything the report and the dashboard show for one service or team."""

    months: list[dict[str, float | int | None]]
    window: dict[str, float | int | None]
    tiers: dict[str, str | None]
    trends: dict[str, str]
    needs_attention: bool
    series: dict[str, list[float | int | None]] = field(default_factory=dict)


def deployment_outcomes(deployments: Sequence[Deployment], incidents: Iterable[Incident],
                        window_hours: float, cutoff: int) -> list[Outcome]:
    """Outcomes of one service's deployments (sorted by time), given that service's incidents.

    Only what was known before ``cutoff`` counts: later incidents are ignored, and an
    incident resolved at or after ``cutoff`` is still open.
    """
    times = [d.time for d in deployments]
    by_name = {d.name: i for i, d in enumerate(deployments)}
    failed_by: dict[int, list[Incident]] = {}
    open_rework: set[int] = set()
    limit = window_hours * 3600
    for incident in incidents:
        if incident.opened_at >= cutoff:
            continue
        resolved = incident.resolved_at if incident.resolved_at is not None and incident.resolved_at < cutoff else None
        target = _referenced(incident.reference, deployments, by_name)
        if target is None:
            i = bisect_right(times, incident.opened_at) - 1
            if i >= 0 and incident.opened_at - times[i] <= limit:
                target = i
        if target is not None:
            failed_by.setdefault(target, []).append(
                Incident(incident.source, incident.id, incident.opened_at, resolved))
        # Deployments made while this incident was open are rework.
        lo = bisect_left(times, incident.opened_at)
        hi = bisect_left(times, resolved) if resolved is not None else len(times)
        open_rework.update(range(lo, hi))
    outcomes = []
    for i, d in enumerate(deployments):
        causes = failed_by.get(i, [])
        recovered = None
        if causes and all(c.resolved_at is not None for c in causes):
            recovered = max(c.resolved_at for c in causes)  # type: ignore[type-var]
        outcomes.append(Outcome(d, failed=bool(causes), rework=d.rework or i in open_rework,
                                recovered_at=recovered, incidents=tuple(c.id for c in causes)))
    return outcomes


def _referenced(reference: str, deployments: Sequence[Deployment], by_name: dict[str, int]) -> int | None:
    """The deployment an incident names explicitly: a tag name, a commit sha, or a change number."""
    ref = reference.strip()
    if not ref:
        return None
    if ref in by_name:
        return by_name[ref]
    if SHA_RE.fullmatch(ref):
        ref = ref.lower()
        matches = [i for i, d in enumerate(deployments) if d.sha and d.sha.startswith(ref)]
        if matches:
            return matches[-1]
    return None


def entity_figures(window: Window, outcomes: Sequence[Outcome], lead_times: Iterable[tuple[int, int]],
                   incidents: Iterable[Incident], tickets: Iterable[Ticket], trend_months: int,
                   *, incident_data: bool = True) -> EntityFigures:
    """Monthly and window figures, tiers and trends over the given rows.

    ``incident_data`` says whether any incident was ever imported: without, a change failure
    rate of 0 means "not measured", so its tier is None rather than a flattering "elite".

    ``lead_times`` are (deployment time, lead time in seconds) of changes. Rows outside the
    window are ignored. For a team, pass the union of its services' rows.
    """
    n = len(window.months)
    counts = [dict.fromkeys(COUNT_KEYS, 0) for _ in range(n)]
    days: list[set[int]] = [set() for _ in range(n)]
    leads: list[list[int]] = [[] for _ in range(n)]
    restores: list[list[int]] = [[] for _ in range(n)]
    recoveries: list[list[int]] = [[] for _ in range(n)]
    all_days: set[int] = set()

    for o in outcomes:
        m = window.month_of(o.deployment.time)
        if m is None:
            continue
        c = counts[m]
        c["deployments"] += 1
        day = window.day_of(o.deployment.time)
        days[m].add(day)  # type: ignore[arg-type]
        all_days.add(day)  # type: ignore[arg-type]
        if o.failed:
            c["failed_deployments"] += 1
            if o.recovered_at is not None:
                recoveries[m].append(o.recovered_at - o.deployment.time)
        if o.rework:
            c["rework_deployments"] += 1
    for deploy_time, lead in lead_times:
        m = window.month_of(deploy_time)
        if m is not None:
            counts[m]["changes"] += 1
            leads[m].append(lead)
    for incident in incidents:
        m = window.month_of(incident.opened_at)
        if m is not None:
            counts[m]["incidents_opened"] += 1
        if incident.resolved_at is not None:
            m = window.month_of(incident.resolved_at)
            if m is not None:
                counts[m]["incidents_resolved"] += 1
                restores[m].append(incident.resolved_at - incident.opened_at)
    for ticket in tickets:
        if ticket.resolved_at is None:
            continue
        m = window.month_of(ticket.resolved_at)
        if m is not None:
            counts[m]["tickets_resolved"] += 1
            counts[m]["unplanned_tickets"] += ticket.unplanned

    months = []
    for m in range(n):
        counts[m]["deployment_days"] = len(days[m])
        months.append(_figures(counts[m], leads[m], restores[m], recoveries[m]))
    total = {k: sum(c[k] for c in counts) for k in COUNT_KEYS}
    total["deployment_days"] = len(all_days)
    window_block = _figures(total, [x for l in leads for x in l], [x for l in restores for x in l],
                            [x for l in recoveries for x in l])

    series = {metric: [month[key] for month in months] for metric, (key, _) in TREND_SERIES.items()}
    # Months before the first deployment ever are no data for deployment frequency, not zeros.
    first = min((o.deployment.time for o in outcomes), default=window.cutoff)
    trend = {}
    for metric, (_, better) in TREND_SERIES.items():
        values = [v for month, v in zip(window.months, series[metric])
                  if month.complete and v is not None
                  and (metric != "deployment_frequency" or month.end > first)]
        trend[metric] = trends.classify(values[-trend_months:], better)
    tiers = {
        "deployment_frequency": deployment_frequency_tier(
            window, all_days, any(o.deployment.time < window.cutoff for o in outcomes)),
        "lead_time": _tier(window_block["lead_time_median_h"], (24, 24 * 7, 24 * 30), strict=True),
        "change_failure_rate": _tier(window_block["change_failure_rate"] if incident_data else None,
                                     (0.05, 0.10, 0.15), strict=False),
        "time_to_restore": _tier(window_block["time_to_restore_median_h"], (1, 24, 24 * 7), strict=True),
    }
    attention = sum(1 for t in trend.values() if t == trends.WORSENING) >= 2
    return EntityFigures(months, window_block, tiers, trend, attention, series)


def _figures(counts: dict[str, int], leads: list[int], restores: list[int],
             recoveries: list[int]) -> dict[str, float | int | None]:
    deployments = counts["deployments"]
    return {
        "deployments": deployments,
        "deployment_days": counts["deployment_days"],
        "changes": counts["changes"],
        "lead_time_median_h": _hours(median(leads)) if leads else None,
        "lead_time_p90_h": _hours(p90(leads)) if leads else None,
        "failed_deployments": counts["failed_deployments"],
        "change_failure_rate": _rate(counts["failed_deployments"], deployments),
        "incidents_opened": counts["incidents_opened"],
        "incidents_resolved": counts["incidents_resolved"],
        "time_to_restore_median_h": _hours(median(restores)) if restores else None,
        "recovery_time_median_h": _hours(median(recoveries)) if recoveries else None,
        "rework_deployments": counts["rework_deployments"],
        "rework_rate": _rate(counts["rework_deployments"], deployments),
        "tickets_resolved": counts["tickets_resolved"],
        "unplanned_tickets": counts["unplanned_tickets"],
        "unplanned_work_rate": _rate(counts["unplanned_tickets"], counts["tickets_resolved"]),
    }


def p90(values: Sequence[float]) -> float:
    """The 90th percentile, interpolated between closest ranks; the value itself for one value."""
    if len(values) == 1:
        return float(values[0])
    return quantiles(values, n=10, method="inclusive")[-1]


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _tier(value: float | None, bounds: tuple[float, float, float], *, strict: bool) -> str | None:
    if value is None:
        return None
    for bound, name in zip(bounds, ("elite", "high", "medium")):
        if (value < bound) if strict else (value <= bound):
            return name
    return "low"


def deployment_frequency_tier(window: Window, days: set[int], has_history: bool) -> str | None:
    """Elite at a median of 5+ deployment days a week, high at 1+, medium at 1+ a month, else low.

    Weeks are the complete Monday-to-Sunday weeks inside the window up to ``as_of``; months
    are its complete months (all of its months when none is complete yet). None when the
    entity has no deployment at all up to the window's end (no data, rather than "low").
    """
    if not has_history:
        return None
    first, last = window.first_day, window.as_of
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    weekly = []
    while monday + timedelta(days=6) <= last:
        start = (monday - first).days
        weekly.append(sum(1 for d in range(start, start + 7) if d in days))
        monday += timedelta(days=7)
    monthly = []
    complete = [m for m in window.months if m.complete] or list(window.months)
    for month in complete:
        lo = window.day_of(month.start)
        hi = window.day_of(month.end - 1)
        lo = 0 if lo is None else lo
        hi = len(window.day_starts) - 1 if hi is None else hi
        monthly.append(sum(1 for d in days if lo <= d <= hi))
    if weekly and median(weekly) >= 5:
        return "elite"
    if weekly and median(weekly) >= 1:
        return "high"
    if monthly and median(monthly) >= 1:
        return "medium"
    return "low"
