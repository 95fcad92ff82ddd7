"""`dora-tui import tickets|incidents` of a JSON export (Trello, GitHub issues, Statuspage): told
from its content, all or nothing, never duplicated, `--dry-run`, `--skip-invalid` and the
``[[imports]]`` keys of these exports, as for a CSV export."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from collectors.items.context import ItemError
from dora_tui.cli import main
from dora_tui.errors import InputError
from dora_tui.ops.rejected import RejectedItems
from support import FIXTURES
from support.cli import error_line
from support.gitbuilder import epoch
from support.trackers import board, card, card_id, issue, move, rest_issue

SAMPLES = FIXTURES / "trackers"
CONFIG = """database = "dora.db"
timezone = "UTC"
[[teams]]
name = "payments"
[[teams]]
name = "storefront"
[[services]]
name = "checkout"
team = "payments"
repo = "shop"
[[services]]
name = "payments-api"
team = "payments"
repo = "shop"
[[services]]
name = "search"
team = "storefront"
repo = "shop"
[[services]]
name = "catalog"
team = "storefront"
repo = "shop"
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "dora.toml").write_text(CONFIG)
    return tmp_path


def table(workspace: Path, kind: str) -> list[tuple]:
    query = {
        "tickets": "SELECT source, key, created_at, resolved_at, team FROM tickets ORDER BY key",
        "incidents": "SELECT source, id, opened_at, resolved_at, service FROM incidents ORDER BY id",
    }[kind]
    with sqlite3.connect(workspace / "dora.db") as db:
        return db.execute(query).fetchall()


@pytest.mark.parametrize(
    "sample, kind, format, stored",
    [
        ("trello_board.json", "tickets", "trello", 10),
        ("github_issues.json", "tickets", "github-issues", 14),
        ("github_issues.json", "incidents", "github-issues", 3),
        ("statuspage_incidents.json", "incidents", "statuspage", 8),
    ],
)
def test_every_sample_imports_with_format_auto(
    workspace: Path, capsys, sample: str, kind: str, format: str, stored: int
) -> None:
    assert main(["import", kind, str(SAMPLES / sample), "--format", "auto"]) == 0
    out = capsys.readouterr().out
    assert f"Stored {stored} {kind} from {SAMPLES / sample} (format {format}, source {format})." in out
    assert len(table(workspace, kind)) == stored
    assert main(["import", kind, str(SAMPLES / sample), "--format", format]) == 0  # named; upserted, never duplicated
    assert len(table(workspace, kind)) == stored


def test_tickets_and_incidents_of_one_github_export_each_take_theirs(workspace: Path, capsys) -> None:
    shutil.copy(SAMPLES / "github_issues.json", workspace / "issues.json")
    assert main(["import", "incidents", "issues.json"]) == 0
    assert main(["import", "tickets", "issues.json", "--team", "payments"]) == 0
    out = capsys.readouterr().out
    assert "note: 11 issues without an incident label left out (tickets, not incidents)" in out
    assert "Stored 14 tickets" in out and "  payments: 14" in out
    assert [row[1] for row in table(workspace, "incidents")] == ["acme/shop#1301", "acme/shop#1315", "acme/shop#1317"]


def test_the_statuspage_summary_says_what_was_split_and_doctor_lists_the_unmapped(workspace: Path, capsys) -> None:
    assert main(["import", "incidents", str(SAMPLES / "statuspage_incidents.json")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == [
        "  checkout: 2",
        "  payments-api: 2",
        "  search: 2",
        "  (unmapped): 1",
        "  catalog: 1",
        "  1 row has no known service: '' (1). It is stored and counted as unmapped; map it with "
        "service_map in the [[imports]] entry (see `dora-tui doctor`).",
        "  note: 1 incident of components of several services stored once for each service (ID, then ID:SERVICE)",
    ]
    main(["doctor"])
    assert "- [unmapped] 1 incident names no service" in capsys.readouterr().out


def bad_board(workspace: Path) -> Path:
    """A board whose second card has an id that holds no time."""
    good = card(card_id("2025-06-02T09:00:00"), "done", labels=("search",))
    moved = [move(good["id"], "2025-06-03T10:00:00.000Z", "todo", "done")]
    path = workspace / "board.json"
    path.write_text(json.dumps(board([good, card("zzz", "todo", name="Broken card")], moved)))
    return path


def test_a_bad_item_is_named_exit_2_and_the_database_unchanged(workspace: Path, capsys) -> None:
    bad_board(workspace)
    assert main(["import", "incidents", str(SAMPLES / "statuspage_incidents.json")]) == 0
    before = table(workspace, "incidents")
    capsys.readouterr()
    assert main(["import", "tickets", "board.json"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "board.json: item 2 (Broken card): id 'zzz' does not start with a time (8 hex digits)",
        "dora-tui: error: board.json: 1 bad item (trello format), nothing was imported and the database is unchanged "
        "(fix it, or use --skip-invalid to store the valid rows)",
    ]
    assert table(workspace, "incidents") == before
    with sqlite3.connect(workspace / "dora.db") as db:
        assert db.execute("SELECT count(*) FROM tickets").fetchone() == (0,)


def test_skip_invalid_writes_the_rejected_items_as_json_lines_and_dry_run_nothing(workspace: Path, capsys) -> None:
    bad_board(workspace)
    assert main(["import", "tickets", "board.json", "--skip-invalid", "--dry-run"]) == 0
    assert "Would store 1 ticket " in capsys.readouterr().out
    assert not (workspace / "dora.db").exists() and not (workspace / "board.json.rejected.jsonl").exists()
    assert main(["import", "tickets", "board.json", "--skip-invalid"]) == 0
    assert "1 bad item written to board.json.rejected.jsonl." in capsys.readouterr().out
    (line,) = (workspace / "board.json.rejected.jsonl").read_text(encoding="utf-8").splitlines()
    rejected = json.loads(line)
    assert (rejected["item"], rejected["name"], rejected["value"]["id"]) == (2, "Broken card", "zzz")
    assert [(row[3], row[4]) for row in table(workspace, "tickets")] == [(epoch("2025-06-03T10:00:00"), "storefront")]


def test_an_imports_entry_names_the_format_the_done_lists_and_the_incident_labels(workspace: Path, capsys) -> None:
    (workspace / "dora.toml").write_text(
        CONFIG + '[[imports]]\nkind = "tickets"\nfile = "board.json"\nname = "trello-shop"\nformat = "trello"\n'
        'done_lists = ["Shipped"]\nteam_map = { "Storefront – Delivery" = "payments" }\n'
        '[[imports]]\nkind = "incidents"\nfile = "issues.json"\nformat = "github-issues"\nincident_labels = ["bug"]\n'
    )
    shutil.copy(SAMPLES / "trello_board.json", workspace / "board.json")
    shutil.copy(SAMPLES / "github_issues.json", workspace / "issues.json")
    assert main(["import", "--all"]) == 0
    out = capsys.readouterr().out
    assert "Stored 10 tickets from " in out and "(format trello, source trello-shop)" in out
    assert "  payments: 10" in out
    assert all(row[3] is None for row in table(workspace, "tickets"))  # no list named Shipped on the board
    assert len(table(workspace, "incidents")) == 8  # every issue labelled bug, but the duplicate


@pytest.mark.parametrize(
    "entry, message",
    [
        (
            'kind = "deployments"\nfile = "x.json"\nformat = "trello"',
            "the trello format holds tickets, not deployments",
        ),
        (
            'kind = "tickets"\nfile = "x.json"\nformat = "statuspage"',
            "the statuspage format holds incidents, not tickets",
        ),
        ('kind = "incidents"\nfile = "x.json"\ndone_lists = ["Done"]', "done_lists: is for tickets, not incidents"),
        (
            'kind = "tickets"\nfile = "x.json"\nincident_labels = ["x"]',
            "incident_labels: is for incidents, not tickets",
        ),
        ('kind = "tickets"\nfile = "x.json"\ndone_lists = []', "done_lists: expected a list of names, none empty"),
    ],
)
def test_the_new_keys_and_formats_are_checked_where_they_are_given(workspace: Path, capsys, entry, message) -> None:
    (workspace / "dora.toml").write_text(CONFIG + f"[[imports]]\n{entry}\n")
    assert message in error_line(capsys, ["report"])


def test_a_format_named_that_does_not_hold_the_kind_is_refused_in_one_line(workspace: Path, capsys) -> None:
    shutil.copy(SAMPLES / "trello_board.json", workspace / "board.json")
    assert error_line(capsys, ["import", "incidents", "board.json"]) == (
        "dora-tui: error: board.json: the trello format holds tickets, not incidents (use `dora-tui import tickets`)"
    )
    assert error_line(capsys, ["import", "tickets", "board.json", "--format", "statuspage"]) == (
        "dora-tui: error: board.json: the statuspage format holds incidents, not tickets "
        "(use `dora-tui import incidents`)"
    )
    assert not (workspace / "dora.db").exists()


def test_an_open_issue_reimported_once_closed_is_resolved(workspace: Path) -> None:
    path = workspace / "issues.json"
    path.write_text(json.dumps([issue(5, "2025-06-01T10:00:00Z", labels=("service:search",))]))
    assert main(["import", "tickets", "issues.json"]) == 0
    closed = issue(
        5,
        "2025-06-01T10:00:00Z",
        state="CLOSED",
        closed_at="2025-06-02T10:00:00Z",
        reason="COMPLETED",
        labels=("service:search",),
    )
    path.write_text(json.dumps([closed]))
    assert main(["import", "tickets", "issues.json"]) == 0
    assert table(workspace, "tickets") == [
        ("github-issues", "acme/shop#5", epoch("2025-06-01T10:00:00"), epoch("2025-06-02T10:00:00"), "storefront")
    ]


def events(workspace: Path) -> int:
    if not (workspace / "dora.db").exists():
        return 0
    with sqlite3.connect(workspace / "dora.db") as db:
        return db.execute("SELECT count(*) FROM events").fetchone()[0]


def test_a_rest_export_and_a_gh_list_of_one_repository_store_each_issue_once(workspace: Path, capsys) -> None:
    (workspace / "dora.toml").write_text(
        CONFIG + '[[imports]]\nkind = "tickets"\nfile = "listed.json"\nteam_map = { "acme/web" = "storefront" }\n'
    )
    (workspace / "listed.json").write_text(json.dumps([issue(1288, "2025-06-01T10:00:00Z")]))
    shop = [rest_issue(1288, "2025-06-01T10:00:00Z"), rest_issue(1289, "2025-06-02T10:00:00Z")]
    (workspace / "shop.json").write_text(json.dumps(shop))
    (workspace / "web.json").write_text(json.dumps([rest_issue(1288, "2025-06-03T10:00:00Z", repo="acme/web")]))
    for name in ("listed.json", "shop.json", "web.json"):
        assert main(["import", "tickets", name]) == 0
    assert [(row[1], row[4]) for row in table(workspace, "tickets")] == [
        ("acme/shop#1288", None),
        ("acme/shop#1289", None),
        ("acme/web#1288", "storefront"),
    ]


def test_an_id_repeated_in_one_export_is_refused_and_skip_invalid_writes_it(workspace: Path, capsys) -> None:
    items = [issue(n, "2025-06-01T10:00:00Z", title=f"issue {n}") for n in (1, 2, 3)] + [
        issue(2, "2025-06-01T10:00:00Z", title="issue 2 again")
    ]
    (workspace / "issues.json").write_text(json.dumps(items))
    assert main(["import", "tickets", "issues.json"]) == 2
    assert capsys.readouterr().err.splitlines()[0] == "issues.json: item 4 (#2): id 'acme/shop#2' already on item 2"
    assert not (workspace / "dora.db").exists()
    assert main(["import", "tickets", "issues.json", "--skip-invalid"]) == 0
    out = capsys.readouterr().out
    assert "Stored 3 tickets" in out and "1 bad item written to issues.json.rejected.jsonl." in out
    (line,) = (workspace / "issues.json.rejected.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["value"]["title"] == "issue 2 again"
    with sqlite3.connect(workspace / "dora.db") as db:
        assert db.execute("SELECT title FROM tickets ORDER BY key").fetchall() == [
            ("issue 1",),
            ("issue 2",),
            ("issue 3",),
        ]


def test_a_format_named_for_another_format_s_file_is_refused_and_nothing_written(workspace: Path, capsys) -> None:
    shutil.copy(SAMPLES / "trello_board.json", workspace / "board.json")
    shutil.copy(SAMPLES / "github_issues.json", workspace / "issues.json")
    assert error_line(capsys, ["import", "tickets", "board.json", "--format", "github-issues"]) == (
        "dora-tui: error: board.json: this is a trello export, not github-issues "
        "(give --format trello, or leave --format out)"
    )
    assert error_line(capsys, ["import", "tickets", "issues.json", "--format", "trello"]).startswith(
        "dora-tui: error: issues.json: this is a github-issues export, not trello"
    )
    assert events(workspace) == 0
    (workspace / "dora.toml").write_text(
        CONFIG + '[[imports]]\nkind = "tickets"\nfile = "board.json"\nformat = "github-issues"\n'
    )
    assert "board.json: this is a trello export, not github-issues" in error_line(capsys, ["import", "--all"])
    assert events(workspace) == 0
    assert not (workspace / "dora.db").exists()  # a refused first --all made an empty one (a review's finding)


def test_an_unknown_format_or_a_csv_one_for_a_json_file_is_refused_in_one_line(workspace: Path, capsys) -> None:
    shutil.copy(SAMPLES / "trello_board.json", workspace / "board.json")
    (workspace / "issues.csv").write_text("Issue key,Summary,Created\nOPS-1,x,2025-06-01 10:00\n")
    for name in ("board.json", "issues.csv"):
        line = error_line(capsys, ["import", "tickets", name, "--format", "trelo"])
        assert line.startswith("dora-tui: error: --format: unknown format 'trelo' (known: auto, jira, ")
        assert all(f in line for f in ("trello", "github-issues", "statuspage", "kubernetes", "github-releases"))
    assert error_line(capsys, ["import", "tickets", "board.json", "--format", "jira"]) == (
        "dora-tui: error: board.json: this is a JSON export, and the jira format reads CSV "
        "(JSON formats for tickets: trello, github-issues; give one with --format, or leave --format out)"
    )
    assert not (workspace / "dora.db").exists()


@pytest.mark.parametrize("kind", ["tickets", "incidents", "deployments"])
def test_json_nested_too_deep_is_refused_in_one_line(workspace: Path, capsys, kind: str) -> None:
    (workspace / "deep.json").write_text("[" * 100_000)
    assert error_line(capsys, ["import", kind, "deep.json"]) == (
        "dora-tui: error: deep.json: not valid JSON (nested too deep)"
    )


def test_a_bad_item_too_deep_to_write_back_is_refused_naming_it(tmp_path: Path) -> None:
    deep: list = []
    for _ in range(100_000):  # read by no parser, but a reader may be handed one
        deep = [deep]
    rejects = RejectedItems((ItemError(3, "Deep", "no id", deep),))
    with pytest.raises(InputError) as refused:
        rejects.write(tmp_path / "board.json")
    assert str(refused.value) == (
        f"{tmp_path / 'board.json'}: item 3 (Deep): nested too deep to write to "
        f"{tmp_path / 'board.json.rejected.jsonl'}"
    )
    assert not (tmp_path / "board.json.rejected.jsonl").exists()
