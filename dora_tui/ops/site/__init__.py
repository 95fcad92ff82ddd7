"""``site``: the services portal as a static site, from the same figures as ``report``.

:func:`build_site` computes the report once (:func:`dora_tui.ops.report.compute`), reads the
rows behind it once (:mod:`~dora_tui.ops.site.data`), lays out the pages
(:mod:`~dora_tui.ops.site.model`, file names by :mod:`~dora_tui.ops.site.slugs`, charts by
:mod:`~dora_tui.ops.site.charts`), renders them with Jinja2 (:mod:`~dora_tui.ops.site.render`)
and writes the folder whole or not at all (:mod:`~dora_tui.ops.site.writer`).

The site is self-contained: relative links only, one stylesheet and one small script from
``static/`` (the script only filters and sorts tables; every page reads the same without
it), charts as inline SVG, nothing fetched from elsewhere. With the same database and a
fixed ``as_of`` (and ``generated_at``) it is byte-identical on every run: everything is
sorted, and the only time it shows besides the window is when the data was collected, read
from the database.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path

from jinja2 import Template

from dora_tui.config import Config
from dora_tui.ops import report as report_module
from dora_tui.ops.interrupts import deferred
from dora_tui.ops.report import Report
from dora_tui.ops.site.data import SiteRows, read_rows
from dora_tui.ops.site.forked import Forked
from dora_tui.ops.site.guard import check_out, protected
from dora_tui.ops.site.layout import Layout, drill_months, lay_out
from dora_tui.ops.site.model import pages, shares
from dora_tui.ops.site.render import environment
from dora_tui.ops.site.writer import KEPT, MANIFEST, write_files, write_site
from dora_tui.store.database import Store

STATIC = ("site.css", "site.js")
"""The files of ``static/`` the pages use."""


@dataclass(frozen=True)
class SiteSummary:
    """What :func:`build_site` wrote: the folder, how many files and pages, and its index;
    ``leftover``: the old site's folder when it could not be removed after the swap."""

    out: Path
    files: int
    pages: int
    leftover: Path | None = None

    @property
    def index(self) -> Path:
        """The site's first page."""
        return self.out / "index.html"


def build_site(
    config: Config,
    store: Store,
    out: Path,
    *,
    as_of: date,
    months: int | None = None,
    generated_at: datetime | None = None,
    force: bool = False,
) -> SiteSummary:
    """Write the site of every configured service and team into the folder ``out``.

    ``as_of``, ``months`` and ``generated_at`` are those of
    :func:`dora_tui.ops.report.compute` (``report.json`` is the document ``report --format
    json`` writes for them). Raises :class:`~dora_tui.errors.OptionError` for a window off
    the calendar and :class:`~dora_tui.errors.UsageError` for an OUT it may not replace
    (:func:`dora_tui.ops.site.guard.check_out`: never one that is or holds the workspace, see
    :func:`~dora_tui.ops.site.guard.protected`); the database is only read.
    """
    check_out(out, force=force, protected=protected(config))  # before any work: said at once
    window = report_module.windows(config, as_of=as_of, months=months)[1]  # its errors too, before any fork
    # Hundreds of thousands of small objects that hold no cycles: the cyclic garbage collector's
    # passes over them would cost more than the rest of the work (reference counting still frees them).
    collecting = gc.isenabled()
    gc.disable()
    figures = Forked(lambda: _compute(config, as_of, months, generated_at))
    with deferred() as check:  # Ctrl-C stops the work at a safe point, never a clean-up
        try:
            figures.start()  # on a second core, with...
            rows = read_rows(config, store, window, drill_months(window, config.trend_months)[0].start)  # ...this
            check()
            layout = lay_out(config, rows, window)
            check()
            report, document = figures.result()
            return _write(config, rows, layout, report, document, store, out, force)
        finally:
            figures.close()
            if collecting:
                gc.enable()


def _compute(config: Config, as_of: date, months: int | None, generated_at: datetime | None) -> tuple[Report, str]:
    """The report's figures and its JSON document (``report.json``), read through a connection
    of its own (it may run in a forked child)."""
    store = Store.open(config.database, readonly=True)
    try:
        report = report_module.compute(config, store, as_of=as_of, months=months, generated_at=generated_at)
    finally:
        store.close()
    return report, report_module.to_json(report)


def _write(
    config: Config,
    rows: SiteRows,
    layout: Layout,
    report: Report,
    document: str,
    store: Store,
    out: Path,
    force: bool,
) -> SiteSummary:
    """Render every page of ``report`` and ``rows`` and write them with the static files into ``out``:
    the pages of :func:`~dora_tui.ops.site.model.shares`' second share are rendered by a forked child."""
    collected_at = store.last_event("collect")
    env = environment(config.tz)
    count = 0
    split = shares(layout, rows, 2)

    def rendered(share: set[str] | None) -> Iterator[tuple[str, bytes]]:
        templates: dict[str, Template] = {}
        for page in pages(config, report, rows, layout, collected_at, share):
            template = templates.get(page.template)
            if template is None:
                template = templates[page.template] = env.get_template(page.template)
            yield page.path, template.render(page.values).encode("utf-8")

    def files(folder: Path) -> Iterator[tuple[str, bytes | None]]:
        nonlocal count
        other = Forked(lambda: write_files(folder, rendered(split[1])))
        try:
            other.start()  # it writes its own files
            for item in rendered(split[0]):
                count += 1
                yield item
            yield "report.json", document.encode("utf-8")
            static = resources.files("dora_tui.ops.site") / "static"
            for name in STATIC:
                yield f"static/{name}", (static / name).read_bytes()
            theirs = other.result()
            count += len(theirs)
            yield from ((path, None) for path in theirs)
        finally:
            other.close()

    written = write_site(out, files, force=force, protected=protected(config))
    return SiteSummary(out, written.files, count, written.leftover)


__all__ = ["KEPT", "MANIFEST", "SiteSummary", "build_site"]
