"""The store: the SQLite file, its schema and every query; the only SQL in dora-tui.

Use it as ``from dora_tui.store import Store``.

- :mod:`.database`: :class:`Store` (opening, closing, transactions) and the defaults;
- :mod:`.schema`: the tables, the migrations, what a dora-tui file is recognised by;
- :mod:`.opening`: recognising a file before writing to it, connecting, read-only opens;
- :mod:`.errors`: SQLite's failures as :class:`dora_tui.errors.StoreError`;
- :mod:`.queries`: the reads and writes, one module per group of tables.
"""

from dora_tui.store.database import BUSY_TIMEOUT_MS, MIGRATIONS, SCHEMA_VERSION, RepoState, Store

__all__ = ["BUSY_TIMEOUT_MS", "MIGRATIONS", "SCHEMA_VERSION", "RepoState", "Store"]
