"""Times an import cannot keep, and date formats that cannot read: one line each, nothing stored.

A time must be shown in every time zone: one outside 0001-01-02 .. 9999-12-30 in UTC is a bad
row with its line (the dashboard's incident list died on ``year 0 is out of range``). A date
format is checked where it is given (the option, or the config entry), and a format that
matches no value names where it came from.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from dora_tui.cli import main
from dora_tui.config import load_file
from dora_tui.tui.facade.dashboard import Dashboard
from support import CHECKOUT

CONFIG = CHECKOUT
PD_HEADER = (
    "id,incident_number,description,service_id,service_name,escalation_policy_id,"
    "escalation_policy_name,created_on,resolved_on,seconds_to_first_ack,seconds_to_resolve,urgency"
)
GOOD = "P1,1,Checkout down,S1,checkout,E1,Main,2024-09-03T07:41:12-07:00,2024-09-03T09:41:12-07:00,,,high"
EARLY = "0001-01-01T00:00:00+05:00"  # 0000-12-31 19:00 in UTC
LATE = "9999-12-31T23:59:59-05:00"  # 10000-01-01 04:59:59 in UTC


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "dora.toml").write_text(CONFIG)
    return tmp_path


def pagerduty(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([PD_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def stored(tmp_path: Path, table: str = "incidents") -> list[tuple]:
    if not (tmp_path / "dora.db").exists():
        return []
    with sqlite3.connect(tmp_path / "dora.db") as db:
        return db.execute(
            f"SELECT id, opened_at FROM {table} ORDER BY id"
            if table == "incidents"
            else "SELECT name, time FROM deployments ORDER BY name"
        ).fetchall()


def refused(capsys, argv: list[str]) -> list[str]:
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.splitlines()


# -- times out of range ------------------------------------------------------------------------


@pytest.mark.parametrize("where, value", [("created_on", EARLY), ("created_on", LATE), ("resolved_on", LATE)])
def test_an_iso_time_out_of_range_is_a_bad_row_and_nothing_is_stored(workspace: Path, capsys, where, value) -> None:
    row = GOOD.replace("2024-09-03T07:41:12-07:00" if where == "created_on" else "2024-09-03T09:41:12-07:00", value)
    pagerduty(workspace / "pd.csv", GOOD.replace("P1,1", "P0,0"), row.replace("P1,1", "P2,2"))
    err = refused(capsys, ["import", "incidents", "pd.csv"])
    assert err[0].startswith(f"pd.csv:3: time '{value}' in column '{where}' is out of range")
    assert "1 bad row, nothing was imported" in err[-1]
    assert stored(workspace) == [] and not (workspace / "dora.db").exists()


def test_with_skip_invalid_the_good_rows_are_stored_and_the_dashboard_lists_them(workspace: Path, capsys) -> None:
    pagerduty(
        workspace / "pd.csv",
        GOOD,
        GOOD.replace("P1,1", "P2,2").replace("2024-09-03T07:41:12-07:00", EARLY),
        GOOD.replace("P1,1", "P3,3").replace("2024-09-03T09:41:12-07:00", LATE),
    )
    assert main(["import", "incidents", "pd.csv", "--skip-invalid"]) == 0
    assert "2 bad rows written to" in capsys.readouterr().out
    assert stored(workspace) == [("P1", 1725374472)]
    for zone in ("UTC", "Pacific/Kiritimati", "Etc/GMT+12"):  # the incident list, as the app shows it
        (workspace / "dora.toml").write_text(CONFIG.replace('"UTC"', f'"{zone}"'))
        dashboard = Dashboard(load_file(workspace / "dora.toml"), today=date(2024, 10, 1))
        rows = dashboard.incidents("service", "checkout")
        assert [r.id for r in rows] == ["P1"]
        assert all(dashboard.local_time(r.opened_at) and dashboard.local_time(r.resolved_at) for r in rows)
        dashboard.close()


@pytest.mark.parametrize(
    "timezone, good, opened, argv",
    [
        ("Asia/Tokyo", "2024-01-02 10:00:00", "0001-01-01 08:00:00", []),  # naive, in a zone east of UTC
        ("America/New_York", "2024-01-02 10:00:00", "9999-12-31 20:00:00", []),
        ("UTC", "02.01.2024 10:00 +0100", "31.12.9999 23:00 -0500", ["--date-format", "%d.%m.%Y %H:%M %z"]),
        ("America/New_York", "02.01.2024 10:00", "31.12.9999 23:00", ["--date-format", "%d.%m.%Y %H:%M"]),
        ("UTC", "Tue Jan 02 2024 10:00:00 GMT+0100", "Mon Jan 01 0001 00:00:00 GMT+0100", []),  # read whole
    ],
)
def test_times_out_of_range_in_other_styles_are_bad_rows(workspace: Path, capsys, timezone, good, opened, argv) -> None:
    (workspace / "x.csv").write_text(f"id,opened_at,service\nA,{good},checkout\nB,{opened},checkout\n")
    err = refused(capsys, ["import", "incidents", "x.csv", "--format", "generic", "--timezone", timezone, *argv])
    assert err[0] == (
        f"x.csv:3: time '{opened}' in column 'opened_at' is out of range "
        "(times must fall between 0001-01-02 and 9999-12-30 in UTC)"
    )
    assert not (workspace / "dora.db").exists()
    assert (
        main(["import", "incidents", "x.csv", "--format", "generic", "--timezone", timezone, *argv, "--skip-invalid"])
        == 0
    )
    assert [row[0] for row in stored(workspace)] == ["A"]


def test_a_time_out_of_range_through_a_rows_utc_offset_is_a_bad_row(workspace: Path, capsys) -> None:
    """Shortcut: naive times, and each row's offset in a column of its own (read row by row)."""
    (workspace / "sc.csv").write_text(
        "id,name,created_at,completed_at,utc_offset,team\n"
        "1,Fix,2024/09/03 07:41:12,2024/09/04 10:00:00,-07:00,payments\n"
        "2,Old,0001/01/01 10:00:00,,+14:00,payments\n"
    )
    err = refused(capsys, ["import", "tickets", "sc.csv"])
    assert err[0] == (
        "sc.csv:3: time '0001/01/01 10:00:00' in column 'created_at' is out of range "
        "(times must fall between 0001-01-02 and 9999-12-30 in UTC)"
    )


def test_an_imported_deployment_out_of_range_is_a_bad_row(workspace: Path, capsys) -> None:
    (workspace / "releases.csv").write_text(
        f"service,name,time\ncheckout,r1,2024-01-03T10:00:00Z\ncheckout,r2,{LATE}\ncheckout,r3,0001-01-01T23:59:59Z\n"
    )
    err = refused(capsys, ["import", "deployments", "releases.csv"])
    assert err[:2] == [
        f"releases.csv:3: time '{LATE}' in column 'time' is out of range "
        "(times must fall between 0001-01-02 and 9999-12-30 in UTC)",
        "releases.csv:4: time '0001-01-01T23:59:59Z' in column 'time' is out of range "
        "(times must fall between 0001-01-02 and 9999-12-30 in UTC)",
    ]
    assert main(["import", "deployments", "releases.csv", "--skip-invalid"]) == 0
    assert stored(workspace, "deployments") == [("r1", 1704276000)]


def test_the_first_and_last_day_in_range_are_kept(workspace: Path) -> None:
    (workspace / "releases.csv").write_text(
        "service,name,time\ncheckout,r1,0001-01-02T00:00:00Z\ncheckout,r2,9999-12-30T23:59:59Z\n"
    )
    assert main(["import", "deployments", "releases.csv"]) == 0
    assert stored(workspace, "deployments") == [("r1", -62135510400), ("r2", 253402214399)]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_an_as_of_at_the_ends_of_the_calendar_is_one_line(workspace: Path, capsys, day) -> None:
    pagerduty(workspace / "pd.csv", GOOD)
    assert main(["import", "incidents", "pd.csv"]) == 0
    (line,) = refused(capsys, ["report", "--as-of", day])
    assert line.startswith("dora-tui: error: --as-of")


# -- date formats --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, words",
    [
        ("%d %d", "%d is given twice"),
        ("%Y%Y", "%Y is given twice"),
        ("%Y-%m-%d %Q", "'Q' is a bad directive"),
        ("%Y-%m-%d %", "stray %"),
        ("%H:%M", "does not read a whole date"),
    ],
)
def test_a_bad_date_format_option_is_one_line_naming_it(workspace: Path, capsys, fmt, words) -> None:
    pagerduty(workspace / "pd.csv", GOOD)
    (line,) = refused(capsys, ["import", "incidents", "pd.csv", "--date-format", fmt])
    assert line.startswith(f"dora-tui: error: --date-format: '{fmt}' ") and words in line


@pytest.mark.parametrize("fmt, words", [("%Y%Y", "%Y is given twice"), ("%d.%m.%Y %H:%M %H", "%H is given twice")])
def test_a_bad_date_format_in_the_config_names_its_entry(workspace: Path, capsys, fmt, words) -> None:
    (workspace / "dora.toml").write_text(
        CONFIG + f'[[imports]]\nkind = "incidents"\nfile = "pd.csv"\ndate_format = "{fmt}"\n'
    )
    pagerduty(workspace / "pd.csv", GOOD)
    (line,) = refused(capsys, ["import", "--all"])
    assert line.startswith(f"dora-tui: error: {workspace / 'dora.toml'}: imports[0].date_format: '{fmt}' ")
    assert words in line


def test_a_config_date_format_matching_nothing_is_blamed_on_its_entry(workspace: Path, capsys) -> None:
    (workspace / "dora.toml").write_text(
        CONFIG + '[[imports]]\nkind = "incidents"\nfile = "pd.csv"\ndate_format = "%d/%m/%Y %H:%M"\n'
    )
    pagerduty(workspace / "pd.csv", GOOD)
    err = refused(capsys, ["import", "--all"])
    note = next(line for line in err if "note:" in line)
    assert "--date-format" not in note
    assert note == (
        f"{workspace / 'pd.csv'}: note: no value of column 'created_on' matches the date format "
        f"'%d/%m/%Y %H:%M' given by imports[0].date_format in {workspace / 'dora.toml'} "
        "(e.g. '2024-09-03T07:41:12-07:00')"
    )
    # the same entry's settings read a renamed export: still its entry that is named
    pagerduty(workspace / "pd-2024-10.csv", GOOD)
    err = refused(capsys, ["import", "incidents", "pd-2024-10.csv"])
    assert any("given by imports[0].date_format in" in line for line in err)


def test_an_option_date_format_matching_nothing_is_blamed_on_the_option(workspace: Path, capsys) -> None:
    pagerduty(workspace / "pd.csv", GOOD)
    err = refused(capsys, ["import", "incidents", "pd.csv", "--date-format", "%d/%m/%Y %H:%M"])
    assert (
        "pd.csv: note: no value of column 'created_on' matches the date format '%d/%m/%Y %H:%M' "
        "given by --date-format (e.g. '2024-09-03T07:41:12-07:00')"
    ) in err
