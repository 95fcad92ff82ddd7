"""Making the site's files, in processes of their own (:mod:`~dora_tui.ops.site.forked`).

:func:`make_files` runs in a child of the command (``site``), in a process group of its own:

1. it forks a second child that computes the report's figures
   (:func:`dora_tui.ops.report.compute`, through a database connection of its own), while
   it reads the rows behind the pages (:mod:`~dora_tui.ops.site.data`), lays them out
   (:mod:`~dora_tui.ops.site.layout`) and renders the pages that list rows alone, none of
   which needs the figures: two cores busy. Each reads in one snapshot of the database
   (:meth:`~dora_tui.store.database.Store.snapshot`), and the two are checked to be of one
   state (:meth:`~dora_tui.store.database.Store.generation`): were a collect or an import
   committed between them, the figures are computed again from the rows' state, so that
   a figure never disagrees with the rows behind it;
2. as soon as the figures are there it forks a third, and both render and write pages into
   the new folder, each taking the next unit of pages as it is ready for more (those that
   list rows first, then those that show figures, the heaviest first:
   :func:`~dora_tui.ops.site.model.work_order`, :mod:`~dora_tui.ops.site.claims`): two
   cores busy again, till about the same moment.

The command's own process only waits, then lists and swaps the folder in
(:mod:`~dora_tui.ops.site.writer`): it never holds the rows, so it ends at once (freeing a
million small objects would cost it about as long as removing the old site), and ending
the group ends every process of the work, whatever it was doing. Where forking is not safe
(:func:`~dora_tui.ops.site.forked.can_fork`) all of it runs in the command's process, with
the same files.
"""

from __future__ import annotations

import os
import select
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path

from jinja2 import Template

from dora_tui.config import Config
from dora_tui.core.periods import Window
from dora_tui.ops import report as report_module
from dora_tui.ops.interrupts import check
from dora_tui.ops.report import Report
from dora_tui.ops.site.claims import Claims
from dora_tui.ops.site.data import SiteRows, read_rows
from dora_tui.ops.site.forked import Forked
from dora_tui.ops.site.layout import Layout, drill_months, lay_out
from dora_tui.ops.site.model import pages, work_order
from dora_tui.ops.site.render import environment
from dora_tui.ops.site.writer import write_files
from dora_tui.store.database import Store, damage_said

STATIC = ("site.css", "site.js")
"""The files of ``static/`` the pages use."""


@dataclass(frozen=True)
class Request:
    """What a site is made of: the config, the window and the report's arguments."""

    config: Config
    window: Window
    as_of: date
    months: int | None
    generated_at: datetime | None


@dataclass(frozen=True)
class Made:
    """What :func:`make_files` wrote: every file's path inside the site, and how many were pages.

    ``kept`` holds what the work built (the rows, their layout, the figures) until the result
    itself is dropped, and is never pickled: the process that made them sends the rest and
    ends, its memory freed at once by the system, where letting them go as the work returned
    would free a million small objects one by one (about 0.1 s)."""

    paths: list[str]
    pages: int
    kept: object = field(default=None, compare=False, repr=False)

    def __reduce__(self) -> tuple[type[Made], tuple[list[str], int]]:
        """Pickled without :attr:`kept`."""
        return (Made, (self.paths, self.pages))


def make_files(request: Request, folder: Path) -> Made:
    """Write every file of the site into ``folder`` (see the module)."""
    with damage_said(request.config.database):  # a value another program put in the file: said as such
        return _make_files(request, folder)


def _make_files(request: Request, folder: Path) -> Made:
    """:func:`make_files`' work."""
    config = request.config
    said, says = os.pipe()  # the figures' process says on it which state of the database it reads
    figures: Forked[Report] = Forked(lambda: _compute(request, says))
    try:
        figures.start()  # on a second core, with...
        os.close(says)
        says = -1
        store = Store.open(config.database, readonly=True)  # after the fork: no connection is copied into it
        try:
            with store.snapshot():  # a damaged value: said by make_files
                rows = read_rows(
                    config, store, request.window, drill_months(request.window, config.trend_months)[0].start
                )
                if not figures.forked or _generation(said) != store.generation():
                    # A collect or import committed between the two snapshots (or none was forked):
                    # the figures are computed here, from the rows' state.
                    figures.close()
                    report = _figures(request, store)
                    figures = Forked(lambda: report)  # never started: its result is this
        finally:
            store.close()
        check()
        layout = lay_out(config, rows, request.window)  # ...these, and the first pages
        check()
        return _render(request, rows, layout, figures, folder)
    finally:
        figures.close()
        for fd in (said, says):
            if fd >= 0:
                os.close(fd)


def _generation(said: int) -> int | None:
    """The generation the figures' process read (:meth:`~dora_tui.store.database.Store.generation`),
    once it says; None when it ended without saying (its result says why)."""
    text = b""
    while not text.endswith(b"\n"):
        while not select.select([said], [], [], 0.01)[0]:
            check()  # an interrupt held meanwhile stops the wait
        more = os.read(said, 32)
        if not more:
            return None
        text += more
    return int(text)


def _compute(request: Request, says: int) -> Report:
    """The report's figures, through a connection of its own, in one snapshot of the database,
    whose generation it first writes on ``says`` (:func:`make_files` compares it with the rows')."""
    store = Store.open(request.config.database, readonly=True)
    try:
        with store.snapshot():
            os.write(says, b"%d\n" % store.generation())
            return _figures(request, store)
    finally:
        store.close()


def _figures(request: Request, store: Store) -> Report:
    """The report's figures for ``request``, read through ``store``."""
    return report_module.compute(
        request.config, store, as_of=request.as_of, months=request.months, generated_at=request.generated_at
    )


def _render(request: Request, rows: SiteRows, layout: Layout, figures: Forked[Report], folder: Path) -> Made:
    """Render every page and write it with ``report.json`` and the static files into ``folder``:
    the pages that list rows alone while the figures are computed, then, with a second process
    forked as they come, the rest."""
    config = request.config
    env = environment(config.tz)
    order = work_order(layout, rows)
    claims = Claims(len(order))
    known: list[Report] = []
    written: list[str] = []

    def report() -> Report:
        """The figures: on their first arrival the second process begins on the pages, and
        ``report.json`` is written while it does."""
        if not known:
            known.append(figures.result())
            other.start()
            written.extend(write_files(folder, _report_and_static(known[0])))
        return known[0]

    def rendered() -> Iterator[tuple[str, bytes]]:
        templates: dict[str, Template] = {}
        taken = (order[i] for i in claims)
        for page in pages(config, request.window, report, rows, layout, rows.collected_at, taken):
            template = templates.get(page.template)
            if template is None:
                template = templates[page.template] = env.get_template(page.template)
            yield page.path, template.render(page.values).encode("utf-8")
            if not known and figures.done():  # the figures are there: no need to wait for a page that shows them
                report()

    def theirs_rendered() -> list[str]:
        with damage_said(config.database):
            return write_files(folder, rendered())

    other = Forked(theirs_rendered)
    try:
        mine = write_files(folder, rendered())
        report()  # the figures' own file, however the pages fell
        theirs = other.result()
    finally:
        other.close()
        claims.close()
    return Made(written + mine + theirs, len(mine) + len(theirs), kept=(rows, layout, known))


def _report_and_static(report: Report) -> Iterator[tuple[str, bytes]]:
    """``report.json`` (the document ``report --format json`` writes) and the static files."""
    yield "report.json", report_module.to_json(report).encode("utf-8")
    static = resources.files("dora_tui.ops.site") / "static"
    for name in STATIC:
        yield f"static/{name}", (static / name).read_bytes()
