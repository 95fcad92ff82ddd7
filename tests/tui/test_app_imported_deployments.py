"""A service deployed through a runtime, not by tags, in the dashboard: where its deployments
come from, its changes and lead times from git, and its rollback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dora_tui.cli import main
from dora_tui.tui.app import DoraApp
from dora_tui.tui.messages import OpenEntity
from dora_tui.tui.widgets.metric_card import MetricCard
from support.app import TODAY, app_test, build_workspace, open_page, screen_text, settle, table_rows
from support.deploys import kubectl_list, replica_set, write

SIZE = (120, 40)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The dashboard's test workspace, billing's rollouts imported from a kubectl export."""
    config = build_workspace(tmp_path / "ws", with_incidents=False)
    repo = tmp_path / "ws" / "repos" / "billing"
    log = subprocess.run(["git", "-C", str(repo), "log", "--reverse", "--format=%h"], capture_output=True, text=True)
    initial, change, hotfix = log.stdout.split()
    sets = [
        replica_set("1", f"billing:sha-{initial}", "2024-03-02T10:00:00Z", app="billing"),
        # revision 2's ReplicaSet came back as revision 4: a rollback of the hotfix
        replica_set("4", f"billing:sha-{change}", "2024-04-03T10:00:00Z", app="billing", history="2"),
        replica_set("3", f"billing:sha-{hotfix}", "2024-05-02T10:00:00Z", app="billing"),
    ]
    write(tmp_path / "rs.json", kubectl_list(*sets))
    assert main(["import", "deployments", str(tmp_path / "rs.json"), "--config", str(config)]) == 0
    assert main(["collect", "--config", str(config)]) == 0  # as the import says: the commits they carried
    return config


@app_test
async def test_a_service_deployed_through_kubernetes_shows_lead_times_and_its_rollback(workspace: Path) -> None:
    app = DoraApp(workspace, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_page(pilot, OpenEntity("service", "billing"))
        text = screen_text(app)
        assert "its imported deployments (kubernetes)" in text
        # Lead times from git: "billing change" waited 49 h for revision 2, "billing hotfix" 25 h for revision 3.
        card = str(app.screen.query_one("#card-lead_time", MetricCard).render())
        assert "window 37 h" in card, card
        rows = {row[1]: row for row in table_rows(app.screen.query_one("#deployments"))}
        assert rows["shop/billing rev 4"][4] == "rollback"  # back to revision 2's image
        assert rows["shop/billing rev 3"][3] == "failed"  # the deployment it undid
        assert rows["shop/billing rev 2"][2] == "1" and rows["shop/billing rev 1"][2] == "baseline"
        app.screen.query_one("#deployments").focus()
        await pilot.press("enter")  # the latest: the rollback
        await settle(pilot)
        assert "rollback of shop/billing rev 3 (back to a commit it ran before; it carries no changes)" in screen_text(
            app
        )
