"""Which deployment first carried each commit: one walk over a repository's commit graph.

Pure: rows in, deployments and changes out. For every service of a repository, its
deployments get bit positions in time order; walking the commits children before parents,
each commit ORs the set of deployments that contain it into its parents. The lowest bit of a
service's range in a commit's set is the earliest deployment of that service containing it:
the deployment in which the change first reached production (SPEC section 1). One pass in
O(commits + parent links), however many tags and services; backports on maintenance
branches are assigned once, to the first deployment that really carried them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .models import Change, Commit, Deployment, TagRef

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


@dataclass
class ServiceRows:
    """The rows computed for one service."""

    deployments: list[Deployment] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


def graph_row(commit: Commit) -> GraphRow:
    """The graph row of a commit just read (the form :meth:`Store.graph` returns)."""
    touches = "\x1f".join(commit.touches) if commit.touches is not None else None
    return (commit.sha, " ".join(commit.parents), commit.author_time, commit.committer_time, touches)


def children_first(graph: Sequence[GraphRow]) -> list[GraphRow]:
    """``graph`` ordered so that every commit comes before its parents (Kahn's algorithm).

    Parents outside ``graph`` (beyond a shallow boundary) are ignored. The result does not
    depend on the order rows are given in beyond ties, which keep the given order.
    """
    children = dict.fromkeys((row[0] for row in graph), 0)
    parents_of = {}
    for row in graph:
        parents = [p for p in row[1].split() if p in children]
        parents_of[row[0]] = parents
        for parent in parents:
            children[parent] += 1
    by_sha = {row[0]: row for row in graph}
    ready = [row for row in reversed(graph) if children[row[0]] == 0]
    ordered: list[GraphRow] = []
    while ready:
        row = ready.pop()
        ordered.append(row)
        for parent in reversed(parents_of[row[0]]):
            children[parent] -= 1
            if children[parent] == 0:
                ready.append(by_sha[parent])
    return ordered


def assign(graph: Sequence[GraphRow], plans: Sequence[ServicePlan]) -> dict[str, ServiceRows]:
    """Deployments and changes for every plan, from a graph listed children before parents
    (see :func:`children_first`).

    Each plan's tags must be sorted by (time, name); the first is the baseline, whose commits
    count nowhere. Tags whose commit is missing from ``graph`` still count as deployments.
    """
    index = {row[0]: i for i, row in enumerate(graph)}
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

    masks = [0] * len(graph)
    for i, row in enumerate(graph):
        mask = masks[i] | tip_bits.get(i, 0)
        if not mask:
            continue
        masks[i] = mask
        for parent in row[1].split():
            j = index.get(parent)
            if j is not None:
                masks[j] |= mask

    result = {plan.service: _deployment_rows(plan) for plan in plans}
    plan_masks = {plan.service: (1 << len(plan.tags)) - 1 for plan in plans}
    by_path: dict[str, list[tuple[ServicePlan, int]]] = {}
    whole: list[tuple[ServicePlan, int]] = []
    for plan, off in zip(plans, offsets):
        if len(plan.tags) < 2:
            continue  # a baseline alone carries no changes
        (by_path.setdefault(plan.path, []) if plan.path else whole).append((plan, off))
    dispatch: dict[str | None, list[tuple[ServicePlan, int]]] = {None: whole, "": whole}
    for i, row in enumerate(graph):
        mask = masks[i]
        if not mask:
            continue
        targets = dispatch.get(row[4])
        if targets is None:
            targets = dispatch[row[4]] = whole + [t for p in row[4].split("\x1f") for t in by_path.get(p, ())]
        for plan, off in targets:
            mine = (mask >> off) & plan_masks[plan.service]
            if not mine:
                continue
            k = (mine & -mine).bit_length() - 1
            if k == 0 or (not plan.include_merges and " " in row[1]):
                continue  # carried by the baseline (history, not a change), or a merge
            tag = plan.tags[k]
            commit_time = row[2] if plan.commit_time == "author" else row[3]
            lead = tag.time - commit_time
            result[plan.service].changes.append(Change(
                plan.service, row[0], tag.name, commit_time, tag.time, max(lead, 0), negative=lead < 0))
    return result


def _deployment_rows(plan: ServicePlan) -> ServiceRows:
    rows = ServiceRows()
    rework = re.compile(plan.rework_pattern) if plan.rework_pattern else None
    for k, tag in enumerate(plan.tags):
        is_rework = bool(rework and (rework.search(tag.name) or rework.search(tag.message)))
        rows.deployments.append(Deployment(plan.service, tag.name, tag.time, tag.sha, tag.message,
                                           plan.source, baseline=(k == 0), rework=is_rework))
    return rows
