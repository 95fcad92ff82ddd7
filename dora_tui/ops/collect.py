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
   changes from the stored graph, so moved, deleted and back-filled tags are reflected.

Everything is written in one transaction: an interrupted collect leaves the previous state.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from collectors.git import GitRepository
from collectors.records import Commit, TagRef
from dora_tui.config import Config, Service
from dora_tui.core.attribution import SHA_RE, rollbacks
from dora_tui.core.lineage import ServicePlan, assign, deployment_rows, graph_row
from dora_tui.core.sources import IMPORTS, source_of
from dora_tui.errors import ConfigError, GitError
from dora_tui.store.database import Store

Progress = Callable[[str, int, int], None]


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
) -> CollectSummary:
    """Collect the repositories of ``services`` (all when None) into ``store``.

    ``repositories``: what :func:`open_repositories` returned for ``services`` (opened here
    when None). Warnings (shallow clones, no matching tag, an empty repository) are returned
    in the summary.
    """
    opened = repositories if repositories is not None else open_repositories(config, services)
    summary = CollectSummary()
    total = len(opened)
    with store.atomic(f"the collect of {total} {'repository' if total == 1 else 'repositories'}"):
        for n, (repo_path, (repo, repo_services)) in enumerate(opened.items()):
            if progress:
                progress(f"reading {repo_path}", n, total)
            _collect_repo(config, store, repo, repo_services, full, summary, clock)
        store.log_event(int(clock()), "collect", f"{total} repositories")
    if progress:
        progress("done", total, total)
    return summary


def _select(config: Config, names: Sequence[str] | None) -> list[Service]:
    if not names:
        return list(config.services)
    return [config.require_service(name) for name in names]


def _open(config: Config, service: Service) -> GitRepository:
    try:
        return GitRepository(service.repo)
    except GitError as exc:
        raise ConfigError(config.label, f"services[{service.index}].repo", str(exc)) from None


def _collect_repo(
    config: Config,
    store: Store,
    repo: GitRepository,
    services: list[Service],
    full: bool,
    summary: CollectSummary,
    clock: Callable[[], float],
) -> None:
    summary.repositories += 1
    path = str(repo.path)
    listing = repo.list_tags()
    prefixes = sorted({s.path for s in services if s.path})
    prefix_key = "\x1f".join(prefixes)
    with_imports = store.services_with_imports()
    sources = {s.name: source_of(s.deployments, s.name in with_imports) for s in services}
    imported = {s.name: store.imported_deployments(s.name) for s in services if sources[s.name] == IMPORTS}
    # What shapes the rows: the services' settings, and the imported deployments of those they count.
    settings = "\x1e".join(s.fingerprint() for s in services) + "".join(
        f"\x1d{name}\x1f{hashlib.sha1(repr(rows).encode()).hexdigest()}" for name, rows in sorted(imported.items())
    )
    state = store.ensure_repo(path)
    shallow = repo.shallow
    if shallow:
        summary.warnings.append(
            f"{path}: shallow clone: its oldest commits have hidden parents, so lead times are "
            "wrong (run `git fetch --unshallow` there; the next collect then re-reads it)"
        )
    # A clone that became (un)shallow has other parents now: read it again from scratch.
    if full or state.prefixes != prefix_key or (state.collected_at is not None and state.shallow != shallow):
        store.forget_commits(state.id)
        state = store.ensure_repo(path)
    elif state.fingerprint == listing.fingerprint and state.settings == settings and not _unresolved(store, imported):
        summary.unchanged += 1
        return

    plans = []
    empty = not listing.tags and repo.is_empty()
    tag_plans: dict[str, ServicePlan] = {}
    carried = _carried_commits(repo, listing.tags, imported)
    for service in services:
        tags = [t for t in listing.tags if service.matches_tag(t.name)]
        tag_plans[service.name] = ServicePlan(
            service.name, tags, service.path, service.commit_time, service.include_merges, service.rework_pattern
        )
        if sources[service.name] == IMPORTS:
            imported_rows = imported[service.name]
            refs = [TagRef(name, carried.get(sha, ""), time, False) for name, time, sha in imported_rows]
            plans.append(replace(tag_plans[service.name], tags=refs))
            unresolved = [sha for (_, _, sha), ref in zip(imported_rows, refs) if not ref.sha]
            if unresolved:
                summary.warnings.append(
                    f"{service.name}: {len(unresolved)} imported deployments name no commit of {path} "
                    f"(e.g. {unresolved[0]!r}): they count, with no changes (see `dora-tui doctor`)"
                )
            continue
        plans.append(tag_plans[service.name])
        if empty:
            summary.warnings.append(f"{service.name}: {path} is an empty repository (no commits yet)")
        elif not tags:
            summary.warnings.append(
                f"{service.name}: no tag in {path} matches {service.tag_pattern.text!r}"
                + (f" (excluding {service.exclude_pattern.text!r})" if service.exclude_pattern.text else "")
                + f"; {len(listing.tags)} other tags exist"
            )
    if not empty:
        _check_paths(config, repo, services, plans)

    tips = {t.sha for plan in plans for t in plan.tags if t.sha}
    known = store.known_commits(state.id, tips)
    graph = store.graph(state.id)
    if tips - known:
        read = repo.iter_commits(sorted(tips - known), sorted(known), prefixes or None)
        stored = {row[0] for row in graph}

        def fresh() -> Iterator[Commit]:
            for commit in read:
                if commit.sha not in stored:
                    graph.append(graph_row(commit))
                    yield commit

        summary.commits_read += store.add_commits(state.id, fresh())

    rows = assign(graph, plans)
    for service, plan in zip(services, plans):
        result = rows[service.name]
        if sources[service.name] == IMPORTS:  # its tags are kept, not counted; its imports carry the changes
            tagged = deployment_rows(tag_plans[service.name]).deployments
            store.replace_git_rows(service.name, tagged, result.changes, state.id, counted=False)
            undid = rollbacks(plan.tags)
            store.set_imported_commits(
                service.name, [(t.name, t.sha, k == 0, undid.get(t.name, "")) for k, t in enumerate(plan.tags)]
            )
        else:
            for name in store.replace_git_rows(service.name, result.deployments, result.changes, state.id):
                summary.warnings.append(
                    f"{service.name}: the tag {name!r} replaced the imported deployment of the same name"
                )
        summary.deployments[service.name] = len(result.deployments)
        summary.changes[service.name] = len(result.changes)
    store.save_repo_state(
        state.id,
        fingerprint=listing.fingerprint,
        settings=settings,
        prefixes=prefix_key,
        shallow=shallow,
        collected_at=int(clock()),
        skipped_tags=listing.skipped,
    )


def _unresolved(store: Store, imported: dict[str, list[tuple[str, int, str]]]) -> bool:
    """Whether some imported deployment of these services named no commit at the last collect:
    the clone may have been fetched since, so it is looked at again (the tags alone do not
    say so)."""
    return bool(imported) and not set(imported).isdisjoint(store.unresolved_deployments())


def _carried_commits(
    repo: GitRepository, tags: Sequence[TagRef], imported: dict[str, list[tuple[str, int, str]]]
) -> dict[str, str]:
    """The commit each imported deployment's ``sha`` names (sha as imported -> full sha): a full
    sha or a unique prefix of 7+ hex digits of a commit of ``repo``, or the name of one of its
    tags (a version that names a release; ``1.4.2`` names the tag ``v1.4.2`` when there is no
    tag ``1.4.2``). One ``cat-file`` call for all of them."""
    by_tag = {t.name: t.sha for t in tags}
    names = {sha for rows in imported.values() for _, _, sha in rows if sha}
    found = {}
    for name in names:
        tag = name if name in by_tag else f"v{name}"
        if tag in by_tag:
            found[name] = by_tag[tag]
    hexes = [name for name in names if name not in found and SHA_RE.fullmatch(name)]
    found.update(repo.commits_of(sorted(hexes)))
    return found


def _check_paths(config: Config, repo: GitRepository, services: list[Service], plans: list[ServicePlan]) -> None:
    """A monorepo ``path`` must exist at the service's latest deployment (or HEAD before any)."""
    latest = {plan.service: next((t for t in reversed(plan.tags) if t.sha), None) for plan in plans}
    checks = [
        (tag.sha if (tag := latest[service.name]) else "HEAD", service.path) for service in services if service.path
    ]
    missing = set(repo.missing_paths(checks))
    for service in services:
        if not service.path:
            continue
        tag = latest[service.name]
        if (tag.sha if tag else "HEAD", service.path) in missing:
            where = f"its latest deployment {tag.name}" if tag else "HEAD"
            raise ConfigError(
                config.label,
                f"services[{service.index}].path",
                f"{service.path!r} does not exist in {repo.path} at {where}",
            )
