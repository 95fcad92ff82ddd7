"""The site's pages: what each one shows, built from the report's figures and the laid-out rows.

:func:`pages` returns one :class:`Page` (a path inside the site, a template, its values) per
file. The figures come from :func:`dora_tui.ops.report.compute`, the same as
``report --format json``; names, definitions and units from :mod:`dora_tui.core.catalog`;
trend words from :mod:`dora_tui.core.wording`. The layout of the site (README, ``dora-tui
site``)::

    index.html  definitions.html  report.json  static/
    teams/NAME.html      rows/teams/NAME.html
    services/NAME.html   rows/services/NAME.html

with every NAME made safe by :mod:`dora_tui.ops.site.slugs`. A service's or team's page shows
its figures; its rows page (``rows/...``) the rows behind them: a section for each month the
trend is read from (:func:`~dora_tui.ops.site.layout.drill_months`) and the month in
progress (``#YYYY-MM``), the newest first (:mod:`~dora_tui.ops.site.months` says what each
holds, :mod:`~dora_tui.ops.site.layout` lays their rows out before the figures are known),
then every incident of the window (``#incidents``, each incident's row ``#i-ID``). A
deployment's drill-down is its row and the group of its changes there (``#d-NAME``,
``#c-NAME``): a deployment of an earlier month is listed without a link. Two files per
service and team, in a few folders: creating a file is most of what writing one costs on some
disks, and a page a month (or a folder per service) would be many times the files for the
same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from dora_tui.config import Config
from dora_tui.core import trends
from dora_tui.core.catalog import METRICS
from dora_tui.core.periods import Window
from dora_tui.core.wording import counted, format_value, trend_words
from dora_tui.ops.report import EntityReport, Report
from dora_tui.ops.site.charts import bar_chart
from dora_tui.ops.site.data import RECENT, SiteRows
from dora_tui.ops.site.layout import Layout

ARROWS = {trends.IMPROVING: "▲", trends.WORSENING: "▼", trends.FLAT: "▶", trends.INSUFFICIENT: "·"}
"""The arrow of each trend (the dashboard's), always shown with its word."""

TREND_WORDS = {
    trends.IMPROVING: "improving",
    trends.WORSENING: "worsening",
    trends.FLAT: "flat",
    trends.INSUFFICIENT: "not enough data",
}


@dataclass(frozen=True)
class Page:
    """One file of the site: its path (``/``-separated, inside the site), template and values."""

    path: str
    template: str
    values: dict[str, Any]


@dataclass(frozen=True)
class Place:
    """A service or team and the paths of its pages: all its rows pages need to know of it."""

    kind: str
    name: str
    base: str  # "services/SLUG" or "teams/SLUG"

    @property
    def page(self) -> str:
        """The path of its page."""
        return self.base + ".html"

    @property
    def rows_page(self) -> str:
        """The path of its page of the rows behind its figures (``rows/services/SLUG.html``)."""
        return f"rows/{self.base}.html"

    def month_page(self, key: str) -> str:
        """Where the rows of month ``key`` are: its section of :attr:`rows_page`."""
        return f"{self.rows_page}#{key}"


@dataclass(frozen=True)
class Entity(Place):
    """A service or team with the paths of its pages and its figures."""

    report: EntityReport


def trend_of(trend: str) -> dict[str, str]:
    """A trend as the templates show it: its arrow, its words and its name (for the style)."""
    return {"name": trend, "arrow": ARROWS.get(trend, "·"), "words": TREND_WORDS.get(trend, trend)}


def cards(e: Entity, window: Window, trend_months: int) -> list[dict[str, Any]]:
    """The six metrics of an entity's page: values, tier, trend in words and chart (which, as
    the trend, has no value before the first deployment for a metric that follows deployments:
    :meth:`~dora_tui.core.metrics.EntityFigures.charted`)."""
    found = []
    figures = e.report.figures
    months = window.months
    keys = [m.key for m in months]
    complete = [m.complete for m in months]
    for metric in METRICS:
        series = [month[metric.month_key] for month in figures.months]
        charted = figures.charted(metric, window)
        done = [v for info, v in zip(months, charted) if info.complete and v is not None]
        trend = figures.trends.get(metric.key, trends.INSUFFICIENT)
        found.append(
            {
                "metric": metric,
                "current": format_value(metric.unit, series[-1]) if series else "–",
                "in_progress": bool(months) and not months[-1].complete,
                "window": format_value(metric.unit, figures.window[metric.month_key]),
                "detail": figures.detail(metric, window),
                "tier": figures.tiers.get(metric.key),
                "trend": trend_of(trend),
                "words": trend_words(trend, done[-trend_months:], metric.better),
                "chart": bar_chart(metric.title, metric.unit, keys, charted, complete),
                "charted": charted,
            }
        )
    return found


def month_table(
    e: Entity, window: Window, drilled: set[str], cards: list[dict[str, Any]]
) -> list[tuple[str, str, bool, list[str]]]:
    """The table under an entity's charts (its :func:`cards`): per month, its key, its rows page
    (``''`` for none), whether it is complete, and the six metrics' values as the charts draw them."""
    columns = [[format_value(c["metric"].unit, v) for v in c["charted"]] for c in cards]
    return [
        (m.key, e.month_page(m.key) if m.key in drilled else "", m.complete, [column[i] for column in columns])
        for i, m in enumerate(window.months)
    ]


INDEX = "index"
"""The base of the unit of work that is the index and the definitions (:func:`work_order`)."""


class Unit(NamedTuple):
    """A unit of work for :func:`pages`: the pages of one service or team (``base``), or the index
    and the definitions (:data:`INDEX`); with ``figures``, those that show the report's figures
    (its page, the index), else the one that lists rows alone (its rows page)."""

    base: str
    figures: bool


def entities_of(report: Report, layout: Layout) -> dict[tuple[str, str], Entity]:
    """Every service and team of ``report`` with the paths of its pages, by (kind, name)."""
    return {(r.kind, r.name): Entity(r.kind, r.name, layout.bases[(r.kind, r.name)], r) for r in report.entities}


def work_order(layout: Layout, rows: SiteRows) -> list[Unit]:
    """The site's pages as units of work for :func:`pages`' ``units``: first the pages that list
    rows alone, then those that show figures (the figures may still be computed while the first
    are rendered), each part the heaviest first (weighed by the rows they list). Handed out in
    this order (:mod:`~dora_tui.ops.site.claims`), the last to be taken are the shortest, and
    the processes end together."""
    listed: dict[str, int] = {}
    for (kind, name), base in layout.bases.items():
        listed[base] = len(rows.outcomes.get(name, ())) + len(rows.changes.get(name, ())) if kind == "service" else 0
    plain = sorted(listed, key=lambda b: (-listed[b], b))
    return [Unit(b, False) for b in plain] + [Unit(INDEX, True)] + [Unit(b, True) for b in sorted(listed)]


def pages(
    config: Config,
    window: Window,
    report: Callable[[], Report],
    rows: SiteRows,
    layout: Layout,
    collected_at: int | None,
    units: Iterable[Unit] | None = None,
) -> Iterator[Page]:
    """Every page of the site, in a fixed order (report.json and the static files are the writer's);
    with ``units`` (of :func:`work_order`), the pages of those, in their order, each taken from
    ``units`` only when the pages before it are done. ``report`` gives the figures (of
    :func:`dora_tui.ops.report.compute` for ``window``), asked for only when a page shows them."""
    months = window.months
    places = {base: Place(kind, name, base) for (kind, name), base in layout.bases.items()}
    common = {
        "config_months": counted(len(months), "month"),  # "12 months", "1 month"
        "as_of": window.as_of.isoformat(),
        "timezone": config.timezone,
        "collected_at": collected_at,
        "deployment_links": layout.links,
    }
    known: list[dict[tuple[str, str], Entity]] = []

    def entities() -> dict[tuple[str, str], Entity]:
        if not known:
            known.append(entities_of(report(), layout))
        return known[0]

    def page(path: str, template: str, **values: Any) -> Page:
        return Page(path, template, {**common, **values, "path": path, "root": "../" * path.count("/")})

    def index_pages() -> Iterator[Page]:
        found = entities()
        groups = []
        for tm in sorted(config.teams, key=lambda t: t.name):
            services = [found[("service", s)] for s in layout.members[tm.name]]
            groups.append({"team": found[("team", tm.name)], "services": services})
        loose = sorted(s.name for s in config.services if s.team is None)
        if loose:
            groups.append({"team": None, "services": [found[("service", n)] for n in loose]})
        attention = sum(1 for e in found.values() if e.report.figures.needs_attention)
        yield page("index.html", "index.html", groups=groups, attention=attention, metrics=METRICS, trend_of=trend_of)
        yield page("definitions.html", "definitions.html", metrics=METRICS, trend_months=config.trend_months)

    def entity_page(e: Entity) -> Page:
        found = entities()
        members = list(e.report.services)
        outcomes = sorted(
            (o for s in members for o in rows.outcomes.get(s, [])[-RECENT:]),
            key=lambda o: (o.deployment.time, o.deployment.service, o.deployment.name),
        )[-RECENT:][::-1]
        team = found.get(("team", e.report.team or "")) if e.kind == "service" else None
        shown = cards(e, window, config.trend_months)
        return page(
            e.page,
            "entity.html",
            entity=e,
            entities=found,
            team=team,
            services=[found[("service", s)] for s in members] if e.kind == "team" else [],
            cards=shown,
            by_month=month_table(e, window, drilled, shown),
            recent=outcomes,
            counts=rows.counts,
            needs_attention=e.report.figures.needs_attention,
        )

    def rows_page(e: Place) -> Page:
        members = layout.members[e.name] if e.kind == "team" else []
        sections = []
        for m in reversed(layout.drill):  # the newest first
            listed = layout.month(e.base, m)
            services = [places[layout.bases[("service", s)]] for s in members]  # linked, never counted side by side
            sections.append((m, listed.rows, listed.sizes, services))
        return page(
            e.rows_page,
            "rows.html",
            entity=e,
            sections=sections,
            metrics=METRICS,
            anchors=False,
            window_incidents=layout.incidents[e.base],
        )

    drilled = {m.key for m in layout.drill}
    everything = [Unit(INDEX, True)] + [Unit(b, f) for b in places for f in (True, False)]
    for base, figures in everything if units is None else units:
        if base == INDEX:
            yield from index_pages()
        elif figures:
            e = places[base]
            yield entity_page(entities()[(e.kind, e.name)])
        else:
            yield rows_page(places[base])


__all__ = [
    "ARROWS",
    "INDEX",
    "RECENT",
    "Entity",
    "Page",
    "Place",
    "Unit",
    "cards",
    "entities_of",
    "pages",
    "trend_of",
    "work_order",
]
