"""The demo's story: when each service deploys, what each deployment carries, what breaks.

Pure generation, no I/O: :func:`make_story` turns ``today`` and a seed into commits, tags,
incidents and tickets, drawing only from one ``random.Random(seed)`` in a fixed order, so
the same inputs always give the same story. Times are whole seconds since the epoch (UTC);
office hours are reckoned in Europe/London.

The plot (18 months up to ``today``):

- ``storefront`` (checkout, storefront-web) is *improving*: deployments go from about one
  a week to five, commits wait less before a tag, fewer deployments fail.
- ``platform`` (identity, notifications) is *steady*.
- ``payments`` (ledger and billing in one monorepo, payment-gateway) is *quietly sliding*
  over the last 6 months: fewer deployments, commits wait longer, more and longer
  incidents, more unplanned tickets.
"""

from __future__ import annotations

import datetime as dt
import random

from dora_tui.demo.cast import SERVICES, TEAMS
from dora_tui.demo.model import (
    DAY,
    HOUR,
    LONDON,
    Clock,
    Commit,
    Incident,
    RepoPlan,
    Story,
    local,
    midnight,
    months_before,
)
from dora_tui.demo.service import ServiceStory, service_files
from dora_tui.demo.tickets import make_tickets
from dora_tui.demo.words import MONOREPO_CHORES

__all__ = ["LONDON", "Story", "local", "make_story", "midnight", "months_before"]


def make_story(today: dt.date, seed: int) -> Story:
    """The whole demo for ``today`` (history ends at its midnight) and ``seed``."""
    rng = random.Random(seed)
    clock = Clock(today, rng)
    repos: dict[str, RepoPlan] = {}
    incidents: list[Incident] = []
    for spec in SERVICES:
        plan = repos.get(spec.repo)
        if plan is None:
            created = clock.start - int(rng.uniform(30, 60)) * DAY
            plan = repos[spec.repo] = RepoPlan(spec.repo, created, ["README.md", ".github/workflows/ci.yml"])
            plan.commits.append(Commit(created, rng.choice(TEAMS[spec.team][1]), "Initial import", kind="initial"))
        plan.files.extend(service_files(spec))
        service = ServiceStory(clock, spec, plan)
        service.build()
        plan.commits.extend(service.commits)
        plan.tags.extend(service.tags)
        incidents.extend(service.incidents)
    _monorepo_chores(clock, repos["payments"])
    incidents.extend(_extra_incidents(clock))
    incidents.sort(key=lambda i: (i.opened, i.pd_service))
    tickets = make_tickets(clock, incidents)
    return Story(clock.start, clock.end, clock.knee, list(repos.values()), incidents, tickets)


def _monorepo_chores(clock: Clock, plan: RepoPlan) -> None:
    rng = clock.rng
    weeks = (clock.end - plan.created) / (7 * DAY)
    people = TEAMS["payments"][1] + TEAMS["platform"][1][:1]
    for _ in range(int(weeks * 0.7)):
        t = clock.work_time(plan.created + DAY, clock.end - HOUR)
        message, path = rng.choice(MONOREPO_CHORES)
        plan.commits.append(Commit(t, rng.choice(people), message, path, kind="chore"))


def _extra_incidents(clock: Clock) -> list[Incident]:
    """The still-open page, and two for a service nobody in the config owns."""
    rng = clock.rng
    gateway = next(s for s in SERVICES if s.name == "payment-gateway")
    members = TEAMS["payments"][1]
    opened = int(clock.end - rng.uniform(20, 40) * HOUR)
    out = [
        Incident(
            gateway.name,
            gateway.pd_name,
            gateway.team,
            opened,
            None,
            "Card authorisation success rate below 92%",
            "high",
            rng.choice(members),
        )
    ]
    for _ in range(2):
        opened = int(rng.uniform(clock.knee, clock.end - 3 * DAY))
        out.append(
            Incident(
                "",
                "corporate-vpn",
                "",
                opened,
                int(opened + rng.uniform(1, 6) * HOUR),
                "VPN concentrator failover",
                "low",
                rng.choice(TEAMS["platform"][1]),
            )
        )
    return out
