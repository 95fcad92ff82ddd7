"""Each JSON ticket and incident reader on its sample (tests/support/fixtures/trackers/, the
layout each tool writes): what it takes, what it leaves out, and the times, services and
teams it stores."""

from __future__ import annotations

import pytest

from collectors.items.load import load_items
from collectors.trackers.read import TrackerSettings, read_trackers
from support import FIXTURES
from support.gitbuilder import epoch

SAMPLES = FIXTURES / "trackers"
SERVICES = {"checkout": "payments", "payments-api": "payments", "search": "storefront", "catalog": "storefront"}
TEAMS = frozenset({"payments", "storefront", "platform"})


def read(name: str, kind: str, **settings):
    settings.setdefault("services", SERVICES)
    settings.setdefault("teams", TEAMS)
    items = load_items((SAMPLES / name).read_bytes(), name)
    return read_trackers(items, name, TrackerSettings(kind, **settings))


def by_key(result) -> dict:
    return {getattr(row, "key", None) or row.id: row for row in result.rows}


@pytest.mark.parametrize(
    "name, kind, format, count",
    [
        ("trello_board.json", "tickets", "trello", 10),
        ("github_issues.json", "tickets", "github-issues", 14),
        ("github_issues.json", "incidents", "github-issues", 3),
        ("statuspage_incidents.json", "incidents", "statuspage", 8),
    ],
)
def test_every_sample_is_told_by_its_content_and_read_whole(name: str, kind: str, format: str, count: int) -> None:
    result = read(name, kind)
    assert (result.format, result.source, result.errors, len(result.rows)) == (format, format, (), count)


def test_trello_cards_created_at_their_id_resolved_at_their_move_into_done() -> None:
    got = by_key(read("trello_board.json", "tickets"))
    bulk = got["RyNANiuX"]  # moved to Done on 22 Sep, archived there on 31 Oct
    assert bulk.created_at == int("68beb070", 16) == epoch("2025-09-08T10:31:12")
    assert bulk.resolved_at == epoch("2025-09-22T09:10:58") and bulk.status == "Done (archived)"
    latency = got["LvLTPHhW"]  # Done on 15 Nov, back to Doing, Done again on 17 Nov: the move that stands
    assert latency.resolved_at == epoch("2025-11-17T15:12:09")
    assert (latency.type, latency.unplanned, latency.service, latency.team) == ("Bug", True, "search", "storefront")
    legacy = got["f0uMvuDQ"]  # archived in To Do: no resolved work
    assert (legacy.resolved_at, legacy.status) == (None, "To Do (archived)")
    assert got["pO9QiqOq"].resolved_at is None and got["pO9QiqOq"].type == "Feature"
    assert got["26K4defN"].type == "Tech debt" and not got["26K4defN"].unplanned
    assert {t.raw_team for t in got.values()} == {"Storefront – Delivery"}


def test_trello_team_from_the_board_name_through_team_map_or_team_given() -> None:
    mapped = read("trello_board.json", "tickets", team_map={"Storefront – Delivery": "platform"})
    assert {t.team for t in mapped.rows} == {"platform"}
    assert {t.team for t in read("trello_board.json", "tickets", team="payments").rows} == {"payments"}


def test_github_issues_closed_as_not_planned_or_duplicate_are_not_resolved_work() -> None:
    result = read("github_issues.json", "tickets")
    got = by_key(result)
    assert (got["acme/shop#1319"].resolved_at, got["acme/shop#1319"].status) == (None, "CLOSED (NOT_PLANNED)")
    assert (got["acme/shop#1324"].resolved_at, got["acme/shop#1324"].status) == (None, "CLOSED (DUPLICATE)")
    assert got["acme/shop#1336"].resolved_at is None  # reopened
    done = got["acme/shop#1335"]
    assert (done.created_at, done.resolved_at) == (epoch("2025-11-14T18:30:02"), epoch("2025-11-17T15:20:44"))
    assert (done.service, done.team, done.type, done.unplanned) == ("search", "storefront", "bug", True)
    assert not got["acme/shop#1292"].unplanned  # an enhancement
    assert result.unmapped_values == {"acme/shop": 2}  # no service label, no team_map for the repository
    assert "2 issues closed as not planned or duplicate stored as not resolved" in result.notes[0]


def test_github_issues_with_an_incident_label_are_incidents_of_the_service_a_label_names() -> None:
    result = read("github_issues.json", "incidents")
    got = by_key(result)
    assert sorted(got) == ["acme/shop#1301", "acme/shop#1315", "acme/shop#1317"]
    hotfix = got["acme/shop#1301"]
    assert (hotfix.opened_at, hotfix.resolved_at) == (epoch("2025-10-20T09:12:47"), epoch("2025-10-20T15:41:19"))
    assert (hotfix.service, hotfix.raw_service, hotfix.team) == ("checkout", "service:checkout", "payments")
    assert result.notes == ("11 issues without an incident label left out (tickets, not incidents)",)
    assert {i.service for i in read("github_issues.json", "incidents", service="search").rows} == {"search"}


def test_statuspage_incidents_from_their_start_to_their_resolution_per_affected_service() -> None:
    result = read("statuspage_incidents.json", "incidents", service_map={"Payments API": "payments-api"})
    got = by_key(result)
    still_open = got["z1wemfuvhs5x"]
    assert (still_open.opened_at, still_open.resolved_at) == (epoch("2025-11-18T08:50:00+01:00"), None)
    assert (still_open.service, still_open.severity) == ("catalog", "minor")
    assert got["3519l84h65rn"].resolved_at == epoch("2025-11-04T11:02:47+01:00")  # postmortem: resolved
    both = [got["07ywbljrtd39"], got["07ywbljrtd39:payments-api"]]  # Checkout and Payments API
    assert [(i.service, i.severity) for i in both] == [("checkout", "critical"), ("payments-api", "critical")]
    assert both[0].opened_at == both[1].opened_at == epoch("2025-10-20T10:55:00+02:00")
    assert (got["8wryhlfpscy9"].service, got["8wryhlfpscy9"].raw_service) == (None, "")  # no component
    assert result.unmapped_values == {"": 1}
