"""`dora-tui import` of a file whose `[[imports]]` entry names a format of the other family
(a JSON format for a CSV export, a CSV format for a JSON one): imported on its own or with
`--all`, the same line, whose advice names the entry's `format` key (no --format applies
there, nor in the dashboard's re-import); exit status 2, nothing stored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import FIXTURES
from support.cli import error_line
from support.imported import CONFIG, holding_each_kind, stored, with_entry

ISSUES = "the JSON of `gh issue list --json ...`"
REPLICASETS = "the JSON of `kubectl get replicasets -o json`"
ONE = 'set format = "{}" in its [[imports]] entry, or remove the key'
"""The advice naming the format to set."""
ANY = "set format to one of them in its [[imports]] entry, or remove the key"
"""The advice after a list of formats."""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A config, and a database holding tickets, incidents and deployments already."""
    holding_each_kind(tmp_path, CONFIG)
    exports = tmp_path / "exports"
    exports.mkdir()
    shutil.copy(FIXTURES / "csv" / "jira.csv", exports / "j2.csv")
    shutil.copy(FIXTURES / "csv" / "deployments.csv", exports / "d2.csv")
    shutil.copy(FIXTURES / "trackers" / "github_issues.json", exports / "issues.json")
    shutil.copy(FIXTURES / "trackers" / "statuspage_incidents.json", exports / "status.json")
    shutil.copy(FIXTURES / "deploys" / "kubernetes_replicasets.json", exports / "rs.json")
    return tmp_path


CASES = [
    (
        "tickets",
        "exports/j2.csv",
        "github-issues",
        f"this looks like a jira CSV export, and the github-issues format reads {ISSUES} (see the README, "
        f"`dora-tui import`; {ONE.format('jira')})",
    ),
    (
        "deployments",
        "exports/d2.csv",
        "kubernetes",
        f"this looks like a deployments CSV export, and the kubernetes format reads {REPLICASETS} (see the "
        f"README, `dora-tui import`; {ONE.format('deployments')})",
    ),
    (
        "tickets",
        "exports/issues.json",
        "linear",
        "this is a JSON export, and the linear format reads CSV (JSON formats for tickets: trello, github-issues; "
        f"{ANY})",
    ),
    (
        "incidents",
        "exports/status.json",
        "pagerduty",
        "this is a JSON export, and the pagerduty format reads CSV (JSON formats for incidents: github-issues, "
        f"statuspage; {ANY})",
    ),
    (
        "deployments",
        "exports/rs.json",
        "deployments",
        "this is a JSON export, and the deployments format reads CSV (JSON formats for deployments: kubernetes, "
        f"argocd, cloud-run, github-deployments, github-releases; {ANY})",
    ),
]


@pytest.mark.parametrize("kind, file, format, said", CASES)
def test_an_entry_s_format_of_the_other_family_is_said_alike_on_its_own_and_with_all(
    workspace: Path, capsys, kind: str, file: str, format: str, said: str
) -> None:
    with_entry(workspace, kind, file, format)
    before = stored(workspace)
    assert error_line(capsys, ["import", kind, file]) == f"dora-tui: error: {file}: {said}"
    assert error_line(capsys, ["import", kind, file, "--dry-run"]) == f"dora-tui: error: {file}: {said}"
    assert error_line(capsys, ["import", "--all"]) == f"dora-tui: error: {workspace / file}: {said}"
    assert stored(workspace) == before


def test_a_format_given_on_the_command_line_wins_over_the_entry_s_and_is_advised_as_an_option(
    workspace: Path, capsys
) -> None:
    with_entry(workspace, "tickets", "exports/j2.csv", "jira")
    before = stored(workspace)
    assert error_line(capsys, ["import", "tickets", "exports/j2.csv", "--format", "trello"]) == (
        "dora-tui: error: exports/j2.csv: this looks like a jira CSV export, and the trello format reads the JSON "
        "of a Trello board's menu > Print, export and share > Export as JSON (see the README, `dora-tui import`; "
        "give --format jira, or leave --format out)"
    )
    assert stored(workspace) == before


def test_a_csv_of_no_known_format_under_an_entry_s_json_format_lists_the_csv_formats(workspace: Path, capsys) -> None:
    (workspace / "exports" / "cards.csv").write_text("Card;Opened;Closed\r\nc1;2025-03-01;2025-03-02\r\n")
    with_entry(workspace, "tickets", "exports/cards.csv", "trello")
    before = stored(workspace)
    assert error_line(capsys, ["import", "tickets", "exports/cards.csv"]) == (
        "dora-tui: error: exports/cards.csv: this looks like a CSV export (line 1 is a header of names between "
        "semicolons), and the trello format reads the JSON of a Trello board's menu > Print, export and share > "
        "Export as JSON (see the README, `dora-tui import`; CSV formats for tickets: jira, freshservice, "
        f"azure-devops, linear, shortcut, generic; {ANY})"
    )
    assert stored(workspace) == before


def test_an_entry_s_json_format_for_another_json_format_s_export_advises_the_entry_s_key(
    workspace: Path, capsys
) -> None:
    shutil.copy(FIXTURES / "trackers" / "trello_board.json", workspace / "exports" / "board.json")
    with_entry(workspace, "tickets", "exports/board.json", "github-issues")
    said = (
        'this is a trello export, not github-issues (set format = "trello" in its [[imports]] entry, or remove the key)'
    )
    before = stored(workspace)
    assert (
        error_line(capsys, ["import", "tickets", "exports/board.json"])
        == f"dora-tui: error: exports/board.json: {said}"
    )
    assert error_line(capsys, ["import", "--all"]) == f"dora-tui: error: {workspace / 'exports/board.json'}: {said}"
    assert error_line(capsys, ["import", "tickets", "exports/board.json", "--format", "github-issues"]) == (
        "dora-tui: error: exports/board.json: this is a trello export, not github-issues (give --format trello, or "
        "leave --format out)"
    )
    (workspace / "exports" / "other.json").write_text('[{"what": 1}]')
    with_entry(workspace, "incidents", "exports/other.json", "statuspage")
    assert error_line(capsys, ["import", "--all"]).endswith(
        "this is no statuspage export (remove the format key of its [[imports]] entry to tell its format)"
    )
    assert stored(workspace) == before
