"""One snapshot per screen, at a fixed size with a fixed clock (``pytest --snapshot-update`` to accept)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dora_tui.tui.app import DoraApp
from dora_tui.tui.screens.deployment import DeploymentScreen
from dora_tui.tui.screens.incidents import IncidentsScreen
from dora_tui.tui.screens.metric import MetricScreen
from support.app import TODAY, settle, shared_workspace

SIZE = (120, 40)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_workspace(tmp_path_factory, "snap")


def shot(snap_compare, workspace: Path, *steps) -> bool:
    """Run the app, apply ``steps`` (app method calls or key lists), then compare the screen."""
    app = DoraApp(workspace, today=TODAY)

    async def run_before(pilot) -> None:
        await settle(pilot)
        for step in steps:
            if callable(step):
                step(app)
            else:
                await pilot.press(*step)
            await settle(pilot)

    return snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_home(snap_compare, workspace: Path) -> None:
    assert shot(snap_compare, workspace, ["j", "j", "j", "j"])


def test_team(snap_compare, workspace: Path) -> None:
    assert shot(snap_compare, workspace, lambda app: app.open_entity("team", "payments"))


def test_service(snap_compare, workspace: Path) -> None:
    assert shot(snap_compare, workspace, lambda app: app.open_entity("service", "checkout"))


def test_metric(snap_compare, workspace: Path) -> None:
    assert shot(
        snap_compare, workspace, lambda app: app.push_screen(MetricScreen("service", "checkout", "lead_time")), ["left"]
    )


def test_deployment(snap_compare, workspace: Path) -> None:
    assert shot(snap_compare, workspace, lambda app: app.push_screen(DeploymentScreen("checkout", "v1.21.0")))


def test_incidents(snap_compare, workspace: Path) -> None:
    assert shot(snap_compare, workspace, lambda app: app.push_screen(IncidentsScreen("team", "storefront")))


def test_help(snap_compare, workspace: Path) -> None:
    assert shot(snap_compare, workspace, ["question_mark"])
