"""Clean-ups that an interrupt must not cut short.

Ctrl-C raises KeyboardInterrupt wherever the program is; the command line makes SIGTERM do the
same. A clean-up that runs because of one (putting a folder back, ending a child process,
removing a folder swapped out) must finish even when a second one arrives. Inside
:func:`held`, SIGINT and SIGTERM wait, and are delivered the moment the block ends; but the
very first instructions of an ``except`` or ``finally`` clause run before any block could
hold them. So work whose clean-up matters runs inside :func:`deferred`: the signals are held
throughout and the work looks for them at its safe points (:func:`check`, between two files),
so that an interrupt starts the clean-up and none can cut it short.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

STOPPING = frozenset({signal.SIGINT, signal.SIGTERM})
"""The signals that stop a command."""


@contextmanager
def held() -> Iterator[None]:
    """SIGINT and SIGTERM held while the block runs, delivered when it ends (where signals cannot
    be held, on Windows, the block runs as it is). They are held for the thread that runs the
    block: for the whole process in the command line, which runs one thread where this is used."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def deferred() -> Iterator[Callable[[], None]]:
    """SIGINT and SIGTERM held for the whole block, which looks for them at its safe points by
    calling the function it is given (:func:`check`): an interrupt then stops the work there,
    never in the middle of the clean-up it starts, and more that come during the clean-up are
    the same interrupt. One that comes after the work is done is delivered when the block
    ends."""
    if not hasattr(signal, "pthread_sigmask"):
        yield check
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield check
    except KeyboardInterrupt:  # the ones that came during its clean-up are this one: said once
        while hasattr(signal, "sigtimedwait") and signal.sigtimedwait(STOPPING, 0) is not None:
            pass
        raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


_parent = 0
"""The process whose end ends this one at its next safe point (0: none): see :func:`ends_with_parent`."""


def ends_with_parent() -> None:
    """In a child doing part of a command's work: end it (at its next :func:`check`) once its
    parent has ended, however that ended (``kill -9``, a time-out that kills the command): the
    work is the command's, nothing of it outlives it."""
    global _parent
    _parent = os.getppid()


def check(wait: float = 0) -> None:
    """Raise KeyboardInterrupt when SIGINT or SIGTERM has arrived while held (waiting up to
    ``wait`` seconds for one); where they are not held, they stop the program as they come.
    In a child whose parent has ended (:func:`ends_with_parent`), end the child at once."""
    if _parent and os.getppid() != _parent:
        os._exit(1)
    if hasattr(signal, "sigtimedwait"):
        found = signal.sigtimedwait(STOPPING, wait)
        # One that the process ignores (started so: a shell's background job) stops nothing; the
        # system keeps it pending while it is held all the same.
        if found is not None and signal.getsignal(found.si_signo) is not signal.SIG_IGN:
            raise KeyboardInterrupt
    elif wait:
        time.sleep(wait)
