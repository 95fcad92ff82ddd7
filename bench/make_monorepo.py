#!/usr/bin/env python3
"""Build the synthetic monorepo that the git collection benchmark mines.

    python bench/make_monorepo.py DIR [--commits N] [--tags N]

writes, into DIR:

- ``DIR/repo``: a git repository built by ONE ``git fast-import`` process fed a generated
  stream: ``--commits`` commits (default 100,000) over 3 years (2022-01-03 .. 2025-01-02),
  10 services as folders ``services/svc00`` .. ``services/svc09`` plus ``docs/`` and ``ci/``;
  each commit touches 1-3 files, mostly inside one service folder; about 3 % merge commits
  (short feature branches merged back as pull requests); ``--tags`` annotated tags in total
  (default 1,000): per-service release tags ``svc03/v1.2.3`` tagged after their commit, a
  handful of ``-rc`` tags, tags pointing at a tree and at blobs (a collector must skip them),
  and a maintenance branch ``maint/svcNN-X.Y`` carrying two backports, each tagged;
- ``DIR/dora.toml``: one team, the 10 services (``path = "services/svcNN"``,
  ``tag_pattern = "svcNN/v*"``), ``exclude_pattern = "*-rc*"``, database ``DIR/dora.db``;
- ``DIR/monorepo.json``: the parameters, a fingerprint of the generator and of the refs, and
  a summary of what was built (read by ``bench_collect.py`` to reuse the repository).

Everything is deterministic: a fixed seed, fixed dates and fixed author names, so the same
parameters always give the same commit ids. Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

SEED = 20220103
START = 1641168000  # 2022-01-03 00:00:00 UTC, a Monday
DAYS = 3 * 365 + 1  # three years: up to 2025-01-02
N_SERVICES = 10
SERVICES = [f"svc{i:02d}" for i in range(N_SERVICES)]
# How busy each service is (share of the commits) and how often it releases.
COMMIT_WEIGHTS = [18, 14, 12, 11, 10, 9, 8, 7, 6, 5]
RELEASE_WEIGHTS = [14, 12, 11, 10, 10, 10, 9, 9, 8, 7]
MAINT_SERVICE = 3  # the service with a maintenance branch and backports
TREE_TAG_SERVICE = 1  # `svc01/v0.0.0-tree` points at a tree
BLOB_TAG_SERVICE = 4  # `svc04/v-signing-key` points at a blob

FIRST = [
    "Alice",
    "Bilal",
    "Chen",
    "Dana",
    "Emeka",
    "Fatima",
    "Gustav",
    "Hana",
    "Ivan",
    "José",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tomoko",
    "Umar",
    "Valeria",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zoë",
]
LAST = [
    "Andersen",
    "Bakker",
    "Costa",
    "Dubois",
    "Eriksson",
    "Fischer",
    "García",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Patel",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weber",
    "Yilmaz",
    "Zhang",
]
TIMEZONES = ["+0000", "+0100", "+0100", "+0200", "-0500", "-0800", "+0530", "+0900", "-0300"]
VERBS = [
    "Fix",
    "Add",
    "Update",
    "Refactor",
    "Remove",
    "Improve",
    "Handle",
    "Simplify",
    "Rename",
    "Document",
    "Test",
    "Speed up",
    "Validate",
    "Log",
    "Retry",
]
NOUNS = [
    "timeout handling",
    "config loader",
    "retry policy",
    "health check",
    "cache key",
    "metrics labels",
    "error message",
    "pagination",
    "input validation",
    "rate limiter",
    "connection pool",
    "feature flag",
    "serializer",
    "auth middleware",
    "date parsing",
    "migration",
    "batch size",
    "logging",
    "dependency pins",
    "API schema",
]
PACKAGES = ["core", "handlers", "storage"]
DOCS = [
    f"docs/{name}.md"
    for name in [
        "index",
        "architecture",
        "onboarding",
        "runbook",
        "oncall",
        "release-process",
        "style-guide",
        "adr/0001-monorepo",
        "adr/0002-tags",
        "adr/0003-ci",
        "api/overview",
        "api/errors",
        "security",
        "glossary",
        "faq",
        "roadmap",
    ]
]
CI = [
    f"ci/{name}"
    for name in [
        "pipeline.yml",
        "lint.yml",
        "test.yml",
        "release.yml",
        "deploy.yml",
        "scripts/build.sh",
        "scripts/release.sh",
        "docker/base.Dockerfile",
    ]
]
ROOT = ["README.md", "Makefile", ".gitignore", "CODEOWNERS", "pyproject.toml"]
MARKER = "made-by-make_monorepo"  # in .git: a half-built repository may be rebuilt
BOT = ("Release Bot", "release-bot@example.com")
GITHUB = ("GitHub", "noreply@github.com")


@dataclass
class Person:
    name: str
    email: str
    tz: str


@dataclass
class Feature:
    """A short-lived branch: a few commits on one service, then merged back."""

    slot: int
    service: int
    author: Person
    title: str
    pr: int
    tip: int = 0  # mark of the last commit on the branch
    files: dict[str, str] = field(default_factory=dict)  # path -> content at the tip
    commits: int = 0


class Stream:
    """Buffers the fast-import stream and writes it in large chunks; answers `ls`/`get-mark`."""

    def __init__(self, proc: subprocess.Popen[bytes]):
        self.proc = proc
        self.parts: list[str] = []
        self.size = 0
        self.total = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        if self.size > 1 << 20:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            data = "".join(self.parts).encode()
            self.total += len(data)
            assert self.proc.stdin is not None
            self.proc.stdin.write(data)
            self.parts.clear()
            self.size = 0
        assert self.proc.stdin is not None
        self.proc.stdin.flush()

    def ask(self, command: str) -> str:
        """Send a command answered on fast-import's stdout (`ls`, `get-mark`), return the answer."""
        self.write(command + "\n")
        self.flush()
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().decode().rstrip("\n")


def data(text: str) -> str:
    """A fast-import `data` block (exact byte count, then the optional LF)."""
    return f"data {len(text.encode())}\n{text}\n"


def fingerprint_generator() -> str:
    """Changes whenever this file changes: a rebuilt generator means a rebuilt repository."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def refs_fingerprint(repo: Path) -> str:
    out = subprocess.run(
        ["git", "-C", str(repo), "for-each-ref", "--format=%(objectname) %(refname)"], capture_output=True, check=True
    ).stdout
    return hashlib.sha256(out).hexdigest()[:16]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def people(rng: random.Random) -> tuple[list[list[Person]], list[Person]]:
    """Five or six developers per service, plus a few for docs/CI; fixed names."""
    pairs = [(first, last) for first in FIRST for last in LAST]
    rng.shuffle(pairs)
    it = iter(pairs)

    def person() -> Person:
        first, last = next(it)
        return Person(
            f"{first} {last}", f"{_ascii(first).lower()}.{_ascii(last).lower()}@example.com", rng.choice(TIMEZONES)
        )

    per_service = [[person() for _ in range(5 + i % 2)] for i in range(N_SERVICES)]
    shared = [person() for _ in range(6)]
    return per_service, shared


def commit_times(rng: random.Random, n: int) -> list[int]:
    """n sorted, strictly increasing times over the 3 years: weekdays, working hours,
    a little busier each year."""
    out = []
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
    return f"v{v[0]}.{v[1]}.{v[2]}"


def build(dest: Path, commits: int = 100_000, tags: int = 1000, quiet: bool = False) -> dict:
    """Build DIR/repo, DIR/dora.toml and DIR/monorepo.json; return the manifest."""
    if commits < 500:
        raise ValueError("--commits must be at least 500")
    if tags < 40:
        raise ValueError("--tags must be at least 40")
    if tags > commits // 5:
        raise ValueError("--tags must be at most a fifth of --commits")
    t0 = time.perf_counter()
    dest = dest.resolve()
    repo = dest / "repo"
    manifest_path = dest / "monorepo.json"
    if repo.exists():
        ours = manifest_path.exists() or (repo / ".git" / MARKER).exists()
        if not ours and any(repo.iterdir()):
            raise ValueError(f"{repo} exists and was not built by this script; not touching it")
        shutil.rmtree(repo)
    manifest_path.unlink(missing_ok=True)
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "--initial-branch=main", str(repo)], check=True)
    (repo / ".git" / MARKER).write_text("built by bench/make_monorepo.py\n", encoding="utf-8")

    rng = random.Random(SEED)
    devs, shared = people(rng)
    n = commits - 1  # events after the initial commit
    times = commit_times(rng, n)

    # --- tags: how many of each kind, and when ------------------------------------------
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
    tag_events: dict[int, list[tuple]] = {}  # event index -> [(kind, service, name, extra)]
    for s in range(N_SERVICES):
        for k, (j, v) in enumerate(zip(release_idx[s], release_ver[s])):
            tag_events.setdefault(j, []).append(("release", s, f"{SERVICES[s]}/{vtext(v)}", k))

    # The maintenance branch: service MAINT_SERVICE, after a minor release X.Y+1.0 in the
    # middle of its history, fix a bug on main, then backport it (and a second fix) onto a
    # branch made from the last X.Y.z tag, tagging X.Y.z+1 and X.Y.z+2.
    special: dict[int, tuple] = {}  # event index -> a planned commit
    maint = None
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
    else:
        n_regular_extra = n_backports  # no suitable release (tiny repos): no backports
        n_backports = 0
        if not quiet:
            print(
                f"note: no minor release of {SERVICES[ms]} suits a maintenance branch; {n_regular_extra} tags fewer",
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
    n_rc = len(rc_names)

    # Odd tags: one at a tree, two at blobs (one of each matches a service pattern).
    odd_at = {n // 3: "tree", n // 3 + 1: "blob"}
    odd_names = {
        "tree": f"{SERVICES[TREE_TAG_SERVICE]}/v0.0.0-tree",
        "blob": f"{SERVICES[BLOB_TAG_SERVICE]}/v-signing-key",
        "blob2": "release-signing-key",
    }

    # --- the stream -----------------------------------------------------------------------
    # fast-import spends much of its time in malloc growing and trimming the heap around
    # each zlib stream; a high trim threshold (glibc) keeps the heap, and a third of the time.
    env = dict(
        os.environ,
        GLIBC_TUNABLES="glibc.malloc.trim_threshold=1073741824:glibc.malloc.top_pad=67108864",
        MALLOC_TRIM_THRESHOLD_="1073741824",
        MALLOC_TOP_PAD_="67108864",
    )
    proc = subprocess.Popen(
        ["git", "-C", str(repo), "fast-import", "--quiet", "--active-branches=32"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    out = Stream(proc)
    w = out.write
    rand, randint, choice = rng.random, rng.randint, rng.choice
    w("feature done\n")

    files: list[list[str]] = []
    for s in range(N_SERVICES):
        base = f"services/{SERVICES[s]}"
        svc_files = [f"{base}/src/{pkg}/mod{m:02d}.py" for m in range(10) for pkg in PACKAGES]
        svc_files += [f"{base}/tests/test_{m:02d}.py" for m in range(12)]
        svc_files += [f"{base}/api/v{m}.yaml" for m in range(1, 4)]
        svc_files += [f"{base}/README.md", f"{base}/Dockerfile", f"{base}/pyproject.toml"]
        files.append(svc_files)
    next_module = [10] * N_SERVICES

    mark = 0

    # Initial commit: the whole skeleton.
    mark += 1
    founder = devs[0][0]
    w(
        f"commit refs/heads/main\nmark :{mark}\n"
        f"author {founder.name} <{founder.email}> {START - 86400} {founder.tz}\n"
        f"committer {founder.name} <{founder.email}> {START - 86400} {founder.tz}\n"
        + data("Initial import of the monorepo\n")
    )
    for path in [p for fl in files for p in fl] + DOCS + CI + ROOT:
        w(f"M 100644 inline {path}\n" + data(f"{path} r0\n"))
    main_tip, main_time = mark, START - 86400

    def pick(svc: int, count: int) -> list[str]:
        fl = files[svc]
        out_paths = []
        for _ in range(count):
            if rand() < 0.02:  # a new module
                pkg = PACKAGES[next_module[svc] % 3]
                path = f"services/{SERVICES[svc]}/src/{pkg}/mod{next_module[svc]:02d}.py"
                next_module[svc] += 1
                fl.append(path)
            else:  # hot files are touched more often
                path = fl[int(len(fl) * rand() ** 2)]
            if path not in out_paths:
                out_paths.append(path)
        return out_paths

    def subject_for(svc: int | None, where: str = "") -> str:
        scope = SERVICES[svc] if svc is not None else where
        return f"{scope}: {choice(VERBS)} {choice(NOUNS)}"

    def ident(p: Person | tuple[str, str], t: int, tz: str = "+0000") -> str:
        if isinstance(p, Person):
            return f"{p.name} <{p.email}> {t} {p.tz}"
        return f"{p[0]} <{p[1]}> {t} {tz}"

    # Feature branches: started at an event, their commits and merge planned at later events.
    plan: dict[int, tuple] = dict(special)
    features: dict[int, Feature] = {}
    free_slots: list[int] = []
    n_slots = 0
    pr_number = 1000
    stop_short, stop_long = n - 400, n - 1800  # every branch is merged before the end

    def place(j: int, action: tuple) -> int:
        while j in plan:
            j += 1
        plan[j] = action
        return j

    counts = Counter()
    fix_marks: list[int] = []
    fix_changes: list[tuple[str, list[str], int]] = []
    maint_tip = 0
    release_marks: dict[tuple[int, int], int] = {}
    last_tag_time = [0] * N_SERVICES
    per_service_tags = Counter()
    tree_sha = ""

    def tag(
        name: str, target: str, tagger: tuple[str, str] | Person, when: int, message: str, service: int | None = None
    ) -> None:
        w(f"tag {name}\nfrom {target}\ntagger {ident(tagger, when)}\n" + data(message))
        counts["tags"] += 1
        if service is not None:
            per_service_tags[SERVICES[service]] += 1
            last_tag_time[service] = max(last_tag_time[service], when)

    for j in range(n):
        t = times[j]
        action = plan.pop(j, None)
        if action is None and j < stop_short and rand() < 0.03:
            # Start a feature branch: this event is its first commit.
            svc = rng.choices(range(N_SERVICES), COMMIT_WEIGHTS)[0]
            slot = free_slots.pop() if free_slots else n_slots
            if slot == n_slots:
                n_slots += 1
            pr_number += 1
            fid = j
            features[fid] = Feature(slot, svc, choice(devs[svc]), subject_for(svc), pr_number)
            action = ("feature", fid)
            length = rng.choices([1, 2, 3, 4, 6], [30, 30, 20, 12, 8])[0]
            at = j
            for _ in range(length - 1):
                at = place(at + randint(1, 30), ("feature", fid))
            long_lived = rand() < 0.05 and j < stop_long
            place(at + (randint(100, 1500) if long_lived else randint(3, 200)), ("merge", fid))

        if action is None:
            # A commit straight on main.
            mark += 1
            r = rand()
            if r < 0.86:
                svc = rng.choices(range(N_SERVICES), COMMIT_WEIGHTS)[0]
                author = choice(devs[svc])
                paths = pick(svc, rng.choices([1, 2, 3], [55, 30, 15])[0])
                subject = subject_for(svc)
                counts["service"] += 1
            elif r < 0.92:
                author = choice(shared)
                paths = list(dict.fromkeys(choice(DOCS) for _ in range(randint(1, 2))))
                subject = subject_for(None, "docs")
                counts["docs"] += 1
            elif r < 0.95:
                author = choice(shared)
                paths = [choice(CI) if rand() < 0.8 else choice(ROOT)]
                subject = subject_for(None, "ci")
                counts["ci"] += 1
            elif r < 0.985:
                svc = rng.choices(range(N_SERVICES), COMMIT_WEIGHTS)[0]
                author = choice(devs[svc])
                paths = [*pick(svc, 1), choice(DOCS) if rand() < 0.6 else choice(CI)]
                subject = subject_for(svc)
                counts["cross"] += 1
            else:
                a, b = rng.sample(range(N_SERVICES), 2)
                author = choice(devs[a])
                paths = pick(a, 1) + pick(b, 1)
                subject = f"{SERVICES[a]}, {SERVICES[b]}: {choice(VERBS)} shared {choice(NOUNS)}"
                counts["two-services"] += 1
            if rand() < 0.03:
                subject = f'Revert "{subject}"'
            authored = t - randint(600, 5 * 86400) if rand() < 0.15 else t
            w(
                f"commit refs/heads/main\nmark :{mark}\nauthor {ident(author, authored)}\n"
                f"committer {ident(author, t)}\n" + data(subject + "\n") + f"from :{main_tip}\n"
            )
            for path in paths:
                w(f"M 100644 inline {path}\n" + data(f"{path} r{j + 1}\n"))
            main_tip, main_time = mark, t
            counts["main"] += 1

        elif action[0] == "feature":
            f = features[action[1]]
            mark += 1
            paths = pick(f.service, rng.choices([1, 2, 3], [50, 35, 15])[0])
            subject = f.title if f.commits == 0 else subject_for(f.service)
            parent = f.tip or main_tip
            w(
                f"commit refs/heads/wip/{f.slot}\nmark :{mark}\nauthor {ident(f.author, t)}\n"
                f"committer {ident(f.author, t)}\n" + data(subject + "\n") + f"from :{parent}\n"
            )
            for path in paths:
                content = f"{path} r{j + 1}\n"
                f.files[path] = content
                w(f"M 100644 inline {path}\n" + data(content))
            f.tip = mark
            f.commits += 1
            counts["feature"] += 1

        elif action[0] == "merge":
            f = features.pop(action[1])
            mark += 1
            merger = choice([p for p in devs[f.service] if p is not f.author] or devs[f.service])
            branch = f"{_ascii(f.author.name.split()[0]).lower()}/{f.title.split(': ', 1)[1].lower().replace(' ', '-')}"
            message = f"Merge pull request #{f.pr} from example/{branch}\n\n{f.title}\n"
            w(
                f"commit refs/heads/main\nmark :{mark}\nauthor {ident(merger, t)}\n"
                f"committer {ident(GITHUB, t)}\n" + data(message) + f"from :{main_tip}\nmerge :{f.tip}\n"
            )
            for path, content in f.files.items():
                w(f"M 100644 inline {path}\n" + data(content))
            main_tip, main_time = mark, t
            free_slots.append(f.slot)
            counts["merges"] += 1

        elif action[0] == "fix":
            assert maint is not None
            mark += 1
            author = choice(devs[ms])
            paths = pick(ms, 1)
            subject = f"{SERVICES[ms]}: Fix {choice(NOUNS)} regression"
            w(
                f"commit refs/heads/main\nmark :{mark}\nauthor {ident(author, t)}\n"
                f"committer {ident(author, t)}\n" + data(subject + "\n") + f"from :{main_tip}\n"
            )
            for path in paths:
                w(f"M 100644 inline {path}\n" + data(f"{path} r{j + 1}\n"))
            main_tip, main_time = mark, t
            fix_marks.append(mark)
            fix_changes.append((subject, paths, j + 1))
            counts["main"] += 1

        elif action[0] == "backport":
            assert maint is not None
            i = action[1]
            subject, paths, rev = fix_changes[i]
            sha = out.ask(f"get-mark :{fix_marks[i]}")
            mark += 1
            author = choice(devs[ms])
            parent = maint_tip or release_marks[(ms, maint["base_release"])]
            message = f"{subject}\n\n(cherry picked from commit {sha})\n"
            w(
                f"commit refs/heads/{maint['branch']}\nmark :{mark}\n"
                f"author {ident(author, times[j] - randint(3600, 86400))}\n"
                f"committer {ident(author, t)}\n" + data(message) + f"from :{parent}\n"
            )
            for path in paths:
                w(f"M 100644 inline {path}\n" + data(f"{path} r{rev}\n"))
            maint_tip = mark
            counts["maint"] += 1
            when = max(t + randint(1800, 4 * 3600), last_tag_time[ms] + 60)
            name = maint["backport_tags"][i]
            tag(name, f":{mark}", BOT, when, f"{name.split('/')[0]} {name.split('/')[1]}\n\nBackport: {subject}\n", ms)
            counts["backport_tags"] += 1

        # Tags placed at this event point at the tip of main.
        for kind, s, name, k in tag_events.pop(j, ()):
            when = max(main_time + randint(300, 6 * 3600), last_tag_time[s] + 60)
            svc, version = name.split("/", 1)
            if kind == "release":
                release_marks[(s, k)] = main_tip
                hotfix = version.split(".")[-1] != "0" and rand() < 0.05
                title = f"Hotfix release {svc} {version}" if hotfix else f"{svc} {version}"
                tagger = BOT if rand() < 0.8 else choice(devs[s])
                tag(name, f":{main_tip}", tagger, when, f"{title}\n\nRelease of {svc} {version}.\n", s)
                counts["release_tags"] += 1
            else:
                tag(name, f":{main_tip}", BOT, when, f"{svc} {version}\n\nRelease candidate.\n", s)
                counts["rc_tags"] += 1

        if j in odd_at:
            when = main_time + 3600
            if odd_at[j] == "tree":
                sub = f"services/{SERVICES[TREE_TAG_SERVICE]}"
                # (the LF ends the commit: inside one, `ls` would be read as part of it)
                answer = out.ask(f"\nls :{main_tip} {sub}")
                tree_sha = answer.split()[2]
                tag(
                    odd_names["tree"],
                    tree_sha,
                    choice(devs[TREE_TAG_SERVICE]),
                    when,
                    f"The {sub} tree as handed to the auditors\n",
                )
            else:
                mark += 1
                w(
                    f"blob\nmark :{mark}\n"
                    + data(
                        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n"
                        "mQINBGJdAAABEAC7example\n"
                        "-----END PGP PUBLIC KEY BLOCK-----\n"
                    )
                )
                tag(odd_names["blob"], f":{mark}", BOT, when, "The key that signs svc04 releases\n")
                tag(odd_names["blob2"], f":{mark}", BOT, when + 60, "The release signing key\n")
            counts["odd_tags"] += 1 if odd_at[j] == "tree" else 2

    assert not features and not plan, "every feature branch is merged"
    for slot in range(n_slots):  # the feature branches are merged: delete their refs
        w(f"reset refs/heads/wip/{slot}\nfrom {'0' * 40}\n\n")
    w("done\n")
    try:
        out.flush()
        assert proc.stdin is not None
        proc.stdin.close()
    except BrokenPipeError:
        pass
    code = proc.wait()
    if code != 0:
        raise RuntimeError(f"git fast-import failed (exit {code}); see its message above")
    t_import = time.perf_counter() - t0
    # A working tree, as in a clone (fast-import writes only objects and refs).
    subprocess.run(["git", "-C", str(repo), "reset", "-q", "--hard"], check=True)

    head = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "main"], capture_output=True, text=True, check=True
    ).stdout.strip()
    write_config(dest)
    n_commits = 1 + counts["main"] + counts["feature"] + counts["merges"] + counts["maint"]
    summary = {
        "commits": n_commits,
        "main_line": 1 + counts["main"] + counts["merges"],
        "merges": counts["merges"],
        "feature_branch_commits": counts["feature"],
        "maintenance_commits": counts["maint"],
        "direct_commits": {k: counts[k] for k in ("service", "docs", "ci", "cross", "two-services")},
        "first_commit": _iso(START - 86400),
        "last_commit": _iso(times[-1]),
        "tags": counts["tags"],
        "release_tags": counts["release_tags"],
        "rc_tags": counts["rc_tags"],
        "rc_names": rc_names,
        "backport_tags": counts["backport_tags"],
        "odd_tags": {odd_names["tree"]: "tree", odd_names["blob"]: "blob", odd_names["blob2"]: "blob"},
        "tags_per_service": dict(sorted(per_service_tags.items())),
        "maintenance_branch": maint,
        "branches": ["main"] + ([maint["branch"]] if maint else []),
        "stream_mb": round(out.total / 1e6, 1),
    }
    manifest = {
        "generator": fingerprint_generator(),
        "commits": commits,
        "tags": tags,
        "seed": SEED,
        "head": head,
        "refs": refs_fingerprint(repo),
        "repo": str(repo),
        "config": str(dest / "dora.toml"),
        "database": str(dest / "dora.db"),
        "build_seconds": round(time.perf_counter() - t0, 2),
        "import_seconds": round(t_import, 2),
        "summary": summary,
    }
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _iso(t: int) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d")


def write_config(dest: Path) -> Path:
    """DIR/dora.toml: one team, the 10 services, the database next to it."""
    lines = [
        "# Written by bench/make_monorepo.py for the git collection benchmark.",
        'database = "dora.db"',
        'timezone = "UTC"',
        "",
        "[git]",
        'exclude_pattern = "*-rc*"',
        "",
        "[[teams]]",
        'name = "platform"',
    ]
    for svc in SERVICES:
        lines += [
            "",
            "[[services]]",
            f'name = "{svc}"',
            'team = "platform"',
            'repo = "repo"',
            f'path = "services/{svc}"',
            f'tag_pattern = "{svc}/v*"',
        ]
    path = dest / "dora.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load_manifest(dest: Path) -> dict | None:
    try:
        return json.loads((dest / "monorepo.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def reusable(dest: Path, commits: int, tags: int) -> dict | None:
    """The manifest of DIR when DIR/repo was built by this generator with these parameters
    and its refs are untouched; else None."""
    m = load_manifest(dest)
    repo = dest / "repo"
    if (
        not m
        or m.get("generator") != fingerprint_generator()
        or m.get("commits") != commits
        or m.get("tags") != tags
        or not (dest / "dora.toml").is_file()
        or not (repo / ".git").is_dir()
    ):
        return None
    try:
        if refs_fingerprint(repo) != m.get("refs"):
            return None
    except subprocess.CalledProcessError:
        return None
    return m


def describe(m: dict) -> str:
    s = m["summary"]
    per = ", ".join(f"{k} {v}" for k, v in s["tags_per_service"].items())
    maint = s["maintenance_branch"]
    lines = [
        f"repository  {m['repo']}",
        f"  commits   {s['commits']:,} from {s['first_commit']} to {s['last_commit']}: "
        f"{s['merges']:,} merges, {s['feature_branch_commits']:,} on feature branches, "
        f"{s['maintenance_commits']} on the maintenance branch",
        "  direct    " + ", ".join(f"{k} {v:,}" for k, v in s["direct_commits"].items()),
        f"  tags      {s['tags']:,} annotated: {s['release_tags']:,} releases, "
        f"{s['rc_tags']} -rc ({', '.join(s['rc_names'][:3])}, ...), "
        f"{s['backport_tags']} backports, {len(s['odd_tags'])} not at a commit "
        f"({', '.join(f'{k} -> {v}' for k, v in s['odd_tags'].items())})",
        f"  per service  {per}",
    ]
    if maint:
        lines.append(
            f"  maintenance  {maint['branch']} from {maint['base_tag']}, "
            f"backports tagged {', '.join(maint['backport_tags'])}"
        )
    lines += [
        f"config      {m['config']} (database {m['database']})",
        f"built in {m['build_seconds']} s (stream {s['stream_mb']} MB, fast-import done after {m['import_seconds']} s)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", type=Path, help="folder to build into (DIR/repo, DIR/dora.toml)")
    parser.add_argument("--commits", type=int, default=100_000, help="commits (default 100000)")
    parser.add_argument("--tags", type=int, default=1000, help="annotated tags (default 1000)")
    args = parser.parse_args(argv)
    try:
        manifest = build(args.dir, args.commits, args.tags)
    except ValueError as exc:
        parser.error(str(exc))
    except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        print(f"make_monorepo: {exc}", file=sys.stderr)
        return 1
    print(describe(manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
