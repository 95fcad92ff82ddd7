"""The rows behind one month of a service or team page, cut once per entity.

A service's month page lists its own rows: the deployments of the month (behind deployment
frequency, change failure rate and rework rate), each with what became of it, the incidents
that failed it and the rollback that undid it; the changes deployed in it (lead time), grouped
by the deployment that first carried them, so that a deployment's row and its changes are the
deployment's drill-down (``#d-NAME`` and ``#c-NAME`` on the page); the incidents resolved in it
(time to restore) and the tickets resolved in it (unplanned work). A team's month page does
not repeat its services' rows: it lists how many each service has, linking to that service's
month page, and the rows that are the team's own (incidents and tickets mapped to the team but
to none of its services).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from collectors.records import Incident, Ticket
from dora_tui.core.attribution import Outcome
from dora_tui.core.periods import Month
from dora_tui.ops.site.slugs import slug, slugs
from dora_tui.store.queries.deployments import ChangeRow

KINDS = ("deployments", "changes", "incidents", "tickets")
"""The kinds of rows behind a metric (:attr:`dora_tui.core.catalog.Metric.rows`), in page order."""


def deployment_anchors(names: Iterable[str]) -> dict[str, str]:
    """The ids of deployments' rows on their month pages (``d-NAME``; the group of a
    deployment's changes is ``c-`` and the same part), one service's names at a time: its
    deployments' names made safe by :func:`~dora_tui.ops.site.slugs.slugs`, so never two alike."""
    return {name: "d-" + value for name, value in slugs(names).items()}


def changes_anchor(anchor: str) -> str:
    """The id of the group of a deployment's changes, from the id of its row."""
    return "c-" + anchor[2:]


def incident_anchors(incidents: Iterable[Incident]) -> dict[Incident, str]:
    """The ids of one service's incidents' rows on its incidents page: ``i-`` and the incident's
    id made safe, or, for an id two of them share (two imports of one tool), its source and id."""
    found = list(incidents)
    seen: set[str] = set()
    shared: set[str] = set()
    for i in found:
        (shared if i.id in seen else seen).add(i.id)
    return {i: "i-" + slug(f"{i.source}:{i.id}" if i.id in shared else i.id) for i in found}


class Link(NamedTuple):
    """A text and where it leads (``url`` '' for nowhere: the text alone is shown).

    This module's rows are named tuples: made by the hundred thousand, they cost less to make
    than frozen dataclasses, and read the same."""

    text: str
    url: str


class DeploymentLine(NamedTuple):
    """A deployment's row on a month page, its texts made once: ``anchor`` the row's id,
    ``group`` its changes'. The page unpacks it in this order (a field a row; no look-up by
    name for each of tens of thousands of rows)."""

    anchor: str
    group: str
    when: str
    name: str
    source: str
    sha: str
    changes: int
    outcome: str
    failed: bool
    failed_by: tuple[Link, ...]
    recovered: str
    rolls_back: Link | None
    rolled_back_by: Link | None
    message: str


class ChangeLine(NamedTuple):
    """A change's row on a month page, its texts made once (a tuple: the page unpacks it, the
    most numerous row of the site). When it was committed is its lead time before its
    deployment's time, shown once for the group; ``skewed`` gives it for a change committed
    after its deployment (clock skew: its lead time reads 0), ``''`` for the others."""

    sha: str
    lead: str
    skewed: str
    author: str
    subject: str


class ChangeGroup(NamedTuple):
    """The changes one deployment first carried: the group's id, the deployment's name and the
    id of its row on the same page (``''`` when the page does not list it), and when it was
    deployed."""

    anchor: str
    name: str
    row: str
    when: str
    changes: list[ChangeLine]


class IncidentLine(NamedTuple):
    """An incident's row (on incidents pages and month pages), its texts made once: ``anchor``
    its id on its service's incidents page, ``service`` its service (``None`` for a team's own),
    ``resolved`` ``''`` while it is open (at the cutoff), ``seconds`` how long it took (-1: open)."""

    anchor: str
    opened: str
    id: str
    service: Link | None
    severity: str
    title: str
    resolved: str
    duration: str
    seconds: int
    failed: Link | None


def incident_line(
    i: Incident,
    *,
    anchor: str,
    cutoff: int,
    when: Callable[[int | None], str],
    duration: Callable[[int | None], str],
    pages: dict[str, str],
    failed: str | None,
    links: dict[tuple[str, str], str],
) -> IncidentLine:
    """The row of incident ``i``, ``anchor`` its id on its incidents page: ``pages`` are the
    services' pages, ``failed`` the deployment it failed (``links`` the deployments' rows)."""
    resolved = i.resolved_at if i.resolved_at is not None and i.resolved_at < cutoff else None
    service = i.service
    return IncidentLine(
        anchor=anchor,
        opened=when(i.opened_at),
        id=i.id,
        service=Link(service, pages.get(service, "")) if service is not None else None,
        severity=i.severity,
        title=i.title,
        resolved=when(resolved) if resolved is not None else "",
        duration=duration(resolved - i.opened_at) if resolved is not None else "–",
        seconds=resolved - i.opened_at if resolved is not None else -1,
        failed=Link(failed, links.get((service, failed), "")) if failed and service is not None else None,
    )


class TicketLine(NamedTuple):
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
    links: dict[tuple[str, str], str],
    anchors: dict[tuple[str, str], str],
    failing: dict[tuple[str, str], list[Incident]],
    incident_links: dict[Incident, str],
    incidents: dict[Incident, IncidentLine],
    counts: dict[tuple[str, str], int],
) -> Callable[[str, list[Any]], list[Any]]:
    """What a month page lists of each kind of row, as lines whose texts are made here once.
    ``links`` are the deployments' (``page#anchor``, by service and name), ``anchors`` their
    rows' ids (:func:`deployment_anchors`), ``failing`` the incidents that failed each,
    ``incident_links`` where each incident's row is (``''``: on no page),
    ``incidents`` every incident's line (:func:`incident_line`)."""

    def deployment(o: Outcome) -> DeploymentLine:
        d = o.deployment
        words, failed = outcome_words(o)
        anchor = anchors[(d.service, d.name)]
        return DeploymentLine(
            anchor=anchor,
            group=changes_anchor(anchor),
            when=when(d.time),
            name=d.name,
            source="" if d.source == "git" else d.source,
            sha=d.sha[:12],
            changes=counts.get((d.service, d.name), 0),
            outcome=words,
            failed=failed,
            failed_by=tuple(Link(i.id, incident_links.get(i, "")) for i in failing.get((d.service, d.name), ())),
            recovered=f"{when(o.recovered_at)} ({duration(o.recovered_at - d.time)} after)"
            if o.recovered_at is not None
            else "",
            rolls_back=Link(d.rollback_of, links.get((d.service, d.rollback_of), "")) if d.rollback_of else None,
            rolled_back_by=Link(o.undone_by, links.get((d.service, o.undone_by), "")) if o.undone_by else None,
            message=d.message,
        )

    def changes(items: list[ChangeRow]) -> list[ChangeGroup]:
        groups: dict[str, ChangeGroup] = {}
        for c in items:
            group = groups.get(c.deployment)
            if group is None:
                row = anchors[(c.service, c.deployment)]
                listed = row if (c.service, c.deployment) in links else ""
                group = ChangeGroup(changes_anchor(row), c.deployment, listed, when(c.deploy_time), [])
                groups[c.deployment] = group
            group.changes.append(
                ChangeLine(
                    c.sha[:12],
                    duration(c.lead_time_s),
                    when(c.commit_time) if c.negative else "",
                    c.author,
                    c.subject,
                )
            )
        return list(groups.values())

    def ticket(t: Ticket) -> TicketLine:
        return TicketLine(when(t.resolved_at), t.key, t.type, t.unplanned, t.title)

    makers: dict[str, Callable[[Any], Any]] = {
        "deployments": deployment,
        "incidents": incidents.__getitem__,
        "tickets": ticket,
    }

    def shown(kind: str, items: list[Any]) -> list[Any]:
        if kind == "changes":
            return changes(items)
        make = makers.get(kind)
        return [make(item) for item in items] if make else items

    return shown


class MonthRows:
    """One entity's rows of the window, sorted once, cut by month on demand."""

    def __init__(
        self,
        deployed: Sequence[Outcome],
        changes: Sequence[ChangeRow],
        incidents: Sequence[Incident],
        tickets: Sequence[Ticket],
        start: int,
        cutoff: int,
    ) -> None:
        resolved = sorted(
            (i for i in incidents if i.resolved_at is not None and start <= i.resolved_at < cutoff),
            key=lambda i: (i.resolved_at or 0, i.id),
        )
        done = sorted(
            (t for t in tickets if t.resolved_at is not None and start <= t.resolved_at < cutoff),
            key=lambda t: (t.resolved_at or 0, t.key),
        )
        self._rows: dict[str, tuple[Sequence[Any], list[int]]] = {
            "deployments": (deployed, [o.deployment.time for o in deployed]),
            "changes": (changes, [c.deploy_time for c in changes]),
            "incidents": (resolved, [i.resolved_at or 0 for i in resolved]),
            "tickets": (done, [t.resolved_at or 0 for t in done]),
        }

    def month(self, month: Month) -> dict[str, list[Any]]:
        """Each kind's rows within ``month``."""
        found = {}
        for kind, (items, times) in self._rows.items():
            found[kind] = list(items[bisect_left(times, month.start) : bisect_left(times, month.end)])
        return found

    def sizes(self, month: Month) -> dict[str, int]:
        """How many rows of each kind are within ``month`` (none of them made)."""
        return {
            kind: bisect_left(times, month.end) - bisect_left(times, month.start)
            for kind, (_, times) in self._rows.items()
        }


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
