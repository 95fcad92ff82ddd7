"""``collect``: mine every configured repository into the store, incrementally, in one transaction.

For each repository (services sharing a clone are read together):

1. ``for-each-ref`` lists the tags; its fingerprint and the services' settings are compared
   with the last collect, and an unchanged repository is skipped (a repeated collect with
   nothing new costs one ``for-each-ref`` per repository).
2. Only deployment commits not stored yet are read, with stored ones excluded, in one
   streamed ``git log`` (a ``full`` collect forgets the stored commits first; so does a
   change of the monorepo path set, since the paths each commit touches are read once and
   kept).
3. The lineage walk (:mod:`dora_tui.core.lineage`) recomputes every service's deployments and
   changes from the stored graph, so moved, deleted and back-filled tags are reflected; the
   rework flags of its imported deployments are worked out again too
   (:func:`dora_tui.ops.rework.refresh_imported`).

Everything is written in one transaction: an interrupted collect leaves the previous state.

With ``jobs`` above one, the git reads (steps 1 and 2: ``for-each-ref`` and the streamed
``git log``) run in worker processes, up to ``jobs`` repositories
at once (:mod:`dora_tui.ops.collect.readers`), while this process alone plans, computes the
lineage and writes, repository after repository in the config's order: the database, the
warnings and the summary are the same whatever ``jobs`` is, and a failure is the one of the
first repository (in that order) that fails, worded as with one job. Where the work is split was
chosen by measurement (``bench/bench_collect_jobs.py``, ``bench/README.md``): the writer,
alone, was the bottleneck, storing rows and walking the lineage while the workers waited. So a
worker parses git's output and, for a repository with no commit stored before (a first or
``--full`` collect), keeps that output whole (:class:`collectors.git_log.CommitLog`: one
string to pickle) and walks the lineage on the commits' indexes
(:func:`dora_tui.core.fresh.carried_of_log`: two arrays of integers a service); the writer
splits the string once into columns for ``executemany``, building no row in Python. An
incremental collect's walk needs the graph stored before, which is in the database, not in
git: shipping it to a worker would cost about what the walk does, so the writer walks it, on
rows a worker parsed.
The writer plans the repositories ahead of the one it writes (up to :data:`AHEAD` a job), so
that the workers read the next ones meanwhile, and a read is handed to a worker before the
tag listings queued (those only let the writer plan further ahead): the workers are kept
busy while the writer stores, and the results waiting for it hold at most that many
repositories. With one job it plans, reads and writes one repository after the other, as it
always did.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

from collectors import git_workers
from collectors.errors import GitRefused
from collectors.git import GitRepository
from collectors.git_log import CommitLog
from collectors.git_workers import Failed, Scan
from collectors.records import CommitRow
from dora_tui.config import Config, Service
from dora_tui.core.fresh import Carried, carried_of_log
from dora_tui.errors import ConfigError, GitError
from dora_tui.ops.collect.readers import Readers, default_jobs
from dora_tui.ops.collect.repository import Plan, finish, plan
from dora_tui.ops.rework import NamedRework, refresh_imported
from dora_tui.store.database import Store

__all__ = ["CollectSummary", "Progress", "Repositories", "collect", "default_jobs", "open_repositories"]

Progress = Callable[[str, int, int], None]
AHEAD = 4  # repositories planned (and read) ahead of the one written, a job
Read = tuple[list[CommitRow] | CommitLog, dict[str, Carried] | None]  # what a worker's read gives


@dataclass
class CollectSummary:
    """What a collect did, for the CLI and the dashboard to report."""

    repositories: int = 0
    unchanged: int = 0
    commits_read: int = 0
    deployments: dict[str, int] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


Repositories = dict[str, tuple[GitRepository, list[Service]]]
"""Repositories to collect: each clone's path -> the clone opened, and the services it holds."""


def open_repositories(config: Config, services: Sequence[str] | None = None) -> Repositories:
    """Open the repositories of ``services`` (all when None), with the services each one holds.

    ``services`` selects repositories: every service sharing a selected service's clone is
    recomputed with it. Raises UnknownName for an unknown service, ConfigError for a
    repository that is missing or not a git repository, and GitMissing without git: all
    before anything is written, so a command can open (or create) its database after this.
    """
    chosen = {str(s.repo) for s in _select(config, services)}
    groups: dict[str, list[Service]] = {}
    for service in config.services:
        if str(service.repo) in chosen:
            groups.setdefault(str(service.repo), []).append(service)
    return {repo: (_open(config, services_of[0]), services_of) for repo, services_of in groups.items()}


def collect(
    config: Config,
    store: Store,
    *,
    services: Sequence[str] | None = None,
    full: bool = False,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.time,
    repositories: Repositories | None = None,
    jobs: int | None = None,
) -> CollectSummary:
    """Collect the repositories of ``services`` (all when None) into ``store``.

    ``repositories``: what :func:`open_repositories` returned for ``services`` (opened here
    when None). ``jobs``: how many repositories are read at once (default
    :func:`~dora_tui.ops.collect.readers.default_jobs`; 1 reads them one after another in
    this process). Warnings (shallow clones, no matching tag, an empty repository) are
    returned in the summary. A progress update names the repository being written, the
    repositories done and the commits read so far.
    """
    opened = repositories if repositories is not None else open_repositories(config, services)
    summary = CollectSummary()
    total = len(opened)
    entries = list(opened.items())
    workers = min(default_jobs() if jobs is None else jobs, total)
    named = NamedRework(config)  # imported deployments' rework, recomputed with their repository's rows
    with (
        store.read_as_written(),
        store.atomic(f"the collect of {total} {'repository' if total == 1 else 'repositories'}"),
    ):
        with Readers(workers) as readers:
            scans = [readers.submit(git_workers.scan, path, label=path) for path, _ in entries]
            planned: list[Plan | BaseException] = []
            reads: list[Callable[[], Read | Failed] | None] = []
            for n, (repo_path, _) in enumerate(entries):
                while len(planned) < min(total, n + 1 + (AHEAD * workers if workers > 1 else 0)):
                    k = len(planned)
                    planned.append(_plan(config, store, entries[k][1], scans[k](), full))
                    reads.append(_submit_read(readers, entries[k][0], planned[-1]))
                if progress:
                    progress(f"reading {repo_path} ({summary.commits_read:,} commits read)", n, total)
                here, read = planned[n], reads[n]
                planned[n], reads[n] = BaseException(), None  # let go of what is done
                if isinstance(here, BaseException):
                    raise here
                summary.repositories += 1
                if here.unchanged:
                    summary.unchanged += 1
                else:
                    got = read() if read is not None else ([], None)
                    if isinstance(got, Failed):
                        raise GitError(got.message)
                    summary.commits_read += finish(store, here, got[0], clock, got[1])
                    refresh_imported(named, store, here.services)
                    summary.deployments.update(here.deployments)
                    summary.changes.update(here.changes)
                summary.warnings.extend(here.warnings)
        store.log_event(int(clock()), "collect", f"{total} repositories")
    if progress:
        progress(f"done ({summary.commits_read:,} commits read)", total, total)
    return summary


def _plan(
    config: Config, store: Store, entry: tuple[GitRepository, list[Service]], scan: Scan | Failed, full: bool
) -> Plan | BaseException:
    """The plan of one repository, or the error it met (raised when its turn to be written
    comes: an earlier repository's error is raised first, as with one job)."""
    if isinstance(scan, Failed):
        return GitError(scan.message)
    try:
        return plan(config, store, entry[0], entry[1], scan, full)
    except (ConfigError, GitError) as exc:
        return exc


def _submit_read(readers: Readers, path: str, here: Plan | BaseException) -> Callable[[], Read | Failed] | None:
    """Start reading a planned repository's commits; with nothing stored before, the reading
    process works out the lineage too (with one job, this process, as it reads)."""
    if isinstance(here, BaseException) or here.unchanged or not here.include:
        return None
    if here.graph:
        rows = readers.submit(
            git_workers.read, path, here.include, here.exclude, here.prefixes, label=path, urgent=True
        )
        return lambda: _rows_read(rows())
    walk = partial(carried_of_log, here.plans)
    return readers.submit(
        git_workers.read_whole, path, here.include, here.exclude, here.prefixes, walk, label=path, urgent=True
    )


def _rows_read(rows: list[CommitRow] | Failed) -> Read | Failed:
    return rows if isinstance(rows, Failed) else (rows, None)


def _select(config: Config, names: Sequence[str] | None) -> list[Service]:
    if not names:
        return list(config.services)
    return [config.require_service(name) for name in names]


def _open(config: Config, service: Service) -> GitRepository:
    try:
        return GitRepository(service.repo)
    except GitRefused:
        raise  # it names the repository and what to run
    except GitError as exc:
        raise ConfigError(config.label, f"services[{service.index}].repo", str(exc)) from None
