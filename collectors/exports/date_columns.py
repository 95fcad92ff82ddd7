"""Reading one time column of a CSV export (styles and rules: :mod:`collectors.exports.dates`).

A column is read in two steps. :meth:`ColumnDates.scan` takes all its values, splits each
distinct value into a date part and a time part (at the first space, or the ISO ``T``) and
reads each distinct *part* once: a year of minute-precision times has a few hundred dates
and at most 1,440 times of day, whatever the number of rows. Values that do not split that
way (``Tue Sep 03 2024 13:58:02 GMT+0000``) are read whole, once each. Scanning also
collects the day/month evidence of numeric dates. :meth:`ColumnDates.finish`, given the
order decided, prepares two maps, date part -> UTC seconds at local midnight (for days
whose UTC offset does not change) and time part -> seconds, so that :meth:`convert` of a
distinct value is a split, two look-ups and an addition; everything else (a DST-change day,
an offset in the value or in a row's offset column, a value read whole) takes the slow path.
:meth:`ColumnDates.convert_all` converts a whole column, each distinct value once.
A time outside :data:`MIN_TIME` .. :data:`MAX_TIME` converts to :data:`OUT`: the quick maps
hold only days well inside the range, so only the slow path checks a time.

A column of ISO 8601 times with offsets (``2024-09-03T07:41:12-07:00``) needs no order and
its values are nearly all distinct: :meth:`scan` reads every value with
``datetime.fromisoformat`` (the local part, and each distinct offset once: :func:`iso_seconds`)
and keeps the results for :meth:`convert_all` (checked against the range by the column's
smallest and largest, and only then value by value).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from itertools import compress, repeat
from operator import add, attrgetter, itemgetter, mul, sub
from typing import Final

from collectors.calendar import MAX_TIME, MIN_TIME
from collectors.exports.date_formats import split_format, strptime_day, strptime_rest, strptime_value
from collectors.exports.date_order import Evidence, note_order
from collectors.exports.dates import (
    NULLS,
    Day,
    Localizer,
    numeric_day,
    parse_date_token,
    parse_rest,
    parse_value,
    separator,
    split_value,
)

BAD = -(2**63)
"""What :meth:`ColumnDates.convert` returns for a value it cannot read."""
OUT = BAD + 1
"""What :meth:`ColumnDates.convert` returns for a time outside :data:`MIN_TIME` .. :data:`MAX_TIME`."""

RANGE_TEXT = "times must fall between 0001-01-02 and 9999-12-30 in UTC"
"""The rule, as a bad row's message says it."""
_FIRST_SAFE_DAY, _LAST_SAFE_DAY = MIN_TIME // 86400 + 1, MAX_TIME // 86400 - 1
"""Local days (since the epoch) between which every time, at any offset under a day, is in range."""

_FIRST = itemgetter(0)
_TZINFO = attrgetter("tzinfo")
_LAST = itemgetter(2)


class _Mark(enum.Enum):
    """What :attr:`ColumnDates._whole` holds beside a value's reading (None: it does not read)."""

    EMPTY = "a value that means no time"
    MISSING = "a value not read whole"


_EMPTY: Final = _Mark.EMPTY
_MISSING: Final = _Mark.MISSING


_EPOCH = datetime(1970, 1, 1)
_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=UTC)
_HEAD = itemgetter(slice(0, 19))
_TAIL = itemgetter(slice(19, None))
_AT_19 = itemgetter(19)
_DAYS = attrgetter("days")
_SECONDS = attrgetter("seconds")


def iso_seconds(col: Sequence[str]) -> list[int] | None:
    """UTC seconds of ``col``, ISO 8601 times that each carry an offset; None if one does not.

    Values shaped ``YYYY-MM-DDTHH:MM:SS`` + offset (what the tools write) take the quick way:
    ``fromisoformat`` reads the 19-character local part, a timedelta from the epoch gives its
    seconds, and each distinct offset (a handful per file) is read once and subtracted.
    Subtracting aware datetimes calls ``utcoffset`` per value and takes most of the time of
    ``datetime.timestamp``. Any other shape (and an offset with a fraction of a second) is
    read whole.
    """
    shift = _quick_offsets(col)
    try:
        if shift is not None:
            local = list(map(sub, map(datetime.fromisoformat, map(_HEAD, col)), repeat(_EPOCH)))
        else:
            moments = list(map(datetime.fromisoformat, col))
            if None in map(_TZINFO, moments):
                return None
            local = list(map(sub, moments, repeat(_EPOCH_UTC)))
    except (ValueError, TypeError):  # TypeError: a local part with an offset of its own
        return None
    seconds = list(map(add, map(mul, map(_DAYS, local), repeat(86400)), map(_SECONDS, local)))
    if shift is None:
        return seconds
    return list(map(sub, seconds, map(shift.__getitem__, map(_TAIL, col))))


def _quick_offsets(col: Sequence[str]) -> dict[str, int] | None:
    """Seconds of each distinct offset after the 19th character of ``col``'s values, or None
    when a value does not end that way in whole seconds (see :func:`iso_seconds`)."""
    try:
        if not set(map(_AT_19, col)) <= {"+", "-", "Z"}:
            return None
        offsets = {t: datetime.fromisoformat("2000-01-01T00:00:00" + t).utcoffset() for t in set(map(_TAIL, col))}
    except (IndexError, ValueError):  # IndexError: a value shorter than 20 characters
        return None
    shift = {}
    for tail, off in offsets.items():
        if off is None or off.microseconds:
            return None
        shift[tail] = off.days * 86400 + off.seconds
    return shift


class ColumnDates:
    """The times of one column: :meth:`scan`, then :meth:`finish`, then :meth:`convert_all`
    (or :meth:`convert` per value).

    After :meth:`scan`: ``evidence`` (day/month order), ``readable`` (some value reads),
    ``unreadable_example`` (a value that does not), ``example_rest`` (a time part, for the
    ``--date-format`` hint), ``date_only`` (its values are dates without a time, read as
    midnight where the import reads naive times).
    """

    def __init__(self, name: str, date_format: str = "") -> None:
        self.name = name
        self.date_format = date_format
        self.evidence = Evidence()
        self.readable = False
        self.unreadable_example: str | None = None
        self.example_rest = ""
        self.date_only = False
        self.sep = " "
        self.base: dict[str, int] = {}
        self.secs: dict[str, int] = {}
        self._days: dict[str, Day | None] = {}
        self._day_int: dict[str, int | None] = {}
        self._rests: dict[str, tuple[int, int | None] | None] = {}
        self._whole: dict[str, tuple[Day, int, int | None] | _Mark | None] = {}
        self._order: str | None = None
        self._localize: Localizer | None = None
        self._fmt_split = split_format(date_format) if date_format else None
        self._iso_rows: tuple[Sequence[str], Sequence[int | None]] | None = None  # see _scan_iso
        self._iso: dict[str, int | None] | None = None

    def scan(self, values: Iterable[str]) -> None:
        """Read the column's ``values`` (all rows; repeats and empty values are fine)."""
        if not isinstance(values, (list, tuple)):
            values = list(values)
        # Empty cells (an open incident's resolution) say nothing about the column's style:
        # leaving them in would add an offset-less "" time part and lose the fast path.
        col = list(filter(None, values))
        if not col:
            return
        first = col[0]
        fmt = self.date_format
        if fmt and self._fmt_split is None:
            for v in dict.fromkeys(col):
                if v:
                    self._read_whole(v)
            return
        self.sep = sep = " " if fmt else separator(first.strip())
        if not fmt and sep == "T" and self._scan_iso(values, len(col) == len(values)):
            return
        # Distinct date parts and time parts, without a per-value Python step.
        dates = set(map(_FIRST, map(str.partition, col, repeat(sep))))
        rests = set(map(_LAST, map(str.partition, col, repeat(sep))))
        dates.discard("")  # empty values, or a value starting with a space (read whole below)
        if self._fmt_split is not None:
            head, tail = self._fmt_split
            days: dict[str, Day | None] = {d: strptime_day(d, head) for d in dates}
            self._rests = {r: strptime_rest(r, tail) for r in rests}
        else:
            days = {d: parse_date_token(d) for d in dates}
            self._rests = {r: parse_rest(r) for r in rests}
        self._days = days
        bad_days = {d for d, x in days.items() if x is None}
        bad_rests = {r for r, x in self._rests.items() if x is None}
        if bad_days or bad_rests or first[:1].isspace():
            for v in dict.fromkeys(col):  # distinct, in file order (for stable examples)
                if v:
                    d, _, r = v.partition(sep)
                    if not d or d in bad_days or r in bad_rests:
                        self._read_whole(v)
        numeric = {d: x for d, x in days.items() if isinstance(x, tuple)}
        if numeric:  # note the evidence in file order, so messages show the first example
            for d in dict.fromkeys(map(_FIRST, map(str.partition, col, repeat(sep)))):
                parts = numeric.get(d)
                if parts is not None:
                    note_order(parts, d.strip().rstrip(","), self.evidence)
        good_rests = [r for r in rests if r not in bad_rests]
        if len(bad_days) < len(days) and good_rests:
            self.readable = True
            self.example_rest = max(good_rests, key=len).strip()
            self.date_only = not fmt and not self.example_rest  # dates without a time: midnight

    def _scan_iso(self, values: Sequence[str], full: bool) -> bool:
        """Read a column of ISO 8601 times that all carry an offset, every value, in C.

        The common export style (``2024-09-03T07:41:12-07:00``): its values are nearly all
        distinct, so reading each distinct value (or part) once would not help; each row's
        value is read, and the results kept for :meth:`convert_all` of the same column.
        ``full``: no value is empty. True when every value read.
        """
        filled = None if full else list(map(bool, values))
        col = values if filled is None else list(compress(values, filled))
        seconds = iso_seconds(col)
        if seconds is None:
            return False
        if seconds and (min(seconds) < MIN_TIME or max(seconds) > MAX_TIME):
            seconds = [t if MIN_TIME <= t <= MAX_TIME else OUT for t in seconds]
        stamps: Sequence[int | None] = seconds
        if filled is not None:  # None where the value is empty
            read = iter(seconds)
            stamps = [next(read) if f else None for f in filled]
        self._iso_rows = (values, stamps)
        self.readable = True
        return True

    def _read_whole(self, value: str) -> None:
        text = value.strip()
        if text.lower() in NULLS:
            self._whole[value] = _EMPTY
            return
        got = strptime_value(text, self.date_format) if self.date_format else parse_value(text)
        self._whole[value] = got
        if got is None:
            self.unreadable_example = self.unreadable_example or text
            return
        self.readable = True
        if isinstance(got[0], tuple):
            note_order(got[0], split_value(text)[0], self.evidence)

    def finish(self, order: str | None, localize: Localizer, row_offsets: bool = False) -> None:
        """Fix the day/month ``order`` and prepare :meth:`convert`.

        ``row_offsets``: the file has a per-row offset column, so naive values must go
        through the slow path, which applies it.
        """
        self._order, self._localize = order, localize
        days: dict[str, int | None] = {}
        for d, x in self._days.items():
            days[d] = numeric_day(x, order) if isinstance(x, tuple) else x
        self._day_int = days
        good = {r: x for r, x in self._rests.items() if x is not None}
        if row_offsets or not good:
            return
        # Only days well inside the range take the quick way; the others' times are checked.
        if all(off is not None for _, off in good.values()):
            self.base = {
                d: x * 86400 for d, x in days.items() if x is not None and _FIRST_SAFE_DAY <= x <= _LAST_SAFE_DAY
            }
            self.secs = {r: s - off for r, (s, off) in good.items() if off is not None}  # (all are)
            return
        for d, x in days.items():
            if x is not None and _FIRST_SAFE_DAY <= x <= _LAST_SAFE_DAY:
                off = localize.day_offset(x)
                if off is not None:
                    self.base[d] = x * 86400 - off
        self.secs = {r: s for r, (s, off) in good.items() if off is None}

    def convert_all(self, values: Sequence[str]) -> Sequence[int | None]:
        """:meth:`convert` of each of ``values`` (scanned values), each distinct value once."""
        if self._iso_rows is not None and values is self._iso_rows[0]:
            return self._iso_rows[1]  # read by scan()
        table = {v: self.convert(v) for v in set(values)}
        return list(map(table.__getitem__, values))

    def convert(self, value: str, row_offset: int | None = None) -> int | None:
        """UTC seconds for ``value`` (one of the scanned values); None when empty, :data:`BAD`
        when it does not read, :data:`OUT` when it is out of range."""
        if not value:
            return None
        if self._iso_rows is not None:
            if self._iso is None:
                self._iso = dict(zip(*self._iso_rows))
            return self._iso.get(value, BAD)
        d, _, r = value.partition(self.sep)
        b = self.base.get(d)
        if b is not None:
            s = self.secs.get(r)
            if s is not None:
                return b + s
        w = self._whole.get(value, _MISSING)
        if w is _MISSING:
            day = self._day_int.get(d)
            rest = self._rests.get(r)
            if day is None or rest is None:
                return BAD
            secs, off = rest
        elif w is _EMPTY:
            return None
        elif w is None:
            return BAD
        else:
            parts, secs, off = w
            day = numeric_day(parts, self._order) if isinstance(parts, tuple) else parts
            if day is None:
                return BAD
        naive = day * 86400 + secs
        if off is None:
            off = row_offset
        if off is not None:
            t = naive - off
        else:
            assert self._localize is not None, "finish() first"
            t = self._localize(naive)
        return t if MIN_TIME <= t <= MAX_TIME else OUT
