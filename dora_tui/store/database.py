"""The SQLite store, :class:`Store`: the only part of dora-tui that speaks SQL.

One file, WAL mode (the dashboard reads while ``collect`` writes), a schema version with
forward migrations (:mod:`dora_tui.store.schema`) run in one write transaction, and a file
that is not a dora-tui database (another program's, a newer dora-tui's) refused and left
unchanged (:mod:`dora_tui.store.opening`). Every collect and import runs inside
:meth:`Store.atomic`: interrupted, it leaves the previous state intact. Queries, grouped by
table in :mod:`dora_tui.store.queries`, return the records of :mod:`collectors.records`.

The store talks to its ``sqlite3`` connection directly for queries, bulk writes and
transactions, and hands the same connection to sqlite-utils (``Store.db``) for its table
helpers.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from dora_tui import outcomes
from dora_tui.errors import StoreError
from dora_tui.store import opening
from dora_tui.store.errors import error_for, translate_errors
from dora_tui.store.queries.base import CALENDAR, not_its_type, outside_calendar
from dora_tui.store.queries.deployments import DeploymentQueries
from dora_tui.store.queries.events import EventQueries
from dora_tui.store.queries.incidents import IncidentQueries
from dora_tui.store.queries.repos import RepoQueries, RepoState
from dora_tui.store.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = ["BUSY_TIMEOUT_MS", "MIGRATIONS", "SCHEMA_VERSION", "RepoState", "Store"]

ALWAYS_WRITTEN = {"changes": ("commit_time", "deploy_time", "lead_time_s", "negative")}
"""Columns dora-tui fills in every row it writes, the figures computed from them: nothing there
was left by another program (:meth:`Store.misplaced_value`)."""
BUSY_TIMEOUT_MS = 5000  # how long a writer waits for another (the dashboard's re-collect, say)


@translate_errors
class Store(RepoQueries, DeploymentQueries, IncidentQueries, EventQueries):
    """A dora-tui database. Open with :meth:`open`; use :meth:`atomic` around every write.

    Every public method raises :class:`dora_tui.errors.StoreError` (busy, disk full, ...),
    never ``sqlite3.Error`` (:mod:`dora_tui.store.errors`).
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        super().__init__(conn, path)
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
            conn = opening.connect_readonly(path, busy_timeout_ms=timeout)
        else:
            conn = opening.connect(path, create=create, busy_timeout_ms=timeout)
        return cls(conn, path)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read transaction: every read inside sees the database as it was when it began,
        whatever another process commits meanwhile (WAL mode), so that figures and the rows
        behind them agree. Inside a transaction already (an outer snapshot, a write), it is
        that one."""
        conn = self.conn
        if conn.in_transaction:
            yield
            return
        try:
            conn.execute("BEGIN")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot is taken at the first read
        except sqlite3.Error as exc:
            raise error_for(exc, self.path) from exc
        try:
            yield
        finally:
            if self.conn.in_transaction:  # (an error may have ended it)
                with contextlib.suppress(sqlite3.Error):  # it only read: nothing to undo, and no error to hide
                    conn.execute("ROLLBACK")

    @contextlib.contextmanager
    def read_as_written(self) -> Iterator[None]:
        """Reading rows and computing from them: see :func:`damage_said`."""
        with damage_said(self.path, self):
            yield

    def misplaced_value(self) -> str | None:
        """The first value found that is not of its column's type as dora-tui writes it (a text,
        a real or a blob in an ``INTEGER`` column; a blob in a ``TEXT`` one; nothing in a column
        it always fills, :data:`ALWAYS_WRITTEN`), or a time (a column
        named ``..._at`` or ``...time``) outside :data:`CALENDAR`, as ``table.column holds ...``;
        None when there is none."""
        wrong = {"INTEGER": ("'integer', 'null'", "a whole number"), "TEXT": ("'text', 'null'", "a text")}
        written = {"INTEGER": ("'integer'", "a whole number"), "TEXT": ("'text'", "a text")}
        tables = [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            if table.startswith("sqlite_"):
                continue
            for column, declared in self.conn.execute("SELECT name, type FROM pragma_table_info(?)", [table]):
                if declared.upper() not in wrong:
                    continue
                kinds, belongs = (written if column in ALWAYS_WRITTEN.get(table, ()) else wrong)[declared.upper()]
                name, where = _quoted(column), _quoted(table)
                sql = f"SELECT {name} FROM {where} WHERE typeof({name}) NOT IN ({kinds}) LIMIT 1"
                row = self.conn.execute(sql).fetchone()
                if row is not None:
                    return not_its_type(table, column, row[0], belongs)
                if declared.upper() == "INTEGER" and (column.endswith("_at") or column.endswith("time")):
                    sql = f"SELECT {name} FROM {where} WHERE {name} NOT BETWEEN ? AND ? LIMIT 1"
                    row = self.conn.execute(sql, CALENDAR).fetchone()
                    if row is not None:
                        return outside_calendar(table, column, row[0])
        return None

    @contextlib.contextmanager
    def atomic(self, what: str = "") -> Iterator[Store]:
        """One write transaction: everything inside is written, or nothing is.

        It takes the write lock at once (``BEGIN IMMEDIATE``), waiting for another writer up
        to the busy timeout: a transaction that read first and wrote later would fail at once
        had another process committed in between. Nested, a savepoint: an error undoes the
        inner block (and, unless caught, the outer one). The rules of sqlite-utils' ``atomic()``,
        without importing it.

        ``what`` says what a top-level transaction writes ("the import of 48 incidents from
        pd.csv"); :mod:`dora_tui.outcomes` records whether it was committed, so that Ctrl-C
        says what is stored. An interrupt can land between any two lines, the one after
        ``COMMIT`` included: there the transaction is over though nothing marked it yet, and
        the handler below marks it.
        """
        conn, depth = self.conn, self._depth
        try:
            nested = conn.in_transaction
            outcome = None if nested else outcomes.begin(what)
            conn.execute(f"SAVEPOINT s{depth}" if nested else "BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise error_for(exc, self.path) from exc
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
                raise error_for(exc, self.path) from exc
            raise
        finally:
            self._depth -= 1


@contextlib.contextmanager
def damage_said(path: Path | str, store: Store | None = None) -> Iterator[None]:
    """Reading rows and computing from them (in any process): where that fails with a
    ``TypeError``, a ``ValueError`` or an ``OverflowError`` and a value in the database at ``path`` is not of its
    column's type (:meth:`Store.misplaced_value`; SQLite keeps any value in any column: the
    file was changed by another program), the failure is :class:`StoreError` ``damaged``
    naming the table, the column and the value; otherwise it is raised as it came (a bug).
    The file is looked at through ``store``, else a connection of its own."""
    try:
        yield
    except (TypeError, ValueError, OverflowError):  # OverflowError: a time a time zone cannot show
        looking = store or Store.open(path, readonly=True)
        try:
            found = looking.misplaced_value()
        finally:
            if store is None:
                looking.close()
        if found is None:
            raise
        raise StoreError("damaged", path, f"the file was changed by another program: {found}") from None


def _quoted(name: str) -> str:
    """``name`` as an SQL identifier, whatever it holds."""
    return '"' + name.replace('"', '""') + '"'
