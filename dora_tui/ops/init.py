"""``init``: find git repositories under folders and write a starting config with tomli-w.

Each repository found (a folder holding ``.git``, or a bare repository) becomes one service
named after its folder. Its tag pattern is guessed from its tags: the most common text
before the first digit (``v1.2.3`` gives ``v*``, ``release-2024.1`` gives ``release-*``),
``re:[0-9].*`` for bare version numbers, and ``*-rc*`` excluded when release candidates exist.
Services are left without a team: the config says so, and the user names teams.

Folder and tag names are kept as they are in the config, but written with escapes for any
control or bidirectional character (:func:`dora_tui.core.inert.document`); a folder whose name is
not valid UTF-8 cannot be written at all, and is refused with its path.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import TextIO

import tomli_w

from collectors.git import failure
from dora_tui.core.inert import document as inert_document
from dora_tui.errors import AlreadyExists, GitMissing, OptionError, UsageError
from dora_tui.ops.files import replace_file

_UNDECODABLE = re.compile("[\ud800-\udfff]")  # a byte of a file name that is not UTF-8
SKIP_DIRS = {"node_modules", ".venv", "venv", "__pycache__", "target", "dist", "build"}
MAX_DEPTH = 3


def find_repositories(roots: list[Path]) -> list[Path]:
    """Git repositories at or below ``roots`` (up to three levels down), sorted, without duplicates."""
    found: list[Path] = []
    for root in roots:
        if not root.is_dir():
            raise UsageError(f"{root}: no such folder")
        _walk(root.resolve(), 0, found)
    return sorted(set(found))


def _is_repo(path: Path) -> bool:
    if (path / ".git").exists():
        return True
    return (path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir()


def _walk(path: Path, depth: int, found: list[Path]) -> None:
    if _is_repo(path):
        found.append(path)
        return
    if depth >= MAX_DEPTH:
        return
    try:
        children = sorted(p for p in path.iterdir() if p.is_dir())
    except OSError:
        return
    for child in children:
        if child.name.startswith(".") or child.name in SKIP_DIRS:
            continue
        _walk(child, depth + 1, found)


def guess_tag_pattern(tags: list[str]) -> tuple[str, str]:
    """(tag_pattern, exclude_pattern) guessed from a repository's tag names."""
    prefixes: Counter[str] = Counter()
    for tag in tags:
        match = re.match(r"^(\D*?)\d", tag)
        if match:
            prefixes[match.group(1)] += 1
    exclude = "*-rc*" if any("-rc" in t for t in tags) else ""
    if not prefixes:
        return "v*", exclude
    prefix = prefixes.most_common(1)[0][0]
    return (f"{prefix}*" if prefix else "re:[0-9].*"), exclude


def list_tag_names(repo: Path) -> list[str]:
    """The tag names of ``repo`` (one ``git for-each-ref`` call); :class:`GitError` when git cannot read it."""
    out = subprocess.run(
        ["git", "-C", str(repo), "for-each-ref", "--format=%(refname:strip=2)", "refs/tags"],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:  # a repository git refuses to read: say why, rather than guess without its tags
        raise failure(repo, "for-each-ref", out.stderr, out.returncode)
    return out.stdout.split()


def write_config(roots: list[Path], output: Path, *, force: bool = False) -> tuple[Path, list[str]]:
    """Write a config for the repositories under ``roots``; returns its path and the service names."""
    if output.exists() and not force:
        raise AlreadyExists(output)
    repos = find_repositories(roots)
    if not repos:
        raise UsageError(f"no git repository found under {', '.join(str(r) for r in roots)}")
    if shutil.which("git") is None:  # the tags are read with git
        raise GitMissing()
    base = output.resolve().parent
    services = []
    names: set[str] = set()
    for repo in repos:
        name = repo.name.removesuffix(".git")
        while name in names:
            name = f"{repo.parent.name}-{name}"
        names.add(name)
        relative = os.path.relpath(repo, base)
        if _UNDECODABLE.search(relative + name):
            raise UsageError(
                f"{repo}: a folder name in this path is not valid UTF-8, so it cannot be "
                "written in the config; rename it, or run init on other folders"
            )
        pattern, exclude = guess_tag_pattern(list_tag_names(repo))
        entry = {"name": name, "repo": relative, "tag_pattern": pattern}
        if exclude:
            entry["exclude_pattern"] = exclude
        services.append(entry)
    document = {
        "database": "dora.db",
        "timezone": _local_zone(),
        "months": 12,
        "trend_months": 6,
        "git": {"commit_time": "author", "include_merges": False},
        "services": services,
    }
    text = inert_document(tomli_w.dumps(document))

    def write(handle: TextIO) -> None:
        handle.write(text)

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        replace_file(output, write, follow_link=True)  # whole or not at all
    except OSError as exc:
        raise OptionError("output", f"cannot write {output}: {exc.strerror}") from None
    return output, [s["name"] for s in services]


def _local_zone() -> str:
    """The machine's IANA time zone name when it can be read (and loads), else UTC."""
    from zoneinfo import ZoneInfo

    candidates = []
    env = os.environ.get("TZ", "").lstrip(":")
    if env:
        candidates.append(env.split("zoneinfo/", 1)[-1])
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if "/" in name and not name.startswith("/"):
            try:
                ZoneInfo(name)
            except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
                continue
            return name
    return "UTC"
