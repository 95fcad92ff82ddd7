"""Untrusted text (commit subjects, tag messages, incident titles) is shown literally, and inert."""

from __future__ import annotations

from pathlib import Path

import pytest

from dora_tui.tui.app import DoraApp
from dora_tui.tui.messages import OpenDeployment, OpenEntity, OpenIncidents, OpenMetric
from dora_tui.tui.screens.deployment import DeploymentScreen
from dora_tui.tui.screens.incidents import IncidentsScreen
from support.app import (
    EVIL_MARKUP,
    TODAY,
    app_test,
    build_workspace,
    open_page,
    palette_search,
    screen_styles,
    screen_text,
    settle,
    shared_workspace,
)

SIZE = (120, 40)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_workspace(tmp_path_factory, "untrusted")


def assert_inert(app: DoraApp) -> None:
    """No control character reaches the terminal and no text carries an action."""
    for line in screen_text(app).splitlines():
        assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in line), repr(line)
    for style in screen_styles(app):
        assert "app.quit" not in str(style.meta.get("@click", "")), style


async def click_text(pilot, needle: str) -> None:
    """Click on the first place the screen shows ``needle``."""
    for y, line in enumerate(screen_text(pilot.app).splitlines()):
        x = line.find(needle)
        if x >= 0:
            await pilot.click(offset=(x + 1, y))
            await pilot.pause()
            return
    raise AssertionError(f"{needle!r} is not on the screen")


@app_test
async def test_commit_subjects_and_tag_messages_are_literal(workspace: Path) -> None:
    app = DoraApp(workspace, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_page(pilot, OpenEntity("service", "checkout"))
        text = screen_text(app)
        assert EVIL_MARKUP in text  # the tag message, in the deployments table
        assert_inert(app)
        await open_page(pilot, OpenDeployment("checkout", "v1.21.0"))
        assert isinstance(app.screen, DeploymentScreen)
        text = screen_text(app)
        assert text.count(EVIL_MARKUP) == 2  # tag message and commit subject
        assert "␛[31mred" in text and "\x1b" not in text
        assert "[@click=app.quit]boom[/] ␛[31mpager [bold]" in text
        assert_inert(app)
        await click_text(pilot, "[@click=app.quit]x[/]")
        await click_text(pilot, "[@click=app.quit]boom")
        assert app.is_running and isinstance(app.screen, DeploymentScreen)


@app_test
async def test_incident_titles_are_literal(workspace: Path) -> None:
    app = DoraApp(workspace, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_page(pilot, OpenIncidents("service", "checkout"))
        assert isinstance(app.screen, IncidentsScreen)
        text = screen_text(app)
        assert "[@click=app.quit]boom[/] ␛[31mpager [bold]" in text
        assert_inert(app)
        await click_text(pilot, "[@click=app.quit]boom")
        assert app.is_running


@app_test
async def test_month_rows_show_subjects_literally(workspace: Path) -> None:
    app = DoraApp(workspace, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_page(pilot, OpenMetric("service", "checkout", "lead_time"))
        await pilot.press("left")
        await settle(pilot)
        text = screen_text(app)
        assert EVIL_MARKUP in text and "␛[31mred" in text
        assert_inert(app)
        await click_text(pilot, "[@click=app.quit]x[/]")
        assert app.is_running


def test_literal_helper_never_parses_markup() -> None:
    from dora_tui.tui.widgets.text import literal

    text = literal("[bold red]x[/] \x1b[2J\x07")
    assert text.plain == "[bold red]x[/] ␛[2J␇"
    assert not text.spans


@app_test
async def test_names_from_the_config_are_literal_too(tmp_path: Path) -> None:
    config = tmp_path / "dora.toml"
    config.write_text(
        '[[teams]]\nname = "[b]team[/b]"\n\n[[services]]\nname = "[@click=app.quit]svc"\n'
        'team = "[b]team[/b]"\nrepo = "missing-repo"\n'
    )
    app = DoraApp(config, today=TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "[b]team[/b]" in text and "[@click=app.quit]svc" in text
        assert "Could not compute the figures: " in text and "missing-repo" in text
        assert_inert(app)
        await palette_search(pilot, "svc")
        assert "service [@click=app.quit]svc" in screen_text(app)
        assert_inert(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running and app.screen.entity_name == "[@click=app.quit]svc"
        assert_inert(app)


HOSTILE_NAME = "pay\x1b]0;pwned\x1b\\ments\u202eX"


def assert_no_escape(app: DoraApp) -> None:
    """Neither an escape sequence nor a bidirectional override reaches the terminal."""
    text = screen_text(app)
    assert "\x1b" not in text and "\u202e" not in text, repr(text)


@app_test
async def test_a_team_name_and_an_incident_id_never_reach_the_terminal_as_escapes(tmp_path: Path) -> None:
    # a team name from a Backstage Group (init writes it escaped; the config reads it back as
    # it was) set the window's title; an incident's id on a deployment's page did too
    from collectors.records import Incident
    from dora_tui.store.database import Store
    from support.app import build_workspace
    from support.gitbuilder import epoch

    config = build_workspace(tmp_path / "ws")
    text = config.read_text()
    config.write_text(text.replace('"storefront"', '"pay\\u001b]0;pwned\\u001b\\\\ments\\u202eX"'))
    store = Store.open(tmp_path / "ws" / "dora.db")
    with store.atomic():
        at = epoch("2024-04-22T08:00:00")
        store.upsert_incidents(
            [Incident("pagerduty", "INC\x1b[31mRED\u202eX", at, at + 60, "ledger", reference="v1.19.0")]
        )
    store.close()
    app = DoraApp(config, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "pay␛]0;pwned␛\\ments" in screen_text(app)
        assert_no_escape(app)
        await open_page(pilot, OpenDeployment("ledger", "v1.19.0"))
        assert "(incidents L1, INC␛[31mRED" in screen_text(app)  # the facts' line, not only the table
        assert_no_escape(app)


@app_test
async def test_a_long_service_name_never_pushes_a_team_s_deployment_columns_off_the_screen(tmp_path: Path) -> None:
    config = build_workspace(tmp_path / "ws", with_incidents=False, collect_now=False)
    long = "ledger-" + "x" * 150
    config.write_text(config.read_text().replace('name = "ledger"', f'name = "{long}"'))
    app = DoraApp(config, today=TODAY)  # collects on open
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_page(pilot, OpenEntity("team", "payments"))
        text = screen_text(app)
        assert "ledger-xxxx" in text  # its deployments are listed
        header = next(line for line in text.splitlines() if "Deployment" in line and "Time" in line)
        assert "Changes" in header and "Message" in header, header
