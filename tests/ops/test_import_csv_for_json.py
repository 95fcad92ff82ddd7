"""`dora-tui import` of a CSV export with a JSON format named (`--format github-issues`, or an
`[[imports]]` entry's `format`): one line saying what the file looks like, what the format
reads and how to read a CSV, exit status 2, nothing stored. Text that is neither keeps the
parser's error."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest

from support import FIXTURES
from support.cli import error_line
from support.imported import CONFIG, holding_each_kind, stored

CSV = FIXTURES / "csv"

READS = {
    "kubernetes": "the JSON of `kubectl get replicasets -o json`",
    "argocd": "the JSON of `kubectl get applications.argoproj.io -n argocd -o json`",
    "cloud-run": "the JSON of `gcloud run revisions list --format=json`",
    "github-deployments": "the JSON of `gh api repos/OWNER/REPO/deployments --paginate`",
    "github-releases": "the JSON of `gh release list --json ...`",
    "trello": "the JSON of a Trello board's menu > Print, export and share > Export as JSON",
    "github-issues": "the JSON of `gh issue list --json ...`",
    "statuspage": "the JSON of Statuspage's `/api/v2/incidents.json`",
}
"""Every JSON format, and what the refusal says it reads."""

KIND = {"trello": "tickets", "github-issues": "tickets", "statuspage": "incidents"}
EXPORT = {"tickets": ("jira.csv", "jira"), "incidents": ("pagerduty.csv", "pagerduty")}
EXPORT_OF_DEPLOYMENTS = ("deployments.csv", "deployments")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A config, and a database holding tickets, incidents and deployments already."""
    return holding_each_kind(tmp_path, CONFIG)


@pytest.mark.parametrize("format", list(READS))
def test_a_csv_export_named_a_json_format_says_what_it_is_and_what_the_format_reads(
    workspace: Path, capsys, format: str
) -> None:
    kind = KIND.get(format, "deployments")
    name, csv_format = EXPORT.get(kind, EXPORT_OF_DEPLOYMENTS)
    before = stored(workspace)
    assert error_line(capsys, ["import", kind, name, "--format", format]) == (
        f"dora-tui: error: {name}: this looks like a {csv_format} CSV export, and the {format} format reads "
        f"{READS[format]} (see the README, `dora-tui import`; give --format {csv_format}, or leave --format out)"
    )
    assert stored(workspace) == before


def test_a_header_of_no_known_format_lists_the_csv_formats_of_the_kind(workspace: Path, capsys) -> None:
    # Excel's "Unicode text": UTF-16 with a byte order mark, tabs between the names
    text = "Ref\tStarted\tEnded\tSystem\r\nA-1\t2025-03-01 10:00\t2025-03-01 11:00\tcheckout\r\n"
    (workspace / "outages.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    # Excel's "sep=" line before the header
    (workspace / "cards.csv").write_text("sep=;\r\nCard;Opened;Closed\r\nc1;2025-03-01;2025-03-02\r\n")
    before = stored(workspace)
    assert error_line(capsys, ["import", "incidents", "outages.txt", "--format", "statuspage"]) == (
        "dora-tui: error: outages.txt: this looks like a CSV export (line 1 is a header of names between tabs), "
        f"and the statuspage format reads {READS['statuspage']} (see the README, `dora-tui import`; CSV formats "
        "for incidents: jira, pagerduty, pagerduty-analytics, servicenow, freshservice, generic; give one with "
        "--format, or leave --format out)"
    )
    assert error_line(capsys, ["import", "tickets", "cards.csv", "--format", "trello"]) == (
        "dora-tui: error: cards.csv: this looks like a CSV export (line 2 is a header of names between "
        f"semicolons), and the trello format reads {READS['trello']} (see the README, `dora-tui import`; CSV "
        "formats for tickets: jira, freshservice, azure-devops, linear, shortcut, generic; give one with "
        "--format, or leave --format out)"
    )
    assert stored(workspace) == before


def test_a_csv_export_of_another_kind_names_the_command_that_reads_it(workspace: Path, capsys) -> None:
    before = stored(workspace)
    assert error_line(capsys, ["import", "tickets", "pagerduty.csv", "--format", "github-issues"]) == (
        "dora-tui: error: pagerduty.csv: this looks like a pagerduty CSV export, and the github-issues format "
        f"reads {READS['github-issues']} (see the README, `dora-tui import`; the pagerduty format holds "
        "incidents, not tickets: use `dora-tui import incidents`)"
    )
    assert stored(workspace) == before


def test_a_csv_export_that_is_not_utf8_is_told_by_its_header_too(workspace: Path, capsys) -> None:
    # Excel's "CSV" on a Western Windows: Windows-1252, where the parser said 'not UTF-8 text'
    header = (CSV / "jira.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    row = "Caf\xe9 checkout,OPS-9,9,,Bug,Done,OPS,Ops,software,High,Done,,,2025-03-01 10:00,,,,,,,,,,,,,"
    (workspace / "excel.csv").write_bytes(f"{header}\r\n{row}\r\n".encode("cp1252"))
    before = stored(workspace)
    assert error_line(capsys, ["import", "tickets", "excel.csv", "--format", "github-issues"]) == (
        "dora-tui: error: excel.csv: this looks like a jira CSV export, and the github-issues format reads "
        f"{READS['github-issues']} (see the README, `dora-tui import`; give --format jira, or leave --format out)"
    )
    assert stored(workspace) == before


def test_an_imports_entry_naming_a_json_format_for_a_csv_file_is_refused_saying_so(workspace: Path, capsys) -> None:
    (workspace / "dora.toml").write_text(
        CONFIG + '[[imports]]\nkind = "tickets"\nfile = "jira.csv"\nformat = "github-issues"\n'
    )
    before = stored(workspace)
    assert error_line(capsys, ["import", "--all"]) == (
        f"dora-tui: error: {workspace / 'jira.csv'}: this looks like a jira CSV export, and the github-issues "
        f'format reads {READS["github-issues"]} (see the README, `dora-tui import`; set format = "jira" in its '
        "[[imports]] entry, or remove the key)"
    )
    assert stored(workspace) == before


@pytest.mark.parametrize(
    "text, said",
    [
        ('{"a": 1,}', "bad.json:1: not valid JSON (column 9: Expecting property name enclosed in double quotes)"),
        ("[1, 2,\n3,, 4]", "bad.json:2: not valid JSON (column 3: Expecting value)"),
        ("<html>Not Found</html>\n", "bad.json:1: not valid JSON (column 1: Expecting value)"),
        ("just one name\n1\n", "bad.json:1: not valid JSON (column 1: Expecting value)"),
    ],
)
def test_text_that_is_neither_json_nor_a_csv_header_keeps_the_parser_s_error(
    workspace: Path, capsys, text: str, said: str
) -> None:
    (workspace / "bad.json").write_text(text)
    assert error_line(capsys, ["import", "tickets", "bad.json", "--format", "trello"]) == f"dora-tui: error: {said}"


def test_the_reverse_a_json_export_named_a_csv_format_already_names_the_json_formats(workspace: Path, capsys) -> None:
    shutil.copy(FIXTURES / "deploys" / "kubernetes_replicasets.json", workspace / "rs.json")
    before = stored(workspace)
    assert error_line(capsys, ["import", "deployments", "rs.json", "--format", "deployments"]) == (
        "dora-tui: error: rs.json: this is a JSON export, and the deployments format reads CSV (JSON formats for "
        "deployments: kubernetes, argocd, cloud-run, github-deployments, github-releases; give one with --format, "
        "or leave --format out)"
    )
    assert stored(workspace) == before


def test_a_format_beginning_with_a_vowel_takes_an(workspace: Path, capsys) -> None:
    # "this looks like a azure-devops CSV export"
    shutil.copy(FIXTURES / "csv" / "azure-devops.csv", workspace / "ado.csv")
    said = error_line(capsys, ["import", "tickets", "ado.csv", "--format", "github-issues"])
    assert said.startswith(
        "dora-tui: error: ado.csv: this looks like an azure-devops CSV export, and the github-issues"
    ), said
