"""The lineage of a repository read whole (a first or ``--full`` collect), on the commits' indexes.

The same rules as :func:`dora_tui.core.lineage.assign` (which walks a stored graph, in any
order, building a record for each change), for commits that are all in one ``git log``
output (:class:`collectors.git_log.CommitLog`): what a reading process computes so that the
writer only stores. Commits are named by their index in the log; each service's changes come
out as two arrays of integers, the commits (in sha order, the order the store writes them in)
and the index of the deployment that first carried each.

git prints commits newest first, and almost always children before parents: then one pass in
git's order propagates each commit's set of containing deployments (a bit mask, as in
:mod:`dora_tui.core.lineage`) to its parents, and a parent's set is complete when it is
reached. A parent printed before one of its children (clock skew makes git do so) is
noticed, and the sets are then worked out by Kahn's algorithm instead, whatever the order.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import contains

from collectors.git_log import CommitLog
from dora_tui.core.lineage import ServicePlan


@dataclass(frozen=True)
class Carried:
    """A service's changes among the commits of a log: ``commits[n]`` (an index in the log,
    in sha order) first reached production in the service's deployment
    ``tags[deployments[n]]``."""

    commits: array[int]
    deployments: array[int]


def carried_of_log(plans: Sequence[ServicePlan], log: CommitLog) -> dict[str, Carried]:
    """:func:`carried` for the commits of ``log``: what a reading process returns beside the log."""
    shas, parents = log.graph()
    return carried(plans, shas, parents, log.touches)


def carried(
    plans: Sequence[ServicePlan], shas: Sequence[str], parents: Sequence[str], touches: Sequence[str] | None
) -> dict[str, Carried]:
    """Every plan's changes among commits given column by column in git's order (``parents``
    joined by spaces; ``touches``, the prefixes each commit touches joined by ``\\x1f``, or
    None when no plan has a path). Each plan's tags must be sorted by (time, name); the first
    is the baseline, whose commits count nowhere; a merge counts only with ``include_merges``.
    Parents that are not in the log (beyond a shallow boundary) are ignored."""
    n = len(shas)
    index = dict(zip(shas, range(n)))
    first = list(map(index.get, parents))  # None for a root, a merge, a parent not read
    merges = list(compress(range(n), map(contains, parents, repeat(" "))))
    more = {i: [j for j in map(index.get, parents[i].split()) if j is not None] for i in merges}
    seeds: dict[int, int] = {}
    offset = 0
    targets: list[tuple[ServicePlan, int, int]] = []
    for plan in plans:
        for k, tag in enumerate(plan.tags):
            i = index.get(tag.sha)
            if i is not None:
                seeds[i] = seeds.get(i, 0) | (1 << (offset + k))
        if len(plan.tags) >= 2:  # a baseline alone carries no changes
            targets.append((plan, offset, (1 << len(plan.tags)) - 1))
        offset += len(plan.tags)
    masks = _in_git_order(n, first, more, seeds)
    if masks is None:
        masks = _in_any_order(n, first, more, seeds)
    order = sorted(range(n), key=shas.__getitem__)
    skip = set(merges)
    result = {plan.service: Carried(array("q"), array("q")) for plan in plans}
    by_path = _by_path(order, touches) if any(plan.path for plan, _, _ in targets) else {}
    for plan, off, width in targets:
        wanted = by_path.get(plan.path, []) if plan.path else order
        _assign(wanted, masks, off, width, set() if plan.include_merges else skip, result[plan.service])
    return result


def _by_path(order: Sequence[int], touches: Sequence[str] | None) -> dict[str, list[int]]:
    """The commits of ``order`` that touch each path prefix, in that order."""
    found: dict[str, list[int]] = {}
    if touches is not None:
        for i in order:
            if touches[i]:
                for path in touches[i].split("\x1f"):
                    found.setdefault(path, []).append(i)
    return found


def _assign(order: Sequence[int], masks: list[int], off: int, width: int, skip: set[int], into: Carried) -> None:
    """Append to ``into`` each commit of ``order`` that a deployment of the plan at ``off``
    (``width``: its bits) after the baseline carried first, but those in ``skip``."""
    commits, deployments = into.commits, into.deployments
    for i in order:
        found = (masks[i] >> off) & width
        if found:
            k = (found & -found).bit_length() - 1
            if k and i not in skip:
                commits.append(i)
                deployments.append(k)


def _in_git_order(
    n: int, first: list[int | None], more: dict[int, list[int]], seeds: dict[int, int]
) -> list[int] | None:
    """Each commit's set of containing deployments, in one pass in git's order; None when a
    commit that carries some comes after one of its parents (then this order cannot tell)."""
    masks = [0] * n
    for i, mask in seeds.items():
        masks[i] = mask
    for i, j in enumerate(first):
        mask = masks[i]
        if not mask:
            continue
        if j is not None:
            if j < i:
                return None
            masks[j] |= mask
        elif i in more:
            for j in more[i]:
                if j < i:
                    return None
                masks[j] |= mask
    return masks


def _in_any_order(n: int, first: list[int | None], more: dict[int, list[int]], seeds: dict[int, int]) -> list[int]:
    """Each commit's set of containing deployments whatever the order: Kahn's algorithm visits
    every commit after all its children."""
    parents = [more.get(i, []) if j is None else [j] for i, j in enumerate(first)]
    pending = [0] * n
    for mine in parents:
        for j in mine:
            pending[j] += 1
    masks = [0] * n
    ready = [i for i in range(n - 1, -1, -1) if not pending[i]]
    while ready:
        i = ready.pop()
        mask = masks[i] | seeds.get(i, 0)
        masks[i] = mask
        for j in parents[i]:
            masks[j] |= mask
            pending[j] -= 1
            if not pending[j]:
                ready.append(j)
    return masks
