"""Files written whole or not at all: a new file beside the target, renamed onto it once complete.

An interrupt (Ctrl-C, a full disk) while writing leaves the target as it was and no
temporary file behind; a reader never sees half a file. A file replaced keeps its permissions.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from dora_tui import outcomes


def replace_file(target: Path, write: Callable[[TextIO], None], *, follow_link: bool) -> Path:
    """Write ``target`` through ``write(handle)`` (UTF-8 text, ``newline=""``); returns the path written.

    ``follow_link``: a link at ``target`` is followed and the file it names is replaced (what
    a person naming their own output expects); else the link itself is replaced by the file
    and what it pointed at is left alone (for a file named after an input, such as
    ``FILE.rejected.csv``, where a link there may not be ours). A device or a pipe at
    ``target`` (``/dev/null``, a FIFO) is written into, not replaced. Raises OSError; a folder
    at ``target`` is IsADirectoryError.
    """
    if follow_link:
        target = target.resolve()
    if target.is_dir() and not target.is_symlink():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    if _is_special(target):  # a device or a pipe (/dev/null, /dev/stdout, a FIFO): written into, never replaced
        with target.open("w", newline="", encoding="utf-8") as device:
            write(device)
        return target
    outcome = outcomes.begin_file(target)  # so that Ctrl-C says whether it was written
    temp: Path | None = None
    try:
        handle, temp = _new_file_beside(target)
        with handle:
            write(handle)
        _keep_mode(target, temp)
        os.replace(temp, target)
        outcome.committed = True
        temp = None
    except BaseException:
        if temp is not None and not temp.exists():  # renamed into place just before an interrupt
            outcome.committed = True
            temp = None
        raise
    finally:
        if temp is not None:  # not renamed into place: an error or an interrupt
            with contextlib.suppress(OSError):
                temp.unlink()
    return target


def _keep_mode(target: Path, temp: Path) -> None:
    """The file replacing ``target`` takes its permissions (a config kept private stays private)."""
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return
    if stat.S_ISREG(mode):
        os.chmod(temp, stat.S_IMODE(mode))


def _is_special(path: Path) -> bool:
    """Whether ``path`` (not followed if a link) is an existing file that is neither regular nor a folder."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode))


def _new_file_beside(target: Path) -> tuple[TextIO, Path]:
    """A new, empty text file in ``target``'s folder (a hidden name no file has), open for writing.

    Made with the usual permissions (0666 less the umask), as ``open()`` would make ``target``.
    """
    for _ in range(10):
        temp = target.with_name(f".{target.name}.{os.urandom(6).hex()}.tmp")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        return os.fdopen(fd, "w", newline="", encoding="utf-8"), temp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))
