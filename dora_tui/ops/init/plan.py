"""The organization's services and teams, from what each repository tells, and the TOML of
the entries ``init`` writes for them (with comments naming their sources).

Names are made unique across repositories: a service whose name is taken is named after its
repository too (``shop-api``), then the repository's parent folder. A service with no owner is
written without a ``team`` (the config allows it; ``collect`` and ``report`` count it in no
team) and a comment saying what to fill in; it is listed among what could not be told.
A Backstage ``System`` a component belongs to is its service's ``system`` key (a grouping the
reports show); each System is named, with its source, in the file's heading comments. A
system is named without regard to case across repositories, as a team is: spelled as a
``System`` entity does (the first read, when two spell it differently), else as first found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit
from tomlkit.items import Table

from collectors.org.backstage import team_names
from dora_tui.config import path_text
from dora_tui.core.inert import terminal
from dora_tui.ops.init.repository import Findings, Found, RepoFindings, repo_folder, repo_name


@dataclass
class Plan:
    """What ``init`` found across repositories."""

    services: list[Found] = field(default_factory=list)
    teams: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (display name, where from)
    systems: dict[str, str] = field(default_factory=dict)  # name -> source
    problems: list[str] = field(default_factory=list)


def gather(findings: list[RepoFindings], taken: set[str] | None = None, teams: Iterable[str] = ()) -> Plan:
    """One plan from every repository's findings (and, from :class:`Findings`, the folders
    skipped); ``taken`` names already in use, ``teams`` the teams a config has already.

    A team is named without regard to case, as Backstage compares entity references
    (:func:`~collectors.org.backstage.team_names`): spelled as the config has it, else as a
    ``Group`` entity does, else as first found (CODEOWNERS ``@org/Payments`` and a Group
    ``payments`` of another repository are one team)."""
    plan = Plan()
    if isinstance(findings, Findings):
        plan.problems.extend(findings.skipped)
    names = set(taken or ())
    for found in findings:
        for name, value in found.teams.items():
            plan.teams.setdefault(name, value)
        for name, source in found.systems.items():
            plan.systems.setdefault(name, source)
        plan.problems.extend(found.problems)
        for service in found.services:
            service.name = _unique(service, names)
            names.add(service.name)
            plan.services.append(service)
    spelled = team_names([*teams, *plan.teams], [s.team for s in plan.services if s.team is not None])
    groups, plan.teams = plan.teams, {}
    for name, value in groups.items():
        plan.teams.setdefault(spelled[name], value)
    for service in plan.services:
        if service.team is not None:
            service.team = spelled[service.team]
            plan.teams.setdefault(service.team, ("", f"{service.team_note} in {repo_name(service.repo)}"))
    systems = team_names(plan.systems, [s.system for s in plan.services if s.system])  # compared as teams are
    found_systems, plan.systems = plan.systems, {}
    for name, source in found_systems.items():
        plan.systems.setdefault(systems[name], source)
    for service in plan.services:
        service.system = systems.get(service.system, "")
    return plan


def _unique(service: Found, names: set[str]) -> str:
    """``service``'s name, or one with its repository's (then parent's) folder in front."""
    name = service.name
    repo = repo_name(service.repo)
    candidates = [name, name if name == repo else f"{repo}-{name}"]
    candidates.append(f"{repo_folder(service.repo).parent.name}-{candidates[-1]}")
    for candidate in candidates:
        if candidate not in names:
            return candidate
    number = 2
    while f"{candidates[-1]}-{number}" in names:
        number += 1
    return f"{candidates[-1]}-{number}"


def unowned(plan: Plan) -> list[str]:
    """A line per service with no team: what is missing and the line to fill in."""
    return [
        f'service {s.name}: {s.unowned}: add team = "TEAM" to its [[services]] entry (and the team under [[teams]])'
        for s in plan.services
        if s.team is None
    ]


def comment(text: str) -> tomlkit.items.Comment:
    """A TOML comment line of untrusted text, made inert (no line break can end it)."""
    return tomlkit.comment(terminal(text))


def team_table(name: str, display: str, source: str) -> Table:
    """A ``[[teams]]`` entry with its display name and source as comments."""
    table = tomlkit.table()
    if display:
        table.add(comment(f"display name: {display}"))
    if source:
        table.add(comment(source))
    table.add("name", name)
    return table


def service_table(service: Found, base: Path) -> Table:
    """A ``[[services]]`` entry with comments naming where each part came from; its ``repo``
    as the loader reads it back from ``base`` (:func:`dora_tui.config.path_text`)."""
    table = tomlkit.table()
    for note in service.notes:
        table.add(comment(note))
    table.add("name", service.name)
    if service.team is not None:
        table.add("team", service.team)
        if service.team_note:
            table["team"].comment(terminal(service.team_note))
    else:
        table.add(comment(f'team = "TEAM"  # could not be told: {service.unowned}'))
    table.add("repo", path_text(service.repo, base))
    if service.path:
        table.add("path", service.path)
    table.add("tag_pattern", service.tag_pattern)
    if service.exclude:
        table.add("exclude_pattern", service.exclude)
        table["exclude_pattern"].comment("pre-releases")
    if service.system:
        table.add("system", service.system)
    return table
