#!/usr/bin/env python3
"""A generated organization for ``bench_collect_jobs.py``: many repositories, built fast and cached.

    python bench/make_org.py DIR [--repos N] [--commits N] [--tags N]

Writes ``DIR/repos/rNN`` (bare-less clones with a work tree's ``.git``; no checkout), each
built by one ``git fast-import`` from a generated stream, ``DIR/dora.toml`` (one team, one
service per repository, ``tag_pattern = "v*"``) and ``DIR/org.json`` (the parameters and a
fingerprint of this file). A second call with the same parameters reuses what is there.

Repositories are uneven (sizes 1x to 5x), their history mostly linear with a short feature
branch merged every 40 commits; two thirds of the tags are annotated, one tag in twenty is an
``-rc`` excluded by the config. Dates and names are fixed: the build is the same every time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

START = 1_600_000_000
STEP = 600  # seconds between commits


def _fingerprint(repos: int, commits: int, tags: int) -> str:
    text = Path(__file__).read_bytes() + f"{repos} {commits} {tags}".encode()
    return hashlib.sha1(text).hexdigest()


def sizes(repos: int, commits: int, tags: int) -> list[tuple[int, int]]:
    """(commits, tags) of each repository: weights 1..5 in turn, summing to the totals."""
    weights = [1 + k % 5 for k in range(repos)]
    total = sum(weights)
    out = [(commits * w // total, max(2, tags * w // total)) for w in weights]
    return out


def stream(n_commits: int, n_tags: int, seed: int) -> bytes:
    """The fast-import stream of one repository."""
    parts: list[str] = []
    every = max(1, n_commits // n_tags)
    mark = 0
    main_mark = 0
    tagged = 0
    when = START + seed * 7
    for n in range(1, n_commits + 1):
        when += STEP
        mark += 1
        author = f"Dev {(n * 7 + seed) % 23}"
        message = f"change {n} of service {seed}\n"
        content = f"{n}\n"
        if n % 40 == 0 and main_mark:
            # a feature branch commit off main, then merged back
            parts.append(
                f"commit refs/heads/feature\nmark :{mark}\nauthor {author} <dev@example.com> {when - 300} +0000\n"
                f"committer {author} <dev@example.com> {when - 300} +0000\ndata {len(message)}\n{message}"
                f"from :{main_mark}\nM 644 inline feature/f{n % 17}.txt\ndata {len(content)}\n{content}\n"
            )
            side = mark
            mark += 1
            merge = f"Merge pull request #{n}\n"
            parts.append(
                f"commit refs/heads/main\nmark :{mark}\nauthor {author} <dev@example.com> {when} +0000\n"
                f"committer {author} <dev@example.com> {when} +0000\ndata {len(merge)}\n{merge}"
                f"from :{main_mark}\nmerge :{side}\n\n"
            )
        else:
            parts.append(
                f"commit refs/heads/main\nmark :{mark}\nauthor {author} <dev@example.com> {when - 60} +0000\n"
                f"committer {author} <dev@example.com> {when} +0000\ndata {len(message)}\n{message}"
                + (f"from :{main_mark}\n" if main_mark else "")
                + f"M 644 inline src/m{n % 31}.txt\ndata {len(content)}\n{content}\n"
            )
        main_mark = mark
        if n % every == 0 and tagged < n_tags:
            tagged += 1
            name = f"v1.{tagged}.0" + ("-rc1" if tagged % 20 == 0 else "")
            if tagged % 3:
                text = f"Release {name}\n"
                parts.append(
                    f"tag {name}\nfrom :{mark}\ntagger Release Bot <bot@example.com> {when + 900} +0000\n"
                    f"data {len(text)}\n{text}\n"
                )
            else:
                parts.append(f"reset refs/tags/{name}\nfrom :{mark}\n\n")
    parts.append("done\n")
    return "".join(parts).encode()


def reusable(work: Path, repos: int, commits: int, tags: int) -> bool:
    """Whether ``work`` holds this very organization, built before."""
    try:
        manifest = json.loads((work / "org.json").read_text())
    except (OSError, ValueError):
        return False
    return bool(manifest.get("fingerprint") == _fingerprint(repos, commits, tags))


def build(work: Path, repos: int, commits: int, tags: int) -> dict[str, object]:
    """Build the organization in ``work`` (anything there is replaced); returns the manifest."""
    if work.exists():
        shutil.rmtree(work)
    (work / "repos").mkdir(parents=True)
    services = []
    for k, (n_commits, n_tags) in enumerate(sizes(repos, commits, tags)):
        path = work / "repos" / f"r{k:02d}"
        subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
        subprocess.run(
            ["git", "-C", str(path), "fast-import", "--quiet", "--done"],
            input=stream(n_commits, n_tags, k),
            check=True,
        )
        subprocess.run(["git", "-C", str(path), "update-ref", "-d", "refs/heads/feature"], check=True)
        services.append(f'[[services]]\nname = "r{k:02d}"\nteam = "platform"\nrepo = "repos/r{k:02d}"\n')
    config = (
        'database = "dora.db"\ntimezone = "UTC"\n\n[git]\ntag_pattern = "v*"\nexclude_pattern = "*-rc*"\n\n'
        '[[teams]]\nname = "platform"\n\n' + "\n".join(services)
    )
    (work / "dora.toml").write_text(config)
    manifest = {"repos": repos, "commits": commits, "tags": tags, "fingerprint": _fingerprint(repos, commits, tags)}
    (work / "org.json").write_text(json.dumps(manifest))
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) the organization in the folder given."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work", type=Path)
    parser.add_argument("--repos", type=int, default=50)
    parser.add_argument("--commits", type=int, default=500_000)
    parser.add_argument("--tags", type=int, default=3000)
    args = parser.parse_args(argv)
    if reusable(args.work, args.repos, args.commits, args.tags):
        print(f"reusing {args.work}")
    else:
        build(args.work, args.repos, args.commits, args.tags)
        print(f"built {args.work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
