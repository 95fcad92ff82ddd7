"""The demo's Jira tickets: planned and unplanned work per team, and incident follow-ups.

The sliding team (``payments``) spends a growing share of its time on unplanned work over
the last 6 months; the improving team a shrinking one. Drawn from the story's seeded
random source, after the repositories, so the order of draws stays fixed.
"""

from __future__ import annotations

from dora_tui.demo.cast import SERVICES, SUPPORT, TEAMS, Person
from dora_tui.demo.model import DAY, HOUR, Clock, Incident, Ticket, unplanned_share
from dora_tui.demo.words import EDGES, FEATURES, PLANNED, PLANNED_LABELS, UNPLANNED, VERBS

TICKETS_PER_WEEK = 4.5


def make_tickets(clock: Clock, incidents: list[Incident]) -> list[Ticket]:
    """Every team's tickets, oldest first."""
    tickets: list[Ticket] = []
    for team in TEAMS:
        tickets.extend(_team_tickets(clock, team))
    tickets.extend(_follow_ups(clock, incidents))
    tickets.append(_markup_ticket(clock))
    tickets.sort(key=lambda t: (t.created, t.team, t.summary))
    return tickets


def _team_tickets(clock: Clock, team: str) -> list[Ticket]:
    rng = clock.rng
    profile, members = TEAMS[team]
    services = [s for s in SERVICES if s.team == team]
    begin = clock.start - 30 * DAY
    weeks = (clock.end - begin) / (7 * DAY)
    out = []
    for _ in range(clock.poisson(weeks * TICKETS_PER_WEEK)):
        created = clock.work_time(begin, clock.end - HOUR)
        x, s = clock.x(created), clock.s(created)
        spec = rng.choice(services)
        area = rng.choice(spec.areas)[0]
        words = {"a": area, "feat": rng.choice(FEATURES), "verb": rng.choice(VERBS), "edge": rng.choice(EDGES)}
        reporter = rng.choice(members)
        if rng.random() < unplanned_share(profile, x, s):
            roll = rng.random()
            kind = "Bug" if roll < 0.6 else "Incident" if roll < 0.7 else "Task"
            summary = rng.choice(UNPLANNED).format(**words)
            labels = [rng.choice(("unplanned", "hotfix"))] if kind == "Task" or rng.random() < 0.4 else []
            if rng.random() < 0.3:
                labels.append("customer-reported")
                reporter = SUPPORT
            priority = rng.choice(("Highest", "High", "High", "Medium"))
            cycle = clock.lognormal(1.5 + 2.0 * s * (profile == "sliding"), 0.8) * DAY
            description = (
                f"Steps to reproduce:\n1. Open {area}\n2. Try it with {words['edge']}\n\n"
                "Expected: it works.\nActual: it does not."
            )
        else:
            kind = "Story" if rng.random() < 0.65 else "Task"
            summary = rng.choice(PLANNED).format(**words)
            labels = rng.sample(PLANNED_LABELS, rng.randint(0, 2))
            priority = rng.choice(("Medium", "Medium", "Low", "High"))
            cycle = clock.lognormal(4.0 + 4.0 * s * (profile == "sliding"), 0.7) * DAY
            description = (
                f"As a customer I want {area} to just work.\n\nAcceptance criteria:\n- {summary}\n- Covered by tests"
            )
        components = (spec.name,) if rng.random() < 0.8 else ()
        out.append(
            _ticket(
                clock,
                team,
                kind,
                summary,
                created,
                cycle,
                priority,
                tuple(labels),
                components,
                rng.choice(members),
                reporter,
                description,
            )
        )
    return out


def _ticket(
    clock: Clock,
    team: str,
    kind: str,
    summary: str,
    created: int,
    cycle: float,
    priority: str,
    labels: tuple[str, ...],
    components: tuple[str, ...],
    assignee: Person,
    reporter: Person,
    description: str,
) -> Ticket:
    """A ticket resolved about ``cycle`` seconds after ``created``, or still open."""
    rng = clock.rng
    resolved: int | None = clock.work_time(created + cycle * 0.8, created + cycle * 1.2 + HOUR)
    if resolved is not None and not created < resolved < clock.end - HOUR:
        resolved = None
    if resolved is None:
        status = rng.choice(("In Progress", "In Review", "To Do"))
        resolution = ""
    else:
        status = "Done"
        roll = rng.random()
        resolution = "Done" if roll < 0.9 else "Won't Do" if roll < 0.96 else "Duplicate"
    return Ticket(
        team,
        kind,
        summary,
        created,
        resolved,
        status,
        resolution,
        priority,
        labels,
        components,
        assignee,
        reporter,
        description,
    )


def _follow_ups(clock: Clock, incidents: list[Incident]) -> list[Ticket]:
    """An Incident ticket for each long page: the post-incident review."""
    rng = clock.rng
    out = []
    for incident in incidents:
        if not incident.team or incident.resolved is None:
            continue
        if incident.resolved - incident.opened < 2 * HOUR or rng.random() < 0.3:
            continue
        created = clock.work_time(incident.resolved, incident.resolved + DAY, 3.0)
        members = TEAMS[incident.team][1]
        labels = ("incident-follow-up", "unplanned") if rng.random() < 0.5 else ("incident-follow-up",)
        out.append(
            _ticket(
                clock,
                incident.team,
                "Incident",
                f"Post-incident review: {incident.title}",
                created,
                clock.lognormal(3.0, 0.5) * DAY,
                "High",
                labels,
                (incident.service,),
                rng.choice(members),
                incident.responder,
                f"PagerDuty: {incident.pd_service}\nTimeline, causes and actions.",
            )
        )
    return out


def _markup_ticket(clock: Clock) -> Ticket:
    """A bug whose summary looks like Rich markup: the dashboard must show it as written."""
    rng = clock.rng
    created = clock.work_time(clock.end - 40 * DAY, clock.end - 30 * DAY)
    members = TEAMS["storefront"][1]
    return _ticket(
        clock,
        "storefront",
        "Bug",
        "Receipt shows [bold red] and [/] literally for promo codes",
        created,
        2 * DAY,
        "High",
        ("unplanned", "customer-reported"),
        ("checkout",),
        rng.choice(members),
        SUPPORT,
        "Seen on order 1042.\nScreenshot attached.",
    )
