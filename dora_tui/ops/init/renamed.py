"""Releases that changed names: a repository's own tags ``v1.1.0`` … ``v1.3.0``, then
``release-2024.01.06`` and ``release-2024.01.07``.

Init takes the most common spelling for a repository's pattern (``v*``), so ``collect`` would
count none of the newer releases. A later series is said, with a pattern taking both, when
all of its tags (two at least, pre-releases left aside) came after the last tag the pattern
takes, in time (the first may be on that release's commit, at its time), and it is the
only such series (several new names at once are new components, not a rename). A side
series that ran beside the releases all along (git's ``gitgui-0.x`` beside ``v2.x``) is not
said, however new its newest tag, nor an older spelling, nor a single tag (a backup, a
one-off). Nor, so, is a rename whose old series went on being maintained for a while
(OpenSSL's ``OpenSSL_1_1_1*`` beside ``openssl-3.*``): by its tags alone it is not told from
a side series. A tag's series is its text before its first digit
(:func:`collectors.org.monorepo.own_prefix`); in a monorepo, a module's tags are no series of
the repository's own, and the pattern suggested stops at a ``/`` as the guessed one does.

``init --update`` says it only while the config's own entries of the repository leave the
newest of those tags out (:meth:`Renamed.taken_by`): once a person wrote a pattern taking
them, there is nothing more to say.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from collectors.org.monorepo import is_prerelease, own_prefix
from collectors.records import TagRef
from dora_tui.config import Pattern, Service
from dora_tui.core.inert import toml_string
from dora_tui.core.wording import counted

MIN_TAGS = 2  # tags a later series needs before it is said


@dataclass(frozen=True)
class Renamed:
    """A later series of a repository's own tags its pattern leaves out: its newest tag, and
    the line that says so."""

    repo: Path
    newest: str
    line: str

    def taken_by(self, entries: Iterable[Service]) -> bool:
        """Whether one of a config's ``entries`` (of this repository) takes the newest tag."""
        return any(entry.matches_tag(self.newest) for entry in entries)


def later_series(
    repo: Path, label: str, tags: Sequence[TagRef], own: Sequence[str], root: tuple[str, str], *, monorepo: bool
) -> Renamed | None:
    """The repository's own tags (``own``, among ``tags`` in time order) of series that began
    after the last tag its ``root`` ``(tag_pattern, exclude_pattern)`` takes (module
    docstring), or None."""
    pattern = Pattern.parse(root[0], label, "tag_pattern")
    exclude = Pattern.parse(root[1], label, "exclude_pattern")
    names = set(own)
    ordered = [t for t in tags if t.name in names and not exclude.matches(t.name) and not is_prerelease(t.name)]
    taken = [t for t in ordered if pattern.matches(t.name)]
    if not taken:
        return None
    last = max(taken, key=lambda t: t.time)
    series: dict[str, list[TagRef]] = {}
    for tag in ordered:
        prefix = own_prefix(tag.name, monorepo=monorepo)
        if prefix is not None and not pattern.matches(tag.name):
            series.setdefault(prefix, []).append(tag)
    later = {
        prefix: found
        for prefix, found in series.items()
        if len(found) >= MIN_TAGS and all(t.time >= last.time for t in found) and any(t.time > last.time for t in found)
    }
    if len(later) != 1:  # several new names at once are new components, not a rename
        return None
    newer = [t.name for t in sorted(next(iter(later.values())), key=lambda t: (t.time, t.name))]
    shown = ", ".join(newer[:3]) + (f" and {len(newer) - 3} more" if len(newer) > 3 else "")
    tail = "[0-9][^/]*" if monorepo else "[0-9].*"
    both = _both(root[0], [re.escape(prefix) + tail for prefix in sorted(later)])
    advice = f"take both (tag_pattern = {toml_string(both)})" if both else "write a tag_pattern that takes both"
    line = (
        f"{label}: its {counted(len(newer), 'tag')} after {last.name}, the last that tag_pattern = "
        f"{toml_string(root[0])} takes, {'is' if len(newer) == 1 else 'are'} named otherwise ({shown}): collect "
        f"would count none of them; if its releases changed names, {advice}"
    )
    return Renamed(repo, newer[-1], line)


def _both(pattern: str, later: list[str]) -> str:
    """A ``re:`` pattern taking what ``pattern`` takes and the ``later`` expressions; '' for
    a glob of more than a fixed start (none such is guessed)."""
    if pattern.startswith("re:"):
        earlier = pattern[3:]
    elif pattern.endswith("*") and not any(c in pattern[:-1] for c in "*?["):
        earlier = re.escape(pattern[:-1]) + ".*"
    else:
        return ""
    return "re:(?:" + "|".join([earlier, *later]) + ")"
