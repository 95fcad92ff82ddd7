"""A small real workspace for the dashboard tests, and tests of the data facade behind it.

Two teams, three services, real git repositories with fixed dates, collected into a real
SQLite file; incidents and tickets are written straight into that file. "Today" is fixed.

- checkout (storefront): deploys less and less, with longer and longer lead times: two
  metrics worsening, so it needs attention. Its commits include hostile subjects.
- ledger (payments): steady.
- billing (payments): three deployments only: not enough data.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import html
import os
import re
import time
from datetime import date
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.worker import WorkerFailed

from collectors.records import Incident, Ticket
from dora_tui.config import load_file
from dora_tui.ops.collect import collect
from dora_tui.store.database import Store
from support.gitbuilder import GitBuilder, epoch

TODAY = date(2024, 6, 20)
EVIL_MARKUP = "[@click=app.quit]x[/] [bold red]oops [/"
EVIL_ANSI = "\x1b[31mred"
EVIL_TITLE = "[@click=app.quit]boom[/] \x1b[31mpager [bold]"
COLLECTED_AT = epoch("2024-06-20T08:30:00")  # the first collect's time, for a stable home page
CHECKOUT_MONTHS = ("2023-12", "2024-01", "2024-02", "2024-03", "2024-04", "2024-05")

CONFIG = """\
database = "dora.db"
timezone = "UTC"
months = 12

[[teams]]
name = "payments"

[[teams]]
name = "storefront"

[[services]]
name = "checkout"
team = "storefront"
repo = "repos/shop"

[[services]]
name = "ledger"
team = "payments"
repo = "repos/ledger"

[[services]]
name = "billing"
team = "payments"
repo = "repos/billing"
"""


def _checkout(repo: GitBuilder) -> None:
    repo.commit("2023-11-01T09:00:00", "initial shop")
    repo.tag("v0.0.1", "2023-11-02T10:00:00")
    n = 0
    for i, month in enumerate(CHECKOUT_MONTHS):
        deploys = 6 - i  # 6, 5, 4, 3, 2, 1 deployments a month
        lead_days = i + 1  # 1, 2, ... 6 days of lead time
        for k in range(deploys):
            day = 8 + k * 3
            commit_day = day - lead_days
            subject = f"checkout change {n}"
            if month == "2024-05":
                subject = EVIL_MARKUP if k == 0 else subject
            repo.commit(f"{month}-{commit_day:02d}T09:00:00", subject)
            if month == "2024-05":
                repo.commit(f"{month}-{commit_day:02d}T10:00:00", EVIL_ANSI)
            n += 1
            message = EVIL_MARKUP if month == "2024-05" else None
            repo.tag(f"v1.{n}.0", f"{month}-{day:02d}T12:00:00", message=message)
    repo.commit("2024-06-03T09:00:00", "june work")
    repo.tag(f"v1.{n + 1}.0", "2024-06-04T12:00:00")


def _ledger(repo: GitBuilder) -> None:
    repo.commit("2023-06-01T09:00:00", "initial ledger")
    repo.tag("v1.0.0", "2023-06-02T10:00:00")
    n = 0
    for month in (
        "2023-07",
        "2023-08",
        "2023-09",
        "2023-10",
        "2023-11",
        "2023-12",
        "2024-01",
        "2024-02",
        "2024-03",
        "2024-04",
        "2024-05",
        "2024-06",
    ):
        for day in (5, 15):
            n += 1
            repo.commit(f"{month}-{day - 1:02d}T10:00:00", f"ledger change {n}")
            repo.tag(f"v1.{n}.0", f"{month}-{day:02d}T10:00:00")


def _billing(repo: GitBuilder) -> None:
    repo.commit("2024-03-01T09:00:00", "initial billing")
    repo.tag("v0.1.0", "2024-03-02T10:00:00")
    repo.commit("2024-04-01T09:00:00", "billing change")
    repo.tag("v0.2.0", "2024-04-03T10:00:00")
    repo.commit("2024-05-01T09:00:00", "billing hotfix")
    repo.tag("v0.2.1-hotfix", "2024-05-02T10:00:00")


def add_incidents(store: Store) -> None:
    """Incidents and tickets, written through the store (no CSV needed)."""
    incidents = [
        # Opens 3 hours after checkout's only May deployment (v1.21.0): fails it.
        Incident(
            "pagerduty",
            "P1",
            epoch("2024-05-08T15:00:00"),
            epoch("2024-05-08T19:30:00"),
            "checkout",
            "checkout",
            "storefront",
            "high",
            EVIL_TITLE,
        ),
        # Opens within 72 hours of v1.15.0: fails it.
        Incident(
            "pagerduty",
            "P2",
            epoch("2024-02-20T08:00:00"),
            epoch("2024-02-20T09:00:00"),
            "checkout",
            "checkout",
            "storefront",
            "low",
            "slow pages",
        ),
        # Names ledger's v1.19.0 explicitly.
        Incident(
            "pagerduty",
            "L1",
            epoch("2024-04-20T08:00:00"),
            epoch("2024-04-21T08:00:00"),
            "ledger",
            "ledger",
            "payments",
            "high",
            "ledger drift",
            "v1.19.0",
        ),
    ]
    tickets = [
        Ticket(
            "jira",
            f"PAY-{i}",
            epoch(f"2024-0{1 + i % 5}-01T09:00:00"),
            epoch(f"2024-0{1 + i % 5}-10T09:00:00"),
            "payments",
            "PAY",
            None,
            "Bug" if i % 3 == 0 else "Story",
            "Done",
            (),
            f"ticket {i}",
            unplanned=i % 3 == 0,
        )
        for i in range(10)
    ]
    with store.atomic():
        store.upsert_incidents(incidents)
        store.upsert_tickets(tickets)


def shared_workspace(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A collected workspace for a module's tests to share read-only, built away from the user's git config."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GIT_CONFIG_GLOBAL", os.devnull)
        mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
        return build_workspace(tmp_path_factory.mktemp(name) / "ws")


def build_workspace(root: Path, *, with_incidents: bool = True, collect_now: bool = True) -> Path:
    """Write the repositories and the config under ``root``, collect them; returns the config path."""
    root.mkdir(parents=True, exist_ok=True)
    _checkout(GitBuilder(root / "repos" / "shop"))
    _ledger(GitBuilder(root / "repos" / "ledger"))
    _billing(GitBuilder(root / "repos" / "billing"))
    path = root / "dora.toml"
    path.write_text(CONFIG)
    if not collect_now:
        return path
    config = load_file(path)
    store = Store.open(config.database)
    collect(config, store, clock=lambda: COLLECTED_AT)
    if with_incidents:
        add_incidents(store)
    store.close()
    return path


# -- driving the app --------------------------------------------------------------------------

SETTLE_SECONDS = 30.0
"""How long :func:`settle` waits for the figures before failing the test."""


def app_test(fn):
    """Run an ``async def`` test with asyncio (no async pytest plugin is needed)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


async def settle(pilot) -> None:
    """Let the figures load, workers finish (failed ones too: the app reports them), the screen catch up.

    Fails the test when the figures of the window asked for are neither computed nor
    reported as an error within :data:`SETTLE_SECONDS`.
    """
    app = pilot.app
    deadline = time.monotonic() + SETTLE_SECONDS
    while not (app.dashboard.is_loaded(app.target_months) or app.load_error):
        if time.monotonic() > deadline:
            pytest.fail(
                f"the figures of {app.target_months} months were neither shown nor failed within {SETTLE_SECONDS} s"
            )
        await pilot.pause(0.01)
    for _ in range(2):
        with contextlib.suppress(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()


async def open_page(pilot, message) -> None:
    """Ask for a page as a screen does (``message`` posted from the current screen), then :func:`settle`."""
    pilot.app.screen.post_message(message)
    await settle(pilot)


async def palette_search(pilot, text: str) -> None:
    """Open the command palette, type ``text`` and wait for the first hit to be highlighted.

    Fails the test when no hit is highlighted within a few seconds.
    """
    from textual.command import CommandList

    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*text)
    for _ in range(300):
        await pilot.pause(0.01)
        hits = pilot.app.screen.query(CommandList)
        if hits and hits.first().option_count and hits.first().highlighted is not None:
            return
    pytest.fail(f"the command palette highlighted no hit for {text!r}")


_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([0-9.]+)" y="[0-9.]+" textLength="[0-9.]+" clip-path="url\(#[^)]*-line-([0-9]+)\)">'
    r"(.*?)</text>",
    re.S,
)
_SVG_LINE = re.compile(r'<clipPath id="[^"]*-line-0">\s*<rect x="0" y="[0-9.]+" width="([0-9.]+)"')


def screen_text(app) -> str:
    """What the terminal shows, as plain text lines: read from the app's SVG screenshot.

    Each piece of text of the screenshot is put back at its line and cell (a wide character
    takes two cells and is kept once, as the terminal's line of text has it).
    """
    svg = app.export_screenshot()
    width, height = app.size
    line = _SVG_LINE.search(svg)
    assert line is not None, "the screenshot has no line"
    cell = float(line.group(1)) / width  # each line's clip rectangle spans the whole terminal
    grid = [[" "] * width for _ in range(height)]
    for x, row, text in _SVG_TEXT.findall(svg):
        column = round(float(x) / cell)
        for ch in html.unescape(text).replace("\xa0", " "):
            if column < width:
                grid[int(row)][column] = ch
                for filler in range(column + 1, min(column + cell_len(ch), width)):
                    grid[int(row)][filler] = ""
            column += cell_len(ch)
    return "\n".join("".join(cells) for cells in grid)


def screen_styles(app) -> list:
    """The style of every cell the terminal shows (its colours, and any action it carries)."""
    width, height = app.size
    return [app.screen.get_style_at(x, y) for y in range(height) for x in range(width)]


def table_rows(table) -> list[list[str]]:
    """The plain text of every cell of a DataTable, row by row."""
    return [table.cell_texts(i) for i in range(table.row_count)]
