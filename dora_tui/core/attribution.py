"""Which deployments failed, which were rework, and when they recovered: the attribution rules. Pure.

Every rule that ties an incident to a deployment, or calls a deployment rework, is here:

- **A reference** (:func:`resolve_references`, then :func:`attribute`): an incident that names a
  deployment fails that one only. It names one by its name (a tag, an imported deployment's
  change number), by the sha (7 to 40 hex digits, :data:`SHA_RE`) of a commit that exactly
  one deployment of its service was the first to carry, or else by the sha of a deployment's
  own (tagged) commit, the latest one when several match.
- **The window** (:func:`attribute`): an incident that names none fails the deployment before
  it, when it opened at most ``window_hours`` after it (inclusive) and before the next one.
- **Recovery**: a failed deployment recovered when the last incident that failed it was resolved.
- **Rework**: a deployment made while an incident of its service was open (:func:`attribute`), or
  whose name or message — the whole message, of a tag or of an imported deployment alike —
  matches the service's ``rework_pattern`` (:func:`named_rework`), what names the service
  itself left out (:func:`own_words`: a module ``services/rollback-controller`` releases like
  any other; its name is not news of a failure).

The store answers the two questions a reference needs (is it a deployment's name; which
deployments first carried commits with this prefix) through the callables given to
:func:`resolve_references`; nothing here reads a database.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from collectors.records import Deployment, Incident, TagRef

SHA_RE = re.compile(r"[0-9a-fA-F]{7,40}")
"""A commit sha as an incident's reference may give it: 7 to 40 hex digits."""


@dataclass(frozen=True)
class Outcome:
    """What became of one deployment: failed, rework, recovered when, the incidents behind it,
    and the rollback that undid it (its name, ``""`` for none; a rollback itself names the
    deployment it undid in ``deployment.rollback_of``)."""

    deployment: Deployment
    failed: bool = False
    rework: bool = False
    recovered_at: int | None = None
    incidents: tuple[str, ...] = ()
    undone_by: str = ""


class Attribution(NamedTuple):
    """Per deployment (by index, oldest first): failed, rework, recovered when, the incidents
    that failed it (their ids), whether it is a rollback, and the rollback that undid it (by
    name); ``targets``: per incident, in the order they were given, the index of the
    deployment it failed (None for none) — two incidents of a service may share an id (two
    imports of one tool), never a place in that order."""

    failed: list[bool]
    rework: list[bool]
    recovered: list[int | None]
    causes: dict[int, list[str]]
    rollback: list[bool]
    undone_by: dict[int, str]
    targets: tuple[int | None, ...] = ()


def attribute(
    times: Sequence[int],
    names: Sequence[str],
    shas: Sequence[str],
    reworks: Sequence[bool],
    incidents: Iterable[Incident],
    window_hours: float,
    cutoff: int,
    rollback_of: Sequence[str] = (),
    dated: Sequence[bool] = (),
) -> Attribution:
    """Which of one service's deployments (sorted by time) failed, were rework, and recovered when.

    Only what was known before ``cutoff`` counts: later incidents are ignored, and an
    incident resolved at or after ``cutoff`` is still open. ``rollback_of`` gives, per
    deployment, the name of the deployment it undid when it is a rollback (:func:`rollbacks`):
    a rollback is rework, and the deployment it undid failed and recovered at the rollback,
    whatever incidents say (a measured failure, without any incident); when ``dated`` says the
    export did not date the rollback, no recovery time is taken from it.
    """
    n = len(times)
    by_name = {name: i for i, name in enumerate(names)}
    causes: dict[int, list[str]] = {}
    resolutions: dict[int, list[int | None]] = {}
    rework = list(reworks)
    limit = window_hours * 3600
    targets: list[int | None] = []
    for incident in incidents:
        opened = incident.opened_at
        if opened >= cutoff:
            targets.append(None)
            continue
        resolved = incident.resolved_at if incident.resolved_at is not None and incident.resolved_at < cutoff else None
        target = referenced(incident.reference, shas, by_name)
        if target is None:
            i = bisect_right(times, opened) - 1
            if i >= 0 and opened - times[i] <= limit:
                target = i
        targets.append(target)
        if target is not None:
            causes.setdefault(target, []).append(incident.id)
            resolutions.setdefault(target, []).append(resolved)
        # Deployments made while this incident was open are rework.
        hi = bisect_left(times, resolved) if resolved is not None else n
        for i in range(bisect_left(times, opened), hi):
            rework[i] = True
    failed = [False] * n
    recovered: list[int | None] = [None] * n
    for i, ends in resolutions.items():
        failed[i] = True
        if all(end is not None for end in ends):
            recovered[i] = max(ends)  # type: ignore[type-var]
    rollback = [False] * n
    undone_by: dict[int, str] = {}
    for i, undid in enumerate(rollback_of):
        j = by_name.get(undid) if undid else None
        if j is not None and j < i:
            rollback[i] = rework[i] = failed[j] = True
            undone_by[j] = names[i]
            if not dated or dated[i]:
                recovered[j] = times[i]
    return Attribution(failed, rework, recovered, causes, rollback, undone_by, tuple(targets))


def referenced(reference: str, shas: Sequence[str], by_name: dict[str, int]) -> int | None:
    """The index of the deployment an incident names explicitly: its name (a tag, a change number), or the
    sha of its tagged commit (the latest such deployment); None when it names none of them.
    ``shas`` are the deployments' tagged commits and ``by_name`` their indexes by name, oldest first."""
    ref = reference.strip()
    if not ref:
        return None
    if ref in by_name:
        return by_name[ref]
    if SHA_RE.fullmatch(ref):
        ref = ref.lower()
        for i in range(len(shas) - 1, -1, -1):
            if shas[i] and shas[i].startswith(ref):
                return i
    return None


def deployment_outcomes(
    deployments: Sequence[Deployment], incidents: Iterable[Incident], window_hours: float, cutoff: int
) -> list[Outcome]:
    """Outcomes of one service's deployments (sorted by time), given that service's incidents."""
    found = attribute(
        [d.time for d in deployments],
        [d.name for d in deployments],
        [d.sha for d in deployments],
        [d.rework for d in deployments],
        incidents,
        window_hours,
        cutoff,
        [d.rollback_of for d in deployments],
        [d.dated for d in deployments],
    )
    return [
        Outcome(
            d,
            failed=found.failed[i],
            rework=found.rework[i],
            recovered_at=found.recovered[i],
            incidents=tuple(found.causes.get(i, ())),
            undone_by=found.undone_by.get(i, ""),
        )
        for i, d in enumerate(deployments)
    ]


def outcomes_from_latest(deployments: Sequence[Deployment], incidents: Iterable[Incident]) -> bool:
    """Whether the outcomes of a service's latest ``deployments`` (sorted by time: the end of its
    history) follow from them alone, given the service's ``incidents``, the same as over its
    whole history.

    They do unless an incident that could fail one of them names a deployment outside them:
    an incident opened before the first of them cannot fail one (by the window), and rework
    depends only on when incidents were open.
    """
    first = deployments[0].time
    names = {d.name for d in deployments}
    return not any(i.opened_at >= first and i.reference.strip() and i.reference.strip() not in names for i in incidents)


def rollbacks(deployments: Sequence[TagRef]) -> dict[str, str]:
    """The rollbacks among a service's deployments (sorted by time, each with the commit it
    carried, ``sha``; ``""`` when unknown): rollback name -> the name of the deployment it undid.

    A rollback returns the service to a commit it ran before, other than the one it runs: the
    deployment it undid is the one it replaced (the one just before it), which failed. A
    deployment of the commit already running (a restart, a re-sync) is no rollback.
    """
    found: dict[str, str] = {}
    seen: set[str] = set()
    running = ""
    previous = ""
    for d in deployments:
        if d.sha and d.sha != running and d.sha in seen and previous:
            found[d.name] = previous
        if d.sha:
            seen.add(d.sha)
            running = d.sha
        previous = d.name
    return found


def resolve_references(
    incidents: Iterable[Incident],
    *,
    named: Callable[[str, str], bool],
    carriers: Callable[[str, str], set[str]],
) -> list[Incident]:
    """``incidents`` as :func:`attribute` reads them: a reference that is the sha (or a prefix of
    7+ hex digits) of commits that exactly one deployment of the incident's service was the
    first to carry becomes that deployment's name.

    ``named(service, reference)`` tells whether the service has a deployment of that name (then
    the reference stays: a name wins); ``carriers(service, prefix)`` gives the names of the
    service's deployments whose changes hold a commit starting with ``prefix`` (lower case).
    Any other reference is left as it is, for :func:`attribute` to match to a tagged commit.
    """
    out = []
    for incident in incidents:
        ref = incident.reference.strip()
        if incident.service is not None and SHA_RE.fullmatch(ref) and not named(incident.service, ref):
            names = carriers(incident.service, ref.lower())
            if len(names) == 1:
                incident = replace(incident, reference=next(iter(names)))
        out.append(incident)
    return out


@dataclass(frozen=True)
class OwnWords:
    """What names a service itself in its deployments' names and messages, and holds something
    its ``rework_pattern`` finds (:func:`own_words`): ``starts``, texts a deployment's name may
    begin with (its tag names' fixed start, its own names), longest first, taken out there by
    position in any case; and ``words``, its names found as whole words anywhere (not inside a
    longer one: ``ui`` is not found in ``quick``), in any case."""

    starts: tuple[str, ...] = ()
    words: re.Pattern[str] | None = None

    def masked(self, name: str, *messages: str) -> tuple[str, ...]:
        """``name`` and ``messages`` with what names the service put out of the way (a space
        in its place): the start of the name, the words anywhere, and the deployment's own
        name where a message repeats it (``git tag -a X -m X``), as in the name."""
        shown = name
        lowered = name.lower()
        for start in self.starts:
            end = len(start)
            if lowered.startswith(start.lower()) and (end == len(name) or not name[end].isalnum()):
                shown = " " + name[end:]
                break
        if self.words is not None:
            shown = self.words.sub(" ", shown)
        texts = [shown]
        for message in messages:
            if name and name in message:
                message = message.replace(name, shown)
            texts.append(self.words.sub(" ", message) if self.words is not None else message)
        return tuple(texts)


def own_words(rework: re.Pattern[str] | None, starts: Iterable[str], *names: str) -> OwnWords:
    """The :class:`OwnWords` of a service whose deployments' names may begin with ``starts``
    and whose names (its name, its path, ...) are ``names``; empty ones are ignored, and so are
    those in which ``rework`` (its ``rework_pattern``) finds nothing: they cannot make a
    deployment look like rework, and a pattern naming them (``^checkout-hotfix``) matches as
    written. A name that is itself one rework word (letters and digits the pattern matches
    whole: a module named ``rollback``) is taken out only at the start of a deployment's name:
    anywhere else it could be news of a real rollback, which is not told from the service's
    name."""
    if rework is None:
        return OwnWords()
    begins = tuple(sorted({s for s in starts if s and rework.search(s)}, key=len, reverse=True))
    words = {n for n in (*names, *starts) if n and rework.search(n) and not (n.isalnum() and rework.fullmatch(n))}
    if not words:
        return OwnWords(begins)
    ordered = sorted(words, key=len, reverse=True)
    found = re.compile(rf"(?<![^\W_])(?:{'|'.join(map(re.escape, ordered))})(?![^\W_])", re.IGNORECASE)
    return OwnWords(begins, found)


def named_rework(pattern: re.Pattern[str] | None, name: str, *messages: str, own: OwnWords | None = None) -> bool:
    """Whether a deployment is rework by its name or its message: ``pattern`` (a service's
    ``rework_pattern``) is found in its name or in any part of its message (a tag's subject
    and body, an imported deployment's message) once what names the service itself (``own``,
    :func:`own_words`) is put out of the way: that is the same in every deployment of the
    service and tells nothing of a failure."""
    if pattern is None:
        return False
    texts = (name, *messages) if own is None else own.masked(name, *messages)
    return any(pattern.search(text) for text in texts)
