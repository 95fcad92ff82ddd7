"""The site's pages: what each one shows, built from the report's figures and the rows behind them.

:func:`pages` returns one :class:`Page` (a path inside the site, a template, its values) per
file. The figures come from :func:`dora_tui.ops.report.compute`, the same as
``report --format json``; names, definitions and units from :mod:`dora_tui.core.catalog`;
trend words from :mod:`dora_tui.core.wording`. The layout of the site (README, ``dora-tui
site``)::

    index.html  definitions.html  report.json  static/
    teams/NAME.html      teams/NAME/incidents.html      teams/NAME/months/YYYY-MM.html
    services/NAME.html   services/NAME/incidents.html   services/NAME/months/YYYY-MM.html
    services/NAME/deployments/DEPLOYMENT.html

with every NAME made safe by :mod:`dora_tui.ops.site.slugs`. Month pages are written for the
last :data:`DRILL_MONTHS` months of the window (:mod:`~dora_tui.ops.site.months` says what
each holds); a metric's month links to its section. Deployment pages are written for the
latest :data:`RECENT` deployments of each service and for every deployment of those months
that failed or that an incident names; elsewhere a deployment is listed without a link.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from collectors.records import Incident, Ticket
from dora_tui.config import Config
from dora_tui.core import trends
from dora_tui.core.catalog import METRICS
from dora_tui.core.periods import Month, Window
from dora_tui.core.wording import format_value, trend_words
from dora_tui.ops.report import EntityReport, Report
from dora_tui.ops.site.charts import bar_chart
from dora_tui.ops.site.data import RECENT, SiteRows
from dora_tui.ops.site.months import KINDS, MonthRows, line_maker
from dora_tui.ops.site.render import LocalTimes, duration
from dora_tui.ops.site.slugs import slugs

ARROWS = {trends.IMPROVING: "▲", trends.WORSENING: "▼", trends.FLAT: "▶", trends.INSUFFICIENT: "·"}
"""The arrow of each trend (the dashboard's), always shown with its word."""

TREND_WORDS = {
    trends.IMPROVING: "improving",
    trends.WORSENING: "worsening",
    trends.FLAT: "flat",
    trends.INSUFFICIENT: "not enough data",
}


DRILL_MONTHS = 12
"""How many months (to the as-of month) get pages of the rows behind their figures."""


def drill_months(window: Window) -> tuple[Month, ...]:
    """The months of ``window`` with rows pages: the last :data:`DRILL_MONTHS` of them."""
    return window.months[-DRILL_MONTHS:]


@dataclass(frozen=True)
class Page:
    """One file of the site: its path (``/``-separated, inside the site), template and values."""

    path: str
    template: str
    values: dict[str, Any]


@dataclass(frozen=True)
class Entity:
    """A service or team with the paths of its pages."""

    kind: str
    name: str
    report: EntityReport
    base: str  # "services/SLUG" or "teams/SLUG"

    @property
    def page(self) -> str:
        """The path of its page."""
        return self.base + ".html"

    def month_page(self, key: str) -> str:
        """The path of its page of the rows of month ``key``."""
        return f"{self.base}/months/{key}.html"


def trend_of(trend: str) -> dict[str, str]:
    """A trend as the templates show it: its arrow, its words and its name (for the style)."""
    return {"name": trend, "arrow": ARROWS.get(trend, "·"), "words": TREND_WORDS.get(trend, trend)}


def cards(e: Entity, months: tuple[Month, ...], trend_months: int, drilled: set[str]) -> list[dict[str, Any]]:
    """The six metrics of an entity's page: values, tier, trend in words, chart and month table."""
    found = []
    figures = e.report.figures
    keys = [m.key for m in months]
    complete = [m.complete for m in months]
    for metric in METRICS:
        series = [month[metric.month_key] for month in figures.months]
        done = [v for info, v in zip(months, series) if info.complete and v is not None]
        trend = figures.trends.get(metric.key, trends.INSUFFICIENT)
        found.append(
            {
                "metric": metric,
                "current": format_value(metric.unit, series[-1]) if series else "–",
                "in_progress": bool(months) and not months[-1].complete,
                "window": format_value(metric.unit, figures.window[metric.month_key]),
                "detail": metric.detail(figures.window, len(months)),
                "tier": figures.tiers.get(metric.key),
                "trend": trend_of(trend),
                "words": trend_words(trend, done[-trend_months:], metric.better),
                "chart": bar_chart(metric.title, metric.unit, keys, series, complete),
                "months": [
                    {
                        "key": m.key,
                        "value": format_value(metric.unit, v),
                        "complete": m.complete,
                        "page": e.month_page(m.key) if m.key in drilled else None,
                    }
                    for m, v in zip(months, series)
                ],
            }
        )
    return found


def pages(config: Config, report: Report, rows: SiteRows, collected_at: int | None) -> Iterator[Page]:
    """Every page of the site, in a fixed order (report.json and the static files are the writer's)."""
    when = LocalTimes(config.tz)
    window = report.window
    months = window.months
    start, cutoff = window.start, window.cutoff
    service_slug = slugs(s.name for s in config.services)
    team_slug = slugs(t.name for t in config.teams)
    entities: dict[tuple[str, str], Entity] = {}
    for r in report.entities:
        base = f"services/{service_slug[r.name]}" if r.kind == "service" else f"teams/{team_slug[r.name]}"
        entities[(r.kind, r.name)] = Entity(r.kind, r.name, r, base)

    drill = drill_months(window)
    named: dict[str, set[str]] = {}
    for i in rows.incidents:
        if i.service is not None and i.opened_at >= rows.since and (i.service, i.id) in rows.failed_by:
            named.setdefault(i.service, set()).add(rows.failed_by[(i.service, i.id)])
    deployment_pages: dict[tuple[str, str], str] = {}
    outcome_of = {}
    for service, outcomes in rows.outcomes.items():
        chosen = {o.deployment.name for o in outcomes[-RECENT:]} | {
            o.deployment.name for o in outcomes if o.failed and o.deployment.time >= drill[0].start
        }
        chosen |= named.get(service, set())
        outcome_of.update({(service, o.deployment.name): o for o in outcomes if o.deployment.name in chosen})
        folder = entities[("service", service)].base + "/deployments/"
        for name, value in slugs(chosen).items():
            deployment_pages[(service, name)] = folder + value + ".html"

    common = {
        "config_months": len(months),
        "as_of": window.as_of.isoformat(),
        "timezone": report.timezone,
        "collected_at": collected_at,
        "deployment_pages": deployment_pages,
        "entities": entities,
    }

    def page(path: str, template: str, **values: Any) -> Page:
        return Page(path, template, {**common, **values, "path": path, "root": "../" * path.count("/")})

    def members(e: Entity) -> list[str]:
        return list(e.report.services)

    incidents_by: dict[tuple[str, str | None], list[Incident]] = {}
    for i in rows.incidents:
        key = ("service", i.service) if i.service is not None else ("team", i.team)
        incidents_by.setdefault(key, []).append(i)
    tickets_by: dict[tuple[str, str | None], list[Ticket]] = {}
    for t in rows.tickets:
        tickets_by.setdefault(("service", t.service), []).append(t)
        if t.team is not None:
            tickets_by.setdefault(("team", t.team), []).append(t)
    counts = rows.change_counts()
    month_counts: dict[tuple[str, str], dict[str, int]] = {}
    as_lines = line_maker(when=when, duration=duration, pages=deployment_pages, counts=counts)

    def incidents_of(e: Entity) -> list[Incident]:
        found = [i for s in members(e) for i in incidents_by.get(("service", s), [])]
        return found + incidents_by.get(("team", e.name), []) if e.kind == "team" else found

    def tickets_of(e: Entity) -> list[Ticket]:
        if e.kind == "service":
            return tickets_by.get(("service", e.name), [])
        own = tickets_by.get(("team", e.name), [])
        names = set(members(e))
        return own + [t for s in sorted(names) for t in tickets_by.get(("service", s), []) if t.team != e.name]

    groups = []
    for tm in sorted(config.teams, key=lambda t: t.name):
        services = [entities[("service", s.name)] for s in sorted(config.services_of(tm.name), key=lambda s: s.name)]
        groups.append({"team": entities[("team", tm.name)], "services": services})
    loose = sorted(s.name for s in config.services if s.team is None)
    if loose:
        groups.append({"team": None, "services": [entities[("service", n)] for n in loose]})
    attention = sum(1 for e in entities.values() if e.report.figures.needs_attention)
    yield page("index.html", "index.html", groups=groups, attention=attention, metrics=METRICS, trend_of=trend_of)
    yield page("definitions.html", "definitions.html", metrics=METRICS, trend_months=config.trend_months)

    for e in entities.values():
        outcomes = sorted(
            (o for s in members(e) for o in rows.outcomes.get(s, [])[-RECENT:]),
            key=lambda o: (o.deployment.time, o.deployment.service, o.deployment.name),
        )[-RECENT:][::-1]
        incidents = incidents_of(e)
        tickets = tickets_of(e)
        team = entities.get(("team", e.report.team or "")) if e.kind == "service" else None
        services = [entities[("service", s)] for s in members(e)] if e.kind == "team" else []
        yield page(
            e.page,
            "entity.html",
            entity=e,
            team=team,
            services=services,
            cards=cards(e, months, config.trend_months, {m.key for m in drill}),
            recent=outcomes,
            counts=counts,
            needs_attention=e.report.figures.needs_attention,
        )
        shown = sorted((i for i in incidents if i.opened_at >= start), key=lambda i: (i.opened_at, i.id), reverse=True)
        yield page(
            f"{e.base}/incidents.html",
            "incidents.html",
            entity=e,
            incidents=shown,
            cutoff=cutoff,
            failed_by=rows.failed_by,
        )
        own_incidents = incidents if e.kind == "service" else incidents_by.get(("team", e.name), [])
        own_tickets = tickets if e.kind == "service" else [t for t in tickets if t.service not in set(members(e))]
        rows_of = MonthRows(
            [o for o in rows.outcomes.get(e.name, []) if o.deployment.time >= rows.since]
            if e.kind == "service"
            else [],
            rows.changes.get(e.name, []) if e.kind == "service" else [],
            own_incidents,
            own_tickets,
            rows.since,
            cutoff,
            as_lines,
        )
        for m in drill:
            found = rows_of.month(m)
            if e.kind == "service":
                month_counts[(e.name, m.key)] = {kind: len(found[kind]) for kind in KINDS}
            per_service = [
                (entities[("service", s)], month_counts.get((s, m.key), {})) for s in members(e) if e.kind == "team"
            ]
            yield page(
                e.month_page(m.key),
                "month.html",
                entity=e,
                month=m,
                rows=found,
                per_service=per_service,
                counts=counts,
                failed_by=rows.failed_by,
                cutoff=cutoff,
                metrics=METRICS,
            )

    by_id = {(i.service, i.id): i for i in rows.incidents}
    for (service, name), path in sorted(deployment_pages.items(), key=lambda item: item[1]):
        outcome = outcome_of[(service, name)]
        changes_of = rows.changes_of(service, outcome.deployment)
        yield page(
            path,
            "deployment.html",
            entity=entities[("service", service)],
            outcome=outcome,
            changes=changes_of,
            incidents=[by_id[(service, i)] for i in outcome.incidents if (service, i) in by_id],
            cutoff=cutoff,
            failed_by=rows.failed_by,
        )


__all__ = ["ARROWS", "RECENT", "Entity", "Page", "cards", "pages", "trend_of"]
