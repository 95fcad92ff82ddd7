"""The database file is dora-tui's before anything is written to it: two commands creating it at
once, another program's file, an earlier dora-tui's, an empty one, a folder.

Real files and real ``dora-tui`` processes: a user runs commands side by side, points the
config at the wrong file. Each test says what the user notices: the exit status, the one line
on stderr, the bytes of every file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dora_tui.cli import main
from dora_tui.store import MIGRATIONS, SCHEMA_VERSION, Store
from support.databases import (
    APPLICATION_ID,
    COMMANDS,
    dora_tui_schema,
    earlier_database,
    one_error_line,
    schema,
    snapshot,
    start,
    workspace,
)

# -- two commands creating a new database at once ----------------------------------------------

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
    for step in range(2):  # every migration that made it, met again
        MIGRATIONS[step](conn)
    conn.commit()
    conn.close()
    store = Store.open(path)
    assert [i.id for i in store.incidents()] == ["OLD"]
    store.close()
    assert schema(path) == (APPLICATION_ID, SCHEMA_VERSION, dora_tui_schema(path.parent))
    conn = sqlite3.connect(path)
    for step in range(SCHEMA_VERSION):  # and, on the upgraded file, every migration again
        MIGRATIONS[step](conn)
    conn.commit()
    conn.close()
    assert schema(path) == (APPLICATION_ID, SCHEMA_VERSION, dora_tui_schema(path.parent))


# -- another program's file is refused and left byte-for-byte alone -----------------------------


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
    from dora_tui.config import load_file
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


# -- messages that say what happened -----------------------------------------------------------


def test_a_database_path_that_is_a_folder_names_the_config_key(tmp_path: Path, capsys) -> None:
    ws = workspace(tmp_path, database="data")
    (ws / "data").mkdir()
    for args in COMMANDS:
        capsys.readouterr()
        assert main(list(args)) == 2, args
        line = one_error_line(capsys.readouterr().err)
        assert line == f"dora-tui: error: {ws / 'dora.toml'}: database: {ws / 'data'} is a folder, not a database file"
    assert list((ws / "data").iterdir()) == []
