"""What every group of queries shares: the connection, the file's path, sqlite-utils over the
same connection, and the WHERE clause of the reads by names and times."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


class Queries:
    """A connection to the dora-tui database at ``path``, which the query groups read and write."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection, for its table helpers.

        sqlite-utils is imported here, on first use: importing it (it loads click, dateutil and
        pluggy) costs more than a whole large import spends parsing (measured in
        bench/README.md), and a command that does not need it should not pay for it.
        """
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)


def where(
    values: Sequence[str] | None, column: str, since: int | None, until: int | None, time_column: str
) -> tuple[str, list[object]]:
    """`` WHERE`` and its arguments: ``column`` one of ``values`` (any when None, none when empty)
    and ``time_column`` within [since, until) (either bound left out when None); '' for no condition."""
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
