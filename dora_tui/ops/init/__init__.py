"""``init``: find git repositories under folders and write a starting config, from what the
organization already records (README, ``dora-tui init``).

Each repository is read for its tags, its Backstage catalog files and its CODEOWNERS file
(:mod:`dora_tui.ops.init.repository`); the services, teams and what could not be told are
gathered across repositories (:mod:`dora_tui.ops.init.plan`) and written with tomlkit, with
comments naming where each entry came from. ``init --update`` merges into an existing config
instead (:mod:`dora_tui.ops.init.update`).

Folder, tag and catalog names are kept as they are in the config, but written with escapes
for any control or bidirectional character (:func:`dora_tui.core.inert.document`); a folder
whose name is not valid UTF-8 cannot be written at all, and is refused with its path.

A repository's path is written relative to the folder the loader reads it from
(:func:`dora_tui.config.config_folder`): for an output that is a link, the link's own folder.

A repository git cannot read (a tag ref naming an object it does not hold, a repository git
refuses as another user's) is one repository's fault, not the others': it is listed among what
could not be told with git's one line, and the others are read and written
(:func:`read_all`). Only when no repository found can be read is init refused, in one line.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import tomlkit

from collectors.git_log import not_utf8
from collectors.org.monorepo import guess_tag_pattern
from dora_tui.config import config_folder
from dora_tui.config.paths import link_loops
from dora_tui.core.inert import document as inert_document
from dora_tui.errors import AlreadyExists, GitError, GitMissing, OptionError, UsageError
from dora_tui.ops.files import replace_file
from dora_tui.ops.init.discover import find_repositories, local_zone
from dora_tui.ops.init.plan import Plan, comment, gather, service_table, team_table, unowned
from dora_tui.ops.init.repository import Findings, RepoFindings, read_repository

__all__ = [
    "InitResult",
    "Read",
    "find_repositories",
    "guess_tag_pattern",
    "read_all",
    "refuse_folder",
    "write_config",
    "write_text",
]

READERS = 4
"""Repositories read at once by ``init`` (their git calls wait on git, not on Python)."""


@dataclass
class InitResult:
    """What ``init`` wrote: the file, the services named, what could not be told, and (for
    ``--update``) the one line saying what changed."""

    path: Path
    services: list[str]
    problems: list[str] = field(default_factory=list)
    summary: str = ""


class Read(Findings):
    """The findings of every repository read, with ``skipped`` (:class:`Findings`) and
    ``unread``: the repositories git could not read, each also said in a line of ``skipped``."""

    def __init__(self, findings: list[RepoFindings], skipped: list[str], unread: list[Path]) -> None:
        super().__init__(findings, skipped)
        self.unread = unread


def read_all(roots: list[Path], base: Path) -> Read:
    """Find the repositories under ``roots`` and read each; refuses a path that cannot be written.

    A repository git cannot read is left out with a line in ``skipped`` (git's own line, the
    repository named by its label) and the others are read; when none can be read, the first
    one's error is raised (with one repository: git's line, as ``collect`` says it).
    """
    discovery = find_repositories(roots)
    repos = discovery.repos
    if not repos:
        raise UsageError(f"no git repository found under {', '.join(str(r) for r in roots)}")
    if shutil.which("git") is None:  # the tags and files are read with git
        raise GitMissing()
    for repo, _ in repos:
        if not_utf8(os.path.relpath(repo, base)):
            raise UsageError(
                f"{repo}: a folder name in this path is not valid UTF-8, so it cannot be "
                "written in the config; rename it, or run init on other folders"
            )
    # Each repository is three short git calls: a few threads keep several running at once
    # while Python reads the previous ones' output. Results (and the first error, if any)
    # come in the repositories' order, as when read one after another; an error or a Ctrl-C
    # cancels the reads not yet started.
    pool = ThreadPoolExecutor(max_workers=min(READERS, len(repos)))
    try:
        results = list(pool.map(_read_one, repos))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    read: list[RepoFindings] = []
    skipped = list(discovery.skipped)
    unread: list[Path] = []
    failures: list[GitError] = []
    for (repo, label), result in zip(repos, results, strict=True):
        if isinstance(result, GitError):
            failures.append(result)
            unread.append(repo)
            said = str(result).removeprefix(f"{repo}: ")
            skipped.append(f"{label}: {said}: not read, so none of its services is written")
        else:
            read.append(result)
    if failures and not read:
        if len(failures) == 1:
            raise failures[0]
        raise GitError(f"none of the {len(failures)} repositories found could be read: {failures[0]} (and the others)")
    return Read(read, skipped, unread)


def _read_one(found: tuple[Path, str]) -> RepoFindings | GitError:
    """One repository's findings, or what git said when it could not read it."""
    try:
        return read_repository(*found)
    except GitError as exc:  # this repository's fault: said, and the others read (read_all)
        return exc


def write_config(roots: list[Path], output: Path, *, force: bool = False) -> InitResult:
    """Write a config for the repositories under ``roots``; an ``output`` that is a folder is
    refused before anything is read, ``force`` or not (:func:`refuse_folder`)."""
    refuse_folder(output, "the file to write in it")
    if output.exists() and not force:
        raise AlreadyExists(output)
    base = config_folder(output)  # where the loader reads the paths written from
    plan = gather(read_all(roots, base))
    write_text(output, inert_document(tomlkit.dumps(_document(plan, base))))
    return InitResult(output, [s.name for s in plan.services], plan.problems + unowned(plan))


def _document(plan: Plan, base: Path) -> tomlkit.TOMLDocument:
    doc = tomlkit.document()
    doc.add(comment("Written by dora-tui init from the repositories' tags, catalog files and CODEOWNERS."))
    doc.add(comment("Each entry's comments name where it came from; `dora-tui init --update` adds what is new."))
    for name, source in sorted(plan.systems.items()):
        doc.add(comment(f"system {name}: from {source}"))
    doc.add(tomlkit.nl())
    doc["database"] = "dora.db"
    doc["timezone"] = local_zone()
    doc["months"] = 12
    doc["trend_months"] = 6
    git = tomlkit.table()
    git.add("commit_time", "author")
    git.add("include_merges", False)
    doc.add("git", git)
    if plan.teams:
        teams = tomlkit.aot()
        for name, (display, source) in sorted(plan.teams.items()):
            teams.append(team_table(name, display, source))
        doc.add("teams", teams)
    services = tomlkit.aot()
    for service in plan.services:
        services.append(service_table(service, base))
    doc.add("services", services)
    return doc


def refuse_folder(output: Path, wanted: str) -> None:
    """Refuse an ``output`` that is a folder (or a link to one) in one line naming ``wanted``,
    with a file in it as the example: neither ``--force`` nor ``--update`` can write a folder;
    nor a link in a loop of links."""
    if output.is_dir():
        raise OptionError("output", f"{output} is a folder: give {wanted} (such as {output / 'dora.toml'})")
    if link_loops(output):  # nothing can be written through it, nor read
        raise OptionError("output", f"{output} goes through links that never end (a loop, or too long a chain)")


def write_text(output: Path, text: str) -> None:
    """Write ``text`` to ``output`` whole or not at all (a link is followed)."""

    def write(handle: TextIO) -> None:
        handle.write(text)

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        replace_file(output, write, follow_link=True)
    except OSError as exc:
        raise OptionError("output", f"cannot write {output}: {exc.strerror}") from None
