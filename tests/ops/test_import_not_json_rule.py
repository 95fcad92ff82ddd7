"""What `dora-tui import` says of a file that is not the JSON its format reads, where the rule
telling a CSV export misfired: JSON after a stray line (a warning the command wrote into the
file, a comment), a file that is not text (a zip, a gzip, a binary), Excel's `sep=|` line, and a
CSV header opening with `[`. One line, exit status 2, the stored rows unchanged."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from pathlib import Path

import pytest

from dora_tui.cli import main
from support import FIXTURES
from support.cli import error_line
from support.imported import CONFIG, holding_each_kind, stored

STRAY = "remove the line before it (a warning the command wrote into the file?)"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A config, and a database holding tickets, incidents and deployments already."""
    return holding_each_kind(tmp_path, CONFIG)


@pytest.mark.parametrize(
    "kind, fixture, format, first",
    [
        (
            "deployments",
            "deploys/kubernetes_replicasets.json",
            "kubernetes",
            "Warning: apps/v1beta1 ReplicaSet is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 ReplicaSet",
        ),
        (
            "deployments",
            "deploys/cloudrun_revisions.json",
            "cloud-run",
            "WARNING: The following filter keys were not present in any resource : metadata.labels, status",
        ),
        ("tickets", "trackers/github_issues.json", "github-issues", "# gh issue list --json number,title,state"),
    ],
)
def test_json_after_a_stray_line_says_where_the_json_starts(
    workspace: Path, capsys, kind: str, fixture: str, format: str, first: str
) -> None:
    (workspace / "x.json").write_text(first + "\n" + (FIXTURES / fixture).read_text())
    before = stored(workspace)
    assert error_line(capsys, ["import", kind, "x.json", "--format", format]) == (
        f"dora-tui: error: x.json:1: not valid JSON (column 1: Expecting value): the JSON starts on line 2; {STRAY}"
    )
    assert stored(workspace) == before


def test_json_after_several_stray_lines_counts_them(workspace: Path, capsys) -> None:
    text = (FIXTURES / "deploys" / "kubernetes_replicasets.json").read_text()
    (workspace / "x.json").write_text("Warning: one, two\n[not json]\nWarning: three\n" + text)
    assert error_line(capsys, ["import", "deployments", "x.json", "--format", "kubernetes"]) == (
        "dora-tui: error: x.json:1: not valid JSON (column 1: Expecting value): the JSON starts on line 4; remove "
        "the 3 lines before it (a warning the command wrote into the file?)"
    )


def test_a_csv_export_with_a_row_opening_with_a_bracket_is_still_told_a_csv_export(workspace: Path, capsys) -> None:
    (workspace / "cards.csv").write_text("Card;Opened;Closed\r\n[UI] button;2025-03-01;2025-03-02\r\n")
    assert error_line(capsys, ["import", "tickets", "cards.csv", "--format", "trello"]).startswith(
        "dora-tui: error: cards.csv: this looks like a CSV export (line 1 is a header of names between semicolons)"
    )


def workbook() -> bytes:
    """The bytes of a zip archive as Excel writes an .xlsx (its first entry's name)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", "<sst><si><t>Summary,Issue key</t></si></sst>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, data, said",
    [
        ("book.xlsx", workbook(), "this is not a text file (a zip archive, such as an .xlsx workbook? Save it as CSV)"),
        (
            "jira.csv.gz",
            gzip.compress((FIXTURES / "csv" / "jira.csv").read_bytes(), mtime=0),
            "this is not a text file (a gzip file? Decompress it first)",
        ),
    ],
    ids=["xlsx", "gzip"],
)
@pytest.mark.parametrize("format", [["--format", "github-issues"], ["--format", "jira"], []])
def test_an_archive_is_said_to_be_no_text_whatever_the_format(
    workspace: Path, capsys, name: str, data: bytes, said: str, format: list[str]
) -> None:
    (workspace / name).write_bytes(data)
    before = stored(workspace)
    assert error_line(capsys, ["import", "tickets", name, *format]) == f"dora-tui: error: {name}: {said}"
    assert stored(workspace) == before


@pytest.mark.parametrize(
    "data", [b"\x00\x01\x02Summary,Issue key\n", b"\x7fELF\x02\x01\x01,Summary,Issue key\n"], ids=["nul", "elf"]
)
def test_a_header_with_control_characters_is_no_csv_header_and_keeps_the_parser_s_error(
    workspace: Path, capsys, data: bytes
) -> None:
    (workspace / "bin.dat").write_bytes(data)
    before = stored(workspace)
    assert error_line(capsys, ["import", "tickets", "bin.dat", "--format", "github-issues"]) == (
        "dora-tui: error: bin.dat:1: not valid JSON (column 1: Expecting value)"
    )
    assert stored(workspace) == before


def test_excel_s_sep_line_names_any_separator_as_the_csv_reader_takes_it(workspace: Path, capsys) -> None:
    rows = (FIXTURES / "csv" / "deployments.csv").read_text().replace(",", "|")
    (workspace / "pipes.csv").write_text("sep=|\n" + rows)
    (workspace / "cards.csv").write_text("SEP=|\r\nCard|Opened|Closed\r\nc1|2025-03-01|2025-03-02\r\n")
    before = stored(workspace)
    assert error_line(capsys, ["import", "deployments", "pipes.csv", "--format", "kubernetes"]) == (
        "dora-tui: error: pipes.csv: this looks like a deployments CSV export, and the kubernetes format reads the "
        "JSON of `kubectl get replicasets -o json` (see the README, `dora-tui import`; give --format deployments, "
        "or leave --format out)"
    )
    assert error_line(capsys, ["import", "tickets", "cards.csv", "--format", "trello"]).startswith(
        "dora-tui: error: cards.csv: this looks like a CSV export (line 2 is a header of names between '|' "
        "characters), and the trello format reads"
    )
    assert stored(workspace) == before
    assert main(["import", "deployments", "pipes.csv"]) == 0  # the CSV reader reads it


@pytest.mark.parametrize("format", [["--format", "jira"], []])
def test_a_csv_header_opening_with_a_bracket_is_read_as_csv_not_called_json(
    workspace: Path, capsys, format: list[str]
) -> None:
    rows = list(csv.reader(io.StringIO((FIXTURES / "csv" / "jira.csv").read_text(encoding="utf-8-sig"))))
    out = io.StringIO()
    csv.writer(out).writerows([["[Team]", *rows[0]], *(["", *row] for row in rows[1:])])
    (workspace / "team.csv").write_text(out.getvalue())
    capsys.readouterr()
    assert main(["import", "tickets", "team.csv", *format]) == 0
    assert f"Stored {len(rows) - 1} tickets from team.csv (format jira" in capsys.readouterr().out
