"""Write the demo's incidents and tickets as the CSV files the real tools export.

- ``pagerduty-incidents.csv``: PagerDuty's incidents report ("Download CSV" in Analytics →
  Reports), one row per incident, times in ISO 8601 with the account's offset.
- ``jira-tickets.csv``: Jira Cloud's "Export Excel CSV (all fields)", with repeated column
  names (``Components``, ``Labels``, ``Sprint``) and dates like ``12/Mar/24 3:45 PM``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

from dora_tui.demo.cast import PROJECTS, TEAMS, Person
from dora_tui.demo.model import LONDON, Incident, Ticket
from dora_tui.demo.words import MONTHS

PAGERDUTY_HEADER = (
    "id",
    "incident_number",
    "description",
    "service_id",
    "service_name",
    "escalation_policy_id",
    "escalation_policy_name",
    "created_on",
    "resolved_on",
    "seconds_to_first_ack",
    "seconds_to_resolve",
    "auto_resolved",
    "escalation_count",
    "auto_escalation_count",
    "acknowledge_count",
    "assignment_count",
    "acknowledged_by_user_ids",
    "acknowledged_by_user_names",
    "assigned_to_user_ids",
    "assigned_to_user_names",
    "resolved_by_user_id",
    "resolved_by_user_name",
    "urgency",
)

JIRA_HEADER = (
    "Summary",
    "Issue key",
    "Issue id",
    "Issue Type",
    "Status",
    "Project key",
    "Project name",
    "Project type",
    "Project lead",
    "Priority",
    "Resolution",
    "Assignee",
    "Reporter",
    "Creator",
    "Created",
    "Updated",
    "Last Viewed",
    "Resolved",
    "Components",
    "Components",
    "Due date",
    "Labels",
    "Labels",
    "Labels",
    "Description",
    "Sprint",
    "Sprint",
    "Status Category",
)

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def pagerduty_id(*parts: object) -> str:
    """A PagerDuty-looking object id ('P' and 6 characters), stable for the same parts."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return "P" + "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:6])


def _iso(t: int) -> str:
    return dt.datetime.fromtimestamp(t, LONDON).isoformat(timespec="seconds")


def jira_date(t: int) -> str:
    """``t`` as Jira writes it: ``12/Mar/24 3:45 PM`` (London wall clock, no offset)."""
    d = dt.datetime.fromtimestamp(t, LONDON)
    hour = d.hour % 12 or 12
    return f"{d.day:02d}/{MONTHS[d.month - 1]}/{d.year % 100:02d} {hour}:{d.minute:02d} {'AM' if d.hour < 12 else 'PM'}"


def write_pagerduty(path: Path, incidents: list[Incident], seed: int) -> None:
    """Write ``incidents`` (already in opening order) in PagerDuty's report format."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(PAGERDUTY_HEADER)
        for number, inc in enumerate(incidents, start=1001):
            policy = f"{inc.team.title() or 'IT'} on-call"
            user_id = pagerduty_id("user", inc.responder.email)
            ack = 30 + (number * 7919 + seed) % 900
            resolved = inc.resolved is not None
            auto = resolved and inc.auto_resolved
            out.writerow(
                [
                    pagerduty_id("incident", seed, number),
                    number,
                    inc.title,
                    pagerduty_id("service", inc.pd_service),
                    inc.pd_service,
                    pagerduty_id("policy", policy),
                    policy,
                    _iso(inc.opened),
                    _iso(inc.resolved) if inc.resolved is not None else "",
                    "" if auto else ack,
                    (inc.resolved - inc.opened) if inc.resolved is not None else "",
                    "true" if auto else "false",
                    1 if auto else 1 + (number % 3 == 0),
                    0 if auto else int(number % 3 == 0),
                    0 if auto else 1,
                    1,
                    "" if auto else user_id,
                    "" if auto else inc.responder.name,
                    user_id,
                    inc.responder.name,
                    user_id if resolved and not auto else "",
                    inc.responder.name if resolved and not auto else "",
                    inc.urgency,
                ]
            )


def write_jira(path: Path, tickets: list[Ticket]) -> None:
    """Write ``tickets`` (oldest first) as a Jira Cloud CSV export, newest first."""
    keys: dict[str, int] = {}
    rows = []
    for issue_id, ticket in enumerate(tickets, start=10000):
        project, name = PROJECTS[ticket.team]
        keys[project] = keys.get(project, 0) + 1
        rows.append(_jira_row(ticket, f"{project}-{keys[project]}", issue_id, project, name))
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(JIRA_HEADER)
        out.writerows(reversed(rows))


def _jira_row(t: Ticket, key: str, issue_id: int, project: str, name: str) -> list[object]:
    components = ([*list(t.components), "", ""])[:2]
    labels = ([*list(t.labels), "", "", ""])[:3]
    updated = t.resolved if t.resolved is not None else t.created + 3600
    category = {"Done": "Done", "To Do": "To Do"}.get(t.status, "In Progress")
    sprint = _sprint(project, t.created) if t.kind in ("Story", "Task") else ""
    return [
        t.summary,
        key,
        issue_id,
        t.kind,
        t.status,
        project,
        name,
        "software",
        _lead(project).name,
        t.priority,
        t.resolution,
        t.assignee.name,
        t.reporter.name,
        t.reporter.name,
        jira_date(t.created),
        jira_date(updated),
        "",
        jira_date(t.resolved) if t.resolved is not None else "",
        *components,
        "",
        *labels,
        t.description,
        sprint,
        "",
        category,
    ]


def _sprint(project: str, t: int) -> str:
    monday = dt.date(2020, 1, 6)
    day = dt.datetime.fromtimestamp(t, LONDON).date()
    return f"{project} Sprint {(day - monday).days // 14 + 1}"


def _lead(project: str) -> Person:
    team = next(team for team, (key, _) in PROJECTS.items() if key == project)
    return TEAMS[team][1][0]
