#!/usr/bin/env python3
"""The lineage of imported deployments against that of tags, on the collect benchmark's repository.

    python bench/bench_deploy_lineage.py [--work DIR] [--commits N] [--tags N] [--runs N] [--keep]

Builds (or reuses) the monorepo of ``make_monorepo.py`` (100,000 commits, 1,000 tags by
default) and writes a second configuration whose services count imported deployments
(``deployments = "imports"``) and a ``deployments`` CSV export holding the same releases as
the tags: each service's tags, by name, time and the sha of the tagged commit. Then it
times, as whole processes and alternating, a full collect of each (the database deleted
first; the imported deployments imported before the timed collect, not timed). Both read the
same commits and walk the same graph: the target is the imported deployments' collect no
slower than the tags' (x1.10 allowed, for a shared machine's noise), medians of ``--runs``.
Exit status 0 when the target is met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_monorepo
from measure import banner, database_files, dora_command, explain_failure, remove_paths, run

TARGET = 1.10


def tag_rows(repo: Path) -> list[tuple[str, str, int]]:
    """(tag name, commit sha, time) of every tag that points at a commit: tagger date, else
    the commit's (what ``collect`` takes as a tag's time)."""
    out = subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "for-each-ref",
            "refs/tags",
            "--format=%(refname:strip=2)%00%(objecttype)%00%(*objecttype)%00%(*objectname)%00%(objectname)"
            "%00%(taggerdate:unix)%00%(committerdate:unix)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = []
    for line in out.splitlines():
        name, otype, ptype, pid, oid, tagger, committer = line.split("\0")
        if otype == "commit":
            rows.append((name, oid, int(committer)))
        elif otype == "tag" and ptype == "commit":
            rows.append((name, pid, int(tagger)))
    return rows


def write_imports(work: Path, config: Path) -> tuple[Path, Path]:
    """The imports' configuration (``dora-imports.toml``, its own database) and their export."""
    text = config.read_text()
    services = [line.split('"')[1] for line in text.splitlines() if line.startswith("name = ") and "svc" in line]
    patterns = [line.split('"')[1] for line in text.splitlines() if line.startswith("tag_pattern = ")]
    export = work / "deployments.csv"
    with export.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["service", "name", "time", "sha", "message"])
        for name, sha, when in tag_rows(work / "repo"):
            for service, pattern in zip(services, patterns):  # each service's tags: "svcNN/v*", the rc ones aside
                if name.startswith(pattern.rstrip("*")) and "-rc" not in name:
                    writer.writerow(
                        [service, name, datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), sha, ""]
                    )
    imports = work / "dora-imports.toml"
    imports.write_text(
        text.replace('database = "dora.db"', 'database = "dora-imports.db"', 1).replace(
            "[git]\n", '[git]\ndeployments = "imports"\n', 1
        )
    )
    return imports, export


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=HERE / "work", help="work folder (default bench/work)")
    parser.add_argument("--commits", type=int, default=100_000, help="commits (default 100000)")
    parser.add_argument("--tags", type=int, default=1000, help="annotated tags (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="full collects of each, alternating (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the repository for the next run")
    args = parser.parse_args(argv)
    work = args.work.resolve()
    manifest = make_monorepo.reusable(work, args.commits, args.tags) or make_monorepo.build(
        work, args.commits, args.tags, quiet=True
    )
    config, database = Path(manifest["config"]), Path(manifest["database"])
    imports, export = write_imports(work, config)
    dora = dora_command()
    banner("collector", dora)
    imported_db = work / "dora-imports.db"
    tags_cmd = [*dora, "collect", "--config", str(config), "--full"]
    imports_cmd = [*dora, "collect", "--config", str(imports), "--full"]
    tags_s: list[float] = []
    imports_s: list[float] = []
    for _ in range(args.runs):
        remove_paths(database_files(database))
        tags = run(tags_cmd)
        remove_paths(database_files(imported_db))
        loaded = run([*dora, "import", "deployments", str(export), "--config", str(imports)])
        imported = run(imports_cmd) if loaded.ok else loaded
        for label, r in (("tags' collect", tags), ("imports' collect", imported)):
            if not r.ok:
                print(explain_failure(label, r))
                return 1
        tags_s.append(tags.seconds)
        imports_s.append(imported.seconds)
    t, i = statistics.median(tags_s), statistics.median(imports_s)
    ratio = i / t
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(f"full collect, tags:                 {t:.2f} s  ({', '.join(f'{x:.2f}' for x in tags_s)})")
    print(f"full collect, imported deployments: {i:.2f} s  ({', '.join(f'{x:.2f}' for x in imports_s)})")
    print(f"  ratio imports / tags              x{ratio:.2f}  <= x{TARGET:.2f}  {verdict}")
    row = f"| {args.commits} | {args.tags} | {t:.2f} | {i:.2f} | {ratio:.2f} | {verdict} |"
    print(f"\nrow for bench/README.md:\n{row}")
    if not args.keep:
        remove_paths([*database_files(imported_db), export, imports])
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
