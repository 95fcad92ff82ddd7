"""The lines `dora-tui import` prints say a count of one in the singular: `Stored 1 deployment`,
`1 row has no known service`, `1 bad row`, `1 row of other types left out`, and a clash with
one git tag asks to rename "it"."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from dora_tui.cli import main
from support import CHECKOUT, FIXTURES
from support.gitbuilder import GitBuilder

CONFIG = CHECKOUT
DEPLOYMENT = "service,name,time,sha,message\ncheckout,d1,2026-11-03T10:00:00Z,,hi\n"
INCIDENTS = (
    "id,incident_number,description,service_id,service_name,escalation_policy_id,escalation_policy_name,"
    "created_on,resolved_on,urgency\n"
    "P1,1,boom,S,checkout,E,e,2026-11-04T10:00:00Z,2026-11-04T11:00:00Z,high\n"
    "P2,2,boom,S,nosuch,E,e,2026-11-04T10:00:00Z,2026-11-04T11:00:00Z,high\n"
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A config and nothing imported."""
    (tmp_path / "dora.toml").write_text(CONFIG)
    return tmp_path


def out_lines(capsys: pytest.CaptureFixture[str], argv: list[str]) -> list[str]:
    """What ``dora-tui ARGV`` prints, run to success."""
    capsys.readouterr()
    assert main(argv) == 0
    return capsys.readouterr().out.splitlines()


def rows(workspace: Path, table: str) -> list[tuple]:
    """The rows of ``table``."""
    with sqlite3.connect(workspace / "dora.db") as db:
        return db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()


def test_one_deployment_stored_or_to_store_is_said_in_the_singular(workspace: Path, capsys) -> None:
    (workspace / "d.csv").write_text(DEPLOYMENT)
    assert out_lines(capsys, ["import", "deployments", "d.csv", "--dry-run"])[0] == (
        "Would store 1 deployment from d.csv (format deployments, source deployments)."
    )
    assert out_lines(capsys, ["import", "deployments", "d.csv"])[0] == (
        "Stored 1 deployment from d.csv (format deployments, source deployments)."
    )


def test_one_unmapped_row_and_one_incident_are_said_in_the_singular(workspace: Path, capsys) -> None:
    (workspace / "pd.csv").write_text(INCIDENTS)
    assert out_lines(capsys, ["import", "incidents", "pd.csv"]) == [
        "Stored 2 incidents from pd.csv (format pagerduty, source pagerduty).",
        "  (unmapped): 1",
        "  checkout: 1",
        "  1 row has no known service: 'nosuch' (1). It is stored and counted as unmapped; map it with "
        "service_map in the [[imports]] entry (see `dora-tui doctor`).",
    ]
    (workspace / "one.csv").write_text("\n".join(INCIDENTS.splitlines()[:2]) + "\n")
    assert out_lines(capsys, ["import", "incidents", "one.csv"])[0] == (
        "Stored 1 incident from one.csv (format pagerduty, source pagerduty)."
    )


def test_one_bad_row_is_said_in_the_singular_refused_or_skipped(workspace: Path, capsys) -> None:
    (workspace / "d.csv").write_text(DEPLOYMENT)
    assert main(["import", "deployments", "d.csv"]) == 0
    before = rows(workspace, "deployments")
    (workspace / "bad.csv").write_text(DEPLOYMENT + "checkout,d2,notatime,,hi\n")
    capsys.readouterr()
    assert main(["import", "deployments", "bad.csv"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "dora-tui: error: bad.csv: 1 bad row, nothing was imported and the database is unchanged (fix it, or use "
        "--skip-invalid to store the valid rows)"
    )
    assert rows(workspace, "deployments") == before
    assert "  1 bad row not stored." in out_lines(
        capsys, ["import", "deployments", "bad.csv", "--skip-invalid", "--dry-run"]
    )


def test_one_row_of_another_type_left_out_is_said_in_the_singular(workspace: Path, capsys) -> None:
    records = list(csv.reader(io.StringIO((FIXTURES / "csv" / "jira.csv").read_text(encoding="utf-8-sig"))))
    incident = next(r for r in records if r[4] == "Incident")
    story = next(r for r in records if r[4] == "Story")
    out = io.StringIO()
    csv.writer(out).writerows([records[0], incident, story])
    (workspace / "jira.csv").write_text(out.getvalue())
    assert "  1 row of other types left out (not incidents)." in out_lines(
        capsys, ["import", "incidents", "jira.csv", "--dry-run"]
    )


def test_one_deployment_named_as_a_git_tag_is_asked_to_be_renamed_as_it(workspace: Path, capsys) -> None:
    repo = GitBuilder(workspace / "shop")
    repo.commit("2024-01-02T09:00:00", "first")
    repo.tag("v1", "2024-01-03T09:00:00")
    config = CONFIG.replace('repo = "shop"', 'repo = "shop"\ndeployments = "tags"')
    (workspace / "dora.toml").write_text(config)
    assert main(["collect"]) == 0
    before = rows(workspace, "deployments")
    (workspace / "clash.csv").write_text("service,name,time\ncheckout,v1,2024-01-05T10:00:00Z\n")
    capsys.readouterr()
    assert main(["import", "deployments", "clash.csv"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "dora-tui: error: clash.csv: 1 deployment has the name of a git tag; nothing was imported (rename it in "
        "the file, or leave it out)"
    )
    assert rows(workspace, "deployments") == before
