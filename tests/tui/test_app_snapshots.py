"""One snapshot per screen, at a fixed size with a fixed clock (``pytest --snapshot-update`` to accept).

Besides the pages of a collected workspace: a workspace whose services have not deployed
yet, a config with no service, and a database that is not dora-tui's (the error state).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from textual.message import Message

from dora_tui.config import load_file
from dora_tui.ops.collect import collect
from dora_tui.store.database import Store
from dora_tui.tui.app import DoraApp
from dora_tui.tui.messages import OpenDeployment, OpenEntity, OpenIncidents, OpenMetric
from support.app import COLLECTED_AT, TODAY, open_page, settle, shared_workspace
from support.gitbuilder import GitBuilder

SIZE = (120, 40)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_workspace(tmp_path_factory, "snap")


def shot(snap_compare, app: DoraApp | Path, *steps: Message | list[str]) -> bool:
    """Run the app, apply ``steps`` (pages asked for, as a screen asks, or key lists), then compare the screen."""
    if isinstance(app, Path):
        app = DoraApp(app, today=TODAY)

    async def run_before(pilot) -> None:
        await settle(pilot)
        for step in steps:
            if isinstance(step, Message):
                await open_page(pilot, step)
            else:
                await pilot.press(*step)
                await settle(pilot)

    return snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_home(snap_compare, workspace: Path) -> None:
    assert shot(snap_compare, workspace, ["j", "j", "j", "j"])


def test_team(snap_compare, workspace: Path) -> None:
    assert shot(snap_compare, workspace, OpenEntity("team", "payments"))


def test_service(snap_compare, workspace: Path) -> None:
    assert shot(snap_compare, workspace, OpenEntity("service", "checkout"))


def test_metric(snap_compare, workspace: Path) -> None:
    assert shot(snap_compare, workspace, OpenMetric("service", "checkout", "lead_time"), ["left"])


def test_deployment(snap_compare, workspace: Path) -> None:
    assert shot(snap_compare, workspace, OpenDeployment("checkout", "v1.21.0"))


def test_incidents(snap_compare, workspace: Path) -> None:
    assert shot(snap_compare, workspace, OpenIncidents("team", "storefront"))


def test_help(snap_compare, workspace: Path) -> None:
    assert shot(snap_compare, workspace, ["question_mark"])


NOTHING_DEPLOYED = """\
database = "dora.db"
timezone = "UTC"

[[teams]]
name = "payments"

[[services]]
name = "ledger"
team = "payments"
repo = "ledger"
"""


def test_a_service_that_never_deployed(snap_compare, tmp_path: Path) -> None:
    """Collected, but no release tag yet: the cards say there is no data, the list that there is no deployment."""
    repo = GitBuilder(tmp_path / "ledger")
    repo.commit("2024-06-03T09:00:00", "first ledger work")
    (tmp_path / "dora.toml").write_text(NOTHING_DEPLOYED)
    config = load_file(tmp_path / "dora.toml")
    store = Store.open(config.database)
    collect(config, store, clock=lambda: COLLECTED_AT)
    store.close()
    assert shot(snap_compare, tmp_path / "dora.toml", OpenEntity("service", "ledger"))


def test_no_service_configured(snap_compare, tmp_path: Path) -> None:
    """A config with no service: the home page says how to add one."""
    (tmp_path / "dora.toml").write_text('database = "dora.db"\ntimezone = "UTC"\n')
    assert shot(snap_compare, tmp_path / "dora.toml")


def test_a_database_that_is_not_dora_tuis(snap_compare, tmp_path: Path, workspace: Path) -> None:
    """The error state: the figures cannot be computed, and the home page says why in one line.

    The database is named by a path relative to the test's folder, so the line is the same
    on every machine.
    """
    (tmp_path / "broken.db").write_text("this is not sqlite" * 100)
    config = dataclasses.replace(load_file(workspace), database=Path("broken.db"))
    assert shot(snap_compare, DoraApp(config=config, today=TODAY))
