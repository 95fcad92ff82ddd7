"""What every group of queries shares: the connection, the file's path, sqlite-utils over the
same connection, and the WHERE clause of the reads by names and times."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from collectors.calendar import MAX_TIME, MIN_TIME

if TYPE_CHECKING:
    import sqlite_utils


CALENDAR = (MIN_TIME, MAX_TIME)
"""The epoch seconds a time column may hold: the years 1 to 9999 but their first and last
day, the times Python can show as a date in any time zone (the first second of the year 1,
Go's zero time and .NET's ``DateTime.MinValue``, is the year 0 an hour west of UTC), as an
import keeps them (:mod:`collectors.calendar`). A value outside them
was put there by another program."""


def not_its_type(table: str, column: str, value: object, belongs: str) -> str:
    """How a damaged value is said: ``table.column holds 'x' where a whole number belongs``
    (``holds nothing`` for a NULL)."""
    return f"{table}.{column} holds {'nothing' if value is None else repr(value)} where {belongs} belongs"


def outside_calendar(table: str, column: str, value: object) -> str:
    """How a time outside :data:`CALENDAR` is said: ``table.column holds 1796676873000, a time
    at or beyond the ends of the years 1 to 9999``."""
    return f"{table}.{column} holds {value!r}, a time at or beyond the ends of the years 1 to 9999"


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
