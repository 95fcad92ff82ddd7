"""Opening the database file: know it is dora-tui's before writing a byte to it, create or
upgrade it in one write transaction, and open it read-only without writing anything.

Before anything is written to an existing file (not even its journal mode), the file is
looked at through a read-only connection and taken as:

- **ours**: its application_id is :data:`dora_tui.store.schema.APPLICATION_ID`; or its
  application_id is 0, its user_version one of the versions written before the marker existed,
  and its tables (``sqlite_*`` ones aside) and their columns exactly those of dora-tui's schema
  of that version (:func:`dora_tui.store.schema.has_tables_of`): it gets the marker in its
  upgrade transaction;
- **new**: a zero-byte file, or an SQLite file with nothing in it (no table, index, view or
  trigger; user_version 0; application_id 0). It holds nothing to lose, and it is what a
  second dora-tui sees while a first one is creating the database;
- anything else (another program's SQLite file, a file that is not SQLite, user_version -1,
  a newer dora-tui's schema) is refused in one line, and left byte-for-byte unchanged.

The check is made again, and every migration run, inside one ``BEGIN IMMEDIATE`` transaction
(with the busy timeout set before anything else): two commands creating or upgrading the
same database at once take turns, and the second finds the work done.

A read-only open (``report``, ``doctor``) writes nothing: a connection with ``PRAGMA
query_only`` (so that SQLite removes the ``-wal`` and ``-shm`` files it makes when it closes),
or ``mode=ro``, or in a read-only folder, where SQLite cannot make the ``-shm`` file a WAL
database needs, ``immutable=1`` (nobody can be writing there).

Every failure leaves this module as a :class:`dora_tui.errors.StoreError`
(see :mod:`dora_tui.store.errors`).
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from urllib.parse import quote

from dora_tui import outcomes
from dora_tui.errors import StoreError
from dora_tui.store.errors import LEFT_ALONE, code_of, error_for, read_only_folder
from dora_tui.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, UNMARKED_VERSIONS, has_tables_of

PAGE_SIZE = 32768  # for new files: bulk writes (commits, imported rows keyed by random ids)
# insert into B-trees at random places; 32 KiB pages split less often than 4 KiB ones
# (measured in bench/README.md).
CACHE_KIB = 65536


def connect(path: Path, *, create: bool, busy_timeout_ms: int) -> sqlite3.Connection:
    """A read-write connection to the dora-tui database at ``path``, created (with ``create``)
    or upgraded as needed. Raises :class:`StoreError`; a refused file is left unchanged."""
    version = recognise_file(path, busy_timeout_ms)
    if version is None and not create:
        raise StoreError("missing", path, "no database yet")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError("path", path, f"cannot create its folder: {exc.strerror}") from None
    try:  # a new file in a folder this user may not write: CANTOPEN, said as such
        conn = sqlite3.connect(path, timeout=busy_timeout_ms / 1000)  # the busy timeout, before anything else
    except sqlite3.Error as exc:
        raise error_for(exc, path) from exc
    try:
        if version is None:
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # takes effect on a new file only
        _switch_to_wal(conn, busy_timeout_ms)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        migrate(conn, path)
    except BaseException as exc:
        conn.close()
        if isinstance(exc, sqlite3.Error):
            raise error_for(exc, path) from exc
        raise
    return conn


def connect_readonly(path: Path, *, busy_timeout_ms: int) -> sqlite3.Connection:
    """A connection that cannot write, to the dora-tui database at ``path`` (for ``report`` and
    ``doctor``). It must exist; an earlier dora-tui's is upgraded first, as any open does, and
    where that cannot be written (a read-only folder) it is refused. Raises :class:`StoreError`."""
    version = recognise_file(path, busy_timeout_ms)
    if version is None:
        raise StoreError("missing", path, "no database yet")
    if version < SCHEMA_VERSION:  # the upgrade any open makes, where the folder allows it
        try:
            connect(path, create=False, busy_timeout_ms=busy_timeout_ms).close()
        except StoreError as exc:
            if exc.kind != "readonly":
                raise
            raise _needs_upgrade(path, version) from None
    if not _sibling(path, "-wal").exists() and not os.access(path, os.W_OK):
        # Nobody is writing it (a writer makes the -wal first), and a read-only file: SQLite
        # would leave -wal and -shm files it cannot remove, read-only ones, which would then
        # stop every later write. Read it as it is.
        try:
            return _checked(_open_uri(path, "mode=ro&immutable=1", busy_timeout_ms), path)
        except sqlite3.Error as exc:
            raise error_for(exc, path) from exc
    if not _sibling(path, "-wal").exists():
        # Nobody is writing it. A connection that may write but refuses to (query_only) has
        # SQLite remove the -wal and -shm files it makes when it closes, as after a collect;
        # a mode=ro one would leave them behind. In a read-only folder it cannot make them.
        try:
            conn = sqlite3.connect(path, timeout=busy_timeout_ms / 1000)
            conn.execute("PRAGMA query_only = ON")
            return _checked(conn, path)
        except sqlite3.Error as exc:
            if code_of(exc) not in ("READONLY", "CANTOPEN", "PERM"):
                raise error_for(exc, path) from exc
    try:
        return _checked(_open_uri(path, "mode=ro", busy_timeout_ms), path)
    except sqlite3.Error as exc:
        if code_of(exc) not in ("READONLY", "CANTOPEN") or not read_only_folder(path, exc):
            raise error_for(exc, path) from exc
    # A WAL database in a read-only folder without its -shm file: nobody can be writing it,
    # and only changes still in a -wal file would be missed.
    if _sibling(path, "-wal").is_file() and _sibling(path, "-wal").stat().st_size:
        raise StoreError(
            "readonly",
            path,
            f"the folder {path.parent} is read-only, and the database's -wal "
            "file holds changes SQLite can read only where it can write",
        )
    try:
        return _checked(_open_uri(path, "mode=ro&immutable=1", busy_timeout_ms), path)
    except sqlite3.Error as exc:
        raise error_for(exc, path) from exc


def _switch_to_wal(conn: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """``PRAGMA journal_mode = WAL``, waiting for another process switching the same new file:
    SQLite answers that busy at once (two connections would wait for each other's lock)."""
    deadline = time.monotonic() + busy_timeout_ms / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if code_of(exc) != "BUSY" or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def recognise_file(path: Path, busy_timeout_ms: int) -> int | None:
    """Look at the file at ``path`` without writing to it (see the module docstring): None when
    there is none or it is new, else the schema version of the dora-tui database it is.

    Anything else raises :class:`StoreError`.
    """
    try:
        if path.is_dir():
            raise StoreError("folder", path, "a folder, not a database file")
        if path.exists() and not path.is_file():  # SQLite would make a -journal beside /dev/null
            raise StoreError("special", path, "not a file (a device or a pipe)")
        if not path.exists() or path.stat().st_size == 0:
            return None
        with path.open("rb") as file:
            header = file.read(100)
    except OSError as exc:
        raise StoreError("unreadable", path, f"cannot read it: {exc.strerror}") from None
    # A WAL file without its -wal has every committed page in the main file, and a writer
    # creates the -wal before changing anything: read it as it is, without locks (which would
    # create -wal and -shm files), and trust the reading only if the file did not change
    # meanwhile. Anything else (or a file that changed): read-only, with SQLite's locks.
    if header[18:20] == b"\x02\x02" and not _sibling(path, "-wal").exists():
        stamp = _stamp(path)
        try:
            version = _recognise_at(path, "mode=ro&immutable=1", busy_timeout_ms)
        except StoreError:
            if _stamp(path) == stamp:
                raise
        else:
            if _stamp(path) == stamp:
                return version
    return _recognise_at(path, "mode=ro", busy_timeout_ms)


def _recognise_at(path: Path, query: str, busy_timeout_ms: int) -> int | None:
    try:
        conn = _open_uri(path, query, busy_timeout_ms)
        try:
            return recognise(conn, path)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise error_for(exc, path) from exc


def _stamp(path: Path) -> tuple[int, int, int, bool] | None:
    """What changes when anything writes to the file at ``path`` (or makes its -wal)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns, _sibling(path, "-wal").exists()


def recognise(conn: sqlite3.Connection, path: Path) -> int | None:
    """The schema version of the dora-tui database ``conn`` is open on, None when it is new (empty).

    Raises :class:`StoreError` (``foreign`` or ``newer``) for any other.
    """
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")  # every read below sees one snapshot of the file
    try:
        return _recognise(conn, path)
    finally:
        if own and conn.in_transaction:
            conn.execute("ROLLBACK")


def _recognise(conn: sqlite3.Connection, path: Path) -> int | None:
    app_id, version = marker(conn)
    if app_id == APPLICATION_ID:
        if version > SCHEMA_VERSION:
            raise StoreError(
                "newer",
                path,
                f"written by a newer dora-tui (schema {version}, this one reads up to {SCHEMA_VERSION}); "
                "upgrade dora-tui",
            )
        if version >= 1:
            return version
        raise StoreError(
            "foreign", path, f"not a dora-tui database (dora-tui's marker, but schema version {version}); {LEFT_ALONE}"
        )
    if app_id == 0:
        if (
            version == 0
            and not conn.execute("SELECT 1 FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").fetchone()
        ):
            return None
        if version in UNMARKED_VERSIONS and version <= SCHEMA_VERSION and has_tables_of(conn, version):
            return version
        raise StoreError(
            "foreign",
            path,
            f"not a dora-tui database (an SQLite file with user_version {version} "
            f"and tables dora-tui did not make); {LEFT_ALONE}",
        )
    raise StoreError(
        "foreign",
        path,
        f"not a dora-tui database (another program's SQLite file, application_id {app_id:#x}); {LEFT_ALONE}",
    )


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Create or upgrade the schema on ``conn`` to the latest version, and mark it as ours.

    Nothing is done (nor locked) for a database already marked and current. Otherwise the
    file is recognised again and migrated inside one ``BEGIN IMMEDIATE`` transaction: another
    process creating or upgrading it at the same time is waited for, and its work is found done.
    """
    if marker(conn) == (APPLICATION_ID, SCHEMA_VERSION):
        return
    outcome = outcomes.begin(f"the creation or upgrade of {path}")
    ending = False
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = recognise(conn, path) or 0
        if marker(conn) != (APPLICATION_ID, SCHEMA_VERSION):
            outcome.what = (
                f"the creation of {path}" if version == 0 else f"the upgrade of {path} to schema {SCHEMA_VERSION}"
            )
            for step in range(version, SCHEMA_VERSION):
                MIGRATIONS[step](conn)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        else:
            outcomes.discard(outcome)  # another process made it while this one waited: nothing to write
        ending = True
        conn.execute("COMMIT")
        outcome.committed = True
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        elif ending and not isinstance(exc, sqlite3.Error):
            outcome.committed = True  # COMMIT went through; the interrupt came just after
        raise


def marker(conn: sqlite3.Connection) -> tuple[int, int]:
    """(application_id, user_version) of the database on ``conn``."""
    app_id, version = conn.execute(
        "SELECT (SELECT application_id FROM pragma_application_id), (SELECT user_version FROM pragma_user_version)"
    ).fetchone()
    return int(app_id), int(version)


def _checked(conn: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """``conn``, once it has read the file and found it still a current dora-tui database."""
    try:
        version = recognise(conn, path)
        if version is None:  # emptied or replaced since it was looked at
            raise StoreError("missing", path, "no database yet")
        if version < SCHEMA_VERSION:
            raise _needs_upgrade(path, version)
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    except BaseException:
        conn.close()
        raise
    return conn


def _needs_upgrade(path: Path, version: int) -> StoreError:
    return StoreError(
        "upgrade",
        path,
        f"written by an earlier dora-tui (schema {version}); it needs an upgrade, which cannot be written here",
        version=version,
    )


def _open_uri(path: Path, query: str, busy_timeout_ms: int) -> sqlite3.Connection:
    return sqlite3.connect(
        f"file:{quote(os.fspath(path.absolute()))}?{query}", uri=True, timeout=busy_timeout_ms / 1000
    )


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)
