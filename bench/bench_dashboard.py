#!/usr/bin/env python3
"""Benchmark the dashboard on a big database: first paint, figures, page open and back.

    python bench/bench_dashboard.py [DIR] [--services 200] [--teams 20] [--months 36]
                                    [--deployments 100000] [--runs 20]

Builds (once; reused when its parameters match) ``DIR/dora.db`` through the ``Store`` write
methods: ``--services`` services in ``--teams`` teams, ``--deployments`` deployments spread
over ``--months`` months up to 2025-01-15, two changes each with their commits, and one
incident for every 20 deployments. Then it measures:

- first paint, as a whole process: from just before the process is started to the first
  frame of the home page (a fresh ``python`` that imports the app and runs it headless);
- the figures: from the same start to the home page filled (the background computation);
- service page open and back: the median (and max) of ``--runs`` opens of different
  services and of as many escapes, under Textual's Pilot, each until the screen is idle.

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
from datetime import UTC, date, datetime
from pathlib import Path

TODAY = date(2025, 1, 15)
END = int(datetime(2025, 1, 15, tzinfo=UTC).timestamp())
SEED = 4


def build(root: Path, services: int, teams: int, months: int, deployments: int) -> Path:
    """Write the config and the database (reused when the parameters match); returns the config."""
    from dora_tui.models import Change, Commit, Deployment, Incident
    from dora_tui.store import Store

    params = {"services": services, "teams": teams, "months": months, "deployments": deployments,
              "seed": SEED, "version": 2}
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
        lines += ["[[services]]", f'name = "svc{s:03d}"', f'team = "team{s % teams:02d}"',
                  f'repo = "repos/svc{s:03d}"', ""]
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
                    incidents.append(Incident("bench", f"{name}-{k}", opened, opened + rng.randrange(600, 86400),
                                              name, name, f"team{s % teams:02d}", "high", f"incident {k}"))
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
from dora_tui.app import DoraApp
from dora_tui.screens.home import HomeScreen

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
    out = subprocess.run([sys.executable, "-c", CHILD, str(config), repr(start)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


async def painted(app, screen) -> None:
    """Wait until ``screen`` is shown, has drawn its current data, and the next frame is painted."""
    while not (app.screen is screen and screen.is_mounted and screen.is_current):
        await asyncio.sleep(0)
    done = asyncio.Event()
    screen.call_after_refresh(done.set)
    await done.wait()


async def page_times(config: Path, runs: int, services: int) -> tuple[list[float], list[float]]:
    """Open ``runs`` different service pages and go back from each; returns the times in seconds.

    Each time runs from the key press (the call its binding makes) to the first frame painted
    with the page's figures; the app is left idle (``pilot.pause``) between measurements.
    """
    from dora_tui.app import DoraApp
    from dora_tui.screens.service import ServiceScreen

    app = DoraApp(config, today=TODAY)
    opens, backs = [], []
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.dashboard.is_loaded(app.months):
            await asyncio.sleep(0.05)
        await pilot.pause()
        home = app.screen
        for i in range(runs):
            name = f"svc{(i * 7) % services:03d}"
            t = time.perf_counter()
            app.open_entity("service", name)
            await painted(app, app.screen_stack[-1])
            opens.append(time.perf_counter() - t)
            page = app.screen
            assert isinstance(page, ServiceScreen) and page.entity_name == name
            assert page.query_one("#deployments").row_count
            await pilot.pause()
            t = time.perf_counter()
            app.screen.action_back()
            await painted(app, home)
            backs.append(time.perf_counter() - t)
            await pilot.pause()
    return opens, backs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", nargs="?", help="where to build (default: a temporary folder)")
    parser.add_argument("--services", type=int, default=200)
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--deployments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ.setdefault("DORA_TUI_DATA_DIR", tempfile.mkdtemp(prefix="dora-bench-data-"))
    root = Path(args.dir or Path(tempfile.gettempdir()) / "dora-bench-dashboard")
    t = time.perf_counter()
    config = build(root, args.services, args.teams, args.months, args.deployments)
    print(f"database: {root / 'dora.db'} ({args.services} services, {args.teams} teams, "
          f"{args.deployments} deployments over {args.months} months) ready in {time.perf_counter() - t:.1f} s")

    marks = first_paint(config)
    print(f"first paint (whole process):     {marks['first_paint'] * 1000:7.0f} ms")
    print(f"home page filled (12 months):    {marks['figures'] * 1000:7.0f} ms")
    opens, backs = asyncio.run(page_times(config, args.runs, args.services))
    print(f"service page open, median of {len(opens)}: {statistics.median(opens) * 1000:7.1f} ms"
          f" (max {max(opens) * 1000:.1f})")
    print(f"back to home, median of {len(backs)}:      {statistics.median(backs) * 1000:7.1f} ms"
          f" (max {max(backs) * 1000:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
