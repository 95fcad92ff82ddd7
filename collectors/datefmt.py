"""Reading times with the user's own ``--date-format`` (strptime codes), for exports whose
dates follow a person's settings (ServiceNow, Azure DevOps). See :mod:`collectors.dates` for
the built-in styles."""

from __future__ import annotations

import re
from datetime import datetime

_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()
_DATE_CODES = set("dmyYbBjaAe")
_TIME_CODES = set("HIMSpfzZ")


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
    return (dt.toordinal() - _EPOCH_ORDINAL, dt.hour * 3600 + dt.minute * 60 + dt.second,
            None if off is None else int(off.total_seconds()))
