"""Checked reading of TOML tables: each helper raises ConfigError naming the file and key."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import ConfigError


def no_unknown(table: dict[str, Any], allowed: set[str], path: Path, where: str) -> None:
    """Refuse any key of ``table`` not in ``allowed``."""
    for key in table:
        if key not in allowed:
            full = f"{where}.{key}" if where else key
            raise ConfigError(path, full, f"unknown key (known: {', '.join(sorted(allowed))})")


def get(table: dict[str, Any], key: str, kind: Any, default: Any, path: Path, where: str = "") -> Any:
    """``table[key]`` checked to be of ``kind``, or ``default`` when absent."""
    if key not in table:
        return default
    value = table[key]
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if kind == (int, float) and isinstance(value, bool):
        ok = False
    if not ok:
        names = {str: "a string", int: "a whole number", bool: "true or false", dict: "a table",
                 list: "a list"}
        expected = names.get(kind, "a number")
        full = f"{where}.{key}" if where else key
        raise ConfigError(path, full, f"expected {expected}, got {value!r}")
    return value


def required(table: dict[str, Any], key: str, path: Path, where: str) -> str:
    """A string key that must be present and not empty."""
    value = get(table, key, str, None, path, where)
    if not value:
        raise ConfigError(path, f"{where}.{key}", "missing (required)")
    return value


def commit_time(value: str, path: Path, key: str) -> str:
    """``author`` or ``committer``."""
    if value not in ("author", "committer"):
        raise ConfigError(path, key, f"expected \"author\" or \"committer\", got {value!r}")
    return value


def regex(value: str, path: Path, key: str) -> str:
    """A string that compiles as a regular expression."""
    try:
        re.compile(value)
    except re.error as exc:
        raise ConfigError(path, key, f"bad regular expression {value!r}: {exc}") from None
    return value


def str_map(value: dict[str, Any], path: Path, key: str) -> dict[str, str]:
    """A table whose values are all strings."""
    for k, v in value.items():
        if not isinstance(v, str):
            raise ConfigError(path, f"{key}.{k}", f"expected a string, got {v!r}")
    return dict(value)


def str_list(value: Any, path: Path, key: str) -> list[str]:
    """A list of strings."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(path, key, f"expected a list of strings, got {value!r}")
    return list(value)
