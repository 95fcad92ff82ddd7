"""The site's times: epoch seconds shown to the minute in the config's zone, across its clock changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dora_tui.ops.site.render import LocalTimes


@pytest.mark.parametrize("zone", ["Europe/London", "America/St_Johns", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"])
def test_every_minute_around_the_clock_changes_reads_as_the_zone_says(zone: str) -> None:
    tz = ZoneInfo(zone)
    when = LocalTimes(tz)
    start = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    for t in range(start, start + 366 * 86400, 1799):  # every half hour's edge, a year long: both changes
        for moment in (t, t + 59, t + 60):
            expected = datetime.fromtimestamp(moment, tz).strftime("%Y-%m-%d %H:%M")
            assert when(moment) == expected, (zone, moment)
    before_1970 = int((datetime(1969, 7, 20, 20, 17, tzinfo=UTC) - timedelta(seconds=1)).timestamp())
    assert when(before_1970) == datetime.fromtimestamp(before_1970, tz).strftime("%Y-%m-%d %H:%M")
    assert when(None) == "–"


def test_a_clock_change_off_the_half_hour_is_read_to_the_minute() -> None:
    # St. John's changed its clocks at 00:01 local time until 2011: 03:31 UTC, inside a half hour.
    tz = ZoneInfo("America/St_Johns")
    when = LocalTimes(tz)
    change = int(datetime(2011, 3, 13, 3, 31, tzinfo=UTC).timestamp())
    for moment in range(change - 1800, change + 1800, 60):
        assert when(moment) == datetime.fromtimestamp(moment, tz).strftime("%Y-%m-%d %H:%M"), moment
