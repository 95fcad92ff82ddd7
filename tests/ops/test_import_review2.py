"""`dora-tui import` faults of the second review: JSON after a stray line imported with no
format (told from its content, as the default and an `[[imports]]` entry without `format`
read it), an empty export, a deployment JSON export given another deployment JSON format,
and Excel's `sep=` naming a tab or a space. One line, exit status 2, the stored rows
unchanged (or, for an empty export, nothing to store, said)."""

from __future__ import annotations

import csv
import gzip
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from dora_tui.cli import main
from dora_tui.errors import DoraError
from dora_tui.tui.facade.dashboard import Dashboard
from support import FIXTURES
from support.cli import error_line
from support.gitbuilder import GitBuilder
from support.imported import CONFIG, holding_each_kind, stored, with_entry

WARNING = "Warning: apps/v1beta1 ReplicaSet is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 ReplicaSet"
STRAY = (
    "1: not valid JSON (column 1: Expecting value): the JSON starts on line 2; remove the line before it "
    "(a warning the command wrote into the file?)"
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A config, and a database holding tickets, incidents and deployments already."""
    return holding_each_kind(tmp_path, CONFIG)


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


KUBECTL_EMPTY = '{"apiVersion": "v1", "items": [], "kind": "List", "metadata": {"resourceVersion": ""}}\n'
EMPTY = "  note: the export holds no items: nothing to import (an empty export, whose format cannot be told)"


@pytest.mark.parametrize(
    "kind, text", [("deployments", KUBECTL_EMPTY), ("deployments", "[]\n"), ("tickets", "[]"), ("incidents", "[]")]
)
def test_an_empty_export_with_no_format_is_nothing_to_import_alone_and_with_all(
    workspace: Path, capsys, kind: str, text: str
) -> None:
    (workspace / "empty.json").write_text(text)
    before = stored(workspace)
    capsys.readouterr()
    assert main(["import", kind, "empty.json"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Stored 0 {kind} from empty.json (format unknown, source unknown).",
        EMPTY,
    ]
    with_entry(workspace, kind, "empty.json")
    assert main(["import", "--all"]) == 0
    assert EMPTY in capsys.readouterr().out.splitlines()
    assert stored(workspace) == before


def test_items_of_no_known_format_are_advised_the_entry_s_format_key_under_all(workspace: Path, capsys) -> None:
    (workspace / "other.json").write_text('[{"what": 1}]')
    before = stored(workspace)
    assert error_line(capsys, ["import", "incidents", "other.json"]) == (
        "dora-tui: error: other.json: item 1: of no known format for incidents: not a GitHub issue or a Statuspage "
        "incident (give --format)"
    )
    with_entry(workspace, "incidents", "other.json")
    assert error_line(capsys, ["import", "--all"]) == (
        f"dora-tui: error: {workspace / 'other.json'}: item 1: of no known format for incidents: not a GitHub issue "
        "or a Statuspage incident (add a format key to its [[imports]] entry: github-issues or statuspage)"
    )
    with_entry(workspace, "deployments", "other.json")
    assert error_line(capsys, ["import", "--all"]).endswith(
        "a GitHub deployment or a GitHub release (add a format key to its [[imports]] entry: kubernetes, argocd, "
        "cloud-run, github-deployments or github-releases)"
    )
    assert stored(workspace) == before


def test_a_csv_header_of_no_known_format_is_advised_the_entry_s_format_key_under_all(workspace: Path, capsys) -> None:
    (workspace / "cards.csv").write_text("Card,Opened\r\nc1,2025-03-01\r\n")
    known = (
        "known formats: jira, pagerduty, pagerduty-analytics, servicenow, freshservice, azure-devops, linear, "
        "shortcut, deployments, generic"
    )
    before = stored(workspace)
    assert error_line(capsys, ["import", "tickets", "cards.csv"]) == (
        f"dora-tui: error: cards.csv: cannot tell the export format from the header ({known}); give --format, or "
        "--format generic with `columns` in the config"
    )
    with_entry(workspace, "tickets", "cards.csv")
    assert error_line(capsys, ["import", "--all"]) == (
        f"dora-tui: error: {workspace / 'cards.csv'}: cannot tell the export format from the header ({known}); add "
        'a format key to its [[imports]] entry, or format = "generic" with `columns` in the config'
    )
    assert stored(workspace) == before


@pytest.mark.parametrize(
    "fixture, found, format",
    [
        ("github_releases.json", "github-releases", "argocd"),
        ("argocd_applications.json", "argocd", "kubernetes"),
        ("kubernetes_replicasets.json", "kubernetes", "cloud-run"),
        ("cloudrun_revisions.json", "cloud-run", "github-deployments"),
        ("github_deployments.json", "github-deployments", "github-releases"),
    ],
)
def test_a_deployment_export_given_another_deployment_json_format_is_refused_naming_its_own(
    workspace: Path, capsys, fixture: str, found: str, format: str
) -> None:
    shutil.copy(FIXTURES / "deploys" / fixture, workspace / "d.json")
    article = "an" if found[0] in "aeiou" else "a"
    before = stored(workspace)
    for options in ([], ["--skip-invalid"], ["--dry-run"]):
        assert error_line(capsys, ["import", "deployments", "d.json", "--format", format, *options]) == (
            f"dora-tui: error: d.json: this is {article} {found} export, not {format} (give --format {found}, or "
            "leave --format out)"
        )
    with_entry(workspace, "deployments", "d.json", format)
    advice = f'set format = "{found}" in its [[imports]] entry, or remove the key'
    assert error_line(capsys, ["import", "deployments", "d.json"]) == (
        f"dora-tui: error: d.json: this is {article} {found} export, not {format} ({advice})"
    )
    assert error_line(capsys, ["import", "--all"]) == (
        f"dora-tui: error: {workspace / 'd.json'}: this is {article} {found} export, not {format} ({advice})"
    )
    assert stored(workspace) == before


def test_the_refusal_of_another_format_s_export_says_nothing_of_another_file_s_entry(workspace: Path, capsys) -> None:
    shutil.copy(FIXTURES / "deploys" / "kubernetes_replicasets.json", workspace / "rs.json")
    shutil.copy(FIXTURES / "deploys" / "argocd_applications.json", workspace / "apps.json")
    with_entry(workspace, "deployments", "rs.json", "kubernetes")
    before = stored(workspace)
    assert error_line(capsys, ["import", "deployments", "apps.json", "--format", "kubernetes"]) == (
        "dora-tui: error: apps.json: this is an argocd export, not kubernetes (give --format argocd, or leave "
        "--format out)"
    )
    assert stored(workspace) == before


@pytest.mark.parametrize("separator", ["\t", " ", ";", "|"], ids=["tab", "space", "semicolon", "bar"])
def test_excel_s_sep_line_names_any_one_character_a_tab_or_a_space_too(workspace: Path, capsys, separator: str) -> None:
    with (FIXTURES / "csv" / "jira.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    with (workspace / "sep.csv").open("w", newline="", encoding="utf-8") as f:
        f.write(f"sep={separator}\r\n")
        csv.writer(f, delimiter=separator).writerows(rows)
    before = stored(workspace)
    capsys.readouterr()
    assert main(["import", "tickets", "sep.csv"]) == 0
    assert (
        capsys.readouterr().out.splitlines()[0]
        == f"Stored {len(rows) - 1} tickets from sep.csv (format jira, source jira)."
    )
    assert stored(workspace) == before  # the same tickets as the comma-separated export's, stored again


@pytest.mark.parametrize(
    "name, pack, said",
    [
        ("j.zip", "zip", "this is not a text file (a zip archive, such as an .xlsx workbook? Save it as CSV)"),
        ("j.csv.gz", "gzip", "this is not a text file (a gzip file? Decompress it first)"),
    ],
)
def test_an_archive_s_refusal_says_nothing_of_another_file_s_entry(
    workspace: Path, capsys, name: str, pack: str, said: str
) -> None:
    with_entry(workspace, "tickets", "jira.csv", "jira")
    data = (FIXTURES / "csv" / "jira.csv").read_bytes()
    if pack == "zip":
        with zipfile.ZipFile(workspace / name, "w") as archive:
            archive.writestr("jira.csv", data)
    else:
        (workspace / name).write_bytes(gzip.compress(data, mtime=0))
    before = stored(workspace)
    assert error_line(capsys, ["import", "tickets", name, "--format", "jira"]) == f"dora-tui: error: {name}: {said}"
    assert stored(workspace) == before


@pytest.mark.parametrize(
    "sha, example",
    [("", "'deploy-2', which names none: an image by digest only?"), ("deadbeefcafe", "'deploy-2', 'deadbeefcafe'")],
    ids=["no-sha", "unknown-sha"],
)
def test_collect_names_an_imported_deployment_of_no_commit_as_doctor_does(
    tmp_path: Path, capsys, sha: str, example: str
) -> None:
    repo = GitBuilder(tmp_path / "shop")
    first = repo.commit("2024-01-02T09:00:00", "first")
    (tmp_path / "dora.toml").write_text(
        'database = "dora.db"\ntimezone = "UTC"\n[[services]]\nname = "checkout"\nrepo = "shop"\n'
    )
    (tmp_path / "deploys.csv").write_text(
        f"service,name,time,sha\ncheckout,deploy-1,2024-01-03T09:00:00Z,{first}\n"
        f"checkout,deploy-2,2024-02-06T09:00:00Z,{sha}\n"
    )
    assert main(["import", "deployments", "deploys.csv"]) == 0
    capsys.readouterr()
    assert main(["collect"]) == 0
    assert (
        f"warning: checkout: 1 imported deployment names no commit of {tmp_path / 'shop'} (e.g. {example}): it "
        "counts, with no changes (see `dora-tui doctor`)"
    ) in capsys.readouterr().err


def test_the_dashboard_s_re_import_reads_an_empty_kubectl_list_and_says_where_stray_json_starts(
    workspace: Path,
) -> None:
    (workspace / "rs.json").write_text(KUBECTL_EMPTY)
    with_entry(workspace, "deployments", "rs.json")
    before = stored(workspace)
    dashboard = Dashboard.from_config_path(workspace / "dora.toml", today=date(2025, 3, 31))
    assert dashboard.import_all() == "0 deployments"
    (workspace / "rs.json").write_text(
        WARNING + "\n" + (FIXTURES / "deploys" / "kubernetes_replicasets.json").read_text()
    )
    with pytest.raises(DoraError) as refused:
        dashboard.import_all()
    assert str(refused.value) == f"{workspace / 'rs.json'}:{STRAY}"
    assert stored(workspace) == before


def test_a_stray_line_before_json_that_does_not_parse_to_its_end_keeps_the_parser_s_error(
    workspace: Path, capsys
) -> None:
    # with a format named, "remove the line before it" was advised though the rest did not
    # parse either (without one, the same file was judged otherwise)
    (workspace / "bad.json").write_text('Warning: x\n[{"number": 1}]\n}garbage\n')
    before = stored(workspace)
    said = error_line(capsys, ["import", "tickets", "bad.json", "--format", "github-issues"])
    assert said == "dora-tui: error: bad.json:1: not valid JSON (column 1: Expecting value)", said
    assert stored(workspace) == before
