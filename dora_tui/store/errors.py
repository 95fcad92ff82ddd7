"""SQLite's failures in words: every ``sqlite3.Error`` leaves the store as a
:class:`dora_tui.errors.StoreError` whose ``kind`` says why (busy, full disk, read-only folder,
not a dora-tui database...). The dashboard and the command line never see ``sqlite3``.

:func:`error_for` makes the :class:`StoreError` of one failure; :func:`translate_errors` puts
it around every public method of a :class:`dora_tui.store.Store` class, once per call (never
per row).
"""

from __future__ import annotations

import inspect
import os
import sqlite3
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from dora_tui.errors import StoreError

LEFT_ALONE = "it was left as it is"


def error_for(exc: sqlite3.Error, path: Path) -> StoreError:
    """The :class:`StoreError` that says what an SQLite failure on the database at ``path`` means."""
    code = code_of(exc)
    if code in ("BUSY", "LOCKED"):
        return StoreError("busy", path, "another dora-tui is writing to it; try again in a moment")
    if code == "FULL":
        return StoreError("full", path, "the disk is full; nothing was changed")
    if code in ("READONLY", "CANTOPEN", "PERM"):
        if read_only_folder(path, exc):
            return StoreError("readonly", path, f"the folder {path.parent} is read-only; nothing was changed")
        if path.is_file() and not os.access(path, os.W_OK):
            return StoreError("readonly", path, "the file is read-only; nothing was changed")
        return StoreError("readonly", path, f"cannot write to it ({exc}); nothing was changed")
    if code == "NOTADB":
        return StoreError("foreign", path, f"not a dora-tui database (not an SQLite file); {LEFT_ALONE}")
    if code == "CORRUPT":
        return StoreError("damaged", path, f"the file is damaged ({exc})")
    return StoreError("other", path, f"database error: {exc}")


def code_of(exc: sqlite3.Error) -> str:
    """The primary SQLite result code of ``exc``: ``BUSY`` for SQLITE_BUSY_SNAPSHOT, '' when unknown."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    return name.removeprefix("SQLITE_").split("_")[0]


def read_only_folder(path: Path, exc: sqlite3.Error) -> bool:
    """Whether ``exc`` comes from the folder of ``path`` being read-only (SQLite says so, or the
    folder's permissions do)."""
    folder = path.parent
    return getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_DIRECTORY" or (
        folder.is_dir() and not os.access(folder, os.W_OK)
    )


class OnFile(Protocol):
    """What a translated method's object has: the path of its database file."""

    path: Path


Self = TypeVar("Self", bound=OnFile)
Params = ParamSpec("Params")
Result = TypeVar("Result")
Class = TypeVar("Class", bound=type)


def translated(method: Callable[Concatenate[Self, Params], Result]) -> Callable[Concatenate[Self, Params], Result]:
    """``method``, raising the :class:`StoreError` of :func:`error_for` instead of an ``sqlite3.Error``."""

    @wraps(method)
    def call(self: Self, /, *args: Params.args, **kwargs: Params.kwargs) -> Result:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise error_for(exc, self.path) from exc

    return call


def translate_errors(cls: Class) -> Class:
    """Class decorator: each public method defined in the body of ``cls`` becomes
    :func:`translated`. Methods inherited are not touched: decorate each class that defines some."""
    for name, member in list(vars(cls).items()):
        if not name.startswith("_") and inspect.isfunction(member):
            setattr(cls, name, translated(member))
    return cls
