"""A repository read whole (a first or ``--full`` collect) gets its lineage worked out from
git's output by the reading process; a repository collected again gets it from the graph
stored before. Both must store the same deployments and changes, whatever order git prints
the commits in."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dora_tui import config as config_module
from dora_tui.ops.collect import collect
from dora_tui.store.database import Store
from support.gitbuilder import GitBuilder

CONFIG = """database = "dora.db"
timezone = "UTC"
[[teams]]
name = "payments"
[[services]]
name = "shop"
team = "payments"
repo = "shop"
[[services]]
name = "shop-merges"
team = "payments"
repo = "shop"
include_merges = true
commit_time = "committer"
[[services]]
name = "api"
team = "payments"
repo = "mono"
path = "api"
tag_pattern = "api/v*"
[[services]]
name = "web"
team = "payments"
repo = "mono"
path = "web"
tag_pattern = "web/v*"
"""


def skewed_shop(root: Path) -> GitBuilder:
    """A history whose clocks are wrong, so that git prints a commit ("A") before one of its
    children ("C"), which the earlier deployment v2 carried, then a side branch merged back."""
    shop = GitBuilder(root / "shop")
    shop.commit("2024-01-01T09:00:00", "base")
    shop.tag("v1", "2024-01-01T10:00:00")
    shop.commit("2024-01-02T09:00:00", "G")
    shop.commit("2024-01-02T10:00:00", "A", committer="2024-01-05T09:00:00")
    shop.branch("side")
    shop.commit("2024-01-03T09:00:00", "B")
    shop.tag("v3", "2024-01-08T10:00:00")
    shop.checkout("main")
    shop.commit("2024-01-03T10:00:00", "C", committer="2024-01-01T12:00:00")
    shop.commit("2024-01-06T09:00:00", "D")
    shop.tag("v2", "2024-01-07T10:00:00")
    shop.merge("side", "2024-01-09T09:00:00")
    shop.commit("2024-01-09T10:00:00", "after the merge")
    shop.tag("v4", "2024-01-10T10:00:00")
    return shop


def monorepo(root: Path) -> GitBuilder:
    """Two services by path and tag prefix, a commit touching both, one touching neither."""
    mono = GitBuilder(root / "mono")
    mono.commit("2024-01-01T09:00:00", "api base", path="api/a.txt")
    mono.commit("2024-01-01T09:10:00", "web base", path="web/a.txt")
    mono.tag("api/v1", "2024-01-01T10:00:00")
    mono.tag("web/v1", "2024-01-01T10:00:00")
    mono.commit_files("2024-01-02T09:00:00", {"api/b.txt": "b", "web/b.txt": "b"}, "both")
    mono.commit("2024-01-02T09:30:00", "docs", path="docs/readme.md")
    mono.tag("api/v2", "2024-01-02T10:00:00")
    mono.commit("2024-01-03T09:00:00", "web only", path="web/c.txt")
    mono.tag("web/v2", "2024-01-03T10:00:00")
    return mono


def rows(db: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The deployments and the changes stored, in key order."""
    conn = sqlite3.connect(db)
    try:
        deployments = conn.execute("SELECT * FROM deployments ORDER BY service, name").fetchall()
        changes = conn.execute("SELECT * FROM changes ORDER BY service, sha").fetchall()
        return deployments, changes
    finally:
        conn.close()


def collected(config: Path, jobs: int) -> None:
    cfg = config_module.load_file(config)
    store = Store.open(cfg.database)
    try:
        collect(cfg, store, jobs=jobs, clock=lambda: 1_710_000_000.0)
    finally:
        store.close()


def printed_parent_first(repo: GitBuilder) -> bool:
    """Whether git's own order (what a collect reads) shows some commit before one of its children."""
    lines = repo.git("log", "--format=%H %P", "--tags").splitlines()
    seen: set[str] = set()
    for line in lines:
        sha, *parents = line.split()
        if any(parent in seen for parent in parents):
            return True
        seen.add(sha)
    return False


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_first_collect_stores_what_a_collect_made_in_steps_stores(tmp_path: Path, jobs: int) -> None:
    shop, mono = skewed_shop(tmp_path), monorepo(tmp_path)
    assert printed_parent_first(shop)  # the case a single pass in git's order cannot tell
    config = tmp_path / "dora.toml"
    config.write_text(CONFIG)
    collected(config, jobs)
    whole = rows(tmp_path / "dora.db")
    store = Store.open(tmp_path / "dora.db")
    try:
        carried = {c.subject: c.deployment for c in store.changes(["shop"])}
    finally:
        store.close()
    # G is older than A and C, which v2 carried first: so did G, though git printed it before C.
    assert carried == {"G": "v2", "A": "v2", "C": "v2", "D": "v2", "B": "v3", "after the merge": "v4"}

    (tmp_path / "dora.db").unlink()
    for leftover in tmp_path.glob("dora.db-*"):
        leftover.unlink()
    later = {"shop": ["v2", "v3", "v4"], "mono": ["api/v2", "web/v2"]}
    kept = {
        name: (repo, repo.git("rev-parse", f"refs/tags/{name}"))
        for repo in (shop, mono)
        for name in later[repo.path.name]
    }
    for name, (repo, _) in kept.items():
        repo.git("tag", "-d", name)
    collected(config, jobs)  # the first tags only: these commits are stored
    for name, (repo, tag) in kept.items():  # the same tag objects again
        repo.git("update-ref", f"refs/tags/{name}", tag)
    collected(config, jobs)  # the others: their lineage worked out from the stored graph
    in_steps = rows(tmp_path / "dora.db")

    assert whole[1] == in_steps[1]
    assert {(r[0], r[1]) for r in whole[0]} == {(r[0], r[1]) for r in in_steps[0]}
    changes = {(r[0], r[1]) for r in whole[1]}
    assert {service for service, _ in changes} == {"shop", "shop-merges", "api", "web"}


TABLES = ("deployments", "changes", "repos")


def test_more_repositories_than_are_read_ahead_store_the_same_with_2_jobs_as_with_1(tmp_path: Path) -> None:
    services = ['database = "dora.db"\ntimezone = "UTC"\n[[teams]]\nname = "payments"\n']
    for n in range(12):  # more than the writer plans ahead of the one it writes
        repo = GitBuilder(tmp_path / f"r{n:02d}")
        for day in range(1, 4 + n % 3):
            repo.commit(f"2024-02-{day:02d}T09:00:00", f"r{n} change {day}")
            repo.tag(f"v{day}", f"2024-02-{day:02d}T12:00:00")
        services.append(f'[[services]]\nname = "s{n:02d}"\nteam = "payments"\nrepo = "r{n:02d}"\n')
    config = tmp_path / "dora.toml"
    config.write_text("".join(services))
    stored = []
    for jobs in (1, 2):
        for leftover in tmp_path.glob("dora.db*"):
            leftover.unlink()
        collected(config, jobs)
        conn = sqlite3.connect(tmp_path / "dora.db")
        try:  # in the order they were written
            stored.append([conn.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall() for table in TABLES])
        finally:
            conn.close()
    assert stored[0] == stored[1]
    assert len({row[1] for row in stored[0][1]}) == 12  # every service has changes
