"""The site's file names: a name made safe for any file system and any URL, clashes impossible.

The rule (README, ``dora-tui site``):

- a name that is already *plain* is its own slug: lower-case ASCII letters and digits, with
  single ``-``, ``_`` or ``.`` between them (not first, not last), at most :data:`MAX_PLAIN`
  characters, not a device name Windows reserves (``con``, ``nul``, ``com1``...), and not
  ending in ``.html``, so that no slug is another name's page (``x.html`` is the page of
  ``x``: a file or folder named by the slug ``x.html`` would take its place);
  ``checkout`` stays ``checkout``, ``v1.4.2`` stays ``v1.4.2``;
- any other name keeps a readable part (lower-cased, every run of other characters turned
  into one ``-``, cut to :data:`MAX_PLAIN` characters) followed by ``--`` and the first
  :data:`HASH_CHARS` hex digits of the SHA-256 of the name's UTF-8 bytes:
  ``Checkout API`` is ``checkout-api--`` and ten hex digits.

A plain slug never holds ``--``, so it never equals a hashed one; two plain slugs of different
names differ even ignoring case (they are lower-case); two hashed ones differ by their hash.
:func:`slugs` checks the last point for the names of one site and gives the whole hash to
names whose short hashes meet, so even that cannot clash on a case-insensitive file system.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

MAX_PLAIN = 60
"""The longest slug kept as it is, and the longest readable part of a hashed one."""

HASH_CHARS = 10
"""Hex digits of the SHA-256 a hashed slug ends with."""

PAGE = ".html"
"""What a page's file name ends with; a plain slug never does (the module's rule)."""

_PLAIN = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")
_OTHER = re.compile(r"[^a-z0-9]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def is_plain(name: str) -> bool:
    """Whether ``name`` is its own slug (see the module's rule)."""
    return (
        len(name) <= MAX_PLAIN
        and _PLAIN.fullmatch(name) is not None
        and name.split(".", 1)[0] not in _RESERVED
        and not name.endswith(PAGE)
    )


def slug(name: str, hash_chars: int = HASH_CHARS) -> str:
    """The file-name part for ``name``: itself when plain, else a readable part, ``--`` and a hash."""
    if is_plain(name):
        return name
    readable = _OTHER.sub("-", name.lower())[:MAX_PLAIN].strip("-") or "x"
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{readable}--{digest[:hash_chars]}"


def slugs(names: Iterable[str]) -> dict[str, str]:
    """The slug of each of ``names``, unique even ignoring case (a short hash shared by two
    names gives both the whole hash)."""
    found = {name: slug(name) for name in set(names)}
    seen: dict[str, list[str]] = {}
    for name, value in found.items():
        seen.setdefault(value.casefold(), []).append(name)
    for clash in (group for group in seen.values() if len(group) > 1):
        for name in clash:
            found[name] = slug(name, 64)
    return found
