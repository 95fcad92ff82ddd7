"""`dora-tui import` faults of the second review: JSON after a stray line imported with no
format (told from its content, as the default and an `[[imports]]` entry without `format`
read it), an empty export, a deployment JSON export given another deployment JSON format,
and Excel's `sep=` naming a tab or a space. One line, exit status 2, the stored rows
unchanged (or, for an empty export, nothing to store, said)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from dora_tui.cli import main
from support import FIXTURES
from support.cli import error_line

CONFIG = """database = "dora.db"
timezone = "UTC"
[[teams]]
name = "payments"
[[services]]
name = "checkout"
team = "payments"
repo = "shop"
[[services]]
name = "search-svc"
repo = "shop"
"""
WARNING = "Warning: apps/v1beta1 ReplicaSet is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 ReplicaSet"
STRAY = (
    "1: not valid JSON (column 1: Expecting value): the JSON starts on line 2; remove the line before it "
    "(a warning the command wrote into the file?)"
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A config, and a database holding tickets, incidents and deployments already."""
    (tmp_path / "dora.toml").write_text(CONFIG)
    for kind, name in (("tickets", "jira.csv"), ("incidents", "pagerduty.csv"), ("deployments", "deployments.csv")):
        shutil.copy(FIXTURES / "csv" / name, tmp_path / name)
        assert main(["import", kind, name]) == 0
    return tmp_path


def with_entry(workspace: Path, kind: str, file: str, format: str | None = None) -> None:
    """The config with one [[imports]] entry (with no `format` key when ``format`` is None)."""
    entry = f'[[imports]]\nkind = "{kind}"\nfile = "{file}"\n' + (f'format = "{format}"\n' if format else "")
    (workspace / "dora.toml").write_text(CONFIG + entry)


def stored(workspace: Path) -> dict[str, list[tuple]]:
    """Every row of the tables an import writes."""
    with sqlite3.connect(workspace / "dora.db") as db:
        return {
            t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
            for t in ("tickets", "incidents", "deployments")
        }


@pytest.mark.parametrize(
    "kind, fixture",
    [
        ("deployments", "deploys/kubernetes_replicasets.json"),
        ("deployments", "deploys/github_releases.json"),
        ("tickets", "trackers/trello_board.json"),
        ("incidents", "trackers/statuspage_incidents.json"),
    ],
)
def test_json_after_a_stray_line_with_no_format_says_where_the_json_starts(
    workspace: Path, capsys, kind: str, fixture: str
) -> None:
    (workspace / "x.json").write_text(WARNING + "\n" + (FIXTURES / fixture).read_text())
    before = stored(workspace)
    assert error_line(capsys, ["import", kind, "x.json"]) == f"dora-tui: error: x.json:{STRAY}"
    with_entry(workspace, kind, "x.json")
    assert error_line(capsys, ["import", "--all"]) == f"dora-tui: error: {workspace / 'x.json'}:{STRAY}"
    assert stored(workspace) == before


def test_a_csv_export_with_a_json_looking_row_keeps_the_error_of_its_header(workspace: Path, capsys) -> None:
    (workspace / "cards.csv").write_text('Card;Opened\r\n[1, 2];2025-03-01\r\n{"a": 1};2025-03-02\r\n')
    assert error_line(capsys, ["import", "tickets", "cards.csv"]).startswith(
        "dora-tui: error: cards.csv: cannot tell the export format from the header"
    )
