"""SIGTERM handled as Ctrl-C while a command runs, so that it cleans up as it does for Ctrl-C.

A process supervisor, a CI job's time-out or ``kill`` stops a command with SIGTERM, which by
default ends the process at once: ``site`` would leave its half-written folder beside OUT.
Inside :func:`as_interrupt`, SIGTERM raises :class:`KeyboardInterrupt` instead: the command
undoes what it began, says so in one line and exits with status 130, as for Ctrl-C.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """The SIGTERM handler: stop the command as Ctrl-C does."""
    raise KeyboardInterrupt


@contextmanager
def as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt inside this block (in the main thread; elsewhere,
    where no handler can be set, it changes nothing)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
