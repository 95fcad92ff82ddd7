#!/usr/bin/env python3
"""The init benchmark: `dora-tui init` over an organization of repositories with catalogs.

    python bench/bench_init.py [--work DIR] [--repos N] [--runs N] [--keep]

Writes (or reuses, with --keep) into DIR (default ``bench/work/org``), deterministically
(standard library only, fixed names and dates), --repos bare repositories (default 500), each
made by one ``git init --bare`` and one ``git fast-import`` stream:

- a ``catalog-info.yaml`` of two documents (a ``Component`` owned by ``group:default/teamNN``
  in system ``sysN``, and every tenth repository a ``Group`` with a display name and a
  ``Location`` naming ``./services/*/catalog-info.yaml``), a ``.github/CODEOWNERS`` of three
  rules, a README and a source file;
- every fifth repository a monorepo: three modules ``services/mK`` with descriptors of their
  own (one without an owner: CODEOWNERS names it) and tags ``services/mK/vX.Y.Z``;
- 12 tags a repository, pre-releases among them in several spellings (``-rc.1``, ``.rc1``,
  ``-beta.2``).

then measures, as whole processes and wall clock, in one run, alternating:

- the floor: one Python process running ``git for-each-ref refs/tags`` on every repository
  in turn, the least any ``init`` that reads tags must do (one warm-up run, then --runs);
- ``dora-tui init DIR/repos --output DIR/dora.toml --force`` (--runs runs), each checked to
  name every service expected.

Target (issue 13): ``init`` under 10 s. Exit status 0 when met, 1 otherwise (a failing
command counts as a miss), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import banner, dora_command, explain_failure, git_version, run, spread

TARGET_SECONDS = 10.0
EPOCH = 1_704_096_000  # 2024-01-01T08:00:00Z
GIT_ENV = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "PATH": "/usr/bin:/bin"}


def blob(text: str) -> str:
    """A fast-import inline file body."""
    data = text.encode()
    return f"data {len(data)}\n{text}\n"


def files_of(number: int) -> tuple[dict[str, str], list[str]]:
    """The files and tag names of repository ``number``."""
    team = f"team{number % 40:02d}"
    catalog = (
        f"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc{number:03d}\n"
        f"spec:\n  type: service\n  owner: group:default/{team}\n  system: sys{number % 7}\n"
    )
    if number % 10 == 0:
        catalog += f"---\nkind: Group\nmetadata:\n  name: {team}\nspec:\n  profile:\n    displayName: Team {number}\n"
        catalog += "---\nkind: Location\nmetadata:\n  name: more\nspec:\n  targets: [./services/*/catalog-info.yaml]\n"
    files = {
        "catalog-info.yaml": catalog,
        ".github/CODEOWNERS": f"* @acme/{team}\n/services/ @acme/platform\n*.md @acme/docs\n",
        "README.md": f"# svc{number:03d}\n",
        "src/main.py": "print('hello')\n",
    }
    tags = [f"v1.{minor}.0" for minor in range(8)] + ["v1.8.0-rc.1", "v1.8.0.rc1", "v2.0.0-beta.2", "v1.8.0"]
    if number % 5 == 0:
        tags = tags[:6]
        for module in range(3):
            owner = "" if module == 2 else "\nspec:\n  owner: platform\n"
            files[f"services/m{module}/catalog-info.yaml"] = (
                f"kind: Component\nmetadata:\n  name: svc{number:03d}-m{module}{owner}\n"
            )
            files[f"services/m{module}/main.go"] = "package main\n"
            tags += [f"services/m{module}/v0.{minor}.0" for minor in range(2)]
    return files, tags


def stream(number: int) -> str:
    """The fast-import stream of repository ``number``: one commit, its files, its tags."""
    files, tags = files_of(number)
    when = EPOCH + number * 3600
    parts = ["commit refs/heads/main\nmark :1\n", f"committer Ada <ada@example.com> {when} +0000\n", blob("init")]
    parts += [f"M 100644 inline {name}\n{blob(text)}" for name, text in sorted(files.items())]
    parts.append("\n")
    parts += [f"reset refs/tags/{tag}\nfrom :1\n\n" for tag in tags]
    return "".join(parts)


def build(folder: Path, repos: int) -> None:
    """Make the repositories under ``folder`` (removing any there)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for number in range(repos):
        path = folder / f"svc{number:03d}.git"
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], check=True, env=GIT_ENV)
        subprocess.run(
            ["git", "-C", str(path), "fast-import", "--quiet"], input=stream(number).encode(), check=True, env=GIT_ENV
        )


def expected_services(repos: int) -> int:
    """How many services ``init`` should name: one a repository, three a monorepo more."""
    return repos + sum(3 for number in range(repos) if number % 5 == 0)


def main(argv: list[str] | None = None) -> int:
    """Build, measure, print; exit status 0 when the target is met."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=HERE / "work" / "org")
    parser.add_argument("--repos", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the repositories for the next run")
    args = parser.parse_args(argv)
    if args.repos < 1 or args.runs < 1:
        parser.error("--repos and --runs must be at least 1")
    dora = dora_command()
    banner("init", dora)
    print(git_version())
    folder = args.work / "repos"
    stamp = args.work / "built.txt"
    if not (args.keep and stamp.exists() and stamp.read_text() == str(args.repos)):
        print(f"building {args.repos} repositories ...", flush=True)
        build(folder, args.repos)
        stamp.write_text(str(args.repos))
    repos = sorted(str(p) for p in folder.iterdir())
    floor_code = (
        "import subprocess, sys\n"
        "for repo in sys.argv[1:]:\n"
        "    subprocess.run(['git', '-C', repo, 'for-each-ref', '--format=%(refname:strip=2)', 'refs/tags'],"
        " capture_output=True, check=True)\n"
    )
    floor_cmd = [sys.executable, "-c", floor_code, *repos]
    output = args.work / "dora.toml"
    init_cmd = [*dora, "init", str(folder), "--output", str(output), "--force"]
    run(floor_cmd)  # warm-up: the page cache
    floors: list[float] = []
    inits: list[float] = []
    for _ in range(args.runs):
        floor = run(floor_cmd)
        if not floor.ok:
            print(explain_failure("floor", floor))
            return 1
        floors.append(floor.seconds)
        result = run(init_cmd)
        if not result.ok:
            print(explain_failure("init", result))
            return 1
        inits.append(result.seconds)
        services = tomllib.loads(output.read_text())["services"]
        if len(services) != expected_services(args.repos):
            print(f"init named {len(services)} services, expected {expected_services(args.repos)}")
            return 1
    floor_median, init_median = statistics.median(floors), statistics.median(inits)
    print(f"floor (for-each-ref x {args.repos}): {floor_median:.3f} s  [{spread(floors)}]")
    print(f"init over {args.repos} repositories: {init_median:.3f} s  [{spread(inits)}]")
    print(f"  = {init_median / floor_median:.2f}x the floor; target < {TARGET_SECONDS:.0f} s: ", end="")
    met = init_median < TARGET_SECONDS
    print("met" if met else "MISSED")
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
