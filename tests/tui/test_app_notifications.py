"""What the dashboard says in its notifications: an error once, however often it is met."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dora_tui.tui.app import DoraApp
from support.app import TODAY, app_test, build_workspace, settle

SAID = "the file was changed by another program: incidents.opened_at holds 'x' where a whole number belongs"


def errors_shown(app: DoraApp) -> list[str]:
    """The text of every error notification on screen."""
    return [str(toast.render()) for toast in app.screen.query("Toast.-error")]


@app_test
async def test_a_damaged_value_met_again_is_one_notification(tmp_path: Path) -> None:
    # each window the user asked for (m) stopped at the same damaged value and said it again:
    # five times the same error stacked after four presses
    config = build_workspace(tmp_path / "ws")
    with sqlite3.connect(config.parent / "dora.db") as db:
        db.execute("UPDATE incidents SET opened_at = 'x'")
    app = DoraApp(config, today=TODAY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        for _ in range(4):
            await pilot.press("m")
            await settle(pilot)
        shown = errors_shown(app)
        assert len(shown) == 1 and shown[0].endswith(SAID), shown
        assert app.is_running
        app.clear_notifications()  # once it is gone, the next time it is met says it again
        await pilot.press("m")
        await settle(pilot)
        assert len(errors_shown(app)) == 1


@app_test
async def test_a_damaged_collect_time_leaves_the_figures_shown(tmp_path: Path) -> None:
    # the time of the last collect is only the data's age: a value another program wrote there
    # stopped every window from loading (each load asked whether anything was ever collected
    # by reading it), and the home page said "Could not compute the figures"
    config = build_workspace(tmp_path / "ws")
    with sqlite3.connect(config.parent / "dora.db") as db:
        db.execute("UPDATE events SET time = 'x'")
    app = DoraApp(config, today=TODAY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        home = app.screen
        status = str(home.query_one("#home-status").render())
        assert "Could not compute" not in status, status
        assert home.loaded and not home.query_one("#home-status").display
        said = str(home.query_one("#collected-at").render())
        assert said.startswith("the time of the last collect cannot be read:") and "events.time" in said, said
        await pilot.press("m")
        await settle(pilot)
        assert errors_shown(app) == [] and app.is_running
