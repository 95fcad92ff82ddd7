"""Row rules (bad rows and their lines), mapping, unplanned tickets and whole-file errors."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from collectors.exports.presets import severity_level
from collectors.exports.read import ReadSettings, read_export
from collectors.records import Deployment, Ticket
from dora_tui.config import load_file
from dora_tui.errors import InputError
from dora_tui.ops.imports import ImportRequest, import_file

UTC = ZoneInfo("UTC")
SERVICES = {"checkout": "payments", "search": "platform", "orphan": None}
TEAMS = frozenset({"payments", "platform"})

JIRA_HEADER = "Summary,Issue key,Issue id,Issue Type,Status,Project key,Created,Resolved,Labels,Labels,Components\n"


def utc(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp())


def write(tmp_path: Path, text: str, name: str = "export.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding, newline="")
    return path


def read(path: Path, kind: str = "tickets", **kw):
    kw.setdefault("tz", UTC)
    kw.setdefault("services", SERVICES)
    kw.setdefault("teams", TEAMS)
    progress = kw.pop("progress", None)
    return read_export(path, ReadSettings(kind, **kw), progress)


BAD_ROWS = JIRA_HEADER + (
    "fine,PAY-1,1,Bug,Done,PAY,12/Mar/24 3:45 PM,13/Mar/24 3:45 PM,,,checkout\n"  # 2
    '"a summary\nover two lines",,2,Bug,Done,PAY,12/Mar/24 3:45 PM,,,,\n'  # 3-4
    "no date,PAY-3,3,Bug,Done,PAY,,,,,\n"  # 5
    "bad date,PAY-4,4,Bug,Done,PAY,31/02/24 3:45 PM,,,,\n"  # 6
    '"resolved\r\nbefore\r\nopened",PAY-5,5,Bug,Done,PAY,12/Mar/24 3:45 PM,11/Mar/24 9:00 AM,,,\n'  # 7-9
    "again,PAY-1,6,Bug,Done,PAY,14/Mar/24 3:45 PM,,,,\n"  # 10
    "bad resolved,PAY-7,7,Bug,Done,PAY,12/Mar/24 3:45 PM,soon,,,\n"  # 11
    "too long,PAY-8,8,Bug,Done,PAY,12/Mar/24 3:45 PM,,,,,surprise\n"  # 12
    "\n"  # 13 blank
    ",,,,,,,,,,\n"  # 14 empty fields
    "short,PAY-9,9,Story,Open,PAY,12/Mar/24 3:45 PM\n"  # 15
)


def test_bad_rows_are_reported_with_the_line_they_start_on(tmp_path):
    result = read(write(tmp_path, BAD_ROWS), team_map={"PAY": "payments"})
    assert [(e.line, e.reason) for e in result.errors] == [
        (3, "no id in column 'Issue key'"),
        (5, "no date in column 'Created'"),
        (6, "cannot read 'Created' value '31/02/24 3:45 PM' as a date"),
        (7, "resolved before opened ('Resolved' '11/Mar/24 9:00 AM' is before 'Created' '12/Mar/24 3:45 PM')"),
        (10, "id 'PAY-1' already on line 2"),
        (11, "cannot read 'Resolved' value 'soon' as a date"),
        (12, "12 fields, the header has 11"),
    ]
    assert [t.key for t in result.rows] == ["PAY-1", "PAY-9"]
    assert result.rows[1].resolved_at is None  # the short row


def test_a_bad_row_carries_its_fields_as_read(tmp_path):
    result = read(write(tmp_path, BAD_ROWS))
    by_line = {e.line: e for e in result.errors}
    multi = by_line[3]
    assert multi.raw["Summary"] == "a summary\nover two lines"
    assert multi.raw["Issue key"] == "" and multi.raw["Created"] == "12/Mar/24 3:45 PM"
    assert len(multi.values) == 11 and multi.values[0] == "a summary\nover two lines"
    assert by_line[7].raw["Summary"] == "resolved\r\nbefore\r\nopened"
    assert by_line[12].values[-1] == "surprise"


def test_repeated_columns_in_raw_rows_are_joined(tmp_path):
    text = JIRA_HEADER + "x,,1,Bug,Done,PAY,12/Mar/24 3:45 PM,,one,two,checkout\n"
    (error,) = read(write(tmp_path, text)).errors
    assert error.raw["Labels"] == "one, two"


def test_service_mapping_order(tmp_path):
    text = (
        "id,opened_at,service\n1,2024-01-01 10:00,checkout-api\n2,2024-01-01 10:00,search\n"
        "3,2024-01-01 10:00,Checkout\n4,2024-01-01 10:00,legacy\n5,2024-01-01 10:00,\n"
        "6,2024-01-01 10:00,legacy\n7,2024-01-01 10:00,orphan\n"
    )
    path = write(tmp_path, text)
    result = read(path, "incidents", format="generic", service_map={"checkout-api": "checkout"})
    assert [(i.service, i.raw_service, i.team) for i in result.rows] == [
        ("checkout", "checkout-api", "payments"),  # service_map
        ("search", "search", "platform"),  # a known name
        ("checkout", "Checkout", "payments"),  # ignoring case
        (None, "legacy", None),
        (None, "", None),
        (None, "legacy", None),
        ("orphan", "orphan", None),  # a service without a team is still mapped
    ]
    assert result.unmapped == 3 and result.unmapped_values == {"legacy": 2, "": 1}
    forced = read(path, "incidents", format="generic", service="search")
    assert {i.service for i in forced.rows} == {"search"} and forced.unmapped == 0
    assert forced.rows[0].raw_service == "checkout-api"


def test_team_mapping_order_for_tickets(tmp_path):
    text = JIRA_HEADER + (
        "a,PAY-1,1,Story,Done,PAY,12/Mar/24 3:45 PM,,,,search\n"  # team_map beats the service
        "b,OPS-1,2,Story,Done,platform,12/Mar/24 3:45 PM,,,,\n"  # a known team name
        "c,WEB-1,3,Story,Done,WEB,12/Mar/24 3:45 PM,,,,checkout\n"  # the service's team
        "d,WEB-2,4,Story,Done,WEB,12/Mar/24 3:45 PM,,,,\n"  # nothing: unmapped
    )
    path = write(tmp_path, text)
    result = read(path, team_map={"PAY": "payments"})
    assert [(t.team, t.raw_team, t.service) for t in result.rows] == [
        ("payments", "PAY", "search"),
        ("platform", "platform", None),
        ("payments", "WEB", "checkout"),
        (None, "WEB", None),
    ]
    assert result.unmapped == 1 and result.unmapped_values == {"WEB": 1}
    forced = read(path, team="platform")
    assert {t.team for t in forced.rows} == {"platform"} and forced.unmapped == 0


def test_unplanned_by_type_or_label_ignoring_case(tmp_path):
    text = JIRA_HEADER + (
        "a,PAY-1,1,bug,Done,PAY,12/Mar/24 3:45 PM,,,,\n"
        "b,PAY-2,2,Story,Done,PAY,12/Mar/24 3:45 PM,,ux,HotFix,\n"
        "c,PAY-3,3,Story,Done,PAY,12/Mar/24 3:45 PM,,ux,,\n"
        "d,PAY-4,4,Chore,Done,PAY,12/Mar/24 3:45 PM,,,,\n"
    )
    path = write(tmp_path, text)
    assert [t.unplanned for t in read(path).rows] == [True, True, False, False]
    custom = read(path, unplanned_types=("Chore",), unplanned_labels=("ux",))
    assert [t.unplanned for t in custom.rows] == [False, True, True, True]
    assert custom.rows[1].labels == ("ux", "HotFix")


def test_generic_tickets_labels_split_on_commas_and_semicolons(tmp_path):
    text = (
        "key,created_at,resolved_at,team,type,status,labels,title\n"
        'T-1,2024-01-01,2024-01-03,payments,Task,Done,"support; ux,  api",Fix\n'
    )
    (ticket,) = read(write(tmp_path, text), format="generic").rows
    assert ticket == Ticket(
        source="generic",
        key="T-1",
        created_at=utc("2024-01-01 00:00"),
        resolved_at=utc("2024-01-03 00:00"),
        team="payments",
        raw_team="payments",
        type="Task",
        status="Done",
        labels=("support", "ux", "api"),
        title="Fix",
        unplanned=True,
    )


def test_generic_needs_its_columns(tmp_path):
    path = write(tmp_path, "Ref,When\nA-1,2024-01-01\n")
    with pytest.raises(InputError, match="missing column 'id', needed for the id of incidents"):
        read(path, "incidents", format="generic")
    with pytest.raises(InputError, match=r"no column 'Nope' \(named by columns.opened_at\)"):
        read(path, "incidents", columns={"id": "Ref", "opened_at": "Nope"})
    with pytest.raises(InputError, match="columns: unknown field 'colour' for incidents"):
        read(path, "incidents", columns={"colour": "Ref"})
    # No service column (issue 14, item 5): the rows are stored unmapped, and the import says why and what to do.
    unmapped = read(path, "incidents", columns={"id": "Ref", "opened_at": "When"})
    assert [r.service for r in unmapped.rows] == [None] and unmapped.unmapped == 1
    assert "no column 'service' (generic format)" in unmapped.notes[0]
    assert "--service NAME" in unmapped.notes[0] and "add the column to the export" in unmapped.notes[0]
    (tmp_path / "dora.toml").write_text(
        'database = "dora.db"\n[[teams]]\nname = "platform"\n[[services]]\nname = "search"\nteam = "platform"\n'
        'repo = "search"\n[[imports]]\nkind = "incidents"\nfile = "export.csv"\n'
        'columns = { id = "Ref", opened_at = "When" }\n'
    )
    config = load_file(tmp_path / "dora.toml")
    summary = import_file(config, None, ImportRequest("incidents", path, dry_run=True))
    assert summary.unmapped == 1 and "no column 'service'" in summary.notes[0]
    ok = read(path, "incidents", columns={"id": "Ref", "opened_at": "When"}, service="search")
    assert ok.rows[0].service == "search" and ok.rows[0].team == "platform"


def test_deployments_rows_and_their_errors(tmp_path):
    text = (
        "service,name,time,sha,message\ncheckout,v1,2024-01-01T10:00:00Z,abc1234,first\n"
        "unknown,v2,2024-01-02T10:00:00Z,,\n,v3,2024-01-02T10:00:00Z,,\n"
        "checkout,,2024-01-02T10:00:00Z,,\ncheckout,v1,2024-01-05T10:00:00Z,,\n"
        "checkout,v6,,,\n"
    )
    result = read(write(tmp_path, text), "deployments")
    assert result.rows == (
        Deployment(
            service="checkout",
            name="v1",
            time=utc("2024-01-01 10:00"),
            sha="abc1234",
            message="first",
            source="deployments",
        ),
    )
    assert [(e.line, e.reason) for e in result.errors] == [
        (3, "unknown service 'unknown' in column 'service' (not a configured service; map it with service_map)"),
        (4, "no service in column 'service'"),
        (5, "no name in column 'name'"),
        (6, "deployment 'v1' of 'checkout' already on line 2"),
        (7, "no date in column 'time'"),
    ]


def test_deployments_default_to_the_deployments_format(tmp_path):
    path = write(tmp_path, "Svc,Tag,At\ncheckout,v1,2024-01-01\n")
    with pytest.raises(InputError, match="missing column 'name', needed for the name of deployments"):
        read(path, "deployments")
    result = read(path, "deployments", columns={"service": "Svc", "name": "Tag", "time": "At"})
    assert result.format == "generic" and result.rows[0].name == "v1"


@pytest.mark.parametrize(
    "text, fmt, kind, message",
    [
        (
            "a,b\n1,2\n",
            "auto",
            "tickets",
            "cannot tell the export format from the header (known formats: jira, pagerduty,",
        ),
        ("a,b\n1,2\n", "bugzilla", "tickets", "unknown format 'bugzilla' (known formats: jira,"),
        (
            "ID,Team,Title,Created,Completed\nX-1,a,b,2024-01-01,\n",
            "auto",
            "incidents",
            "the linear format holds tickets, not incidents (use `dora-tui import tickets`)",
        ),
        (
            "Summary,Issue key,Issue Type\nx,PAY-1,Bug\n",
            "auto",
            "tickets",
            "missing column 'Created', needed for the time of tickets (jira format)",
        ),
        (
            "Summary,Issue key,Created,Components\nx,PAY-1,12/Mar/24 3:45 PM,api\n",
            "jira",
            "incidents",
            "missing column 'Issue Type', needed to tell incidents from other jira rows",
        ),
        ("", "auto", "tickets", "empty file, no header row"),
    ],
)
def test_whole_file_problems_raise_one_line(tmp_path, text, fmt, kind, message):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        read(path, kind, format=fmt)
    assert str(info.value).startswith(f"{path}: {message}")
    assert "\n" not in str(info.value)


def test_unreadable_files(tmp_path):
    with pytest.raises(InputError, match="cannot read: No such file"):
        read(tmp_path / "missing.csv")
    with pytest.raises(InputError, match="is a folder"):
        read(tmp_path)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(JIRA_HEADER.encode() + "caf\xe9,PAY-1,1,Bug,Done,PAY,12/Mar/24 3:45 PM,,,,\n".encode("latin-1"))
    # Not UTF-8 (issue 14): read as Windows-1252, and said; bytes that are neither stop the import.
    result = read(latin)
    assert result.rows[0].title == "caf\xe9"
    assert result.notes[0].startswith("not UTF-8 text (line 2): read as Windows-1252")
    latin.write_bytes(JIRA_HEADER.encode() + b"caf\x81,PAY-1,1,Bug,Done,PAY,12/Mar/24 3:45 PM,,,,\n")
    with pytest.raises(InputError, match=r"latin.csv:2: not UTF-8 or Windows-1252 text"):
        read(latin)


def test_missing_reference_column_is_refused(tmp_path):
    path = write(tmp_path, "id,opened_at,service\n1,2024-01-01,checkout\n")
    with pytest.raises(InputError, match=r"no column 'u_change_request' \(named by reference_column\)"):
        read(path, "incidents", format="generic", reference_column="u_change_request")


def test_semicolons_utf16_and_excel_sep_line(tmp_path):
    text = "id;opened_at;service\n1;2024-01-01 10:00;checkout\n"
    assert read(write(tmp_path, text), "incidents", format="generic").rows[0].id == "1"
    utf16 = read(write(tmp_path, text, "u16.csv", encoding="utf-16"), "incidents", format="generic")
    assert utf16.rows[0].service == "checkout"
    sep = write(tmp_path, "sep=;\n" + text.replace("1;", "\n1;", 1), "sep.csv")
    result = read(sep, "incidents", format="generic")
    assert result.rows[0].opened_at == utc("2024-01-01 10:00")
    bad = write(tmp_path, "sep=;\nid;opened_at;service\n1;;checkout\n", "sepbad.csv")
    assert read(bad, "incidents", format="generic").errors[0].line == 3


def test_formats_by_other_names(tmp_path):
    path = write(tmp_path, "ID,Work Item Type,Title,Created Date,Area Path\n1,Bug,x,2024-01-01,A\n")
    assert read(path, format="ADO").format == "azure-devops"
    assert read(path, format="azure_devops").format == "azure-devops"


def test_progress_is_reported(tmp_path):
    seen = []
    path = write(tmp_path, "id,opened_at,service\n1,2024-01-01,checkout\n")
    read(path, "incidents", format="generic", progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1] == path.stat().st_size


@pytest.mark.parametrize(
    "text, level",
    [
        ("1 - Critical", 1),
        ("2 - High", 2),
        ("P3", 3),
        ("SEV-2", 2),
        ("Sev 1", 1),
        ("sev1", 1),
        ("Highest", 1),
        ("High", 2),
        ("Medium", 3),
        ("3 - Moderate", 3),
        ("Low", 4),
        ("5 - Planning", 5),
        ("urgent", 1),
        ("", None),
        ("whatever", None),
    ],
)
def test_severity_levels(text, level):
    assert severity_level(text) == level


PAGERDUTY_HEADER = "id,description,service_name,created_on,resolved_on,urgency\n"


def test_iso_exports_follow_the_same_row_rules(tmp_path):
    """ISO 8601 columns are read whole, a column at a time; bad rows still get their lines."""
    text = PAGERDUTY_HEADER + (
        "Q1,Checkout down,checkout,2024-09-03T07:41:12-07:00,2024-09-03T08:11:40-07:00,high\n"  # 2
        "Q2,Still open,search,2024-09-03T23:58:00+01:00,,low\n"  # 3
        "Q3,Back in time,search,2024-09-04T10:00:00Z,2024-09-04T09:00:00Z,high\n"  # 4
        "Q1,Again,checkout,2024-09-05T10:00:00Z,2024-09-05T11:00:00Z,high\n"  # 5
        ",No id,checkout,2024-09-05T12:00:00Z,,low\n"  # 6
    )
    result = read(write(tmp_path, text), "incidents", format="pagerduty")
    assert [(e.line, e.reason) for e in result.errors] == [
        (
            4,
            "resolved before opened ('resolved_on' '2024-09-04T09:00:00Z' is before "
            "'created_on' '2024-09-04T10:00:00Z')",
        ),
        (5, "id 'Q1' already on line 2"),
        (6, "no id in column 'id'"),
    ]
    assert [(i.id, i.opened_at, i.resolved_at, i.service) for i in result.rows] == [
        ("Q1", utc("2024-09-03 14:41:12"), utc("2024-09-03 15:11:40"), "checkout"),
        ("Q2", utc("2024-09-03 22:58:00"), None, "search"),
    ]
    # One value that is not ISO 8601 sends the column to the general reader: same outcome.
    odd = text.replace("2024-09-03T08:11:40-07:00", "2024-09-03 08:11:40 -07:00")
    again = read(write(tmp_path, odd, "odd.csv"), "incidents", format="pagerduty")
    assert [e.line for e in again.errors] == [4, 5, 6]
    assert [(i.id, i.resolved_at) for i in again.rows] == [("Q1", utc("2024-09-03 15:11:40")), ("Q2", None)]
