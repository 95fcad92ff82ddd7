"""When a collect or an import happened: the age of the data the dashboard shows."""

from __future__ import annotations

from dora_tui.errors import StoreError
from dora_tui.store.errors import translate_errors
from dora_tui.store.queries.base import CALENDAR, Queries, not_its_type, outside_calendar


@translate_errors
class EventQueries(Queries):
    """The ``events`` table."""

    def log_event(self, time: int, kind: str, detail: str = "") -> None:
        """Record that a collect or import happened (shown as the data's age)."""
        self.conn.execute("INSERT INTO events (time, kind, detail) VALUES (?, ?, ?)", [time, kind, detail])

    def generation(self) -> int:
        """Which state of the database this is: every collect and import logs its event in the
        transaction that writes its rows, so two snapshots with the same generation hold the
        same rows (the site checks that its figures and its rows are of one state)."""
        return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])

    def happened(self, kind: str) -> bool:
        """Whether a collect or an import (``kind``) was ever logged, whatever its time holds."""
        return bool(self.conn.execute("SELECT EXISTS (SELECT 1 FROM events WHERE kind = ?)", [kind]).fetchone()[0])

    def last_event(self, kind: str | None = None) -> int | None:
        """The time of the latest collect or import (of ``kind``): the one logged last, whatever
        another program wrote in an earlier one's time; None when there is none.

        Raises StoreError ``damaged`` when that time is not a whole number within the years 1
        to 9999 (:data:`~dora_tui.store.queries.base.CALENDAR`), as every reader of a damaged
        value does."""
        sql = "SELECT time FROM events" + (" WHERE kind = ?" if kind else "") + " ORDER BY id DESC LIMIT 1"
        row = self.conn.execute(sql, [kind] if kind else []).fetchone()
        if row is None or row[0] is None:
            return None
        value = row[0]
        if isinstance(value, int) and CALENDAR[0] <= value <= CALENDAR[1]:
            return value
        said = (
            outside_calendar("events", "time", value)
            if isinstance(value, int)
            else not_its_type("events", "time", value, "a whole number")
        )
        raise StoreError("damaged", self.path, f"the file was changed by another program: {said}")
