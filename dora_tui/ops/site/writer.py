"""Writing the site into OUT whole or not at all, never deleting an entry it did not write.

Which OUT may be replaced is :mod:`~dora_tui.ops.site.guard`: never one that is or holds the
workspace (the config, the database, a repository, an import file, the current or home
folder), even with ``force``; without ``force``, only one holding nothing but what the site
wrote (listed in :data:`MANIFEST`). OUT is resolved: when it is a link to a folder, the site
is written into that folder and the link stays.

The files are written into a new folder beside OUT (``.OUT.site-XXXX``); what OUT holds is
checked then (:func:`~dora_tui.ops.site.build_site` also checks it before any work), so an
entry added while the pages rendered is kept too. The new folder is then swapped in by
renames:

1. the entries of :data:`KEPT` at the top of OUT (``.git``, ``CNAME``, ``.nojekyll``,
   ``.well-known``: they belong to where the site is published) are moved into the new
   folder, untouched;
2. OUT (when there is one) is renamed aside (``.OUT.site-old-XXXX``) and the new folder
   renamed to OUT;
3. the old one is removed. Should that fail, the new site stands and the leftover folder is
   named in a warning (:attr:`Written.leftover`).

A failure or an interrupt before the swap puts everything back (the kept entries first)
and removes the new folder: OUT is as it was, never half-written. Only a run killed outright
(``kill -9``, a power cut) leaves the new folder beside OUT, whose name says what it is (the
command line handles SIGTERM as Ctrl-C).

The new folder takes the old OUT's permissions (and its group when the user may set it); a
new OUT is made as any folder (``0o777`` less the umask).
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from dora_tui import outcomes
from dora_tui.errors import UsageError
from dora_tui.ops.interrupts import check, held
from dora_tui.ops.site.guard import KEPT, MANIFEST, check_out

__all__ = ["KEPT", "MANIFEST", "Files", "Written", "check_out", "write_files", "write_site"]

_HEADER = "# dora-tui site: the files this site wrote (a file not listed here is never replaced without --force)\n"


@dataclass(frozen=True)
class Written:
    """What :func:`write_site` did: how many files, and the old folder it could not remove."""

    files: int
    leftover: Path | None = None


Files = Iterable[tuple[str, bytes | None]]
"""A site's files: (path inside the site, its bytes), or ``None`` for a file already written
into the folder by whoever makes the files (:func:`write_files`, in another process)."""


def write_site(
    out: Path,
    files: Files | Callable[[Path], Files],
    *,
    force: bool = False,
    protected: Iterable[tuple[str, Path]] = (),
) -> Written:
    """Write ``files`` as the folder ``out``: the files themselves, or a function that, given the
    new folder, makes them (and may write some of them itself; see :data:`Files`). An iterator
    of the files is closed before anything is put back, so that whatever it runs has ended.

    Raises :class:`~dora_tui.errors.UsageError` as :func:`check_out` does (``protected``
    and ``force`` are its), or when the files cannot be written; OUT is then as it was.
    """
    protected = tuple(protected)
    target = check_out(out, force=True, protected=protected)  # what OUT holds: once the files are written
    old = target.stat() if target.exists() else None
    staging = _free_name(target, "site")  # named before it is made, so that an interrupt at any moment finds it
    aside = _free_name(target, "site-old") if old is not None else None
    made = False
    outcome = outcomes.begin_folder(f"the site {out}")  # so that Ctrl-C says whether it was written
    try:
        _make_folder(staging, target, out)
        made = True
        if old is not None:
            _take_over(staging, old)
        count = _fill(staging, files(staging) if callable(files) else files)
        if not force:  # checked now, so that what was added to OUT while the pages rendered is kept too
            check_out(out, protected=protected)
        with held():  # the swap, and the record of it, whole
            for name in KEPT:
                if os.path.lexists(target / name):
                    (target / name).rename(staging / name)
            if old is not None:
                staging.chmod(stat.S_IMODE(old.st_mode))
            if aside is not None:
                target.rename(aside)
            staging.rename(target)
            outcome.committed = True
    except BaseException as exc:
        if isinstance(exc, UsageError) and not made:  # the folder could not be made: nothing to undo
            raise
        with held():  # a second Ctrl-C waits till everything is put back
            if os.path.lexists(staging):  # not swapped in (an interrupt may land before `made`): put it all back
                _undo(staging, target, aside, out)
                if isinstance(exc, OSError):
                    raise UsageError(f"{out}: cannot write the site: {exc.strerror or exc}") from None
                raise
            _remove(aside)  # swapped in the moment it was interrupted: the new site stands
        raise
    with held():  # the new site stands: the old one goes whole, Ctrl-C or not
        leftover = _remove(aside)
    return Written(count, leftover)


def _fill(staging: Path, files: Files) -> int:
    """Write ``files`` and the manifest into ``staging``; returns how many files."""
    items = iter(files)
    try:
        written = write_files(staging, items)
    finally:
        close = getattr(items, "close", None)
        if close is not None:  # a generator: its own clean-up runs now, before any undoing
            with held():
                close()
    written.append(MANIFEST)
    (staging / MANIFEST).write_text(_HEADER + "".join(f"{p}\n" for p in sorted(written)), encoding="utf-8")
    return len(written)


def write_files(folder: Path, files: Files) -> list[str]:
    """Write ``files`` into ``folder``, making their folders; returns their paths (those given
    as ``None``, already there, included)."""
    written = []
    made: set[Path] = set()
    for path, data in files:
        check()  # a safe point: an interrupt held till now stops the site here
        if data is not None:
            target = folder / path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(data)
        written.append(path)
    return written


def _free_name(target: Path, kind: str) -> Path:
    """A name beside ``target`` that nothing has: ``.NAME.KIND-XXXXXXXX``."""
    while True:
        path = target.with_name(f".{target.name}.{kind}-{secrets.token_hex(4)}")
        if not os.path.lexists(path):
            return path


def _make_folder(path: Path, target: Path, out: Path) -> None:
    """Make the empty folder ``path`` beside ``target`` as any folder is made (``0o777`` less the umask)."""
    try:
        path.mkdir(0o777)
    except OSError as exc:  # taken meanwhile (FileExistsError) included: nothing of it is ours
        raise UsageError(f"{out}: cannot write beside it: {exc.strerror}") from None


def _take_over(staging: Path, old: os.stat_result) -> None:
    """Give ``staging`` the old OUT's group (when the user may) and permissions (writable by
    its owner until the end, then :func:`write_site` sets them exactly): what is made inside
    takes the group as it did in the old OUT."""
    may = os.geteuid() == 0 or old.st_gid in os.getgroups()  # else the folder keeps the user's group
    if may and staging.stat().st_gid != old.st_gid:
        os.chown(staging, -1, old.st_gid)
    staging.chmod(stat.S_IMODE(old.st_mode) | stat.S_IRWXU)


def _undo(staging: Path, target: Path, aside: Path | None, out: Path) -> None:
    """Put OUT back as it was before the swap: the old folder back in place, the kept entries
    back into it; then remove ``staging`` (never while it holds a kept entry)."""
    problems = []
    if aside is not None and os.path.lexists(aside) and not os.path.lexists(target):
        try:
            aside.rename(target)
        except OSError as exc:
            problems.append(f"the old site is {aside} ({exc.strerror})")
    for name in KEPT:
        moved = staging / name
        if os.path.lexists(moved) and not os.path.lexists(target / name):
            try:
                moved.rename(target / name)
            except OSError as exc:
                problems.append(f"{name} is in {staging} ({exc.strerror})")
    if problems:
        raise UsageError(f"{out}: the site was not written and could not be put back: {'; '.join(problems)}")
    shutil.rmtree(staging, ignore_errors=True)


def _remove(aside: Path | None) -> Path | None:
    """Remove the old site renamed aside; returns it when it (or part of it) is left."""
    if aside is None or not os.path.lexists(aside):
        return None
    try:
        shutil.rmtree(aside)
    except OSError:
        return aside
    return None
