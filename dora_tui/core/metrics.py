"""The DORA figures: rows in, figures out. Pure: no I/O, the clock passed in.

Given what became of each deployment (:mod:`dora_tui.core.attribution`):

1. :class:`Buckets` cuts one service's rows by month; a team's buckets are the union of its
   services' buckets (its rows, never a mean of service figures) plus its own tickets.
2. :func:`figures` turns buckets into monthly figures, the window block, tiers and trends,
   for the figures and metrics of :mod:`dora_tui.core.catalog`.
   :func:`entity_figures` does both for any set of rows.

Counts are 0 when nothing happened; a figure derived from rows (a median, a rate) is None
when it has no rows. Hours are rounded to 2 decimals, rates to 3.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from collectors.records import Incident, Ticket
from dora_tui.core import trends
from dora_tui.core.attribution import Attribution, Outcome
from dora_tui.core.catalog import METRICS, TIERED, Metric, Tiers
from dora_tui.core.periods import Window
from dora_tui.core.tiers import deployment_frequency_tier, median_sorted, p90_sorted, tier

__all__ = ["Buckets", "EntityFigures", "entity_figures", "figures"]

AVERAGE_MONTH_S = 365.2425 / 12 * 86400  # the Gregorian calendar's average month, in seconds


@dataclass(frozen=True)
class EntityFigures:
    """Everything the report and the dashboard show for one service or team.

    ``first_deployment`` is when its first deployment ever was (None: none yet): the months
    before it have no value for a metric that says so
    (:attr:`~dora_tui.core.catalog.Metric.since_first_deployment`): see :meth:`charted`.
    """

    months: list[dict[str, float | int | None]]
    window: dict[str, float | int | None]
    tiers: dict[str, str | None]
    trends: dict[str, str]
    needs_attention: bool
    series: dict[str, list[float | int | None]] = field(default_factory=dict)
    first_deployment: int | None = None

    def charted(self, metric: Metric, window: Window) -> list[float | int | None]:
        """``metric``'s value in each month of ``window`` (this figures' window), as a chart draws
        it: None for a month without data, and for a month that ended before the first
        deployment when the metric follows deployments (a count of 0 there is no history, not
        a month without deployments: the trend skips it too)."""
        return with_history(metric, window, [month[metric.month_key] for month in self.months], self.first_deployment)

    def detail(self, metric: Metric, window: Window) -> str:
        """``metric``'s words beside its window value (``21.7 a month``): a count a month is
        over the time ``window`` holds up to its as-of day, from the first deployment ever for
        a metric that follows deployments (the months before it are no history, see
        :meth:`charted`; the month in progress counts so far), and over one month at least
        (a service deploying for ten days has made its so far)."""
        begin = window.start
        if metric.since_first_deployment and self.first_deployment is not None:
            begin = max(begin, self.first_deployment)
        return metric.detail(self.window, max((window.cutoff - begin) / AVERAGE_MONTH_S, 1.0))


def with_history(
    metric: Metric, window: Window, values: Sequence[float | int | None], first_deployment: int | None
) -> list[float | int | None]:
    """``values`` (one per month of ``window``) with None for the months that ended before the
    first deployment (``None``: none yet), when ``metric`` follows deployments
    (:attr:`~dora_tui.core.catalog.Metric.since_first_deployment`)."""
    if not metric.since_first_deployment:
        return list(values)
    if first_deployment is None:  # no deployment ever: no month has data, the one in progress neither
        return [None] * len(values)
    return [None if m.end <= first_deployment else v for m, v in zip(window.months, values)]


class Buckets:
    """One entity's rows cut by the months of a window: counts, days, and the values behind medians."""

    def __init__(self, months: int) -> None:
        self.deployments = [0] * months
        self.failed = [0] * months
        self.rework = [0] * months
        self.rollbacks = [0] * months
        self.days: list[set[int]] = [set() for _ in range(months)]
        self.recoveries: list[list[int]] = [[] for _ in range(months)]
        self.leads: list[list[int]] = [[] for _ in range(months)]
        self.opened = [0] * months
        self.resolved = [0] * months
        self.restores: list[list[int]] = [[] for _ in range(months)]
        self.tickets = [0] * months
        self.unplanned = [0] * months
        self.first_deployment: int | None = None

    def add_deployments(self, window: Window, times: Sequence[int], found: Attribution) -> None:
        """Count deployments (sorted by time) with their attribution; earlier ones only date the history."""
        if times:
            first = times[0]
            self.first_deployment = first if self.first_deployment is None else min(self.first_deployment, first)
        starts, day_starts, lo, hi = window.month_starts, window.day_starts, window.start, window.cutoff
        for i in range(bisect_left(times, lo), bisect_left(times, hi)):
            t = times[i]
            m = bisect_right(starts, t) - 1
            self.deployments[m] += 1
            self.days[m].add(bisect_right(day_starts, t) - 1)
            if found.failed[i]:
                self.failed[m] += 1
                recovered = found.recovered[i]
                if recovered is not None:
                    self.recoveries[m].append(recovered - t)
            if found.rework[i]:
                self.rework[m] += 1
            if found.rollback[i]:
                self.rollbacks[m] += 1

    def add_lead_times(self, window: Window, rows: Iterable[tuple[int, int]]) -> None:
        """Add (deployment time, lead time in seconds) of changes."""
        starts, lo, hi, leads = window.month_starts, window.start, window.cutoff, self.leads
        for deploy_time, lead in rows:
            if lo <= deploy_time < hi:
                leads[bisect_right(starts, deploy_time) - 1].append(lead)

    def add_incidents(self, window: Window, incidents: Iterable[Incident]) -> None:
        """Count incidents opened and resolved per month, with their times to restore."""
        starts, lo, hi = window.month_starts, window.start, window.cutoff
        for incident in incidents:
            if lo <= incident.opened_at < hi:
                self.opened[bisect_right(starts, incident.opened_at) - 1] += 1
            end = incident.resolved_at
            if end is not None and lo <= end < hi:
                m = bisect_right(starts, end) - 1
                self.resolved[m] += 1
                self.restores[m].append(end - incident.opened_at)

    def add_tickets(self, window: Window, rows: Iterable[tuple[int | None, int]]) -> None:
        """Count tickets by (resolved_at, unplanned), unplanned true or 1 (as the store has it)."""
        starts, lo, hi = window.month_starts, window.start, window.cutoff
        for resolved, unplanned in rows:
            if resolved is not None and lo <= resolved < hi:
                m = bisect_right(starts, resolved) - 1
                self.tickets[m] += 1
                self.unplanned[m] += bool(unplanned)

    def tail(self, months: int, days: int) -> Buckets:
        """The buckets of the last ``months`` months, for a shorter window ending at the same
        time, whose first day comes ``days`` days after this one's."""
        part = Buckets(0)
        for name in (
            "deployments",
            "failed",
            "rework",
            "rollbacks",
            "recoveries",
            "leads",
            "opened",
            "resolved",
            "restores",
            "tickets",
            "unplanned",
        ):
            setattr(part, name, getattr(self, name)[len(self.deployments) - months :])
        part.days = [{d - days for d in s} for s in self.days[len(self.days) - months :]]
        part.first_deployment = self.first_deployment
        return part

    @classmethod
    def union(cls, parts: Sequence[Buckets], months: int, *, tickets: bool = True) -> Buckets:
        """The buckets of the union of the parts' rows (tickets too, unless ``tickets`` is false)."""
        whole = cls(months)
        for part in parts:
            for m in range(months):
                whole.deployments[m] += part.deployments[m]
                whole.failed[m] += part.failed[m]
                whole.rework[m] += part.rework[m]
                whole.rollbacks[m] += part.rollbacks[m]
                whole.days[m] |= part.days[m]
                whole.recoveries[m] += part.recoveries[m]
                whole.leads[m] += part.leads[m]
                whole.opened[m] += part.opened[m]
                whole.resolved[m] += part.resolved[m]
                whole.restores[m] += part.restores[m]
                if tickets:
                    whole.tickets[m] += part.tickets[m]
                    whole.unplanned[m] += part.unplanned[m]
            if part.first_deployment is not None and (
                whole.first_deployment is None or part.first_deployment < whole.first_deployment
            ):
                whole.first_deployment = part.first_deployment
        return whole


def figures(window: Window, b: Buckets, trend_months: int, *, incident_data: bool = True) -> EntityFigures:
    """Monthly figures, the window block, tiers and trends of an entity's buckets.

    ``incident_data`` says whether any incident was ever imported: without, nothing measures
    failures, so the change failure rate (each month's, the window's, its tier and its trend)
    is None rather than a flattering 0 % and "elite".
    """
    n = len(window.months)
    months = []
    for i in range(n):
        months.append(
            _figures(
                b.deployments[i],
                len(b.days[i]),
                b.failed[i],
                b.rework[i],
                b.opened[i],
                b.resolved[i],
                b.tickets[i],
                b.unplanned[i],
                sorted(b.leads[i]),
                sorted(b.restores[i]),
                sorted(b.recoveries[i]),
                b.rollbacks[i],
            )
        )
    all_days = sorted(set().union(*b.days))
    leads = sorted(x for part in b.leads for x in part)
    restores = sorted(x for part in b.restores for x in part)
    deployments, failed = sum(b.deployments), sum(b.failed)
    window_rows = (
        deployments,
        len(all_days),
        failed,
        sum(b.rework),
        sum(b.opened),
        sum(b.resolved),
        sum(b.tickets),
        sum(b.unplanned),
        leads,
        restores,
        sorted(x for part in b.recoveries for x in part),
        sum(b.rollbacks),
    )
    block = _figures(*window_rows)
    # Tiers judge the exact values: 23 h 59 min 59 s is under a day even if it shows as 24.0.
    exact = _figures(*window_rows, exact=True)
    if not incident_data:
        for row in (*months, block, exact):
            row["change_failure_rate"] = None

    series = {m.key: [month[m.month_key] for month in months] for m in METRICS}
    trend = {}
    for m in METRICS:
        # Months before the entity's first deployment ever are no data for a metric that says so, not zeros.
        charted = with_history(m, window, series[m.key], b.first_deployment)
        values = [v for month, v in zip(window.months, charted) if month.complete and v is not None]
        trend[m.key] = trends.classify(values[-trend_months:], m.better)
    deployed = b.first_deployment is not None and b.first_deployment < window.cutoff
    tiers = {
        m.key: tier(exact[m.month_key], m.tiers.bounds, strict=m.tiers.strict)
        if isinstance(m.tiers, Tiers)
        else deployment_frequency_tier(window, all_days, b.first_deployment if deployed else None)
        for m in TIERED
    }
    attention = sum(1 for t in trend.values() if t == trends.WORSENING) >= 2
    return EntityFigures(months, block, tiers, trend, attention, series, b.first_deployment)


def entity_figures(
    window: Window,
    outcomes: Sequence[Outcome],
    lead_times: Iterable[tuple[int, int]],
    incidents: Iterable[Incident],
    tickets: Iterable[Ticket],
    trend_months: int,
    *,
    incident_data: bool = True,
) -> EntityFigures:
    """Figures over any set of rows: outcomes (sorted by time), (deploy time, lead seconds) of
    changes, incidents and tickets. Rows outside the window are ignored."""
    b = Buckets(len(window.months))
    outcomes = sorted(outcomes, key=lambda o: o.deployment.time)
    found = Attribution(
        [o.failed for o in outcomes],
        [o.rework for o in outcomes],
        [o.recovered_at for o in outcomes],
        {},
        [bool(o.deployment.rollback_of) for o in outcomes],
        {},
    )
    b.add_deployments(window, [o.deployment.time for o in outcomes], found)
    b.add_lead_times(window, lead_times)
    b.add_incidents(window, incidents)
    b.add_tickets(window, ((t.resolved_at, t.unplanned) for t in tickets))
    return figures(window, b, trend_months, incident_data=incident_data)


def _figures(
    deployments: int,
    days: int,
    failed: int,
    rework: int,
    opened: int,
    resolved: int,
    tickets: int,
    unplanned: int,
    leads: list[int],
    restores: list[int],
    recoveries: list[int],
    rollbacks: int,
    *,
    exact: bool = False,
) -> dict[str, float | int | None]:
    """One month's (or the window's) figures; the lists are sorted. Hours are rounded to 2
    decimals and rates to 3, unless ``exact``."""
    hours = _exact_hours if exact else _hours
    rate = _exact_rate if exact else _rate
    return {
        "deployments": deployments,
        "deployment_days": days,
        "changes": len(leads),
        "lead_time_median_h": hours(median_sorted(leads)) if leads else None,
        "lead_time_p90_h": hours(p90_sorted(leads)) if leads else None,
        "failed_deployments": failed,
        "change_failure_rate": rate(failed, deployments),
        "incidents_opened": opened,
        "incidents_resolved": resolved,
        "time_to_restore_median_h": hours(median_sorted(restores)) if restores else None,
        "recovery_time_median_h": hours(median_sorted(recoveries)) if recoveries else None,
        "rework_deployments": rework,
        "rework_rate": rate(rework, deployments),
        "tickets_resolved": tickets,
        "unplanned_tickets": unplanned,
        "unplanned_work_rate": rate(unplanned, tickets),
        "rollbacks": rollbacks,
    }


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _exact_hours(seconds: float) -> float:
    return seconds / 3600


def _exact_rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None
