#!/usr/bin/env python3
"""The git collection benchmark: how `dora-tui collect` compares with git itself.

    python bench/bench_collect.py [--work DIR] [--commits N] [--tags N] [--keep]

Builds (or reuses) the synthetic monorepo of ``make_monorepo.py`` in DIR (default
``bench/work``), then measures, as whole processes and wall clock, in one run:

- the floor: ``git log --all --name-only --format=%H%x00%P%x00%at%x00%ct%x00%an%x00%s``
  to /dev/null, the least a collector that needs changed paths must read (one warm-up run,
  then --full-runs runs, each before a full collect);
- a full collect: ``dora-tui collect --config DIR/dora.toml --full`` on a deleted database
  (median of --full-runs, alternating with the floor);
- a repeated collect with nothing new: ``dora-tui collect --config DIR/dora.toml``
  (median of --runs);
- the peak memory of the full collect: the larger of the biggest single process in its
  tree (max RSS from ``wait4``, like ``getrusage(RUSAGE_CHILDREN)``) and the anonymous memory
  of its whole process tree (collector plus the git it runs at once), sampled from /proc;

and prints each figure against the targets: full collect <= 2x the floor; repeated collect
< 0.5 s; peak memory < 300 MB. Exit status 0 when every target is met, 1 otherwise (a failing
command counts as a miss), 2 on bad usage. Without --keep the work folder's repository and
database are removed at the end; with it, the next run reuses them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import make_monorepo
from measure import (  # also imported from here by bench_import.py and bench_dashboard.py
    Run,
    banner,
    compile_bytecode,
    database_files,
    dora_command,
    explain_failure,
    git_version,
    load_average,
    machine,
    remove_paths,
    run,
    spread,
    timed_runs,
)

__all__ = [
    "Run",
    "banner",
    "compile_bytecode",
    "database_files",
    "dora_command",
    "explain_failure",
    "git_version",
    "load_average",
    "machine",
    "main",
    "remove_paths",
    "run",
    "spread",
    "timed_runs",
]

FLOOR_FORMAT = "%H%x00%P%x00%at%x00%ct%x00%an%x00%s"
MAX_RATIO = 2.0  # full collect / floor
MAX_REPEAT_S = 0.5  # repeated collect, whole process
MAX_PEAK_MB = 300.0  # full collect


def commit_graph_files(repo: Path) -> list[Path]:
    """The commit-graph files of a repository (they make git and a collector faster)."""
    info = repo / ".git" / "objects" / "info"
    return [p for p in (info / "commit-graph", info / "commit-graphs") if p.exists()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--work",
        type=Path,
        default=HERE / "work",
        help="work folder for the repository, config and database (default bench/work)",
    )
    parser.add_argument("--commits", type=int, default=100_000, help="commits (default 100000)")
    parser.add_argument("--tags", type=int, default=1000, help="annotated tags (default 1000)")
    parser.add_argument(
        "--keep", action="store_true", help="keep the repository and database for the next run / inspection"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of the quick measurements, median taken (default 3)")
    parser.add_argument(
        "--full-runs",
        type=int,
        default=3,
        help="floor and full collect pairs, alternating, medians taken (default 3: "
        "on a shared machine one run of a few seconds can be a third off)",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a command is killed (default 1800)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument(
        "--collector",
        metavar="COMMAND",
        help="the dora-tui command to run, split like a shell would (default: "
        "the dora-tui script next to this Python, else python -m dora_tui)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.full_runs < 1:
        parser.error("--runs and --full-runs must be at least 1")

    work = args.work.resolve()
    # ---- the repository ----------------------------------------------------------------
    manifest = make_monorepo.reusable(work, args.commits, args.tags)
    if manifest:
        print(f"reusing {work / 'repo'} ({args.commits:,} commits, {args.tags:,} tags)")
        built = None
    else:
        print(f"building {work / 'repo'} ({args.commits:,} commits, {args.tags:,} tags) ...", flush=True)
        try:
            manifest = make_monorepo.build(work, args.commits, args.tags, quiet=True)
        except ValueError as exc:
            parser.error(str(exc))
        except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
            print(f"bench_collect: building the repository failed: {exc}", file=sys.stderr)
            return 1
        built = manifest["build_seconds"]
        print(make_monorepo.describe(manifest))
    repo, config = Path(manifest["repo"]), Path(manifest["config"])
    database = Path(manifest["database"])
    stale = commit_graph_files(repo)
    if stale:  # left by an earlier collect: every run measures the same repository
        print(f"removing a commit-graph left in the repository: {', '.join(map(str, stale))}")
        remove_paths(stale)

    dora = shlex.split(args.collector) if args.collector else dora_command()
    try:
        load = "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except (OSError, AttributeError):
        load = "load average unknown"
    print(compile_bytecode())
    print(
        f"\n{date.today().isoformat()}  {machine()}\n{git_version()}, Python "
        f"{platform.python_version()}, {load}\ncollector: {shlex.join(dora)}\n",
        flush=True,
    )

    failures: list[str] = []
    results: dict = {
        "date": date.today().isoformat(),
        "machine": machine(),
        "git": git_version(),
        "python": platform.python_version(),
        "commits": args.commits,
        "tags": args.tags,
        "build_s": built,
        "runs": args.runs,
        "load_at_start": load,
    }

    # ---- the floor and the full collect, alternating, so that a machine whose load changes
    # meanwhile skews both alike; the peak memory is the largest of the full collects' -------
    floor_cmd = ["git", "-C", str(repo), "log", "--all", "--name-only", f"--format={FLOOR_FORMAT}"]
    warm = run(floor_cmd, timeout=args.timeout)
    if not warm.ok:
        print(explain_failure("the floor (git log)", warm))
        return 1
    startup_times, _ = timed_runs([sys.executable, "-c", "pass"], args.runs)
    startup = statistics.median(startup_times)
    full_cmd = [*dora, "collect", "--config", str(config), "--full"]
    floor_times: list[float] = []
    full_times: list[float] = []
    full_s = repeat_s = peak = None
    graph_after_full: list[Path] = []
    full = warm  # replaced by each full collect's run
    for _ in range(args.full_runs):
        r = run(floor_cmd, timeout=args.timeout)
        if not r.ok:
            print(explain_failure("the floor (git log)", r))
            return 1
        floor_times.append(r.seconds)
        remove_paths(database_files(database))
        full = run(full_cmd, timeout=args.timeout, sample=True)
        if not full.ok:
            failures.append(explain_failure("full collect", full))
            break
        full_times.append(full.seconds)
        peak = max(peak or 0, full.peak_mb or 0) or None
        if not database.exists():
            print(f"note: the full collect exited 0 but {database} does not exist")
        graph_after_full = graph_after_full or commit_graph_files(repo)
        remove_paths(commit_graph_files(repo))  # each pair measures the same repository
    floor = statistics.median(floor_times)
    print(f"floor (git log --all --name-only): {spread(floor_times)} s; median {floor:.2f} s", flush=True)
    if full.ok:
        full_s = statistics.median(full_times)
        print(f"full collect: {spread(full_times)} s; median {full_s:.2f} s", flush=True)
    results.update(
        floor_s=round(floor, 3), floor_runs=floor_times, full_runs=full_times, python_start_s=round(startup, 3)
    )

    # ---- the repeated collect ------------------------------------------------------------
    repeat_cmd = [*dora, "collect", "--config", str(config)]
    if full.ok:
        repeat_times, r = timed_runs(repeat_cmd, args.runs, timeout=args.timeout)
        results["repeat_runs"] = repeat_times
        if r.ok:
            repeat_s = statistics.median(repeat_times)
            print(f"repeated collect: {spread(repeat_times)} s", flush=True)
        else:
            failures.append(explain_failure("repeated collect", r))

    # ---- the table -----------------------------------------------------------------------
    def verdict(ok: bool | None) -> str:
        return "n/a " if ok is None else ("PASS" if ok else "FAIL")

    ratio = full_s / floor if full_s is not None and floor > 0 else None
    checks = {  # a command that fails misses its target; one not run is n/a
        "full": False if not full.ok else ratio is not None and ratio <= MAX_RATIO,
        "repeat": (None if not full.ok else False if repeat_s is None else repeat_s < MAX_REPEAT_S),
        "peak": None if peak is None else peak < MAX_PEAK_MB,
    }
    rows = [
        ("floor: git log --all --name-only", f"{floor:.2f} s", f"median of {len(floor_times)}", ""),
        (
            f"full collect (--full), median of {len(full_times)}",
            f"{full_s:.2f} s" if full_s is not None else "failed",
            f"<= {MAX_RATIO:g} x floor = {MAX_RATIO * floor:.2f} s",
            verdict(checks["full"]),
        ),
        ("  ratio full / floor", f"x{ratio:.2f}" if ratio is not None else "-", f"<= x{MAX_RATIO:g}", ""),
        (
            "repeated collect, nothing new",
            f"{repeat_s:.3f} s" if repeat_s is not None else ("failed" if full.ok else "not run"),
            f"< {MAX_REPEAT_S:g} s (median of {args.runs})",
            verdict(checks["repeat"]),
        ),
        (
            "peak memory of the full collect",
            f"{peak:.0f} MB" if peak is not None else "-",
            f"< {MAX_PEAK_MB:g} MB",
            verdict(checks["peak"]),
        ),
        ("python start-up (for scale)", f"{startup:.3f} s", "", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"\n{'measure':<{width}}  {'value':>9}  {'target':<30}  result")
    for name, value, target, res in rows:
        print(f"{name:<{width}}  {value:>9}  {target:<30}  {res}")
    if full.ok and (full.peak_single_kb or full.peak_tree_kb):
        parts = []
        if full.peak_tree_kb:
            parts.append(
                f"anonymous memory of the process tree, sampled every 50 ms: {full.peak_tree_kb / 1024:.0f} MB"
            )
        if full.peak_single_kb:
            parts.append(f"largest single process (max RSS): {full.peak_single_kb / 1024:.0f} MB")
        print(f"(peak memory: {'; '.join(parts)})")
    if database.exists():
        size = sum(p.stat().st_size for p in database_files(database) if p.exists())
        print(f"database: {database} ({size / 1e6:.1f} MB)")
    if graph_after_full:
        print("note: the collect wrote a commit-graph into the repository (the floor was measured without one)")
    for failure in failures:
        print(failure)

    results.update(
        full_collect_s=None if full_s is None else round(full_s, 3),
        ratio=None if ratio is None else round(ratio, 3),
        repeat_collect_s=None if repeat_s is None else round(repeat_s, 4),
        peak_mb=None if peak is None else round(peak, 1),
        checks=checks,
        passed=all(v is True for v in checks.values()),
    )

    def cell(v: float | None, fmt: str) -> str:
        return "-" if v is None else format(v, fmt)

    print(
        "\nrow for bench/README.md:\n"
        f"| {results['date']} | {results['machine']} | {args.commits} | {args.tags} | "
        f"{floor:.2f} | {cell(full_s, '.2f')} | {cell(ratio, '.2f')} | "
        f"{cell(repeat_s, '.3f')} | {cell(peak, '.0f')} |"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    if not args.keep:
        remove_paths([repo, config, work / "monorepo.json", *database_files(database)])
        with contextlib.suppress(OSError):
            work.rmdir()
    else:
        print(f"kept {work} (repository, config and database) for the next run")
    return 0 if results["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
