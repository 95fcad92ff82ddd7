"""The database file is safe when the machine is not: read-only folders, locks held by another
dora-tui, a full disk.

Real files and real ``dora-tui`` processes. Each test says what the user notices: the exit
status, the one line on stderr or the dashboard's notice, the bytes of every file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dora_tui.cli import main
from dora_tui.store import MIGRATIONS
from dora_tui.tui.app import DoraApp
from support.app import TODAY, app_test, settle
from support.databases import DORA, dora, earlier_database, one_error_line, snapshot, start, workspace


def test_a_healthy_database_in_a_read_only_folder_is_read_and_not_called_foreign(tmp_path: Path, read_only) -> None:
    ws = workspace(tmp_path, database="data/dora.db")
    assert main(["collect"]) == 0 and main(["import", "incidents", "pd.csv"]) == 0
    data = ws / "data"
    assert sorted(p.name for p in data.iterdir()) == ["dora.db"]  # WAL, cleanly closed: no -wal, no -shm
    before = snapshot(data)
    prefix = read_only(data)
    report = dora("report", "--as-of", "2024-09-30", cwd=ws, prefix=prefix)
    assert report.returncode == 0, report.stderr
    assert '"unmapped_incidents": 0' in report.stdout
    doctor = dora("doctor", cwd=ws, prefix=prefix)
    assert doctor.returncode == 0, doctor.stderr
    for args in (["collect"], ["import", "incidents", "pd.csv"]):
        run = dora(*args, cwd=ws, prefix=prefix)
        line = one_error_line(run.stderr)
        assert run.returncode == 1, line
        assert line == f"dora-tui: error: {data / 'dora.db'}: the folder {data} is read-only; nothing was changed"
    assert snapshot(data) == before


def test_an_earlier_database_in_a_read_only_folder_says_how_to_upgrade_it(tmp_path: Path, read_only) -> None:
    ws = workspace(tmp_path, database="data/dora.db")
    (ws / "data").mkdir()
    earlier_database(ws / "data" / "dora.db", 1)
    before = snapshot(ws / "data")
    prefix = read_only(ws / "data")
    run = dora("report", cwd=ws, prefix=prefix)
    assert run.returncode == 2
    assert one_error_line(run.stderr) == (
        f"dora-tui: error: {ws / 'data' / 'dora.db'}: written by an earlier dora-tui (schema 1); "
        "run `dora-tui collect` once where its folder is writable to upgrade it"
    )
    assert snapshot(ws / "data") == before


def test_a_locked_database_says_another_dora_tui_is_writing(tmp_path: Path) -> None:
    """Two waits of 5 s (how long a command waits for another), side by side."""
    busy = workspace(tmp_path / "busy")
    assert main(["--config", str(busy / "dora.toml"), "collect"]) == 0
    creating = workspace(tmp_path / "creating")
    holders = []
    for path, create in ((busy / "dora.db", False), (creating / "dora.db", True)):
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("PRAGMA journal_mode=WAL")
        holder.execute("BEGIN IMMEDIATE")
        if create:  # another dora-tui half-way through creating the schema
            MIGRATIONS[0](holder)
        holders.append(holder)
    try:
        runs = [start("collect", "--full", cwd=busy), start("collect", cwd=creating)]
        results = [(run.wait(timeout=60), run.communicate()[1]) for run in runs]
    finally:
        for holder in holders:
            holder.execute("ROLLBACK")
            holder.close()
    for (code, err), folder in zip(results, (busy, creating)):
        assert code == 1, err
        assert one_error_line(err) == (
            f"dora-tui: error: {folder / 'dora.db'}: another dora-tui is writing to it; try again in a moment"
        )


@app_test
async def test_r_meeting_a_command_line_collect_says_another_dora_tui_is_writing(ws: Path) -> None:
    """The dashboard waits for the lock as long as any dora-tui does (BUSY_TIMEOUT_MS), then says why."""
    assert main(["collect"]) == 0
    app = DoraApp(ws / "dora.toml", today=TODAY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        holder = sqlite3.connect(ws / "dora.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("r")
            await settle(pilot)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        toasts = [str(t.render()) for t in app.screen.query("Toast")]
        assert any(
            f"{ws / 'dora.db'}: another dora-tui is writing to it; try again in a moment" in t for t in toasts
        ), toasts


def _can_mount_a_small_disk() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    probe = subprocess.run([unshare, "-Urm", "true"], capture_output=True)
    return probe.returncode == 0


FULL_DISK = """
import hashlib, os, subprocess, sys
mount, database, config, csv = sys.argv[1:5]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount], check=True)
def run(*args):
    return subprocess.run([sys.argv[5], "--config", config, *args], capture_output=True, text=True)
first = run("collect")
assert first.returncode == 0, first.stderr
def files():
    return {n: hashlib.sha256(open(os.path.join(mount, n), "rb").read()).hexdigest()
            for n in sorted(os.listdir(mount)) if n == "dora.db"}
with open(os.path.join(mount, "filler"), "wb", buffering=0) as filler:  # the disk fills up, but for 40 KiB
    try:
        while True:
            filler.write(b"x" * 4096)
    except OSError:
        pass
os.truncate(os.path.join(mount, "filler"), os.path.getsize(os.path.join(mount, "filler")) - 40960)
before = files()
full = run("import", "incidents", csv)
print(full.returncode)
print(full.stderr, end="")
print(before == files())
"""


@pytest.mark.skipif(not _can_mount_a_small_disk(), reason="cannot mount a small tmpfs (unshare -Urm) here")
def test_a_full_disk_says_so_and_changes_nothing(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    ws = workspace(tmp_path / "ws", database=str(disk / "dora.db"), rows=3000)
    run = subprocess.run(
        [
            shutil.which("unshare"),
            "-Urm",
            sys.executable,
            "-c",
            FULL_DISK,
            str(disk),
            str(disk / "dora.db"),
            str(ws / "dora.toml"),
            str(ws / "pd.csv"),
            str(DORA),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    code, line, unchanged = run.stdout.splitlines()
    assert (code, unchanged) == ("1", "True"), run.stdout
    assert line == f"dora-tui: error: {disk / 'dora.db'}: the disk is full; nothing was changed"


def test_a_read_only_database_file_is_read_and_leaves_nothing_that_blocks_a_later_write(
    tmp_path: Path, read_only
) -> None:
    ws = workspace(tmp_path, database="data/dora.db")
    assert main(["collect"]) == 0 and main(["import", "incidents", "pd.csv"]) == 0
    data = ws / "data"
    prefix = read_only(data)  # the prefix makes root obey permissions; the folder is made writable again:
    data.chmod(0o755)
    (data / "dora.db").chmod(0o444)  # only the file is read-only
    report = dora("report", "--as-of", "2024-09-30", cwd=ws, prefix=prefix)
    assert report.returncode == 0, report.stderr
    assert sorted(p.name for p in data.iterdir()) == ["dora.db"]  # no -wal or -shm left behind
    (data / "dora.db").chmod(0o644)
    collect = dora("collect", cwd=ws, prefix=prefix)
    assert collect.returncode == 0, collect.stderr


def test_a_database_path_that_is_a_device_is_refused_and_nothing_is_made_beside_it(tmp_path: Path) -> None:
    ws = workspace(tmp_path, database="pipe")
    os.mkfifo(ws / "pipe")
    for args in (["collect"], ["report"], ["doctor"]):
        run = dora(*args, cwd=ws)
        assert run.returncode == 2
        assert one_error_line(run.stderr) == (
            f"dora-tui: error: {ws / 'dora.toml'}: database: {ws / 'pipe'} is not a file (a device or a pipe)"
        )
    assert sorted(p.name for p in ws.iterdir() if p.name.startswith("pipe")) == ["pipe"]


def test_the_dashboard_reads_a_database_in_a_read_only_folder(tmp_path: Path, read_only) -> None:
    ws = workspace(tmp_path, database="data/dora.db")
    assert main(["collect"]) == 0 and main(["import", "incidents", "pd.csv"]) == 0
    before = snapshot(ws / "data")
    prefix = read_only(ws / "data")
    code = (  # what the dashboard does when it opens: the facade, in a process that obeys permissions
        "from datetime import date; from dora_tui.tui.facade.dashboard import Dashboard;"
        "d = Dashboard.from_config_path('dora.toml', today=date(2024, 9, 30));"
        "print(d.needs_collect(), d.collected_at() is not None); d.load(12);"
        "print([g.services[0].name for g in d.directory(12)])"
    )
    run = subprocess.run([*prefix, sys.executable, "-c", code], cwd=ws, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "False True"
    assert snapshot(ws / "data") == before
