"""The plan of the synthetic monorepo's history, drawn before any commit is written: when the
commits happen (:func:`commit_times`) and which tags go where (:func:`plan_tags`: releases per
service, ``-rc`` tags, the maintenance branch's fixes and backports, the tags at a tree and
at blobs)."""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from typing import TypedDict

from monorepo.vocabulary import (
    BLOB_TAG_SERVICE,
    DAYS,
    MAINT_SERVICE,
    N_SERVICES,
    RELEASE_WEIGHTS,
    SERVICES,
    START,
    TREE_TAG_SERVICE,
)


def commit_times(rng: random.Random, n: int) -> list[int]:
    """n sorted, strictly increasing times over the 3 years: weekdays, working hours,
    a little busier each year."""
    out: list[int] = []
    rand, randrange, tri = rng.random, rng.randrange, rng.triangular
    while len(out) < n:
        d = randrange(DAYS)
        if rand() > 0.5 + 0.5 * d / DAYS:
            continue
        if d % 7 >= 5 and rand() > 0.07:
            continue
        out.append(START + d * 86400 + int(tri(7 * 3600, 21 * 3600, 13 * 3600)))
    out.sort()
    for i in range(1, n):
        if out[i] <= out[i - 1]:
            out[i] = out[i - 1] + 1
    return out


def split(total: int, weights: list[int]) -> list[int]:
    """Split total in proportion to weights (largest remainder)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    counts = [int(x) for x in raw]
    order = sorted(range(len(weights)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def versions(rng: random.Random, n: int, start: tuple[int, int, int]) -> list[tuple[int, int, int]]:
    """n increasing versions from ``start``: mostly patches, a fifth minors, a few majors."""
    out = [start]
    for _ in range(n - 1):
        major, minor, patch = out[-1]
        r = rng.random()
        if r < 0.02:
            out.append((major + 1, 0, 0))
        elif r < 0.22:
            out.append((major, minor + 1, 0))
        else:
            out.append((major, minor, patch + 1))
    return out


def vtext(v: tuple[int, int, int]) -> str:
    """A version as its tag writes it: ``v1.2.3``."""
    return f"v{v[0]}.{v[1]}.{v[2]}"


TagEvent = tuple[str, int, str, int]
"""A tag planned at an event: (``release`` or ``rc``, service index, name, release index)."""

Action = tuple[str, int]
"""A commit planned at an event: (``feature`` or ``merge``, the branch's id), (``fix`` or ``backport``, which)."""


class Maintenance(TypedDict):
    """The maintenance branch: its service, name, the release it starts from, and its tags."""

    service: int
    branch: str
    base_release: int  # the index of the release among the service's
    base_tag: str
    backport_tags: list[str]


@dataclass
class TagPlan:
    """Where the tags go, by event index (the commits after the initial one, in time order)."""

    events: dict[int, list[TagEvent]]  # event index -> the tags at main's tip then
    special: dict[int, Action]  # event index -> a planned commit: ("fix", i) on main, ("backport", i)
    maint: Maintenance | None  # None when no release suits a maintenance branch
    rc_names: list[str]  # the -rc tags, in the order they were planned
    odd_at: dict[int, str]  # event index -> "tree" or "blob": tags that point at no commit
    odd_names: dict[str, str]  # "tree", "blob", "blob2" -> the tag's name


def plan_tags(rng: random.Random, n: int, tags: int, quiet: bool) -> TagPlan:
    """Plan ``tags`` annotated tags over ``n`` events; says on stderr (unless ``quiet``) when no
    release suits a maintenance branch, so that the repository has two tags fewer."""
    n_odd, n_backports = 3, 2
    n_rc = max(2, round(tags * 0.012))
    n_regular = tags - n_odd - n_backports - n_rc
    per_service = split(n_regular, RELEASE_WEIGHTS)
    warm = max(20, n // 100)
    release_idx: list[list[int]] = []
    release_ver: list[list[tuple[int, int, int]]] = []
    for s in range(N_SERVICES):
        release_idx.append(sorted(rng.sample(range(warm, n - 20), per_service[s])))
        release_ver.append(versions(rng, per_service[s], (1, 0, 0) if s % 3 else (0, 1, 0)))
    tag_events: dict[int, list[TagEvent]] = {}
    for s in range(N_SERVICES):
        for k, (j, v) in enumerate(zip(release_idx[s], release_ver[s])):
            tag_events.setdefault(j, []).append(("release", s, f"{SERVICES[s]}/{vtext(v)}", k))

    # The maintenance branch: service MAINT_SERVICE, after a minor release X.Y+1.0 in the
    # middle of its history, fix a bug on main, then backport it (and a second fix) onto a
    # branch made from the last X.Y.z tag, tagging X.Y.z+1 and X.Y.z+2.
    special: dict[int, Action] = {}  # event index -> a planned commit
    maint: Maintenance | None = None
    ms = MAINT_SERVICE
    idx, ver = release_idx[ms], release_ver[ms]
    candidates = [
        k
        for k in range(1, len(ver) - 1)
        if ver[k][2] == 0 and ver[k][0] == ver[k - 1][0] and ver[k][1] == ver[k - 1][1] + 1 and idx[k + 1] - idx[k] > 40
    ]
    if candidates:
        k = min(candidates, key=lambda c: abs(c - len(ver) // 2))
        base_ver = ver[k - 1]
        gap = idx[k + 1] - idx[k]
        fix1, fix2 = idx[k] + gap // 8, idx[k] + gap // 3
        bp1, bp2 = idx[k] + gap // 4, idx[k] + gap // 2
        branch = f"maint/{SERVICES[ms]}-{base_ver[0]}.{base_ver[1]}"
        maint = {
            "service": ms,
            "branch": branch,
            "base_release": k - 1,
            "base_tag": f"{SERVICES[ms]}/{vtext(base_ver)}",
            "backport_tags": [f"{SERVICES[ms]}/{vtext((base_ver[0], base_ver[1], base_ver[2] + i))}" for i in (1, 2)],
        }
        special[fix1] = ("fix", 0)
        special[fix2] = ("fix", 1)
        special[bp1] = ("backport", 0)
        special[bp2] = ("backport", 1)
    elif not quiet:  # no suitable release (tiny repos): no backports
        print(
            f"note: no minor release of {SERVICES[ms]} suits a maintenance branch; {n_backports} tags fewer",
            file=sys.stderr,
        )

    # -rc tags before some minor/major releases (the first of them gets an -rc2 as well).
    rc_candidates = [
        (s, k)
        for s in range(N_SERVICES)
        for k in range(1, len(release_ver[s]))
        if release_ver[s][k][2] == 0 and release_idx[s][k] - release_idx[s][k - 1] > 8
    ]
    rc_chosen = sorted(rng.sample(rc_candidates, min(len(rc_candidates), n_rc - 1)))
    rc_names = []
    for i, (s, k) in enumerate(rc_chosen):
        lo, hi = release_idx[s][k - 1] + 1, release_idx[s][k] - 1
        names = ["rc1", "rc2"] if i == 0 else ["rc1"]
        spots = sorted(rng.sample(range(lo, hi), len(names)))
        for spot, rc in zip(spots, names):
            name = f"{SERVICES[s]}/{vtext(release_ver[s][k])}-{rc}"
            tag_events.setdefault(spot, []).append(("rc", s, name, k))
            rc_names.append(name)

    # Odd tags: one at a tree, two at blobs (one of each matches a service pattern).
    odd_at = {n // 3: "tree", n // 3 + 1: "blob"}
    odd_names = {
        "tree": f"{SERVICES[TREE_TAG_SERVICE]}/v0.0.0-tree",
        "blob": f"{SERVICES[BLOB_TAG_SERVICE]}/v-signing-key",
        "blob2": "release-signing-key",
    }
    return TagPlan(tag_events, special, maint, rc_names, odd_at, odd_names)
