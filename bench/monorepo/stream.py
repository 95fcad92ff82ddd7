"""The ``git fast-import`` process the synthetic monorepo is written into: started with
:func:`start_fast_import`, fed through a :class:`Stream`, whose text blocks :func:`data` writes."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class Stream:
    """Buffers the fast-import stream and writes it in large chunks; answers `ls`/`get-mark`."""

    def __init__(self, proc: subprocess.Popen[bytes]):
        self.proc = proc
        self.parts: list[str] = []
        self.size = 0
        self.total = 0

    def write(self, text: str) -> None:
        """Queue ``text``; sent once a MiB has gathered."""
        self.parts.append(text)
        self.size += len(text)
        if self.size > 1 << 20:
            self.flush()

    def flush(self) -> None:
        """Send what is queued to fast-import now."""
        if self.parts:
            data = "".join(self.parts).encode()
            self.total += len(data)
            assert self.proc.stdin is not None
            self.proc.stdin.write(data)
            self.parts.clear()
            self.size = 0
        assert self.proc.stdin is not None
        self.proc.stdin.flush()

    def ask(self, command: str) -> str:
        """Send a command answered on fast-import's stdout (`ls`, `get-mark`), return the answer."""
        self.write(command + "\n")
        self.flush()
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().decode().rstrip("\n")


def data(text: str) -> str:
    """A fast-import `data` block (exact byte count, then the optional LF)."""
    return f"data {len(text.encode())}\n{text}\n"


def start_fast_import(repo: Path) -> subprocess.Popen[bytes]:
    """One ``git fast-import`` into ``repo``, reading its stream on stdin and answering
    ``ls``/``get-mark`` on stdout."""
    # fast-import spends much of its time in malloc growing and trimming the heap around
    # each zlib stream; a high trim threshold (glibc) keeps the heap, and a third of the time.
    env = dict(
        os.environ,
        GLIBC_TUNABLES="glibc.malloc.trim_threshold=1073741824:glibc.malloc.top_pad=67108864",
        MALLOC_TRIM_THRESHOLD_="1073741824",
        MALLOC_TOP_PAD_="67108864",
    )
    return subprocess.Popen(
        ["git", "-C", str(repo), "fast-import", "--quiet", "--active-branches=32"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
