"""`dora-tui report`: the JSON schema of the README's "Report schema", and the CSV and Markdown renderings."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from dora_tui.cli import main
from dora_tui.core.catalog import KEYS
from support.cli import error_line

CONFIG = """database = "dora.db"
timezone = "Europe/London"
months = 3
[[teams]]
name = "payments"
[[teams]]
name = "atlas"
[[services]]
name = "shop"
team = "payments"
repo = "shop"
[[services]]
name = "api"
team = "payments"
repo = "api"
"""


@pytest.fixture
def workspace(tmp_path: Path, make_repo) -> Path:
    for name, hour in (("shop", 9), ("api", 11)):
        repo = make_repo(name)
        repo.commit("2024-01-02T09:00:00", "base")
        repo.tag("v1", "2024-01-02T10:00:00")
        for day in (5, 12, 19):
            repo.commit(f"2024-02-{day:02d}T{hour:02d}:00:00", f"work {day}")
            repo.tag(f"v{day}", f"2024-02-{day + 1:02d}T{hour:02d}:00:00")
    (tmp_path / "dora.toml").write_text(CONFIG)
    assert main(["collect"]) == 0
    return tmp_path


def report(capsys, *args: str) -> str:
    capsys.readouterr()
    assert main(["report", *args]) == 0
    return capsys.readouterr().out


def test_json_matches_the_schema(workspace: Path, capsys) -> None:
    data = json.loads(report(capsys, "--format", "json", "--as-of", "2024-03-10"))
    assert list(data) == ["schema", "generated_at", "as_of", "timezone", "months", "entities", "data_quality"]
    assert data["schema"] == "dora-tui/report/v1"
    assert data["generated_at"] == "2024-03-10T00:00:00Z"
    assert data["as_of"] == "2024-03-10" and data["timezone"] == "Europe/London"
    assert data["months"] == ["2024-01", "2024-02", "2024-03"]
    assert [(e["kind"], e["name"]) for e in data["entities"]] == [
        ("service", "api"),
        ("service", "shop"),
        ("team", "atlas"),
        ("team", "payments"),
    ]
    shop = data["entities"][1]
    assert list(shop) == ["kind", "name", "team", "months", "window", "tiers", "trends", "needs_attention"]
    assert shop["team"] == "payments"
    assert [list(m) for m in shop["months"]] == [["month", *KEYS]] * 3
    assert list(shop["window"]) == list(KEYS)
    assert list(shop["tiers"]) == ["deployment_frequency", "lead_time", "change_failure_rate", "time_to_restore"]
    assert list(shop["trends"]) == [
        "deployment_frequency",
        "lead_time",
        "change_failure_rate",
        "time_to_restore",
        "rework_rate",
        "unplanned_work_rate",
    ]
    feb = shop["months"][1]
    assert (feb["deployments"], feb["changes"], feb["lead_time_median_h"]) == (3, 3, 24.0)
    # No incident was ever imported: nothing measures failures, so no rate and no tier (not a
    # flattering 0 % and "elite"); the deployments that would count are still counted.
    assert feb["change_failure_rate"] is None and feb["time_to_restore_median_h"] is None
    assert feb["failed_deployments"] == 0 and shop["window"]["change_failure_rate"] is None
    assert shop["tiers"]["change_failure_rate"] is None and shop["tiers"]["lead_time"] == "high"
    team = data["entities"][3]
    assert list(team)[:3] == ["kind", "name", "services"] and team["services"] == ["api", "shop"]
    assert team["months"][1]["deployments"] == 6 and team["window"]["deployments"] == 8
    assert data["entities"][2]["window"]["deployments"] == 0
    assert data["data_quality"] == {
        "unmapped_incidents": 0,
        "unmapped_tickets": 0,
        "negative_lead_times": 0,
        "unresolved_deployments": 0,
        "shallow_repositories": [],
        "warnings": [],
    }


def test_reports_are_deterministic_for_a_database_and_as_of(workspace: Path, capsys) -> None:
    first = report(capsys, "--as-of", "2024-03-10")
    assert report(capsys, "--as-of", "2024-03-10") == first


def test_service_team_months_and_output(workspace: Path, capsys) -> None:
    data = json.loads(report(capsys, "--service", "shop", "--months", "2", "--as-of", "2024-02-29"))
    assert [e["name"] for e in data["entities"]] == ["shop"] and data["months"] == ["2024-01", "2024-02"]
    data = json.loads(report(capsys, "--team", "payments", "--as-of", "2024-02-29"))
    assert [e["name"] for e in data["entities"]] == ["payments"]
    out = workspace / "out.md"
    assert main(["report", "--format", "markdown", "--as-of", "2024-03-10", "--output", str(out)]) == 0
    text = out.read_text()
    assert "## Service: shop (team payments)" in text and "## Team: payments" in text
    assert "| 2024-02 | 3 | 3 | 3 | 24.0 |" in text


def test_a_service_of_a_system_says_so_where_the_config_names_one(workspace: Path, capsys) -> None:
    config = workspace / "dora.toml"
    config.write_text(
        CONFIG.replace('team = "payments"\nrepo = "shop"', 'team = "payments"\nrepo = "shop"\nsystem = "store"')
    )
    data = json.loads(report(capsys, "--format", "json", "--as-of", "2024-03-10"))
    shop, api = data["entities"][1], data["entities"][0]
    assert list(shop)[:4] == ["kind", "name", "team", "system"] and shop["system"] == "store"
    assert "system" not in api  # a service of no system: its keys as they were
    text = report(capsys, "--format", "markdown", "--as-of", "2024-03-10")
    assert "## Service: shop (team payments, system store)" in text and "## Service: api (team payments)" in text
    config.write_text(CONFIG.replace('repo = "shop"', 'repo = "shop"\nsystem = " "'))
    capsys.readouterr()
    assert main(["report"]) == 2
    assert "dora.toml: services[0].system: is empty" in capsys.readouterr().err


def test_csv_has_a_row_per_entity_and_month(workspace: Path, capsys) -> None:
    rows = list(csv.DictReader(io.StringIO(report(capsys, "--format", "csv", "--as-of", "2024-03-10"))))
    assert len(rows) == 4 * 3
    assert list(rows[0]) == ["kind", "name", "team", "month", *KEYS]
    shop_feb = next(r for r in rows if r["name"] == "shop" and r["month"] == "2024-02")
    assert shop_feb["deployments"] == "3" and shop_feb["time_to_restore_median_h"] == ""


@pytest.mark.parametrize(
    "args, words",
    [
        (["--service", "nope"], "unknown service 'nope'"),
        (["--team", "nope"], "unknown team 'nope'"),
        (["--months", "0"], "must be from 1 to 1200"),
        (["--months", "30000"], "must be from 1 to 1200"),
        (["--as-of", "0001-01-15"], "leave the calendar"),
        (["--service", "shop", "--team", "payments"], "not allowed with"),
        (["--format", "xml"], "invalid choice"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(workspace: Path, capsys, args, words) -> None:
    assert words in error_line(capsys, ["report", *args])


@pytest.mark.parametrize("command", [["report"], ["site", "out"]])
def test_a_day_after_today_is_refused_not_counted_as_months_without_deployments(
    workspace: Path, capsys, command: list[str]
) -> None:
    later = (date.today() + timedelta(days=2)).isoformat()  # after today in any time zone
    line = error_line(capsys, [*command, "--as-of", later])
    assert f"--as-of: {later} is after today (" in line and "months not begun yet" in line
    assert not (workspace / "out").exists()


def test_report_before_any_collect_says_so(tmp_path: Path, capsys) -> None:
    (tmp_path / "dora.toml").write_text(CONFIG.replace("dora.db", "fresh.db"))
    assert main(["report"]) == 2
    assert "no database yet (run `dora-tui collect` first)" in capsys.readouterr().err


def test_team_tickets_are_its_own_and_its_services(tmp_path: Path, capsys) -> None:
    from collectors.records import Ticket
    from dora_tui.store.database import Store
    from support.gitbuilder import epoch

    (tmp_path / "dora.toml").write_text(CONFIG)
    store = Store.open(tmp_path / "dora.db")
    with store.atomic():
        store.upsert_tickets(
            [
                # Filed in atlas's project, about payments's shop: both teams count it, each once.
                Ticket(
                    "jira",
                    "OPS-1",
                    epoch("2024-02-01T00:00:00"),
                    epoch("2024-02-02T00:00:00"),
                    team="atlas",
                    service="shop",
                    unplanned=True,
                ),
                Ticket(
                    "jira",
                    "PAY-1",
                    epoch("2024-02-01T00:00:00"),
                    epoch("2024-02-03T00:00:00"),
                    team="payments",
                    service="shop",
                ),
            ]
        )
    store.close()
    data = json.loads(report(capsys, "--as-of", "2024-02-29", "--months", "1"))
    counts = {e["name"]: (e["window"]["tickets_resolved"], e["window"]["unplanned_tickets"]) for e in data["entities"]}
    assert counts == {"api": (0, 0), "shop": (2, 1), "atlas": (1, 1), "payments": (2, 1)}


def test_trends_do_not_change_with_the_window_shown(tmp_path: Path, make_repo, capsys) -> None:
    repo = make_repo("shop")
    repo.commit("2023-12-01T09:00:00", "base")
    repo.tag("v0", "2023-12-01T10:00:00")
    for month in range(1, 10):  # January to September 2024: each month's changes wait longer
        for day in (3, 17):
            repo.commit(f"2024-{month:02d}-{day:02d}T09:00:00", f"work {month}-{day}")
            repo.tag(f"v{month}.{day}", f"2024-{month:02d}-{day + month:02d}T09:00:00")
    make_repo("api")
    (tmp_path / "dora.toml").write_text(CONFIG.replace("months = 3\n", ""))
    assert main(["collect"]) == 0
    shop = {}
    for months in ("2", "12", "36"):
        data = json.loads(report(capsys, "--as-of", "2024-09-30", "--months", months, "--service", "shop"))
        shop[months] = data["entities"][0]
    assert shop["12"]["trends"]["lead_time"] == "worsening"
    assert shop["2"]["trends"] == shop["12"]["trends"] == shop["36"]["trends"]
    assert shop["2"]["needs_attention"] == shop["12"]["needs_attention"] == shop["36"]["needs_attention"]
    # the months shown are the same rows, cut by a shorter or longer window
    assert shop["2"]["months"] == shop["12"]["months"][-2:] == shop["36"]["months"][-2:]
    assert shop["12"]["months"] == shop["36"]["months"][-12:]


def test_a_reference_to_a_commit_a_deployment_carried_fails_that_deployment(tmp_path: Path, make_repo, capsys) -> None:
    repo = make_repo("shop")
    repo.commit("2024-01-02T09:00:00", "base")
    repo.tag("v1", "2024-01-02T10:00:00")
    inside = repo.commit("2024-02-05T09:00:00", "the bad change")
    repo.commit("2024-02-06T09:00:00", "another change")
    repo.tag("v2", "2024-02-06T10:00:00")
    tip = repo.commit("2024-03-04T09:00:00", "later")
    repo.tag("v3", "2024-03-04T10:00:00")
    make_repo("api")
    (tmp_path / "dora.toml").write_text(CONFIG.replace("months = 3\n", ""))
    assert main(["collect"]) == 0
    # Opened weeks after every deployment: only the reference can tie them to one.
    (tmp_path / "inc.csv").write_text(
        "id,opened_at,resolved_at,service,reference\n"
        f"I1,2024-03-20T10:00:00Z,2024-03-20T11:00:00Z,shop,{inside[:9].upper()}\n"
        f"I2,2024-03-21T10:00:00Z,2024-03-21T11:00:00Z,shop,{tip[:7]}\n"
        "I3,2024-03-22T10:00:00Z,2024-03-22T11:00:00Z,shop,f00dfeed\n"
    )
    assert main(["import", "incidents", "inc.csv", "--format", "generic"]) == 0
    data = json.loads(report(capsys, "--as-of", "2024-03-31", "--months", "3", "--service", "shop"))
    months = {m["month"]: m["failed_deployments"] for m in data["entities"][0]["months"]}
    # v2 by the commit it carried (I1), v3 by the commit it tagged (I2); I3 names no commit
    assert months == {"2024-01": 0, "2024-02": 1, "2024-03": 1}
    with sqlite3.connect(tmp_path / "dora.db") as db:  # the rows keep what the export said
        assert db.execute("SELECT reference FROM incidents WHERE id = 'I1'").fetchone()[0] == inside[:9].upper()
