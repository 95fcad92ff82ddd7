"""The dashboard in a terminal of a few rows: the command palette stays usable, its keys safe."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette

from dora_tui.tui.app import DoraApp
from dora_tui.tui.screens.service import ServiceScreen
from support.app import TODAY, app_test, palette_search, screen_text, settle, shared_workspace


def hit_shown(app: DoraApp) -> str:
    """The hit on the palette's first row of hits (its kind and name; the scroll bar left out)."""
    return " ".join(screen_text(app).splitlines()[1].split()[:2])


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One collected workspace shared (read-only) by the tests of this module."""
    return shared_workspace(tmp_path_factory, "short")


@app_test
async def test_pagedown_in_the_palette_of_a_four_row_terminal_moves_to_the_next_hit(workspace: Path) -> None:
    # PageDown in the palette ended the app with a traceback (KeyError: 0 in Textual's
    # OptionList._move_page: the list of hits had no row under the search box)
    app = DoraApp(workspace, today=TODAY)
    async with app.run_test(size=(80, 4)) as pilot:
        await settle(pilot)
        await palette_search(pilot, "service")
        await pilot.pause()
        box, first = screen_text(app).splitlines()[0], hit_shown(app)
        await pilot.press("pagedown")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, CommandPalette)
        assert box.strip().endswith("service") and first.startswith("service ")  # the search box, a hit under it
        shown = hit_shown(app)
        assert shown.startswith("service ") and shown != first  # a page on: the next hit
        await pilot.press("pageup")
        await pilot.pause()
        assert hit_shown(app) == first
        await pilot.press("pagedown", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ServiceScreen) and f"service {app.screen.entity_name}" == shown


@app_test
async def test_page_keys_in_a_one_row_terminal_move_nothing(workspace: Path) -> None:
    app = DoraApp(workspace, today=TODAY)
    async with app.run_test(size=(80, 1)) as pilot:
        await settle(pilot)
        await palette_search(pilot, "ledger")
        await pilot.press("pagedown", "pageup", "pagedown")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, CommandPalette)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ServiceScreen) and app.screen.entity_name == "ledger"


@app_test
async def test_the_theme_chooser_of_the_palette_too(workspace: Path) -> None:
    app = DoraApp(workspace, today=TODAY)
    async with app.run_test(size=(80, 4)) as pilot:
        await settle(pilot)
        await palette_search(pilot, "theme")
        await pilot.press("enter")
        await pilot.pause(0.2)
        first = hit_shown(app)
        await pilot.press("pagedown")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, CommandPalette)
        assert screen_text(app).splitlines()[0].strip().endswith("Search for themes…")
        assert hit_shown(app) != first  # a page on: another theme


@app_test
@pytest.mark.parametrize("size", [(9, 60), (22, 90), (40, 40)])
async def test_a_metric_page_in_a_narrow_terminal_says_its_chart_has_no_room(
    workspace: Path, size: tuple[int, int]
) -> None:
    # plotext failed on a chart a few cells wide (ValueError in get_fill_boundaries), which
    # ended the app: checkout's lead time in a 9-column terminal
    from dora_tui.tui.messages import OpenMetric
    from dora_tui.tui.screens.metric import MetricScreen
    from support.app import open_page

    app = DoraApp(workspace, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_page(pilot, OpenMetric("service", "checkout", "lead_time"))
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, MetricScreen)
        if size[0] > 20:  # wide enough for the chart's place to show under the wrapped definition
            said = "too small a terminal for the chart" in " ".join(screen_text(app).split())
            assert said == (size[0] < 24), screen_text(app)
