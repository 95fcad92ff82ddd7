"""Which deployment first carried each commit: one walk over a repository's commit graph.

Pure: rows in, deployments and changes out. For every service of a repository, its
deployments get bit positions in time order; walking the commits children before parents
(Kahn's algorithm, so the graph may come in any order), each commit ORs the set of
deployments that contain it into its parents. The lowest bit of a service's range in a
commit's set is the earliest deployment of that service containing it: the deployment in
which the change first reached production (README, What is measured: Change). One pass in
O(commits + parent links), however many tags and services; backports on maintenance
branches are assigned once, to the first deployment that really carried them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from collectors.records import Change, Commit, Deployment, TagRef
from dora_tui.core.attribution import named_rework, own_words

# (sha, parents separated by spaces, author_time, committer_time, touches joined by \x1f or None)
GraphRow = tuple[str, str, int, int, "str | None"]


@dataclass(frozen=True)
class ServicePlan:
    """One service of the repository: its deployment tags and the rules for its changes."""

    service: str
    tags: Sequence[TagRef]
    path: str = ""
    commit_time: str = "author"
    include_merges: bool = False
    rework_pattern: str = ""
    source: str = "git"
    own_starts: tuple[str, ...] = ()  # texts its deployments' names begin with that name it, and
    own_words: tuple[str, ...] = ()  # its names: never read as rework (attribution.own_words)


@dataclass
class ServiceRows:
    """The rows computed for one service."""

    deployments: list[Deployment] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


def graph_row(commit: Commit) -> GraphRow:
    """The graph row of a commit just read (the form :meth:`Store.graph` returns)."""
    touches = "\x1f".join(commit.touches) if commit.touches is not None else None
    return (commit.sha, " ".join(commit.parents), commit.author_time, commit.committer_time, touches)


def assign(graph: Sequence[GraphRow], plans: Sequence[ServicePlan]) -> dict[str, ServiceRows]:
    """Deployments and changes for every plan, from a repository's commit graph in any order
    (the rules: :func:`_walk`)."""
    result = {plan.service: deployment_rows(plan) for plan in plans}
    _walk(graph, plans, {name: rows.changes for name, rows in result.items()})
    return result


def _walk(graph: Sequence[GraphRow], plans: Sequence[ServicePlan], into: dict[str, list[Change]]) -> None:
    """Every plan's changes, from a repository's commit graph in any order, appended to
    ``into[service]`` (:mod:`dora_tui.core.fresh` follows the same rules for a repository
    read whole).

    Each plan's tags must be sorted by (time, name); the first is the baseline, whose commits
    count nowhere. Tags whose commit is missing from ``graph`` still count as deployments.
    One pass of Kahn's algorithm visits every commit after all its children, so a commit's
    set of containing deployments is complete when it is visited; parents outside ``graph``
    (beyond a shallow boundary) are ignored.
    """
    index = {row[0]: i for i, row in enumerate(graph)}
    n = len(graph)
    parents: list[list[int]] = []
    pending = [0] * n  # children not visited yet
    for row in graph:
        mine = [j for j in map(index.get, row[1].split()) if j is not None]
        parents.append(mine)
        for j in mine:
            pending[j] += 1

    tip_bits: dict[int, int] = {}
    offsets: list[int] = []
    offset = 0
    for plan in plans:
        offsets.append(offset)
        for k, tag in enumerate(plan.tags):
            i = index.get(tag.sha)
            if i is not None:
                tip_bits[i] = tip_bits.get(i, 0) | (1 << (offset + k))
        offset += len(plan.tags)

    by_path: dict[str, list[tuple[ServicePlan, int, int, list[Change]]]] = {}
    whole: list[tuple[ServicePlan, int, int, list[Change]]] = []
    for plan, off in zip(plans, offsets):
        if len(plan.tags) < 2:
            continue  # a baseline alone carries no changes
        target = (plan, off, (1 << len(plan.tags)) - 1, into[plan.service])
        (by_path.setdefault(plan.path, []) if plan.path else whole).append(target)
    dispatch: dict[str | None, list[tuple[ServicePlan, int, int, list[Change]]]] = {None: whole, "": whole}

    masks = [0] * n
    ready = [i for i in range(n - 1, -1, -1) if not pending[i]]
    while ready:
        i = ready.pop()
        mask = masks[i] | tip_bits.get(i, 0)
        for j in parents[i]:
            masks[j] |= mask
            pending[j] -= 1
            if not pending[j]:
                ready.append(j)
        if not mask:
            continue
        row = graph[i]
        targets = dispatch.get(row[4])
        if targets is None:  # a set of paths not met before (None and "" are in dispatch from the start)
            paths = row[4] or ""
            targets = dispatch[paths] = whole + [t for p in paths.split("\x1f") for t in by_path.get(p, ())]
        for plan, off, width, changes in targets:
            found = (mask >> off) & width
            if not found:
                continue
            k = (found & -found).bit_length() - 1
            if k == 0 or (not plan.include_merges and " " in row[1]):
                continue  # carried by the baseline (history, not a change), or a merge
            tag = plan.tags[k]
            commit_time = row[2] if plan.commit_time == "author" else row[3]
            lead = tag.time - commit_time
            changes.append(
                Change(plan.service, row[0], tag.name, commit_time, tag.time, max(lead, 0), negative=lead < 0)
            )


def deployment_rows(plan: ServicePlan) -> ServiceRows:
    """A plan's deployments, without changes: the first is the baseline; rework by
    ``rework_pattern``, the service's own words left out (:func:`~dora_tui.core.attribution.named_rework`)."""
    rows = ServiceRows()
    rework = re.compile(plan.rework_pattern) if plan.rework_pattern else None
    own = own_words(rework, plan.own_starts, *plan.own_words)
    for k, tag in enumerate(plan.tags):
        is_rework = named_rework(rework, tag.name, tag.message, tag.body, own=own)
        rows.deployments.append(
            Deployment(
                plan.service, tag.name, tag.time, tag.sha, tag.message, plan.source, baseline=(k == 0), rework=is_rework
            )
        )
    return rows
