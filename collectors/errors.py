"""The errors every part of dora-tui reports: each is one line a person can act on.

They live here, at the bottom of the tree, because the readers of the outside world raise
them and ``collectors`` imports nothing of ``dora_tui``; :mod:`dora_tui.errors` adds the
errors of the configuration, the database and the command line on top of them. The command
line prints ``str(error)`` without a traceback and exits with ``exit_code``.
"""

from __future__ import annotations


class DoraError(Exception):
    """A failure explained in one line. ``exit_code`` 2 is bad usage or input, 1 a runtime failure."""

    exit_code = 1


class UsageError(DoraError):
    """Bad usage or bad input (exit status 2)."""

    exit_code = 2


class InputError(UsageError):
    """A bad file, row or value in an input file, naming the file (and line, where there is one)."""


class MissingColumn(InputError):
    """An export lacks a column its rows cannot do without.

    ``instead`` names the setting that would stand in for the column, one value for every
    row (``"service"``, ``"team"``), or is ``""`` when none would: the command line, which
    knows how that setting is given, adds it to the message. ``note`` is said after both (how
    the file was read).
    """

    def __init__(self, message: str, instead: str = "", note: str = "") -> None:
        super().__init__(message + note)
        self.message = message
        self.instead = instead
        self.note = note


class GitError(DoraError):
    """git could not read a repository (exit status 2: the repository given is not usable)."""

    exit_code = 2


class GitRefused(GitError):
    """git refused to read a repository it found (owned by another user: its
    ``safe.directory`` check); the message says what to run to trust it."""


class GitMissing(DoraError):
    """No ``git`` program on PATH: a runtime failure (exit status 1), since the command and
    its input are fine and the machine lacks a tool dora-tui needs."""

    def __init__(self, purpose: str = "read repositories") -> None:
        super().__init__(f"git is needed to {purpose} and was not found on PATH (install git)")


class GitUnusable(DoraError):
    """A ``git`` on PATH that does not run (a stub asking for developer tools, a broken install):
    a runtime failure (exit status 1), with what it said."""

    def __init__(self, said: str) -> None:
        super().__init__(f"git does not run here ({said}); check that `git --version` works")
