"""dora-tui's schema: its tables, the migrations that make each version from the one before,
and what a dora-tui file is recognised by.

A dora-tui database carries SQLite's own marker, ``PRAGMA application_id`` =
:data:`APPLICATION_ID` (the ASCII letters "DORA"), and its schema version in ``PRAGMA
user_version``. Files written before the marker existed (schema versions
:data:`UNMARKED_VERSIONS`) are recognised by their tables instead: exactly those the
migrations make, with the same columns (:func:`has_tables_of`).

The migrations run in :func:`dora_tui.store.opening.migrate`, all in one write transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from functools import cache

APPLICATION_ID = int.from_bytes(b"DORA", "big")  # 0x444F5241: PRAGMA application_id of our files
UNMARKED_VERSIONS = (1, 2)  # schema versions that earlier dora-tui wrote without the marker


def migrate_to_1(conn: sqlite3.Connection) -> None:
    """The first schema: repositories, commits, deployments, changes, incidents, tickets, events."""
    # One statement at a time: executescript() would commit the migration's transaction.
    for statement in """
    CREATE TABLE IF NOT EXISTS repos (
        id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, fingerprint TEXT, settings TEXT,
        prefixes TEXT, shallow INTEGER DEFAULT 0,
        collected_at INTEGER, skipped_tags TEXT DEFAULT '');
    CREATE TABLE IF NOT EXISTS commits (
        repo INTEGER NOT NULL, sha TEXT NOT NULL, parents TEXT NOT NULL,
        author_time INTEGER, committer_time INTEGER, author TEXT, subject TEXT, touches TEXT,
        PRIMARY KEY (repo, sha)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS deployments (
        service TEXT NOT NULL, name TEXT NOT NULL, time INTEGER NOT NULL, sha TEXT, message TEXT,
        source TEXT NOT NULL, baseline INTEGER DEFAULT 0, rework INTEGER DEFAULT 0,
        PRIMARY KEY (service, name));
    CREATE INDEX IF NOT EXISTS deployments_time ON deployments (service, time);
    CREATE TABLE IF NOT EXISTS changes (
        service TEXT NOT NULL, sha TEXT NOT NULL, deployment TEXT NOT NULL, repo INTEGER,
        commit_time INTEGER, deploy_time INTEGER, lead_time_s INTEGER, negative INTEGER DEFAULT 0,
        PRIMARY KEY (service, sha));
    CREATE TABLE IF NOT EXISTS incidents (
        source TEXT NOT NULL, id TEXT NOT NULL, service TEXT, raw_service TEXT, team TEXT,
        opened_at INTEGER NOT NULL, resolved_at INTEGER, severity TEXT, title TEXT, reference TEXT,
        PRIMARY KEY (source, id));
    CREATE TABLE IF NOT EXISTS tickets (
        source TEXT NOT NULL, key TEXT NOT NULL, team TEXT, raw_team TEXT, service TEXT,
        type TEXT, status TEXT, labels TEXT, title TEXT, created_at INTEGER NOT NULL,
        resolved_at INTEGER, unplanned INTEGER DEFAULT 0, PRIMARY KEY (source, key));
    CREATE TABLE IF NOT EXISTS events (
        id INTEGER PRIMARY KEY, time INTEGER NOT NULL, kind TEXT NOT NULL, detail TEXT);
    """.split(";")[:-1]:
        conn.execute(statement)


def migrate_to_2(conn: sqlite3.Connection) -> None:
    """Incidents and tickets keyed by (source, id) alone: one B-tree each instead of a table
    plus an index of its key, a third less work per imported row. Rows are copied as they are;
    a table already keyed so is left as it is."""
    for table in ("incidents", "tickets"):
        # sqlite_master keeps each CREATE TABLE as written, minus "IF NOT EXISTS".
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
        if sql.rstrip().upper().endswith("WITHOUT ROWID"):
            continue
        conn.execute(sql.replace(f"CREATE TABLE {table}", f"CREATE TABLE {table}_v2", 1) + " WITHOUT ROWID")
        conn.execute(f"INSERT INTO {table}_v2 SELECT * FROM {table}")
        conn.execute(f"DROP TABLE {table}")
        conn.execute(f"ALTER TABLE {table}_v2 RENAME TO {table}")


def migrate_to_3(conn: sqlite3.Connection) -> None:
    """Deployments say whether they count and which commit they carried.

    ``counted``: 1 for the deployments of a service's one source of truth (its tags, or its
    imported deployments), 0 for the others, kept but not counted. ``commit_sha``: the commit
    an imported deployment's ``sha`` (a sha, a prefix, a tag's name) names in the service's
    repository, found by ``collect``; ``''`` when it names none, NULL before a collect has
    looked. ``rollback_of``: the deployment a rollback undid (``''`` for any other). ``dated``: 0 when
    the export does not say when it happened (its time is a placement). Existing
    rows count, as before; a column already there is left as it is.
    """
    columns = {r[0] for r in conn.execute("SELECT name FROM pragma_table_info('deployments')")}
    if "counted" not in columns:
        conn.execute("ALTER TABLE deployments ADD COLUMN counted INTEGER NOT NULL DEFAULT 1")
    if "commit_sha" not in columns:
        conn.execute("ALTER TABLE deployments ADD COLUMN commit_sha TEXT")
    if "rollback_of" not in columns:
        conn.execute("ALTER TABLE deployments ADD COLUMN rollback_of TEXT NOT NULL DEFAULT ''")
    if "dated" not in columns:
        conn.execute("ALTER TABLE deployments ADD COLUMN dated INTEGER NOT NULL DEFAULT 1")


MIGRATIONS: Mapping[int, Callable[[sqlite3.Connection], None]] = {0: migrate_to_1, 1: migrate_to_2, 2: migrate_to_3}
"""Forward migrations: ``MIGRATIONS[n]`` brings a database from schema version n to n + 1.

Each is safe to meet a schema it already made (another dora-tui may have made it meanwhile).
"""

SCHEMA_VERSION = len(MIGRATIONS)
"""The schema version this dora-tui writes: the latest."""


def table_names(conn: sqlite3.Connection) -> list[str]:
    """Every table on ``conn`` but SQLite's own (``sqlite_*``)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
    ]


def tables(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    """Every table on ``conn`` (``sqlite_*`` ones aside) with its column names in order."""
    return {
        name: tuple(r[0] for r in conn.execute("SELECT name FROM pragma_table_info(?)", [name]))
        for name in table_names(conn)
    }


def has_tables_of(conn: sqlite3.Connection, version: int) -> bool:
    """True when the tables on ``conn`` and their columns are exactly those of schema ``version``
    (the names first: another program's tables are never asked for their columns)."""
    expected = tables_of(version)
    return sorted(table_names(conn)) == sorted(expected) and tables(conn) == expected


@cache
def tables_of(version: int) -> dict[str, tuple[str, ...]]:
    """The tables and columns of schema ``version``, as its migrations make them (in memory)."""
    conn = sqlite3.connect(":memory:")
    try:
        for step in range(version):
            MIGRATIONS[step](conn)
        return tables(conn)
    finally:
        conn.close()
