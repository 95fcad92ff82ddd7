"""The shape of a repository's tags: monorepo modules named by path-like prefixes, the
repository's own tag pattern, and pre-releases.

A tag ``PREFIX/VERSION`` (``VERSION`` starting with a digit, perhaps after a few letters:
``v0.50.0``, ``1.2.0``) belongs to a module when ``PREFIX`` names a folder of the repository:
the folder itself (``instrumentation/net/http/otelhttp/v0.50.0``, Go's convention for
multi-module repositories; ``services/checkout/v1.2.0``), or the one folder whose path ends
with it (``checkout/v1.2.0`` with a folder ``services/checkout``). A prefix that names no
folder, or several, is no module: its tags stay with the repository (and several folders is
said). A prefix that is a common release word (:data:`RELEASE_WORDS`, in any case:
``release/1.0.0``, ``deploy/2024.01.15``) names a release series, never a module, whatever
folders there are: a top-level ``deploy/`` folder of manifests or ``release/`` of notes, or a
deeper ``scripts/release``, is no service of its own, so such tags are the repository's own
(``release/*``): counting only that folder's changes would give a release no changes.

A module's tag pattern matches its own tags and nothing deeper: ``client/v*`` is written as
``re:client/v[0-9][^/]*`` when a module ``client/v3`` (or a folder of that name) shares its
prefix.

Pre-releases, in every common spelling, match :data:`PRERELEASE`: any SemVer pre-release
(``1.2.3-rc.1``, ``-beta.2``, ``-alpha``, ``-pre``, ``-dev``, ``-0.3.7``), and a version
followed by ``alpha``, ``beta``, ``rc``, ``pre``, ``dev``, ``snapshot``, ``canary`` or
``nightly`` with or without a ``.``, ``-`` or ``_``, alone or with a number (Rails'
``v7.1.0.rc1`` and ``.beta1``, Python's ``2.0rc1``, ``1.0.0a1``, ``1.0.0b2``), in any case.
A build suffix (``+build.5``) is no pre-release, nor is a date (``release-2024-01-15``), nor a
word that only begins like one (``v2-devops``, ``v20240115-predeploy``), nor a lone number
after the version (``v1.2.3-1``, ``2024.01.15-2``: a rebuild counter, a release again; a
dotted one, ``-0.3.7``, stays a pre-release). A tag naming ``hotfix``, ``rollback`` or
``revert`` in its version (after its last ``/``, with no version number after the word: a
digit, a ``.``, ``-`` or ``_`` and a digit; in any case: ``v1.1.0-hotfix.1``,
``v1.2.3-rollback``, ``v10-rc1-hotfix``; a module's folder,
``services/rollback-controller/``, or a series' name, ``rollback-controller-1.1.0-rc1``,
``k8s-rollback-1.0.0-rc1`` or ``python3.11-rollback-1.0.0-rc1``, is not its release) is
never one, whatever else it holds: those are the words the default ``rework_pattern`` counts a
deployment as rework by, so excluding them would lose exactly the rework and failures.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict

from collectors.org.records import Module

PRERELEASE = (
    r"re:(?:[^/]*/)*(?![^/]*(?i:hotfix|rollback|revert)(?![^/]*[0-9][._-][0-9]))"
    r"[^/]*?(?:[0-9]+\.[0-9]+\.[0-9]+-(?![0-9]+(?:\+[0-9A-Za-z.-]+)?\Z)[0-9A-Za-z.-]+"
    r"|[0-9][._-]?(?:(?i:alpha|beta|rc|pre|dev|snapshot|canary|nightly)(?:[._-]?[0-9][0-9A-Za-z.-]*)?"
    r"|(?i:a|b)[0-9]+))"
    r"(?:\+[0-9A-Za-z.-]+)?"
)
"""The ``exclude_pattern`` ``init`` writes for a service with pre-releases among its tags
(a pattern of the config: ``re:`` and a regular expression matching the whole tag name)."""
_PRERELEASE = re.compile(PRERELEASE[3:])
RELEASE_WORDS = frozenset(
    ["release", "releases", "rel", "deploy", "deploys", "deployment", "deployments", "prod", "production", "stable"]
)
"""Tag prefixes that name a release series rather than a folder (module docstring)."""
_VERSION = re.compile(r"^([A-Za-z_-]{0,8})[0-9]")


def is_prerelease(tag: str) -> bool:
    """True when ``tag`` names a pre-release (module docstring)."""
    return _PRERELEASE.fullmatch(tag) is not None


def split_tag(tag: str) -> tuple[str, str] | None:
    """``(prefix, version)`` of a tag ``PREFIX/VERSION``, or ``None`` when it is not one."""
    prefix, sep, version = tag.rpartition("/")
    if not sep or not prefix or _VERSION.match(version) is None:
        return None
    return prefix, version


def find_modules(tags: list[str], folders: set[str]) -> tuple[list[Module], list[str], list[str]]:
    """The modules ``tags`` name among ``folders``: ``(modules by path, tags of no module,
    prefixes naming several folders)``."""
    by_prefix: dict[str, list[str]] = defaultdict(list)
    rest: list[str] = []
    for tag in tags:
        split = split_tag(tag)
        if split is None:
            rest.append(tag)
        else:
            by_prefix[split[0]].append(split[1])
    by_suffix: dict[str, list[str]] = defaultdict(list)
    for folder in folders:
        parts = folder.split("/")
        for start in range(1, len(parts)):
            by_suffix["/".join(parts[start:])].append(folder)
    claims: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)  # folder -> (prefix, versions)
    ambiguous: list[str] = []
    for prefix, versions in sorted(by_prefix.items()):
        if prefix.lower() in RELEASE_WORDS:  # a release series, whatever folders there are (module docstring)
            candidates = []
        elif prefix in folders:
            candidates = [prefix]
        else:  # the one folder ending with the prefix
            candidates = by_suffix.get(prefix, [])
        if len(candidates) == 1:
            claims[candidates[0]].append((prefix, versions))
            continue
        if len(candidates) > 1:
            ambiguous.append(prefix)
        rest.extend(f"{prefix}/{version}" for version in versions)
    modules: dict[str, Module] = {}
    ordered = sorted(tags)
    for path, found in claims.items():
        found.sort(key=lambda item: (-len(item[1]), item[0]))  # two prefixes for one folder: the one with more tags
        prefix, versions = found[0]
        for other, more in found[1:]:
            rest.extend(f"{other}/{version}" for version in more)
        version_prefix = _common_prefix(versions)
        own = {f"{prefix}/{version}" for version in versions}
        modules[path] = Module(
            path=path,
            prefix=f"{prefix}/",
            version_prefix=version_prefix,
            tags=len(versions),
            prereleases=sum(is_prerelease(v) for v in versions),
            shared=_shared(f"{prefix}/", version_prefix, own, ordered, f"{path}/", folders),
        )
    return sorted(modules.values(), key=lambda m: m.path), rest, ambiguous


def _shared(prefix: str, version: str, own: set[str], ordered: list[str], path: str, folders: set[str]) -> bool:
    """True when a tag of ``ordered`` (sorted) starting with ``prefix`` and ``version`` is not
    one of ``own``, or a folder directly in ``path`` is named ``version`` and a digit
    (:attr:`Module.shared`)."""
    start = prefix + version
    at = bisect_left(ordered, start)
    while at < len(ordered) and ordered[at].startswith(start):
        if ordered[at] not in own:
            return True
        at += 1
    inside = re.compile(re.escape(path + version) + "[0-9][^/]*")
    return any(inside.fullmatch(folder) for folder in folders)


def _common_prefix(versions: list[str]) -> str:
    """The most common text before the first digit of ``versions`` (``v`` or '')."""
    counts = Counter(match.group(1) for v in versions if (match := _VERSION.match(v)))
    return counts.most_common(1)[0][0] if counts else ""


def module_pattern(module: Module) -> str:
    """The ``tag_pattern`` of a module: its prefix and version text, nothing deeper: a glob
    (``client/v*``) when that matches its own tags only, else a regular expression whose
    version holds no ``/`` (``re:client/v[0-9][^/]*`` beside a module ``client/v3``)."""
    if not module.shared and not any(c in module.prefix for c in "*?[]") and module.version_prefix:
        return f"{module.prefix}{module.version_prefix}*"
    return f"re:{re.escape(module.prefix + module.version_prefix)}[0-9][^/]*"


def guess_tag_pattern(tags: list[str], *, monorepo: bool = False) -> tuple[str, str]:
    """``(tag_pattern, exclude_pattern)`` for a repository's own tags: the most common text
    before the first digit (``v1.2.3`` gives ``v*``, ``release-2024.1`` gives ``release-*``),
    ``re:[0-9].*`` for bare version numbers; :data:`PRERELEASE` excluded when one is among
    them. In a ``monorepo``, the pattern stops at a ``/`` so no module's tag matches it, and
    only a release word's series (``release/1.0.0``) of the tags with a ``/`` can give it."""
    prefixes = Counter(prefix for tag in tags if (prefix := own_prefix(tag, monorepo=monorepo)) is not None)
    exclude = PRERELEASE if any(is_prerelease(t) for t in tags) else ""
    prefix = prefixes.most_common(1)[0][0] if prefixes else "v"
    if monorepo:
        return f"re:{re.escape(prefix)}[0-9][^/]*", exclude
    return (f"{prefix}*" if prefix else "re:[0-9].*"), exclude


def own_prefix(tag: str, *, monorepo: bool = False) -> str | None:
    """The text of ``tag`` before its first digit (``v`` of ``v1.2.3``, ``release-`` of
    ``release-2024.1``, ``""`` of ``1.0``): its series, when it can be the repository's own
    (:func:`guess_tag_pattern`); None for a tag with no digit (no release) and, in a
    ``monorepo``, for one whose text before it holds a ``/`` and is no release word's series."""
    match = re.match(r"^(\D*?)\d", tag)
    if match is None or (monorepo and "/" in match.group(1) and not _release_series(match.group(1))):
        return None
    return match.group(1)


def _release_series(prefix: str) -> bool:
    """True when ``prefix`` (a tag's text before its version) is a release word and a ``/``
    (``release/``, ``deploy/v``): the repository's own series (module docstring)."""
    word, sep, rest = prefix.partition("/")
    return bool(sep) and "/" not in rest and word.lower() in RELEASE_WORDS
