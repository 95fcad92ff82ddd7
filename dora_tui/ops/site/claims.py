"""Work handed out one item at a time to the processes that share it.

Two processes render the site's pages (:mod:`~dora_tui.ops.site.make`). Split in advance,
one share can take longer than the other (an entity's pages cost more than its rows say, or
the other process gets less of the machine), and the process done first waits. Instead each
takes the next item when it is ready for one, the heaviest first, and the two end within
about one item of each other.

:class:`Claims` holds the items' numbers in an unnamed temporary file that every process
forked after it was made shares, offset included: taking an item is reading the next four
bytes, under a POSIX record lock (``lockf``, held per process: a forked child does not hold
its parent's), so no two processes take the same item and none is skipped. A process that
ends holding the lock releases it. Where there is no ``fcntl`` (Windows) there is no fork
either: the one process takes every item.
"""

from __future__ import annotations

import contextlib
import os
import struct
import sys
import tempfile
from collections.abc import Iterator

_ITEM = struct.Struct("<I")

if sys.platform == "win32":  # pragma: no cover - no fork there: nothing to share

    def _locked(fd: int) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

else:
    import fcntl

    @contextlib.contextmanager
    def _locked(fd: int) -> Iterator[None]:
        fcntl.lockf(fd, fcntl.LOCK_EX)  # from byte 0 to the end: the whole file
        try:
            yield
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)


class Claims:
    """The items ``0 .. count - 1``, each taken once by whichever process iterates first: made
    before the fork, iterated in each process, closed by each."""

    def __init__(self, count: int) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close(), in the caller's finally
        try:
            self._file.write(b"".join(_ITEM.pack(i) for i in range(count)))
            self._file.flush()
            os.lseek(self._file.fileno(), 0, os.SEEK_SET)  # the shared offset: the next item
        except BaseException:
            self._file.close()
            raise

    def __iter__(self) -> Iterator[int]:
        """The items this process takes, in order, as it asks for them."""
        fd = self._file.fileno()
        while True:
            with _locked(fd):
                data = os.read(fd, _ITEM.size)
            if len(data) < _ITEM.size:
                return
            yield _ITEM.unpack(data)[0]

    def close(self) -> None:
        """Close this process's copy of the file (the last one closed removes it)."""
        self._file.close()
