"""Real workspaces and database files for the store's tests, and how a user looks at them.

- :func:`workspace`: a tiny workspace (a PagerDuty export, ``dora.toml``, a repository with a tag);
- :func:`dora` and :func:`start`: the installed ``dora-tui`` run as a user would;
- :func:`snapshot`: the bytes of a database file and its ``-wal``/``-shm``/``-journal`` files;
- :func:`schema` and :func:`dora_tui_schema`: a file's marker, version and tables, and this
  dora-tui's own;
- :func:`earlier_database`: a database as an earlier dora-tui wrote it (no marker).
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

from dora_tui.store import MIGRATIONS, Store
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
