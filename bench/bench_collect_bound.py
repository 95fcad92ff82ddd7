#!/usr/bin/env python3
"""The least a collect of the organization can take beside its git reads, on this machine.

    python bench/bench_collect_bound.py [--work DIR] [--runs N]

Uses the organization of ``bench_collect_jobs.py`` (built there; reused here) and, in one
run, alternating, ``--runs`` times each (medians taken):

- the floor of ``bench_collect_jobs.py`` (each repository's git reads, two at a time), its wall
  clock and the CPU time of all its processes (git's and the reading threads');
- the least parsing any collect does: git's output (captured once, beforehand) split into its
  fields, and the times made integers: CPU time;
- storing: the changes and the commits a real ``collect`` stored, each inserted with
  ``executemany`` into a fresh database on disk in one transaction, CPU time. Each twice: the
  least a row can be (3 bound values, a table with no key or index: ``(sha, deployment, lead
  time)`` a change, ``(sha, parents, time)`` a commit), and as the product stores it (the
  tables and statements of ``dora_tui/store``: the keys, 6 bound values each).

Nothing else is counted: no lineage walk, no process start, no scheduling, no checkpoint. On
``C`` cores no collect can take less than the sum of these CPU times divided by ``C``. For
three data models (a row per change only, the least that keeps every lead time traceable to
its commit; a row per change and per commit at their least; the product's two tables) the
script prints that bound against the floor's wall clock, beside the target of
``bench_collect_jobs.py`` (1.3), and the CPU time against the floor's: what the ratio would
be if the collect kept the cores as busy as the floor does (the same figure when the floor
keeps every core busy). Exit status 0 when the product's tables leave the target reachable
in principle (the first figure), 1 when they do not.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import make_org
from bench_collect_jobs import TARGET, floor, read_like_the_collector
from measure import database_files, dora_command, explain_failure, load_average, machine, remove_paths, run

from collectors.git_log import TOKENS


def cpu() -> float:
    """CPU seconds of this process and of its waited-for children so far."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measured_floor(repos: list[Path]) -> tuple[float, float]:
    """The floor's wall clock and the CPU time of all its processes."""
    before = cpu()
    wall = floor(repos)
    return wall, cpu() - before


def parse(outputs: list[bytes]) -> float:
    """CPU seconds to decode every log, split it into fields and make its commit times integers."""
    start = time.process_time()
    for out in outputs:
        tokens = out.decode().split("\0")  # an empty token, then TOKENS a commit (collectors/git_log.py)
        count = (len(tokens) - 1) // TOKENS
        shas = tokens[1 : 1 + count * TOKENS : TOKENS]
        times = list(map(int, tokens[4 : 4 + count * TOKENS : TOKENS]))
        assert len(shas) == len(times)
    return time.process_time() - start


CHANGES_LEAST = ("CREATE TABLE changes (sha TEXT, deployment TEXT, lead INTEGER)", "INSERT INTO changes VALUES (?,?,?)")
COMMITS_LEAST = ("CREATE TABLE commits (sha TEXT, parents TEXT, time INTEGER)", "INSERT INTO commits VALUES (?,?,?)")
COMMITS_STORED = (  # dora_tui/store/schema.py and Repos.add_commit_columns: a statement a repository
    "CREATE TABLE commits (repo INTEGER NOT NULL, sha TEXT NOT NULL, parents TEXT NOT NULL, author_time INTEGER,"
    " committer_time INTEGER, author TEXT, subject TEXT, touches TEXT, PRIMARY KEY (repo, sha)) WITHOUT ROWID",
    "INSERT OR IGNORE INTO commits (repo, sha, parents, author_time, committer_time, author, subject, touches)"
    " VALUES ({repo}, ?, ?, ?, ?, ?, ?, NULL)",
)
CHANGES_STORED = (  # dora_tui/store/schema.py and queries/deployments.py
    "CREATE TABLE changes (service TEXT NOT NULL, sha TEXT NOT NULL, deployment TEXT NOT NULL, repo INTEGER,"
    " commit_time INTEGER, deploy_time INTEGER, lead_time_s INTEGER, negative INTEGER DEFAULT 0,"
    " PRIMARY KEY (service, sha))",
    "INSERT INTO changes (service, sha, deployment, repo, commit_time, deploy_time, lead_time_s, negative)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, max(?6 - ?5, 0), ?5 > ?6)",
)


def store(folder: Path, statements: tuple[str, str], rows: dict[int, list[tuple[object, ...]]]) -> float:
    """CPU seconds to insert ``rows`` (by repository) into a fresh database in ``folder``, committed:
    one ``executemany`` a repository, its number written into the statement where it says
    ``{repo}``, as the product does."""
    path = folder / "bound.db"
    remove_paths(database_files(path))
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(statements[0])
    start = time.process_time()
    db.execute("BEGIN")
    for repo, values in rows.items():
        db.executemany(statements[1].format(repo=repo), values)
    db.execute("COMMIT")
    spent = time.process_time() - start
    db.close()
    remove_paths(database_files(path))
    return spent


def by_repo(pairs: Iterable[tuple[int, tuple[object, ...]]]) -> dict[int, list[tuple[object, ...]]]:
    """Rows grouped by their repository, in the order given."""
    grouped: dict[int, list[tuple[object, ...]]] = {}
    for repo, row in pairs:
        grouped.setdefault(repo, []).append(row)
    return grouped


def main(argv: list[str] | None = None) -> int:
    """Measure the floor and the least work beside it; print the bound; 0 when within the target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "dora-tui-bench" / "org")
    parser.add_argument("--runs", type=int, default=5, help="runs of each figure, alternating; medians (default 5)")
    args = parser.parse_args(argv)
    work = args.work.resolve()
    if not make_org.reusable(work, 50, 500_000, 3000):
        print(f"{work}: no organization built; run bench/bench_collect_jobs.py first")
        return 2
    repos = sorted((work / "repos").iterdir())
    config, database = work / "dora.toml", work / "dora.db"
    remove_paths(database_files(database))
    r = run([*dora_command(), "collect", "--config", str(config)], timeout=3600)
    if not r.ok:
        print(explain_failure("collect", r))
        return 1
    db = sqlite3.connect(database)
    changes = db.execute("SELECT service, sha, deployment, repo, commit_time, deploy_time FROM changes").fetchall()
    commits = db.execute(  # in git's order, newest first, as a collect stores them
        "SELECT repo, sha, parents, author_time, committer_time, author, subject FROM commits"
        " ORDER BY repo, committer_time DESC, author_time DESC"
    ).fetchall()
    db.close()
    remove_paths(database_files(database))
    rows = {
        "changes least": (CHANGES_LEAST, by_repo((r, (s, d, t - c)) for _, s, d, r, c, t in changes)),
        "commits least": (COMMITS_LEAST, by_repo((r, (s, p, c)) for r, s, p, _, c, _, _ in commits)),
        "changes stored": (CHANGES_STORED, by_repo((row[3], row) for row in changes)),
        "commits stored": (COMMITS_STORED, by_repo((row[0], row[1:]) for row in commits)),
    }
    with ThreadPoolExecutor(2) as pool:  # git's output as the collector reads it, kept this time
        outputs = list(pool.map(lambda repo: read_like_the_collector(repo, keep=True), repos))
    print(f"\n{date.today().isoformat()}  {machine()}, load average {load_average()}")
    print(f"{len(repos)} repositories, {len(commits):,} commits, {len(changes):,} changes,", end=" ")
    print(f"{sum(map(len, outputs)) / 1e6:.0f} MB of git log")
    cores = len(os.sched_getaffinity(0))
    figures: dict[str, list[float]] = {"wall": [], "floor": [], "parse": [], **{name: [] for name in rows}}
    floor(repos)  # warm the page cache
    for _ in range(args.runs):
        wall, spent = measured_floor(repos)
        figures["wall"].append(wall)
        figures["floor"].append(spent)
        figures["parse"].append(parse(outputs))
        for name, (statements, values) in rows.items():
            figures[name].append(store(work, statements, values))
    m = {name: statistics.median(values) for name, values in figures.items()}
    print(f"\n{'figure (medians of ' + str(args.runs) + ')':<52}{'s':>7}   runs")
    for name, label in (
        ("wall", "floor, wall clock"),
        ("floor", "floor, CPU time (git and the reading threads)"),
        ("parse", "parsing the logs into fields, CPU time"),
        ("changes least", "a row per change at its least, CPU"),
        ("commits least", "a row per commit at its least, CPU"),
        ("changes stored", "the changes as the product stores them, CPU"),
        ("commits stored", "the commits as the product stores them, CPU"),
    ):
        print(f"{label:<52}{m[name]:>7.2f}   {', '.join(f'{t:.2f}' for t in figures[name])}")
    busy = m["floor"] / m["wall"]
    print(f"\nthe floor kept {busy:.2f} of {cores} cores busy")
    print(f"least a collect can take on {cores} cores, (floor + parsing + storing) CPU / {cores}, against the floor's")
    print("wall clock, and against the floor's CPU time (the same when the floor keeps every core busy):")
    ratio = 0.0
    for model, parts in (
        ("a row per change, at its least", ["changes least"]),
        ("a row per change and per commit, at their least", ["changes least", "commits least"]),
        ("the product's two tables", ["changes stored", "commits stored"]),
    ):
        spent = m["floor"] + m["parse"] + sum(m[part] for part in parts)
        ratio = spent / cores / m["wall"]
        print(f"  {model:<50}{spent / cores:>6.2f} s  x{spent / cores / m['wall']:.2f}  x{spent / m['floor']:.2f}")
    reachable = ratio <= TARGET
    print(
        f"with the product's tables the target (<= {TARGET}) is",
        "reachable in principle" if reachable else "OUT OF REACH",
    )
    return 0 if reachable else 1


if __name__ == "__main__":
    sys.exit(main())
