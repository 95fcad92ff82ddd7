"""What one repository tells about its services: catalog components, monorepo modules from
its tags, owners from its catalog or CODEOWNERS, and what could not be told.

The order of trust, for a repository:

1. Its catalog's ``Component`` entities are its services (a module found from tags at a
   component's folder gives it its tag pattern);
2. modules found from its tags that no component claims are services too;
3. with neither, or with no catalog and tags of its own besides its modules' (a Go
   repository's ``v1.25.0``), the repository is a service named after its folder
   (:func:`repo_name`: the checkout's for a repository given by its ``.git`` folder).

A tag whose name is not valid UTF-8 (git allows one) is listed among what could not be told,
its undecodable bytes shown as ``\\xNN``, and left out of the patterns and modules guessed:
``collect`` leaves it out too, with a warning (:class:`collectors.git.TagListing`).

A service whose ``path`` the latest tag matching its pattern does not hold yet (a component
added since the last release) is left out, with a line saying so: ``collect`` would stop at
it. ``init --update`` adds it once a release holds it. The repository's own tags left to no
service are said once that is done (the service left out may have been the one taking them),
and so are its releases' later names, when they changed (:mod:`dora_tui.ops.init.renamed`).

A service's team is its catalog owner when that is a group; else the owner of its folder by
the CODEOWNERS file's rules (as Backstage itself falls back); else none, and it is listed
among what could not be told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from collectors.errors import GitError
from collectors.git import GitRepository
from collectors.git_log import left_out_tag
from collectors.org import codeowners
from collectors.org.backstage import descriptors, read_catalog
from collectors.org.monorepo import PRERELEASE, find_modules, guess_tag_pattern, module_pattern
from collectors.org.records import Catalog, CodeOwners, Component, Module
from collectors.org.tree import committed_files, folders_of, head_is_commit, read_committed, remote_names
from collectors.records import TagRef
from dora_tui.config import Pattern
from dora_tui.core.wording import counted
from dora_tui.ops.init.renamed import Renamed, later_series


@dataclass
class Found:
    """A service found in a repository, with the notes that say where each part came from."""

    name: str
    repo: Path
    path: str
    tag_pattern: str
    exclude: str
    team: str | None
    notes: list[str] = field(default_factory=list)
    team_note: str = ""
    system: str = ""
    unowned: str = ""  # why no team could be told ('' when there is a team)


@dataclass
class RepoFindings:
    """Everything one repository tells: its services, teams (name -> display name, source),
    systems (name -> source) and what could not be told (lines, each with what to fill in)."""

    repo: Path
    services: list[Found]
    teams: dict[str, tuple[str, str]]
    systems: dict[str, str]
    problems: list[str]
    renamed: list[Renamed] = field(default_factory=list)  # its releases' later names, said in problems


class Findings(list[RepoFindings]):
    """Every repository's findings, in order, with ``skipped``: a line per folder found but not
    read (a link leading out of the folders given), which :func:`~dora_tui.ops.init.plan.gather`
    lists first among what could not be told."""

    def __init__(self, findings: list[RepoFindings], skipped: list[str]) -> None:
        super().__init__(findings)
        self.skipped = skipped


def read_repository(repo: Path, label: str = "") -> RepoFindings:
    """Read ``repo``'s tags, committed catalog files and CODEOWNERS (a few git calls).

    ``label`` names the repository in every line said about it (its path from the folder init
    was given, so two repositories of one name are told apart); by default its folder's name.
    """
    label = label or repo_name(repo)
    git = GitRepository(repo)
    listing = git.list_tags()
    tags = sorted([t.name for t in listing.tags] + list(listing.skipped))
    files = committed_files(repo)
    owners_file = codeowners.pick(files)
    unread: list[str] = []  # what git said when it could not give the files' contents

    def contents(names: list[str]) -> dict[str, bytes]:
        """The contents of ``names``; none when git cannot give them (a partial clone holds
        no contents, and git is not let onto the network to fetch them): said once."""
        try:
            return read_committed(repo, names)
        except GitError as exc:
            unread.append(str(exc).removeprefix(f"{repo}: "))
            return {}

    first = contents([*descriptors(files), *([owners_file] if owners_file else [])])

    def read(names: list[str]) -> dict[str, bytes]:
        missing = [n for n in names if n not in first]
        return {**{n: first[n] for n in names if n in first}, **(contents(missing) if missing else {})}

    catalog = read_catalog(files, read, repo_name(repo), lambda: remote_names(repo))
    owners = None
    if owners_file is not None and owners_file in first:
        owners = codeowners.parse(owners_file, first[owners_file].decode("utf-8", "replace"))
    folders = folders_of(files)
    modules, rest, ambiguous = find_modules(tags, folders)
    problems = [f"{label}: {problem}" for problem in catalog.problems]
    if unread:
        problems.append(
            f"{label}: its catalog and CODEOWNERS files could not be read ({unread[0]}); its services "
            "come from its tags alone"
        )
    if tags and not files and not head_is_commit(repo):  # files come from HEAD; the tags are read all the same
        problems.append(
            f"{label}: HEAD names no commit, so no catalog or CODEOWNERS file of it was read "
            "(point HEAD at the branch its releases come from: `git symbolic-ref HEAD refs/heads/BRANCH` there)"
        )
    problems += [left_out_tag(label, name) for name in listing.unreadable]
    problems += [
        f"{label}: tags {prefix}/... name several folders ending in {prefix}: not taken as a module "
        f"(to make it one, add a [[services]] with repo and path = the folder, "
        f'tag_pattern = "{prefix}/v*")'
        for prefix in ambiguous
    ]
    root = guess_tag_pattern(rest, monorepo=bool(modules))
    services = _services(repo, label, catalog, modules, rest, root, problems)
    services = _unreleased(git, listing.tags, services, label, problems)
    _unclaimed(rest, root[0], services, label, problems)  # after _unreleased: it may drop the one taking them
    renamed = None
    if any(s.tag_pattern == root[0] for s in services):
        renamed = later_series(repo, label, listing.tags, rest, root, monorepo=bool(modules))
        problems += [renamed.line] if renamed is not None else []
    for service in services:
        if unread and service.team is None:  # neither file could be read: no owner can be told
            service.unowned = service.unowned or "its catalog and CODEOWNERS files could not be read"
        _own(service, owners, label)
    teams = {g.name: (g.display_name, f"from {repo_name(repo)}/{g.where}") for g in catalog.groups}
    systems = {s.name: f"{repo_name(repo)}/{s.where}" for s in catalog.systems}
    return RepoFindings(repo, services, teams, systems, problems, [renamed] if renamed is not None else [])


def _services(
    repo: Path,
    label: str,
    catalog: Catalog,
    modules: list[Module],
    rest: list[str],
    root: tuple[str, str],
    problems: list[str],
) -> list[Found]:
    """The repository's services, in the order of trust (module docstring); ``root`` is the
    ``(tag_pattern, exclude_pattern)`` of its own tags, ``rest``."""
    by_path = {m.path: m for m in modules}
    root_pattern, root_exclude = root
    services: list[Found] = []
    claimed: dict[str, Component] = {}
    for component in catalog.components:
        if component.path in claimed:
            kept = claimed[component.path]
            problems.append(
                f"{label}: {component.path or 'the top folder'} is claimed by {kept.name} ({kept.where}) "
                f"and {component.name} ({component.where}): {component.name} left out (to keep it, add a "
                f'[[services]] with name = "{component.name}", repo and its own path)'
            )
            continue
        claimed[component.path] = component
        module = by_path.get(component.path)
        if module is not None:
            pattern, exclude = module_pattern(module), _exclude(module)
            notes = [f"from {component.where}", "tag pattern from tags"]
        else:
            pattern, exclude = root_pattern, root_exclude
            notes = [f"from {component.where}"]
        found = Found(component.name, repo, component.path, pattern, exclude, None, notes, system=component.system)
        if component.owner is not None and component.owner.kind == "group":
            found.team = component.owner.name
            found.team_note = f"owner from {component.where}"
        elif component.owner is not None:
            found.unowned = f"its catalog owner {component.owner.text!r} is a {component.owner.kind}, not a group"
        services.append(found)
    names = module_names([m.path for m in modules])
    for module in modules:
        if module.path not in claimed:
            name = names[module.path]
            services.append(
                Found(name, repo, module.path, module_pattern(module), _exclude(module), None, ["module from tags"])
            )
    if not services or (not catalog.components and rest):  # the repository's own tags: a service of its own
        services.append(Found(repo_name(repo), repo, "", root_pattern, root_exclude, None, []))
    return services


def _unclaimed(rest: list[str], root_pattern: str, services: list[Found], label: str, problems: list[str]) -> None:
    """A line when the repository's own tags (``rest``) are left to no service: never silently
    passed over. Said once the services are final, so also when the one service taking them
    is left out as unreleased (a component added since the last release)."""
    if rest and not any(s.tag_pattern == root_pattern for s in services):
        shown = ", ".join(rest[:3]) + (f" and {len(rest) - 3} more" if len(rest) > 3 else "")
        problems.append(
            f"{label}: {counted(len(rest), 'tag')} ({shown}) {'is' if len(rest) == 1 else 'are'} of no service"
            f" found: if {'it is a deployment' if len(rest) == 1 else 'they are deployments'}, add a [[services]]"
            f' with repo and tag_pattern = "{root_pattern}"'
        )


def _unreleased(
    git: GitRepository, tags: tuple[TagRef, ...], services: list[Found], label: str, problems: list[str]
) -> list[Found]:
    """``services`` but those whose ``path`` their latest release does not hold yet (one
    ``cat-file`` call): ``collect`` stops at such a path, so each is left out, with a line
    saying so and what to do once a release holds it (``init --update`` adds it then)."""
    latest: dict[int, TagRef] = {}
    for k, service in enumerate(services):
        if service.path:
            pattern = Pattern.parse(service.tag_pattern, label, "tag_pattern")
            exclude = Pattern.parse(service.exclude, label, "exclude_pattern")
            tag = next((t for t in reversed(tags) if pattern.matches(t.name) and not exclude.matches(t.name)), None)
            if tag is not None:  # tags are in time order; before any, collect looks at HEAD, which has it
                latest[k] = tag
    missing = set(git.missing_paths([(tag.sha, services[k].path) for k, tag in latest.items()]))
    kept = []
    for k, service in enumerate(services):
        tag = latest.get(k)
        if tag is None or (tag.sha, service.path) not in missing:
            kept.append(service)
            continue
        where = f" ({service.notes[0].removeprefix('from ')})" if service.notes else ""
        problems.append(
            f"{label}: service {service.name}{where} is in {service.path}, which its latest release {tag.name} "
            "does not hold yet: left out, as collect would stop at it; once a release holds it, run "
            f'`dora-tui init --update` (or add a [[services]] with name = "{service.name}", repo, '
            f'path = "{service.path}" and tag_pattern = "{service.tag_pattern}")'
        )
    return kept


def repo_folder(repo: Path) -> Path:
    """The folder a repository is known by: its checkout when it was given by its ``.git``
    folder (``init shop/.git``), else ``repo`` itself."""
    return repo.parent if repo.name == ".git" else repo


def repo_name(repo: Path) -> str:
    """A repository's name, as its service is named: its folder's (:func:`repo_folder`: ``shop``
    for ``shop/.git``) without a ``.git`` ending (a bare repository ``shop.git`` is ``shop``)."""
    return repo_folder(repo).name.removesuffix(".git")


def module_names(paths: list[str]) -> dict[str, str]:
    """A name for each module folder: its last part (``otelhttp``), with as many parts before
    it as make it unique among the repository's modules (``aws-ec2`` beside ``gcp-ec2``), and
    at least the part before a major-version folder (``client-v3``, not ``v3``)."""
    split = {path: path.split("/") for path in paths}

    def tail(parts: list[str], count: int) -> str:
        return "-".join(parts[-count:])

    names: dict[str, str] = {}
    for path, parts in split.items():
        count = 2 if len(parts) > 1 and re.fullmatch(r"v[0-9]+", parts[-1]) else 1
        while count < len(parts) and any(
            tail(other, count) == tail(parts, count) for o, other in split.items() if o != path
        ):
            count += 1
        names[path] = tail(parts, count)
    return names


def _exclude(module: Module) -> str:
    return PRERELEASE if module.prereleases else ""


def _own(service: Found, owners: CodeOwners | None, label: str) -> None:
    """Give ``service`` its CODEOWNERS team when its catalog named none."""
    if service.team is not None:
        return
    if owners is None:
        service.unowned = service.unowned or "no owner in a catalog, and no CODEOWNERS file"
        return
    rule = codeowners.owner_rule(owners, service.path)
    if rule is None:
        service.unowned = service.unowned or f"no owner in a catalog, and no rule of {label}/{owners.file} matches it"
        return
    team = codeowners.team_of(rule)
    if team is None:
        people = " ".join(rule.owners) or "no one"
        service.unowned = f"{label}/{owners.file} line {rule.line} names {people}, not a team"
        return
    service.team = team
    service.team_note = f"owner from {owners.file} line {rule.line}"
