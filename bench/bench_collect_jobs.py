#!/usr/bin/env python3
"""The parallel collect benchmark: ``collect --jobs 2`` over an organization of repositories
against the same git reads run two at a time.

    python bench/bench_collect_jobs.py [--work DIR] [--repos N] [--commits N] [--tags N] [--runs N]

Builds (or reuses: the build is cached in DIR, default ``<temp>/dora-tui-bench/org``) the
organization of ``make_org.py`` (defaults: 50 repositories, 500,000 commits, 3,000 tags), then
measures, as whole processes and wall clock, in one run, alternating, ``--runs`` times each
(medians taken):

- the floor: for each repository, ``git for-each-ref`` with the collector's tag format, then
  ``git log --stdin`` with the collector's commit format fed the tagged commits, in the
  collector's git environment (``GIT_FLUSH=0``), output read and dropped; two repositories
  at a time (two threads, each running its repositories' git one after the other), like
  ``--jobs 2``;
- ``dora-tui collect --jobs 2`` on a fresh database;
- ``dora-tui collect --jobs 1`` on a fresh database, for reference;
- the floor as measured before the collector set ``GIT_FLUSH=0`` (git flushing each commit
  into the pipe), for comparison with the results recorded before;

and prints each against the floor. Target: ``--jobs 2`` at most 1.3x the floor. Exit status
0 when it is met, 1 otherwise (a failing command counts as a miss).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import make_org
from measure import (
    database_files,
    dora_command,
    explain_failure,
    git_version,
    load_average,
    machine,
    remove_paths,
    run,
)

from collectors.git import LOG_ENV, LOG_FORMAT, TAG_FORMAT, git_env

TARGET = 1.3  # collect --jobs 2 / floor


def read_like_the_collector(repo: Path, flushing: bool = False, keep: bool = False) -> bytes:
    """The git reads a first collect makes of ``repo``: the tag listing, then one log of the
    tagged commits (read in 1 MiB chunks and dropped), in the collector's git environment
    (``git log`` buffering its output: ``GIT_FLUSH=0``). With ``flushing``, as the collector
    ran git until it set ``GIT_FLUSH=0``: git flushes each commit into the pipe."""
    env = git_env() if flushing else git_env(**LOG_ENV)
    listing = subprocess.run(
        ["git", "-C", str(repo), "for-each-ref", f"--format={TAG_FORMAT}", "refs/tags"],
        capture_output=True,
        check=True,
        env=env,
    ).stdout
    tokens = listing.split(b"\0")
    width = TAG_FORMAT.count("%00")
    tips = set()
    for i in range(0, len(tokens) - 1, width):
        kind, oid, peeled = tokens[i + 1], tokens[i + 2], tokens[i + 4]
        tips.add(peeled if kind == b"tag" else oid)
    log = subprocess.Popen(
        ["git", "-C", str(repo), "log", "--stdin", "--no-color", "--encoding=UTF-8", f"--format={LOG_FORMAT}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    assert log.stdin is not None and log.stdout is not None
    log.stdin.write(b"".join(t + b"\n" for t in sorted(tips)))
    log.stdin.close()
    kept = []
    while chunk := log.stdout.read(1 << 20):
        if keep:
            kept.append(chunk)
    if log.wait() != 0:
        raise RuntimeError(f"git log failed in {repo}")
    return b"".join(kept)


def floor(repos: list[Path], flushing: bool = False) -> float:
    """Seconds to read every repository like the collector, two at a time (``flushing``: see
    :func:`read_like_the_collector`)."""
    start = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda repo: read_like_the_collector(repo, flushing), repos))
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the organization, measure, print; 0 when the target is met."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "dora-tui-bench" / "org")
    parser.add_argument("--repos", type=int, default=50)
    parser.add_argument("--commits", type=int, default=500_000)
    parser.add_argument("--tags", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each figure, alternating; medians (default 3)")
    args = parser.parse_args(argv)
    work = args.work.resolve()
    if make_org.reusable(work, args.repos, args.commits, args.tags):
        print(f"reusing {work}")
    else:
        print(f"building {work} ({args.repos} repositories, {args.commits:,} commits, {args.tags:,} tags) ...")
        t0 = time.perf_counter()
        make_org.build(work, args.repos, args.commits, args.tags)
        print(f"built in {time.perf_counter() - t0:.0f} s")
    repos = sorted((work / "repos").iterdir())
    config, database = work / "dora.toml", work / "dora.db"
    dora = dora_command()
    print(f"\n{date.today().isoformat()}  {machine()}\n{git_version()}, Python {platform.python_version()}")
    print(f"load average {load_average()}")

    floor(repos)  # warm the page cache
    figures: dict[str, list[float]] = {"floor": [], "jobs 2": [], "jobs 1": [], "flushing": []}
    for _ in range(args.runs):
        figures["floor"].append(floor(repos))
        figures["flushing"].append(floor(repos, flushing=True))
        for jobs in (2, 1):
            remove_paths(database_files(database))
            r = run([*dora, "collect", "--config", str(config), "--jobs", str(jobs)], timeout=3600)
            if not r.ok:
                print(explain_failure(f"collect --jobs {jobs}", r))
                return 1
            figures[f"jobs {jobs}"].append(r.seconds)
    base = statistics.median(figures["floor"])
    print(f"\n{'figure':<28}{'median s':>10}{'x floor':>10}   runs")
    for name, times in figures.items():
        label = {
            "floor": "floor (git, 2 at a time)",
            "jobs 2": "collect --jobs 2",
            "jobs 1": "collect --jobs 1",
            "flushing": "floor, git flushing commits",
        }[name]
        median = statistics.median(times)
        print(f"{label:<28}{median:>10.2f}{median / base:>10.2f}   {', '.join(f'{t:.2f}' for t in times)}")
    ratio = statistics.median(figures["jobs 2"]) / base
    met = ratio <= TARGET
    print(f"\ncollect --jobs 2 / floor = {ratio:.2f} (target <= {TARGET}): {'met' if met else 'MISSED'}")
    remove_paths(database_files(database))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
