"""``collect --jobs N``: repositories read in worker processes, one writer; the same database,
report and output as one job; a failing repository is the same one line, nothing written."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from dora_tui import config as config_module
from dora_tui.ops.collect import collect
from dora_tui.ops.report.figures import compute
from dora_tui.ops.report.render_json import to_json
from dora_tui.store.database import Store
from support.gitbuilder import GitBuilder
from support.processes import dora

SERVICES = """database = "dora.db"
timezone = "UTC"
[git]
exclude_pattern = "*-rc*"
[[teams]]
name = "payments"
[[teams]]
name = "search"
[[services]]
name = "checkout"
team = "payments"
repo = "shop"
[[services]]
name = "api"
team = "search"
repo = "mono"
path = "api"
tag_pattern = "api/v*"
[[services]]
name = "web"
team = "search"
repo = "mono"
path = "web"
tag_pattern = "web/v*"
[[services]]
name = "ledger"
team = "payments"
repo = "ledger.git"
[[services]]
name = "mailer"
team = "payments"
repo = "mailer"
"""


def organization(root: Path) -> Path:
    """Four repositories (one a bare clone, one a monorepo of two services) with fixed dates."""
    shop = GitBuilder(root / "shop")
    for day in range(1, 10):
        shop.commit(f"2024-03-{day:02d}T09:00:00", f"shop change {day}")
        if day % 2:
            shop.tag(f"v1.{day}.0", f"2024-03-{day:02d}T15:00:00")
    shop.tag("v1.10.0-rc1", "2024-03-09T16:00:00")
    mono = GitBuilder(root / "mono")
    for day in range(1, 12):
        part = "api" if day % 3 else "web"
        mono.commit(f"2024-03-{day:02d}T10:00:00", f"{part} change {day}", path=f"{part}/f{day}.txt")
        if day % 4 == 0:
            mono.tag(f"api/v{day}", f"2024-03-{day:02d}T18:00:00")
        if day % 5 == 0:
            mono.tag(f"web/v{day}", f"2024-03-{day:02d}T19:00:00")
    mono.branch("feature")
    mono.commit("2024-03-12T09:00:00", "api feature", path="api/feature.txt")
    mono.checkout("main")
    mono.merge("feature", "2024-03-13T09:00:00")
    mono.tag("api/v13", "2024-03-13T12:00:00")
    origin = GitBuilder(root / "ledger-origin")
    for day in range(1, 8):
        origin.commit(f"2024-03-{day:02d}T11:00:00", f"ledger change {day}", committer=f"2024-03-{day:02d}T12:00:00")
        origin.tag(f"v{day}", f"2024-03-{day:02d}T13:00:00", lightweight=day % 2 == 0)
    subprocess.run(["git", "clone", "-q", "--bare", str(origin.path), str(root / "ledger.git")], check=True)
    mailer = GitBuilder(root / "mailer")
    for day in range(1, 6):
        mailer.commit(f"2024-03-{day:02d}T08:00:00", f"mailer change {day}")
        mailer.tag(f"v0.{day}", f"2024-03-{day:02d}T20:00:00")
    (root / "dora.toml").write_text(SERVICES)
    return root / "dora.toml"


def contents(db: Path) -> list[tuple[object, ...]]:
    """Every row of every table, with the table's name: (table, rowid, *columns) in rowid
    order, or (table, *columns) in key order for a table without rowids."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        rows: list[tuple[object, ...]] = []
        for table in tables:
            without_rowid = (
                "WITHOUT ROWID"
                in conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()[0].upper()
            )
            select = f"SELECT * FROM {table}" if without_rowid else f"SELECT rowid, * FROM {table} ORDER BY rowid"
            rows.extend((table, *row) for row in conn.execute(select))
        return rows
    finally:
        conn.close()


def collected(config: Path, jobs: int) -> tuple[list[tuple[object, ...]], str, list[str]]:
    """A fresh database collected with ``jobs``: its rows, the JSON report, the warnings."""
    for leftover in config.parent.glob("dora.db*"):
        leftover.unlink()
    cfg = config_module.load_file(config)
    store = Store.open(cfg.database)
    try:
        summary = collect(cfg, store, jobs=jobs, clock=lambda: 1_710_000_000.0)
        report = compute(cfg, store, as_of=date(2024, 3, 31), months=1, generated_at=datetime(2024, 4, 1, tzinfo=UTC))
    finally:
        store.close()
    return contents(cfg.database), to_json(report), summary.warnings


def test_jobs_2_stores_and_reports_exactly_what_jobs_1_does(tmp_path: Path) -> None:
    config = organization(tmp_path)
    one = collected(config, 1)
    two = collected(config, 2)
    assert two == one
    rows, report, _ = one
    assert {row[2] for row in rows if row[0] == "deployments"} == {"checkout", "api", "web", "ledger", "mailer"}
    assert '"lead_time' in report


def test_the_command_says_the_same_with_2_jobs_as_with_1(tmp_path: Path) -> None:
    organization(tmp_path)
    said = []
    for jobs in ("1", "2"):
        (tmp_path / "dora.db").unlink(missing_ok=True)
        out = dora("collect", "--jobs", jobs, cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        report = dora("report", "--as-of", "2024-03-31", "--months", "1", "--format", "markdown", cwd=tmp_path)
        said.append((out.stdout, out.stderr, report.stdout))
    assert said[0] == said[1]
    assert said[0][0].startswith("Collected 4 repositories (0 unchanged, ")


def lose_an_object(repo: Path, sha: str) -> None:
    """Delete the loose object of ``sha``: git can no longer read that commit."""
    (repo / ".git" / "objects" / sha[:2] / sha[2:]).unlink()


def test_a_repository_git_cannot_read_fails_the_collect_with_one_line_and_nothing_written(tmp_path: Path) -> None:
    config = organization(tmp_path)
    assert dora("collect", cwd=tmp_path).returncode == 0
    mailer = GitBuilder(tmp_path / "mailer")  # the same repository (git init again changes nothing)
    lost = mailer.commit("2024-03-20T08:00:00", "lost")
    mailer.commit("2024-03-21T08:00:00", "after")
    mailer.tag("v0.9", "2024-03-21T20:00:00")
    lose_an_object(mailer.path, lost)
    shop = GitBuilder(tmp_path / "shop")
    shop.commit("2024-03-22T08:00:00", "more")
    shop.tag("v2.0.0", "2024-03-22T20:00:00")
    before = contents(config.parent / "dora.db")
    said = []
    for jobs in ("1", "2"):
        out = dora("collect", "--jobs", jobs, cwd=tmp_path, env=dict(os.environ, LC_ALL="C"))
        said.append((out.returncode, out.stdout, out.stderr))
        assert contents(config.parent / "dora.db") == before
    assert said[0] == said[1]
    status, stdout, stderr = said[0]
    assert (status, stdout) == (2, "")
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert stderr.startswith(f"dora-tui: error: {tmp_path / 'mailer'}: git log failed: ") and lost in stderr


def test_a_bare_repository_without_a_config_file_is_collected(tmp_path: Path) -> None:
    # git reads a bare repository whose `config` file is gone; dora-tui refused it as "not a
    # git repository" (GitPython's test for a repository wants that file).
    config = organization(tmp_path)
    (tmp_path / "ledger.git" / "config").unlink()
    rows, _, _ = collected(config, 2)
    assert [row[3] for row in rows if row[0] == "deployments" and row[2] == "ledger"] == [
        f"v{day}" for day in range(1, 8)
    ]
    one = collected(config, 1)
    assert one[0] == rows


def test_a_repository_in_a_folder_whose_name_holds_a_line_break_is_collected(tmp_path: Path) -> None:
    # git names the repository's folders one a line; such a name read as two paths was "not a git repository".
    repo = GitBuilder(tmp_path / "odd\nname")
    repo.commit("2026-09-01T10:00:00", "initial")
    repo.tag("v1.0.0", "2026-09-02T10:00:00")
    repo.commit("2026-09-03T10:00:00", "a change")
    repo.tag("v1.1.0", "2026-09-04T10:00:00")
    config = tmp_path / "dora.toml"
    config.write_text('database = "dora.db"\n\n[[services]]\nname = "odd"\nrepo = "odd\\nname"\n', encoding="utf-8")
    for jobs in ("1", "2"):
        out = dora("collect", "--full", "--jobs", jobs, "--config", str(config), cwd=tmp_path)
        assert (out.returncode, out.stderr) == (0, ""), out.stderr
    db = sqlite3.connect(tmp_path / "dora.db")
    assert [r[0] for r in db.execute("SELECT name FROM deployments ORDER BY time")] == ["v1.0.0", "v1.1.0"]
    assert db.execute("SELECT count(*) FROM changes").fetchone()[0] == 1
    db.close()


HELPERS_STARTED = """
import multiprocessing.forkserver as forkserver
from dora_tui.ops.collect.readers import Readers

def blocked(pid):  # whether SIGINT was held from its start: its mask, inherited at exec, keeps it
    with open(f"/proc/{pid}/status") as status:
        mask = next(int(line.split()[1], 16) for line in status if line.startswith("SigBlk:"))
    return bool(mask & (1 << (2 - 1)))

with Readers(2):
    print(blocked(forkserver._forkserver._forkserver_pid))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_the_forkserver_of_a_collects_workers_starts_with_ctrl_c_held() -> None:
    # A Ctrl-C burst to `collect --jobs 2` printed a traceback beside the right line in about 1
    # run in 10: Python starting the forkserver took Ctrl-C while importing. multiprocessing lets
    # Ctrl-C in again as it starts its resource tracker, just before the forkserver.
    found = subprocess.run([sys.executable, "-c", HELPERS_STARTED], capture_output=True, text=True, timeout=60)
    assert found.returncode == 0, found.stderr
    assert found.stdout.split() == ["True"]


UNDER_THE_DASHBOARD = """
import sys
from dora_tui.ops.collect.readers import Readers

class Captured:  # what the dashboard's sys.stderr is while it runs: Textual's capture, no descriptor
    def write(self, text): return len(text)
    def flush(self): pass
    def fileno(self): return -1

sys.stderr = Captured()
with Readers(2):
    print("started")
"""


def test_the_workers_start_while_stderr_has_no_descriptor() -> None:
    # Under the dashboard `r` (re-collect) failed every time with "bad value(s) in fds_to_keep":
    # multiprocessing hands its resource tracker sys.stderr's descriptor (a review's finding)
    found = subprocess.run([sys.executable, "-c", UNDER_THE_DASHBOARD], capture_output=True, text=True, timeout=60)
    assert (found.returncode, found.stdout.split()) == (0, ["started"]), found.stderr
