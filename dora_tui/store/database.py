"""The SQLite store: the module that knows the schema and speaks SQL (with
:mod:`dora_tui.store.opening`, which opens the file).

One file, WAL mode (the dashboard reads while ``collect`` writes), a schema version with
forward migrations run in one write transaction, and a file that is not a dora-tui database
(another program's, a newer dora-tui's) refused and left unchanged; see :mod:`dora_tui.store.opening`.
Every collect and import runs inside :meth:`Store.atomic`: interrupted, it leaves the previous
state intact. Queries return the dataclasses of :mod:`collectors.records`.

The store talks to its ``sqlite3`` connection directly for queries, bulk writes and
transactions, and hands the same connection to sqlite-utils (:attr:`Store.db`) for its table
helpers. sqlite-utils is imported on first use of :attr:`Store.db`: importing it takes about
0.12 s (it loads click, dateutil and pluggy), more than a whole 50,000-row ``import`` spends
parsing, and a command that does not need it should not pay for it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from functools import cached_property
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from collectors.records import Change, Commit, Deployment, Incident, Ticket
from dora_tui.store import opening as store_open
from dora_tui.store import outcomes

if TYPE_CHECKING:
    import sqlite_utils

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 5000  # how long a writer waits for another (the dashboard's re-collect, say)
BATCH = 2000


def _migrate_to_1(conn: sqlite3.Connection) -> None:
    """The first schema: repositories, commits, deployments, changes, incidents, tickets."""
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


def _migrate_to_2(conn: sqlite3.Connection) -> None:
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


_INCIDENT_FIELDS = attrgetter(*(f.name for f in fields(Incident)))
_TICKET_FIELDS = attrgetter(*(f.name for f in fields(Ticket)))

# Forward migrations: MIGRATIONS[n] brings a database from version n to n + 1. Each is safe
# to meet a schema it already made (store_open.migrate runs them in one write transaction).
MIGRATIONS = {0: _migrate_to_1, 1: _migrate_to_2}  # len(MIGRATIONS) == SCHEMA_VERSION


@dataclass(frozen=True)
class RepoState:
    """What the store remembers of a repository from the last collect."""

    id: int
    path: str
    fingerprint: str
    settings: str
    prefixes: str
    shallow: bool
    collected_at: int | None
    skipped_tags: str


@store_open.translate_errors
class Store:
    """A dora-tui database. Open with :meth:`open`; use :meth:`atomic` around every write.

    Every public method raises :class:`dora_tui.errors.StoreError` (busy, disk full, ...),
    never ``sqlite3.Error``.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        self._depth = 0  # nested atomic() blocks

    @classmethod
    def open(
        cls, path: Path | str, *, create: bool = True, readonly: bool = False, busy_timeout_ms: int | None = None
    ) -> Store:
        """Open the dora-tui database at ``path``; raises :class:`dora_tui.errors.StoreError`.

        By default it is created when missing and upgraded when older (see
        :mod:`dora_tui.store.opening` for how a file is known to be ours before anything is written
        to it). ``create=False`` refuses a missing one; ``readonly`` opens a connection that
        cannot write (``report``, ``doctor``), which refuses a database that needs an upgrade.
        ``busy_timeout_ms`` is how long to wait for another writer (default BUSY_TIMEOUT_MS).
        """
        path = Path(path)
        timeout = BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
        if readonly:
            conn = store_open.connect_readonly(path, MIGRATIONS, busy_timeout_ms=timeout)
        else:
            conn = store_open.connect(path, MIGRATIONS, create=create, busy_timeout_ms=timeout)
        return cls(conn, path)

    @classmethod
    def memory(cls) -> Store:
        """An in-memory database (for tests and benchmarks)."""
        conn = sqlite3.connect(":memory:")
        store_open.migrate(conn, None, MIGRATIONS)
        return cls(conn, None)

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection (imported on first use, see the module docstring)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    @property
    def schema_version(self) -> int:
        """The schema version recorded in the file (0 for a new file)."""
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @contextlib.contextmanager
    def atomic(self, what: str = "") -> Iterator[Store]:
        """One write transaction: everything inside is written, or nothing is.

        It takes the write lock at once (``BEGIN IMMEDIATE``), waiting for another writer up
        to the busy timeout: a transaction that read first and wrote later would fail at once
        had another process committed in between. Nested, a savepoint: an error undoes the
        inner block (and, unless caught, the outer one). The rules of sqlite-utils' ``atomic()``,
        without importing it.

        ``what`` says what a top-level transaction writes ("the import of 48 incidents from
        pd.csv"); :mod:`dora_tui.store.outcomes` records whether it was committed, so that Ctrl-C
        says what is stored. An interrupt can land between any two lines, the one after
        ``COMMIT`` included: there the transaction is over though nothing marked it yet, and
        the handler below marks it.
        """
        conn, depth = self.conn, self._depth
        nested = conn.in_transaction
        outcome = None if nested else outcomes.begin(what)
        try:
            conn.execute(f"SAVEPOINT s{depth}" if nested else "BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise store_open.error_for(exc, self.path) from exc
        self._depth += 1
        ending = False
        try:
            yield self
            ending = True
            conn.execute(f"RELEASE s{depth}" if nested else "COMMIT")
            if outcome is not None:
                outcome.committed = True
        except BaseException as exc:
            if conn.in_transaction:  # an error may have ended the transaction already
                conn.execute(f"ROLLBACK TO s{depth}" if nested else "ROLLBACK")
                if nested:
                    conn.execute(f"RELEASE s{depth}")
            elif outcome is not None and ending and not isinstance(exc, sqlite3.Error):
                outcome.committed = True  # COMMIT went through; the interrupt came just after
            if isinstance(exc, sqlite3.Error):
                raise store_open.error_for(exc, self.path) from exc
            raise
        finally:
            self._depth -= 1

    # -- repositories and commits -------------------------------------------------------

    def repo_state(self, path: str) -> RepoState | None:
        """What was recorded for the repository at ``path``, or None."""
        row = self.conn.execute(
            "SELECT id, path, fingerprint, settings, prefixes, shallow, collected_at,"
            " skipped_tags FROM repos WHERE path = ?",
            [path],
        ).fetchone()
        if row is None:
            return None
        return RepoState(row[0], row[1], row[2] or "", row[3] or "", row[4] or "", bool(row[5]), row[6], row[7] or "")

    def ensure_repo(self, path: str) -> RepoState:
        """The repository's state, creating an empty record the first time."""
        state = self.repo_state(path)
        if state is None:
            self.db["repos"].insert({"path": path})
            state = self.repo_state(path)
        assert state is not None
        return state

    def forget_commits(self, repo: int) -> None:
        """Drop every commit read from a repository (``--full``, or a changed path set)."""
        self.conn.execute("DELETE FROM commits WHERE repo = ?", [repo])
        self.conn.execute("UPDATE repos SET fingerprint = '' WHERE id = ?", [repo])

    def known_commits(self, repo: int, shas: Iterable[str]) -> set[str]:
        """The subset of ``shas`` already stored for ``repo``."""
        shas = list(shas)
        found: set[str] = set()
        for i in range(0, len(shas), 500):
            part = shas[i : i + 500]
            marks = ",".join("?" * len(part))
            found.update(
                r[0]
                for r in self.conn.execute(
                    f"SELECT sha FROM commits WHERE repo = ? AND sha IN ({marks})", [repo, *part]
                )
            )
        return found

    def add_commits(self, repo: int, commits: Iterable[Commit]) -> int:
        """Store commits as they stream in (in batches, while git is still walking); returns how many.

        A commit already stored keeps its row.
        """
        sql = (
            "INSERT OR IGNORE INTO commits (repo, sha, parents, author_time, committer_time,"
            " author, subject, touches) VALUES (?,?,?,?,?,?,?,?)"
        )
        batch: list[tuple] = []
        count = 0
        for c in commits:
            batch.append(
                (
                    repo,
                    c.sha,
                    " ".join(c.parents),
                    c.author_time,
                    c.committer_time,
                    c.author,
                    c.subject,
                    "\x1f".join(c.touches) if c.touches is not None else None,
                )
            )
            if len(batch) >= BATCH:
                self.conn.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        self.conn.executemany(sql, batch)
        return count + len(batch)

    def commit_count(self, repo: int) -> int:
        """How many commits of ``repo`` are stored."""
        return int(self.conn.execute("SELECT count(*) FROM commits WHERE repo = ?", [repo]).fetchone()[0])

    def graph(self, repo: int) -> list[tuple[str, str, int, int, str | None]]:
        """(sha, parents, author_time, committer_time, touches) of every stored commit, in no order."""
        return self.conn.execute(
            "SELECT sha, parents, author_time, committer_time, touches FROM commits WHERE repo = ?", [repo]
        ).fetchall()

    def save_repo_state(
        self,
        repo: int,
        *,
        fingerprint: str,
        settings: str,
        prefixes: str,
        shallow: bool,
        collected_at: int,
        skipped_tags: Sequence[str],
    ) -> None:
        """Record what this collect saw, so the next one can skip an unchanged repository."""
        self.db["repos"].update(
            repo,
            {
                "fingerprint": fingerprint,
                "settings": settings,
                "prefixes": prefixes,
                "shallow": int(shallow),
                "collected_at": collected_at,
                "skipped_tags": "\n".join(skipped_tags),
            },
        )

    def repositories(self) -> list[RepoState]:
        """Every repository collected so far."""
        ids = [r[0] for r in self.conn.execute("SELECT path FROM repos ORDER BY path")]
        return [state for path in ids if (state := self.repo_state(path)) is not None]

    def shallow_repositories(self) -> list[str]:
        """Paths of repositories that were shallow clones when last collected."""
        return [r[0] for r in self.conn.execute("SELECT path FROM repos WHERE shallow ORDER BY path")]

    # -- deployments and changes --------------------------------------------------------

    def replace_git_rows(
        self, service: str, deployments: Sequence[Deployment], changes: Sequence[Change], repo: int
    ) -> list[str]:
        """Replace a service's mined deployments and changes with freshly computed ones.

        Returns the names of imported deployments that a tag of the same name replaced.
        """
        self.conn.execute("DELETE FROM deployments WHERE service = ? AND source = 'git'", [service])
        imported = {r[0] for r in self.conn.execute("SELECT name FROM deployments WHERE service = ?", [service])}
        self.conn.execute("DELETE FROM changes WHERE service = ?", [service])
        self.conn.executemany(
            "INSERT OR REPLACE INTO deployments (service, name, time, sha, message, source, baseline,"
            " rework) VALUES (?,?,?,?,?,?,?,?)",
            [
                (d.service, d.name, d.time, d.sha, d.message, d.source, int(d.baseline), int(d.rework))
                for d in deployments
            ],
        )
        self.conn.executemany(
            "INSERT OR REPLACE INTO changes (service, sha, deployment, repo, commit_time, deploy_time,"
            " lead_time_s, negative) VALUES (?,?,?,?,?,?,?,?)",
            sorted(
                (c.service, c.sha, c.deployment, repo, c.commit_time, c.deploy_time, c.lead_time_s, int(c.negative))
                for c in changes
            ),
        )
        return sorted(imported & {d.name for d in deployments})

    def deployments(
        self, services: Sequence[str] | None = None, *, since: int | None = None, until: int | None = None
    ) -> list[Deployment]:
        """Deployments of ``services`` (all when None), oldest first, optionally within [since, until)."""
        sql, args = _where(services, "service", since, until, "time")
        return [
            Deployment(r[0], r[1], r[2], r[3] or "", r[4] or "", r[5], bool(r[6]), bool(r[7]))
            for r in self.conn.execute(
                "SELECT service, name, time, sha, message, source, baseline, rework FROM deployments"
                f"{sql} ORDER BY time, name",
                args,
            )
        ]

    def deployment_rows(self, *, until: int) -> list[tuple[str, str, int, str, int]]:
        """(service, name, time, sha, rework) of every deployment before ``until``, by service and time.

        The light form the report needs for 100,000 deployments; :meth:`deployments` gives objects.
        """
        return self.conn.execute(
            "SELECT service, name, time, sha, rework FROM deployments WHERE time < ? ORDER BY service, time, name",
            [until],
        ).fetchall()

    def ticket_rows(self, *, since: int, until: int) -> list[tuple[str | None, str | None, int, int]]:
        """(service, team, resolved_at, unplanned) of tickets resolved within [since, until)."""
        return self.conn.execute(
            "SELECT service, team, resolved_at, unplanned FROM tickets WHERE resolved_at >= ? AND resolved_at < ?",
            [since, until],
        ).fetchall()

    def changes(
        self,
        services: Sequence[str] | None = None,
        *,
        since: int | None = None,
        until: int | None = None,
        deployment: str | None = None,
    ) -> list[Change]:
        """Changes of ``services`` deployed within [since, until), with their commits' author and subject."""
        sql, args = _where(services, "c.service", since, until, "c.deploy_time")
        if deployment is not None:
            sql += (" AND" if sql else " WHERE") + " c.deployment = ?"
            args.append(deployment)
        return [
            Change(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "", r[7] or "", bool(r[8]))
            for r in self.conn.execute(
                "SELECT c.service, c.sha, c.deployment, c.commit_time, c.deploy_time, c.lead_time_s,"
                " m.author, m.subject, c.negative FROM changes c"
                " LEFT JOIN commits m ON m.repo = c.repo AND m.sha = c.sha"
                f"{sql} ORDER BY c.deploy_time, c.commit_time",
                args,
            )
        ]

    def lead_times(
        self, services: Sequence[str] | None = None, *, since: int | None = None, until: int | None = None
    ) -> list[tuple[str, int, int]]:
        """(service, deploy_time, lead_time_s) of changes: the light form the metrics need."""
        sql, args = _where(services, "service", since, until, "deploy_time")
        return self.conn.execute(f"SELECT service, deploy_time, lead_time_s FROM changes{sql}", args).fetchall()

    def negative_lead_time_counts(self) -> dict[str, int]:
        """Per service, how many changes had a commit time after their deployment."""
        return dict(
            self.conn.execute(
                "SELECT service, count(*) FROM changes WHERE negative GROUP BY service ORDER BY service"
            ).fetchall()
        )

    def negative_lead_times(self) -> int:
        """How many stored changes had a commit time after their deployment (clock skew)."""
        return int(self.conn.execute("SELECT count(*) FROM changes WHERE negative").fetchone()[0])

    # -- incidents and tickets ----------------------------------------------------------

    def incidents(self, services: Sequence[str] | None = None) -> list[Incident]:
        """Incidents of ``services`` (all, unmapped included, when None), oldest first."""
        sql, args = _where(services, "service", None, None, "")
        return [
            Incident(r[0], r[1], r[2], r[3], r[4], r[5] or "", r[6], r[7] or "", r[8] or "", r[9] or "")
            for r in self.conn.execute(
                "SELECT source, id, opened_at, resolved_at, service, raw_service, team, severity,"
                f" title, reference FROM incidents{sql} ORDER BY opened_at, id",
                args,
            )
        ]

    def has_deployment(self, service: str, name: str) -> bool:
        """Whether ``service`` has a deployment called ``name``."""
        return (
            self.conn.execute("SELECT 1 FROM deployments WHERE service = ? AND name = ?", [service, name]).fetchone()
            is not None
        )

    def carriers(self, service: str, prefix: str) -> set[str]:
        """The deployments of ``service`` whose changes hold a commit whose sha starts with ``prefix``
        (lower-case hex digits): what :func:`dora_tui.core.attribution.resolve_references` asks."""
        return {
            r[0]
            for r in self.conn.execute(  # "g" sorts after every hex digit
                "SELECT deployment FROM changes WHERE service = ? AND sha >= ? AND sha < ?",
                [service, prefix, prefix + "g"],
            )
        }

    def tickets(self, teams: Sequence[str] | None = None) -> list[Ticket]:
        """Tickets of ``teams`` (all when None), oldest first."""
        sql, args = _where(teams, "team", None, None, "")
        return [
            Ticket(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5] or "",
                r[6],
                r[7] or "",
                r[8] or "",
                tuple(x for x in (r[9] or "").split("\x1f") if x),
                r[10] or "",
                bool(r[11]),
            )
            for r in self.conn.execute(
                "SELECT source, key, created_at, resolved_at, team, raw_team, service, type, status,"
                f" labels, title, unplanned FROM tickets{sql} ORDER BY created_at, key",
                args,
            )
        ]

    def upsert_incidents(self, rows: Iterable[Incident]) -> int:
        """Insert or update incidents on (source, id): a later export updates a resolution."""
        return self.upsert_incident_records(map(_INCIDENT_FIELDS, rows))

    def upsert_incident_records(self, records: Iterable[tuple]) -> int:
        """:meth:`upsert_incidents` of tuples of an Incident's fields in order (no object per row)."""
        cursor = self.conn.executemany(
            "INSERT INTO incidents (source, id, opened_at, resolved_at, service, raw_service, team,"
            " severity, title, reference) VALUES (?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT (source, id) DO UPDATE SET service = excluded.service,"
            " raw_service = excluded.raw_service, team = excluded.team, opened_at = excluded.opened_at,"
            " resolved_at = excluded.resolved_at, severity = excluded.severity, title = excluded.title,"
            " reference = excluded.reference",
            records,
        )
        return cursor.rowcount

    def upsert_tickets(self, rows: Iterable[Ticket]) -> int:
        """Insert or update tickets on (source, key)."""
        return self.upsert_ticket_records(map(_TICKET_FIELDS, rows))

    def upsert_ticket_records(self, records: Iterable[tuple]) -> int:
        """:meth:`upsert_tickets` of tuples of a Ticket's fields in order (no object per row)."""
        cursor = self.conn.executemany(
            "INSERT INTO tickets (source, key, created_at, resolved_at, team, raw_team, service, type,"
            " status, labels, title, unplanned) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT (source, key) DO UPDATE SET team = excluded.team, raw_team = excluded.raw_team,"
            " service = excluded.service, type = excluded.type, status = excluded.status,"
            " labels = excluded.labels, title = excluded.title, created_at = excluded.created_at,"
            " resolved_at = excluded.resolved_at, unplanned = excluded.unplanned",
            ((*r[:9], "\x1f".join(r[9]), r[10], int(r[11])) for r in records),
        )
        return cursor.rowcount

    def upsert_deployments(self, rows: Iterable[Deployment]) -> int:
        """Insert or update imported deployments on (service, name)."""
        data = [(d.service, d.name, d.time, d.sha, d.message, d.source, int(d.baseline), int(d.rework)) for d in rows]
        self.conn.executemany(
            "INSERT INTO deployments (service, name, time, sha, message, source, baseline, rework)"
            " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (service, name) DO UPDATE SET time = excluded.time,"
            " sha = excluded.sha, message = excluded.message, source = excluded.source,"
            " rework = excluded.rework",
            data,
        )
        return len(data)

    def unmapped_values(self, services: Sequence[str], teams: Sequence[str]) -> tuple[dict[str, int], dict[str, int]]:
        """Counts, by the file's value, of incidents with no configured service and tickets with
        no configured team (unmapped at import, or mapped to one since removed from the config)."""
        inc_sql, inc_args = _not_in("service", services)
        tic_sql, tic_args = _not_in("team", teams)
        inc = dict(
            self.conn.execute(
                "SELECT CASE WHEN service IS NULL THEN coalesce(raw_service, '') ELSE service END, count(*)"
                f" FROM incidents WHERE {inc_sql} GROUP BY 1 ORDER BY 2 DESC",
                inc_args,
            ).fetchall()
        )
        tic = dict(
            self.conn.execute(
                "SELECT CASE WHEN team IS NULL THEN coalesce(raw_team, '') ELSE team END, count(*)"
                f" FROM tickets WHERE {tic_sql} GROUP BY 1 ORDER BY 2 DESC",
                tic_args,
            ).fetchall()
        )
        return inc, tic

    def unmapped_counts(self, services: Sequence[str], teams: Sequence[str]) -> tuple[int, int]:
        """(incidents, tickets) stored without a configured service or team."""
        inc_sql, inc_args = _not_in("service", services)
        tic_sql, tic_args = _not_in("team", teams)
        inc = self.conn.execute(f"SELECT count(*) FROM incidents WHERE {inc_sql}", inc_args).fetchone()[0]
        tic = self.conn.execute(f"SELECT count(*) FROM tickets WHERE {tic_sql}", tic_args).fetchone()[0]
        return int(inc), int(tic)

    def git_deployment_names(self, service: str) -> set[str]:
        """The names of a service's deployments mined from git."""
        return {
            r[0]
            for r in self.conn.execute("SELECT name FROM deployments WHERE service = ? AND source = 'git'", [service])
        }

    # -- events -------------------------------------------------------------------------

    def log_event(self, time: int, kind: str, detail: str = "") -> None:
        """Record that a collect or import happened (shown as the data's age)."""
        self.conn.execute("INSERT INTO events (time, kind, detail) VALUES (?, ?, ?)", [time, kind, detail])

    def last_event(self, kind: str | None = None) -> int | None:
        """The time of the latest collect or import (of ``kind``), or None."""
        sql = "SELECT max(time) FROM events" + (" WHERE kind = ?" if kind else "")
        value = self.conn.execute(sql, [kind] if kind else []).fetchone()[0]
        return int(value) if value is not None else None


def _not_in(column: str, values: Sequence[str]) -> tuple[str, list[object]]:
    """A condition true where ``column`` is NULL or none of ``values``."""
    return f"({column} IS NULL OR {column} NOT IN ({','.join('?' * len(values))}))", list(values)


def _where(
    values: Sequence[str] | None, column: str, since: int | None, until: int | None, time_column: str
) -> tuple[str, list[object]]:
    clauses: list[str] = []
    args: list[object] = []
    if values is not None:
        clauses.append(f"{column} IN ({','.join('?' * len(values))})" if values else "0")
        args.extend(values)
    if since is not None:
        clauses.append(f"{time_column} >= ?")
        args.append(since)
    if until is not None:
        clauses.append(f"{time_column} < ?")
        args.append(until)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), args
