"""Writing the site into OUT whole or not at all, never deleting a file it did not write.

The files are written into a new folder beside OUT (``.OUT.site-XXXX``), then swapped in by
renames: OUT (when there is one) is renamed aside, the new folder renamed to OUT, the old one
removed. An interrupted run leaves OUT as it was (and a leftover folder beside it, whose name
says what it is); OUT is never half-written.

OUT lists what the site wrote in :data:`MANIFEST`. An existing OUT is replaced only when
every file in it is listed there (or it is empty); a file the site did not write (a
``CNAME``, a ``README`` someone added) stops the command with one line naming it, unless
``force`` is given. A replaced site's manifest is the one the site just wrote.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from dora_tui.errors import UsageError

MANIFEST = "dora-tui-site.txt"
"""The file in OUT listing every file the site wrote, one path a line."""

_HEADER = "# dora-tui site: the files this site wrote (a file not listed here is never replaced without --force)\n"


def foreign_files(out: Path) -> list[str]:
    """The files in ``out`` that the site there did not write (by its manifest), sorted."""
    if not out.exists():
        return []
    written: set[str] = set()
    manifest = out / MANIFEST
    if manifest.is_file():
        lines = manifest.read_text(encoding="utf-8", errors="replace").splitlines()
        written = {line for line in lines if line and not line.startswith("#")} | {MANIFEST}
    found = []
    for folder, dirs, files in os.walk(out):
        dirs.sort()
        for name in sorted(files):
            relative = Path(folder, name).relative_to(out).as_posix()
            if relative not in written:
                found.append(relative)
    return found


def check_out(out: Path, *, force: bool = False) -> Path:
    """Whether the site may be written as ``out``: returns the folder to write beside it.

    Raises :class:`~dora_tui.errors.UsageError` when ``out`` is a file, when its parent folder
    is missing, or (without ``force``) when ``out`` holds a file the site did not write.
    """
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: is a file, not a folder for the site")
    parent = out.absolute().parent
    if not parent.is_dir():
        raise UsageError(f"{out}: the folder {parent} does not exist")
    foreign = [] if force else foreign_files(out)
    if foreign:
        more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
        raise UsageError(
            f"{out}: holds {foreign[0]!r}{more}, which the site did not write; "
            "remove it, choose another folder, or give --force to replace it"
        )
    return parent


def write_site(out: Path, files: Iterable[tuple[str, bytes]], *, force: bool = False) -> int:
    """Write ``files`` (path inside the site, bytes) as the folder ``out``; returns how many.

    Raises :class:`~dora_tui.errors.UsageError` as :func:`check_out` does, or when the files
    cannot be written.
    """
    parent = check_out(out, force=force)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.site-", dir=parent))
    except OSError as exc:
        raise UsageError(f"{out}: cannot write beside it: {exc.strerror}") from None
    try:
        written = []
        made: set[Path] = set()
        for path, data in files:
            target = staging / path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(data)
            written.append(path)
        written.append(MANIFEST)
        (staging / MANIFEST).write_text(_HEADER + "".join(f"{p}\n" for p in sorted(written)), encoding="utf-8")
        staging.chmod(0o755)
        _swap(staging, out)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise UsageError(f"{out}: cannot write the site: {exc.strerror}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(written)


def _swap(staging: Path, out: Path) -> None:
    """``staging`` becomes ``out``; the old ``out`` is removed once the new one is in place."""
    if not out.exists():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.site-old-", dir=staging.parent))
    old.rmdir()
    out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        old.rename(out)
        raise
    shutil.rmtree(old)
