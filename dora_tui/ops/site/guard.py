"""Which folder the site may replace: never one holding the workspace, never a file it did not write.

:func:`check_out` answers before any work, in this order:

- OUT is resolved (a link is followed: the site is written where it leads, the link stays);
  the root of the file system is refused at once;
- OUT may not be or hold what the work depends on (:func:`protected`): the config file, the
  database, a configured repository, an ``[[imports]]`` file, the current folder or the home
  folder. This is compared on resolved paths, without reading OUT, and ``force`` does not
  lift it; nor may OUT be or lie inside a repository's git folder (a ``.git``, a bare
  repository: :func:`git_folder_of`), configured or not: replacing it would destroy the
  repository;
- OUT must be a folder (or not exist yet) in a folder that exists, and not a mount point (it
  is replaced by renames);
- without ``force``, OUT may hold only what the site wrote there (:func:`foreign_entries`).

The entries of :data:`KEPT` at the top of OUT belong to where the site is published (a git
checkout, a GitHub Pages domain): they are not foreign, and the writer carries them over into
the new site untouched.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from collectors.git import git_folder_layout
from dora_tui.config import Config
from dora_tui.errors import UsageError

MANIFEST = "dora-tui-site.txt"
"""The file in OUT listing every file the site wrote, one path a line."""

KEPT = (".git", "CNAME", ".nojekyll", ".well-known")
"""Entries at the top of OUT that belong to where the site is published: carried over, never deleted."""

FEW = 3
"""How many foreign entries :func:`foreign_entries` looks for before it stops."""


def protected(config: Config) -> list[tuple[str, Path]]:
    """What OUT may never be or hold: (what it is, its path) for the config file, the
    database, each configured repository, each ``[[imports]]`` file, the current folder and
    the home folder (those that can be told)."""
    found: list[tuple[str, Path]] = []
    if config.path is not None:
        found.append(("the config file", config.path))
    found.append(("the database", config.database))
    found += [(f"the repository of service {s.name!r}", s.repo) for s in config.services]
    found += [("an [[imports]] file", source.file) for source in config.imports]
    found += [(what, path) for what, path in (("the current folder", _cwd()), ("the home folder", _home())) if path]
    return found


def _cwd() -> Path | None:
    """The current folder; None when it was removed (there is none to protect)."""
    try:
        return Path.cwd()
    except OSError:
        return None


def _home() -> Path | None:
    """The home folder; None when it cannot be told (no ``HOME``, no user entry)."""
    try:
        return Path.home()
    except RuntimeError:
        return None


def check_out(out: Path, *, force: bool = False, protected: Iterable[tuple[str, Path]] = ()) -> Path:
    """Whether the site may be written as ``out``: returns the folder to write (``out`` resolved).

    Raises :class:`~dora_tui.errors.UsageError` (one line) when ``out`` is the root of the
    file system or is or holds one of ``protected`` (even with ``force``), when it is a
    file, when its parent folder is missing, or (without ``force``) when it holds an entry
    the site did not write.
    """
    target = _resolved(out)
    if target.parent == target:
        raise UsageError(f"{out}: is the root of the file system; the site is never written there")
    for what, path in protected:
        held = _resolved(path)
        if held == target or target in held.parents:
            said = f"is {what}" if held == target else f"holds {what} ({held})"
            raise UsageError(f"{out}: {said}; the site never replaces it, even with --force: choose another folder")
    inside = git_folder_of(target)
    if inside is not None:
        where = "is" if inside == target else f"is inside {inside},"
        raise UsageError(
            f"{out}: {where} the git folder of a repository; the site never writes there, even with --force: "
            "choose another folder"
        )
    if target.exists() and not target.is_dir():
        raise UsageError(f"{out}: is a file, not a folder for the site")
    if _mount_point(target):
        raise UsageError(
            f"{out}: is a mount point, and the site replaces OUT whole by renaming folders, which a mount point "
            "cannot be: give a folder inside it"
        )
    if not target.parent.is_dir():
        raise UsageError(f"{out}: the folder {target.parent} does not exist")
    foreign = [] if force else foreign_entries(target)
    if foreign == ["."]:
        raise UsageError(f"{out}: cannot be read, so what it holds cannot be told; choose another folder")
    if foreign:
        more = " and more" if len(foreign) > 1 else ""
        raise UsageError(
            f"{out}: holds {foreign[0]!r}{more}, which the site did not write; "
            "remove it, choose another folder, or give --force to replace it"
        )
    return target


def git_folder_of(path: Path) -> Path | None:
    """The git folder ``path`` is or lies inside (a folder named ``.git``, or one laid out as
    git's: ``HEAD``, ``objects`` and ``refs``, a bare repository's), or None."""
    for folder in (path, *path.parents):
        if folder.name == ".git" or git_folder_layout(folder):
            return folder
    return None


def foreign_entries(out: Path, limit: int = FEW) -> list[str]:
    """Up to ``limit`` entries of the folder ``out`` that the site there did not write.

    Foreign is any entry not listed in OUT's manifest: a file, a folder holding no listed
    file (an empty one too; named with a trailing ``/``), a symbolic link, anything else
    (a pipe, a socket), a folder that cannot be read. Links are not followed; the entries of
    :data:`KEPT` at the top are not foreign. The walk is in name order and stops at
    ``limit``: refusing needs no full walk.
    """
    if not out.is_dir():
        return []
    written = _listed(out / MANIFEST)
    folders = {parent.as_posix() for path in written for parent in Path(path).parents if parent != Path(".")}
    found: list[str] = []
    pending = [""]  # relative folders still to read, the next one last
    while pending and len(found) < limit:
        relative = pending.pop()
        try:
            with os.scandir(out / relative) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            found.append(f"{relative}/" if relative else ".")
            continue
        inner = []
        for entry in entries:
            path = f"{relative}/{entry.name}" if relative else entry.name
            if not relative and entry.name in KEPT:
                continue
            if entry.is_symlink():
                found.append(path)
            elif entry.is_dir(follow_symlinks=False):
                if path in folders:
                    inner.append(path)
                else:
                    found.append(f"{path}/")
            elif not entry.is_file(follow_symlinks=False) or path not in written:
                found.append(path)
            if len(found) >= limit:
                break
        pending += reversed(inner)
    return found[:limit]


def _listed(manifest: Path) -> set[str]:
    """The paths a manifest lists (and itself); none when it is missing or not a plain file."""
    if manifest.is_symlink() or not manifest.is_file():
        return set()
    try:
        lines = manifest.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:  # unreadable: nothing in OUT can be told the site's
        return set()
    return {line for line in lines if line and not line.startswith("#")} | {MANIFEST}


def _mount_point(path: Path) -> bool:
    """Whether ``path`` is a mount point: one of another file system (``os.path.ismount``), or a
    bind mount of a folder of the same one, which only the system's list of mounts tells
    (``/proc/self/mountinfo``, where there is one: its fifth field, spaces and the like
    written as octal escapes)."""
    if os.path.ismount(path):
        return True
    try:
        lines = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="surrogateescape").splitlines()
    except OSError:
        return False
    wanted = os.fsdecode(path)
    for line in lines:
        fields = line.split(" ")
        if len(fields) > 4 and _unescaped(fields[4]) == wanted:
            return True
    return False


def _unescaped(field: str) -> str:
    """A path of ``/proc/self/mountinfo`` as it is (``\\040`` a space, ``\\011`` a tab...)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), field)


def _resolved(path: Path) -> Path:
    """``path`` absolute, every link in it followed."""
    try:
        return Path(os.path.abspath(path)).resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of links
        raise UsageError(f"{path}: cannot be resolved: {exc}") from None
