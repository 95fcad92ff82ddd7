"""Reading times with the user's own ``--date-format`` (strptime codes), for exports whose
dates follow a person's settings (ServiceNow, Azure DevOps). See :mod:`collectors.exports.dates` for
the built-in styles."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()
_SAMPLE = datetime(2024, 9, 3, 7, 41, 12, tzinfo=UTC)  # day and month tell apart
_DATE_CODES = set("dmyYbBjaAe")
_TIME_CODES = set("HIMSpfzZ")


def format_problem(fmt: str) -> str | None:
    """What is wrong with strptime codes ``fmt`` (a phrase starting with ``fmt`` quoted), or
    None when they read dates.

    Checked once where a format is given (``--date-format``, an entry's ``date_format``), so
    that reading never meets a format that cannot work. A format must read back a time it
    writes, and give a whole date: a code given twice (``%d %d``, which strptime cannot
    compile), an unknown code (``%Q``, ``%-d``), a stray ``%``, or a format with no year,
    month or day (every value would read as a day of 1900) is refused.
    """
    try:
        text = _SAMPLE.strftime(fmt)
        got = datetime.strptime(text, fmt)
    except re.error as exc:  # a group defined twice: the same code, or one inside %c, %x, %X
        code = re.search(r"group name '(\w+)'", str(exc))
        twice = f"%{code[1]}" if code else "a code"
        return f"{fmt!r} cannot be read: {twice} is given twice"
    except ValueError as exc:  # a bad directive, a stray %, %G without %V...
        return f"{fmt!r} cannot be read: {str(exc).replace(f' in format {fmt!r}', '')}"
    if (got.year, got.month, got.day) != (_SAMPLE.year, _SAMPLE.month, _SAMPLE.day):
        return f"{fmt!r} does not read a whole date (it needs a year, a month and a day, e.g. %Y-%m-%d %H:%M)"
    return None


def format_codes(fmt: str) -> set[str]:
    """The strptime code letters used in ``fmt``."""
    return set(re.findall(r"%(.)", fmt.replace("%%", "")))


def split_format(fmt: str) -> tuple[str, str] | None:
    """``fmt`` as (date codes, time codes) when it splits at its first space that way, else None."""
    head, _, tail = fmt.strip().partition(" ")
    if format_codes(head) <= _DATE_CODES and format_codes(tail) <= _TIME_CODES:
        return head, tail.strip()
    return None


def strptime_day(text: str, fmt: str) -> int | None:
    """Days since the epoch of date text read with strptime ``fmt``, or None."""
    try:
        return datetime.strptime(text.strip(), fmt).toordinal() - _EPOCH_ORDINAL
    except ValueError:
        return None


def strptime_rest(text: str, fmt: str) -> tuple[int, int | None] | None:
    """(seconds after midnight, offset or None) of time text read with strptime ``fmt``, or None."""
    text = text.strip()
    if not fmt:
        return (0, None) if not text else None
    try:
        t = datetime.strptime(text, fmt)
    except ValueError:
        return None
    off = t.utcoffset()
    return t.hour * 3600 + t.minute * 60 + t.second, None if off is None else int(off.total_seconds())


def strptime_value(text: str, fmt: str) -> tuple[int, int, int | None] | None:
    """(day, seconds, offset or None) of a whole value read with strptime ``fmt``, or None."""
    try:
        dt = datetime.strptime(text.strip(), fmt)
    except ValueError:
        return None
    off = dt.utcoffset()
    return (
        dt.toordinal() - _EPOCH_ORDINAL,
        dt.hour * 3600 + dt.minute * 60 + dt.second,
        None if off is None else int(off.total_seconds()),
    )
