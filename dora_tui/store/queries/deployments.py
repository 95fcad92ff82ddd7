"""Deployments and the changes they shipped: mined from git tags (``collect``) or imported
from a CSV export, and read back for the report and the dashboard."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import NamedTuple

from collectors.records import Change, Deployment
from dora_tui.store.errors import translate_errors
from dora_tui.store.queries.base import Queries, where

DeploymentFields = tuple[str, str, int, str, str, str, int, int, str, int]
"""A deployment's fields as stored, in the order of :class:`~collectors.records.Deployment`'s."""

_DEPLOYMENT_FIELDS = (
    "SELECT service, name, time, coalesce(nullif(commit_sha, ''), sha), coalesce(message, ''), source, baseline,"
    " rework, rollback_of, dated FROM deployments"
)


def deployment_of(r: DeploymentFields) -> Deployment:
    """The :class:`~collectors.records.Deployment` of a row of :meth:`DeploymentQueries.deployment_fields`."""
    return Deployment(r[0], r[1], r[2], r[3] or "", r[4], r[5], bool(r[6]), bool(r[7]), r[8], bool(r[9]))


class ChangeRow(NamedTuple):
    """A change as its row (:meth:`DeploymentQueries.change_rows`): the fields of
    :class:`~collectors.records.Change`, for a caller that reads tens of thousands at once (a
    named tuple costs a tenth of a frozen record to make)."""

    service: str
    sha: str
    deployment: str
    commit_time: int
    deploy_time: int
    lead_time_s: int
    author: str
    subject: str
    negative: int


_CHANGES = (
    "SELECT c.service, c.sha, c.deployment, c.commit_time, c.deploy_time, c.lead_time_s,"
    " coalesce(m.author, ''), coalesce(m.subject, ''), c.negative FROM changes c"
    " LEFT JOIN commits m ON m.repo = c.repo AND m.sha = c.sha"
)


@translate_errors
class DeploymentQueries(Queries):
    """The ``deployments`` and ``changes`` tables."""

    def replace_git_rows(
        self,
        service: str,
        deployments: Sequence[Deployment],
        changes: Sequence[Change],
        repo: int,
        *,
        counted: bool = True,
        carried: tuple[Iterable[str], Iterable[str], Iterable[int], Iterable[int]] | None = None,
    ) -> list[str]:
        """Replace a service's mined deployments and changes with freshly computed ones.

        With ``counted`` (its tags are its source of truth), its tags count and its imported
        deployments do not; a tag replaces an imported deployment of the same name, whose name
        is returned. Without, its tags are kept, not counted, beside its imported deployments
        (a tag of the same name as one of those is left out), and ``changes`` are theirs
        (:meth:`set_imported_commits` says which commits they carried). ``carried``, when given,
        holds the changes column by column (their shas, in order, deployments, commit times and
        deploy times; each change's lead time is worked out here, as
        :class:`~collectors.records.Change` has it), written instead of ``changes``.
        """
        self.conn.execute("DELETE FROM deployments WHERE service = ? AND source = 'git'", [service])
        imported = {r[0] for r in self.conn.execute("SELECT name FROM deployments WHERE service = ?", [service])}
        self.conn.execute("DELETE FROM changes WHERE service = ?", [service])
        self.conn.execute("UPDATE deployments SET counted = ? WHERE service = ?", [int(not counted), service])
        rows = [
            (d.service, d.name, d.time, d.sha, d.message, d.source, int(d.baseline), int(d.rework), int(counted))
            for d in deployments
            if counted or d.name not in imported
        ]
        self.conn.executemany(
            "INSERT OR REPLACE INTO deployments (service, name, time, sha, message, source, baseline,"
            " rework, counted) VALUES (?,?,?,?,?,?,?,?,?)",
            rows,
        )
        if carried is not None:
            self.conn.executemany(
                "INSERT OR REPLACE INTO changes (service, sha, deployment, repo, commit_time, deploy_time,"
                " lead_time_s, negative) VALUES (?1, ?2, ?3, ?4, ?5, ?6, max(?6 - ?5, 0), ?5 > ?6)",
                zip(repeat(service), carried[0], carried[1], repeat(repo), carried[2], carried[3]),
            )
        else:
            self.conn.executemany(
                "INSERT OR REPLACE INTO changes (service, sha, deployment, repo, commit_time, deploy_time,"
                " lead_time_s, negative) VALUES (?,?,?,?,?,?,?,?)",
                sorted(
                    (c.service, c.sha, c.deployment, repo, c.commit_time, c.deploy_time, c.lead_time_s, int(c.negative))
                    for c in changes
                ),
            )
        return sorted(imported & {d.name for d in deployments}) if counted else []

    def drop_tag_rows(self, service: str) -> None:
        """Forget a service's rows mined from its tags, deployments and changes: its imported
        deployments count instead (the next collect keeps its tags aside, and reads the changes
        of its imported deployments)."""
        self.conn.execute("DELETE FROM deployments WHERE service = ? AND source = 'git'", [service])
        self.conn.execute("DELETE FROM changes WHERE service = ?", [service])

    def imported_deployments(self, service: str) -> list[tuple[str, int, str]]:
        """(name, time, sha as imported) of a service's imported deployments, oldest first."""
        return self.conn.execute(
            "SELECT name, time, coalesce(sha, '') FROM deployments WHERE service = ? AND source != 'git'"
            " ORDER BY time, name",
            [service],
        ).fetchall()

    def imported_rework(self, service: str) -> list[tuple[str, str, bool]]:
        """(name, message, rework) of a service's imported deployments."""
        rows = self.conn.execute(
            "SELECT name, coalesce(message, ''), rework FROM deployments WHERE service = ? AND source != 'git'",
            [service],
        )
        return [(name, message, bool(rework)) for name, message, rework in rows]

    def set_rework(self, service: str, flags: Sequence[tuple[str, bool]]) -> None:
        """Set the rework flag of a service's imported deployments, by name."""
        self.conn.executemany(
            "UPDATE deployments SET rework = ? WHERE service = ? AND name = ? AND source != 'git'",
            [(int(rework), service, name) for name, rework in flags],
        )

    def import_sources(self, service: str) -> list[str]:
        """The sources (the import names) of a service's imported deployments."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT source FROM deployments WHERE service = ? AND source != 'git' ORDER BY source",
                [service],
            )
        ]

    def services_with_imports(self) -> set[str]:
        """The services that have imported deployments."""
        return {r[0] for r in self.conn.execute("SELECT DISTINCT service FROM deployments WHERE source != 'git'")}

    def count_source(self, service: str, tags: bool) -> None:
        """Count a service's tags (``tags``) or its imported deployments, not the others."""
        self.conn.execute(
            "UPDATE deployments SET counted = ((source = 'git') = ?) WHERE service = ?", [int(tags), service]
        )

    def set_imported_commits(self, service: str, commits: Sequence[tuple[str, str, bool, str]]) -> None:
        """Record, for a service's imported deployments, (name, the commit it carried — ``''``
        when its sha names none in the repository —, whether it is the baseline, the deployment
        it undid when it is a rollback — ``''`` otherwise)."""
        self.conn.executemany(
            "UPDATE deployments SET commit_sha = ?, baseline = ?, rollback_of = ?"
            " WHERE service = ? AND name = ? AND source != 'git'",
            [(commit, int(baseline), undid, service, name) for name, commit, baseline, undid in commits],
        )

    def unresolved_deployments(self) -> dict[str, list[tuple[str, str, str]]]:
        """Per service, (name, sha as imported, source) of its counted imported deployments whose
        sha names no commit of its repository, oldest first."""
        found: dict[str, list[tuple[str, str, str]]] = {}
        for service, name, sha, source in self.conn.execute(
            "SELECT service, name, coalesce(sha, ''), source FROM deployments WHERE counted AND source != 'git'"
            " AND commit_sha = '' ORDER BY service, time, name"
        ):
            found.setdefault(service, []).append((name, sha, source))
        return found

    def uncounted_sources(self) -> dict[str, tuple[int, int]]:
        """Per service that has deployments of both sources: (its tags, its imported
        deployments), for the one of them that does not count."""
        return {
            r[0]: (int(r[1]), int(r[2]))
            for r in self.conn.execute(
                "SELECT service, sum(source = 'git'), sum(source != 'git') FROM deployments GROUP BY service"
                " HAVING sum(source = 'git') > 0 AND sum(source != 'git') > 0 ORDER BY service"
            )
        }

    def upsert_deployments(self, rows: Iterable[Deployment]) -> int:
        """Insert or update imported deployments on (service, name)."""
        data = [
            (d.service, d.name, d.time, d.sha, d.message, d.source, int(d.baseline), int(d.rework), int(d.dated))
            for d in rows
        ]
        self.conn.executemany(
            "INSERT INTO deployments (service, name, time, sha, message, source, baseline, rework, dated)"
            " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (service, name) DO UPDATE SET time = excluded.time,"
            " sha = excluded.sha, message = excluded.message, source = excluded.source,"
            " rework = excluded.rework, dated = excluded.dated",
            data,
        )
        return len(data)

    def imported_sources(self, service: str) -> dict[str, str]:
        """The source of each of a service's imported deployments, by name."""
        return dict(
            self.conn.execute("SELECT name, source FROM deployments WHERE service = ? AND source != 'git'", [service])
        )

    def git_deployment_names(self, service: str) -> set[str]:
        """The names of a service's deployments mined from git."""
        return {
            r[0]
            for r in self.conn.execute("SELECT name FROM deployments WHERE service = ? AND source = 'git'", [service])
        }

    def deployments(
        self, services: Sequence[str] | None = None, *, since: int | None = None, until: int | None = None
    ) -> list[Deployment]:
        """The deployments that count (each service's source of truth) of ``services`` (all when None),
        oldest first, optionally within [since, until); ``sha`` is the commit an imported one carried
        when a collect found it."""
        sql, args = where(services, "service", since, until, "time")
        sql += (" AND" if sql else " WHERE") + " counted"
        return [deployment_of(r) for r in self.conn.execute(f"{_DEPLOYMENT_FIELDS}{sql} ORDER BY time, name", args)]

    def deployment_fields(self, *, until: int) -> list[DeploymentFields]:
        """Every field of every deployment that counts before ``until``, by service and time, as
        rows: what :meth:`deployments` makes objects of, for a caller that needs the whole history
        and objects of only a few (:func:`deployment_of` makes one)."""
        return self.conn.execute(
            f"{_DEPLOYMENT_FIELDS} WHERE counted AND time < ? ORDER BY service, time, name", [until]
        ).fetchall()

    def deployment_rows(self, *, until: int) -> list[tuple[str, str, int, str, int, str, int]]:
        """(service, name, time, sha, rework, rollback_of, dated) of every deployment that counts before
        ``until``, by service and time.

        The light form the report needs for 100,000 deployments; :meth:`deployments` gives objects.
        """
        return self.conn.execute(
            "SELECT service, name, time, coalesce(nullif(commit_sha, ''), sha), rework, rollback_of, dated"
            " FROM deployments"
            " WHERE counted AND time < ? ORDER BY service, time, name",
            [until],
        ).fetchall()

    def has_deployment(self, service: str, name: str) -> bool:
        """Whether ``service`` has a deployment called ``name``."""
        return (
            self.conn.execute(
                "SELECT 1 FROM deployments WHERE service = ? AND name = ? AND counted", [service, name]
            ).fetchone()
            is not None
        )

    def changes(
        self,
        services: Sequence[str] | None = None,
        *,
        since: int | None = None,
        until: int | None = None,
        deployment: str | None = None,
    ) -> list[Change]:
        """Changes of ``services`` deployed within [since, until), with their commits' author and subject."""
        return [
            Change(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]))
            for r in self._changes(services, since, until, deployment)
        ]

    def change_rows(self, services: Sequence[str], *, since: int, until: int) -> list[ChangeRow]:
        """What :meth:`changes` gives, as rows (:class:`ChangeRow`)."""
        return list(map(ChangeRow._make, self._changes(services, since, until, None)))

    def _changes(
        self, services: Sequence[str] | None, since: int | None, until: int | None, deployment: str | None
    ) -> sqlite3.Cursor:
        sql, args = where(services, "c.service", since, until, "c.deploy_time")
        if deployment is not None:
            sql += (" AND" if sql else " WHERE") + " c.deployment = ?"
            args.append(deployment)
        return self.conn.execute(f"{_CHANGES}{sql} ORDER BY c.deploy_time, c.commit_time", args)

    def change_counts(self, service: str, *, since: int, until: int) -> dict[str, int]:
        """How many changes each deployment of ``service`` made within [since, until) carried."""
        return dict(
            self.conn.execute(
                "SELECT deployment, count(*) FROM changes WHERE service = ? AND deploy_time >= ?"
                " AND deploy_time < ? GROUP BY deployment",
                [service, since, until],
            ).fetchall()
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

    def lead_times(
        self, services: Sequence[str] | None = None, *, since: int | None = None, until: int | None = None
    ) -> list[tuple[str, int, int]]:
        """(service, deploy_time, lead_time_s) of changes: the light form the metrics need."""
        sql, args = where(services, "service", since, until, "deploy_time")
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
