"""Reading one value of an item: an object, a string, a time; :class:`Bad` when a reader cannot."""

from __future__ import annotations

from datetime import datetime, tzinfo

from collectors.calendar import MAX_TIME, MIN_TIME


class Bad(Exception):
    """An item its reader cannot take: ``str(error)`` says why (a field missing or unreadable)."""


def obj(value: object, what: str) -> dict[str, object]:
    """``value`` when it is an object; an empty one for a missing value (``null``); else Bad."""
    if isinstance(value, dict):
        return value
    if value is None:
        return {}
    raise Bad(f"{what} is not an object")


def text(value: object, what: str) -> str:
    """``value`` when it is a string that is not empty; Bad otherwise."""
    if isinstance(value, str) and value:
        return value
    raise Bad(f"no {what}" if value is None or value == "" else f"{what} is not a string")


def optional_text(value: object, what: str) -> str:
    """``value`` when it is a string, '' for a missing one (``null``); Bad for any other type
    (a list or an object is never stored as its Python text)."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    raise Bad(f"{what} is not a string")


def flag(value: object, what: str) -> bool:
    """``value`` when it is ``true`` or ``false``, False for a missing one; Bad otherwise
    (``"yes"`` is not read as true)."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    raise Bad(f"{what} is not true or false")


def moment(value: object, what: str, tz: tzinfo) -> int:
    """The time ``value`` (an ISO 8601 / RFC 3339 string; without an offset, in ``tz``) in
    seconds since the epoch, UTC; Bad when missing, unreadable or out of the range kept."""
    raw = text(value, what)
    try:
        when = datetime.fromisoformat(raw)
        if when.tzinfo is None:
            when = when.replace(tzinfo=tz)
        seconds = int(when.timestamp())
    except ValueError:
        raise Bad(f"{what} {raw!r} is not a time") from None
    except OverflowError:
        seconds = MIN_TIME - 1
    if not MIN_TIME <= seconds <= MAX_TIME:
        raise Bad(f"{what} {raw!r} is out of range")
    return seconds


def whole(value: object, what: str) -> int:
    """``value`` as a whole number 0 or above (a JSON number, or digits in a string); Bad otherwise."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    raise Bad(f"no {what}" if value is None or value == "" else f"{what} {value!r} is not a whole number")


def name_of(item: object, *path: str) -> str:
    """The string at ``path`` in ``item`` (``"metadata", "name"``), for naming the item in a
    message; '' when there is none."""
    value = item
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) else "" if value is None else str(value)
