"""A database another program changed: a value of another type than its column's (SQLite keeps
any value in any column) is said in one line naming the table, the column and the value, not a
traceback (a review's finding: `site` sent its process's traceback up as one line, `report`
printed one); `doctor` lists it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dora_tui.cli import main
from support.gitbuilder import GitBuilder

CONFIG = 'database = "dora.db"\ntimezone = "UTC"\n\n[[services]]\nname = "shop"\nrepo = "shop"\n'
SAID = "the file was changed by another program: incidents.opened_at holds 'garbage' where a whole number belongs"


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    repo = GitBuilder(tmp_path / "shop")
    repo.commit("2026-10-01T10:00:00", "initial")
    repo.tag("v1.0.0", "2026-10-02T10:00:00")
    repo.commit("2026-10-03T10:00:00", "a change")
    repo.tag("v1.1.0", "2026-10-04T10:00:00")
    (tmp_path / "dora.toml").write_text(CONFIG)
    (tmp_path / "inc.csv").write_text(
        "id,opened_at,resolved_at,service\nINC-1,2026-10-05T10:00:00Z,2026-10-05T11:00:00Z,shop\n"
    )
    assert main(["collect"]) == 0
    assert main(["import", "incidents", "inc.csv", "--format", "generic"]) == 0
    with sqlite3.connect(tmp_path / "dora.db") as db:
        db.execute("UPDATE incidents SET opened_at = 'garbage' WHERE id = 'INC-1'")
    return tmp_path


@pytest.mark.parametrize(
    "argv", [["report", "--format", "json"], ["site", "out", "--as-of", "2026-10-31"]], ids=["report", "site"]
)
def test_a_value_of_another_type_is_one_line_naming_it(damaged: Path, capsys, argv: list[str]) -> None:
    capsys.readouterr()
    assert main(argv) == 1  # a runtime failure: the file is damaged
    assert capsys.readouterr().err == f"dora-tui: error: {damaged / 'dora.db'}: {SAID}\n"
    assert not (damaged / "out").exists()


def test_doctor_lists_it_first(damaged: Path, capsys) -> None:
    main(["doctor"])
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("- [damaged] the database was changed by another program: incidents.opened_at holds")


@pytest.mark.parametrize(
    ("change", "argv", "said"),
    [
        (  # read by the process that lays the rows out, not the figures' (a review's finding)
            "UPDATE incidents SET opened_at = 1.5",
            ["site", "out", "--as-of", "2026-10-31"],
            "incidents.opened_at holds 1.5 where a whole number belongs",
        ),
        (  # nothing where dora-tui always writes a number: report's median met None (a review's finding)
            "UPDATE changes SET lead_time_s = NULL",
            ["report", "--format", "json"],
            "changes.lead_time_s holds nothing where a whole number belongs",
        ),
        (  # the same in the site
            "UPDATE changes SET lead_time_s = NULL",
            ["site", "out", "--as-of", "2026-10-31"],
            "changes.lead_time_s holds nothing where a whole number belongs",
        ),
        (  # when the data was collected, which the site shows
            "UPDATE events SET time = 'abc' WHERE kind = 'collect'",
            ["site", "out", "--as-of", "2026-10-31"],
            "events.time holds 'abc' where a whole number belongs",
        ),
    ],
)
def test_each_command_says_the_value_it_stopped_at(
    damaged: Path, capsys, change: str, argv: list[str], said: str
) -> None:
    with sqlite3.connect(damaged / "dora.db") as db:
        db.execute("UPDATE incidents SET opened_at = 1791194400")  # as imported: only `change` is wrong
        db.execute(change)
    capsys.readouterr()
    assert main(argv) == 1
    assert capsys.readouterr().err == (
        f"dora-tui: error: {damaged / 'dora.db'}: the file was changed by another program: {said}\n"
    )
    main(["doctor"])
    assert said in capsys.readouterr().out.splitlines()[0]


def test_doctor_lists_a_blob_in_a_text_column(damaged: Path, capsys) -> None:
    with sqlite3.connect(damaged / "dora.db") as db:
        db.execute("UPDATE incidents SET opened_at = 1791194400")
        db.execute("UPDATE deployments SET name = X'00ff' WHERE name = 'v1.1.0'")
    main(["doctor"])
    assert "deployments.name holds b'\\x00\\xff' where a text belongs" in capsys.readouterr().out.splitlines()[0]


def test_doctor_lists_a_time_outside_the_calendar(damaged: Path, capsys) -> None:
    # a whole number, but before the year 1: the dashboard's pages ended in "year 0 is out of range"
    with sqlite3.connect(damaged / "dora.db") as db:
        db.execute("UPDATE incidents SET opened_at = 1791194400")
        db.execute("UPDATE deployments SET time = -62135596801")
    main(["doctor"])
    first = capsys.readouterr().out.splitlines()[0]
    assert "deployments.time holds -62135596801, a time at or beyond the ends of the years 1 to 9999" in first
