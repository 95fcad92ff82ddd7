"""Finding git repositories under folders, and the machine's zone."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from dora_tui.errors import UsageError

SKIP_DIRS = {"node_modules", ".venv", "venv", "__pycache__", "target", "dist", "build"}
MAX_DEPTH = 3


@dataclass(frozen=True)
class Discovery:
    """The repositories found, each with its label (its path as the user named it: the folder
    init was given, then the way down to it), sorted by path."""

    repos: list[tuple[Path, str]]


def find_repositories(roots: list[Path]) -> Discovery:
    """Git repositories at or below ``roots`` (up to three levels down), sorted, without duplicates.

    One repository reached by two paths (a symbolic link to it beside it) is one: its own path
    is kept over a link's, else the first in order, so it never becomes two services.
    """
    found: list[tuple[Path, str]] = []
    for root in roots:
        if not root.is_dir():
            raise UsageError(f"{root}: no such folder")
        top = root.resolve()
        _walk(top, 0, found, partial(_label, root, top))
    kept: dict[Path, tuple[Path, str]] = {}
    for path, label in sorted(found):
        real = path.resolve()
        if real not in kept or (kept[real][0] != real and path == real):
            kept[real] = (path, label)
    return Discovery(sorted(kept.values()))


def _label(root: Path, top: Path, path: Path) -> str:
    """``path`` (at or below ``top``, the resolved ``root``) as the user would name it."""
    shown = root / path.relative_to(top)
    return top.name if str(shown) == "." else str(shown)


def _is_repo(path: Path) -> bool:
    if (path / ".git").exists():
        return True
    return (path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir()


def _walk(path: Path, depth: int, found: list[tuple[Path, str]], label: Callable[[Path], str]) -> None:
    if _is_repo(path):
        found.append((path, label(path)))
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
        _walk(child, depth + 1, found, label)


def local_zone() -> str:
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
