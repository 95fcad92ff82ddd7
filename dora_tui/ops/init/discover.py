"""Finding git repositories under folders, and the machine's zone."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from collectors.git import git_folder_layout
from dora_tui.errors import UsageError

SKIP_DIRS = {"node_modules", ".venv", "venv", "__pycache__", "target", "dist", "build"}
"""Folders not searched below (a repository of one of these names is still taken)."""
MAX_DEPTH = 3


@dataclass(frozen=True)
class Discovery:
    """The repositories found, each with its label (its path as the user named it: the folder
    init was given, then the way down to it), sorted by path; and a line per folder not read
    (a link not followed, a ``.git`` git cannot open)."""

    repos: list[tuple[Path, str]]
    skipped: list[str] = field(default_factory=list)


@dataclass
class _Walk:
    """One folder given to init, being searched."""

    root: Path  # as given
    top: Path  # resolved
    found: list[tuple[Path, str]]
    skipped: list[str]

    def label(self, path: Path) -> str:
        """``path`` (at or below ``top``) as the user would name it: ``root``, then the way down."""
        shown = self.root / path.relative_to(self.top)
        return self.top.name if str(shown) == "." else str(shown)


def find_repositories(roots: list[Path]) -> Discovery:
    """Git repositories at or below ``roots`` (up to three levels down), sorted, without duplicates.

    A folder that is a repository is taken whatever its name (``build``, ``dist``, ``.github``):
    only other folders, hidden or in :data:`SKIP_DIRS`, are not searched (what tools make and
    hide: a repository below them is a dependency's). A symbolic link is followed only to a
    folder inside the folder given and not above the link itself: one leading elsewhere (``/``)
    or back up (a loop) is not followed, and said in a line of ``skipped``.

    One repository reached by two paths is one (:func:`identity`): a symbolic link to it beside
    it, or a worktree of it (``git worktree add``: its tags are the repository's). Its own
    checkout is kept over a worktree, its own path over a link's, else the first in order, so
    it never becomes two services. A folder with a ``.git`` git cannot open (an empty one, a
    worktree whose repository is gone) is said in a line of ``skipped``.
    """
    found: list[tuple[Path, str]] = []
    skipped: list[str] = []
    for root in roots:
        if not root.is_dir():
            if root.exists():  # a file (or a link to one): not "no such folder"
                raise UsageError(f"{root}: not a folder (give init the folders the repositories are in)")
            raise UsageError(f"{root}: no such folder")
        top = root.resolve()
        _walk(top, 0, _Walk(root, top, found, skipped))
    kept: dict[Path, tuple[Path, str]] = {}
    for path, label in sorted(found):
        key = identity(path) or path.resolve()
        if key not in kept or _rank(path) > _rank(kept[key][0]):
            kept[key] = (path, label)
    return Discovery(sorted(kept.values()), skipped)


def identity(path: Path) -> Path | None:
    """The repository at ``path`` (a checkout, a bare repository, its ``.git`` folder, a
    worktree) as one path whichever way it is reached: its git folder, for a worktree the main
    one's; None where git would find no repository to open."""
    found = git_dir(path)
    return _common(found) if found is not None else None


def git_dir(path: Path) -> Path | None:
    """The git folder of the repository at ``path``, as git finds it: ``path/.git``, the one a
    ``.git`` file names (a worktree's, a submodule's), or ``path`` itself (bare); None when it
    is not one git can open (no ``HEAD``, ``objects`` and ``refs``)."""
    dot = path / ".git"
    found = path
    try:
        if dot.is_dir():
            found = dot
        elif dot.is_file():
            first = dot.read_text(encoding="utf-8").partition("\n")[0]
            if not first.startswith("gitdir: "):
                return None
            found = path / first.removeprefix("gitdir: ").strip()
        return found.resolve() if git_folder_layout(found, _common(found)) else None
    except (OSError, UnicodeDecodeError):  # a folder this user may not read: no repository to open
        return None


def _common(found: Path) -> Path:
    """The repository's own git folder: a worktree's git folder names it in ``commondir``."""
    try:
        return (found / (found / "commondir").read_text(encoding="utf-8").strip()).resolve()
    except (OSError, UnicodeDecodeError):
        return found.resolve()


def _rank(path: Path) -> tuple[bool, bool]:
    """Which of two paths to one repository to keep: its own checkout (a ``.git`` folder, or
    bare) over a worktree, then its own path over a link's."""
    try:
        return (not (path / ".git").is_file(), path == path.resolve())
    except OSError:
        return (False, False)


def _is_repo(path: Path) -> bool:
    """Whether ``path`` looks like a repository (a ``.git`` in it, or a bare one's layout); not
    one where it cannot be looked at."""
    try:
        return (path / ".git").exists() or git_folder_layout(path)
    except OSError:
        return False


def _walk(path: Path, depth: int, walk: _Walk) -> None:
    if _is_repo(path):
        if git_dir(path) is None:
            walk.skipped.append(
                f"{walk.label(path)}: a .git that git cannot open (an empty folder, or a worktree whose "
                "repository is gone): not read"
            )
        else:
            walk.found.append((path, walk.label(path)))
        return
    if depth >= MAX_DEPTH:
        return
    try:
        children = sorted(p for p in path.iterdir() if p.is_dir())  # a link to a folder is one
    except OSError as exc:  # one this user may not read: said, as a repository may be in it
        walk.skipped.append(f"{walk.label(path)}: cannot be read ({exc.strerror or exc}): not searched")
        return
    for child in children:
        if child.is_symlink() and not _followed(child, path, walk):
            continue
        if not _is_repo(child) and (child.name.startswith(".") or child.name in SKIP_DIRS):
            continue
        _walk(child, depth + 1, walk)


def _followed(link: Path, parent: Path, walk: _Walk) -> bool:
    """Whether to search the folder ``link`` leads to; when not, a line in ``walk.skipped``."""
    real = link.resolve()
    if not real.is_relative_to(walk.top):
        why = f"outside {walk.root}: not followed (to read it, give init that folder too)"
    elif parent.resolve().is_relative_to(real):
        why = "a folder it is in: not followed (a loop)"
    else:
        return True
    walk.skipped.append(f"{walk.label(link)}: a link to {real}, {why}")
    return False


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
