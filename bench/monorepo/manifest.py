"""What ``make_monorepo.py`` records beside the repository, and reads back to reuse it: the
fingerprints of the generator and of the refs, ``DIR/dora.toml`` (:func:`write_config`),
``DIR/monorepo.json`` (:func:`load_manifest`, :func:`reusable`) and its summary in words
(:func:`describe`)."""

from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from monorepo.vocabulary import SERVICES

Manifest = dict[str, Any]
"""``DIR/monorepo.json``, a JSON document: the parameters, fingerprints, paths and summary."""

MARKER = "made-by-make_monorepo"  # in .git: a half-built repository may be rebuilt
BENCH = Path(__file__).resolve().parent.parent  # the bench folder: make_monorepo.py and monorepo/


def generator_files() -> list[Path]:
    """Every module the generator consists of, in a fixed order: ``make_monorepo.py``, then
    the modules of ``monorepo/`` by name."""
    return [BENCH / "make_monorepo.py", *sorted((BENCH / "monorepo").glob("*.py"), key=lambda p: p.name)]


def fingerprint_generator() -> str:
    """Changes whenever a module of the generator changes: a rebuilt generator means a rebuilt repository."""
    digest = hashlib.sha256()
    for path in generator_files():
        source = path.read_bytes()
        digest.update(f"{path.relative_to(BENCH).as_posix()} {len(source)}\n".encode())
        digest.update(source)
    return digest.hexdigest()[:16]


def refs_fingerprint(repo: Path) -> str:
    """A hash of every ref of ``repo`` and the object it points at."""
    out = subprocess.run(
        ["git", "-C", str(repo), "for-each-ref", "--format=%(objectname) %(refname)"], capture_output=True, check=True
    ).stdout
    return hashlib.sha256(out).hexdigest()[:16]


def iso(t: int) -> str:
    """A time as its UTC day, ``2022-01-03``."""
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


def load_manifest(dest: Path) -> Manifest | None:
    """``DIR/monorepo.json`` as written, or None when it is missing or unreadable."""
    try:
        manifest: Manifest = json.loads((dest / "monorepo.json").read_text(encoding="utf-8"))
        return manifest
    except (OSError, ValueError):
        return None


def reusable(dest: Path, commits: int, tags: int) -> Manifest | None:
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


def describe(m: Manifest) -> str:
    """What a manifest says was built, in a few lines for a person."""
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
