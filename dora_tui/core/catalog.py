"""The metric catalog: every figure and every metric dora-tui computes, written down once.

The report (JSON, CSV, Markdown), the dashboard's cards, charts and help, and the tiers and
trends all read what they show from here. Adding a metric means adding it here and adding
its computation to :mod:`dora_tui.core.metrics`; nothing else lists metrics.

- :data:`FIGURES`: the figures of a month (and of the window), in the order of the report
  schema ``dora-tui/report/v1``: counts, medians and rates, each with its unit and, when the
  Markdown report shows it, its column title;
- :data:`METRICS`: the six metrics an entity page shows as cards, in order: which monthly
  figure each follows, which way is better, the rows behind it, its definition, its tier
  bounds (DORA 2023) and the small print under its window value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from dora_tui.core.wording import counted

Values = Mapping[str, float | int | None]
"""A month's (or the window's) figures by key."""


@dataclass(frozen=True)
class Figure:
    """One figure of a month: its key in the report, its unit, and its Markdown column title ('' for none)."""

    key: str
    unit: str  # "count", "hours" or "rate"
    column: str = ""


FIGURES: tuple[Figure, ...] = (
    Figure("deployments", "count", "Deploys"),
    Figure("deployment_days", "count", "Deploy days"),
    Figure("changes", "count", "Changes"),
    Figure("lead_time_median_h", "hours", "Lead time median (h)"),
    Figure("lead_time_p90_h", "hours", "Lead time p90 (h)"),
    Figure("failed_deployments", "count"),
    Figure("change_failure_rate", "rate", "Change failure rate"),
    Figure("incidents_opened", "count"),
    Figure("incidents_resolved", "count"),
    Figure("time_to_restore_median_h", "hours", "Time to restore (h)"),
    Figure("recovery_time_median_h", "hours", "Recovery (h)"),
    Figure("rework_deployments", "count"),
    Figure("rework_rate", "rate", "Rework rate"),
    Figure("tickets_resolved", "count"),
    Figure("unplanned_tickets", "count"),
    Figure("unplanned_work_rate", "rate", "Unplanned work"),
    Figure("rollbacks", "count"),  # added after the schema's first version: last, so older columns keep their place
)
"""Every figure of a month, in the report schema's order."""

KEYS: tuple[str, ...] = tuple(f.key for f in FIGURES)
"""The keys of a month's figures, in order (the CSV report's columns after kind, name, team, month)."""

MARKDOWN_COLUMNS: tuple[Figure, ...] = tuple(f for f in FIGURES if f.column)
"""The figures the Markdown report's tables show, in order."""

FIGURE_BY_KEY: dict[str, Figure] = {f.key: f for f in FIGURES}
""":data:`FIGURES` by key."""


@dataclass(frozen=True)
class Tiers:
    """A metric's DORA tier bounds: elite, high and medium below them (or up to them when not ``strict``)."""

    bounds: tuple[float, float, float]
    strict: bool


DEPLOYMENT_DAYS: Literal["deployment days"] = "deployment days"
"""The tier rule of deployment frequency: median deployment days a week, else a month."""


@dataclass(frozen=True)
class Metric:
    """One metric: what its card and chart show, how it is judged, and which rows lie behind it.

    ``month_key`` is the monthly figure its card, chart and trend follow; ``better`` is the
    direction that is an improvement (``up`` or ``down``); ``rows`` names the rows behind a
    month's value (``deployments``, ``changes``, ``incidents`` or ``tickets``); ``tiers`` its
    DORA tier bounds, on the exact (unrounded) window value of ``month_key``, or
    :data:`DEPLOYMENT_DAYS` for the rule of deployment days a week or a month
    (:func:`dora_tui.core.tiers.deployment_frequency_tier`), or None for no tier;
    ``since_first_deployment`` that the months before an entity's first deployment ever have
    no value for its trend (rather than zeros); ``detail`` the small print under the window
    value, from the window's figures and its number of months.
    """

    key: str
    title: str
    short: str
    month_key: str
    better: str
    rows: str
    definition: str
    detail: Callable[[Values, float], str]
    tiers: Tiers | Literal["deployment days"] | None = None
    since_first_deployment: bool = False

    @property
    def unit(self) -> str:
        """The unit of the figure it follows: ``count``, ``hours`` or ``rate``."""
        return FIGURE_BY_KEY[self.month_key].unit


def _per_month(window: Values, months: float) -> str:
    return f"{(window['deployments'] or 0) / months:.1f}".removesuffix(".0") + " a month"


METRICS: tuple[Metric, ...] = (
    Metric(
        "deployment_frequency",
        "Deployment frequency",
        "Deploy",
        "deployments",
        "up",
        "deployments",
        "How often a service reaches production: deployments in the month (and the distinct "
        "days with one). A deployment is a tag matching the service's tag pattern. Higher is "
        "better.",
        _per_month,
        tiers=DEPLOYMENT_DAYS,
        since_first_deployment=True,
    ),
    Metric(
        "lead_time",
        "Lead time",
        "Lead",
        "lead_time_median_h",
        "down",
        "changes",
        "Time from a commit to the deployment that first carried it to production; the median "
        "over the changes deployed in the month. The first deployment is a baseline whose "
        "commits count nowhere. Lower is better.",
        lambda w, _: counted(int(w["changes"] or 0), "change"),
        Tiers((24, 24 * 7, 24 * 30), strict=True),  # hours: elite < 1 day, high < 1 week, medium < 30 days
    ),
    Metric(
        "change_failure_rate",
        "Change failure rate",
        "Fail",
        "change_failure_rate",
        "down",
        "deployments",
        "Share of the month's deployments that failed: an incident names the deployment, or "
        "opens after it, before the next one and within the attribution window. Lower is better.",
        lambda w, _: f"{w['failed_deployments']} of {w['deployments'] or 0}",
        Tiers((0.05, 0.10, 0.15), strict=False),  # elite <= 5 %, high <= 10 %, medium <= 15 %
    ),
    Metric(
        "time_to_restore",
        "Time to restore",
        "Restore",
        "time_to_restore_median_h",
        "down",
        "incidents",
        "Median time from an incident opening to its resolution, over the incidents resolved "
        "in the month. Lower is better.",
        lambda w, _: f"{w['incidents_resolved']} resolved",
        Tiers((1, 24, 24 * 7), strict=True),  # hours: elite < 1 hour, high < 1 day, medium < 1 week
    ),
    Metric(
        "rework_rate",
        "Rework rate",
        "Rework",
        "rework_rate",
        "down",
        "deployments",
        "Share of deployments that were unplanned fixes: made while an incident was open, or "
        "named like a hotfix, rollback or revert. Lower is better.",
        lambda w, _: f"{w['rework_deployments']} of {w['deployments'] or 0}",
    ),
    Metric(
        "unplanned_work_rate",
        "Unplanned work",
        "Unpl.",
        "unplanned_work_rate",
        "down",
        "tickets",
        "Share of the tickets resolved in the month that were unplanned (bugs, incidents, or "
        "labelled unplanned). Lower is better.",
        lambda w, _: f"{w['unplanned_tickets']} of {w['tickets_resolved']}",
    ),
)
"""The metrics, in the order of an entity page's cards, the report's trends and its tiers."""

METRIC_BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}
""":data:`METRICS` by key (``lead_time``...)."""

TIERED: tuple[Metric, ...] = tuple(m for m in METRICS if m.tiers is not None)
"""The metrics with a DORA tier, in order (the report's ``tiers``)."""
