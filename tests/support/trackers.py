"""Hand-made items of the JSON ticket and incident exports, in each tool's own shape, for the tests.

:func:`board` makes a Trello board export from :func:`card` and :func:`move` /
:func:`created` / :func:`archived` actions; :func:`issue` a GitHub issue as ``gh issue list
--json`` writes it; :func:`status_incident` a Statuspage incident. Only the fields the
readers look at, plus a few they must pass over.
"""

from __future__ import annotations

from datetime import UTC, datetime

LISTS = {
    "todo": "To Do",
    "doing": "Doing",
    "done": "Done",
    "shipped": "Shipped ✅",
    "undone": "Undone",
    "notdone": "Not done yet",
}
"""The board's lists: id -> name."""


def card_id(created: str, n: int = 1) -> str:
    """A Trello id whose first 8 hex digits are the time ``created`` (ISO, UTC)."""
    seconds = int(datetime.fromisoformat(created).replace(tzinfo=UTC).timestamp())
    return f"{seconds:08x}{n:016x}"


def card(
    cid: str, list_id: str, *, name: str = "a card", labels: tuple[str, ...] = (), closed: bool = False, last: str = ""
) -> dict:
    """A card in list ``list_id``, with ``labels``, archived when ``closed``, last active at ``last``."""
    return {
        "id": cid,
        "name": name,
        "idList": list_id,
        "closed": closed,
        "shortLink": f"s{cid[-6:]}",
        "dateLastActivity": last or "2025-06-30T12:00:00.000Z",
        "labels": [{"id": f"l{i}", "name": label, "color": "red"} for i, label in enumerate(labels)],
        "badges": {"comments": 0},
    }


def _card_ref(cid: str) -> dict:
    return {"id": cid, "name": "a card", "idShort": 1, "shortLink": f"s{cid[-6:]}"}


def move(cid: str, when: str, before: str, after: str) -> dict:
    """An ``updateCard`` action moving card ``cid`` from list ``before`` to ``after``."""
    return {
        "type": "updateCard",
        "date": when,
        "data": {
            "card": {**_card_ref(cid), "idList": after},
            "old": {"idList": before},
            "listBefore": {"id": before, "name": LISTS[before]},
            "listAfter": {"id": after, "name": LISTS[after]},
        },
    }


def created(cid: str, when: str, list_id: str) -> dict:
    """The ``createCard`` action of card ``cid`` in list ``list_id``."""
    return {"type": "createCard", "date": when, "data": {"card": _card_ref(cid), "list": {"id": list_id}}}


def archived(cid: str, when: str) -> dict:
    """The ``updateCard`` action archiving card ``cid``."""
    return {
        "type": "updateCard",
        "date": when,
        "data": {"card": {**_card_ref(cid), "closed": True}, "old": {"closed": False}},
    }


def comment(cid: str, when: str) -> dict:
    """A ``commentCard`` action on card ``cid`` (says nothing of lists)."""
    return {"type": "commentCard", "date": when, "data": {"card": _card_ref(cid), "text": "looks good"}}


def board(cards: list[dict], actions: list[dict], *, name: str = "Storefront – Delivery") -> dict:
    """A board export holding ``cards`` and ``actions`` (given in any order: written newest first)."""
    return {
        "id": "68a2eb92b4b5cf5758315420",
        "name": name,
        "actions": sorted(actions, key=lambda a: a["date"], reverse=True),
        "cards": cards,
        "labels": [],
        "lists": [{"id": key, "name": value, "closed": False} for key, value in LISTS.items()],
        "members": [],
    }


def issue(
    number: int,
    created_at: str,
    *,
    state: str = "OPEN",
    closed_at: str | None = None,
    reason: str = "",
    labels: tuple[str, ...] = (),
    title: str = "an issue",
) -> dict:
    """A GitHub issue as ``gh issue list --json`` writes it (keys sorted)."""
    return {
        "assignees": [],
        "author": {"id": "U_1", "is_bot": False, "login": "ada", "name": ""},
        "closedAt": closed_at,
        "createdAt": created_at,
        "labels": [
            {"id": f"LA_{i}", "name": label, "description": "", "color": "d73a4a"} for i, label in enumerate(labels)
        ],
        "number": number,
        "state": state,
        "stateReason": reason,
        "title": title,
        "url": f"https://github.com/acme/shop/issues/{number}",
    }


def status_incident(
    iid: str,
    started: str,
    resolved: str | None,
    *,
    components: tuple[str, ...] = (),
    status: str = "resolved",
    impact: str = "major",
    updates: list[dict] | None = None,
) -> dict:
    """A Statuspage incident of ``components``, started at ``started``, resolved at ``resolved``."""
    return {
        "id": iid,
        "name": f"incident {iid}",
        "status": status,
        "created_at": started,
        "updated_at": resolved or started,
        "monitoring_at": None,
        "resolved_at": resolved,
        "impact": impact,
        "shortlink": "https://stspg.io/x",
        "started_at": started,
        "page_id": "3k7tqgm1c9dz",
        "incident_updates": updates or [],
        "components": [{"id": f"c{i}", "name": name, "status": "operational"} for i, name in enumerate(components)],
    }


def status_page(incidents: list[dict]) -> dict:
    """The body of ``GET /api/v2/incidents.json`` holding ``incidents``."""
    return {"page": {"id": "3k7tqgm1c9dz", "name": "Acme Shop", "time_zone": "Europe/Berlin"}, "incidents": incidents}


def rest_issue(
    number: int,
    created_at: str,
    *,
    repo: str = "acme/shop",
    state: str = "open",
    closed_at: str | None = None,
    reason: str | None = None,
    labels: tuple[str, ...] = (),
    title: str = "an issue",
) -> dict:
    """A GitHub issue as ``gh api repos/OWNER/REPO/issues`` writes it: ``url`` the API's,
    ``html_url`` the page's, lower-case ``state`` and ``state_reason``."""
    return {
        "url": f"https://api.github.com/repos/{repo}/issues/{number}",
        "repository_url": f"https://api.github.com/repos/{repo}",
        "html_url": f"https://github.com/{repo}/issues/{number}",
        "id": 1000 + number,
        "number": number,
        "title": title,
        "user": {"login": "ada", "id": 1},
        "labels": [{"id": i, "name": label, "color": "d73a4a"} for i, label in enumerate(labels)],
        "state": state,
        "state_reason": reason,
        "created_at": created_at,
        "closed_at": closed_at,
    }
