"""Each export format read from a fixture in the tool's own header and date style.

The fixtures (tests/fixtures/csv/) carry the quirks of the real exports: UTF-8 BOM and CRLF
(Jira, Azure DevOps), quoted fields over several lines, repeated columns, a short row,
display values such as ``1 - Critical``, and each tool's own date text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from collectors.exports.presets import detect as detect_format
from collectors.exports.read import PRESETS, ReadSettings, read_export
from collectors.records import Deployment, Incident, Ticket
from support import FIXTURES as SUPPORT_FIXTURES

FIXTURES = SUPPORT_FIXTURES / "csv"
LONDON = ZoneInfo("Europe/London")
SERVICES = {
    "checkout": "payments",
    "checkout-api": "payments",
    "api": "platform",
    "search": "platform",
    "search-svc": "platform",
    "auth-svc": "identity",
}
TEAMS = frozenset({"payments", "platform", "identity"})


def utc(text: str) -> int:
    """Epoch seconds of an ISO time written in UTC."""
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def read(name: str, kind: str, **kw):
    kw.setdefault("tz", LONDON)
    return read_export(FIXTURES / name, ReadSettings(kind, services=SERVICES, teams=TEAMS, **kw))


def test_every_format_is_listed():
    assert set(PRESETS) >= {
        "pagerduty",
        "pagerduty-analytics",
        "servicenow",
        "jira",
        "linear",
        "azure-devops",
        "shortcut",
        "freshservice",
        "generic",
        "deployments",
    }


@pytest.mark.parametrize(
    "name, expected",
    [
        ("jira.csv", "jira"),
        ("jsm.csv", "jira"),
        ("pagerduty.csv", "pagerduty"),
        ("pagerduty-analytics.csv", "pagerduty-analytics"),
        ("servicenow.csv", "servicenow"),
        ("servicenow-labels.csv", "servicenow"),
        ("linear.csv", "linear"),
        ("azure-devops.csv", "azure-devops"),
        ("azure-devops-tree.csv", "azure-devops"),
        ("shortcut.csv", "shortcut"),
        ("freshservice.csv", "freshservice"),
        ("deployments.csv", "deployments"),
        ("generic-incidents.csv", None),
    ],
)
def test_formats_are_detected_from_the_header(name, expected):
    with open(FIXTURES / name, encoding="utf-8-sig", newline="") as f:
        header = f.readline().rstrip("\r\n").split(",")
    assert detect_format(header) == expected


def test_jira_tickets_with_bom_crlf_multiline_repeated_columns_and_a_short_row():
    result = read("jira.csv", "tickets", team_map={"PAY": "payments"})
    assert result.format == "jira" and result.kind == "tickets" and result.errors == ()
    assert result.fieldnames[0] == "Summary"  # BOM gone
    assert result.fieldnames.count("Labels") == 3
    assert [t.key for t in result.rows] == ["PAY-101", "PAY-102", "OPS-7", "WEB-3"]
    first = result.rows[0]
    assert first == Ticket(
        source="jira",
        key="PAY-101",
        created_at=utc("2024-03-12 15:45"),
        resolved_at=utc("2024-03-13 10:05"),
        team="payments",
        raw_team="PAY",
        service="checkout",
        type="Bug",
        status="Done",
        labels=("hotfix", "backend"),
        title="Checkout fails on retry",
        unplanned=True,
    )
    apple = result.rows[1]
    # 19 April is British Summer Time: 16:30 local is 15:30 UTC.
    assert (apple.created_at, apple.resolved_at) == (utc("2024-04-01 08:00"), utc("2024-04-19 15:30"))
    assert apple.service is None and apple.team == "payments" and not apple.unplanned
    ops = result.rows[2]
    assert ops.created_at == utc("2024-03-12 15:45")  # 24 h style
    assert ops.service == "api" and ops.team == "platform"  # first component that maps; its team
    assert ops.labels == ("support",) and ops.unplanned
    short = result.rows[3]  # the row stops after Updated: missing fields are empty
    assert short.resolved_at is None and short.labels == () and short.team is None
    assert result.unmapped == 1 and result.unmapped_values == {"WEB": 1}


def test_jira_incidents_keep_only_incident_rows():
    result = read("jira.csv", "incidents")
    assert result.skipped == 3 and result.errors == ()
    assert result.rows == (
        Incident(
            source="jira",
            id="OPS-7",
            opened_at=utc("2024-03-12 15:45"),
            resolved_at=utc("2024-03-12 17:15"),
            service="api",
            raw_service="api",
            team="platform",
            severity="Highest",
            title="API latency spike",
        ),
    )


def test_jira_service_management_incidents_with_severity_and_reference():
    result = read("jsm.csv", "incidents", reference_column="Custom field (Change reference)", source="jsm")
    assert result.skipped == 2  # the service request and the problem
    one, three = result.rows
    assert one.source == "jsm" and one.id == "ITSM-1"
    assert (one.opened_at, one.resolved_at) == (utc("2024-09-03 06:41"), utc("2024-09-03 07:56"))
    assert one.severity == "Sev-1" and one.reference == "CHG0030002"
    assert one.service == "checkout" and one.team == "payments"
    assert three.resolved_at is None and three.reference == ""  # an open incident, no reference
    assert result.unmapped == 0


def test_jira_tickets_keep_every_issue_type():
    result = read("jsm.csv", "tickets")
    assert [t.type for t in result.rows] == ["Incident", "Service request", "Incident", "Problem"]
    assert [t.unplanned for t in result.rows] == [True, False, True, True]
    assert result.skipped == 0


def test_pagerduty_incidents_csv():
    result = read("pagerduty.csv", "incidents", service_map={"checkout-api": "checkout"})
    assert result.format == "pagerduty" and result.errors == ()
    first, disk, search = result.rows
    assert first == Incident(
        source="pagerduty",
        id="Q1ABCDEF0G1H2I",
        opened_at=utc("2024-09-03 14:41:12"),
        resolved_at=utc("2024-09-03 15:11:40"),
        service="checkout",
        raw_service="checkout-api",
        team="payments",
        severity="high",
        title="[FIRING:1] HighErrorRate checkout-api",
    )
    assert disk.opened_at == utc("2024-09-03 22:58") and disk.resolved_at is None
    assert disk.service is None and disk.raw_service == "database"
    assert search.service == "search-svc" and search.resolved_at == utc("2024-09-04 10:45")
    assert result.unmapped == 1 and result.unmapped_values == {"database": 1}


def test_pagerduty_analytics_maps_the_team_column():
    result = read(
        "pagerduty-analytics.csv", "incidents", team_map={"Data Team": "platform"}, service_map={"reports": "search"}
    )
    first, cron = result.rows
    assert first.team == "payments"  # no team_map entry, so the service's team
    assert first.severity == "P1" and first.opened_at == utc("2024-09-03 14:41:12")
    assert cron.service == "search" and cron.team == "platform"  # team_map wins
    assert cron.severity == "low"  # no priority: the urgency


def test_servicenow_field_names_with_fallback_columns():
    result = read("servicenow.csv", "incidents", reference_column="u_change_request")
    critical, report, login = result.rows
    assert critical == Incident(
        source="servicenow",
        id="INC0010001",
        opened_at=utc("2024-09-03 06:41:12"),
        resolved_at=utc("2024-09-03 08:02"),
        service="checkout-api",
        raw_service="checkout-api",
        team="payments",
        severity="1 - Critical",
        title="Checkout returns 500",
        reference="CHG0030002",
    )
    # no resolved_at: closed_at; no cmdb_ci: business_service (unmapped here)
    assert report.resolved_at == utc("2024-09-05 11:00")
    assert report.service is None and report.raw_service == "Reporting"
    assert login.resolved_at is None and login.service == "auth-svc" and login.team == "identity"
    assert result.unmapped_values == {"Reporting": 1}


def test_servicenow_labels_across_the_uk_clock_changes():
    result = read("servicenow-labels.csv", "incidents", service_map={"Reporting": "search"})
    gateway, export = result.rows
    # 01:30 on 27 October 2024 happened twice in London: the first (BST) is taken.
    assert gateway.opened_at == utc("2024-10-27 00:30")
    assert gateway.resolved_at == utc("2024-10-27 02:45")  # after the change: GMT
    assert gateway.severity == "1 - Critical"
    assert export.opened_at == utc("2024-03-31 00:30")  # before the spring change: GMT
    assert export.resolved_at == utc("2024-03-31 07:00")  # Closed, BST
    assert export.service == "search" and export.team == "platform"


def test_linear_javascript_dates_and_labels_in_one_cell():
    result = read("linear.csv", "tickets", team_map={"Engineering": "payments"})
    crash, dark, certs = result.rows
    assert crash.key == "ENG-12" and crash.team == "payments" and crash.raw_team == "Engineering"
    assert crash.created_at == utc("2024-09-03 13:58:02")
    assert crash.resolved_at == utc("2024-09-04 08:30")
    assert crash.labels == ("Bug", "Frontend")
    assert crash.unplanned  # no type column in Linear: a "Bug" label is the type
    assert dark.created_at == utc("2024-09-04 08:15") and not dark.unplanned
    assert certs.team is None and result.unmapped_values == {"Ops": 1}


def test_azure_devops_flat_query():
    result = read("azure-devops.csv", "tickets", team_map={"Fabrikam\\Payments": "payments"})
    bug, story, task = result.rows
    # 9/13/2024 makes the columns month-first; times are local (BST).
    assert bug.created_at == utc("2024-09-03 06:52:10")
    assert bug.resolved_at == utc("2024-09-13 15:05")
    assert bug.labels == ("hotfix", "checkout") and bug.unplanned and bug.team == "payments"
    assert story.team == "payments"  # a sub-area maps through its parent path
    assert task.team == "platform"  # the last segment names a known team
    assert any("month-first" in note for note in result.notes)


def test_azure_devops_tree_query_titles():
    result = read("azure-devops-tree.csv", "tickets", team_map={"Fabrikam\\Payments": "payments"})
    assert [t.title for t in result.rows] == ["Payments 2024", "Card vault", "Null reference in basket"]
    assert [t.type for t in result.rows] == ["Epic", "Feature", "Bug"]


def test_shortcut_times_with_a_utc_offset_column():
    result = read("shortcut.csv", "tickets", team_map={"Payments": "payments"})
    refund, export, flags = result.rows
    assert refund.created_at == utc("2024-09-03 14:41:12")  # 07:41:12 at -07:00
    assert refund.resolved_at == utc("2024-09-04 17:00")
    assert refund.unplanned and refund.team == "payments" and refund.type == "bug"
    assert export.created_at == utc("2024-09-05 07:30")  # +0200
    assert export.labels == ("reports", "customer") and export.resolved_at is None
    assert flags.created_at == utc("2024-09-06 11:00")  # no offset: read in the zone (BST)
    assert result.unmapped == 2


def test_freshservice_incidents_and_tickets():
    incidents = read("freshservice.csv", "incidents", team_map={"Payments": "payments"})
    assert incidents.skipped == 1
    checkout, vpn = incidents.rows
    # 25-09-2024 on the skipped service request still shows the export is day-first.
    assert checkout.opened_at == utc("2024-09-03 06:41") and checkout.resolved_at == utc("2024-09-03 08:10")
    assert checkout.service == "checkout-api" and checkout.severity == "Urgent"
    assert vpn.service is None and vpn.team == "platform"
    tickets = read("freshservice.csv", "tickets", team_map={"Payments": "payments"})
    assert [t.key for t in tickets.rows] == ["INC-101", "SR-102", "INC-103"]
    assert tickets.rows[1].resolved_at == utc("2024-09-26 14:00")
    assert tickets.unmapped_values == {"Service Desk": 1}


def test_deployments_preset():
    result = read("deployments.csv", "deployments")
    assert result.format == "deployments" and result.errors == ()
    first, second, search = result.rows
    assert first == Deployment(
        service="checkout",
        name="checkout-2024.09.03.1",
        time=utc("2024-09-03 09:15"),
        sha="3f2a9c1e8b7d6f5a4c3b2a1908f7e6d5c4b3a291",
        message="Release 2024.09.03.1",
        source="deployments",
    )
    assert second.time == utc("2024-09-04 16:00") and second.sha == ""
    assert search.time == utc("2024-09-04 10:00")


def test_generic_incidents_with_named_columns():
    columns = {
        "id": "Ref",
        "opened_at": "Started",
        "resolved_at": "Ended",
        "service": "System",
        "severity": "Sev",
        "title": "What",
        "reference": "Change",
    }
    result = read("generic-incidents.csv", "incidents", columns=columns, tz=ZoneInfo("UTC"))
    assert result.format == "generic"  # auto, with columns given
    one, two = result.rows
    assert one == Incident(
        source="generic",
        id="A-1",
        opened_at=utc("2024-09-03 07:41"),
        resolved_at=utc("2024-09-03 08:41"),
        service="checkout-api",
        raw_service="checkout-api",
        team="payments",
        severity="SEV1",
        title="Checkout 500s",
        reference="v1.4.2",
    )
    assert two.resolved_at is None and two.reference == ""
