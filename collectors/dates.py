"""Reading the date and time text of CSV exports as whole seconds since the epoch, in UTC.

A time column is read as a whole: :class:`ColumnDates` takes the column's distinct values,
works out how they are written, and returns a map ``value -> epoch seconds`` (values it
cannot read are left out; the caller reports them against their rows).

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

Day or month first: ``09-02-2025`` reads two ways. The order is never guessed from one
value: a column with a value whose first number is above 12 is day-first, one with a value
whose second number is above 12 is month-first. :class:`ColumnDates` reports that evidence
and the caller decides (see :func:`decide_order`); ``date_format`` (strptime codes)
replaces all of this when given.

Two-digit years follow :func:`time.strptime`: 69-99 are 1969-1999, 00-68 are 2000-2068.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

NULLS = frozenset({"", "-", "--", "n/a", "na", "none", "null", "nil", "(none)", "not set"})
"""Values of a time column that mean "no time" (compared lower-cased, stripped)."""

MONTHS = {
    name: i + 1
    for i, names in enumerate([
        ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
        ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
        ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
        ("dec", "december"),
    ])
    for name in names
}
"""English month names and abbreviations (lower case) to month numbers."""

DAY_FIRST = "day-first"
MONTH_FIRST = "month-first"

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
_TEXT_TIME = (
    r"(?:,?\s+(?:at\s+)?|T)?(?P<rest>\d{1,2}:\d{2}.*|(?:Z|UTC|GMT|[+-]).*)?"
)
_MON_FIRST = re.compile(
    r"(?:[A-Za-z]{3,9}\.?,?\s+)?(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+"
    r"(?P<y>\d{4})" + _TEXT_TIME
)
_DAY_FIRST_TEXT = re.compile(
    r"(?:[A-Za-z]{3,9}\.?,?\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+"
    r"(?P<y>\d{4}|\d{2})" + _TEXT_TIME
)

_DATE_CODES = set("dmyYbBjaAe")
_TIME_CODES = set("HIMSpfzZ")


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


def _rest(text: str) -> tuple[int, int | None] | None:
    """(seconds after midnight, offset or None) for the text after the date, or None."""
    if not text:
        return 0, None
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


def _split(value: str) -> tuple[str, str]:
    """The date token and the rest: split at the first space, or at the ISO ``T``."""
    i = value.find(" ")
    if 10 <= len(value) and value[4:5] == "-" and value[10:11] == "T":
        i = 10
    if i < 0:
        return value, ""
    return value[:i].rstrip(","), value[i + 1:].strip()


class Localizer:
    """Turns naive local times (as epoch seconds read as if UTC) into UTC epoch seconds.

    The offset of each local day is computed once: a day whose offset is the same at
    00:00, 12:00 and 23:59:59 uses it for all its times; a day with a change (a DST day)
    asks :mod:`zoneinfo` for every time, with ``fold=0`` (see the module docstring).
    """

    def __init__(self, tz: ZoneInfo | timezone) -> None:
        self.tz = tz
        self._days: dict[int, int | None] = {}

    def _day_offset(self, day: int) -> int | None:
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
            off = self._day_offset(day)
        if off is not None:
            return naive - off
        local = _EPOCH + timedelta(seconds=naive)
        return naive - int(self.tz.utcoffset(local).total_seconds())  # type: ignore[union-attr]


@dataclass
class Evidence:
    """What a column's values say about day/month order, with an example value of each kind."""

    day_first: str | None = None
    month_first: str | None = None
    ambiguous: str | None = None


def decide_order(column: str, own: Evidence, others: Iterable[Evidence]) -> str | None:
    """The order (:data:`DAY_FIRST`, :data:`MONTH_FIRST`) to read a column's numeric dates in.

    The column decides: a value with a first number above 12 makes it day-first, one with
    a second number above 12 month-first. A column with only ambiguous values takes the
    order shown by the file's other time columns (they come from the same export, written
    with the same settings). Returns None when the column has no ambiguous value. Raises
    ``ValueError`` with the message's middle part when the column contradicts itself or
    stays ambiguous; the caller adds the file name and the ``--date-format`` hint.
    """
    if own.day_first and own.month_first:
        raise ValueError(f"column {column!r} has both day-first ({own.day_first!r}) and "
                         f"month-first ({own.month_first!r}) dates")
    if own.day_first:
        return DAY_FIRST
    if own.month_first:
        return MONTH_FIRST
    if own.ambiguous is None:
        return None
    votes = {DAY_FIRST if e.day_first else MONTH_FIRST
             for e in others if bool(e.day_first) != bool(e.month_first)}
    if len(votes) == 1:
        return votes.pop()
    raise ValueError(f"column {column!r} has dates that read either day-first or month-first "
                     f"(e.g. {own.ambiguous!r})")


def suggest_format(example: str, order: str = DAY_FIRST) -> str:
    """A strptime format for a value like ``example`` (for the ``--date-format`` hint)."""
    date, rest = _split(example.strip())
    m = _NUM_DATE.fullmatch(date)
    if m:
        sep, year = m.group(2), "%Y" if len(m.group(4)) == 4 else "%y"
        first, second = ("%d", "%m") if order == DAY_FIRST else ("%m", "%d")
        fmt = f"{first}{sep}{second}{sep}{year}"
    else:
        fmt = "%d-%m-%Y"
    t = _TIME_ONLY.fullmatch(rest) if rest else None
    if t is None:
        return fmt + " %H:%M"
    hour = "%I" if t.group(4) else "%H"
    fmt += f" {hour}:%M" + (":%S" if t.group(3) else "")
    if t.group(4):
        fmt += " %p"
    return fmt


def _codes(fmt: str) -> set[str]:
    return set(re.findall(r"%(.)", fmt.replace("%%", "")))


class ColumnDates:
    """Reads the distinct values of one time column.

    Call :meth:`scan` with the values, look at :attr:`evidence` (and :attr:`readable`,
    :attr:`unreadable_example`), then :meth:`naive` or :meth:`utc` with the order decided.
    With ``date_format`` every value is read with :meth:`datetime.strptime`: the date part
    and the time part are read (and cached) separately when the format splits at a space
    into date codes and time codes, so even a large file reads quickly.
    """

    def __init__(self, name: str, date_format: str = "") -> None:
        self.name = name
        self.date_format = date_format
        self.evidence = Evidence()
        self.readable = 0
        self.unreadable_example: str | None = None
        self._dates: dict[str, object] = {}
        self._rests: dict[str, tuple[int, int | None] | None] = {}
        self._split_values: list[tuple[str, str, str]] = []
        self._whole: dict[str, tuple[int, int | None] | None] = {}
        self._fmt_split: tuple[str, str] | None = None
        if date_format:
            head, _, tail = date_format.strip().partition(" ")
            if _codes(head) <= _DATE_CODES and _codes(tail) <= _TIME_CODES and "T" not in head:
                self._fmt_split = head, tail.strip()

    # -- scanning ---------------------------------------------------------------------

    def scan(self, values: Iterable[str]) -> None:
        """Read the distinct non-empty ``values`` (null words like ``N/A`` are skipped)."""
        for raw in values:
            value = raw.strip()
            if not value or value.lower() in NULLS:
                continue
            if self.date_format:
                self._scan_format(raw, value)
            else:
                self._scan_auto(raw, value)

    def _bad(self, value: str) -> None:
        if self.unreadable_example is None:
            self.unreadable_example = value

    def _scan_auto(self, raw: str, value: str) -> None:
        date, rest = _split(value)
        d = self._dates.get(date)
        if d is None and date not in self._dates:
            d = self._date_token(date)
            self._dates[date] = d
        if d is not None:
            r = self._rests.get(rest, False)
            if r is False:
                r = self._rests[rest] = _rest(rest)
            if r is not None:
                self._split_values.append((raw, date, rest))
                if isinstance(d, tuple):  # (first, second, year): order still open
                    self._note(d, value)
                self.readable += 1
                return
        whole = _text_date(value)
        self._whole[raw] = whole
        if whole is None:
            self._bad(value)
        else:
            self.readable += 1

    def _note(self, parts: tuple[int, int, int], value: str) -> None:
        a, b, _ = parts
        ev = self.evidence
        if a > 12 and b <= 12:
            ev.day_first = ev.day_first or value
        elif b > 12 and a <= 12:
            ev.month_first = ev.month_first or value
        elif a <= 12 and b <= 12 and a != b:
            ev.ambiguous = ev.ambiguous or value

    @staticmethod
    def _date_token(date: str) -> object:
        """Days since the epoch, (first, second, year) for a numeric d/m, or None."""
        m = _ISO_DATE.fullmatch(date)
        try:
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

    def _scan_format(self, raw: str, value: str) -> None:
        if self._fmt_split is not None:
            head, tail = self._fmt_split
            date, _, rest = value.partition(" ")
            rest = rest.strip()
            if date not in self._dates:
                try:
                    self._dates[date] = datetime.strptime(date, head).toordinal() - _EPOCH_ORDINAL
                except ValueError:
                    self._dates[date] = None
            if rest not in self._rests:
                self._rests[rest] = _strptime_time(rest, tail)
            if self._dates[date] is not None and self._rests[rest] is not None:
                self._split_values.append((raw, date, rest))
                self.readable += 1
                return
            self._whole[raw] = None
            self._bad(value)
            return
        try:
            dt = datetime.strptime(value, self.date_format)
        except ValueError:
            self._whole[raw] = None
            self._bad(value)
            return
        naive = (dt.toordinal() - _EPOCH_ORDINAL) * 86400 + dt.hour * 3600 + dt.minute * 60 + dt.second
        off = dt.utcoffset()
        self._whole[raw] = (naive, None if off is None else int(off.total_seconds()))
        self.readable += 1

    # -- results ----------------------------------------------------------------------

    def naive(self, order: str | None) -> dict[str, tuple[int, int | None]]:
        """``value -> (local seconds read as if UTC, offset or None)`` for every readable value."""
        out: dict[str, tuple[int, int | None]] = {}
        for raw, date, rest in self._split_values:
            day = self._dates[date]
            if isinstance(day, tuple):
                day = _numeric_day(day, order)
                if day is None:
                    continue
            secs, off = self._rests[rest]  # type: ignore[misc]
            out[raw] = (day * 86400 + secs, off)  # type: ignore[operator]
        for raw, whole in self._whole.items():
            if whole is not None:
                out[raw] = whole
        return out

    def utc(self, order: str | None, localize: Localizer) -> dict[str, int]:
        """``value -> UTC epoch seconds`` for every readable value; naive times via ``localize``."""
        days: dict[str, int | None] = {}
        for date, day in self._dates.items():
            if isinstance(day, tuple):
                day = _numeric_day(day, order)
            days[date] = day  # type: ignore[assignment]
        rests = self._rests
        out: dict[str, int] = {}
        for raw, date, rest in self._split_values:
            day = days[date]
            if day is None:
                continue
            secs, off = rests[rest]  # type: ignore[misc]
            naive = day * 86400 + secs
            out[raw] = naive - off if off is not None else localize(naive)
        for raw, whole in self._whole.items():
            if whole is not None:
                naive, off = whole
                out[raw] = naive - off if off is not None else localize(naive)
        return out


def _numeric_day(parts: tuple[int, int, int], order: str | None) -> int | None:
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


def _strptime_time(rest: str, fmt: str) -> tuple[int, int | None] | None:
    if not fmt:
        return (0, None) if not rest else None
    try:
        t = datetime.strptime(rest, fmt)
    except ValueError:
        return None
    off = t.utcoffset()
    return t.hour * 3600 + t.minute * 60 + t.second, None if off is None else int(off.total_seconds())


def _text_date(value: str) -> tuple[int, int | None] | None:
    """(naive seconds, offset or None) for month-name dates written with spaces, or None."""
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
        rest = _rest((m.group("rest") or "").strip())
        if rest is None:
            return None
        return day * 86400 + rest[0], rest[1]
    return None


def read_one(value: str, tz: ZoneInfo | timezone, date_format: str = "",
             order: str | None = None) -> int:
    """UTC epoch seconds for one value (any style above); ValueError when it cannot be read.

    A convenience for single values (command-line options, tests); columns should go
    through :class:`ColumnDates`, which decides the day/month order from all values.
    """
    col = ColumnDates("value", date_format)
    col.scan([value])
    out = col.utc(order, Localizer(tz))
    if value not in out:
        raise ValueError(f"cannot read {value!r} as a date")
    return out[value]
