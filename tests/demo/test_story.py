"""The demo tells the story the README promises, whatever the day it is built on.

README, ``dora-tui demo``: "three teams, seven services, one monorepo holding two services,
18 months of history up to today: one team improving, one steady, one quietly sliding".
For each day, the workspace is built, collected and imported as ``dora-tui demo`` does, and
its report (the one ``dora-tui demo --no-tui`` prints) is read as a user reads it. Which team
plays which part is the cast's to say (``dora_tui.demo.cast.TEAMS``).
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

from dora_tui.config import load_file
from dora_tui.demo import build_demo
from dora_tui.demo.cast import SERVICES, TEAMS
from dora_tui.ops.collect import collect
from dora_tui.ops.imports import import_all
from dora_tui.ops.report import EntityReport, Report, compute, to_markdown
from dora_tui.store.database import Store

#: Two fixed days far apart, in different seasons, so that the story is not read off one day.
DAYS = (dt.date(2026, 12, 7), dt.date(2025, 3, 15))


@pytest.fixture(scope="module", params=DAYS, ids=str)
def report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The report of the demo built on the day, as of that day (one build per day)."""
    today: dt.date = request.param
    root = tmp_path_factory.mktemp(f"story-{today}")
    with pytest.MonkeyPatch.context() as env:  # what conftest pins per test, for the module
        env.setenv("GIT_CONFIG_GLOBAL", os.devnull)
        env.setenv("GIT_CONFIG_NOSYSTEM", "1")
        env.setenv("HOME", str(root / "home"))
        config = load_file(build_demo(root / "workspace", today))
        store = Store.open(config.database)
        try:
            collect(config, store)
            import_all(config, store)
            return compute(config, store, as_of=today)
        finally:
            store.close()


def team_playing(profile: str) -> str:
    """The cast's team with that profile ("improving", "steady" or "sliding")."""
    (team,) = [name for name, (plays, _) in TEAMS.items() if plays == profile]
    return team


def team(report: Report, profile: str) -> EntityReport:
    """The report's entry for the team playing ``profile``."""
    name = team_playing(profile)
    return next(e for e in report.entities if e.kind == "team" and e.name == name)


def trending(entity: EntityReport, direction: str) -> set[str]:
    """The metrics whose trend is ``direction`` ("improving", "worsening", "flat")."""
    return {metric for metric, trend in entity.figures.trends.items() if trend == direction}


def markdown_section(report: Report, heading: str) -> str:
    """The part of the printed report under ``## {heading}``, up to the next section."""
    text = to_markdown(report)
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end]


def test_three_teams_seven_services_and_a_part_for_each_team(report: Report) -> None:
    teams = [e for e in report.entities if e.kind == "team"]
    services = [e for e in report.entities if e.kind == "service"]
    assert len(teams) == 3 and len(services) == 7
    assert {team_playing(p) for p in ("improving", "steady", "sliding")} == {t.name for t in teams}
    assert len({s.repo for s in SERVICES}) == 6  # one repository holds two services
    # History up to today: every team deployed in the first month shown and the last complete one.
    last = max(i for i, month in enumerate(report.window.months) if month.complete)
    assert all(t.figures.months[0]["deployments"] and t.figures.months[last]["deployments"] for t in teams)


def test_the_sliding_team_needs_attention(report: Report) -> None:
    sliding = team(report, "sliding")
    assert sliding.figures.needs_attention
    # Fewer deployments, and commits wait longer for one; nothing gets better.
    assert {"deployment_frequency", "lead_time"} <= trending(sliding, "worsening")
    assert not trending(sliding, "improving")
    assert "**Needs attention**" in markdown_section(report, f"Team: {sliding.name}")


def test_the_improving_team_improves(report: Report) -> None:
    improving = team(report, "improving")
    assert not improving.figures.needs_attention
    assert "deployment_frequency" in trending(improving, "improving")  # one deploy a week to five
    assert not trending(improving, "worsening")
    section = markdown_section(report, f"Team: {improving.name}")
    assert "deployment frequency improving" in section and "Needs attention" not in section


def test_the_steady_team_neither_improves_nor_slides(report: Report) -> None:
    steady = team(report, "steady")
    assert not steady.figures.needs_attention
    assert not trending(steady, "worsening")
    assert steady.figures.trends["deployment_frequency"] == steady.figures.trends["lead_time"] == "flat"
    assert "Needs attention" not in markdown_section(report, f"Team: {steady.name}")


def test_only_the_sliding_teams_services_need_attention(report: Report) -> None:
    flagged = {e.name for e in report.entities if e.kind == "service" and e.figures.needs_attention}
    assert flagged and flagged <= set(team(report, "sliding").services)
