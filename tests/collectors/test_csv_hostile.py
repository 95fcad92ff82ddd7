"""Hostile CSV exports: unclosed quotes, NUL bytes, other encodings and pipes (the fuzz test: test_csv_fuzz).

The promise under test: an import either stores every record of the file, or it stops with
exit status 2 and a line naming a line of the file, leaving the database as it was. It never
stores fewer rows than the file has records without saying so.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from collectors.exports.read import ImportResult, ReadSettings, read_export
from dora_tui.errors import UsageError
from support import FIXTURES as SUPPORT_FIXTURES

FIXTURES = SUPPORT_FIXTURES / "csv"
UTC = ZoneInfo("UTC")


def pagerduty(n: int = 48) -> tuple[str, list[str]]:
    """The fixture's PagerDuty export grown to ``n`` rows (ids PD000, PD001...), one line each."""
    header, *rows = (FIXTURES / "pagerduty.csv").read_text(encoding="utf-8").splitlines()
    out = []
    for i in range(n):
        fields = next(csv.reader([rows[i % len(rows)]]))
        fields[0], fields[1] = f"PD{i:03d}", str(2000 + i)
        assert not any(c in f for f in fields for c in ',"\n')  # written without quotes
        out.append(",".join(fields))
    return header, out


def text(header: str, rows: list[str]) -> str:
    return "\n".join([header, *rows]) + "\n"


def stored(workspace: Path) -> list[tuple] | None:
    """Every incident row in the workspace's database (None: no database)."""
    if not (workspace / "dora.db").exists():
        return None
    with sqlite3.connect(workspace / "dora.db") as db:
        return db.execute("SELECT * FROM incidents ORDER BY source, id").fetchall()


def read(path: Path, **kw) -> ImportResult:
    settings = ReadSettings(
        "incidents", tz=UTC, service_map={"checkout-api": "checkout"}, services={"checkout": "payments"}, **kw
    )
    return read_export(path, settings)


def reasons(result: ImportResult) -> dict[int, str]:
    return {e.line: e.reason for e in result.errors}


# --- an unclosed quote ----------------------------------------------------------------------


def test_an_unclosed_quote_in_the_last_column_stops_the_import_instead_of_swallowing_47_rows(
    tmp_path, write_config, dora
):
    write_config(tmp_path)
    header, rows = pagerduty()
    assert rows[0].endswith(",high")
    broken = text(header, [rows[0][: -len("high")] + '"high', *rows[1:]])
    (tmp_path / "pd.csv").write_text(broken)
    done = dora(tmp_path, "import", "incidents", "pd.csv")
    err = done.stderr.decode().splitlines()
    assert done.returncode == 2, done.stdout.decode()
    assert err[0] == (
        "pd.csv:2: a quote opened in column 'urgency' is never closed (the field runs to the end of the file, line 49)"
    )
    assert "1 bad row, nothing was imported and the database is unchanged" in err[-1]
    assert stored(tmp_path) is None  # a refused first import creates no database
    (tmp_path / "pd.csv").write_text(text(header, rows))
    assert dora(tmp_path, "import", "incidents", "pd.csv").returncode == 0
    before = stored(tmp_path)
    assert len(before) == 48
    (tmp_path / "pd.csv").write_text(broken)
    assert dora(tmp_path, "import", "incidents", "pd.csv").returncode == 2
    assert stored(tmp_path) == before


def _service(row: str, value: str) -> str:
    fields = row.split(",")
    fields[4] = value
    return ",".join(fields)


def _description(row: str, value: str) -> str:
    fields = row.split(",")
    fields[2] = value
    return ",".join(fields)


@pytest.mark.parametrize(
    "change, line, reason",
    [
        # The quote runs to the end of the file: today "no date in column 'created_on'".
        (
            {40: lambda r: _service(r, '"database')},
            42,
            "a quote opened in column 'service_name' is never closed (the field runs to the end of the file, line 49)",
        ),
        # The next quote in the file (opening a later description) closes it, text follows.
        (
            {10: lambda r: _service(r, '"search-svc'), 30: lambda r: _description(r, '"Disk full, db-7"')},
            12,
            "a quote opened in column 'service_name' is not closed on its line (the field runs on to line 32)",
        ),
        # Closed cleanly by a stray quote in the same column: the record looks whole.
        (
            {10: lambda r: _service(r, '"search-svc'), 30: lambda r: _service(r, 'database"')},
            12,
            "a quote opened in column 'service_name' is not closed on its line (the field runs on to line 32)",
        ),
        # In a time column: the time does not read, but the cause is the quote.
        (
            {
                11: lambda r: r.replace(",2024-09-04T10:00:00Z,", ',"2024-09-04T10:00:00Z,', 1),
                32: lambda r: r.replace(",2024-09-04T10:00:00Z,", ',2024-09-04T10:00:00Z",', 1),
            },
            13,
            "a quote opened in column 'created_on' is not closed on its line (the field runs on to line 34)",
        ),
        # Free text may hold line breaks; the quote that closes it is followed by text.
        (
            {10: lambda r: _description(r, '"Search 5xx'), 30: lambda r: _description(r, '"Disk full, db-7"')},
            12,
            "a quote opened in column 'description' is not closed on its line (the field runs on to line 32)",
        ),
    ],
)
def test_an_unclosed_quote_in_a_middle_column_is_named_as_such(tmp_path, change, line, reason):
    header, rows = pagerduty()
    for i, edit in change.items():
        rows[i] = edit(rows[i])
    path = tmp_path / "pd.csv"
    path.write_text(text(header, rows))
    result = read(path)
    assert reasons(result)[line] == reason
    last = 47 if "end of the file" in reason else max(change)  # the last row swallowed
    assert {r.id for r in result.rows} == {f"PD{i:03d}" for i in range(48) if not line - 2 <= i <= last}


@pytest.mark.parametrize(
    "closing, reason, kept",
    [
        (
            'Incident",',
            "a quote opened in column 'Issue Type' is not closed on its line (the field runs on to line 4)",
            ["PAY-4"],
        ),
        (
            "Incident,",
            "a quote opened in column 'Issue Type' is never closed (the field runs to the end of the file, line 5)",
            [],
        ),
    ],
)
def test_an_unclosed_quote_in_a_row_skipped_by_its_type_does_not_hide_the_incidents_after_it(
    tmp_path, closing, reason, kept
):
    path = tmp_path / "jira.csv"
    path.write_text(
        "Summary,Issue key,Issue Type,Project key,Created,Components\n"
        'story,PAY-1,"Story,PAY,12/Mar/24 3:45 PM,checkout\n'  # 2: the quote
        "down,PAY-2,Incident,PAY,13/Mar/24 3:45 PM,checkout\n"  # 3
        f"slow,PAY-3,{closing}PAY,14/Mar/24 3:45 PM,checkout\n"  # 4: closes it?
        "later,PAY-4,Incident,PAY,15/Mar/24 3:45 PM,checkout\n"
    )  # 5
    result = read_export(path, ReadSettings("incidents", tz=UTC, services={"checkout": "payments"}))
    assert reasons(result) == {2: reason}
    assert [r.id for r in result.rows] == kept


def test_a_quote_not_doubled_inside_a_quoted_field_is_a_bad_row(tmp_path):
    header, rows = pagerduty(5)
    rows[2] = _description(rows[2], '"Search "5xx" errors"')
    path = tmp_path / "pd.csv"
    path.write_text(text(header, rows))
    result = read(path)
    assert reasons(result) == {
        4: "a quote inside a quoted field is not doubled (a closing quote is followed by other text)"
    }
    assert result.errors[0].raw["id"] == "PD002"  # the fields as read, for FILE.rejected.csv
    assert [r.id for r in result.rows] == ["PD000", "PD001", "PD003", "PD004"]


def test_a_header_whose_quote_is_never_closed_is_named(tmp_path):
    path = tmp_path / "pd.csv"
    path.write_text('id,"incident_number,created_on\nP1,1,2024-09-03T07:41:12Z\n')
    with pytest.raises(UsageError) as caught:
        read(path)
    assert str(caught.value) == (
        f"{path}:1: cannot read the header: a quote opened in column 2 "
        "is never closed (the field runs to the end of the file, line 2)"
    )


# --- NUL bytes ------------------------------------------------------------------------------


def test_a_nul_byte_in_a_field_is_a_bad_row_with_its_line(tmp_path, write_config, dora):
    write_config(tmp_path)
    header, rows = pagerduty(10)
    rows[5] = _description(rows[5], "Disk\x00full")
    (tmp_path / "pd.csv").write_text(text(header, rows))
    done = dora(tmp_path, "import", "incidents", "pd.csv")
    assert done.returncode == 2
    assert done.stderr.decode().splitlines()[0] == "pd.csv:7: a NUL byte in column 'description'"
    assert stored(tmp_path) is None
    # In a column that is not imported it harms nothing.
    rows[5] = _description(rows[5], "Disk full").replace("PDEF456", "PDEF\x00456")
    (tmp_path / "pd.csv").write_text(text(header, rows))
    assert dora(tmp_path, "import", "incidents", "pd.csv").returncode == 0
    assert len(stored(tmp_path)) == 10


# --- encodings and pipes --------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_without_a_bom_and_utf32_are_read(tmp_path, encoding):
    header, rows = pagerduty(6)
    rows[1] = _description(rows[1], '"Disk full on db-7, café\r\nsee runbook"')
    content = text(header, rows)
    (tmp_path / "utf8.csv").write_text(content, encoding="utf-8")
    (tmp_path / "other.csv").write_bytes(content.encode(encoding))
    want = read(tmp_path / "utf8.csv")
    got = read(tmp_path / "other.csv")
    assert got.records == want.records and len(got.records) == 6 and not got.errors


def test_a_header_with_nul_bytes_names_the_likely_encoding(tmp_path):
    path = tmp_path / "pd.csv"
    path.write_bytes("Āid,created_on\n".encode("utf-16-le"))  # no BOM, and its first character not ASCII
    with pytest.raises(UsageError) as caught:
        read(path)
    assert "UTF-16 or UTF-32" in str(caught.value) and "save the export as UTF-8 CSV" in str(caught.value)


def test_an_export_from_a_pipe_is_read_whole(tmp_path, write_config, dora):
    """`dora-tui import incidents /dev/stdin < export`, with a settings entry that reads the
    header first: nothing of the pipe's start is lost."""
    write_config(tmp_path)
    header, rows = pagerduty()
    done = dora(tmp_path, "import", "incidents", "/dev/stdin", stdin=text(header, rows).encode("utf-16-le"))
    assert done.returncode == 0, done.stderr.decode()
    assert "Stored 48 incidents from /dev/stdin (format pagerduty" in done.stdout.decode()
    assert len(stored(tmp_path)) == 48
    # Bad rows in a pipe still come with their line and fields.
    rows[2] = rows[2].replace("2024-09-04T10:00:00Z", "soon", 1)
    before = stored(tmp_path)
    done = dora(tmp_path, "import", "incidents", "/dev/stdin", stdin=text(header, rows).encode())
    assert done.returncode == 2
    assert done.stderr.decode().splitlines()[0] == "/dev/stdin:4: cannot read 'created_on' value 'soon' as a date"
    assert stored(tmp_path) == before


def test_a_named_pipe_is_opened_once_though_its_header_is_read_first(tmp_path, write_config):
    """A FIFO named like another export of the same kind: its settings are found from its
    header, and then its rows are read, all from one opening of the pipe."""
    write_config(tmp_path)
    header, rows = pagerduty()
    (tmp_path / "pd.csv").write_text(text(header, rows[:3]))  # the entry's export, last month's
    fifo = tmp_path / "pd-2024-10.csv"
    os.mkfifo(fifo)

    def feed() -> None:
        try:
            with open(fifo, "wb") as pipe:
                pipe.write(text(header, rows).encode())
        except BrokenPipeError:
            pass

    threading.Thread(target=feed, daemon=True).start()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "dora_tui", "import", "incidents", fifo.name],
            cwd=tmp_path,
            capture_output=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the import waited for a second writer: it opened the pipe twice")
    assert done.returncode == 0, done.stderr.decode()
    assert "Read with the settings of the [[imports]] entry for" in done.stdout.decode()
    assert [row[2] for row in stored(tmp_path)][:3] == ["checkout", None, None]
