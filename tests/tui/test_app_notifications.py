"""What the dashboard says in its notifications: an error once, however often it is met."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dora_tui.tui.app import DoraApp
from support.app import TODAY, app_test, build_workspace, settle

SAID = "the file was changed by another program: events.time holds 'x' where a whole number belongs"


def errors_shown(app: DoraApp) -> list[str]:
    """The text of every error notification on screen."""
    return [str(toast.render()) for toast in app.screen.query("Toast.-error")]


@app_test
async def test_a_damaged_value_met_again_is_one_notification(tmp_path: Path) -> None:
    # each window the user asked for (m) stopped at the same damaged value and said it again:
    # five times the same error stacked after four presses
    config = build_workspace(tmp_path / "ws")
    with sqlite3.connect(config.parent / "dora.db") as db:
        db.execute("UPDATE events SET time = 'x'")
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
