"""``init --update``: merge what the repositories tell into an existing config, losing nothing
a person wrote.

The file is read with tomlkit, which keeps every comment, blank line and key order; it must
load as a config first (a bad one is refused in one line, and left as it is). A service found
is matched to an entry by its repository and ``path``; an entry that matches is left exactly
as written, except that a ``team`` is filled in when it has none and one was found. Services
not yet in the file are appended with their source comments, and teams they name (and
catalog ``Group`` entities) not yet under ``[[teams]]`` are added. An entry whose repository
lies under the folders read but which is no longer found (or whose repository is gone) is
kept and reported, never deleted. Overrides, ``[[imports]]`` and every other key stay as they
are. The file is replaced whole or not at all; with nothing new it is not written.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Table

from dora_tui.config import load_file
from dora_tui.config.parse import parse
from dora_tui.core.inert import terminal
from dora_tui.errors import ConfigError, UsageError
from dora_tui.ops.init import InitResult, read_all, write_text
from dora_tui.ops.init.plan import gather, inert_tables, inert_value, service_table, team_table, unowned


def update_config(roots: list[Path], output: Path) -> InitResult:
    """Merge the repositories under ``roots`` into the config at ``output`` (module docstring)."""
    if not output.is_file():
        raise UsageError(f"{output}: no config to update (run `dora-tui init` without --update to write one)")
    cfg = load_file(output)  # a bad config: ConfigError naming the file and key
    try:
        source = output.read_text(encoding="utf-8-sig")
        # A last line with no line break ends where the tables added begin: end it first (else
        # tomlkit writes the first one on that line, and the file no longer reads).
        doc = tomlkit.parse(source if source.endswith("\n") or not source else source + "\n")
    except (TOMLKitError, UnicodeDecodeError, OSError) as exc:  # tomllib read it; say what tomlkit did not
        raise ConfigError(output, "", f"cannot be edited: {exc}") from None
    for name in ("teams", "services"):
        if name in doc and not isinstance(doc.get(name), AoT):
            raise ConfigError(
                output,
                name,
                f"is written inline; init --update adds [[{name}]] tables: write its entries as [[{name}]]",
            )
    base = output.resolve().parent
    findings = read_all(roots, base)
    known = {(s.repo.resolve(), s.path): s for s in cfg.services}
    matched: set[tuple[Path, str]] = set()
    filled: dict[str, str] = {}  # service -> the team filled in
    sources: dict[str, str] = {}  # a team filled in -> where it was found
    entries = doc.get("services")
    for found in findings:
        fresh = []
        for service in found.services:
            key = (service.repo.resolve(), service.path)
            if key not in known:
                fresh.append(service)
                continue
            matched.add(key)
            old = known[key]
            if old.team is None and service.team is not None and isinstance(entries, AoT):
                table = entries[old.index]
                table["team"] = inert_value(service.team)
                if service.team_note:
                    table["team"].comment(terminal(service.team_note))
                filled[old.name] = service.team
                sources.setdefault(service.team, f"{service.team_note} in {service.repo.name}")
        found.services = fresh
    plan = gather(findings, taken={s.name for s in cfg.services})
    named = set(plan.teams) | set(filled.values())
    have = {t.name for t in cfg.teams}
    new_teams = sorted(name for name in named if name not in have)
    _append(
        doc,
        "teams",
        inert_tables("teams", [team_table(n, *plan.teams.get(n, ("", sources.get(n, "")))) for n in new_teams]),
    )
    _append(doc, "services", inert_tables("services", [service_table(s, base) for s in plan.services]))
    roots_resolved = [r.resolve() for r in roots]
    vanished = [
        s.name
        for (repo, path), s in known.items()
        if (repo, path) not in matched and (not repo.exists() or any(repo.is_relative_to(r) for r in roots_resolved))
    ]
    added = [s.name for s in plan.services]
    summary = _summary(output, added, new_teams, filled, vanished)
    if added or new_teams or filled:
        text = tomlkit.dumps(doc)
        parse(tomllib.loads(text), output)  # what is written loads: else a bug, said before anything is written
        write_text(output, text)
    problems = plan.problems + unowned(plan)
    problems += [
        f"service {name}: no longer found under the folders read: kept, and `collect` stops at it until "
        "its repository is back or its entry is deleted by hand"
        for name in vanished
    ]
    return InitResult(output, added, problems, summary)


def _append(doc: tomlkit.TOMLDocument, key: str, tables: list[Table]) -> None:
    """Add ``tables`` to the array of tables ``key`` (made when there is none), each followed
    by a blank line."""
    if not tables:
        return
    for table in tables:
        table.add(tomlkit.nl())
    array = doc.get(key)
    if not isinstance(array, AoT):  # none yet (an inline array is refused before)
        array = tomlkit.aot()
        doc.add(key, array)
    for table in tables:
        array.append(table)


def _summary(output: Path, added: list[str], teams: list[str], filled: dict[str, str], vanished: list[str]) -> str:
    """One line saying what changed."""
    parts = []
    if added:
        parts.append(f"{_count(len(added), 'service')} added ({', '.join(added)})")
    if teams:
        parts.append(f"{_count(len(teams), 'team')} added ({', '.join(teams)})")
    if filled:
        parts.append(f"a team filled in for {', '.join(filled)}")
    if vanished:
        parts.append(f"{_count(len(vanished), 'service')} no longer found, kept ({', '.join(vanished)})")
    if not (added or teams or filled):
        return f"{output}: nothing new, not changed" + (f"; {parts[0]}" if parts else "") + "."
    return f"Updated {output}: " + "; ".join(parts) + "."


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


__all__ = ["update_config"]
