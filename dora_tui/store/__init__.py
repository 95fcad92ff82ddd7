"""The store: the SQLite file, its schema and every query; the only SQL in dora-tui.

Use it as ``from dora_tui.store import Store``. The names below are loaded on first use, so
that importing :mod:`dora_tui.store.outcomes` (which the command line does as it starts)
loads nothing else.

- :mod:`.database`: :class:`Store` (opening, closing, transactions) and the defaults;
- :mod:`.schema`: the tables, the migrations, what a dora-tui file is recognised by;
- :mod:`.opening`: recognising a file before writing to it, connecting, read-only opens;
- :mod:`.errors`: SQLite's failures as :class:`dora_tui.errors.StoreError`;
- :mod:`.queries`: the reads and writes, one module per group of tables;
- :mod:`.outcomes`: what this process has committed, for what Ctrl-C says.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dora_tui.store.database import BUSY_TIMEOUT_MS, MIGRATIONS, SCHEMA_VERSION, RepoState, Store

__all__ = ["BUSY_TIMEOUT_MS", "MIGRATIONS", "SCHEMA_VERSION", "RepoState", "Store"]


def __getattr__(name: str) -> object:
    """The names of ``__all__``, from :mod:`dora_tui.store.database` on first use."""
    if name in __all__:
        return getattr(import_module("dora_tui.store.database"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
