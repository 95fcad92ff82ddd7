"""Deployments and the changes they shipped: mined from git tags (``collect``) or imported
from a CSV export, and read back for the report and the dashboard."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from collectors.records import Change, Deployment
from dora_tui.store.errors import translate_errors
from dora_tui.store.queries.base import Queries, where


@translate_errors
class DeploymentQueries(Queries):
    """The ``deployments`` and ``changes`` tables."""

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

    def git_deployment_names(self, service: str) -> set[str]:
        """The names of a service's deployments mined from git."""
        return {
            r[0]
            for r in self.conn.execute("SELECT name FROM deployments WHERE service = ? AND source = 'git'", [service])
        }

    def deployments(
        self, services: Sequence[str] | None = None, *, since: int | None = None, until: int | None = None
    ) -> list[Deployment]:
        """Deployments of ``services`` (all when None), oldest first, optionally within [since, until)."""
        sql, args = where(services, "service", since, until, "time")
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

    def has_deployment(self, service: str, name: str) -> bool:
        """Whether ``service`` has a deployment called ``name``."""
        return (
            self.conn.execute("SELECT 1 FROM deployments WHERE service = ? AND name = ?", [service, name]).fetchone()
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
        sql, args = where(services, "c.service", since, until, "c.deploy_time")
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
