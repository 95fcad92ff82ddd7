"""What the site's pages list, laid out from the rows alone, before the figures are known.

:func:`lay_out` needs the config, the rows (:mod:`~dora_tui.ops.site.data`) and the window,
not the report: :func:`~dora_tui.ops.site.build_site` runs it while the report's figures are
computed in a second process. It names every page's path (:func:`bases`, by
:mod:`~dora_tui.ops.site.slugs`), gives each deployment of the months with rows pages its
link (its row on its service's rows page, ``rows/services/SLUG.html#d-NAME``; one of an earlier
month has none), groups the incidents and tickets by service and team, and makes the rows of
every month page (:mod:`~dora_tui.ops.site.months`) when it is rendered (:meth:`Layout.month`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from collectors.records import Incident, Ticket
from dora_tui.config import Config
from dora_tui.core.periods import Month, Window
from dora_tui.ops.site.data import SiteRows
from dora_tui.ops.site.months import (
    KINDS,
    IncidentLine,
    MonthRows,
    deployment_anchors,
    incident_anchors,
    incident_line,
    line_maker,
)
from dora_tui.ops.site.render import LocalTimes, duration
from dora_tui.ops.site.slugs import slugs


def drill_months(window: Window, trend_months: int) -> tuple[Month, ...]:
    """The months of ``window`` with pages of the rows behind their figures: those the trend is
    read from (the last ``trend_months`` complete months) and the month in progress."""
    months = window.months
    return months[-(trend_months + (0 if months and months[-1].complete else 1)) :]


def by_opening(i: Incident) -> tuple[int, str]:
    """The order of incidents: by when they opened, then by id."""
    return (i.opened_at, i.id)


def bases(config: Config) -> dict[tuple[str, str], str]:
    """Where each service's and team's pages are (``services/SLUG``, ``teams/SLUG``), by (kind, name)."""
    found = {("service", name): f"services/{value}" for name, value in slugs(s.name for s in config.services).items()}
    found.update((("team", name), f"teams/{value}") for name, value in slugs(t.name for t in config.teams).items())
    return found


@dataclass(frozen=True)
class MonthPage:
    """A month page's rows (as :func:`~dora_tui.ops.site.months.line_maker` makes them, by kind)
    and how many of each kind it holds."""

    rows: dict[str, list[Any]]
    sizes: dict[str, int]


@dataclass(frozen=True)
class Layout:
    """The pages' paths, links and rows (see the module).

    A month page's rows are made when it is asked for (:meth:`month`), by the process that
    renders it: the work is shared by the processes that render the pages, and the figures
    need not wait for it."""

    drill: tuple[Month, ...]
    bases: dict[tuple[str, str], str]
    members: dict[str, list[str]]
    """Each team's services, by name."""
    links: dict[tuple[str, str], str]
    """Each linked deployment's row (``rows/services/SLUG.html#d-NAME``), by (service, name)."""
    incidents: dict[str, list[IncidentLine]]
    """Each entity's incidents opened in the window, newest first (a team's: its services' and
    its own), by base."""
    listed: dict[str, MonthRows]
    """Each entity's rows of the months with pages, by base."""
    lines: Callable[[str, list[Any]], list[Any]]
    """What a month page shows of a kind's rows (:func:`~dora_tui.ops.site.months.line_maker`)."""

    def month(self, base: str, month: Month) -> MonthPage:
        """The rows of the entity ``base`` in ``month``, as its month page lists them."""
        found = self.listed[base].month(month)
        return MonthPage(
            {kind: self.lines(kind, found[kind]) for kind in KINDS}, {kind: len(found[kind]) for kind in KINDS}
        )


def lay_out(config: Config, rows: SiteRows, window: Window) -> Layout:
    """Lay out every page's rows (see the module)."""
    drill = drill_months(window, config.trend_months)
    where = bases(config)
    members = {t.name: sorted(s.name for s in config.services_of(t.name)) for t in config.teams}
    links: dict[tuple[str, str], str] = {}
    anchors: dict[tuple[str, str], str] = {}
    for service, outcomes in rows.outcomes.items():
        base = where[("service", service)]
        named = {o.deployment.name for o in outcomes} | {c.deployment for c in rows.changes.get(service, ())}
        anchors.update(((service, name), value) for name, value in deployment_anchors(named).items())
        for o in outcomes:
            d = o.deployment
            if rows.since <= d.time < window.cutoff:
                links[(service, d.name)] = f"rows/{base}.html#{anchors[(service, d.name)]}"

    incidents_by: dict[tuple[str, str | None], list[Incident]] = {}
    for i in rows.incidents:
        incidents_by.setdefault(("service", i.service) if i.service is not None else ("team", i.team), []).append(i)
    tickets_by: dict[tuple[str, str | None], list[Ticket]] = {}
    for t in rows.tickets:
        tickets_by.setdefault(("service", t.service), []).append(t)
        if t.team is not None:
            tickets_by.setdefault(("team", t.team), []).append(t)
    incidents: dict[str, list[Incident]] = {}
    own_incidents: dict[str, list[Incident]] = {}
    tickets: dict[str, list[Ticket]] = {}
    for (kind, name), base in where.items():
        if kind == "service":
            incidents[base] = own_incidents[base] = incidents_by.get(("service", name), [])
            tickets[base] = tickets_by.get(("service", name), [])
        else:
            own_incidents[base] = incidents_by.get(("team", name), [])
            incidents[base] = [i for s in members[name] for i in incidents_by.get(("service", s), [])]
            incidents[base] += own_incidents[base]
            names = set(members[name])
            tickets[base] = [t for t in tickets_by.get(("team", name), []) if t.service not in names]

    when = LocalTimes(config.tz)
    pages = {name: f"{base}.html" for (kind, name), base in where.items() if kind == "service"}
    anchor_of: dict[Incident, str] = {}
    incident_links: dict[Incident, str] = {}
    for (kind, _), base in where.items():
        if kind == "service":
            for i, anchor in incident_anchors(incidents[base]).items():
                anchor_of[i] = anchor
                if i.opened_at >= window.start:  # on its incidents page
                    incident_links[i] = f"rows/{base}.html#{anchor}"
    incident_lines = {
        i: incident_line(
            i,
            anchor=anchor_of.get(i, ""),
            cutoff=window.cutoff,
            when=when,
            duration=duration,
            pages=pages,
            failed=rows.failed_by.get(i),
            links=links,
        )
        for i in rows.incidents
    }
    as_lines = line_maker(
        when=when,
        duration=duration,
        links=links,
        anchors=anchors,
        failing=rows.failing,
        incident_links=incident_links,
        incidents=incident_lines,
        counts=rows.counts,
    )
    listed = {
        base: MonthRows(
            [o for o in rows.outcomes.get(name, []) if o.deployment.time >= rows.since] if kind == "service" else [],
            rows.changes.get(name, []) if kind == "service" else [],
            own_incidents[base],
            tickets[base],
            rows.since,
            window.cutoff,
        )
        for (kind, name), base in where.items()
    }
    newest_first = {
        base: sorted(found, key=lambda i: (i.opened_at, i.id), reverse=True) for base, found in incidents.items()
    }
    shown = {
        base: [incident_lines[i] for i in found if i.opened_at >= window.start] for base, found in newest_first.items()
    }
    return Layout(drill, where, members, links, shown, listed, as_lines)
