"""The processes that read repositories for a collect, and the one that writes.

``collect --jobs N`` reads up to N repositories at once, each in a worker process
(:mod:`collectors.git_workers`), while the calling process alone writes the database: one
transaction for the whole collect, as with one job. With one job (or one repository) the
reads run in the calling process, lazily, in the order a serial collect makes them.

Workers come from ``forkserver`` where the platform has it, else ``spawn`` (never ``fork``:
the dashboard collects from a thread). Each has a pipe of its own (no lock shared between
processes, so a worker killed at any moment cannot leave one held: ``multiprocessing.Pool``
can hang in ``terminate()`` so), and one thread of the writer hands out the calls queued
and receives the answers as they come, so a worker starts its next repository while the
writer stores the last one.

They never answer Ctrl-C: the terminal sends it to the whole process group, and only the
writer rolls back and terminates them. SIGINT is blocked while they start (so every process
started inherits it blocked; a worker then ignores it and unblocks it, see
:func:`collectors.git_workers.quiet_worker`) and a Ctrl-C meanwhile is delivered to the
writer once they are up. A worker's git is started with SIGINT at its default: it stops on
Ctrl-C as the writer's own git does. A collect started with SIGINT ignored (``nohup``, a
shell's background job) has its workers and their git ignore it too.

As with any use of ``spawn`` or ``forkserver``, a worker imports the program's main module
(under another name): ``dora-tui`` and ``python -m dora_tui`` are fine; a script that calls
:func:`dora_tui.ops.collect.collect` with more than one job must keep its work under
``if __name__ == "__main__":``.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing import resource_tracker
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import TracebackType
from typing import Any, TypeVar

from collectors.git_workers import serve
from dora_tui.errors import GitError

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


class _Call:
    """One call handed to a worker, and its answer once received."""

    def __init__(self, function: Callable[..., Any], args: tuple[Any, ...], label: str) -> None:
        self.function, self.args, self.label = function, args, label
        self.done = False
        self.value: Any = None
        self.died = ""  # what became of a worker that stopped before answering


@contextmanager
def _stderr_with_a_descriptor() -> Iterator[None]:
    """``sys.stderr`` as one with a file descriptor while the block runs: multiprocessing hands
    its resource tracker the descriptor of ``sys.stderr``, and under the dashboard that is
    Textual's capture, whose ``fileno()`` is -1 (starting the workers failed with "bad value(s)
    in fds_to_keep"). The process's own stderr then stands in (``sys.__stderr__``), else none."""
    current = sys.stderr
    if _descriptor(current) >= 0:
        yield
        return
    stand_in = sys.__stderr__ if _descriptor(sys.__stderr__) >= 0 else None
    with contextlib.ExitStack() as stack:
        if stand_in is None:
            stand_in = stack.enter_context(open(os.devnull, "w"))
        sys.stderr = stand_in
        try:
            yield
        finally:
            sys.stderr = current


def _descriptor(stream: object) -> int:
    """The file descriptor of ``stream``, or -1 where it has none."""
    try:
        return int(stream.fileno())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return -1


class Readers:
    """Where a collect's reads run: ``jobs`` worker processes, or this process for one job.

    :meth:`submit` queues a read and returns what waits for its result. Used as a context
    manager: leaving it (done, failed or interrupted) terminates the workers at once.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self._processes: list[BaseProcess] = []
        self._lock = threading.Lock()
        self._answered = threading.Condition(self._lock)
        self._queue: deque[_Call] = deque()
        self._urgent: deque[_Call] = deque()  # handed out before anything in _queue
        self._idle: list[Connection] = []
        self._busy: dict[Connection, _Call] = {}
        self._stop = False
        self._wake_reader, self._wake_writer = multiprocessing.Pipe(duplex=False)
        self._thread: threading.Thread | None = None
        if self.jobs > 1:
            self._start()

    def submit(self, function: Callable[..., T], *args: Any, label: str = "", urgent: bool = False) -> Callable[[], T]:
        """Run ``function(*args)`` in a worker (here, when it is first asked for, with one
        job); returns the function that waits for its result. ``label`` names the call in
        the error said when its worker stops without answering. An ``urgent`` call is handed
        out before the others queued (in the order urgent calls came)."""
        if self._thread is None:
            done: list[T] = []

            def result() -> T:
                if not done:
                    done.append(function(*args))
                return done[0]

            return result
        call = _Call(function, args, label)
        with self._lock:
            (self._urgent if urgent else self._queue).append(call)
            self._hand_out()
        self._wake_writer.send_bytes(b".")  # the thread now waits on the worker given it
        return lambda: self._result(call)

    def _result(self, call: _Call) -> Any:
        with self._lock:
            while not call.done:
                self._answered.wait()
        if call.died:
            raise GitError(f"{call.label}: the process reading it stopped ({call.died})")
        return call.value

    def _hand_out(self) -> None:
        """Give queued calls to idle workers (the lock held)."""
        while self._idle and (self._urgent or self._queue) and not self._stop:
            conn, call = self._idle.pop(), (self._urgent or self._queue).popleft()
            try:
                conn.send((call.function, call.args))
            except OSError as exc:
                call.done, call.died = True, f"it could not be given the call: {exc}"
                self._answered.notify_all()
                continue
            self._busy[conn] = call

    def _serve(self) -> None:
        """The thread that receives the workers' answers and hands out what is queued."""
        while True:
            with self._lock:
                if self._stop:
                    return
                waiting: list[Any] = [*self._busy, self._wake_reader]
            for ready in wait(waiting):
                if ready is self._wake_reader:
                    self._wake_reader.recv_bytes()
                    continue
                assert isinstance(ready, Connection)
                try:
                    value, died = ready.recv(), ""
                except (EOFError, OSError):
                    value, died = None, "it ended without an answer"
                with self._lock:
                    call = self._busy.pop(ready)
                    call.value, call.died, call.done = value, died, True
                    if not died:
                        self._idle.append(ready)
                    self._hand_out()
                    self._answered.notify_all()

    def _start(self) -> None:
        with _stderr_with_a_descriptor():
            self._start_processes()

    def _start_processes(self) -> None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            context.set_forkserver_preload(["collectors.git_workers"])
        ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN  # started so: the workers too
        blocking = hasattr(signal, "pthread_sigmask")
        if blocking:
            # multiprocessing starts its resource tracker with the first process, and lets SIGINT in
            # again as it does (its own guard): started before the block, it leaves the block whole.
            resource_tracker.ensure_running()
        before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if blocking else set()
        try:
            for _ in range(self.jobs):
                mine, theirs = context.Pipe()
                # typeshed types get_context() as BaseContext, whose subclasses have Process
                process = context.Process(target=serve, args=(theirs, ignored), daemon=True)  # type: ignore[attr-defined]
                process.start()
                theirs.close()
                self._processes.append(process)
                self._idle.append(mine)
            self._thread = threading.Thread(target=self._serve, name="collect-readers", daemon=True)
            self._thread.start()
        finally:
            if blocking:
                signal.pthread_sigmask(signal.SIG_SETMASK, before)

    def __enter__(self) -> Readers:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        with self._lock:
            self._stop = True
        for process in self._processes:
            process.terminate()
        self._wake_writer.send_bytes(b".")
        for process in self._processes:
            process.join()
        if self._thread is not None:
            self._thread.join()
        for conn in [*self._idle, *self._busy, self._wake_reader, self._wake_writer]:
            conn.close()
