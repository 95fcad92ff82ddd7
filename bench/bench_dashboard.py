#!/usr/bin/env python3
"""Benchmark the dashboard on a big database: first paint, figures, page open and back.

    python bench/bench_dashboard.py [DIR] [--services 200] [--teams 20] [--months 36]
                                    [--deployments 100000] [--runs 20] [--pages service team metric]

Builds (once; reused when its parameters match) ``DIR/dora.db`` through the ``Store`` write
methods: ``--services`` services in ``--teams`` teams, ``--deployments`` deployments spread
over ``--months`` months up to 2025-01-15, two changes each with their commits, and one
incident for every 20 deployments. Then it measures:

- first paint, as a whole process: from just before the process is started to the first
  frame of the home page (a fresh ``python`` that imports the app and runs it headless);
- the figures: from the same start to the home page filled (the background computation);
- page open and back: the median (and max) of ``--runs`` opens of different service pages
  (then team pages, then metric pages from a service page's card) and of as many escapes
  back, under Textual's Pilot at 120 x 40.

What a page open measures: from the message the shown page posts when Enter is pressed on
a name (``OpenEntity``, which the app handles by showing the page) to the end of the first
frame after which the terminal shows the page with its content: the heading, the six cards
with their figures (the deployment-frequency card's window count checked), and the latest
deployments (each row's time and tag, 20 on a service page, the 10 that fit on a team
page); a metric page, once it shows its title and the count of the rows
behind the month in progress. Frames are captured as the bytes a terminal would receive and
applied to a character grid (:class:`terminal.Terminal`, beside this script); the expected content is read from the
database with SQL, independently of the dashboard's code. So a page that paints in several
steps (say, cards first and the table on a later frame) is only counted as open once the
last step is on screen, while later frames that only repaint the same content (Textual
repaints the page once more when the page below it was marked dirty by the push) are not
counted. "Back" runs from the escape binding's call to the first frame that shows the page
below (home, or the service page under a metric page). Not counted either: the capture
itself (timed and subtracted) and turning frames into terminal bytes, which headless mode
skips and a real terminal adds.

Standard library only, plus dora-tui in the interpreter that runs the script.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

TODAY = date(2025, 1, 15)
END = int(datetime(2025, 1, 15, tzinfo=UTC).timestamp())
SEED = 4
SIZE = (120, 40)
CUTOFF = int(datetime(2025, 1, 16, tzinfo=UTC).timestamp())  # the end of TODAY
WINDOW_START = int(datetime(2024, 2, 1, tzinfo=UTC).timestamp())  # the 12-month window's first day
MONTH_START = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp())  # the month in progress


def build(root: Path, services: int, teams: int, months: int, deployments: int) -> Path:
    """Write the config and the database (reused when the parameters match); returns the config."""
    from collectors.records import Change, Commit, Deployment, Incident
    from dora_tui.store.database import Store

    params = {
        "services": services,
        "teams": teams,
        "months": months,
        "deployments": deployments,
        "seed": SEED,
        "version": 2,
    }
    config = root / "dora.toml"
    stamp = root / "bench.json"
    if config.exists() and stamp.exists() and json.loads(stamp.read_text()) == params:
        return config
    root.mkdir(parents=True, exist_ok=True)
    for name in ("dora.db", "dora.db-wal", "dora.db-shm"):
        (root / name).unlink(missing_ok=True)
    lines = ['database = "dora.db"', 'timezone = "UTC"', "months = 12", ""]
    for t in range(teams):
        lines += ["[[teams]]", f'name = "team{t:02d}"', ""]
    for s in range(services):
        lines += [
            "[[services]]",
            f'name = "svc{s:03d}"',
            f'team = "team{s % teams:02d}"',
            f'repo = "repos/svc{s:03d}"',
            "",
        ]
    config.write_text("\n".join(lines))

    rng = random.Random(SEED)
    span = months * 30 * 86400
    store = Store.open(root / "dora.db")
    per_service = deployments // services
    incidents = []
    with store.atomic():
        for s in range(services):
            name = f"svc{s:03d}"
            repo = store.ensure_repo(f"/bench/{name}").id
            times = sorted(END - rng.randrange(span) for _ in range(per_service))
            deps, changes, commits = [], [], []
            for k, t in enumerate(times):
                sha = f"{s:04x}{k:06x}".ljust(40, "0")
                deps.append(Deployment(name, f"v{k}", t, sha, f"Release v{k}", baseline=(k == 0)))
                if k == 0:
                    continue
                for c in range(2):
                    csha = f"{s:04x}{k:06x}{c:02x}".ljust(40, "1")
                    when = t - rng.randrange(1, 7 * 86400)
                    commits.append(Commit(csha, (), when, when, f"dev{rng.randrange(50)}", f"change {k}.{c}"))
                    changes.append(Change(name, csha, f"v{k}", when, t, t - when))
                if k % 20 == 0:
                    opened = t + rng.randrange(3600, 48 * 3600)
                    incidents.append(
                        Incident(
                            "bench",
                            f"{name}-{k}",
                            opened,
                            opened + rng.randrange(600, 86400),
                            name,
                            name,
                            f"team{s % teams:02d}",
                            "high",
                            f"incident {k}",
                        )
                    )
            store.add_commits(repo, commits)
            store.replace_git_rows(name, deps, changes, repo)
        store.upsert_incidents(incidents)
        store.log_event(END, "collect", "bench")
    store.close()
    stamp.write_text(json.dumps(params))
    return config


CHILD = r"""
import sys, time, json
start = float(sys.argv[2])
from datetime import date
from dora_tui.tui.app import DoraApp
from dora_tui.tui.screens.home import HomeScreen

marks = {}

async def pilot(p):
    import asyncio
    app = p.app
    painted = asyncio.Event()
    app.screen.call_after_refresh(painted.set)
    await painted.wait()
    marks["first_paint"] = time.time() - start
    while not app.dashboard.is_loaded(app.months):
        await asyncio.sleep(0.01)
    await p.pause()
    marks["figures"] = time.time() - start
    assert app.screen.query_one("#directory").row_count > 0
    app.exit()

app = DoraApp(sys.argv[1], today=date(2025, 1, 15))
app.run(headless=True, size=(120, 40), auto_pilot=pilot)
print(json.dumps(marks))
"""


def first_paint(config: Path) -> dict[str, float]:
    """Start a fresh process that opens the dashboard; returns its timings in seconds."""
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(config), repr(start)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def expected_page(db: Path, kind: str, name: str, services: list[str], visible: int) -> Callable[[str], bool]:
    """A check that the screen shows the page of ``name`` filled: heading, six cards, deployments.

    The expected deployments (the ``visible`` latest, time and tag on one line; a team's with
    the service) and the deployment-frequency card's window count are read here with SQL, not
    through the dashboard's code.
    """
    import sqlite3

    marks = ",".join("?" * len(services))
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            f"SELECT time, service, name FROM deployments WHERE service IN ({marks}) AND time < ?"
            " ORDER BY time DESC, service DESC, name DESC LIMIT ?",
            [*services, CUTOFF, visible],
        ).fetchall()
        count = conn.execute(
            f"SELECT count(*) FROM deployments WHERE service IN ({marks}) AND time >= ? AND time < ?",
            [*services, WINDOW_START, CUTOFF],
        ).fetchone()[0]
    wanted = [
        [datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M"), *([s] if kind == "team" else []), tag]
        for t, s, tag in rows
    ]
    heading = f"{kind.capitalize()} {name} "

    def shows(text: str) -> bool:
        lines = text.splitlines()
        if not any(line.startswith(" " + heading) for line in lines[:3]) or text.count("this month ") != 6:
            return False
        if f"window {count} " not in text:
            return False
        return all(any(all(f" {cell} " in line for cell in row) for line in lines) for row in wanted)

    return shows


def home_shown(text: str) -> bool:
    """A check that the screen shows the home page."""
    return "Team / service" in text and "needs attention: 2 or more metrics worsening" in text


METRIC_ROWS = {  # a metric page's rows title for the month in progress, and the SQL counting them
    "deployment_frequency": (
        "Deployment frequency",
        "deployments",
        "SELECT count(*) FROM deployments WHERE service = ? AND time >= ? AND time < ?",
    ),
    "lead_time": (
        "Lead time",
        "changes deployed",
        "SELECT count(*) FROM changes WHERE service = ? AND deploy_time >= ? AND deploy_time < ?",
    ),
    "time_to_restore": (
        "Time to restore",
        "incidents resolved",
        "SELECT count(*) FROM incidents WHERE service = ? AND resolved_at >= ? AND resolved_at < ?",
    ),
}


def expected_metric(db: Path, service: str, key: str) -> Callable[[str], bool]:
    """A check that the screen shows the metric page of ``key`` for ``service``, with the current month's rows."""
    import sqlite3

    title, what, sql = METRIC_ROWS[key]
    with sqlite3.connect(db) as conn:
        count = conn.execute(sql, [service, MONTH_START, CUTOFF]).fetchone()[0]
    heading, rows = f" {title} of service {service} ", f" {count} {what} in 2025-01 (month in progress)"

    def shows(text: str) -> bool:
        lines = text.splitlines()
        return any(line.startswith(heading) for line in lines[:3]) and any(rows in line for line in lines)

    return shows


async def page_times(config: Path, runs: int, services: int, teams: int, kind: str) -> tuple[list[float], list[float]]:
    """Open ``runs`` different pages of ``kind`` and go back from each; returns the times in seconds.

    ``service`` and ``team`` pages open from the home page; ``metric`` pages (deployment
    frequency, lead time, time to restore in turn) open from a service page's card, and
    "back" returns to that service page. Each time runs from the call the key's binding
    makes to the end of the first frame after which the terminal shows the page with its
    content (see :class:`terminal.Terminal`, :func:`expected_page` and :func:`expected_metric`); the
    app is left idle (``pilot.pause``) between measurements.
    """
    from terminal import Terminal

    from dora_tui.tui.app import DoraApp
    from dora_tui.tui.messages import OpenEntity

    app = DoraApp(config, today=TODAY)
    db = config.parent / "dora.db"
    opens, backs = [], []
    async with app.run_test(size=SIZE) as pilot:
        terminal = Terminal(app, SIZE)
        while not app.dashboard.is_loaded(app.months):
            await asyncio.sleep(0.05)
        await pilot.pause()
        for i in range(runs):
            if kind == "team":
                t = i % teams
                name = f"team{t:02d}"
                members = [f"svc{s:03d}" for s in range(services) if s % teams == t]
            else:
                name = f"svc{(i * 7) % services:03d}"
                members = [name]
            page = expected_page(
                db, "team" if kind == "team" else "service", name, members, 10 if kind == "team" else 20
            )
            if kind != "metric":
                opens.append(
                    await terminal.time(lambda name=name: app.screen.post_message(OpenEntity(kind, name)), page)
                )
                await pilot.pause()
                backs.append(await terminal.time(app.screen.action_back, home_shown))
                await pilot.pause()
                continue
            app.screen.post_message(OpenEntity("service", name))
            await pilot.pause()
            assert getattr(app.screen, "entity_name", None) == name, "the service page did not open"
            key = list(METRIC_ROWS)[i % len(METRIC_ROWS)]
            card = app.screen.query_one(f"#card-{key}")
            opens.append(await terminal.time(card.action_select, expected_metric(db, name, key)))
            await pilot.pause()
            backs.append(await terminal.time(app.screen.action_back, page))
            await pilot.pause()
            app.screen.action_back()
            await pilot.pause()
    return opens, backs


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) the database, then print the first paint and the page open and back times."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", nargs="?", help="where to build (default: a temporary folder)")
    parser.add_argument("--services", type=int, default=200)
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--deployments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--pages",
        nargs="+",
        choices=("service", "team", "metric"),
        default=["service", "team", "metric"],
        help="which pages to open and close (default: all)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DORA_TUI_DATA_DIR", tempfile.mkdtemp(prefix="dora-bench-data-"))
    root = Path(args.dir or Path(tempfile.gettempdir()) / "dora-bench-dashboard")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_collect import compile_bytecode

    print(compile_bytecode())
    t = time.perf_counter()
    config = build(root, args.services, args.teams, args.months, args.deployments)
    print(
        f"database: {root / 'dora.db'} ({args.services} services, {args.teams} teams, "
        f"{args.deployments} deployments over {args.months} months) ready in {time.perf_counter() - t:.1f} s"
    )

    marks = first_paint(config)
    print(f"first paint (whole process):     {marks['first_paint'] * 1000:7.0f} ms")
    print(f"home page filled (12 months):    {marks['figures'] * 1000:7.0f} ms")
    for kind in args.pages:
        opens, backs = asyncio.run(page_times(config, args.runs, args.services, args.teams, kind))
        print(
            f"{kind} page open, median of {len(opens)}: {statistics.median(opens) * 1000:7.1f} ms"
            f" (max {max(opens) * 1000:.1f})"
        )
        print(
            f"  {'back to the service page' if kind == 'metric' else 'back to home'}, median of {len(backs)}:"
            f" {statistics.median(backs) * 1000:7.1f} ms (max {max(backs) * 1000:.1f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
