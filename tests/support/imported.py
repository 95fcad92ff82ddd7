"""What the import tests share: the rows an import writes, read back to show that a refused
import left them as they were, and a workspace that holds some of each kind already."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from dora_tui.cli import main
from support import CHECKOUT, FIXTURES

CONFIG = (
    CHECKOUT
    + """[[services]]
name = "search-svc"
repo = "shop"
"""
)
"""A workspace's ``dora.toml``: team ``payments``, services ``checkout`` (of it) and
``search-svc`` (of none), both in the repository ``shop``."""

KINDS = ("tickets", "incidents", "deployments")
"""The tables an import writes."""


def stored(workspace: Path) -> dict[str, list[tuple]]:
    """Every row of the tables an import writes, in the database of ``workspace``."""
    with sqlite3.connect(workspace / "dora.db") as db:
        return {t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in KINDS}


def holding_each_kind(workspace: Path, config: str) -> Path:
    """``workspace`` with ``config`` as its ``dora.toml`` and the CSV fixtures of tickets,
    incidents and deployments imported (``jira.csv``, ``pagerduty.csv``, ``deployments.csv``)."""
    (workspace / "dora.toml").write_text(config)
    for kind, name in (("tickets", "jira.csv"), ("incidents", "pagerduty.csv"), ("deployments", "deployments.csv")):
        shutil.copy(FIXTURES / "csv" / name, workspace / name)
        assert main(["import", kind, name]) == 0
    return workspace


def with_entry(workspace: Path, kind: str, file: str, format: str | None = None) -> None:
    """``workspace``'s config: :data:`CONFIG` and one ``[[imports]]`` entry of ``kind`` for
    ``file`` (with no ``format`` key when ``format`` is None)."""
    entry = f'[[imports]]\nkind = "{kind}"\nfile = "{file}"\n' + (f'format = "{format}"\n' if format else "")
    (workspace / "dora.toml").write_text(CONFIG + entry)
