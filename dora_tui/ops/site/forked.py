"""Work done in a forked copy of the process, so that the site uses a second core.

The site's work is pure Python (computing figures, laying out and rendering pages), which
one process runs on one core whatever its threads. :class:`Forked` runs a function in a
child made by ``os.fork``: the child sees everything the parent had built (the rows, the
report), and sends back only the function's result, pickled into an unnamed temporary file
that the parent reads when it asks for the result. Nothing the child does touches the
parent's state: it opens its own database connection when it needs one (a SQLite connection
must not be used across a fork) and ends with ``os._exit``, running no clean-up of the
parent's.

Where a fork is not safe or not there — a platform without ``os.fork``, or a process that
runs other threads (the fork would copy the locks they hold) — the work runs in this
process when its result is asked for: the same result, on one core.

A child that fails sends its traceback's text instead; :meth:`Forked.result` raises
:class:`ForkedError` with it (a bug: domain errors are raised before any work is forked).
Ctrl-C reaches the child too, which then ends quietly; the parent's interrupt (or any error)
ends a child still running (:meth:`Forked.close`), so none outlives the command.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import tempfile
import threading
import traceback
from collections.abc import Callable
from typing import IO, Generic, TypeVar, cast

from dora_tui.errors import DoraError
from dora_tui.ops.interrupts import STOPPING, check, ends_with_parent, held

T = TypeVar("T")


class ForkedError(DoraError):
    """The forked work failed for a reason it could not send as an error of its own: the
    message is the child's traceback (a bug), or why no result came."""


def can_fork() -> bool:
    """Whether work may be forked here: ``os.fork`` exists and no other thread runs."""
    return hasattr(os, "fork") and threading.active_count() == 1


class Forked(Generic[T]):
    """``work()`` run in a child process once :meth:`start` is called (or, where forking is not
    safe, run on demand here). Made before its ``try``, started inside it, closed in its
    ``finally``: an interrupt at any moment finds the child to end."""

    def __init__(self, work: Callable[[], T], *, group: bool = False) -> None:
        """``group``: the child leads a process group of its own, which every process it forks
        joins, and :meth:`close` ends the whole group (nothing the work started outlives it)."""
        self._work = work
        self._group = group
        self._pid = 0
        self._status: int | None = None  # the child's wait status, once it is reaped
        self._file: IO[bytes] | None = None

    def start(self) -> Forked[T]:
        """Fork the child that runs the work (nothing, where forking is not safe); returns itself."""
        if not can_fork():
            return self
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close(), in the caller's finally
        with held():  # no interrupt before the pid is known; the child lets them in inside its own try
            pid = os.fork()
            if pid == 0:  # the child: never returns
                _run_child(self._work, self._file, self._group)
            if self._group:
                # Here too, so that no close() can come before the child's own; it may have ended already.
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.setpgid(pid, pid)
            self._pid = pid
        return self

    @property
    def forked(self) -> bool:
        """Whether the work runs in a child (started where forking is safe)."""
        return self._file is not None

    def done(self) -> bool:
        """Whether :meth:`result` would not wait: the child has ended, or none was forked (the work
        then runs when its result is asked for)."""
        return self._file is None or self._reaped() is not None

    def _reaped(self) -> int | None:
        """The child's wait status once it has ended (reaped here, once), else None."""
        if self._status is None:
            pid, status = os.waitpid(self._pid, os.WNOHANG)
            if not pid:
                return None
            self._status = status
            if self._group:  # a leader that ended abnormally may leave members: the group outlives it
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self._pid, signal.SIGKILL)
            self._pid = 0  # reaped: its number may be another process's now
        return self._status

    def result(self) -> T:
        """The work's result: waits for the child, or runs the work here when none was forked."""
        if self._file is None:
            return self._work()
        try:
            # An interrupt held meanwhile (interrupts.deferred) stops the wait.
            while (status := self._reaped()) is None:
                check(0.01)
            code = os.waitstatus_to_exitcode(status)
            if code == 130:  # Ctrl-C reached the child alone
                raise KeyboardInterrupt
            if code == NO_ROOM:
                raise ForkedError(
                    f"a process of the site's work could not write its result into the temporary folder"
                    f" {tempfile.gettempdir()} (is it full? TMPDIR names another)"
                )
            if code not in (0, 1):
                raise ForkedError(f"a process of the site's work ended with status {code}")
            self._file.seek(0)
            try:
                ok, value = pickle.load(self._file)
            except (pickle.UnpicklingError, EOFError, ValueError) as exc:  # it died writing: a bug
                raise ForkedError(f"a process of the site's work sent no result ({exc})") from None
        finally:
            self.close()
        if not ok:
            raise value if isinstance(value, BaseException) else ForkedError(str(value))
        return cast(T, value)  # what the child pickled: work()'s result

    def close(self) -> None:
        """End the child if it still runs, and drop its result (a second Ctrl-C waits till it is done)."""
        with held():
            if self._pid:
                with contextlib.suppress(ProcessLookupError):  # it (and its group) ended already
                    if self._group:
                        os.killpg(self._pid, signal.SIGKILL)
                    else:
                        os.kill(self._pid, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):  # reaped already
                    os.waitpid(self._pid, 0)
                self._pid = 0
            if self._file is not None:
                self._file.close()
                self._file = None


def _run_child(work: Callable[[], object], out: IO[bytes], group: bool) -> None:
    """In the child (SIGINT and SIGTERM held as it starts): lead a process group of its own when
    ``group``, run ``work``, pickle (True, result) or (False, the error) into ``out``, and exit:
    0 when the result was sent, 1 when an error was, :data:`NO_ROOM` when the temporary folder
    took neither, 130 on Ctrl-C. It never returns into the parent's code, whatever arrives."""
    status = 1
    try:
        if group:
            os.setpgid(0, 0)
        ends_with_parent()  # a parent killed outright (kill -9, its group's SIGKILL) ends the work too
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)
        try:
            found: tuple[bool, object] = (True, work())
            status = 0
        except KeyboardInterrupt:  # Ctrl-C reached the whole group: the parent says so
            status = 130
        except BaseException as exc:  # sent to the parent, which raises it
            found = (False, _sendable(exc))
        if status != 130:
            status = _send(found, out, status)
    finally:
        os._exit(status)


NO_ROOM = 3
"""The exit status of a child that could not write its result into the temporary folder."""


def _send(found: tuple[bool, object], out: IO[bytes], status: int) -> int:
    """Pickle ``found`` into ``out``; returns the exit status that says what was sent."""
    try:
        try:
            pickle.dump(found, out, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:  # a result that cannot be sent: a bug
            out.seek(0)
            out.truncate()
            pickle.dump((False, "".join(traceback.format_exception(exc))), out)
            status = 1
        out.flush()
    except OSError:  # the temporary folder is full, or cannot be written
        return NO_ROOM
    return status


class Relayed(DoraError):
    """A child's DoraError that does not survive pickling as itself (its class takes other
    arguments than its message): its one line and its exit status, as the child had them."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def __reduce__(self) -> tuple[type[Relayed], tuple[str, int]]:
        return (Relayed, (str(self), self.exit_code))


def _sendable(exc: BaseException) -> BaseException | str:
    """What the parent raises for the child's ``exc``: an OSError or a DoraError as it is, or
    as :class:`Relayed` (it reads as the one line it would in one process: a full disk, a
    damaged database), else the traceback's text (a bug)."""
    if isinstance(exc, (OSError, DoraError)):
        try:
            back = pickle.loads(pickle.dumps(exc))
        except (pickle.PicklingError, TypeError, AttributeError, ValueError):
            back = None
        if type(back) is type(exc) and str(back) == str(exc):
            return exc
        if isinstance(exc, DoraError):
            return Relayed(str(exc), exc.exit_code)
    return "".join(traceback.format_exception(exc))
