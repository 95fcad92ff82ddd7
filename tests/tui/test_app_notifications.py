"""What the dashboard says in its notifications: an error once, however often it is met."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dora_tui.cli import main
from dora_tui.tui.app import DoraApp
from support.app import TODAY, app_test, build_workspace, settle

EDGES = "a time at or beyond the ends of the years 1 to 9999"
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


@pytest.mark.parametrize(
    ("value", "zone", "said"),
    [
        ("'x'", "UTC", "events.time holds 'x' where a whole number belongs"),
        # a time in milliseconds, and one no clock can show: the home page stayed "Computing the
        # trends…" with every cell empty, and the second was Python's "OSError: [Errno 75]"
        ("1796676873000", "UTC", "events.time holds 1796676873000, " + EDGES),
        ("99999999999999999", "UTC", "events.time holds 99999999999999999, " + EDGES),
        # Go's zero time and the last second of 9999 are within the years 1 to 9999 in UTC, but
        # not west or east of it: the app ended in "OverflowError: date value out of range"
        ("-62135596800", "America/New_York", "events.time holds -62135596800, " + EDGES),
        ("253402300799", "Asia/Tokyo", "events.time holds 253402300799, " + EDGES),
    ],
)
@app_test
async def test_a_damaged_collect_time_leaves_the_figures_shown(
    tmp_path: Path, value: str, zone: str, said: str
) -> None:
    # the time of the last collect is only the data's age: a value another program wrote there
    # stopped every window from loading (each load asked whether anything was ever collected
    # by reading it), and the home page said "Could not compute the figures"
    config = build_workspace(tmp_path / "ws")
    with sqlite3.connect(config.parent / "dora.db") as db:
        db.execute(f"UPDATE events SET time = {value}")
    config.write_text(config.read_text().replace('timezone = "UTC"', f'timezone = "{zone}"'))
    app = DoraApp(config, today=TODAY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        home = app.screen
        assert home.loaded and not home.query_one("#home-status").display
        shown = str(home.query_one("#collected-at").render())
        assert shown.startswith("the time of the last collect cannot be read:") and shown.endswith(said), shown
        await pilot.press("m")
        await settle(pilot)
        assert errors_shown(app) == [] and app.is_running


@app_test
async def test_the_data_age_comes_back_with_the_next_collect(tmp_path: Path) -> None:
    # SQLite sorts a text above every number: the age was read as max(time), so once a damaged
    # time was there, no collect after it could say the data's age again
    config = build_workspace(tmp_path / "ws")
    with sqlite3.connect(config.parent / "dora.db") as db:
        db.execute("UPDATE events SET time = 'x'")
    assert main(["collect", "--config", str(config)]) == 0
    app = DoraApp(config, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert str(app.screen.query_one("#collected-at").render()).startswith("data collected at ")


@app_test
async def test_a_collect_warning_met_again_is_one_notification(tmp_path: Path) -> None:
    # every re-collect (r) said its warnings anew: three presses, the same warning three times
    # (an imported deployment naming a commit of no clone is said at every collect)
    config = build_workspace(tmp_path / "ws")
    (config.parent / "deploys.csv").write_text(
        "service,name,time,sha\nledger,deploy-1,2024-05-02T09:00:00Z,deadbeefcafe\n"
    )
    config.write_text(config.read_text() + '\n[[imports]]\nkind = "deployments"\nfile = "deploys.csv"\n')
    app = DoraApp(config, today=TODAY)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        for _ in range(3):
            await pilot.press("r")
            await settle(pilot)
        warned = [str(toast.render()) for toast in app.screen.query("Toast.-warning")]
        assert len(warned) == 1 and "'deadbeefcafe'" in warned[0], warned


@app_test
async def test_a_damaged_collect_time_is_said_whole_at_80_columns(tmp_path: Path) -> None:
    # the line was cut after the database's path, before what is damaged and how
    config = build_workspace(tmp_path / "ws")
    with sqlite3.connect(config.parent / "dora.db") as db:
        db.execute("UPDATE events SET time = 'x'")
    app = DoraApp(config, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = app.screen.query_one("#collected-at")
        assert shown.size.height >= 2 and "events.time holds 'x'" in str(shown.render()), shown.size
