"""When a collect or an import happened: the age of the data the dashboard shows."""

from __future__ import annotations

from dora_tui.errors import StoreError
from dora_tui.store.errors import translate_errors
from dora_tui.store.queries.base import Queries


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
        """The time of the latest collect or import (of ``kind``), or None."""
        sql = "SELECT max(time) FROM events" + (" WHERE kind = ?" if kind else "")
        value = self.conn.execute(sql, [kind] if kind else []).fetchone()[0]
        if value is None or isinstance(value, int):
            return value
        raise StoreError(
            "damaged",
            self.path,
            f"the file was changed by another program: events.time holds {value!r} where a whole number belongs",
        )
