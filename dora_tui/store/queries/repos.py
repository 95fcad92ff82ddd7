"""Repositories and their commits: what ``collect`` reads from git and remembers between runs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from collectors.git_log import LogColumns
from collectors.records import Commit, CommitRow
from dora_tui.store.errors import translate_errors
from dora_tui.store.queries.base import Queries

BATCH = 2000  # commits written per executemany while git is still walking


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


@translate_errors
class RepoQueries(Queries):
    """The ``repos`` and ``commits`` tables."""

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
            self.db.table("repos").insert({"path": path})
            state = self.repo_state(path)
        assert state is not None
        return state

    def forget_commits(self, repo: int) -> None:
        """Drop every commit read from a repository (``--full``, or a changed path set)."""
        self.conn.execute("DELETE FROM commits WHERE repo = ?", [repo])
        self.conn.execute("UPDATE repos SET fingerprint = '' WHERE id = ?", [repo])

    def mark_stale(self, path: str) -> None:
        """Make the next collect recompute the repository at ``path`` (its rows were changed
        by an import), reading no commit again."""
        self.conn.execute("UPDATE repos SET fingerprint = '' WHERE path = ?", [path])

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
        batch: list[tuple[int, str, str, int, int, str, str, str | None]] = []
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

    def add_commit_rows(self, repo: int, rows: Sequence[CommitRow]) -> int:
        """Store commits read as rows (see :data:`collectors.records.CommitRow`); returns how
        many were given. A commit already stored keeps its row."""
        self.conn.executemany(
            "INSERT OR IGNORE INTO commits (repo, sha, parents, author_time, committer_time,"
            " author, subject, touches) VALUES (?,?,?,?,?,?,?,?)",
            [(repo, *row) for row in rows],
        )
        return len(rows)

    def add_commit_columns(self, repo: int, columns: LogColumns) -> int:
        """Store the commits of a log read whole, given column by column
        (:meth:`collectors.git_log.CommitLog.columns`); returns how many were given. A commit
        already stored keeps its row. The repository (an integer) and ``touches`` when paths
        were not read are written in the statement rather than bound for every row: the
        bound values are most of what ``executemany`` costs a row."""
        values = [columns.shas, columns.parents, columns.author_times, columns.committer_times]
        values += [columns.authors, columns.subjects]
        if columns.touches is not None:
            values.append(columns.touches)
        self.conn.executemany(
            "INSERT OR IGNORE INTO commits (repo, sha, parents, author_time, committer_time, author, subject,"
            f" touches) VALUES ({int(repo)}, ?, ?, ?, ?, ?, ?, {'NULL' if columns.touches is None else '?'})",
            zip(*values),
        )
        return len(columns.shas)

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
        self.db.table("repos").update(
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
