"""The processes that read repositories for a collect, and the one that writes.

``collect --jobs N`` reads up to N repositories at once, each in a worker process
(:mod:`collectors.git_workers`), while the calling process alone writes the database: one
transaction for the whole collect, as with one job. With one job (or one repository) the
reads run in the calling process, lazily, in the order a serial collect makes them.

Workers come from ``forkserver`` where the platform has it, else ``spawn`` (never ``fork``:
the dashboard collects from a thread). They never answer Ctrl-C: the terminal sends it to
the whole process group, and only the writer rolls back and terminates them. SIGINT is
blocked while the pool starts (so every process it starts inherits it blocked; a worker then
ignores it and unblocks it, see :func:`collectors.git_workers.quiet_worker`) and a Ctrl-C meanwhile is delivered to
the writer once the pool is up. A worker's git is started with SIGINT at its default: it
stops on Ctrl-C as the writer's own git does.

As with any use of ``spawn`` or ``forkserver``, a worker imports the program's main module
(under another name): ``dora-tui`` and ``python -m dora_tui`` are fine; a script that calls
:func:`dora_tui.ops.collect.collect` with more than one job must keep its work under
``if __name__ == "__main__":``.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable
from multiprocessing.pool import Pool
from types import TracebackType
from typing import Any, TypeVar

from collectors.git_workers import quiet_worker

T = TypeVar("T")


def default_jobs() -> int:
    """How many repositories a collect reads at once by default: the processors this process
    may run on."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if count is not None:
        return int(count() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


class Readers:
    """Where a collect's reads run: ``jobs`` worker processes, or this process for one job.

    :meth:`submit` starts a read and returns what waits for its result. Used as a context
    manager: leaving it (done, failed or interrupted) terminates the workers at once.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self.pool: Pool | None = None
        if self.jobs > 1:
            self.pool = _start_pool(self.jobs)

    def submit(self, function: Callable[..., T], *args: Any) -> Callable[[], T]:
        """Run ``function(*args)`` in a worker (here, when it is first asked for, with one
        job); returns the function that waits for its result."""
        if self.pool is None:
            done: list[T] = []

            def result() -> T:
                if not done:
                    done.append(function(*args))
                return done[0]

            return result
        pending = self.pool.apply_async(function, args)
        return pending.get

    def __enter__(self) -> Readers:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()


def _start_pool(jobs: int) -> Pool:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(["collectors.git_workers"])
    blocking = hasattr(signal, "pthread_sigmask")
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if blocking else set()
    try:
        return context.Pool(jobs, initializer=quiet_worker)
    finally:
        if blocking:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)
