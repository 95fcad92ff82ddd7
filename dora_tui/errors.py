"""Errors a user can act on: each prints as one line and exits with its status.

The base classes and the errors of reading the outside world are :mod:`collectors.errors`
(re-exported here); this module adds the configuration's and the database's. The command
line catches :class:`DoraError` and prints ``str(error)`` to stderr without a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence

from collectors.errors import DoraError, GitError, GitMissing, GitUnusable, InputError, MissingColumn, UsageError

__all__ = [
    "AlreadyExists",
    "ConfigError",
    "DoraError",
    "GitError",
    "GitMissing",
    "GitUnusable",
    "ImportRejected",
    "InputError",
    "MissingColumn",
    "OptionError",
    "StoreError",
    "UnknownName",
    "UsageError",
]


class ConfigError(UsageError):
    """A problem in the configuration file, naming the file and the key."""

    def __init__(self, path: object, key: str, message: str) -> None:
        self.path = str(path)
        self.key = key
        self.message = message
        super().__init__(f"{self.path}: {key}: {message}" if key else f"{self.path}: {message}")


class StoreError(DoraError):
    """The database file cannot be used, in one line: ``path`` (a str, or None), ``kind`` and ``message``.

    ``kind`` says why, so that the command line can word it in its own terms (the config's
    ``database`` key, a command to run) and the dashboard can show it as it is:

    - ``folder``: the path is a folder; ``special``: a device or a pipe; ``path``: its folder
      cannot be made; ``missing``: no database yet; ``foreign``: not a dora-tui database; ``newer``: written by a newer
      dora-tui; ``upgrade``: written by an earlier dora-tui (schema ``version``), and its
      upgrade cannot be written (a read-only folder); these are bad input (exit status 2);
    - ``busy``: another dora-tui is writing; ``full``: the disk is full; ``readonly``: the
      folder or the file cannot be written; ``unreadable``: the file cannot be read;
      ``damaged``: SQLite finds the file corrupt; ``other``: any other SQLite failure;
      these are runtime failures (exit status 1).
    """

    USAGE_KINDS = frozenset({"folder", "special", "path", "missing", "foreign", "newer", "upgrade"})

    def __init__(self, kind: str, path: object, message: str, *, version: int | None = None) -> None:
        self.kind = kind
        self.path = None if path is None else str(path)
        self.message = message
        self.version = version
        self.exit_code = 2 if kind in self.USAGE_KINDS else 1
        super().__init__(f"{self.path}: {message}" if self.path else f"database: {message}")


class UnknownName(UsageError):
    """A service or team name the configuration does not hold; ``kind`` is ``service`` or ``team``.

    The command line words it with the option that gave the name (``--service: unknown
    service 'x' (known: ...)``).
    """

    def __init__(self, kind: str, name: str, known: Sequence[str]) -> None:
        self.kind = kind
        self.name = name
        self.known = tuple(known)
        super().__init__(f"unknown {kind} {name!r} (known: {', '.join(self.known) or 'none'})")


class OptionError(UsageError):
    """A value given for an operation that cannot be used: ``options`` names the parameters
    (``timezone``, ``date_format``, ``as_of``...), which the command line words as its options."""

    def __init__(self, options: str | tuple[str, ...], message: str) -> None:
        self.options = (options,) if isinstance(options, str) else options
        self.message = message
        super().__init__(message)


class AlreadyExists(UsageError):
    """A file an operation would write is there already, and it was not asked to replace it.

    The command line words it with the option that would (``PATH: already exists (use --force
    to overwrite it)``).
    """

    def __init__(self, path: object) -> None:
        self.path = str(path)
        super().__init__(f"{self.path}: already exists")


class ImportRejected(UsageError):
    """An import with bad rows: nothing was stored. ``details`` holds one line per bad row;
    ``skippable`` says that storing the valid rows instead is an option (the command line
    names it: ``--skip-invalid``); ``bad``: how many rows or items are bad, when counted (the
    advice says "fix it" for one)."""

    def __init__(self, message: str, details: list[str], *, skippable: bool = False, bad: int = 0) -> None:
        super().__init__(message)
        self.details = details
        self.skippable = skippable
        self.bad = bad
