"""Dates in CSV exports: the tools' styles, naive times across DST, day/month order by column."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from collectors.exports.date_columns import iso_seconds
from collectors.exports.dates import Localizer, parse_offset, read_one, suggest_format
from collectors.exports.read import ReadSettings, read_export
from dora_tui.errors import InputError

UTC = ZoneInfo("UTC")
LONDON = ZoneInfo("Europe/London")


def utc(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp())


def write(tmp_path: Path, text: str, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def generic(path: Path, **kw):
    kw.setdefault("tz", LONDON)
    kw.setdefault("date_format_origin", "--date-format")  # as the command line gives it
    return read_export(path, ReadSettings("incidents", format="generic", services={"a": None}, **kw))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12/Mar/24 3:45 PM", "2024-03-12 15:45"),  # Jira
        ("12/Mar/24 15:45", "2024-03-12 15:45"),  # Jira, 24 h
        ("01/Mar/24 12:05 AM", "2024-03-01 00:05"),
        ("01/Mar/24 12:05 PM", "2024-03-01 12:05"),
        ("2024-09-03T07:41:12-07:00", "2024-09-03 14:41:12"),  # PagerDuty
        ("2024-09-03T14:41:12Z", "2024-09-03 14:41:12"),
        ("2024-09-03T14:41:12.123456+00:00", "2024-09-03 14:41:12"),
        ("Tue Sep 03 2024 13:58:02 GMT+0000 (GMT)", "2024-09-03 13:58:02"),  # Linear
        ("Tue Sep 03 2024 13:58:02 GMT+0200 (Central European Summer Time)", "2024-09-03 11:58:02"),
        ("2024/09/03 07:41:12", "2024-09-03 07:41:12"),  # Shortcut (offset in its own column)
        ("2024-09-03 07:41:12", "2024-09-03 07:41:12"),  # ServiceNow
        ("2024-09-03", "2024-09-03 00:00"),
        ("Sep 3, 2024 7:41 AM", "2024-09-03 07:41"),
        ("Tue, 03 Sep 2024 13:58:02 +0000", "2024-09-03 13:58:02"),
        ("03 Sep 2024 07:41", "2024-09-03 07:41"),
        ("25/12/24 10:00", "2024-12-25 10:00"),  # reads one way only
    ],
)
def test_styles(text, expected):
    assert read_one(text, UTC) == utc(expected)


@pytest.mark.parametrize(
    "text",
    ["31/02/24 3:45 PM", "12/Foo/24 1:00 PM", "2024-09-03 25:00", "2024-09-03 10:61", "13:00 PM 2024-01-01", "soon"],
)
def test_unreadable_values(text):
    with pytest.raises(ValueError):
        read_one(text, UTC)


def test_numeric_dates_need_an_order_when_ambiguous():
    with pytest.raises(ValueError):
        read_one("9/3/2024 7:52:10 AM", UTC)
    assert read_one("9/3/2024 7:52:10 AM", UTC, order="month-first") == utc("2024-09-03 07:52:10")
    assert read_one("9/3/2024 7:52:10 AM", UTC, order="day-first") == utc("2024-03-09 07:52:10")


def test_offsets():
    assert parse_offset("-07:00") == -25200
    assert parse_offset("-0700") == -25200
    assert parse_offset("+05:30") == 19800
    assert parse_offset("UTC+1") == 3600
    assert parse_offset("Z") == 0
    assert parse_offset("later") is None


def test_localizer_matches_zoneinfo_around_the_changes():
    """The per-day offset cache gives what zoneinfo gives (fold=0), minute by minute."""
    localize = Localizer(LONDON)
    for day in ("2024-03-30", "2024-03-31", "2024-04-01", "2024-10-26", "2024-10-27", "2024-10-28"):
        start = datetime.fromisoformat(day)
        for minutes in range(0, 24 * 60, 10):
            local = start + timedelta(minutes=minutes)
            naive = int(local.replace(tzinfo=timezone.utc).timestamp())
            assert localize(naive) == int(local.replace(tzinfo=LONDON).timestamp()), local


def test_naive_times_across_the_london_dst_changes(tmp_path):
    path = write(
        tmp_path,
        "id,opened_at,resolved_at,service\n"
        "1,2024-03-31 00:30,2024-03-31 03:00,a\n"  # GMT -> BST
        "2,2024-03-31 01:30,2024-03-31 03:15,a\n"  # in the skipped hour
        "3,2024-10-27 00:59,2024-10-27 01:30,a\n"  # 01:30 happens twice
        "4,2024-10-27 02:00,2024-10-27 02:30,a\n"
        "5,2024-07-01 12:00,,a\n",
    )
    result = generic(path)
    assert result.errors == ()
    rows = result.rows
    assert (rows[0].opened_at, rows[0].resolved_at) == (utc("2024-03-31 00:30"), utc("2024-03-31 02:00"))
    # a time that did not exist is read with the offset before the change (GMT)
    assert rows[1].opened_at == utc("2024-03-31 01:30")
    assert rows[1].resolved_at == utc("2024-03-31 02:15")
    # the repeated hour: the first occurrence (BST)
    assert (rows[2].opened_at, rows[2].resolved_at) == (utc("2024-10-26 23:59"), utc("2024-10-27 00:30"))
    assert rows[3].opened_at == utc("2024-10-27 02:00")
    assert rows[4].opened_at == utc("2024-07-01 11:00")


def test_columns_of_iso_times_with_offsets(tmp_path):
    """Whole columns of the style PagerDuty writes, read in bulk, with its neighbours' shapes."""
    path = write(
        tmp_path,
        "id,opened_at,resolved_at,service\n"
        "1,2024-09-03T07:41:12-07:00,2024-09-03T21:41:12Z,a\n"
        "2,2024-03-31T00:30:00+05:30,2024-12-31T23:59:59-09:30,a\n"
        "3,1969-12-31T23:00:00-01:00,2024-09-03T14:41:12.750+00:00,a\n",
    )
    result = generic(path)
    assert result.errors == ()
    assert [(r.opened_at, r.resolved_at) for r in result.rows] == [
        (utc("2024-09-03 14:41:12"), utc("2024-09-03 21:41:12")),
        (utc("2024-03-30 19:00"), utc("2025-01-01 09:29:59")),
        (0, utc("2024-09-03 14:41:12")),
    ]


@pytest.mark.parametrize(
    "column",
    [
        ["2024-09-03T07:41:12-07:00", "2024-09-03T07:41:12Z", "2024-03-31T00:30:00+05:30"],  # quick
        ["2024-09-03T07:41:12-05:30:15.123456"],  # an offset with a fraction of a second
        ["2024-09-03T07:41:12.750+00:00", "20240903T074112+05", "2024-W36-2T07:41:12Z"],  # whole
        ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"],
    ],
)
def test_iso_columns_read_as_python_reads_each_value(column):
    assert iso_seconds(column) == [int(datetime.fromisoformat(v).timestamp()) for v in column]


@pytest.mark.parametrize(
    "column",
    [
        ["2024-09-03T07:41:12"],
        ["2024-09-03T07:41:12Z", "2024-09-03"],
        ["2024-09-03T07+05:00+01:00"],
        ["2024-09-03T07:41:12+25:00"],
    ],
)
def test_iso_columns_with_a_value_that_is_not_a_moment(column):
    assert iso_seconds(column) is None  # the column is then read value by value, naming bad rows


def test_a_bad_value_in_a_column_of_iso_times_names_its_line(tmp_path):
    path = write(
        tmp_path,
        "id,opened_at,service\n1,2024-09-03T07:41:12-07:00,a\n"
        "2,2024-13-03T07:41:12-07:00,a\n3,2024-09-03T07:41:12+25:00,a\n"
        "4,2024-09-04T07:41:12+01:00,a\n5,2024-09-03T07+05:00+01:00,a\n",
    )
    result = generic(path)
    assert [(e.line, e.reason) for e in result.errors] == [
        (3, "cannot read 'opened_at' value '2024-13-03T07:41:12-07:00' as a date"),
        (4, "cannot read 'opened_at' value '2024-09-03T07:41:12+25:00' as a date"),
        (6, "cannot read 'opened_at' value '2024-09-03T07+05:00+01:00' as a date"),
    ]
    assert [r.opened_at for r in result.rows] == [utc("2024-09-03 14:41:12"), utc("2024-09-04 06:41:12")]


def test_an_ambiguous_column_is_refused(tmp_path):
    path = write(tmp_path, "id,opened_at,service\n1,09-02-2025 10:00,a\n2,03-04-2025 11:30,a\n")
    with pytest.raises(InputError) as info:
        generic(path)
    assert str(info.value) == (
        f"{path}: column 'opened_at' has dates that read either day-first or month-first "
        "(e.g. '09-02-2025'); give --date-format, e.g. --date-format '%d-%m-%Y %H:%M'"
    )


def test_the_whole_column_decides_day_first(tmp_path):
    path = write(tmp_path, "id,opened_at,service\n1,09-02-2025 10:00,a\n2,03-04-2025 11:30,a\n3,25-04-2025 08:00,a\n")
    result = generic(path, tz=UTC)
    assert [r.opened_at for r in result.rows] == [
        utc("2025-02-09 10:00"),
        utc("2025-04-03 11:30"),
        utc("2025-04-25 08:00"),
    ]
    assert result.notes == ("column 'opened_at': dates read day-first",)


def test_the_whole_column_decides_month_first(tmp_path):
    path = write(tmp_path, "id,opened_at,service\n1,9/3/2024 7:52:10 AM,a\n2,9/13/2024 4:05:00 PM,a\n")
    rows = generic(path, tz=UTC).rows
    assert [r.opened_at for r in rows] == [utc("2024-09-03 07:52:10"), utc("2024-09-13 16:05")]


def test_a_column_that_contradicts_itself_is_refused(tmp_path):
    path = write(tmp_path, "id,opened_at,service\n1,25/02/2025,a\n2,02/25/2025,a\n")
    with pytest.raises(
        InputError,
        match=r"both day-first \('25/02/2025'\) and month-first "
        r"\('02/25/2025'\) dates; give --date-format",
    ):
        generic(path)


def test_another_time_column_of_the_file_decides(tmp_path):
    path = write(
        tmp_path, "id,opened_at,resolved_at,service\n1,01/02/2025 10:00,20/02/2025 10:00,a\n2,03/04/2025 10:00,,a\n"
    )
    rows = generic(path, tz=UTC).rows
    assert [r.opened_at for r in rows] == [utc("2025-02-01 10:00"), utc("2025-04-03 10:00")]


def test_date_format_overrides_every_time_column(tmp_path):
    path = write(
        tmp_path, "id,opened_at,resolved_at,service\n1,09-02-2025 10:00,09-02-2025 11:00,a\n2,03-04-2025 11:30,,a\n"
    )
    rows = generic(path, tz=UTC, date_format="%m-%d-%Y %H:%M").rows
    assert (rows[0].opened_at, rows[0].resolved_at) == (utc("2025-09-02 10:00"), utc("2025-09-02 11:00"))
    assert rows[1].opened_at == utc("2025-03-04 11:30")


def test_date_format_with_offset_and_without_a_space(tmp_path):
    path = write(tmp_path, "id,opened_at,service\n1,2025.02.09T10:00 +0100,a\n")
    rows = generic(path, tz=UTC, date_format="%Y.%m.%dT%H:%M %z").rows
    assert rows[0].opened_at == utc("2025-02-09 09:00")


def test_date_format_that_matches_nothing_makes_every_row_bad(tmp_path):
    path = write(tmp_path, "id,opened_at,service\n1,2025-02-09 10:00,a\n")
    result = generic(path, date_format="%d/%m/%Y %H:%M")
    assert [(e.line, e.reason) for e in result.errors] == [
        (2, "cannot read 'opened_at' value '2025-02-09 10:00' as a date")
    ]
    assert result.notes == (
        "no value of column 'opened_at' matches the date format '%d/%m/%Y %H:%M' "
        "given by --date-format (e.g. '2025-02-09 10:00')",
    )


def test_a_column_with_no_readable_date_names_each_row_and_the_column(tmp_path):
    path = write(
        tmp_path,
        "id,opened_at,resolved_at,service\n1,2025-13-40 25:00,,a\n"
        "2,2025-02-09 10:00,yesterday,a\n3,2025-02-09 11:00,,a\n",
    )
    result = generic(path)
    assert [(e.line, e.reason) for e in result.errors] == [
        (2, "cannot read 'opened_at' value '2025-13-40 25:00' as a date"),
        (3, "cannot read 'resolved_at' value 'yesterday' as a date"),
    ]
    assert [r.id for r in result.rows] == ["3"]
    # words say nothing of a date style: no --date-format is suggested for them
    assert result.notes == ("column 'resolved_at' has no value that reads as a date (e.g. 'yesterday')",)
    path = write(tmp_path, "id,opened_at,service\n1,2025.13.40 10h,a\n2,2025.14.40 11h,a\n")
    (note,) = generic(path).notes
    assert note.startswith(
        "column 'opened_at' has no value that reads as a date (e.g. '2025.13.40 10h'); "
        "give --date-format, e.g. --date-format '"
    )


def test_null_words_mean_no_time(tmp_path):
    path = write(
        tmp_path,
        "id,opened_at,resolved_at,service\n1,2025-02-09 10:00,N/A,a\n2,2025-02-09 10:00,-,a\n3,2025-02-09 10:00, ,a\n",
    )
    result = generic(path, tz=UTC)
    assert result.errors == ()
    assert [r.resolved_at for r in result.rows] == [None, None, None]


def test_values_with_stray_spaces(tmp_path):
    path = write(tmp_path, "id,opened_at,service\n1, 2025-02-09 10:00 ,a\n2,2025-02-09  11:00,a\n")
    result = generic(path, tz=UTC)
    assert result.errors == ()
    assert [r.opened_at for r in result.rows] == [utc("2025-02-09 10:00"), utc("2025-02-09 11:00")]


def test_suggested_formats():
    assert suggest_format("09-02-2025") == "%d-%m-%Y %H:%M"
    assert suggest_format("9/3/2024 7:52:10 AM") == "%d/%m/%Y %I:%M:%S %p"
    assert suggest_format("09.02.25 14:00", "month-first") == "%m.%d.%y %H:%M"
