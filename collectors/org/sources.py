"""Where a component's code is: the folder its descriptor describes
(:func:`described_folder`), paths relative to a folder kept inside the repository
(:func:`inside`), and the repository and folder a ``url:`` source location
(``backstage.io/source-location``) names (:func:`parse_source_url`).

The URL forms read (the query and fragment are dropped, ``%20`` and the like decoded, a ``.git``
after the repository's name dropped):

- GitHub (and GitHub Enterprise): ``https://HOST/OWNER/REPO/tree/REF/PATH`` or
  ``/blob/REF/PATH``;
- GitLab, groups and subgroups before the repository:
  ``https://HOST/GROUP/.../REPO/-/tree/REF/PATH`` or ``/-/blob/REF/PATH``;
- Bitbucket Cloud: ``https://HOST/WORKSPACE/REPO/src/REF/PATH``;
- Azure DevOps: ``https://HOST/.../_git/REPO?path=/PATH``;
- a repository's own URL, ``https://HOST/OWNER/REPO`` (or ``REPO.git``): its top folder.

``REF`` is one part (a branch or tag name holding a ``/`` cannot be told from the folders
after it, as in the hosts' own URLs). A ``/blob/`` URL may name a file: the caller takes its
folder. Anything else (another scheme, no host, a Bitbucket Server ``/browse/`` URL, a GitLab
subgroup's repository without ``/-/tree/``) is not read: the caller says so.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass(frozen=True)
class SourceUrl:
    """The repository a source URL names (its last name, as a folder of it would be named)
    and the folder it points at inside it ('' for the top folder; not yet normalised)."""

    repo: str
    path: str


def parse_source_url(url: str) -> SourceUrl | None:
    """The repository and folder ``url`` names (module docstring); ``None`` for a form not read."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # a malformed address (an unclosed "[" in its host)
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if "_git" in segments[:-1]:  # Azure DevOps: the folder is a query parameter
        at = segments.index("_git")
        folder = parse_qs(parts.query).get("path", [""])[0]
        return SourceUrl(_repo(segments[at + 1]), folder.strip("/")) if at + 2 == len(segments) else None
    for at in range(2, len(segments) - 2):
        if segments[at] == "-" and segments[at + 1] in ("tree", "blob"):
            return SourceUrl(_repo(segments[at - 1]), "/".join(segments[at + 3 :]))
    if len(segments) > 3 and segments[2] in ("tree", "blob", "src"):
        return SourceUrl(_repo(segments[1]), "/".join(segments[4:]))
    if len(segments) == 2:
        return SourceUrl(_repo(segments[1]), "")
    return None


def same_repository(named: str, folder: str) -> bool:
    """Whether a repository a URL names is the repository in ``folder`` (its folder's name,
    ``.git`` dropped), compared without regard to case as the hosts compare them."""
    return named.lower() == _repo(folder).lower()


def _repo(name: str) -> str:
    return name.removesuffix(".git")


def described_folder(name: str) -> str:
    """The folder a descriptor ``name`` describes: its own, or for one in a hidden folder
    (``.backstage/catalog-info.yaml``, ``api/.github/catalog-info.yaml``) the folder holding
    that one ('' and ``api``)."""
    folder = posixpath.dirname(name)
    head, _, last = folder.rpartition("/")
    return head if last.startswith(".") else folder


def inside(folder: str, target: str) -> str | None:
    """``target`` relative to ``folder``, normalised; ``None`` when it leaves the repository."""
    if target.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(folder, target.strip()))
    if joined == ".":
        return ""
    if joined == ".." or joined.startswith("../"):
        return None
    return joined
