"""``site``: the services portal as a static site, from the same figures as ``report``.

:func:`build_site` writes the folder whole or not at all (:mod:`~dora_tui.ops.site.writer`)
while its files are made in processes of their own (:mod:`~dora_tui.ops.site.make`): the
report computed once (:func:`dora_tui.ops.report.compute`), the rows behind it read once
(:mod:`~dora_tui.ops.site.data`) and laid out (:mod:`~dora_tui.ops.site.layout`), the pages
(:mod:`~dora_tui.ops.site.model`, file names by :mod:`~dora_tui.ops.site.slugs`, charts by
:mod:`~dora_tui.ops.site.charts`) rendered with Jinja2 (:mod:`~dora_tui.ops.site.render`).

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
from pathlib import Path

from dora_tui.config import Config
from dora_tui.ops import report as report_module
from dora_tui.ops.interrupts import deferred
from dora_tui.ops.site.forked import Forked
from dora_tui.ops.site.guard import check_out, protected
from dora_tui.ops.site.make import Made, Request, make_files
from dora_tui.ops.site.writer import KEPT, MANIFEST, write_site
from dora_tui.store.database import Store


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

    ``store`` is the caller's connection, which said at once that the database is there and
    readable; the work reads through connections of its own, in snapshots checked to be of
    one state (:mod:`~dora_tui.ops.site.make`). ``as_of``, ``months`` and ``generated_at`` are those of
    :func:`dora_tui.ops.report.compute` (``report.json`` is the document ``report --format
    json`` writes for them). Raises :class:`~dora_tui.errors.OptionError` for a window off
    the calendar and :class:`~dora_tui.errors.UsageError` for an OUT it may not replace
    (:func:`dora_tui.ops.site.guard.check_out`: never one that is or holds the workspace, see
    :func:`~dora_tui.ops.site.guard.protected`); the database is only read.
    """
    check_out(out, force=force, protected=protected(config))  # before any work: said at once
    window = report_module.windows(config, as_of=as_of, months=months)[1]  # its errors too, before any fork
    request = Request(config, window, as_of, months, generated_at)
    # Hundreds of thousands of small objects that hold no cycles: the cyclic garbage collector's
    # passes over them would cost more than the rest of the work (reference counting still frees them).
    collecting = gc.isenabled()
    gc.disable()
    made: list[Made] = []

    def files(folder: Path) -> Iterator[tuple[str, bytes | None]]:
        work = Forked(lambda: make_files(request, folder), group=True)  # make.py says what runs where
        try:
            made.append(work.start().result())
        finally:
            work.close()
        yield from ((path, None) for path in made[0].paths)

    try:
        with deferred():  # Ctrl-C stops the work at a safe point, never a clean-up
            written = write_site(out, files, force=force, protected=protected(config))
    finally:
        if collecting:
            gc.enable()
    return SiteSummary(out, written.files, made[0].pages, written.leftover)


__all__ = ["KEPT", "MANIFEST", "SiteSummary", "build_site"]
