"""Incidents and tickets, imported from CSV exports, and what in them no configured service or
team claims."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from operator import attrgetter

from collectors.records import Incident, Ticket
from dora_tui.store.errors import translate_errors
from dora_tui.store.queries.base import Queries, where

IncidentRecord = tuple[str, str, int, int | None, str | None, str, str | None, str, str, str]
"""An :class:`Incident`'s fields in order, as the CSV reader yields them (no object per row)."""
TicketRecord = tuple[str, str, int, int | None, str | None, str, str | None, str, str, tuple[str, ...], str, bool]
"""A :class:`Ticket`'s fields in order, as the CSV reader yields them (no object per row)."""

_INCIDENT_FIELDS = attrgetter(*(f.name for f in fields(Incident)))
_TICKET_FIELDS = attrgetter(*(f.name for f in fields(Ticket)))


@translate_errors
class IncidentQueries(Queries):
    """The ``incidents`` and ``tickets`` tables."""

    def incidents(self, services: Sequence[str] | None = None) -> list[Incident]:
        """Incidents of ``services`` (all, unmapped included, when None), oldest first."""
        sql, args = where(services, "service", None, None, "")
        return [
            Incident(r[0], r[1], r[2], r[3], r[4], r[5] or "", r[6], r[7] or "", r[8] or "", r[9] or "")
            for r in self.conn.execute(
                "SELECT source, id, opened_at, resolved_at, service, raw_service, team, severity,"
                f" title, reference FROM incidents{sql} ORDER BY opened_at, id",
                args,
            )
        ]

    def upsert_incidents(self, rows: Iterable[Incident]) -> int:
        """Insert or update incidents on (source, id): a later export updates a resolution."""
        return self.upsert_incident_records(map(_INCIDENT_FIELDS, rows))

    def upsert_incident_records(self, records: Iterable[IncidentRecord]) -> int:
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

    def tickets(
        self,
        teams: Sequence[str] | None = None,
        *,
        resolved_since: int | None = None,
        resolved_until: int | None = None,
    ) -> list[Ticket]:
        """Tickets of ``teams`` (all when None), oldest first; only those resolved within
        [resolved_since, resolved_until) when either is given."""
        sql, args = where(teams, "team", resolved_since, resolved_until, "resolved_at")
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

    def ticket_rows(self, *, since: int, until: int) -> list[tuple[str | None, str | None, int, int]]:
        """(service, team, resolved_at, unplanned) of tickets resolved within [since, until)."""
        return self.conn.execute(
            "SELECT service, team, resolved_at, unplanned FROM tickets WHERE resolved_at >= ? AND resolved_at < ?",
            [since, until],
        ).fetchall()

    def upsert_tickets(self, rows: Iterable[Ticket]) -> int:
        """Insert or update tickets on (source, key)."""
        return self.upsert_ticket_records(map(_TICKET_FIELDS, rows))

    def upsert_ticket_records(self, records: Iterable[TicketRecord]) -> int:
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


def _not_in(column: str, values: Sequence[str]) -> tuple[str, list[object]]:
    """A condition true where ``column`` is NULL or none of ``values``, and its arguments."""
    return f"({column} IS NULL OR {column} NOT IN ({','.join('?' * len(values))}))", list(values)
