"""The JSON ticket and incident readers on hand-made exports: a Trello card moved to Done and
back, archived, or whose actions the export cut; a GitHub issue reopened, closed as not
planned, or listed by the REST API; a Statuspage incident still open, of two components, or
a maintenance; and bad items, named by their number."""

from __future__ import annotations

import json

import pytest

from collectors.errors import InputError
from collectors.items.load import load_items
from collectors.trackers.read import TrackerSettings, read_trackers
from support.gitbuilder import epoch
from support.trackers import (
    archived,
    board,
    card,
    card_id,
    comment,
    created,
    issue,
    move,
    rest_issue,
    status_incident,
    status_page,
)

SERVICES = {"checkout": "payments", "payments-api": "payments", "search": "storefront"}
TEAMS = frozenset({"payments", "storefront"})


def read(document: object, kind: str = "tickets", **settings):
    settings.setdefault("services", SERVICES)
    settings.setdefault("teams", TEAMS)
    items = load_items(json.dumps(document).encode(), "export.json")
    return read_trackers(items, "export.json", TrackerSettings(kind, **settings))


def one(result):
    (row,) = result.rows
    return row


CREATED = "2025-06-02T09:00:00"
CID = card_id(CREATED)


def test_a_card_moved_to_done_and_back_is_not_resolved() -> None:
    actions = [
        created(CID, "2025-06-02T09:00:00.000Z", "todo"),
        move(CID, "2025-06-03T10:00:00.000Z", "todo", "done"),
        move(CID, "2025-06-04T10:00:00.000Z", "done", "doing"),
    ]
    ticket = one(read(board([card(CID, "doing")], actions)))
    assert (ticket.created_at, ticket.resolved_at, ticket.status) == (epoch(CREATED), None, "Doing")


def test_a_card_back_in_done_is_resolved_at_the_move_that_stands_and_a_move_between_done_lists_keeps_it() -> None:
    actions = [
        move(CID, "2025-06-03T10:00:00.000Z", "todo", "done"),
        move(CID, "2025-06-04T10:00:00.000Z", "done", "doing"),
        move(CID, "2025-06-05T10:00:00.000Z", "doing", "done"),
        move(CID, "2025-06-09T10:00:00.000Z", "done", "shipped"),  # both done lists: still done on the 5th
    ]
    ticket = one(read(board([card(CID, "shipped")], actions)))
    assert (ticket.resolved_at, ticket.status) == (epoch("2025-06-05T10:00:00"), "Shipped ✅")


def test_done_lists_are_words_of_the_list_name_and_the_setting_names_them() -> None:
    actions = [move(CID, "2025-06-03T10:00:00.000Z", "todo", "undone")]
    assert one(read(board([card(CID, "undone")], actions))).resolved_at is None  # "Undone" is not "Done"
    not_yet = [move(CID, "2025-06-03T10:00:00.000Z", "todo", "notdone")]
    assert one(read(board([card(CID, "notdone")], not_yet))).resolved_at is None  # nor is "Not done yet"
    named = read(board([card(CID, "undone")], actions), done_lists=("undone",))
    assert one(named).resolved_at == epoch("2025-06-03T10:00:00")
    moved = [move(CID, "2025-06-03T10:00:00.000Z", "todo", "done")]
    assert one(read(board([card(CID, "done")], moved), done_lists=("Shipped",))).resolved_at is None


def test_an_archived_card_counts_only_in_a_done_list() -> None:
    in_done = [archived(CID, "2025-06-07T10:00:00.000Z")]  # its move to Done is older than the export
    ticket = one(read(board([card(CID, "done", closed=True)], in_done)))
    assert (ticket.resolved_at, ticket.status) == (epoch("2025-06-07T10:00:00"), "Done (archived)")
    result = read(board([card(CID, "todo", closed=True)], in_done))
    assert (one(result).resolved_at, one(result).status) == (None, "To Do (archived)")
    assert result.notes == (f"1 card archived outside a done list stored as not resolved: s{CID[-6:]}",)


def test_truncated_actions_resolve_a_done_card_at_its_last_activity_and_say_so() -> None:
    last = "2025-06-20T16:00:00.000Z"
    result = read(board([card(CID, "done", last=last)], [comment(CID, "2025-06-20T16:00:00.000Z")]))
    ticket = one(result)
    assert (ticket.created_at, ticket.resolved_at) == (epoch(CREATED), epoch("2025-06-20T16:00:00"))
    assert result.notes[0].startswith("1 card in a done list resolved at their last activity")
    # Created in Done: resolved as it was created, no note.
    straight = read(board([card(CID, "done")], [created(CID, "2025-06-02T09:00:00.000Z", "done")]))
    assert (one(straight).resolved_at, straight.notes) == (epoch(CREATED), ())


def test_card_labels_give_the_service_the_type_and_the_unplanned_rule() -> None:
    cards = [
        card(card_id(CREATED, 1), "todo", labels=("Bug", "search")),
        card(card_id(CREATED, 2), "todo", labels=("Feature", "service:checkout")),
        card(card_id(CREATED, 3), "todo", labels=("hotfix", "Chore")),
        card(card_id(CREATED, 4), "todo", labels=("search", "checkout", "Spike")),  # two service labels: the first
    ]
    rows = read(board(cards, []), unplanned_labels=("hotfix",)).rows
    assert [(t.type, t.unplanned, t.service, t.team) for t in rows] == [
        ("Bug", True, "search", "storefront"),
        ("Feature", False, "checkout", "payments"),
        ("Chore", True, None, None),
        ("Spike", False, "search", "storefront"),
    ]


def test_a_bad_card_is_named_by_its_number_and_the_others_are_read() -> None:
    result = read(board([card(CID, "todo"), card("not-hex-id", "todo", name="Broken")], []))
    assert len(result.rows) == 1
    (error,) = result.errors
    assert (error.item, error.name) == (2, "Broken")
    assert error.reason == "id 'not-hex-id' does not start with a time (8 hex digits)"


def test_a_reopened_issue_is_open_whatever_its_old_closing_time() -> None:
    reopened = issue(
        7,
        "2025-06-01T10:00:00Z",
        state="OPEN",
        closed_at="2025-06-02T10:00:00Z",
        reason="REOPENED",
        labels=("incident",),
    )
    assert (one(read([reopened])).resolved_at, one(read([reopened])).status) == (None, "OPEN")
    assert one(read([reopened], "incidents")).resolved_at is None  # an open incident again


def test_issues_not_planned_as_tickets_and_incidents_and_custom_incident_labels() -> None:
    items = [
        issue(
            1,
            "2025-06-01T10:00:00Z",
            state="CLOSED",
            closed_at="2025-06-01T12:00:00Z",
            reason="COMPLETED",
            labels=("outage", "sev1", "area/search"),
        ),
        issue(
            2,
            "2025-06-02T10:00:00Z",
            state="CLOSED",
            closed_at="2025-06-02T12:00:00Z",
            reason="NOT_PLANNED",
            labels=("outage",),
        ),
        issue(3, "2025-06-03T10:00:00Z", labels=("outage", "checkout")),
        issue(4, "2025-06-04T10:00:00Z", labels=("bug",)),
    ]
    incidents = read(items, "incidents", incident_labels=("Outage",))
    assert [(i.id, i.service, i.severity, i.resolved_at) for i in incidents.rows] == [
        ("acme/shop#1", "search", "sev1", epoch("2025-06-01T12:00:00")),
        ("acme/shop#3", "checkout", "", None),
    ]
    assert incidents.notes == (
        "1 issue without an incident label left out (tickets, not incidents)",
        "1 incident issue closed as not planned or duplicate left out (no outage of their own): '#2' (1)",
    )
    tickets = read(items, "tickets")
    assert [t.resolved_at for t in tickets.rows] == [epoch("2025-06-01T12:00:00"), None, None, None]


def test_the_rest_api_shape_is_read_and_its_pull_requests_left_out() -> None:
    items = [
        {
            "number": 9,
            "title": "fix",
            "state": "closed",
            "state_reason": "completed",
            "created_at": "2025-06-01T10:00:00Z",
            "closed_at": "2025-06-03T10:00:00Z",
            "labels": [{"name": "bug"}],
            "html_url": "https://github.com/acme/shop/issues/9",
        },
        {
            "number": 10,
            "title": "pr",
            "state": "open",
            "created_at": "2025-06-01T10:00:00Z",
            "labels": [],
            "pull_request": {"url": "x"},
            "html_url": "https://github.com/acme/shop/pull/10",
        },
    ]
    result = read(items, team="payments")
    ticket = one(result)
    assert (ticket.key, ticket.resolved_at, ticket.unplanned, ticket.team) == (
        "acme/shop#9",
        epoch("2025-06-03T10:00:00"),
        True,
        "payments",
    )
    assert result.notes == ("1 pull request left out: '#10' (1)",)


def test_a_bad_issue_is_named_by_its_number_and_number() -> None:
    result = read([issue(1, "2025-06-01T10:00:00Z"), issue(2, "yesterday")])
    (error,) = result.errors
    assert (error.item, error.name, error.reason) == (2, "#2", "createdAt 'yesterday' is not a time")


def test_a_statuspage_incident_still_open_and_one_of_two_components() -> None:
    items = status_page(
        [
            status_incident(
                "open1", "2025-06-01T10:00:00.000+02:00", None, components=("Search",), status="identified"
            ),
            status_incident(
                "two",
                "2025-06-02T10:00:00.000+02:00",
                "2025-06-02T11:00:00.000+02:00",
                components=("Checkout", "Payments API", "Checkout"),
            ),
            status_incident(
                "same",
                "2025-06-03T10:00:00.000+02:00",
                "2025-06-03T11:00:00.000+02:00",
                components=("Checkout", "checkout"),
            ),  # one service: one incident
        ]
    )
    result = read(items, "incidents")
    assert [(i.id, i.service, i.team, i.resolved_at) for i in result.rows] == [
        ("open1", "search", "storefront", None),
        ("two", "checkout", "payments", epoch("2025-06-02T11:00:00+02:00")),
        ("two:payments-api", "payments-api", "payments", epoch("2025-06-02T11:00:00+02:00")),
        ("same", "checkout", "payments", epoch("2025-06-03T11:00:00+02:00")),
    ]
    assert result.notes == (
        "1 incident of components of several services stored once for each service (ID, then ID:SERVICE)",
    )


def test_statuspage_maintenances_left_out_a_resolution_from_its_update_and_a_list_of_incidents() -> None:
    resolved_by_update = status_incident(
        "u1",
        "2025-06-01T10:00:00Z",
        None,
        components=("Search",),
        updates=[{"status": "resolved", "created_at": "2025-06-01T12:00:00Z"}],
    )
    maintenance = status_incident("m1", "2025-06-02T10:00:00Z", None, impact="maintenance", status="scheduled")
    result = read([resolved_by_update, maintenance], "incidents")
    assert one(result).resolved_at == epoch("2025-06-01T12:00:00")
    assert result.notes == ("1 scheduled maintenance left out: 'incident m1' (1)",)
    bad = read([status_incident("b1", "2025-06-02T10:00:00Z", "2025-06-01T10:00:00Z")], "incidents")
    assert [(e.item, e.name, e.reason) for e in bad.errors] == [(1, "incident b1", "resolved_at is before started_at")]


@pytest.mark.parametrize(
    "document, kind, message",
    [
        ([{"login": "ada"}], "tickets", "export.json: item 1: of no known format for tickets: not a Trello board"),
        (status_page([]), "tickets", "export.json: the statuspage format holds incidents, not tickets"),
    ],
)
def test_a_file_of_no_known_format_or_the_wrong_kind_is_refused_in_one_line(document, kind, message) -> None:
    with pytest.raises(InputError) as refused:
        read(document, kind)
    assert str(refused.value).startswith(message)


def test_a_rest_issue_keeps_its_repository_as_gh_lists_it() -> None:
    closed = {"state": "closed", "closed_at": "2025-06-03T10:00:00Z", "reason": "completed"}
    rest = rest_issue(1288, "2025-06-01T10:00:00Z", labels=("bug",), **closed)
    listed = issue(1288, "2025-06-01T10:00:00Z", state="CLOSED", closed_at="2025-06-03T10:00:00Z", reason="COMPLETED")
    assert one(read([rest])).key == one(read([listed])).key == "acme/shop#1288"
    assert one(read([rest])).status == one(read([listed])).status == "CLOSED"
    other = rest_issue(1288, "2025-06-01T10:00:00Z", repo="acme/web")
    mapped = read([rest, other], team_map={"acme/shop": "payments", "acme/web": "storefront"})
    assert [(t.key, t.team) for t in mapped.rows] == [("acme/shop#1288", "payments"), ("acme/web#1288", "storefront")]
    only_repository = {k: v for k, v in rest.items() if k not in ("url", "html_url")}
    enterprise = {**rest, "url": "https://ghe.acme.dev/api/v3/repos/acme/ops/issues/3", "number": 3}
    assert [t.key for t in read([only_repository, enterprise]).rows] == ["acme/shop#1288", "acme/ops#3"]


def test_an_issue_whose_repository_cannot_be_told_is_a_bad_item() -> None:
    no_url = {k: v for k, v in rest_issue(1, "2025-06-01T10:00:00Z").items() if "url" not in k}
    elsewhere = {**issue(2, "2025-06-01T10:00:00Z"), "url": "https://example.com/tracker/2"}
    result = read([no_url, elsewhere, issue(3, "2025-06-01T10:00:00Z")])
    assert [t.key for t in result.rows] == ["acme/shop#3"]
    assert [(e.item, e.name, e.reason) for e in result.errors] == [
        (1, "#1", "no repository: it has no url"),
        (2, "#2", "no repository: its url names none"),
    ]


def test_an_id_repeated_in_one_export_is_a_bad_item_naming_the_first() -> None:
    first, again = card(card_id(CREATED, 1), "todo", name="first"), card(card_id(CREATED, 2), "todo", name="again")
    again["shortLink"] = first["shortLink"]
    trello = read(board([first, again], []))
    assert [t.title for t in trello.rows] == ["first"]
    assert [(e.item, e.name, e.reason) for e in trello.errors] == [
        (2, "again", f"id {first['shortLink']!r} already on item 1")
    ]
    issues = read(
        [issue(5, "2025-06-01T10:00:00Z"), issue(6, "2025-06-01T10:00:00Z"), issue(5, "2025-06-02T10:00:00Z")]
    )
    assert [(e.item, e.reason) for e in issues.errors] == [(3, "id 'acme/shop#5' already on item 1")]
    assert len(issues.rows) == 2
    twice = [status_incident("x1", "2025-06-01T10:00:00Z", None, status="identified")] * 2
    incidents = read(status_page(twice), "incidents")
    assert (len(incidents.rows), [(e.item, e.reason) for e in incidents.errors]) == (
        1,
        [(2, "id 'x1' already on item 1")],
    )


def test_a_field_of_the_wrong_type_or_an_item_that_is_no_object_is_a_bad_item() -> None:
    wide = {**status_incident("w1", "2025-06-01T10:00:00Z", None, status="identified"), "impact": ["x"]}
    assert [e.reason for e in read([wide], "incidents").errors] == ["impact is not a string"]
    named, archived_yes = card(card_id(CREATED, 1), "todo"), card(card_id(CREATED, 2), "todo")
    named["name"], archived_yes["closed"] = {"a": 1}, "yes"
    cards = read(board([named, archived_yes], []))
    assert (cards.rows, [(e.item, e.reason) for e in cards.errors]) == (
        (),
        [(1, "name is not a string"), (2, "closed is not true or false")],
    )
    issues = read([issue(1, "2025-06-01T10:00:00Z"), None, [1]])
    assert [(e.item, e.name, e.reason) for e in issues.errors] == [(2, "", "not an object"), (3, "", "not an object")]
    assert issues.notes == ()


@pytest.mark.parametrize(
    "document, kind, format, message",
    [
        (board([], []), "tickets", "github-issues", "this is a trello export, not github-issues (give --format trello"),
        ([issue(1, "2025-06-01T10:00:00Z")], "tickets", "trello", "this is a github-issues export, not trello"),
        (status_page([]), "incidents", "github-issues", "this is a statuspage export, not github-issues"),
        (
            [{"login": "ada"}],
            "incidents",
            "statuspage",
            "no item is a Statuspage incident: this is no statuspage export",
        ),
    ],
)
def test_a_format_named_that_no_item_is_of_is_refused_naming_the_one_they_are(document, kind, format, message) -> None:
    with pytest.raises(InputError) as refused:
        read(document, kind, format=format)
    assert str(refused.value).startswith(f"export.json: {message}")
