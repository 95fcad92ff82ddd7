"""Reading the date and time text of CSV exports as whole seconds since the epoch, in UTC.

This module reads single values and their parts; :mod:`collectors.exports.date_columns` reads a
whole time column of an export with them (each distinct date and time part once).

Styles read without help (the tools' own):

- ISO 8601: ``2024-09-03T07:41:12-07:00``, ``2024-09-03 07:41:12``, ``...Z``, fractions;
- year first with slashes or dots: ``2024/09/03 07:41:12`` (Shortcut);
- day and month as numbers: ``9/3/2024 7:52:10 AM``, ``03-09-2024 07:41``, ``09.02.25``;
- day, month name, year: ``12/Mar/24 3:45 PM``, ``12/Mar/24 15:45`` (Jira), ``03 Sep 2024``;
- month name first: ``Tue Sep 03 2024 13:58:02 GMT+0000 (GMT)`` (JavaScript date text,
  Linear), ``Sep 3, 2024 7:41 AM``.

A time may carry an offset (``Z``, ``+02:00``, ``-0700``, ``GMT+0000``, ``UTC``); a time
without one is *naive* and is read in the given time zone. Naive times are converted with
:mod:`zoneinfo` semantics for ``fold=0``: a time that occurs twice (the hour repeated when
clocks go back) is read as the first occurrence (summer time); a time that does not exist
(the hour skipped when clocks go forward) is read with the offset in force *before* the
change, so London ``01:30`` on the spring-forward day is stored as 01:30 UTC, the instant
the clocks showed 02:30 BST. A date without a time is read as midnight.

Day or month first: ``09-02-2025`` reads two ways; :mod:`collectors.exports.date_order`
decides from a whole column, and ``date_format`` (strptime codes) replaces all of this.

Two-digit years follow :func:`time.strptime`: 69-99 are 1969-1999, 00-68 are 2000-2068.

A time is kept when, in UTC, it falls between 0001-01-02 00:00:00 and 9999-12-30 23:59:59
(:mod:`collectors.exports.date_columns`): a day inside each end of the calendar, so that every time zone
can show it as a date. One outside (``0001-01-01T00:00:00+05:00``) is a bad row.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from collectors.exports.date_formats import strptime_value
from collectors.exports.date_order import DAY_FIRST, MONTH_FIRST

DateParts = tuple[int, int, int]
"""A numeric date whose day/month order is still open: (first number, second number, year)."""
Day = int | DateParts
"""A date part as read: days since the epoch, or :data:`DateParts`."""

NULLS = frozenset({"", "-", "--", "n/a", "na", "none", "null", "nil", "(none)", "not set"})
"""Values of a time column that mean "no time" (compared lower-cased, stripped)."""

MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for name in names
}
"""English month names and abbreviations (lower case) to month numbers."""

_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()
_EPOCH = datetime(1970, 1, 1)

# A date token: the text before the first space (or the ISO 'T').
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YMD_DATE = re.compile(r"(\d{4})([/.])(\d{1,2})\2(\d{1,2})")
_NUM_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})")
_DMON_DATE = re.compile(r"(\d{1,2})([/.-])([A-Za-z]{3,9})\.?\2(\d{4}|\d{2})")
# The rest: a time of day and/or an offset.
_REST = re.compile(
    r"(?:(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:\s*([AaPp])\.?[Mm]\.?)?)?"
    r"\s*(Z|UTC|GMT|(?:UTC|GMT)?\s*[+-]\d{1,2}(?::?\d{2})?)?"
    r"(?:\s*\([^)]*\))?"
)
_TIME_ONLY = re.compile(
    r"(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:([AaPp])\.?[Mm]\.?)?"
    r"\s*(Z|UTC|GMT|(?:UTC|GMT)?\s*[+-]\d{1,2}(?::?\d{2})?)?"
    r"(?:\s*\([^)]*\))?"
)
# Whole values written with spaces inside the date: month name first, or day month year.
_TEXT_TIME = r"(?:,?\s+(?:at\s+)?|T)?(?P<rest>\d{1,2}:\d{2}.*|(?:Z|UTC|GMT|[+-]).*)?"
_MON_FIRST = re.compile(
    r"(?:[A-Za-z]{3,9}\.?,?\s+)?(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+"
    r"(?P<y>\d{4})" + _TEXT_TIME
)
_DAY_FIRST_TEXT = re.compile(
    r"(?:[A-Za-z]{3,9}\.?,?\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+"
    r"(?P<y>\d{4}|\d{2})" + _TEXT_TIME
)


def _year(text: str) -> int:
    y = int(text)
    if len(text) <= 2:
        y += 2000 if y < 69 else 1900
    return y


def _ordinal(y: int, m: int, d: int) -> int:
    """Days since the epoch; ValueError for a date that does not exist."""
    return datetime(y, m, d).toordinal() - _EPOCH_ORDINAL


def parse_offset(text: str) -> int | None:
    """Seconds east of UTC for ``Z``, ``UTC``, ``+02:00``, ``-0700``, ``GMT+1``...; None if unreadable.

    >>> parse_offset("-07:00"), parse_offset("+0530"), parse_offset("Z")
    (-25200, 19800, 0)
    """
    t = text.strip().upper()
    if t in ("Z", "UTC", "GMT"):
        return 0
    if t.startswith(("UTC", "GMT")):
        t = t[3:].strip()
    if not t or t[0] not in "+-":
        return None
    sign = -1 if t[0] == "-" else 1
    digits = t[1:].strip().replace(":", "")
    if not digits.isdigit() or len(digits) not in (1, 2, 3, 4):
        return None
    if len(digits) <= 2:
        hours, minutes = int(digits), 0
    else:
        hours, minutes = int(digits[:-2]), int(digits[-2:])
    if hours > 18 or minutes > 59:
        return None
    return sign * (hours * 3600 + minutes * 60)


def _iso_rest(t: str) -> tuple[int, int | None] | None:
    """The common ``HH:MM:SS``, ``HH:MM:SSZ`` and ``HH:MM:SS+HH:MM`` by slicing; None for anything else."""
    if len(t) < 8 or t[2] != ":" or t[5] != ":" or not (t[:2] + t[3:5] + t[6:8]).isdigit():
        return None
    h, mi, s = int(t[:2]), int(t[3:5]), int(t[6:8])
    if h > 23 or mi > 59 or s > 59:
        return None
    secs = h * 3600 + mi * 60 + s
    tail = t[8:]
    if not tail:
        return secs, None
    if tail == "Z":
        return secs, 0
    if len(tail) == 6 and tail[0] in "+-" and tail[3] == ":" and (tail[1:3] + tail[4:6]).isdigit():
        hours, minutes = int(tail[1:3]), int(tail[4:6])
        if hours <= 18 and minutes <= 59:
            return secs, (-1 if tail[0] == "-" else 1) * (hours * 3600 + minutes * 60)
    return None


def parse_rest(text: str) -> tuple[int, int | None] | None:
    """(seconds after midnight, offset or None) for the text after the date, or None."""
    text = text.strip()
    if not text:
        return 0, None
    quick = _iso_rest(text)
    if quick is not None:
        return quick
    m = _REST.fullmatch(text)
    if m is None:
        return None
    hh, mm, ss, ampm, zone = m.groups()
    if hh is None:
        if not zone:
            return 0, None  # only a comment in brackets
        secs = 0
    else:
        h, mi = int(hh), int(mm)
        s = int(ss) if ss else 0
        if ampm:
            if h > 12:
                return None
            h = h % 12 + (12 if ampm in "Pp" else 0)
        if h > 23 or mi > 59 or s > 59:
            return None
        secs = h * 3600 + mi * 60 + s
    if zone:
        off = parse_offset(zone)
        if off is None:
            return None
        return secs, off
    return secs, None


def separator(value: str) -> str:
    """Where a value splits into date and time: ``"T"`` for ISO ``2024-09-03T07:41``, else ``" "``."""
    return "T" if value[4:5] == "-" and value[10:11] == "T" else " "


def split_value(value: str) -> tuple[str, str]:
    """The date token and the rest: split at the first space, or at the ISO ``T``."""
    date, _, rest = value.partition(separator(value))
    return date, rest


class Localizer:
    """Turns naive local times (as epoch seconds read as if UTC) into UTC epoch seconds.

    The offset of each local day is computed once: a day whose offset is the same at
    00:00, 12:00 and 23:59:59 uses it for all its times; a day with a change (a DST day)
    asks :mod:`zoneinfo` for every time, with ``fold=0`` (see the module docstring).
    """

    def __init__(self, tz: ZoneInfo | timezone) -> None:
        self.tz = tz
        self._days: dict[int, int | None] = {}

    def day_offset(self, day: int) -> int | None:
        """The offset (seconds) of local day ``day`` (days since 1970-01-01), None when it changes."""
        off = self._days.get(day, False)
        if off is not False:
            return off
        start = _EPOCH + timedelta(days=day)
        offsets = {self.tz.utcoffset(start + timedelta(seconds=s)) for s in (0, 43200, 86399)}
        found = offsets.pop() if len(offsets) == 1 else None
        off = None if found is None else int(found.total_seconds())
        self._days[day] = off
        return off

    def __call__(self, naive: int) -> int:
        """The UTC epoch seconds of the local time ``naive`` (seconds since 1970-01-01 00:00 local)."""
        day = naive // 86400
        off = self._days.get(day, False)
        if off is False:
            off = self.day_offset(day)
        if off is not None:
            return naive - off
        offset = self.tz.utcoffset(_EPOCH + timedelta(seconds=naive))
        assert offset is not None  # a ZoneInfo, or a fixed offset: never None
        return naive - int(offset.total_seconds())


def suggest_format(example: str, order: str = DAY_FIRST) -> str:
    """A strptime format for a value like ``example`` (for the ``--date-format`` hint)."""
    date, rest = split_value(example.strip())
    m = _NUM_DATE.fullmatch(date)
    if m:
        sep, year = m.group(2), "%Y" if len(m.group(4)) == 4 else "%y"
        first, second = ("%d", "%m") if order == DAY_FIRST else ("%m", "%d")
        fmt = f"{first}{sep}{second}{sep}{year}"
    else:
        fmt = "%d-%m-%Y"
    t = _TIME_ONLY.fullmatch(rest.strip()) if rest.strip() else None
    if t is None:
        return fmt + " %H:%M"
    hour = "%I" if t.group(4) else "%H"
    fmt += f" {hour}:%M" + (":%S" if t.group(3) else "")
    if t.group(4):
        fmt += " %p"
    return fmt


def parse_date_token(date: str) -> Day | None:
    """Days since the epoch for a date token; ``(first, second, year)`` for a numeric
    day/month whose order is still open; None when it is not a date.
    """
    date = date.rstrip(",")
    try:
        m = _ISO_DATE.fullmatch(date)
        if m:
            return _ordinal(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _NUM_DATE.fullmatch(date)
        if m:
            return int(m.group(1)), int(m.group(3)), _year(m.group(4))
        m = _DMON_DATE.fullmatch(date)
        if m:
            month = MONTHS.get(m.group(3).lower())
            return None if month is None else _ordinal(_year(m.group(4)), month, int(m.group(1)))
        m = _YMD_DATE.fullmatch(date)
        if m:
            return _ordinal(int(m.group(1)), int(m.group(3)), int(m.group(4)))
    except ValueError:
        return None  # shaped like a date, but not one (31 February)
    return None


def numeric_day(parts: tuple[int, int, int], order: str | None) -> int | None:
    """Days since the epoch of a numeric ``(first, second, year)`` read in ``order``.

    With ``order`` None only values that read one way (a part above 12, or both equal)
    are read. None for a date that does not exist.
    """
    a, b, y = parts
    if order is None:
        if a == b or (a > 12 and b <= 12):
            order = DAY_FIRST
        elif b > 12 and a <= 12:
            order = MONTH_FIRST
        else:
            return None
    d, m = (a, b) if order == DAY_FIRST else (b, a)
    try:
        return _ordinal(y, m, d)
    except ValueError:
        return None


def parse_text_date(value: str) -> tuple[int, int, int | None] | None:
    """(day, seconds, offset or None) for a month-name date written with spaces, or None.

    ``Tue Sep 03 2024 13:58:02 GMT+0000 (GMT)``, ``Sep 3, 2024 7:41 AM``,
    ``Tue, 03 Sep 2024 13:58:02 +0000``, ``03 Sep 2024``.
    """
    for pattern in (_MON_FIRST, _DAY_FIRST_TEXT):
        m = pattern.fullmatch(value)
        if m is None:
            continue
        month = MONTHS.get(m.group("mon").lower())
        if month is None:
            continue
        try:
            day = _ordinal(_year(m.group("y")), month, int(m.group("d")))
        except ValueError:
            return None
        rest = parse_rest(m.group("rest") or "")
        if rest is None:
            return None
        return day, rest[0], rest[1]
    return None


def parse_value(text: str) -> tuple[Day, int, int | None] | None:
    """(day or numeric parts, seconds, offset or None) for one value in any style, or None."""
    text = text.strip()
    date, rest = split_value(text)
    day = parse_date_token(date)
    r = parse_rest(rest) if day is not None else None
    if day is not None and r is not None:
        return day, r[0], r[1]
    return parse_text_date(text)


def read_one(value: str, tz: ZoneInfo | timezone, date_format: str = "", order: str | None = None) -> int:
    """UTC epoch seconds for one value (any style above); ValueError when it cannot be read.

    A convenience for single values (command-line options, tests); columns go through
    :class:`collectors.exports.date_columns.ColumnDates`, which decides day/month order from all values.
    """
    got = strptime_value(value, date_format) if date_format else parse_value(value)
    day = got[0] if got else None
    if isinstance(day, tuple):
        day = numeric_day(day, order)
    if got is None or day is None:
        raise ValueError(f"cannot read {value!r} as a date")
    naive = day * 86400 + got[1]
    return naive - got[2] if got[2] is not None else Localizer(tz)(naive)
