"""The rows behind one month of a service or team page, cut once per entity.

A service's month page lists its own rows: the deployments of the month (behind deployment
frequency, change failure rate and rework rate), the changes deployed in it (lead time), the
incidents resolved in it (time to restore) and the tickets resolved in it (unplanned work).
A team's month page does not repeat its services' rows: it lists how many each service has,
linking to that service's month page, and the rows that are the team's own (incidents and
tickets mapped to the team but to none of its services).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from collectors.records import Change, Incident, Ticket
from dora_tui.core.attribution import Outcome
from dora_tui.core.periods import Month

KINDS = ("deployments", "changes", "incidents", "tickets")
"""The kinds of rows behind a metric (:attr:`dora_tui.core.catalog.Metric.rows`), in page order."""


@dataclass(frozen=True, slots=True)
class DeploymentLine:
    """A deployment's row on a month page, its texts made once (``url`` '' for no page)."""

    when: str
    name: str
    url: str
    changes: int
    outcome: str
    failed: bool


@dataclass(frozen=True, slots=True)
class ChangeLine:
    """A change's row on a month page, its texts made once (``url`` '' for no deployment page)."""

    when: str
    sha: str
    deployment: str
    url: str
    lead: str
    lead_s: int
    negative: bool
    subject: str


@dataclass(frozen=True, slots=True)
class TicketLine:
    """A resolved ticket's row on a month page."""

    when: str
    key: str
    type: str
    unplanned: bool
    title: str


def line_maker(
    *,
    when: Callable[[int | None], str],
    duration: Callable[[int | None], str],
    pages: dict[tuple[str, str], str],
    counts: dict[tuple[str, str], int],
) -> Callable[[str, list[Any]], list[Any]]:
    """What a month page lists of each kind of row: deployments, changes and tickets as lines
    whose texts are made here once (incidents as they are)."""

    def deployment(o: Outcome) -> DeploymentLine:
        d = o.deployment
        words, failed = outcome_words(o)
        key = (d.service, d.name)
        return DeploymentLine(when(d.time), d.name, pages.get(key, ""), counts.get(key, 0), words, failed)

    def change(c: Change) -> ChangeLine:
        lead = duration(c.lead_time_s)
        url = pages.get((c.service, c.deployment), "")
        return ChangeLine(
            when(c.deploy_time), c.sha[:12], c.deployment, url, lead, c.lead_time_s, c.negative, c.subject
        )

    def ticket(t: Ticket) -> TicketLine:
        return TicketLine(when(t.resolved_at), t.key, t.type, t.unplanned, t.title)

    makers: dict[str, Callable[[Any], Any]] = {"deployments": deployment, "changes": change, "tickets": ticket}

    def shown(kind: str, items: list[Any]) -> list[Any]:
        make = makers.get(kind)
        return [make(item) for item in items] if make else items

    return shown


class MonthRows:
    """One entity's rows of the window, sorted once, cut by month on demand."""

    def __init__(
        self,
        deployed: Sequence[Outcome],
        changes: Sequence[Change],
        incidents: Sequence[Incident],
        tickets: Sequence[Ticket],
        start: int,
        cutoff: int,
        shown: Callable[[str, list[Any]], list[Any]] | None = None,
    ) -> None:
        """``shown`` turns each kind's sorted rows into what the page lists (kept as they are when None)."""
        resolved = sorted(
            (i for i in incidents if i.resolved_at is not None and start <= i.resolved_at < cutoff),
            key=lambda i: (i.resolved_at or 0, i.id),
        )
        done = sorted(
            (t for t in tickets if t.resolved_at is not None and start <= t.resolved_at < cutoff),
            key=lambda t: (t.resolved_at or 0, t.key),
        )
        self._rows: dict[str, tuple[list[Any], list[int]]] = {
            "deployments": (list(deployed), [o.deployment.time for o in deployed]),
            "changes": (list(changes), [c.deploy_time for c in changes]),
            "incidents": (resolved, [i.resolved_at or 0 for i in resolved]),
            "tickets": (done, [t.resolved_at or 0 for t in done]),
        }
        if shown is not None:
            self._rows = {kind: (shown(kind, items), times) for kind, (items, times) in self._rows.items()}

    def month(self, month: Month) -> dict[str, list[Any]]:
        """Each kind's rows within ``month``."""
        found = {}
        for kind, (items, times) in self._rows.items():
            found[kind] = items[bisect_left(times, month.start) : bisect_left(times, month.end)]
        return found


def outcome_words(o: Outcome) -> tuple[str, bool]:
    """What became of a deployment in words (``ok``, ``failed, rework``...), and whether it failed."""
    words = [
        word
        for on, word in (
            (o.failed, "failed"),
            (o.rework, "rework"),
            (bool(o.deployment.rollback_of), "rollback"),
            (bool(o.undone_by), "rolled back"),
            (o.deployment.baseline, "baseline"),
        )
        if on
    ]
    return (", ".join(words) or "ok", o.failed)
