"""The settings every generator of synthetic data shares (the seed, the last day, the time
zone, the version of the data) and the organisation they describe: teams, their services,
their Jira project keys and how busy each service is (:class:`Org`, :func:`make_org`)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

GENERATOR_VERSION = 1
"""Bump when the generated data changes, so that a stamped, reused work folder is rebuilt."""

AS_OF = date(2026, 11, 22)
"""The default last day of the generated data (and the ``--as-of`` of the report benchmark)."""

TIMEZONE = "Europe/London"
"""The zone of the generated times and of the ``dora.toml`` written."""

SEED = 20261122
"""The default seed of every generator."""

# Teams are named after these words (with a number once they run out), services TEAM-COMPONENT.
TEAM_WORDS = (
    "payments",
    "search",
    "identity",
    "checkout",
    "catalog",
    "platform",
    "data",
    "mobile",
    "growth",
    "billing",
    "logistics",
    "messaging",
    "ledger",
    "pricing",
    "media",
    "support",
    "security",
    "analytics",
    "partners",
    "notifications",
    "inventory",
    "reviews",
    "loyalty",
    "onboarding",
)
COMPONENTS = (
    "api",
    "worker",
    "web",
    "gateway",
    "scheduler",
    "importer",
    "exporter",
    "store",
    "cache",
    "events",
    "admin",
    "reports",
    "sync",
    "auth",
    "jobs",
    "edge",
    "indexer",
    "router",
)


@dataclass(frozen=True)
class Org:
    """Teams, services (name -> team), Jira project keys (team -> key) and service weights."""

    teams: tuple[str, ...]
    services: tuple[tuple[str, str], ...]  # (service, team), sorted by service
    projects: dict[str, str]  # team -> Jira project key
    weights: dict[str, float]  # service -> share of the activity


def make_org(services: int, teams: int, seed: int = SEED) -> Org:
    """``teams`` teams owning ``services`` services between them, unevenly (every team owns one)."""
    if teams < 1 or services < teams:
        raise ValueError("need at least one team and at least as many services as teams")
    rng = random.Random(f"org-{seed}")
    team_names = []
    for i in range(teams):
        word = TEAM_WORDS[i % len(TEAM_WORDS)]
        team_names.append(word if i < len(TEAM_WORDS) else f"{word}{i // len(TEAM_WORDS) + 1}")
    # Uneven team sizes: every team one service, the rest by weight (about 4 to 16 each).
    sizes = [1] * teams
    size_weights = [rng.uniform(0.4, 2.2) for _ in range(teams)]
    for _ in range(services - teams):
        sizes[rng.choices(range(teams), size_weights)[0]] += 1
    owned: list[tuple[str, str]] = []
    for team, size in zip(team_names, sizes):
        for k in range(size):
            comp = COMPONENTS[k % len(COMPONENTS)]
            name = f"{team}-{comp}" if k < len(COMPONENTS) else f"{team}-{comp}{k // len(COMPONENTS) + 1}"
            owned.append((name, team))
    owned.sort()
    projects: dict[str, str] = {}
    used: set[str] = set()
    for team in team_names:
        key = team[:3].upper()
        n = 2
        while key in used:
            key = f"{team[:3].upper()}{n}"
            n += 1
        used.add(key)
        projects[team] = key
    # Activity: log-normal shares, so a few services deploy many times a day and some monthly.
    weights = {name: rng.lognormvariate(0.0, 0.9) for name, _ in owned}
    return Org(tuple(team_names), tuple(owned), projects, weights)
