"""Plain frozen records of an organization's records, as the readers of :mod:`collectors.org`
return them: catalog entities, CODEOWNERS rules, monorepo modules, and what could not be read.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Where:
    """A place in a repository's files: ``file`` (relative to its top folder), a YAML document
    number (1-based; 0 when not a YAML document) or a line number (0 when none)."""

    file: str
    document: int = 0
    line: int = 0

    def __str__(self) -> str:
        if self.document:
            return f"{self.file} document {self.document}"
        if self.line:
            return f"{self.file} line {self.line}"
        return self.file


@dataclass(frozen=True)
class Owner:
    """An entity reference read from an owner: ``kind`` ``group`` or ``user``, its ``name``
    (namespace dropped) and the text as written."""

    kind: str
    name: str
    text: str


@dataclass(frozen=True)
class Component:
    """A Backstage ``Component``: a service.

    ``path`` is its folder in the repository ('' for the top folder): the descriptor's folder,
    or ``backstage.io/source-location`` when that points inside the repository.
    """

    name: str
    where: Where
    path: str
    owner: Owner | None = None
    system: str = ""
    title: str = ""


@dataclass(frozen=True)
class Group:
    """A Backstage ``Group``: a team, with its display name ('' when none is given)."""

    name: str
    where: Where
    display_name: str = ""


@dataclass(frozen=True)
class System:
    """A Backstage ``System``: a grouping of components, with its owner when given."""

    name: str
    where: Where
    owner: Owner | None = None


@dataclass(frozen=True)
class Problem:
    """Something that could not be read or told, where it was found (a ``Where`` of file ''
    when it is about no one file)."""

    where: Where
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where.file else self.message  # '' for the whole repository


@dataclass(frozen=True)
class Catalog:
    """What a repository's catalog files hold, in file and document order."""

    components: tuple[Component, ...] = ()
    groups: tuple[Group, ...] = ()
    systems: tuple[System, ...] = ()
    problems: tuple[Problem, ...] = ()
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class OwnerRule:
    """One CODEOWNERS rule: its pattern and owners as written (``@org/team``, ``@user``, mail)."""

    line: int
    pattern: str
    owners: tuple[str, ...]


@dataclass(frozen=True)
class CodeOwners:
    """A CODEOWNERS file's rules, in file order (the last matching one wins)."""

    file: str
    rules: tuple[OwnerRule, ...] = ()


@dataclass(frozen=True)
class Module:
    """A module of a monorepo, found from its tags: ``path`` the folder, ``prefix`` the text its
    tags start with (``services/checkout/``), the tags' version text before the first digit
    (``v`` or ''), its tag count and whether pre-releases are among them.

    ``shared`` is true when a glob of its prefix and version text (``client/v*``) would match
    more than its own tags: another tag of the repository (``client/v3/v3.0.0``, a deeper
    module's), or a folder inside it named like a version (``client/v3``, whose tags would)."""

    path: str
    prefix: str
    version_prefix: str
    tags: int
    prereleases: int = 0
    shared: bool = False
