"""The database file is safe: two commands at once, foreign files, read-only folders, full disks, locks.

Real files and real ``dora-tui`` processes: a user runs commands side by side, points the
config at the wrong file, reads a database from a read-only folder. Each test says what the
user notices: the exit status, the one line on stderr, the bytes of every file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dora_tui.cli import main
from dora_tui.store import MIGRATIONS, SCHEMA_VERSION, Store
from dora_tui.tui.app import DoraApp
from support.app import TODAY, app_test, settle
from support.gitbuilder import GitBuilder

APPLICATION_ID = int.from_bytes(b"DORA", "big")  # PRAGMA application_id of a dora-tui database

DORA = Path(sys.executable).with_name("dora-tui")
HEADER = (
    "id,incident_number,description,service_id,service_name,escalation_policy_id,"
    "escalation_policy_name,created_on,resolved_on,seconds_to_first_ack,seconds_to_resolve,urgency"
)
ROW = "P{n},{n},Checkout down,S1,checkout-api,E1,Main,2024-09-03T07:41:12Z,2024-09-03T09:41:12Z,60,7200,high"
CONFIG = """database = "{database}"
[[teams]]
name = "payments"
[[services]]
name = "checkout"
team = "payments"
repo = "{repo}"
[[imports]]
kind = "incidents"
file = "pd.csv"
service_map = {{ "checkout-api" = "checkout" }}
"""
COMMANDS = (["collect"], ["import", "incidents", "pd.csv"], ["import", "--all"], ["report"], ["doctor"])


def workspace(root: Path, *, database: str = "dora.db", rows: int = 2, repo: Path | None = None) -> Path:
    """A tiny real workspace under ``root``: a PagerDuty export, dora.toml, and one repository
    with one tag (``repo``, else a new one in ``root``)."""
    if repo is None:
        repo = root / "shop"
        builder = GitBuilder(repo)
        builder.commit("2024-09-01T09:00:00")
        builder.tag("v1", "2024-09-01T10:00:00")
    root.mkdir(parents=True, exist_ok=True)
    (root / "pd.csv").write_text("\n".join([HEADER, *(ROW.format(n=n) for n in range(rows))]) + "\n")
    (root / "dora.toml").write_text(CONFIG.format(database=database, repo=repo))
    return root


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return workspace(tmp_path)


def dora(*args: str, cwd: Path, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """Run the installed ``dora-tui`` as a user would."""
    return subprocess.run([*prefix, str(DORA), *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def start(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([str(DORA), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def snapshot(folder: Path, name: str = "dora.db") -> dict[str, str]:
    """The hash of the database file and of every file next to it named after it (-wal, -shm, -journal)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.name.startswith(name) and p.is_file()
    }


def tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """{table: its columns} of every table but SQLite's own."""
    return {
        name: [r[0] for r in conn.execute("SELECT name FROM pragma_table_info(?)", [name])]
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
        ).fetchall()
    }


def schema(path: Path) -> tuple[int, int, dict[str, list[str]]]:
    """(application_id, user_version, {table: columns}) of a database file."""
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("PRAGMA application_id").fetchone()[0],
            conn.execute("PRAGMA user_version").fetchone()[0],
            tables(conn),
        )
    finally:
        conn.close()


def dora_tui_schema(folder: Path) -> dict[str, list[str]]:
    """The tables and columns this dora-tui makes (in a new database in ``folder``)."""
    Store.open(folder / "reference.db").close()
    return schema(folder / "reference.db")[2]


def earlier_database(path: Path, version: int) -> None:
    """A database as an earlier dora-tui wrote it: schema ``version``, no application_id, one incident."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    for step in range(version):
        MIGRATIONS[step](conn)
    conn.execute(
        "INSERT INTO incidents VALUES ('pagerduty', 'OLD', 'checkout', 'checkout-api', 'payments',"
        " 100, 200, 'SEV1', 'Kept', '')"
    )
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def one_error_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


# -- 1. two commands creating a new database at once -------------------------------------------

PAIRS = [
    (["collect"], ["collect"]),
    (["collect"], ["import", "incidents", "pd.csv"]),
    (["import", "incidents", "pd.csv"], ["import", "--all"]),
    (["import", "--all"], ["collect", "--full"]),
]


def test_twenty_pairs_of_commands_on_a_new_database_leave_it_whole(ws: Path, capsys) -> None:
    """Five rounds of four workspaces side by side (the machine's cores kept busy), each round a
    pair of commands started together on each workspace's new database; now and then the
    database is an earlier dora-tui's, which both commands of the pair set out to upgrade."""
    expected = dora_tui_schema(ws)
    spaces = [workspace(ws / f"w{k}", repo=ws / "shop") for k in range(4)]
    for turn in range(5):
        runs = []
        for k, space in enumerate(spaces):
            for leftover in space.glob("dora.db*"):
                leftover.unlink()
            earlier = (turn + k) % 3 == 2
            if earlier:
                earlier_database(space / "dora.db", 1)
            pair = PAIRS[(turn + k) % len(PAIRS)]
            runs.append((space, earlier, [(args, start(*args, cwd=space)) for args in pair]))
        for space, earlier, pair in runs:
            for args, run in pair:
                err = run.communicate(timeout=60)[1]
                assert run.returncode == 0, f"{space.name}, turn {turn}: {args}: {err}"
            assert schema(space / "dora.db") == (APPLICATION_ID, SCHEMA_VERSION, expected), (space, turn)
            for args in (["collect"], ["import", "--all"], ["report"], ["doctor"]):
                code = main(["--config", str(space / "dora.toml"), *args])
                assert code == 0, f"{space.name}, turn {turn}: {args}: {capsys.readouterr().err}"
            capsys.readouterr()
            conn = sqlite3.connect(space / "dora.db")
            ids = {r[0] for r in conn.execute("SELECT id FROM incidents")}
            conn.close()
            assert ids == ({"P0", "P1", "OLD"} if earlier else {"P0", "P1"}), (space, turn)


def test_a_migration_meeting_a_schema_already_migrated_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "dora.db"
    earlier_database(path, 2)
    conn = sqlite3.connect(path)
    for step in range(SCHEMA_VERSION):  # every migration, met again
        MIGRATIONS[step](conn)
    conn.commit()
    conn.close()
    store = Store.open(path)
    assert [i.id for i in store.incidents()] == ["OLD"]
    store.close()
    assert schema(path) == (APPLICATION_ID, SCHEMA_VERSION, dora_tui_schema(path.parent))


# -- 3. another program's file is refused and left byte-for-byte alone ---------------------------


def _tables_named_like_ours(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE incidents (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("CREATE TABLE tickets (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO incidents (body) VALUES ('the owner''s row')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def _version_minus_one(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = -1")
    conn.commit()
    conn.close()


def _an_app_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1179602244")
    conn.execute("PRAGMA user_version = 7")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('mine')")
    conn.commit()
    conn.close()


def _an_app_database_in_wal_mode(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('mine')")
    conn.commit()
    conn.close()


def _a_text_file(path: Path) -> None:
    path.write_text("id,name\n1,not a database at all\n" * 50)


def _a_newer_dora_tui(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute("CREATE TABLE future (x)")
    conn.commit()
    conn.close()


FOREIGN = {
    "tables named incidents and tickets, user_version 1": (_tables_named_like_ours, "not a dora-tui database"),
    "user_version -1": (_version_minus_one, "not a dora-tui database"),
    "another application's database": (_an_app_database, "not a dora-tui database"),
    "another application's database in WAL mode": (_an_app_database_in_wal_mode, "not a dora-tui database"),
    "a text file": (_a_text_file, "not a dora-tui database"),
    "a newer dora-tui's database": (_a_newer_dora_tui, "written by a newer dora-tui"),
}


@pytest.mark.parametrize("kind", FOREIGN)
def test_a_file_that_is_not_ours_is_refused_and_left_byte_for_byte(ws: Path, kind: str, capsys) -> None:
    make, message = FOREIGN[kind]
    make(ws / "dora.db")
    before = snapshot(ws)
    for args in COMMANDS:
        capsys.readouterr()
        assert main(list(args)) == 2, args
        line = one_error_line(capsys.readouterr().err)
        assert line.startswith(f"dora-tui: error: {ws / 'dora.db'}: {message}"), (args, line)
        assert snapshot(ws) == before, args


def test_the_dashboard_refuses_a_foreign_file_too(ws: Path) -> None:
    from dora_tui.config.settings import load_file
    from dora_tui.errors import StoreError
    from dora_tui.tui.facade.dashboard import Dashboard

    _tables_named_like_ours(ws / "dora.db")
    before = snapshot(ws)
    with pytest.raises(StoreError, match="not a dora-tui database"):
        Dashboard(load_file(ws / "dora.toml")).needs_collect()
    assert snapshot(ws) == before


@pytest.mark.parametrize("version", [1, 2])
def test_an_earlier_dora_tui_database_is_recognised_upgraded_and_marked(ws: Path, version: int) -> None:
    earlier_database(ws / "dora.db", version)
    assert main(["collect"]) == 0
    assert schema(ws / "dora.db") == (APPLICATION_ID, SCHEMA_VERSION, dora_tui_schema(ws))
    assert main(["import", "incidents", "pd.csv"]) == 0
    conn = sqlite3.connect(ws / "dora.db")
    assert sorted(r[0] for r in conn.execute("SELECT id FROM incidents")) == ["OLD", "P0", "P1"]
    conn.close()


def test_report_upgrades_an_earlier_database_where_it_can_write(ws: Path, capsys) -> None:
    earlier_database(ws / "dora.db", 1)
    assert main(["report", "--as-of", "2024-09-30"]) == 0
    assert '"unmapped_incidents": 0' in capsys.readouterr().out
    assert schema(ws / "dora.db") == (APPLICATION_ID, SCHEMA_VERSION, dora_tui_schema(ws))


@pytest.mark.parametrize("empty", ["zero bytes", "an SQLite file with nothing in it"])
def test_an_empty_file_is_taken_as_a_new_database(ws: Path, empty: str) -> None:
    path = ws / "dora.db"
    if empty == "zero bytes":
        path.write_bytes(b"")
    else:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE scratch (x)")
        conn.execute("DROP TABLE scratch")
        conn.commit()
        conn.close()
        assert path.stat().st_size > 0
    assert main(["collect"]) == 0
    assert schema(path) == (APPLICATION_ID, SCHEMA_VERSION, dora_tui_schema(path.parent))


# -- 11. messages that say what happened --------------------------------------------------------


def test_a_database_path_that_is_a_folder_names_the_config_key(tmp_path: Path, capsys) -> None:
    ws = workspace(tmp_path, database="data")
    (ws / "data").mkdir()
    for args in COMMANDS:
        capsys.readouterr()
        assert main(list(args)) == 2, args
        line = one_error_line(capsys.readouterr().err)
        assert line == f"dora-tui: error: {ws / 'dora.toml'}: database: {ws / 'data'} is a folder, not a database file"
    assert list((ws / "data").iterdir()) == []


def _read_only_prefix() -> tuple[str, ...]:
    """How to run a command that a folder's missing write permission stops: as root, without the
    capability that lets root write anywhere (``setpriv``, util-linux)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, and no setpriv to drop root's right to write into a read-only folder")
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search", "--")


@pytest.fixture
def read_only(tmp_path: Path):
    """Make folders read-only for the test (and writable again after it, for the clean-up)."""
    prefix = _read_only_prefix()
    made: list[Path] = []

    def lock(folder: Path) -> tuple[str, ...]:
        folder.chmod(0o555)
        made.append(folder)
        return prefix

    yield lock
    for folder in made:
        folder.chmod(0o755)


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
async def test_r_meeting_a_command_line_collect_says_another_dora_tui_is_writing(ws: Path, monkeypatch) -> None:
    assert main(["collect"]) == 0
    monkeypatch.setattr("dora_tui.store.database.BUSY_TIMEOUT_MS", 200)  # how long the dashboard waits for the lock
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
