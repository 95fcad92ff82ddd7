"""SIGTERM handled as Ctrl-C while a command runs, so that it cleans up as it does for Ctrl-C.

A process supervisor, a CI job's time-out or ``kill`` stops a command with SIGTERM, which by
default ends the process at once: ``site`` would leave its half-written folder beside OUT.
Inside :func:`as_interrupt`, SIGTERM raises :class:`KeyboardInterrupt` instead: the command
undoes what it began, says so in one line and exits with status 130, as for Ctrl-C. Its
handler is Ctrl-C's (:func:`dora_tui.entry.on_stop_signal`): once the command's outcome is
known, neither does anything.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from dora_tui.entry import on_stop_signal


@contextmanager
def as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt inside this block (in the main thread; elsewhere,
    where no handler can be set, it changes nothing). A block left by an exception keeps it
    so: the command is stopping, and a SIGTERM before it has said so is the same stop, not the
    kill the default would be."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, on_stop_signal)
    yield
    signal.signal(signal.SIGTERM, previous)
