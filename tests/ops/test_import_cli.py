"""`dora-tui import` and `doctor` end to end: all or nothing, upserts, unmapped rows, dry runs."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from dora_tui.cli import main
from support import FIXTURES as SUPPORT_FIXTURES

CONFIG = """database = "dora.db"
timezone = "Europe/London"
[[teams]]
name = "payments"
[[services]]
name = "checkout"
team = "payments"
repo = "shop"
[[imports]]
kind = "incidents"
file = "pd.csv"
service_map = { "checkout-api" = "checkout" }
"""
FIXTURES = SUPPORT_FIXTURES / "csv"
HEADER = (
    "id,incident_number,description,service_id,service_name,escalation_policy_id,"
    "escalation_policy_name,created_on,resolved_on,seconds_to_first_ack,seconds_to_resolve,urgency"
)


def write(path: Path, *rows: str) -> Path:
    path.write_text("\r\n".join([HEADER, *rows]) + "\r\n", encoding="utf-8")
    return path


def incidents(tmp_path: Path) -> list[tuple]:
    with sqlite3.connect(tmp_path / "dora.db") as db:
        return db.execute(
            "SELECT id, service, raw_service, opened_at, resolved_at FROM incidents ORDER BY id"
        ).fetchall()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "dora.toml").write_text(CONFIG)
    return tmp_path


GOOD = [
    'P1,1,"Checkout down\nafter deploy",S1,checkout-api,E1,Main,'
    "2024-09-03T07:41:12-07:00,2024-09-03T09:41:12-07:00,60,7200,high",
    "P2,2,Slow ledger,S2,ledger,E1,Main,2024-09-04T07:41:12+01:00,,,,low",
]


def test_import_maps_services_and_keeps_unmapped_rows(workspace: Path, capsys) -> None:
    write(workspace / "pd.csv", *GOOD)
    assert main(["import", "incidents", "pd.csv"]) == 0
    out = capsys.readouterr().out
    assert "Stored 2 incidents" in out and "'ledger' (1)" in out
    assert incidents(workspace) == [
        ("P1", "checkout", "checkout-api", 1725374472, 1725381672),
        ("P2", None, "ledger", 1725432072, None),
    ]


def test_reimport_updates_a_resolution_and_never_duplicates(workspace: Path) -> None:
    write(workspace / "pd.csv", *GOOD)
    assert main(["import", "incidents", "pd.csv"]) == 0
    write(workspace / "pd.csv", GOOD[0], GOOD[1].replace(",,,,low", ",2024-09-04T09:41:12+01:00,,,low"))
    assert main(["import", "incidents", "pd.csv"]) == 0
    rows = incidents(workspace)
    assert len(rows) == 2 and rows[1][4] == 1725439272


def test_bad_rows_abort_with_file_and_line_and_leave_the_database_unchanged(workspace: Path, capsys) -> None:
    write(workspace / "pd.csv", *GOOD)
    assert main(["import", "incidents", "pd.csv"]) == 0
    before = incidents(workspace)
    write(
        workspace / "pd.csv",
        *GOOD,
        "P3,3,Bad,S1,checkout,E1,Main,not a date,,,,low",
        ",4,No id,S1,checkout,E1,Main,2024-09-05T07:41:12+01:00,,,,low",
    )
    capsys.readouterr()
    assert main(["import", "incidents", "pd.csv"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "pd.csv:5: cannot read 'created_on' value 'not a date' as a date"
    assert err[1].startswith("pd.csv:6: ") and "id" in err[1]
    assert "2 bad rows, nothing was imported and the database is unchanged" in err[-1]
    assert incidents(workspace) == before


def test_a_refused_first_import_leaves_no_database_behind(workspace: Path) -> None:
    write(workspace / "pd.csv", "P3,3,Bad,S1,checkout,E1,Main,not a date,,,,low")
    assert main(["import", "incidents", "pd.csv"]) == 2
    assert not (workspace / "dora.db").exists()
    write(workspace / "pd.csv", *GOOD)
    assert main(["import", "incidents", "pd.csv"]) == 0
    assert len(incidents(workspace)) == 2


def test_skip_invalid_stores_the_rest_and_writes_the_rejected_rows(workspace: Path) -> None:
    write(workspace / "pd.csv", *GOOD, "P3,3,Bad,S1,checkout,E1,Main,not a date,,,,low")
    assert main(["import", "incidents", "pd.csv", "--skip-invalid"]) == 0
    assert [r[0] for r in incidents(workspace)] == ["P1", "P2"]
    with (workspace / "pd.csv.rejected.csv").open(newline="") as handle:
        rejected = list(csv.DictReader(handle))
    assert [r["id"] for r in rejected] == ["P3"] and "line 5" in rejected[0]["reason"]


def test_a_time_column_that_reads_nowhere_still_names_each_row(workspace: Path, capsys) -> None:
    write(workspace / "pd.csv", GOOD[0].replace("2024-09-03T09:41:12-07:00", "tbd"))
    assert main(["import", "incidents", "pd.csv"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == [
        "pd.csv:2: cannot read 'resolved_on' value 'tbd' as a date",
        "pd.csv: note: column 'resolved_on' has no value that reads as a date (e.g. 'tbd')",
    ]
    assert "1 bad row, nothing was imported" in err[-1]
    assert main(["import", "incidents", "pd.csv", "--skip-invalid"]) == 0
    assert "1 bad row written to" in capsys.readouterr().out
    assert (workspace / "pd.csv.rejected.csv").exists()


def test_dry_run_stores_nothing(workspace: Path, capsys) -> None:
    write(workspace / "pd.csv", *GOOD)
    assert main(["import", "incidents", "pd.csv", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Would store 2 incidents" in out and "would be stored and counted as unmapped" in out
    assert not (workspace / "dora.db").exists()  # not even created
    assert main(["import", "incidents", "pd.csv"]) == 0
    assert main(["import", "incidents", "pd.csv", "--dry-run"]) == 0
    capsys.readouterr()
    assert main(["import", "--all", "--dry-run"]) == 0  # over an existing database: read, never written
    assert capsys.readouterr().out.startswith("Would store 2 incidents from")
    assert len(incidents(workspace)) == 2


def test_service_option_and_import_all(workspace: Path) -> None:
    write(workspace / "other.csv", GOOD[1])
    assert main(["import", "incidents", "other.csv", "--service", "checkout"]) == 0
    assert incidents(workspace)[0][1] == "checkout"
    write(workspace / "pd.csv", GOOD[0])
    assert main(["import", "--all"]) == 0
    assert {r[0] for r in incidents(workspace)} == {"P1", "P2"}


def test_a_renamed_export_takes_the_settings_of_its_sources_entry(tmp_path: Path, monkeypatch, capsys) -> None:
    """Next month's export, saved under a new name, upserts onto the same source's rows."""
    (tmp_path / "dora.toml").write_text(
        CONFIG.replace('file = "pd.csv"\n', 'file = "pd.csv"\nname = "pd-prod"\n')
        + '[[imports]]\nkind = "incidents"\nfile = "sn.csv"\nname = "snow"\n'
        'reference_column = "u_change_request"\n'
    )
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "pd.csv", GOOD[1])
    assert main(["import", "incidents", "pd.csv"]) == 0
    resolved = GOOD[1].replace(",,,,low", ",2024-09-04T09:41:12+01:00,,7200,low")
    write(tmp_path / "pd-2024-10.csv", GOOD[0], resolved)
    capsys.readouterr()
    assert main(["import", "incidents", "pd-2024-10.csv"]) == 0
    out = capsys.readouterr().out
    assert "source pd-prod" in out and "settings of the [[imports]] entry for" in out and "pd.csv" in out
    with sqlite3.connect(tmp_path / "dora.db") as db:
        rows = db.execute("SELECT source, id, resolved_at FROM incidents ORDER BY id").fetchall()
    assert rows == [("pd-prod", "P1", 1725381672), ("pd-prod", "P2", 1725439272)]
    # A ServiceNow export is not the PagerDuty source: it takes the entry in its own format,
    # whose file need not exist when the entry names its format.
    (tmp_path / "dora.toml").write_text(
        (tmp_path / "dora.toml").read_text().replace('name = "snow"', 'name = "snow"\nformat = "servicenow"')
    )
    sn = (FIXTURES / "servicenow.csv").read_text(encoding="utf-8")
    (tmp_path / "sn-2024-10.csv").write_text(sn, encoding="utf-8")
    assert main(["import", "incidents", "sn-2024-10.csv"]) == 0
    with sqlite3.connect(tmp_path / "dora.db") as db:
        sources = dict(db.execute("SELECT source, count(*) FROM incidents GROUP BY source").fetchall())
        reference = db.execute("SELECT reference FROM incidents WHERE id = 'INC0010001'").fetchone()[0]
    assert sources == {"pd-prod": 2, "snow": sn.count("\nINC")} and reference == "CHG0030002"
    # A file in that format without the entry's reference column: the error says whose settings.
    (tmp_path / "sn-other.csv").write_text(
        "number,opened_at,resolved_at,cmdb_ci\nINC9,2024-09-03 07:41:12,,checkout\n", encoding="utf-8"
    )
    capsys.readouterr()
    assert main(["import", "incidents", "sn-other.csv"]) == 2
    err = capsys.readouterr().err
    assert "no column 'u_change_request'" in err and "settings of the [[imports]] entry for" in err
    # The entry's own file gone, and no format named: nothing to compare with, and it says so.
    (tmp_path / "pd.csv").rename(tmp_path / "pd-2024-09.csv")
    assert main(["import", "incidents", "pd-2024-10.csv", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "source pagerduty" in out and "names no format and its file cannot be read" in out


@pytest.mark.parametrize(
    "argv, words",
    [
        (["import"], "give KIND FILE"),
        (["import", "incidents"], "FILE to import is missing"),
        (["import", "incidents", "missing.csv"], "missing.csv"),
        (["import", "incidents", "pd.csv", "--service", "nope"], "unknown service 'nope'"),
        (["import", "incidents", "pd.csv", "--timezone", "Nowhere/Land"], "unknown time zone"),
        (["import", "incidents", "pd.csv", "--timezone", ""], "--timezone: is empty: name a time zone"),
        (
            ["import", "--all", "--service", "checkout", "--format", "jira"],
            "import --all: --format, --service would apply to every source",
        ),
    ],
)
def test_usage_mistakes_are_one_line_exit_2(workspace: Path, capsys, argv, words) -> None:
    write(workspace / "pd.csv", *GOOD)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1


def test_doctor_suggests_the_line_that_maps_an_unmapped_service(workspace: Path, capsys) -> None:
    write(workspace / "pd.csv", GOOD[0], GOOD[1].replace("ledger", "checkout-svc"))
    assert main(["import", "incidents", "pd.csv"]) == 0
    capsys.readouterr()
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "1 incident names the service 'checkout-svc'" in out
    assert 'service_map = { "checkout-svc" = "checkout" }' in out
    assert "checkout: no deployment in the last 12 months" in out


def test_imported_deployments_follow_rework_pattern_and_never_shadow_a_tag(workspace: Path, make_repo, capsys) -> None:
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00")
    repo.tag("v1", "2024-01-01T10:00:00")
    assert main(["collect"]) == 0
    (workspace / "releases.csv").write_text(
        "service,name,time,sha,message\n"
        "checkout,release-7,2024-01-03T10:00:00Z,,Release 7\n"
        "checkout,release-8,2024-01-04T10:00:00Z,,Rollback of release 7\n"
    )
    assert main(["import", "deployments", "releases.csv"]) == 0
    with sqlite3.connect(workspace / "dora.db") as db:
        rows = db.execute("SELECT name, source, rework, counted FROM deployments ORDER BY time").fetchall()
    # One source of truth: with imported deployments, they count and the tag's row gives way.
    assert rows == [("release-7", "deployments", 0, 1), ("release-8", "deployments", 1, 1)]
    # A service whose tags count, by the config's word, refuses an import that would hide one.
    config = (workspace / "dora.toml").read_text()
    (workspace / "dora.toml").write_text(config.replace('repo = "shop"', 'repo = "shop"\ndeployments = "tags"', 1))
    assert main(["collect"]) == 0
    (workspace / "clash.csv").write_text("service,name,time\ncheckout,v1,2024-01-05T10:00:00Z\n")
    capsys.readouterr()
    assert main(["import", "deployments", "clash.csv"]) == 2
    err = capsys.readouterr().err
    assert "deployment 'v1' of checkout is already a git tag" in err and "nothing was imported" in err


def test_an_imported_deployment_named_for_its_service_is_not_rework_by_that_name(tmp_path: Path, make_repo) -> None:
    # Runtimes name a release after its workload: a ReplicaSet of the rollback controller is
    # 'rollback-controller-5d8f7c9b4', which the default rework_pattern would call a rollback.
    make_repo("ops").commit("2024-01-01T09:00:00")
    (tmp_path / "dora.toml").write_text(
        'database = "dora.db"\n[[teams]]\nname = "platform"\n'
        '[[services]]\nname = "rollback-controller"\nteam = "platform"\nrepo = "ops"\n'
    )
    (tmp_path / "releases.csv").write_text(
        "service,name,time,sha,message\n"
        "rollback-controller,rollback-controller-5d8f7c9b4,2024-01-03T10:00:00Z,,Deploy Rollback-Controller 7\n"
        "rollback-controller,rollback-controller-6c7d8e9f1,2024-01-04T10:00:00Z,,Roll back to 6\n"
        "rollback-controller,rollback-controller-hotfix-2,2024-01-05T10:00:00Z,,\n"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        assert main(["import", "deployments", "releases.csv"]) == 0
    with sqlite3.connect(tmp_path / "dora.db") as db:
        rows = db.execute("SELECT name, rework FROM deployments ORDER BY time").fetchall()
    assert rows == [
        ("rollback-controller-5d8f7c9b4", 0),
        ("rollback-controller-6c7d8e9f1", 0),
        ("rollback-controller-hotfix-2", 1),
    ]


def test_an_imported_deployment_named_by_its_mapped_workload_or_a_rework_word_service_is_not_rework(
    tmp_path: Path, make_repo
) -> None:
    make_repo("ops").commit("2024-01-01T09:00:00")
    (tmp_path / "dora.toml").write_text(
        'database = "dora.db"\n[[services]]\nname = "rc"\nrepo = "ops"\n[[services]]\nname = "rollback"\nrepo = "ops"\n'
        '[[imports]]\nkind = "deployments"\nfile = "releases.csv"\nformat = "generic"\n'
        'service_map = { "rollback-controller" = "rc" }\n'
    )
    (tmp_path / "releases.csv").write_text(
        "service,name,time,sha,message\n"
        "rollback-controller,rollback-controller-5d8f7c9b4,2024-01-03T10:00:00Z,,Deploy\n"
        "rollback,rollback-5d8f7c9b4,2024-01-03T10:00:00Z,,Deploy\n"
        "rollback,rollback-6e9a8b7c5,2024-01-04T10:00:00Z,,Rollback to 5d8f7c9b4\n"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        assert main(["import", "--all"]) == 0
    with sqlite3.connect(tmp_path / "dora.db") as db:
        rows = db.execute("SELECT service, name, rework FROM deployments ORDER BY service, time").fetchall()
    assert rows == [
        ("rc", "rollback-controller-5d8f7c9b4", 0),
        ("rollback", "rollback-5d8f7c9b4", 0),
        ("rollback", "rollback-6e9a8b7c5", 1),  # its message says so
    ]


def test_collect_recomputes_imported_deployments_rework_when_the_rules_or_the_names_change(
    tmp_path: Path, make_repo
) -> None:
    # Imported before a rule or a service_map changed, a deployment kept the rework flag its
    # import gave it: the report said 100 % rework though collect said it recomputed.
    make_repo("ops").commit("2024-01-01T09:00:00")
    config = 'database = "dora.db"\n[[services]]\nname = "rc"\nrepo = "ops"\n'
    entry = '[[imports]]\nkind = "deployments"\nfile = "releases.csv"\nformat = "generic"\n'
    (tmp_path / "dora.toml").write_text(config + entry)
    (tmp_path / "releases.csv").write_text(
        "service,name,time,sha,message\n"
        "rc,rollback-controller-5d8f7c9b4,2024-01-03T10:00:00Z,,Deploy\n"
        "rc,rollback-controller-6a9e8d1c2,2024-01-04T10:00:00Z,,Hotfix for the login\n"
    )

    def rework() -> list[int]:
        with sqlite3.connect(tmp_path / "dora.db") as db:
            return [r[0] for r in db.execute("SELECT rework FROM deployments ORDER BY time")]

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        assert main(["import", "--all"]) == 0 and main(["collect"]) == 0
        assert rework() == [1, 1]  # 'rollback-controller' names no service yet
        (tmp_path / "dora.toml").write_text(config + entry + 'service_map = { "rollback-controller" = "rc" }\n')
        assert main(["collect"]) == 0
        assert rework() == [0, 1]


def test_rows_of_a_service_removed_from_the_config_count_as_unmapped(workspace: Path, capsys) -> None:
    write(workspace / "pd.csv", GOOD[0])
    assert main(["import", "incidents", "pd.csv"]) == 0
    (workspace / "dora.toml").write_text(
        CONFIG.replace('name = "checkout"', 'name = "basket"').replace(
            '"checkout-api" = "checkout"', '"checkout-api" = "basket"'
        )
    )
    capsys.readouterr()
    assert main(["report", "--as-of", "2024-09-30", "--months", "1"]) == 0
    assert '"unmapped_incidents": 1' in capsys.readouterr().out
    assert main(["doctor"]) == 0
    assert "1 incident names the service 'checkout'" in capsys.readouterr().out


def test_a_busy_database_is_one_line_not_a_traceback(workspace: Path, capsys) -> None:
    write(workspace / "pd.csv", *GOOD)
    assert main(["import", "incidents", "pd.csv"]) == 0
    holder = sqlite3.connect(workspace / "dora.db", timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        capsys.readouterr()  # the import waits the busy timeout for the holder, then gives up
        assert main(["import", "incidents", "pd.csv"]) == 1
    finally:
        holder.rollback()
        holder.close()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "another dora-tui is writing to it; try again in a moment" in err


def test_an_export_without_its_service_column_is_stored_unmapped_and_says_how_to_map_it(tmp_path: Path, capsys) -> None:
    (tmp_path / "dora.toml").write_text(
        'database = "dora.db"\n[[services]]\nname = "search"\nrepo = "search"\n'
        '[[imports]]\nkind = "incidents"\nfile = "x.csv"\ncolumns = { id = "Ref", opened_at = "When" }\n'
    )
    (tmp_path / "x.csv").write_text("Ref,When\nR1,2024-01-01T10:00:00Z\n")
    assert main(["import", "incidents", "x.csv"]) == 0
    out = capsys.readouterr().out
    assert "Stored 1 incident " in out and "(unmapped): 1" in out
    assert "note: the export has no column 'service' (generic format)" in out and "--service NAME" in out
    assert main(["doctor"]) in (0, 1)
    assert "1 incident names no service" in capsys.readouterr().out
