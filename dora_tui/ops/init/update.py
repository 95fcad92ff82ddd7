"""``init --update``: merge what the repositories tell into an existing config, losing nothing
a person wrote.

The file must load as a config first (a bad one is refused in one line, and left as it is).
A service found is matched to an entry by its repository and ``path``; an entry that matches
is left exactly as written, except that a ``team`` is filled in when it has none and one was
found. Where several entries name one repository and ``path``, the team goes to the one named
as the service found; when none is, it goes to none of them (which one it belongs to is not
guessed) and a line says so. Services not yet in the file are added with their source comments, and teams they name
(and catalog ``Group`` entities) not yet under ``[[teams]]`` are added. An entry that no
service found matches is kept and reported, never deleted: its repository is gone, or is no
git repository init found under the folders read, or was read but now shows other services
(named: the person decides whether they replace it), or could not be read by git (listed with
git's line, :func:`~dora_tui.ops.init.read_all`: its entries are kept, each said). Overrides,
``[[imports]]`` and every other key stay as they are. Services or teams written inline
(``services = [...]``) are read as they are: the file is refused in one line, and left as it
is, only when something has to be written into that array (an entry to add, a team to fill
in: :func:`_inline_services`).

The file is not rewritten from a parsed document (tomlkit gathers an array's tables that
other tables split, and moves the comments between them): what is added is put into the text
as written, and every line a person wrote stays as it was and where it was. A ``[[teams]]``
or ``[[services]]`` entry added goes after the last one of its kind (else at the end of the
file), before the comments that introduce the table after it; a ``team`` filled in goes
after the last key of its table, before the comments under it. The result must read back as the
file read before plus exactly what was added, else nothing is written. The file is replaced
whole or not at all; with nothing new it is not written.
"""

from __future__ import annotations

import codecs
import os
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import Table

from collectors.org.backstage import team_names
from dora_tui.config import config_folder, load_file
from dora_tui.config.model import Service
from dora_tui.config.parse import parse
from dora_tui.core.inert import document as inert_document
from dora_tui.core.inert import terminal
from dora_tui.core.wording import counted
from dora_tui.errors import ConfigError, DoraError, UsageError
from dora_tui.ops.init import InitResult, read_all, refuse_folder, write_text
from dora_tui.ops.init.discover import identity
from dora_tui.ops.init.plan import gather, service_table, team_table, unowned
from dora_tui.ops.init.repository import Found, repo_name
from dora_tui.ops.init.toml_text import TableText, splice, tables


def update_config(roots: list[Path], output: Path) -> InitResult:
    """Merge the repositories under ``roots`` into the config at ``output`` (module docstring)."""
    refuse_folder(output, "the config file in it to update")
    if not output.is_file():
        raise UsageError(f"{output}: no config to update (run `dora-tui init` without --update to write one)")
    cfg = load_file(output)  # a bad config: ConfigError naming the file and key
    try:
        raw = output.read_bytes()
        text = raw.decode("utf-8-sig")
    except (UnicodeDecodeError, OSError) as exc:  # read a moment ago: it changed since
        raise ConfigError(output, "", f"cannot be read again: {exc}") from None
    before = tomllib.loads(text)
    written = tables(text)
    inline = {name for name in ("teams", "services") if name in before and not _tabled(written, name)}
    entries = [t for t in written if t.name == ("services",) and t.array]
    base = config_folder(output)
    findings = read_all(roots, base)
    known: dict[tuple[Path, str], list[Service]] = {}  # the entries of each repository and path
    for entry in cfg.services:
        known.setdefault((_repository(entry.repo), entry.path), []).append(entry)
    seen = {_repository(found.repo): list(found.services) for found in findings}
    matched: set[tuple[Path, str]] = set()
    fills: list[tuple[Service, Found]] = []  # an entry without a team, and the service found with one
    unsure: list[tuple[list[Service], Found]] = []  # entries of one path, none of them the service's
    for found in findings:
        fresh = []
        for service in found.services:
            key = (_repository(service.repo), service.path)
            if key not in known:
                fresh.append(service)
                continue
            matched.add(key)
            chosen = _entry(known[key], service.name)
            if service.team is None:
                continue
            given = {e.team.lower() for e in known[key] if e.team is not None}
            if chosen is None and service.team.lower() not in given and any(e.team is None for e in known[key]):
                unsure.append((known[key], service))  # one of them given the team already: nothing to tell
            elif chosen is not None and chosen.team is None:
                fills.append((chosen, service))
        found.services = fresh
    have = [t.name for t in cfg.teams]
    plan = gather(findings, taken={s.name for s in cfg.services}, teams=have)
    spelled = team_names([*have, *plan.teams], [service.team or "" for _, service in [*fills, *unsure]])
    untold = [_untold(entries, service, spelled[service.team or ""], base) for entries, service in unsure]
    if "services" in inline:  # read as it is while nothing is added to it or filled in
        _inline_services(output, bool(plan.services), [(old.name, spelled[s.team or ""]) for old, s in fills])
    filled: dict[str, str] = {}  # service -> the team filled in
    sources: dict[str, str] = {}  # a team filled in -> where it was found
    inserts: list[tuple[int, str, bool]] = []  # (offset, text, set apart by blank lines)
    after = tomllib.loads(text)  # what the file must read as once written
    for old, service in fills:
        team = spelled[service.team or ""]
        inserts.append((entries[old.index].keys_end, _team_line(team, service.team_note), False))
        after["services"][old.index]["team"] = team
        filled[old.name] = team
        sources.setdefault(team, f"{service.team_note} in {repo_name(service.repo)}")
    named = set(plan.teams) | set(filled.values())
    new_teams = sorted(name for name in named if name not in have)
    for kind, added_tables in (
        ("teams", [team_table(n, *plan.teams.get(n, ("", sources.get(n, "")))) for n in new_teams]),
        ("services", [service_table(s, base) for s in plan.services]),
    ):
        if added_tables:
            if kind in inline:  # `teams = []`: read as it is while nothing is added to it
                _refuse_inline(output, kind)
            chunk = _entries(kind, added_tables)
            last = [t.end for t in written if t.name == (kind,) and t.array]
            inserts.append((last[-1] if last else len(text), chunk, True))
            after.setdefault(kind, []).extend(tomllib.loads(chunk)[kind])
    unread = {_repository(repo) for repo in findings.unread}
    gone, beside, not_read, kept = _kept(known, matched, seen, unread, roots, base)
    added = [s.name for s in plan.services]
    summary = _summary(output, added, new_teams, filled, gone, beside, not_read)
    if inserts:
        new_text = splice(text, inserts)
        _reads_as(new_text, after, output)
        write_text(output, ("\ufeff" if raw.startswith(codecs.BOM_UTF8) else "") + new_text)
    told = {r.line for found in findings for r in found.renamed if r.taken_by(_of(cfg.services, found.repo))}
    said = [line for line in plan.problems if line not in told]  # the config takes them already
    return InitResult(output, added, said + unowned(plan) + untold + kept, summary)


def _of(entries: Sequence[Service], repo: Path) -> list[Service]:
    """The config's ``entries`` of the repository ``repo``."""
    return [e for e in entries if _repository(e.repo) == _repository(repo)]


def _entry(entries: list[Service], name: str) -> Service | None:
    """The entry of ``entries`` (those of one repository and path) that a service found there
    named ``name`` is: the only one, else the one of that name, else None (not guessed)."""
    if len(entries) == 1:
        return entries[0]
    return next((entry for entry in entries if entry.name == name), None)


def _untold(entries: list[Service], service: Found, team: str, base: Path) -> str:
    """The line saying that ``team``, found for ``service``, is filled into none of ``entries``
    (several of its repository and path, none named as it is): which one is not guessed."""
    names = [entry.name for entry in entries]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    both, neither = ("both", "neither") if len(names) == 2 else ("all", "none")
    where = f"path {service.path}" if service.path else "its top folder"
    return (
        f"service {service.name} ({os.path.relpath(service.repo, base)}, {where}): team {team} found "
        f"({service.team_note}), but the entries {listed} {both} name that repository and path, and {neither} "
        f'is named {service.name}: which one it belongs to could not be told; add team = "{team}" to the right '
        "one by hand"
    )


def _kept(
    known: dict[tuple[Path, str], list[Service]],
    matched: set[tuple[Path, str]],
    seen: dict[Path, list[Found]],
    unread: set[Path],
    roots: list[Path],
    base: Path,
) -> tuple[list[str], list[str], list[str], list[str]]:
    """The entries no service found matches, all kept as written: those whose repository is
    gone or was not found under ``roots``, those whose repository was read but now shows other
    services (``seen``: each repository read, with its services), those whose repository git
    could not read (``unread``: the repository's own line says what git said), and a line on
    each."""
    under = [r.resolve() for r in roots]
    gone: list[str] = []
    beside: list[str] = []
    not_read: list[str] = []
    lines: list[str] = []
    for key, service in ((key, entry) for key, entries in known.items() for entry in entries):
        repo, name = key[0], service.name
        if key in matched:
            continue
        where = os.path.relpath(service.repo, base)
        if repo in unread:
            not_read.append(name)
            lines.append(f"service {name}: its repository {where} could not be read: kept as written")
        elif repo in seen:
            found = [_shown(known, s) for s in seen[repo]]
            beside.append(name)
            lines.append(
                f"service {name}: its repository {where} is still there, but init now finds other services "
                f"in it ({', '.join(found)}): {name} is kept as written, and `collect` still counts its tags; "
                "if they replace it, delete its [[services]] entry by hand"
            )
        elif not service.repo.exists():
            gone.append(name)
            lines.append(
                f"service {name}: no longer found under the folders read: kept, and `collect` stops at it until "
                "its repository is back or its entry is deleted by hand"
            )
        elif any(service.repo.resolve().is_relative_to(root) for root in under):
            gone.append(name)
            lines.append(f"service {name}: init found no git repository at {where}: kept as written")
    return gone, beside, not_read, lines


def _shown(known: dict[tuple[Path, str], list[Service]], service: Found) -> str:
    """A service found, named as the config's entry of its repository and path names it (or
    its entries, when several do), else by its own name."""
    entries = known.get((_repository(service.repo), service.path), [])
    entry = _entry(entries, service.name) if entries else None
    if entry is not None:
        return entry.name
    return " or ".join(e.name for e in entries) or service.name


def _tabled(written: list[TableText], name: str) -> bool:
    """Whether the file writes ``name`` as ``[[name]]`` tables."""
    return any(t.name == (name,) and t.array for t in written)


def _refuse_inline(output: Path, name: str) -> None:
    """Say that ``name``, written inline, cannot be added to."""
    raise ConfigError(
        output, name, f"is written inline; init --update adds [[{name}]] tables: write its entries as [[{name}]]"
    )


def _inline_services(output: Path, adding: bool, fills: list[tuple[str, str]]) -> None:
    """Refuse ``services = [...]`` written inline when init --update has to write into it:
    a service to add (``adding``), or a team to fill in (``fills``: each entry's name and the
    team found for it); with neither, the file is read as it is and left untouched.

    A team is not filled into an inline entry, though ``, team = "..."`` could be put before
    its closing brace: an inline table holds no comment (TOML 1.0), so the team would lose its
    note naming where it was found (the comment init writes beside a team it fills into a
    table), and an inline array may be laid out over lines in ways the text scanner
    (:mod:`~dora_tui.ops.init.toml_text`) does not track entry by entry. The refusal names the
    services and teams, so that the person can give them by hand (or write ``[[services]]``
    tables) and run it again.
    """
    if adding:
        _refuse_inline(output, "services")
    if fills:
        found = ", ".join(f"{team} for {name}" for name, team in fills)
        names = ", ".join(name for name, _ in fills)
        raise ConfigError(
            output,
            "services",
            f"is written inline, and init --update would fill in a team there ({found}): write its entries "
            f"as [[services]], or give {names} {'its team' if len(fills) == 1 else 'their teams'} by hand",
        )


def _repository(path: Path) -> Path:
    """A repository as one path however the config or init names it (its folder, its ``.git``,
    a worktree: :func:`~dora_tui.ops.init.discover.identity`); the path itself where git finds
    none (a repository gone)."""
    return identity(path) or path.resolve()


def _reads_as(text: str, expected: dict[str, Any], output: Path) -> None:
    """Check that ``text`` reads as ``expected`` and loads as a config; else a bug, said before
    anything is written."""
    try:
        same = tomllib.loads(text) == expected
    except tomllib.TOMLDecodeError:
        same = False
    if not same:  # a bug of init's: the person's file is left as it was
        raise DoraError(
            f"{output}: init --update made a file that does not read as intended, so it was not written "
            "(a bug: please report it with the config)"
        )
    parse(expected, output)


def _entries(key: str, tables: list[Table]) -> str:
    """``tables`` as ``[[key]]`` entries with a blank line between, made inert (any control or
    bidirectional character inside a string written as an escape)."""
    texts = []
    for table in tables:
        holder = tomlkit.document()
        array = tomlkit.aot()
        array.append(table)
        holder.add(key, array)
        texts.append(inert_document(tomlkit.dumps(holder)))
    return "\n".join(texts)


def _team_line(team: str, note: str) -> str:
    """The line ``team = "..."`` filled in, with where it was found as its comment."""
    item = tomlkit.string(team)
    if note:
        item.comment(terminal(note))
    holder = tomlkit.document()
    holder.add("team", item)
    return inert_document(tomlkit.dumps(holder))


def _summary(
    output: Path,
    added: list[str],
    teams: list[str],
    filled: dict[str, str],
    gone: list[str],
    beside: list[str],
    not_read: list[str],
) -> str:
    """One line saying what changed."""
    parts = []
    if added:
        parts.append(f"{counted(len(added), 'service')} added ({', '.join(added)})")
    if teams:
        parts.append(f"{counted(len(teams), 'team')} added ({', '.join(teams)})")
    if filled:
        parts.append(f"a team filled in for {', '.join(filled)}")
    if gone:
        parts.append(f"{counted(len(gone), 'service')} no longer found, kept ({', '.join(gone)})")
    if beside:
        its = "its repository" if len(beside) == 1 else "their repositories"
        parts.append(
            f"{counted(len(beside), 'service')} kept beside the services now found in {its} ({', '.join(beside)})"
        )
    if not_read:
        its = "its repository" if len(not_read) == 1 else "their repositories"
        parts.append(f"{counted(len(not_read), 'service')} kept, {its} not read ({', '.join(not_read)})")
    if not (added or teams or filled):
        return f"{output}: nothing new, not changed" + "".join(f"; {part}" for part in parts) + "."
    return f"Updated {output}: " + "; ".join(parts) + "."


__all__ = ["update_config"]
