"""Path globs as regular expressions, as CODEOWNERS and Backstage ``Location`` targets write them."""

from __future__ import annotations

import re

_PARTS = re.compile(r"(\*\*/|/\*\*|\*\*|\*|\?)")


def glob_regex(pattern: str) -> str:
    """``pattern`` as the text of a regular expression over ``/``-separated paths: ``**/`` any
    folders or none, ``/**`` anything below or nothing, ``**`` anything, ``*`` and ``?`` within
    one name; everything else literal."""
    out = []
    for part in _PARTS.split(pattern):
        if part == "**/":
            out.append("(?:.*/)?")
        elif part == "/**":
            out.append("(?:/.*)?")
        elif part == "**":
            out.append(".*")
        elif part == "*":
            out.append("[^/]*")
        elif part == "?":
            out.append("[^/]")
        else:
            out.append(re.escape(part))
    return "".join(out)
