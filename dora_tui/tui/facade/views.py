"""What the dashboard's screens receive: plain view objects and the text helpers they share.

No Textual and no Rich here: :class:`dora_tui.tui.facade.dashboard.Dashboard` builds these objects (in
worker threads too), the screens turn them into widgets. It holds

- :func:`safe_text`, which makes untrusted text (commit subjects, tag names, incident titles,
  people's names) printable, and :func:`terminal`, which makes an error one inert line for
  the terminal the dashboard was started from;
- :data:`METRICS`, the six cards of an entity page (from :mod:`dora_tui.core.catalog`), and the value formatters
  :func:`format_value`, :func:`format_hours` and :func:`trend_words`;
- the frozen dataclasses of the pages: :class:`EntityView` and its :class:`MetricFigures`,
  the home page's :class:`TeamGroup` of :class:`DirectoryEntry`, and the drill-down rows
  (:class:`DeploymentRow`, :class:`ChangeRow`, :class:`IncidentRow`, :class:`TicketRow`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dora_tui.core.catalog import METRIC_BY_KEY as METRIC_BY_KEY
from dora_tui.core.catalog import METRICS as METRICS
from dora_tui.core.catalog import Metric as Metric
from dora_tui.core.inert import terminal as terminal
from dora_tui.core.wording import counted as counted
from dora_tui.core.wording import format_hours as format_hours
from dora_tui.core.wording import format_value as format_value
from dora_tui.core.wording import trend_words as trend_words

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
    in_progress: bool = False  # the last month of ``series`` is the month in progress


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
    """A deployment with what became of it: ``rollback_of`` names the deployment it undid (a
    rollback), ``undone_by`` the rollback that undid it (``""`` for none)."""

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
    rollback_of: str = ""
    undone_by: str = ""


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
