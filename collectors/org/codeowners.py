"""GitHub CODEOWNERS files: who owns a folder of a repository.

The file is the first of ``.github/CODEOWNERS``, ``CODEOWNERS``, ``docs/CODEOWNERS`` (the
order GitHub looks in). A UTF-8 byte-order mark at its start (as some Windows editors write)
is no part of its first line. Each line is a pattern and its owners; ``#`` starts a comment (at
the start of a line, or after a space), ``\\#`` is a literal ``#``, and a rule with no owner
leaves its paths without one. Patterns follow gitignore's rules as GitHub applies them: a
pattern with a ``/`` at its start or in its middle is anchored at the top folder, one without
matches at any depth; ``*`` and ``?`` stay within a folder, ``**`` crosses folders; a pattern
that matches a folder matches everything in it, except one ending in a lone ``*``, which
matches the files directly in its folder and not the folders in them (GitHub: ``docs/*``
matches ``docs/getting-started.md``, not ``docs/build-app/troubleshooting.md``; ``/*`` the
top folder's files); a trailing ``/`` matches folders only (``apps/`` an ``apps`` folder at
any depth, ``/build/logs/`` that one and everything below it); ``/`` alone matches nothing.
The last matching rule wins.

The owner of a *folder* (a service's ``path``) is the last rule matching a file directly in
it whose name no extension pattern would match (so ``*`` and ``/services/`` match,
``*.js`` does not). ``@org/team`` owners are teams (named ``team``); ``@user`` and e-mail
owners are people. An ``@org/team`` owner is a team only when both names are there and hold no
whitespace and no further ``/`` (as GitHub's team slugs): ``@acme/`` (no team name),
``@acme/\\ `` (an escaped space), ``@/team`` or ``@acme/web/`` names no team, and the rule's
next owner that is one is taken; a rule with none leaves its paths with no team owner (it still
wins over the rules before it, as a rule naming people does).
"""

from __future__ import annotations

import re
from functools import cache

from collectors.org.globs import glob_regex
from collectors.org.records import CodeOwners, OwnerRule

LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
"""Where GitHub looks for the file, in its order."""
_PROBE = "\x00"  # a file name no pattern but a wildcard matches
_NOTHING = re.compile("(?!)")  # the pattern "/" names no path


def pick(files: set[str] | list[str]) -> str | None:
    """The CODEOWNERS file GitHub would use among ``files``, or ``None``."""
    known = set(files)
    return next((name for name in LOCATIONS if name in known), None)


def parse(file: str, text: str) -> CodeOwners:
    """The rules of a CODEOWNERS file (``file`` names it in what is said about it)."""
    rules: list[OwnerRule] = []
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        tokens = _tokens(line)
        if tokens:
            rules.append(OwnerRule(number, tokens[0], tuple(tokens[1:])))
    return CodeOwners(file, tuple(rules))


def _tokens(line: str) -> list[str]:
    """A line's words: whitespace-separated, ``\\`` escaping the next character, a ``#``
    at the start of a word ending the line."""
    words: list[str] = []
    current: list[str] = []
    escaped = False
    started = False
    for char in line:
        if escaped:
            current.append(char)
            escaped, started = False, True
        elif char == "\\":
            escaped = True
        elif char in " \t":
            if started:
                words.append("".join(current))
                current, started = [], False
        elif char == "#" and not started:
            break
        else:
            current.append(char)
            started = True
    if started:
        words.append("".join(current))
    return words


def owner_rule(owners: CodeOwners, folder: str) -> OwnerRule | None:
    """The last rule matching ``folder`` (module docstring), or ``None``."""
    probe = f"{folder}/{_PROBE}" if folder else _PROBE
    found: OwnerRule | None = None
    for rule in owners.rules:
        if _compile(rule.pattern).fullmatch(probe):
            found = rule
    return found


def team_of(rule: OwnerRule) -> str | None:
    """The first team among a rule's owners (``@org/team`` gives ``team``; one with an empty
    or blank name is none: module docstring), or ``None``."""
    for owner in rule.owners:
        if owner.startswith("@") and "/" in owner:
            org, _, team = owner[1:].partition("/")
            if _is_name(org) and _is_name(team):
                return team
    return None


def _is_name(text: str) -> bool:
    """True when ``text`` can name a team or an organization: some characters, none of them
    whitespace or ``/`` (module docstring)."""
    return bool(text) and "/" not in text and not any(char.isspace() for char in text)


@cache
def _compile(pattern: str) -> re.Pattern[str]:
    """A CODEOWNERS pattern as a regular expression over file paths (module docstring)."""
    body = pattern.strip("/")
    if not body:
        return _NOTHING
    anchored = pattern.startswith("/") or "/" in body
    start = "" if anchored else "(?:.*/)?"
    if pattern.endswith("/"):
        end = "/.*"  # a folder's files, at any depth
    elif body == "*" or body.endswith("/*"):
        end = ""  # files directly in the folder, not in the folders inside it
    else:
        end = "(?:/.*)?"  # a file, or a folder and everything in it
    return re.compile(start + glob_regex(body) + end, re.DOTALL)
