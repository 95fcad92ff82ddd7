"""The database file: schema upgrades keep every row, foreign files are refused, writes are atomic."""

from __future__ import annotations

import sqlite3

import pytest

from collectors.records import Incident, Ticket
from dora_tui.errors import StoreError
from dora_tui.store import SCHEMA_VERSION, Store
from dora_tui.store.schema import APPLICATION_ID, migrate_to_1


def _version_1_database(path) -> None:
    """A database as dora-tui wrote it before schema 2, with an incident and a ticket."""
    conn = sqlite3.connect(path)
    migrate_to_1(conn)
    conn.execute(
        "INSERT INTO incidents VALUES ('pagerduty', 'P1', 'checkout', 'checkout-api', 'storefront',"
        " 100, 200, 'SEV1', 'Checkout down', 'v1.2')"
    )
    conn.execute(
        "INSERT INTO tickets VALUES ('jira', 'PAY-1', 'payments', 'Payments', NULL, 'Bug', 'Done',"
        " 'hotfix\x1fprod', 'Fix refunds', 300, 400, 1)"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def user_version(path) -> int:
    """The schema version recorded in the database file."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def test_an_older_database_is_upgraded_with_every_row_kept(tmp_path):
    path = tmp_path / "dora.db"
    _version_1_database(path)
    store = Store.open(path)
    assert user_version(path) == SCHEMA_VERSION == 3
    assert store.incidents() == [
        Incident("pagerduty", "P1", 100, 200, "checkout", "checkout-api", "storefront", "SEV1", "Checkout down", "v1.2")
    ]
    assert store.tickets() == [
        Ticket(
            "jira",
            "PAY-1",
            300,
            400,
            "payments",
            "Payments",
            None,
            "Bug",
            "Done",
            ("hotfix", "prod"),
            "Fix refunds",
            True,
        )
    ]
    # A later export still updates the upgraded rows rather than duplicating them.
    with store.atomic():
        store.upsert_incidents(
            [
                Incident(
                    "pagerduty",
                    "P1",
                    100,
                    250,
                    "checkout",
                    "checkout-api",
                    "storefront",
                    "SEV1",
                    "Checkout down",
                    "v1.2",
                )
            ]
        )
    assert [(i.id, i.resolved_at) for i in store.incidents()] == [("P1", 250)]
    store.close()


def test_a_database_from_a_newer_dora_tui_is_refused(tmp_path):
    path = tmp_path / "dora.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="written by a newer dora-tui"):
        Store.open(path)


def test_another_programs_sqlite_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a dora-tui database"):
        Store.open(path)
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["notes"]
    conn.close()


def test_a_failed_write_leaves_the_previous_state(tmp_path):
    store = Store.open(tmp_path / "dora.db")
    with store.atomic():
        store.log_event(1, "import", "first")
        with pytest.raises(KeyError), store.atomic():  # a nested block undoes only itself
            store.log_event(2, "import", "second")
            raise KeyError("boom")
    with pytest.raises(ValueError), store.atomic():
        store.log_event(3, "import", "third")
        raise ValueError("boom")
    assert store.last_event("import") == 1
    assert not store.conn.in_transaction
    store.close()


def test_a_failure_of_any_query_comes_out_in_words_not_as_sqlite3(tmp_path):
    """Whatever SQLite fails with, the command line and the dashboard get a StoreError naming
    the file (here, every group of queries on a connection already closed)."""
    path = tmp_path / "dora.db"
    store = Store.open(path)
    store.close()
    queries = {
        "repositories": store.repositories,
        "deployments": store.deployments,
        "incidents": store.incidents,
        "events": store.last_event,
    }
    for name, query in queries.items():
        with pytest.raises(StoreError, match="database error: Cannot operate on a closed database") as raised:
            query()
        assert raised.value.path == str(path), name
    with pytest.raises(StoreError, match="Cannot operate on a closed database"), store.atomic():
        pass
