"""Errors a user can act on: each prints as one line and exits with its status.

The CLI catches :class:`DoraError` and prints ``str(error)`` to stderr without a traceback.
"""

from __future__ import annotations


class DoraError(Exception):
    """A failure explained in one line. ``exit_code`` 2 is bad usage or input, 1 a runtime failure."""

    exit_code = 1


class UsageError(DoraError):
    """Bad usage or bad input (exit status 2)."""

    exit_code = 2


class ConfigError(UsageError):
    """A problem in the configuration file, naming the file and the key."""

    def __init__(self, path: object, key: str, message: str) -> None:
        self.path = str(path)
        self.key = key
        self.message = message
        super().__init__(f"{self.path}: {key}: {message}" if key else f"{self.path}: {message}")


class InputError(UsageError):
    """A bad row or value in an input file, naming the file and line."""


class GitError(DoraError):
    """git could not read a repository (exit status 2: the repository given is not usable)."""

    exit_code = 2


class GitMissing(DoraError):
    """No ``git`` program on PATH: a runtime failure (exit status 1), since the command and
    its input are fine and the machine lacks a tool dora-tui needs."""

    def __init__(self, purpose: str = "read repositories") -> None:
        super().__init__(f"git is needed to {purpose} and was not found on PATH (install git)")
