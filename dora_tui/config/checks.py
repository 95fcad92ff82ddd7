"""Checked reading of a TOML file and its tables: each helper raises ConfigError naming the
file and key."""

from __future__ import annotations

import math
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from dora_tui.config.model import compile_regex
from dora_tui.errors import ConfigError

MAX_CONFIG_BYTES = 16 * 1024 * 1024  # far above any config; a bigger file is another file


def read(path: Path) -> dict[str, Any]:
    """The TOML document in the file at ``path``: UTF-8, with or without a BOM.

    Whatever is wrong with the file itself (not readable, a folder, too big, text in
    another encoding, not TOML, nested too deeply for the parser) is one ConfigError naming it.
    """
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except IsADirectoryError:
        raise ConfigError(path, "", "is a folder, not a config file") from None
    except OSError as exc:
        raise ConfigError(path, "", f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(path, "", f"is over {MAX_CONFIG_BYTES // 2**20} MB: not a config file")
    try:
        data = tomllib.loads(_config_text(raw, path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", f"not valid TOML: {exc}") from None
    except ValueError:  # int(): a whole number of thousands of digits (Python's limit)
        raise ConfigError(path, "", "not valid TOML: a whole number with too many digits") from None
    except RecursionError:
        raise ConfigError(path, "", "not valid TOML: arrays or tables nested too deeply") from None
    return data


def _config_text(raw: bytes, path: Path) -> str:
    """The text of a config file's bytes (UTF-8; a BOM, as Windows editors write it, is dropped)."""
    for bom, name in (
        (b"\xff\xfe\x00\x00", "UTF-32"),
        (b"\x00\x00\xfe\xff", "UTF-32"),
        (b"\xff\xfe", "UTF-16"),
        (b"\xfe\xff", "UTF-16"),
    ):
        if raw.startswith(bom):
            raise ConfigError(path, "", f"is {name} text; save it as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(
            path, "", f"is not UTF-8 text (line {line}: byte 0x{raw[exc.start]:02x}); save it as UTF-8"
        ) from None


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
        names = {str: "a string", int: "a whole number", bool: "true or false", dict: "a table", list: "a list"}
        expected = names.get(kind, "a number")
        full = f"{where}.{key}" if where else key
        raise ConfigError(path, full, f"expected {expected}, got {value!r}")
    return value


def number(
    table: dict[str, Any],
    key: str,
    default: int | float,
    path: Path,
    where: str = "",
    *,
    low: int | float,
    high: int | float | None = None,
    whole: bool = False,
    why: str = "",
) -> Any:
    """``table[key]``, a number checked for range, or ``default`` when absent.

    ``whole``: a whole number from ``low`` to ``high``. Otherwise a finite number above ``low``
    (and at most ``high``): TOML's ``nan`` (false in every comparison, so no ``<= 0`` test
    catches it) and ``inf`` are refused. ``why`` says why ``low``, in the message of a value
    below it.
    """
    value = get(table, key, int if whole else (int, float), default, path, where)
    if whole:
        ok = low <= value and (high is None or value <= high)
        limits = f"from {low} to {high}" if high is not None else f"at least {low}"
        expected = f"must be {limits}"
    else:
        try:
            finite = math.isfinite(value)
        except OverflowError:  # a whole number too big for a float
            finite = False
        ok = finite and value > low and (high is None or value <= high)
        expected = f"must be a finite number above {low}" + (f" and at most {high}" if high is not None else "")
    if not ok:
        full = f"{where}.{key}" if where else key
        note = f" ({why})" if why and not value >= low else ""  # why it may not be so low
        raise ConfigError(path, full, f"{expected}, got {value!r}{note}")
    return value


def required(table: dict[str, Any], key: str, path: Path, where: str) -> str:
    """A string key that must be present and not empty."""
    value: str | None = get(table, key, str, None, path, where)
    if not value:
        raise ConfigError(path, f"{where}.{key}", "missing (required)")
    return value


def expand(text: str | os.PathLike[str], path: Path, key: str) -> Path:
    """``text``, a path given by the user, with a leading ``~`` expanded (as a shell does: not
    in ``./~name``, which names a folder ``~name``); ConfigError for an unknown ``~user``."""
    if not os.fspath(text).startswith("~"):  # Path("./~x") drops the "./": look at the text
        return Path(text)
    try:
        return Path(text).expanduser()
    except RuntimeError:
        raise ConfigError(path, key, f"no home folder for {Path(text).parts[0]!r}") from None


def config_folder(path: Path) -> Path:
    """The folder a config file's relative paths (``database``, ``repo``, ``file``) are read
    from: the one holding ``path`` as it is named, made absolute. For a config that is a link,
    the link's own folder, not its target's: what ``init`` writes is read back from there."""
    return path.parent.resolve()


def path_text(target: Path, folder: Path) -> str:
    """``target`` as written in a config whose relative paths are read from ``folder``, so that
    :func:`file_path` reads it back as ``target``: relative to ``folder``, and with ``./`` in
    front when its first part starts with ``~`` (``~root`` would be read as a home folder)."""
    text = os.path.relpath(target, folder)
    return f"./{text}" if text.startswith("~") else text


def file_path(text: str, base: Path, path: Path, key: str) -> Path:
    """The absolute path a config value names: ``~`` expanded, relative to ``base``, links
    followed; ConfigError naming ``key`` when it cannot be (a NUL, an unknown ``~user``, a
    loop of links)."""
    if "\x00" in text:
        raise ConfigError(path, key, f"{text!r}: a path cannot hold a NUL character")
    try:
        return (base / expand(text, path, key)).resolve()
    except RuntimeError:  # Python < 3.13 reports a loop of links so
        raise ConfigError(path, key, f"{text!r}: a loop of symbolic links") from None


def choice(value: str, allowed: tuple[str, ...], path: Path, key: str) -> str:
    """One of ``allowed``."""
    if value not in allowed:
        raise ConfigError(path, key, f"expected one of {', '.join(repr(a) for a in allowed)}, got {value!r}")
    return value


def commit_time(value: str, path: Path, key: str) -> str:
    """``author`` or ``committer``."""
    if value not in ("author", "committer"):
        raise ConfigError(path, key, f'expected "author" or "committer", got {value!r}')
    return value


def regex(value: str, path: Path, key: str) -> str:
    """A string that compiles as a regular expression."""
    try:
        compile_regex(value)
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
