"""Backstage catalog files: ``catalog-info.yaml`` descriptors, and the files a ``Location``
entity in the repository targets.

Read with PyYAML's safe loader (plain data, never objects; dates kept as text, as Backstage
reads them: :mod:`collectors.org.entity_yaml`), several documents per file; a document that
is not valid YAML, holds a value the reader cannot build (``!!int abc``) or is nested too
deeply for the reader (thousands of ``[``) is said, with the documents after it left unread;
a file over :data:`MAX_DESCRIPTOR_BYTES` is said and not parsed at all. Entities used:

- ``Component``: a service, named by ``metadata.name``; its folder (``path``) is the folder
  its descriptor describes (:func:`~collectors.org.sources.described_folder`: the
  descriptor's own, or for one in a hidden folder, ``.backstage/`` or ``api/.github/``, the
  folder holding that one, as such a folder holds tools' files, not a service's code), or
  ``backstage.io/source-location`` when that names a folder of this repository:
  ``dir:./api`` (relative to the descriptor file's own folder, as Backstage reads it), or a
  ``url:`` of a GitHub, GitLab, Bitbucket or Azure DevOps folder or file
  (:mod:`collectors.org.sources`) whose repository has this repository's folder name, or
  the name one of its remotes points at (a clone in a folder ``shop-main`` of ``acme/shop``),
  without regard to case. A ``url:`` naming another repository, one of another form, or a
  location neither ``url:`` nor ``dir:`` leaves the component in its descriptor's folder,
  with a line saying so: the other repository may not be among those read, or be another of
  the same name, so the component is not moved to it. ``spec.owner`` is its owner;
  ``spec.system`` its system.
- ``Group``: a team, with ``spec.profile.displayName`` (else ``metadata.title``) as its
  display name.
- ``System``: a grouping of components, with its owner.
- ``Location``: ``spec.target``/``spec.targets`` read too, relative to the Location's file,
  globs allowed (``*`` within a folder, ``**`` across folders); only files committed in this
  repository are read: a target outside it, or a URL, is a :class:`Problem`.

A component's ``spec.system`` is read as owners are (below): ``system:default/commerce``,
``default/commerce`` and ``Commerce`` are one system, spelled as its ``System`` entity spells
it (with none, the first spelling read); across repositories too
(:func:`dora_tui.ops.init.plan.gather`).

Descriptors are found wherever they are in a repository, but for those below a vendored
folder (:data:`VENDORED`: ``vendor/github.com/acme/lib/catalog-info.yaml``), which describe a
dependency, not this repository's services: they are counted and named in one line, and not
read. A folder of that name holding a descriptor directly (``services/vendor/``) is a service
like any. A file a ``Location`` targets is read wherever it is, vendored or not.

Owners are entity references: ``group:name``, ``group:default/name``, ``default/name`` and a
bare ``name`` are the group ``name`` (a namespace is dropped); ``user:name`` is a person, kept
with kind ``user``. Names are compared without regard to case, as Backstage compares them:
``group:default/Payments`` is the Group ``payments``, and is given the Group's spelling (with
no Group, the first spelling read); a second Group of the same name is said and not read.
Other kinds (API, Resource, Domain, User, Template...) are not used.

A file whose path is not valid UTF-8 (git's names are bytes: ``caf\\xe9`` in Latin-1), and an
entity whose text holds a lone surrogate (a YAML escape ``"\\udce9"``), cannot be written in
the config: each is said (the path with backslash escapes) and not read. So is a file whose
path holds a line break (``a\\nb/catalog-info.yaml``), and a source location naming such a
folder: git's batch reads, which ``init`` and ``collect`` use, take one name a line.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

import yaml

from collectors.git_log import shown_bytes
from collectors.org.entity_yaml import load_all
from collectors.org.globs import glob_regex
from collectors.org.records import Catalog, Component, Group, Owner, Problem, System, Where
from collectors.org.sources import described_folder, inside, parse_source_url, same_repository

DESCRIPTOR_NAMES = ("catalog-info.yaml", "catalog-info.yml")
"""The file names read wherever they are in a repository (but below a vendored folder)."""
VENDORED = ("vendor", "node_modules", "third_party")
"""Folders of others' code: a descriptor found below one of them is a dependency's, not read."""
SOURCE_LOCATION = "backstage.io/source-location"
MAX_DESCRIPTOR_BYTES = 1 << 20
"""The largest catalog file read, in bytes (1 MiB): a larger one is said, with its size, and
not parsed (PyYAML takes minutes and gigabytes for tens of megabytes; a real descriptor is a
few kilobytes)."""

_UNDECODABLE = re.compile("[\ud800-\udfff]")  # a byte of a file name that is not UTF-8, or a YAML "\udce9"
_UNWRITABLE = "(it cannot be written in the config): not read"
_BREAK = re.compile("[\n\r]")  # git's batch reads (cat-file --batch, as init and collect use) take a name a line
_UNREADABLE_BREAK = "the path holds a line break, which git's batch reads (init's and collect's) cannot take: not read"
_UNKNOWN_URL = (
    "is not a URL init reads (GitHub's /tree/REF/PATH, GitLab's /-/tree/REF/PATH, Bitbucket's /src/REF/PATH, "
    "Azure's /_git/REPO?path=PATH)"
)
_TAKEN = "component {} is written as a service of this repository, in {} (its descriptor's folder)"

Reader = Callable[[list[str]], dict[str, bytes]]
"""Reads committed files by name (:func:`collectors.org.tree.read_committed` for a repository)."""


def descriptors(files: list[str]) -> list[str]:
    """The catalog descriptor files among ``files`` that are read, sorted: those in a vendored
    folder (:func:`vendored`) are left out."""
    return sorted(f for f in files if f.rsplit("/", 1)[-1] in DESCRIPTOR_NAMES and not vendored(f))


def vendored(name: str) -> bool:
    """Whether the file ``name`` is a dependency's: a folder of :data:`VENDORED` holds its folder
    (``vendor/github.com/acme/lib/catalog-info.yaml``; not ``services/vendor/catalog-info.yaml``)."""
    return any(part in VENDORED for part in name.split("/")[:-2])


def read_catalog(
    files: list[str], read: Reader, repo_name: str, remotes: Callable[[], Iterable[str]] = tuple
) -> Catalog:
    """The entities of every descriptor among ``files`` and of every file a Location targets.

    ``files`` are the repository's committed file names, ``read`` reads some of them, and
    ``repo_name`` is the repository's name (for ``url:`` source locations), its folder's;
    ``remotes`` gives the names its remotes point at, asked only when a source location
    names another repository than ``repo_name`` (a clone in a folder named otherwise).
    """
    known = set(files)
    folders = {posixpath.dirname(f) for f in files}
    state = _State(known, folders, repo_name, remotes)
    pending = descriptors(files)
    skipped = [f for f in files if f.rsplit("/", 1)[-1] in DESCRIPTOR_NAMES and vendored(f)]
    while pending:
        contents = read([name for name in pending if not _UNDECODABLE.search(name) and not _BREAK.search(name)])
        queued: list[str] = []
        for name in pending:
            state.files.append(name)
            if _UNDECODABLE.search(name):
                shown = shown_bytes(name)
                state.problems.append(Problem(Where(shown), f"the path is not valid UTF-8 {_UNWRITABLE}"))
                continue
            if _BREAK.search(name):
                state.problems.append(Problem(Where(name), _UNREADABLE_BREAK))
                continue
            for target in state.read_file(name, contents.get(name, b"")):
                if target not in state.files and target not in queued and target not in pending:
                    queued.append(target)
        pending = queued
    state.vendored(sorted(f for f in skipped if f not in state.files))
    named = team_names([g.name for g in state.groups], [o.name for o in state.owners() if o.kind == "group"])
    systems = team_names([s.name for s in state.systems], [c.system for c in state.components if c.system])
    return Catalog(
        components=tuple(
            replace(c, owner=_spelled(c.owner, named), system=systems.get(c.system, "")) for c in state.components
        ),
        groups=tuple(state.groups),
        systems=tuple(replace(s, owner=_spelled(s.owner, named)) for s in state.systems),
        problems=tuple(state.problems),
        files=tuple(state.files),
    )


def team_names(groups: Iterable[str], owners: Iterable[str]) -> dict[str, str]:
    """The team each spelling of a group's name stands for, compared without regard to case
    (as Backstage compares entity references): a ``Group``'s own spelling among ``groups``
    when there is one, else the first of ``owners`` (in the order given)."""
    first: dict[str, str] = {}
    for name in [*groups, *owners]:
        first.setdefault(name.lower(), name)
    return {name: first[name.lower()] for name in [*groups, *owners]}


def _spelled(owner: Owner | None, named: dict[str, str]) -> Owner | None:
    """``owner`` with the team's name as :func:`team_names` spells it."""
    if owner is None or owner.kind != "group" or owner.name not in named:
        return owner
    return replace(owner, name=named[owner.name])


def parse_owner(text: str) -> Owner | None:
    """An owner reference read (module docstring); ``None`` for an empty one."""
    text = text.strip()
    kind, sep, _ = text.partition(":")
    name = reference_name(text)
    if not name:
        return None
    return Owner((kind.strip().lower() if sep else "") or "group", name, text)


def reference_name(text: str) -> str:
    """The name an entity reference names, its kind and namespace dropped: ``name`` for
    ``kind:namespace/name``, ``namespace/name``, ``kind:name`` or ``name``."""
    _, sep, rest = text.strip().partition(":")
    return (rest if sep else text).rsplit("/", 1)[-1].strip()


class _State:
    """What is found while reading a repository's catalog files."""

    def __init__(
        self, known: set[str], folders: set[str], repo_name: str, remotes: Callable[[], Iterable[str]]
    ) -> None:
        self.known = known
        self.folders = folders
        self.repo_name = repo_name
        self._remotes = remotes
        self._remote_names: list[str] | None = None
        self.files: list[str] = []
        self.components: list[Component] = []
        self.groups: list[Group] = []
        self.systems: list[System] = []
        self.problems: list[Problem] = []

    def owners(self) -> list[Owner]:
        """The owners of the components and systems read, in the order read."""
        found = [c.owner for c in self.components] + [s.owner for s in self.systems]
        return [owner for owner in found if owner is not None]

    def vendored(self, names: list[str]) -> None:
        """Say, in one line, the descriptors of vendored folders that no Location targeted."""
        if names:
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            files = "1 catalog file" if len(names) == 1 else f"{len(names)} catalog files"
            folders = ", ".join(f"{folder}/" for folder in VENDORED)
            self.problems.append(
                Problem(
                    Where(""),
                    f"{files} in vendored folders ({folders}) {'is' if len(names) == 1 else 'are'} a dependency's, "
                    f"not read: {shown} (to read one, target it from a Location)",
                )
            )

    def read_file(self, name: str, data: bytes) -> list[str]:
        """Read the documents of one file; returns the files its Locations target."""
        if len(data) > MAX_DESCRIPTOR_BYTES:
            limit = f"{MAX_DESCRIPTOR_BYTES >> 20} MiB"
            self.problems.append(
                Problem(Where(name), f"{len(data):,} bytes, over the {limit} a catalog file may be: not read")
            )
            return []
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.problems.append(Problem(Where(name), "not UTF-8 text: not read"))
            return []
        targets: list[str] = []
        number = 0
        try:
            for number, item in enumerate(load_all(text), start=1):
                if item is not None:
                    targets.extend(self.entity(item, Where(name, number)))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f" at line {mark.line + 1}" if mark is not None else ""
            self.unreadable(Where(name, number + 1), line, getattr(exc, "problem", None) or "cannot be read")
        except RecursionError:  # PyYAML composes and builds nested collections recursively
            self.unreadable(Where(name, number + 1), "", "nested too deeply")
        return targets

    def unreadable(self, where: Where, line: str, what: str) -> None:
        """Say that a document is not valid YAML (``line`` names where, when known)."""
        message = f"not valid YAML{line} ({what}): it and the documents after it were not read"
        self.problems.append(Problem(where, message))

    def entity(self, item: Any, where: Where) -> list[str]:
        """Keep one entity; returns the files it targets when it is a Location."""
        if not isinstance(item, dict):
            self.problems.append(Problem(where, "not an entity (a YAML mapping): not read"))
            return []
        kind = _text(item.get("kind"))
        metadata, spec = _mapping(item.get("metadata")), _mapping(item.get("spec"))
        if kind == "Location":
            return self.location(spec, where)
        if kind not in ("Component", "Group", "System"):
            return []
        name = _text(metadata.get("name")).strip()
        if not name:
            self.problems.append(Problem(where, f"a {kind} without metadata.name: not read"))
            return []
        title = _text(metadata.get("title"))
        texts = {
            "metadata.name": name,
            "metadata.title": title,
            "spec.owner": _text(spec.get("owner")),
            "spec.system": _text(spec.get("system")),
            "spec.profile.displayName": _text(_mapping(spec.get("profile")).get("displayName")),
            f"metadata.annotations.{SOURCE_LOCATION}": _text(
                _mapping(metadata.get("annotations")).get(SOURCE_LOCATION)
            ),
        }
        for field, text in texts.items():
            if _UNDECODABLE.search(text):  # a YAML escape of a lone surrogate ("\udce9")
                self.problems.append(Problem(where, f"{field} {text!r} is not valid Unicode {_UNWRITABLE}"))
                return []
        owner = parse_owner(texts["spec.owner"])
        if kind == "Group":
            same = next((g for g in self.groups if g.name.lower() == name.lower()), None)
            if same is not None:
                self.problems.append(
                    Problem(where, f"a Group {name!r} is the Group {same.name!r} of {same.where} again: not read")
                )
                return []
            self.groups.append(Group(name, where, texts["spec.profile.displayName"] or title))
        elif kind == "System":
            self.systems.append(System(name, where, owner))
        else:
            path = self.component_path(where, texts[f"metadata.annotations.{SOURCE_LOCATION}"], name)
            system = reference_name(texts["spec.system"])
            self.components.append(Component(name, where, path, owner, system, title))
        return []

    def is_this_repository(self, named: str) -> bool:
        """Whether a source location's repository ``named`` is this one: by its folder's name,
        else by a name its remotes point at (asked once)."""
        if same_repository(named, self.repo_name):
            return True
        if self._remote_names is None:
            self._remote_names = list(self._remotes())
        return any(same_repository(named, remote) for remote in self._remote_names)

    def component_path(self, where: Where, source: str, name: str) -> str:
        """The component's folder: its source location when that is a folder here, else the
        descriptor's folder (a line says why, when a source location was given)."""
        folder = described_folder(where.file)
        if not source:
            return folder
        target: str | None = None
        shown = f"{SOURCE_LOCATION} {source!r}"
        taken = _TAKEN.format(name, folder or "the top folder")
        if source.startswith("dir:"):
            target = inside(posixpath.dirname(where.file), source[4:])  # relative to the file, as Backstage reads it
        elif source.startswith("url:"):
            url = parse_source_url(source[4:])
            if url is None:
                self.problems.append(Problem(where, f"{shown} {_UNKNOWN_URL}: {taken}"))
                return folder
            if not self.is_this_repository(url.repo):
                self.problems.append(
                    Problem(
                        where,
                        f"{shown} is in another repository, {url.repo}: {taken}; "
                        f"if its code and tags are in {url.repo}, set its repo (and path) to that repository's folder",
                    )
                )
                return folder
            target = inside("", url.path)
            if target in self.known:  # a /blob/ URL of a file: its folder
                target = posixpath.dirname(target)
        else:
            self.problems.append(Problem(where, f"{shown} is not a url: or dir: location: {taken}"))
            return folder
        if target is None:
            self.problems.append(Problem(where, f"{shown} is outside the repository"))
            return folder
        if target and target not in self.folders:
            self.problems.append(Problem(where, f"{shown} names no folder of the repository"))
            return folder
        if _BREAK.search(target):
            self.problems.append(Problem(where, f"{shown} names a folder whose name holds a line break: {taken}"))
            return folder
        return target

    def location(self, spec: dict[str, Any], where: Where) -> list[str]:
        """The committed files a Location's targets name."""
        raw = [spec.get("target")] + (spec["targets"] if isinstance(spec.get("targets"), list) else [])
        found: list[str] = []
        for target in raw:
            if not isinstance(target, str) or not target.strip():
                continue
            target = target.strip()
            if re.match(r"^[a-z][a-z0-9+.-]*://", target, re.IGNORECASE):
                self.problems.append(Problem(where, f"Location target {target!r} is a URL: not read (offline)"))
                continue
            resolved = inside(posixpath.dirname(where.file), target)
            if resolved is None:
                self.problems.append(Problem(where, f"Location target {target!r} is outside the repository: not read"))
                continue
            if any(c in resolved for c in "*?["):
                pattern = re.compile(glob_regex(resolved), re.DOTALL)
                matches = sorted(f for f in self.known if pattern.fullmatch(f))
            else:
                matches = [resolved] if resolved in self.known else []
            if not matches:
                self.problems.append(Problem(where, f"Location target {target!r} names no committed file"))
            found.extend(matches)
        return found


def _mapping(value: object) -> dict[str, Any]:
    """``value`` when it is a YAML mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str:
    """``value`` when it is a YAML string, else ''."""
    return value if isinstance(value, str) else ""
