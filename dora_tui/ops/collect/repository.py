"""One repository of a collect, in two steps around the reading of its commits.

:func:`plan` (in the writer, from the repository's tags as scanned): compares the tags'
fingerprint and the services' settings with the last collect (an unchanged repository is
skipped), forgets the stored commits when they must be read again, checks monorepo paths,
and works out which commits to read (the deployment commits not stored yet, the stored ones
excluded). :func:`finish` (in the writer, once the commits are read): stores them and
recomputes every service's deployments and changes from the stored graph
(:func:`dora_tui.core.lineage.assign`), so moved, deleted and back-filled tags are
reflected. What either says is kept in the plan's ``warnings``, in the order a serial
collect says it.

A tag whose name is not valid UTF-8 (git allows one) is left out: no deployment, counted
nowhere (its name could not be stored, matched or printed as it is), and said in a warning
naming the repository and the tag (its undecodable bytes as ``\\xNN``) at every collect
while it is there: never dropped silently, never a traceback.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from collectors.git import GitRepository
from collectors.git_log import CommitLog, LogColumns, left_out_tag
from collectors.git_workers import Scan
from collectors.records import CommitRow, TagRef
from dora_tui.config import Config, Service
from dora_tui.core.attribution import SHA_RE, rollbacks
from dora_tui.core.fresh import Carried
from dora_tui.core.lineage import GraphRow, ServicePlan, assign, deployment_rows
from dora_tui.core.sources import IMPORTS, source_of
from dora_tui.core.wording import counted, unresolved_example
from dora_tui.errors import ConfigError
from dora_tui.store.database import Store
from dora_tui.store.queries.repos import RepoState


@dataclass
class Plan:
    """What :func:`plan` worked out for one repository, for :func:`finish`.

    ``include``/``exclude``: the commits to read from and to stop at (nothing to read when
    ``include`` is empty); ``unchanged``: nothing to do at all.
    """

    path: str
    services: list[Service]
    warnings: list[str] = field(default_factory=list)
    unchanged: bool = False
    state: RepoState | None = None
    fingerprint: str = ""
    settings: str = ""
    prefixes: list[str] = field(default_factory=list)
    shallow: bool = False
    skipped: tuple[str, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)
    plans: list[ServicePlan] = field(default_factory=list)
    tag_plans: dict[str, ServicePlan] = field(default_factory=dict)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    graph: list[GraphRow] = field(default_factory=list)
    deployments: dict[str, int] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)


def plan(config: Config, store: Store, repo: GitRepository, services: list[Service], scan: Scan, full: bool) -> Plan:
    """Plan the collect of one repository from its ``scan`` (see the module's docstring)."""
    path = str(repo.path)
    listing = scan.listing
    result = Plan(path, services, fingerprint=listing.fingerprint, shallow=scan.shallow, skipped=listing.skipped)
    warnings = result.warnings
    prefixes = result.prefixes = sorted({s.path for s in services if s.path})
    prefix_key = "\x1f".join(prefixes)
    with_imports = store.services_with_imports()
    sources = result.sources = {s.name: source_of(s.deployments, s.name in with_imports) for s in services}
    imported = {s.name: store.imported_deployments(s.name) for s in services if sources[s.name] == IMPORTS}
    # What shapes the rows: the services' settings and own words (with the names service_map
    # gives them), and the imported deployments of those they count.
    owns = {s.name: config.own_words(s) for s in services}
    settings = result.settings = "\x1e".join(
        s.fingerprint() + "\x1f" + "\x1f".join(owns[s.name][1]) for s in services
    ) + "".join(
        f"\x1d{name}\x1f{hashlib.sha1(repr(rows).encode()).hexdigest()}" for name, rows in sorted(imported.items())
    )
    state = store.ensure_repo(path)
    for name in listing.unreadable:  # said at every collect, as long as the tag is there
        warnings.append(left_out_tag(str(path), name))
    shallow = scan.shallow
    if shallow:
        warnings.append(
            f"{path}: shallow clone: its oldest commits have hidden parents, so lead times are "
            "wrong (run `git fetch --unshallow` there; the next collect then re-reads it)"
        )
    # A clone that became (un)shallow has other parents now: read it again from scratch.
    if full or state.prefixes != prefix_key or (state.collected_at is not None and state.shallow != shallow):
        store.forget_commits(state.id)
        state = store.ensure_repo(path)
    elif state.fingerprint == listing.fingerprint and state.settings == settings and not _unresolved(store, imported):
        result.unchanged = True
        return result
    result.state = state

    plans = result.plans
    empty = scan.empty
    tag_plans = result.tag_plans
    carried = _carried_commits(repo, listing.tags, imported)
    for service in services:
        tags = [t for t in listing.tags if service.matches_tag(t.name)]
        starts, names = owns[service.name]
        tag_plans[service.name] = ServicePlan(
            service.name,
            tags,
            service.path,
            service.commit_time,
            service.include_merges,
            service.rework_pattern,
            own_starts=starts,
            own_words=names,
        )
        if sources[service.name] == IMPORTS:
            imported_rows = imported[service.name]
            refs = [TagRef(name, carried.get(sha, ""), time, False) for name, time, sha in imported_rows]
            plans.append(replace(tag_plans[service.name], tags=refs))
            unresolved = [(name, sha) for (name, _, sha), ref in zip(imported_rows, refs) if not ref.sha]
            if unresolved:
                warnings.append(
                    f"{service.name}: {counted(len(unresolved), 'imported deployment')}"
                    f" {'names' if len(unresolved) == 1 else 'name'} no commit of {path}"
                    f" (e.g. {unresolved_example(*unresolved[0])}):"
                    f" {'it counts' if len(unresolved) == 1 else 'they count'}, with no changes (see `dora-tui doctor`)"
                )
            continue
        plans.append(tag_plans[service.name])
        if empty:
            warnings.append(f"{service.name}: {path} is an empty repository (no commits yet)")
        elif not tags:
            warnings.append(
                f"{service.name}: no tag in {path} matches {service.tag_pattern.text!r}"
                + (f" (excluding {service.exclude_pattern.text!r})" if service.exclude_pattern.text else "")
                + f"; {len(listing.tags)} other tags exist"
            )
    if not empty:
        _check_paths(config, repo, services, plans)

    tips = {t.sha for plan in plans for t in plan.tags if t.sha}
    known = store.known_commits(state.id, tips)
    result.graph = store.graph(state.id)
    result.include = sorted(tips - known)
    result.exclude = sorted(known)
    return result


def finish(
    store: Store,
    planned: Plan,
    read: Sequence[CommitRow] | CommitLog,
    clock: Callable[[], float],
    computed: dict[str, Carried] | None = None,
) -> int:
    """Store the commits read and the services' rows of a planned repository; returns how many
    commits were new. ``read``: the commits as rows, whose changes are computed here from the
    stored graph; or, for a repository with no commit stored before, its whole log, with
    ``computed``, the services' changes worked out by the reading process
    (:func:`dora_tui.core.fresh.carried_of_log`)."""
    state = planned.state
    assert state is not None
    graph = planned.graph
    columns = None
    if isinstance(read, CommitLog):
        assert not graph and computed is not None
        columns = read.columns()
        new = store.add_commit_columns(state.id, columns)
        results = {plan_.service: deployment_rows(plan_) for plan_ in planned.plans}
    else:
        stored = {row[0] for row in graph}
        fresh = [row for row in read if row[0] not in stored]
        graph.extend((row[0], row[1], row[2], row[3], row[6]) for row in fresh)
        new = store.add_commit_rows(state.id, fresh) if fresh else 0
        results = assign(graph, planned.plans)
    for service, plan_ in zip(planned.services, planned.plans):
        result = results[service.name]
        found = computed[service.name] if computed is not None else None
        carried = _carried_columns(plan_, found, columns) if found is not None and columns is not None else None
        count = len(found.commits) if found is not None else len(result.changes)
        if planned.sources[service.name] == IMPORTS:  # its tags are kept, not counted; its imports carry the changes
            tagged = deployment_rows(planned.tag_plans[service.name]).deployments
            store.replace_git_rows(service.name, tagged, result.changes, state.id, counted=False, carried=carried)
            undid = rollbacks(plan_.tags)
            store.set_imported_commits(
                service.name, [(t.name, t.sha, k == 0, undid.get(t.name, "")) for k, t in enumerate(plan_.tags)]
            )
        else:
            replaced = store.replace_git_rows(
                service.name, result.deployments, result.changes, state.id, carried=carried
            )
            for name in replaced:
                planned.warnings.append(
                    f"{service.name}: the tag {name!r} replaced the imported deployment of the same name"
                )
        planned.deployments[service.name] = len(result.deployments)
        planned.changes[service.name] = count
    store.save_repo_state(
        state.id,
        fingerprint=planned.fingerprint,
        settings=planned.settings,
        prefixes="\x1f".join(planned.prefixes),
        shallow=planned.shallow,
        collected_at=int(clock()),
        skipped_tags=planned.skipped,
    )
    return new


def _carried_columns(
    plan_: ServicePlan, found: Carried, columns: LogColumns
) -> tuple[Iterator[str], Iterator[str], Iterator[int], Iterator[int]]:
    """A service's changes column by column, as the store takes them: the commits' shas,
    their deployments' names, the commits' times (author or committer, as the service counts
    them), the deployments' times."""
    names = [tag.name for tag in plan_.tags]
    times = [tag.time for tag in plan_.tags]
    commit_times = columns.author_times if plan_.commit_time == "author" else columns.committer_times
    return (
        map(columns.shas.__getitem__, found.commits),
        map(names.__getitem__, found.deployments),
        map(commit_times.__getitem__, found.commits),
        map(times.__getitem__, found.deployments),
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
