"""GitHub issues, one ticket an issue: ``gh issue list --state all --json
number,title,state,createdAt,closedAt,labels,author,assignees,stateReason,url`` (or the REST
API's ``gh api repos/OWNER/REPO/issues?state=all --paginate``).

- **Tickets**: every issue (pull requests in a REST listing are left out, counted). Created at
  ``createdAt``; resolved at ``closedAt`` when it is closed as done. An issue closed as not
  planned or as a duplicate is not resolved work: it is kept, not resolved, its status
  saying why (``CLOSED (NOT_PLANNED)``), and counted in a note. An open issue is not
  resolved, whatever ``closedAt`` says (reopened: gh shows ``stateReason`` ``REOPENED``).
- **Incidents**: the issues with one of the ``incident_labels`` (default ``incident``), from
  ``createdAt`` to ``closedAt`` (open: not resolved). ``import tickets`` takes these too
  (the work of fixing them is unplanned by the default rule, through the label
  ``incident``); ``import incidents`` takes only them, the other issues counted as of
  other types. An incident issue closed as not planned or duplicate was no outage of its
  own: left out, counted.
- Labels give the service (the first that maps: ``service:checkout`` tries ``checkout``),
  the type and the unplanned rule (:mod:`collectors.trackers.context`); a label such as
  ``sev1`` or ``P2`` an incident's severity. A ticket's team value is the repository
  (``acme/shop``, from the issue's URL): ``--team``, else ``team_map`` on it, else the team
  of the issue's service. Key: ``acme/shop#1336``, the same from gh's fields and the REST
  API's: the repository is read from ``url`` (gh's ``https://github.com/OWNER/REPO/issues/N``
  or the API's ``https://api.github.com/repos/OWNER/REPO/issues/N``, GitHub Enterprise's
  ``/api/v3`` too), else ``html_url``, else ``repository_url``. An issue whose repository
  none of them names is a bad item: keyed by its number alone, the issues of two
  repositories would overwrite each other.
- A bad item: one that is not an object, a field of the wrong type (``title is not a
  string``), or an issue already on an earlier item (same repository and number: the two
  would store as one).
"""

from __future__ import annotations

import re

from collectors.items.values import Bad, moment, obj, optional_text, text
from collectors.records import Incident, Ticket
from collectors.trackers.context import TrackerContext, severity_label

NAME = "github-issues"

NOT_DONE = frozenset({"not_planned", "duplicate"})
"""Close reasons (case ignored) that are not resolved work."""

LEFT_OUT = {
    "kind": "{n} item{s} that are no GitHub issue left out: {values}",
    "pull": "{n} pull request{s} left out: {values}",
    "not incident": "{n} issue{s} without an incident label left out (tickets, not incidents)",
    "not done": "{n} incident issue{s} closed as not planned or duplicate left out (no outage of their own): {values}",
}
"""Why items are left out (see :class:`~collectors.items.context.ItemTally`)."""

_REPOSITORY = (
    re.compile(r"https?://[^/]+/(?:api/v3/)?repos/([^/]+/[^/]+)(?:/(?:issues|pulls)/\d+)?/?"),  # the API's
    re.compile(r"https?://[^/]+/([^/]+/[^/]+)/(?:issues|pull)/\d+/?"),  # the web page's
)
"""The repository (``OWNER/REPO``) in an issue's URL, the API's tried first."""


def claims(item: dict[str, object]) -> bool:
    """Whether ``item`` is a GitHub issue (gh's or the REST API's fields)."""
    return "number" in item and "state" in item and ("createdAt" in item or "created_at" in item) and "title" in item


def _field(item: dict[str, object], gh: str, rest: str) -> object:
    return item[gh] if gh in item else item.get(rest)


def read(items: list[object], ctx: TrackerContext) -> None:
    """Read every issue of ``items`` as ``ctx.settings.kind`` (see the module docstring)."""
    incidents = ctx.settings.kind == "incidents"
    incident_labels = frozenset(x.casefold() for x in ctx.settings.incident_labels)
    not_done = 0
    for number, item in ctx.claimed(items, claims, "title"):
        if item.get("pull_request") is not None:
            ctx.leave_out("pull", f"#{item.get('number')}")
            continue
        name = f"#{item.get('number')}"
        try:
            labels = _labels(item)
            reason = optional_text(_field(item, "stateReason", "state_reason"), "stateReason").casefold()
            state = text(item.get("state"), "state").casefold()
            if incidents and not any(x.casefold() in incident_labels for x in labels):
                ctx.leave_out("not incident", name)
                continue
            if incidents and state == "closed" and reason in NOT_DONE:
                ctx.leave_out("not done", name)
                continue
            row = _incident(item, labels, incident_labels, ctx) if incidents else _ticket(item, labels, reason, ctx)
        except Bad as exc:
            ctx.fail(number, name, str(exc), item)
            continue
        if ctx.keep(number, name, [row], item) and not incidents and state == "closed" and reason in NOT_DONE:
            not_done += 1
    if not_done:
        ctx.say(
            f"{not_done} issue{'s' if not_done != 1 else ''} closed as not planned or duplicate "
            "stored as not resolved (not resolved work)"
        )


def _labels(item: dict[str, object]) -> list[str]:
    """The names of an issue's labels (objects with a ``name``, or plain strings)."""
    labels = item.get("labels") or []
    if not isinstance(labels, list):
        raise Bad("labels is not a list")
    names = []
    for label in labels:
        value = (
            optional_text(obj(label, "a label").get("name"), "a label's name") if not isinstance(label, str) else label
        )
        if value.strip():
            names.append(value.strip())
    return names


def _times(item: dict[str, object], ctx: TrackerContext, resolved_too: bool) -> tuple[int, int | None]:
    """(created, closed or None) of an issue; closed only when it is closed and ``resolved_too``."""
    tz = ctx.settings.tz
    created = moment(_field(item, "createdAt", "created_at"), "createdAt", tz)
    closed = None
    if resolved_too and str(item.get("state")).casefold() == "closed":
        closed = moment(_field(item, "closedAt", "closed_at"), "closedAt", tz)
        if closed < created:
            raise Bad("closedAt is before createdAt")
    return created, closed


def _repository(item: dict[str, object]) -> str:
    """The ``OWNER/REPO`` of an issue, from the first of its URLs that names one (see the
    module docstring); Bad when none does."""
    given = False
    for field in ("url", "html_url", "repository_url"):
        url = optional_text(item.get(field), field)
        given = given or bool(url)
        for pattern in _REPOSITORY:
            found = pattern.fullmatch(url)
            if found:
                return found.group(1)
    raise Bad("no repository: its url names none" if given else "no repository: it has no url")


def _key(item: dict[str, object]) -> str:
    number = item.get("number")
    if isinstance(number, bool) or not isinstance(number, int | str) or not str(number).isdigit():
        raise Bad("no issue number" if number in (None, "") else f"number {number!r} is not a whole number")
    return f"{_repository(item)}#{number}"


def _ticket(item: dict[str, object], labels: list[str], reason: str, ctx: TrackerContext) -> Ticket:
    key = _key(item)
    created, closed = _times(item, ctx, reason not in NOT_DONE)
    state = text(item.get("state"), "state").upper()  # gh writes CLOSED, the API closed: one status
    status = f"{state} ({reason.upper()})" if state.casefold() == "closed" and reason in NOT_DONE else state
    service, _ = ctx.service(labels)
    typ, unplanned = ctx.ticket_labels(labels)
    repository = _repository(item)
    team = ctx.team(repository, service)
    title = optional_text(item.get("title"), "title")
    return Ticket(
        ctx.source, key, created, closed, team, repository, service, typ, status, tuple(labels), title, unplanned
    )


def _incident(
    item: dict[str, object], labels: list[str], incident_labels: frozenset[str], ctx: TrackerContext
) -> Incident:
    key = _key(item)
    created, closed = _times(item, ctx, True)
    others = [x for x in labels if x.casefold() not in incident_labels]
    service, raw = ctx.service(others)
    if service is None:  # its value for doctor: a label that is not a type or an unplanned label
        raw = next((x for x in others if x.casefold() not in ctx.unplanned.labels), "")
    team = ctx.team("", service)
    title = optional_text(item.get("title"), "title")
    return Incident(ctx.source, key, created, closed, service, raw, team, severity_label(others), title)
