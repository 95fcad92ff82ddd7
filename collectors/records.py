"""Plain row types shared by the collectors, the store and the metrics.

Every type here is a frozen dataclass of plain values. Times are whole seconds since the
Unix epoch, in UTC (``int``); conversion to a time zone happens only where months are cut
(:mod:`dora_tui.core.periods`) and where text is shown. Nothing here imports Textual or Rich.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TagRef:
    """A git tag as read from ``for-each-ref``: its name, the commit it points at, and its time.

    ``time`` is the tagger date of an annotated tag, or the committer date of the tagged
    commit for a lightweight tag. ``message`` is the annotated tag's subject ('' otherwise),
    ``body`` the rest of its message (without a signature), read for ``rework_pattern``.
    """

    name: str
    sha: str
    time: int
    annotated: bool
    message: str = ""
    body: str = ""


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit read from a streamed ``git log``.

    ``touches`` lists the configured path prefixes (monorepo ``path`` settings) that the
    commit's changed paths fall under, when they were asked for, else ``None``. Merge
    commits touch nothing (their diff is not read).
    """

    sha: str
    parents: tuple[str, ...]
    author_time: int
    committer_time: int
    author: str
    subject: str
    touches: tuple[str, ...] | None = None


CommitRow = tuple[str, str, int, int, str, str, "str | None"]
"""A commit as a compact row, the form that crosses from a reading process to the writer:
(sha, parents joined by spaces, author_time, committer_time, author, subject, touches joined
by ``\x1f`` or None when paths were not read)."""


@dataclass(frozen=True, slots=True)
class Deployment:
    """A deployment of a service: a matching tag, or a row of an imported CSV.

    ``baseline`` marks the first deployment of the service in the mined history: it counts
    as a deployment but carries no changes (README, What is measured). ``source`` is
    ``"git"`` or the import source name. ``rework`` is true when the tag name or message
    matches the service's ``rework_pattern`` (deployments made during an open incident are
    found by the metrics). ``rollback_of`` names the deployment a rollback undid: a
    deployment that returned the service to a commit it ran before (found by ``collect``).
    ``dated`` is false when the export does not say when it happened (a Kubernetes rollback
    to an old ReplicaSet) and ``time`` is only where it is placed: no duration is taken from it.
    """

    service: str
    name: str
    time: int
    sha: str = ""
    message: str = ""
    source: str = "git"
    baseline: bool = False
    rework: bool = False
    rollback_of: str = ""
    dated: bool = True


@dataclass(frozen=True, slots=True)
class Change:
    """A commit that first reached production in ``deployment`` of ``service``.

    ``lead_time_s`` is deployment time minus commit time, clamped to 0; ``negative`` records
    that the raw difference was below zero (clock skew), a data-quality warning.
    """

    service: str
    sha: str
    deployment: str
    commit_time: int
    deploy_time: int
    lead_time_s: int
    author: str = ""
    subject: str = ""
    negative: bool = False


@dataclass(frozen=True, slots=True)
class Incident:
    """An incident imported from a CSV export.

    ``service`` is the mapped service name, or ``None`` when the row could not be mapped
    (stored and counted as unmapped, never dropped); ``raw_service`` is the file's value.
    ``resolved_at`` is ``None`` while the incident is open. ``reference`` names a deployment
    explicitly (tag name, commit sha of 7+ hex digits, or change number) when known.
    """

    source: str
    id: str
    opened_at: int
    resolved_at: int | None
    service: str | None = None
    raw_service: str = ""
    team: str | None = None
    severity: str = ""
    title: str = ""
    reference: str = ""


@dataclass(frozen=True, slots=True)
class Ticket:
    """A work item imported from a ticket tool's CSV export.

    ``team`` is the mapped team (directly, or through ``service``), ``None`` when unmapped;
    ``raw_team`` is the file's value. ``unplanned`` is decided at import from the source's
    ``unplanned`` settings (types and labels).
    """

    source: str
    key: str
    created_at: int
    resolved_at: int | None
    team: str | None = None
    raw_team: str = ""
    service: str | None = None
    type: str = ""
    status: str = ""
    labels: tuple[str, ...] = ()
    title: str = ""
    unplanned: bool = False
