"""Trello: a board's "Export as JSON" (Board menu → Print, export and share), one ticket a card.

- **Created**: the time in the card's id (a MongoDB ObjectId: its first 8 hex digits are
  Unix seconds), which the export keeps even when it dropped the card's ``createCard`` action.
- **Resolved**: when the card stands in a done list (``done_lists``, default the lists named
  like Done, Complete, Completed, Shipped, Released: a word of the list's name, case
  ignored, in a name that does not deny it: "Not done yet" is no done list), archived there
  or not, at the time it last went from a list that is not done into a done one (moves
  between two done lists keep the first). A card moved to Done and back is not resolved;
  moved to Done again, it is resolved at that last move. Without such
  a move in the actions (an export keeps only the most recent actions: about 1000 on a busy
  board), the time of the ``createCard`` action when the card was created in a done list,
  else of its archiving there, else the card's ``dateLastActivity``, and the summary says
  how many cards were dated so.
- A card archived in a list that is not done is not resolved work: it is kept, not
  resolved, its status saying so (``To Do (archived)``), and counted in a note.
- **Status**: the name of its list; **labels**: its labels' names (the type and the
  unplanned rule: :mod:`collectors.trackers.context`); **service**: the first label that
  maps to a service; **team**: ``--team``, else the board's name through ``team_map`` (or
  naming a team), else the team of its service. **Key**: the card's short link (the
  ``/c/...`` part of its URL).

Items: the file holds one board (or several, back to back); a bad item is named by its
card's place in its board's ``cards`` (``item 3 (NAME)``): a card that is not an object,
has a field of the wrong type (``name is not a string``, ``closed is not true or false``),
or whose short link (else id) is already on an earlier card (the two would store as one).
An item of the file that is not an object is bad, named by its place in the file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from collectors.items.values import Bad, flag, moment, name_of, obj, optional_text, text
from collectors.records import Ticket
from collectors.trackers.context import TrackerContext, words_pattern

NAME = "trello"
NEGATED = words_pattern(("not", "no", "never", "nothing"))
"""A word that denies a list's done word ("Not done yet", "Never shipped"): no done list."""

LEFT_OUT = {
    "kind": "{n} item{s} that are no Trello board left out: {values}",
}
"""Why items are left out (see :class:`~collectors.items.context.ItemTally`)."""


def claims(item: dict[str, object]) -> bool:
    """Whether ``item`` is a Trello board export: it holds its ``cards`` and ``lists``."""
    return isinstance(item.get("cards"), list) and isinstance(item.get("lists"), list)


@dataclass
class _Card:
    """What the actions say of one card, oldest first: its moves and archiving."""

    created_in: str = ""  # the list of its createCard action
    created_at: int | None = None
    entered_done: int | None = None  # last move from a list that is not done into a done one
    archived_at: int | None = None  # last archiving


def read(items: list[object], ctx: TrackerContext) -> None:
    """Read every board of ``items`` into tickets (see the module docstring)."""
    dated_by_activity: list[str] = []
    archived_open: list[str] = []
    for _, board in ctx.claimed(items, claims, "name"):
        _board(board, ctx, dated_by_activity, archived_open)
    if dated_by_activity:
        ctx.say(
            f"{len(dated_by_activity)} card{'s' if len(dated_by_activity) != 1 else ''} in a done list "
            "resolved at their last activity: the export's actions do not show their move there "
            f"(Trello keeps only the most recent actions): {', '.join(dated_by_activity[:5])}"
            + (" …" if len(dated_by_activity) > 5 else "")
        )
    if archived_open:
        ctx.say(
            f"{len(archived_open)} card{'s' if len(archived_open) != 1 else ''} archived outside a done list "
            f"stored as not resolved: {', '.join(archived_open[:5])}" + (" …" if len(archived_open) > 5 else "")
        )


def _board(board: dict[str, object], ctx: TrackerContext, dated: list[str], archived_open: list[str]) -> None:
    """The tickets of one board."""
    done = words_pattern(ctx.settings.done_lists)
    list_names: dict[str, str] = {}
    for entry in _list(board.get("lists")):
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            list_names[str(entry["id"])] = str(entry.get("name") or "")
    board_name = str(board.get("name") or "")

    def is_done(list_id: str) -> bool:
        name = list_names.get(list_id, "").casefold()
        return done.search(name) is not None and NEGATED.search(name) is None

    history = _history(board, is_done, ctx)
    cards = board.get("cards") or []
    for number, card in enumerate(cards if isinstance(cards, list) else [], 1):
        name = name_of(card, "name") if isinstance(card, dict) and isinstance(card.get("name"), str) else ""
        if not isinstance(card, dict):
            ctx.fail(number, name, "not an object", card)
            continue
        try:
            ticket, how = _ticket(card, board_name, history, is_done, list_names, ctx)
        except Bad as exc:
            ctx.fail(number, name, str(exc), card)
            continue
        if not ctx.keep(number, name, [ticket], card):
            continue
        if how == "activity":
            dated.append(ticket.key)
        elif how == "archived open":
            archived_open.append(ticket.key)


def _history(board: dict[str, object], is_done: Callable[[str], bool], ctx: TrackerContext) -> dict[str, _Card]:
    """What the board's actions say of each card, by card id (actions come newest first)."""
    found: dict[str, _Card] = defaultdict(_Card)
    actions = [a for a in _list(board.get("actions")) if isinstance(a, dict)]
    dated = []
    for action in actions:
        try:
            dated.append((moment(action.get("date"), "date", ctx.settings.tz), action))
        except Bad:
            continue  # an action without a readable date tells nothing of when
    dated.sort(key=lambda pair: pair[0])
    for when, action in dated:
        data = action.get("data")
        if not isinstance(data, dict) or not isinstance(data.get("card"), dict):
            continue
        card = data["card"]
        card_id = card.get("id")
        if not isinstance(card_id, str):
            continue
        state = found[card_id]
        kind = action.get("type")
        after = data.get("listAfter")
        before = data.get("listBefore")
        listed = data.get("list")
        if kind in ("createCard", "copyCard", "convertToCardFromCheckItem", "emailCard", "moveCardToBoard"):
            state.created_in = listed.get("id", "") if isinstance(listed, dict) else ""
            state.created_at = when
            if is_done(state.created_in):
                state.entered_done = when
        elif kind == "updateCard" and isinstance(after, dict):
            into = str(after.get("id") or "")
            out_of = str(before.get("id") or "") if isinstance(before, dict) else ""
            if is_done(into):
                if not is_done(out_of) or state.entered_done is None:
                    state.entered_done = when
            else:
                state.entered_done = None
        elif kind == "updateCard" and isinstance(data.get("old"), dict) and card.get("closed") is True:
            state.archived_at = when
    return found


def _ticket(
    card: dict[str, object],
    board: str,
    history: dict[str, _Card],
    is_done: Callable[[str], bool],
    list_names: dict[str, str],
    ctx: TrackerContext,
) -> tuple[Ticket, str]:
    """The ticket of ``card``, and how it was resolved ('' when not, or as the module says)."""
    card_id = text(card.get("id"), "id")
    key = optional_text(card.get("shortLink"), "shortLink") or card_id
    created = _id_time(card_id)
    state = history.get(card_id, _Card())
    list_id = optional_text(card.get("idList"), "idList")
    archived = flag(card.get("closed"), "closed")
    status = list_names.get(list_id, list_id) + (" (archived)" if archived else "")
    resolved: int | None = None
    how = ""
    if is_done(list_id):
        if state.entered_done is not None:
            resolved = state.entered_done
        elif archived and state.archived_at is not None:
            resolved = state.archived_at
        else:
            resolved = moment(card.get("dateLastActivity"), "dateLastActivity", ctx.settings.tz)
            how = "activity"
        if resolved < created:
            raise Bad(f"resolved ({_iso(resolved)}) before it was created ({_iso(created)}, the time in its id)")
    elif archived:
        how = "archived open"
    labels = [
        name
        for label in _list(card.get("labels"))
        if (name := optional_text(obj(label, "a label").get("name"), "a label's name"))
    ]
    service, _ = ctx.service(labels)
    typ, unplanned = ctx.ticket_labels(labels)
    team = ctx.team(board, service)
    title = optional_text(card.get("name"), "name")
    return Ticket(
        ctx.source, key, created, resolved, team, board, service, typ, status, tuple(labels), title, unplanned
    ), how


def _id_time(card_id: str) -> int:
    """The creation time in a Trello id: its first 8 hex digits, Unix seconds."""
    try:
        seconds = int(card_id[:8], 16)
    except ValueError:
        raise Bad(f"id {card_id!r} does not start with a time (8 hex digits)") from None
    if len(card_id) < 8 or seconds <= 0:
        raise Bad(f"id {card_id!r} does not start with a time (8 hex digits)")
    return seconds


def _list(value: object) -> list[object]:
    """``value`` when it is a list, else an empty one (a field an export left out or nulled)."""
    return value if isinstance(value, list) else []


def _iso(seconds: int) -> str:
    """``seconds`` as an ISO 8601 time, UTC (for a message)."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
