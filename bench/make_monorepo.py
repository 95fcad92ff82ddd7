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

The generator's parts are in ``monorepo/``: ``vocabulary`` (the fixed names and words),
``people``, ``plan`` (when the commits happen and where the tags go), ``stream`` (the
fast-import process), ``writer`` and ``history`` (the commits and tags, event by event) and
``manifest`` (``dora.toml``, ``monorepo.json``, the fingerprints).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from monorepo.history import History
from monorepo.manifest import (
    MARKER,
    Manifest,
    describe,
    fingerprint_generator,
    iso,
    load_manifest,
    refs_fingerprint,
    reusable,
    write_config,
)
from monorepo.people import people
from monorepo.plan import commit_times, plan_tags
from monorepo.stream import Stream, start_fast_import
from monorepo.vocabulary import SEED, START

__all__ = ["build", "describe", "load_manifest", "main", "reusable", "write_config"]


def build(dest: Path, commits: int = 100_000, tags: int = 1000, quiet: bool = False) -> Manifest:
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
    plan = plan_tags(rng, n, tags, quiet)

    proc = start_fast_import(repo)
    out = Stream(proc)
    history = History(rng, out, devs, shared, times, plan)
    history.write()
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
    counts, maint, odd_names = history.counts, plan.maint, plan.odd_names
    n_commits = 1 + counts["main"] + counts["feature"] + counts["merges"] + counts["maint"]
    summary = {
        "commits": n_commits,
        "main_line": 1 + counts["main"] + counts["merges"],
        "merges": counts["merges"],
        "feature_branch_commits": counts["feature"],
        "maintenance_commits": counts["maint"],
        "direct_commits": {k: counts[k] for k in ("service", "docs", "ci", "cross", "two-services")},
        "first_commit": iso(START - 86400),
        "last_commit": iso(times[-1]),
        "tags": counts["tags"],
        "release_tags": counts["release_tags"],
        "rc_tags": counts["rc_tags"],
        "rc_names": plan.rc_names,
        "backport_tags": counts["backport_tags"],
        "odd_tags": {odd_names["tree"]: "tree", odd_names["blob"]: "blob", odd_names["blob2"]: "blob"},
        "tags_per_service": dict(sorted(history.per_service_tags.items())),
        "maintenance_branch": maint,
        "branches": ["main"] + ([maint["branch"]] if maint else []),
        "stream_mb": round(out.total / 1e6, 1),
    }
    manifest: Manifest = {
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


def main(argv: list[str] | None = None) -> int:
    """Build the monorepo the command line asks for and describe it; the exit status."""
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
