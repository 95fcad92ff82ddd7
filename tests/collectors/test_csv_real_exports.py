"""What real exports hold that issue 14 reads: a header without the column rows are mapped
from (every preset, with that column removed), a Jira export without its project column, an
id column renamed or repeated, Excel's UTF-16 "Unicode text", Windows-1252, and dates
without a time."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from collectors.exports import presets
from collectors.exports.read import ReadSettings, read_export
from support import FIXTURES as SUPPORT_FIXTURES
from support.gitbuilder import epoch

FIXTURES = SUPPORT_FIXTURES / "csv"
LONDON = ZoneInfo("Europe/London")
SERVICES = {"checkout": "payments", "checkout-api": "payments", "api": "platform", "search": "platform"}
TEAMS = frozenset({"payments", "platform", "identity"})


def read(path: Path, kind: str, **kw):
    kw.setdefault("tz", LONDON)
    return read_export(path, ReadSettings(kind, services=SERVICES, teams=TEAMS, **kw))


def without(name: str, tmp_path: Path, drop: set[str]) -> Path:
    """The fixture ``name`` rewritten without the columns ``drop`` (names compared as the reader does)."""
    with open(FIXTURES / name, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    keep = [i for i, column in enumerate(rows[0]) if " ".join(column.split()).casefold() not in drop]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([[row[i] for i in keep if i < len(row)] for row in rows])
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return path


def mapping_columns(preset: str, *fields: str) -> set[str]:
    return {c.casefold() for f in fields for c in presets.PRESETS[preset].columns.get(f, ())}


@pytest.mark.parametrize(
    "name, preset, kind, fields, column",
    [
        ("jsm.csv", "jira", "incidents", ("service",), "Components"),
        ("pagerduty.csv", "pagerduty", "incidents", ("service",), "service_name"),
        ("pagerduty-analytics.csv", "pagerduty-analytics", "incidents", ("service", "team"), "service_name"),
        ("servicenow.csv", "servicenow", "incidents", ("service",), "cmdb_ci"),
        ("servicenow-labels.csv", "servicenow", "incidents", ("service",), "cmdb_ci"),
        ("freshservice.csv", "freshservice", "incidents", ("service",), "Affected CI"),
        ("freshservice.csv", "freshservice", "tickets", ("team", "service"), "Group"),
        ("azure-devops.csv", "azure-devops", "tickets", ("team",), "Area Path"),
        ("linear.csv", "linear", "tickets", ("team",), "Team"),
        ("shortcut.csv", "shortcut", "tickets", ("team",), "team"),
        ("generic-incidents.csv", "generic", "incidents", ("service",), "service"),
    ],
)
def test_an_export_without_its_mapping_column_is_stored_unmapped_and_says_how_to_map_it(
    tmp_path: Path, name: str, preset: str, kind: str, fields: tuple[str, ...], column: str
) -> None:
    columns = {}
    if preset == "generic":  # the fixture's own columns, named by the config
        columns = {"id": "Ref", "opened_at": "Started", "resolved_at": "Ended", "service": "System"}
        drop = {"system"}
        columns.pop("service")
    else:
        drop = mapping_columns(preset, *fields)
    whole = read(FIXTURES / name, kind, format=preset, columns=columns)
    result = read(without(name, tmp_path, drop), kind, columns=columns)  # its format still told from its header
    assert result.format == preset
    assert result.errors == () and len(result.rows) == len(whole.rows) > 0
    assert result.targets() == [None] * len(result.rows)  # every row kept, unmapped
    assert result.unmapped == len(result.rows)
    (note,) = [n for n in result.notes if "no column" in n]
    assert note.startswith(f"the export has no column {column!r} ({preset} format)")
    what = "service" if kind == "incidents" else "team"
    assert f"--{what} NAME" in note and f'columns = {{ {what} = "COLUMN" }}' in note
    assert f"{what}_map" in note and "add the column to the export" in note
    given = read(without(name, tmp_path, drop), kind, columns=columns, **{what: "platform"})
    assert set(given.targets()) == {"platform"} and not [n for n in given.notes if "no column" in n]


def test_the_columns_setting_names_another_column_the_rows_map_from(tmp_path: Path) -> None:
    path = without("linear.csv", tmp_path, {"team"})
    result = read(path, "tickets", columns={"team": "Project"}, team_map={"Checkout revamp": "payments"})
    assert "payments" in result.targets() and not [n for n in result.notes if "no column" in n]


def test_a_jira_export_without_a_project_column_takes_the_project_from_each_key(tmp_path: Path) -> None:
    path = without("jira.csv", tmp_path, {"project key", "project name"})
    result = read(path, "tickets", team_map={"PAY": "payments", "OPS": "platform"})
    assert [(t.key, t.raw_team, t.team) for t in result.rows] == [
        ("PAY-101", "PAY", "payments"),
        ("PAY-102", "PAY", "payments"),
        ("OPS-7", "OPS", "platform"),
        ("WEB-3", "WEB", None),
    ]
    assert result.unmapped_values == {"WEB": 1} and not [n for n in result.notes if "no column" in n]
    incidents = read(without("jsm.csv", tmp_path, {"project key"}), "incidents", team_map={"ITSM": "identity"})
    assert {i.team for i in incidents.rows} == {"identity"}


JIRA = "Summary,{key},Issue Type,Created,Resolved,Project key\n"


@pytest.mark.parametrize("key", ["Issue key", "Key", "Work item key", "Issue key,Issue key"])
def test_jira_key_columns_renamed_or_repeated_across_versions(tmp_path: Path, key: str) -> None:
    header = JIRA.format(key=key)
    ids = "," * key.count(",") + "OPS-311"  # repeated: the first one left empty, as an export may
    row = f"Fix it,{ids},Bug,12/Mar/24 3:45 PM,,OPS\n"
    path = tmp_path / "jira.csv"
    path.write_text(header + row)
    result = read(path, "tickets", team_map={"OPS": "platform"})
    assert (result.format, [t.key for t in result.rows], result.rows[0].team) == ("jira", ["OPS-311"], "platform")


def test_excel_unicode_text_utf16_with_tabs(tmp_path: Path) -> None:
    text = "number\topened_at\tresolved_at\tcmdb_ci\r\nINC001\t2024-09-03 07:41:12\t2024-09-03 09:02:00\tcheckout\r\n"
    path = tmp_path / "unicode.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    result = read(path, "incidents")
    assert result.format == "servicenow" and result.errors == ()
    assert [(i.id, i.service, i.opened_at) for i in result.rows] == [
        ("INC001", "checkout", epoch("2024-09-03T06:41:12"))
    ]


def test_windows_1252_is_read_and_said(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.csv"
    text = (
        "number;opened_at;short_description;cmdb_ci\r\n"
        "INC001;2024-09-03 07:41;Caf\u00e9 \u201cdown\u201d \u20ac;checkout\r\n"
    )
    path.write_bytes(text.encode("cp1252"))
    result = read(path, "incidents")
    assert result.rows[0].title == "Caf\u00e9 \u201cdown\u201d \u20ac"
    assert result.notes[0] == (
        "not UTF-8 text (line 2): read as Windows-1252; if names or titles look wrong, save the export as UTF-8 CSV"
    )


def test_a_time_column_holding_dates_without_a_time_reads_midnight_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    path.write_text("number,opened_at,resolved_at,cmdb_ci\nINC1,2024-09-03,2024-09-04 10:00,checkout\n")
    result = read(path, "incidents", tz=ZoneInfo("Europe/Berlin"))
    assert result.rows[0].opened_at == epoch("2024-09-03T00:00:00+02:00")
    assert "column 'opened_at' holds dates without a time: read as midnight in Europe/Berlin" in result.notes
    assert not any("resolved_at" in note for note in result.notes)
