"""Repositories read in processes of their own: what ``collect --jobs N`` runs in its workers.

Each function here takes a repository's path and plain values and returns plain, picklable
records (:class:`Scan`, lists of :data:`~collectors.records.CommitRow`, a
:class:`~collectors.git_log.CommitLog`), so that it can run
in a worker process started by ``spawn`` or ``forkserver`` (this module imports nothing of
dora_tui: a worker starts by loading only the collectors) or in the calling process alike.

A git failure comes back as a :class:`Failed` record holding git's one line, not as an
exception: the writer raises it in its own process, worded as a serial read would be.

Workers ignore SIGINT (:func:`quiet_worker`): Ctrl-C on a terminal goes to the whole
process group, and only the writer answers it (it rolls back and terminates the workers),
so no worker prints a traceback.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TypeVar

from collectors.errors import GitError
from collectors.git import GitRepository, TagListing
from collectors.git_log import CommitLog
from collectors.records import CommitRow

T = TypeVar("T")


@dataclass(frozen=True)
class Scan:
    """A repository's tags (one ``for-each-ref``), whether it is shallow, whether it is empty."""

    listing: TagListing
    shallow: bool
    empty: bool


@dataclass(frozen=True)
class Failed:
    """What git said (one line) when reading a repository failed."""

    message: str


_opened: dict[str, GitRepository] = {}  # the repositories this process has located


def _repository(path: str) -> GitRepository:
    repo = _opened.get(path)
    if repo is None:
        repo = _opened[path] = GitRepository(Path(path))
    return repo


def _ignore(signum: int, frame: object) -> None:
    """SIGINT in a worker: nothing. A handler rather than SIG_IGN, so that the git a worker
    starts stops on Ctrl-C as usual (exec resets a caught signal to its default)."""


def quiet_worker(ignored: bool = False) -> None:
    """How a worker starts: Ctrl-C is the writer's to answer (see the module's docstring).
    Workers are started with SIGINT blocked; here it is caught and unblocked. ``ignored``: the
    writer was started with SIGINT ignored (``nohup``, a shell's background job), and so are
    the worker and every git it starts."""
    signal.signal(signal.SIGINT, signal.SIG_IGN if ignored else _ignore)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def scan(path: str) -> Scan | Failed:
    """The tags of the repository at ``path``, its shallowness and emptiness."""
    try:
        repo = _repository(path)
        listing = repo.list_tags()
        return Scan(listing, repo.shallow, not listing.tags and repo.is_empty())
    except GitError as exc:
        return Failed(str(exc))


def read(
    path: str, include: Sequence[str], exclude: Sequence[str], prefixes: Sequence[str]
) -> list[CommitRow] | Failed:
    """The commits reachable from ``include`` and not from ``exclude``, as rows (see
    :meth:`collectors.git.GitRepository.commit_rows`)."""
    try:
        return _repository(path).commit_rows(include, exclude, prefixes or None)
    except GitError as exc:
        return Failed(str(exc))


def read_whole(
    path: str,
    include: Sequence[str],
    exclude: Sequence[str],
    prefixes: Sequence[str],
    then: Callable[[CommitLog], T],
) -> tuple[CommitLog, T] | Failed:
    """The commits reachable from ``include`` and not from ``exclude``, kept as git wrote them
    (see :meth:`collectors.git.GitRepository.commit_log`), and what ``then`` (a picklable
    function from the caller: this module knows nothing of what it computes) makes of them,
    computed here."""
    try:
        log = _repository(path).commit_log(include, exclude, prefixes or None)
    except GitError as exc:
        return Failed(str(exc))
    return log, then(log)


def serve(conn: Connection, ignored: bool = False) -> None:
    """A worker process's life: calls received on ``conn`` (a function and its arguments,
    pickled), each answered on ``conn`` with what it returned, until the other end closes
    (``ignored``: SIGINT is ignored, as the writer's was when it started)."""
    quiet_worker(ignored)
    while True:
        try:
            function, args = conn.recv()
        except EOFError:
            return
        conn.send(function(*args))
