"""Driving the real dashboard over a real workspace: pages, drill-downs, keys, palette, re-collect."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Input, ProgressBar

from dora_tui.tui.app import DoraApp, run_dashboard
from dora_tui.tui.messages import OpenDeployment, OpenEntity, OpenMetric
from dora_tui.tui.screens.deployment import DeploymentScreen
from dora_tui.tui.screens.help import HelpScreen
from dora_tui.tui.screens.home import HomeScreen
from dora_tui.tui.screens.incidents import IncidentsScreen
from dora_tui.tui.screens.metric import MetricScreen
from dora_tui.tui.screens.service import ServiceScreen
from dora_tui.tui.screens.team import TeamScreen
from dora_tui.tui.widgets.metric_card import MetricCard
from support.app import (
    EVIL_MARKUP,
    TODAY,
    app_test,
    build_workspace,
    open_page,
    palette_search,
    screen_text,
    settle,
    shared_workspace,
    table_rows,
)
from support.gitbuilder import GitBuilder

SIZE = (120, 40)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One collected workspace shared (read-only) by the tests of this module."""
    return shared_workspace(tmp_path_factory, "nav")


def names(app: DoraApp) -> list[str]:
    return [row[0].strip() for row in table_rows(app.screen.query_one("#directory"))]


@app_test
async def test_home_shows_trends_never_values(workspace: Path) -> None:
    app = DoraApp(workspace, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        rows = table_rows(app.screen.query_one("#directory"))
        assert [r[0].strip() for r in rows] == ["payments", "billing", "ledger", "storefront", "checkout"]
        checkout = rows[-1]
        assert checkout[1:3] == ["▼", "▼"]  # deployment frequency and lead time worsening
        assert "needs attention" in checkout[-1]
        assert rows[1][1:7] == ["·"] * 6  # billing: not enough data
        for row in rows:  # arrows and marks only, never a figure
            assert not any(ch.isdigit() for cell in row[1:] for ch in cell)
        text = screen_text(app)
        assert "▲ improving" in text and "▼ worsening" in text and "needs attention" in text
        assert "data collected at 2024-06-20 08:30" in text  # the workspace's collect, in local time
        footer = text.splitlines()[-1]
        for words in ("Filter", "Quit", "Help", "Months", "Re-collect", "palette"):
            assert words in footer


@app_test
async def test_home_team_service_metric_month_rows(workspace: Path) -> None:
    app = DoraApp(workspace, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j", "enter")  # storefront
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen) and app.screen.entity_name == "storefront"
        assert table_rows(app.screen.query_one("#services"))[0][0] == "checkout"
        app.screen.query_one("#services").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ServiceScreen) and app.screen.entity_name == "checkout"
        card = app.screen.query_one("#card-lead_time", MetricCard)
        shown = str(card.render())
        assert "so far 27 h" in shown and "window 2.1 d" in shown and "tier high" in shown
        # The month in progress is marked as such, not drawn as a bar beside whole months.
        assert shown.splitlines()[2].endswith("██……")
        assert "worsening for 5 months" in shown
        assert app.focused is app.screen.query_one("#card-deployment_frequency")
        await pilot.press("l", "enter")  # next card: lead time
        await settle(pilot)
        assert isinstance(app.screen, MetricScreen) and app.screen.metric.key == "lead_time"
        months = table_rows(app.screen.query_one("#months"))
        assert len(months) == 12 and months[-1][0] == "2024-06 …"
        assert [m[1] for m in months[5:11]] == ["27 h", "2.1 d", "3.1 d", "4.1 d", "5.1 d", "6.1 d"]
        await pilot.press("left")  # May 2024
        await settle(pilot)
        rows = table_rows(app.screen.query_one("#rows"))
        assert sorted(r[4] for r in rows) == sorted([EVIL_MARKUP, "␛[31mred"])
        assert [r[3] for r in rows] == ["6.1 d", "6.1 d"]
        assert "2 changes deployed in 2024-05" in str(app.screen.query_one("#rows-title").render())
        await pilot.press("enter", "enter")  # to the rows; a change opens its deployment
        await settle(pilot)
        assert isinstance(app.screen, DeploymentScreen) and app.screen.deployment_name == "v1.21.0"
        for _ in range(3):
            await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        await pilot.press("escape", "escape")  # back home, and escape there stays home
        assert isinstance(app.screen, HomeScreen)


@app_test
async def test_service_deployment_changes_and_incidents(workspace: Path) -> None:
    app = DoraApp(workspace, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_page(pilot, OpenEntity("service", "checkout"))
        table = app.screen.query_one("#deployments")
        deployments = table_rows(table)
        assert deployments[0][:5] == ["2024-06-04 12:00", "v1.22.0", "1", "–", "–"]
        assert deployments[1][1:4] == ["v1.21.0", "2", "failed"]
        table.focus()
        await pilot.press("j", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DeploymentScreen)
        changes = table_rows(app.screen.query_one("#changes"))
        assert [(c[4], c[3]) for c in changes] == [(EVIL_MARKUP, "6.1 d"), ("␛[31mred", "6.1 d")]
        assert changes[0][1] == "Ada Lovelace"
        incidents = table_rows(app.screen.query_one("#deployment-incidents"))
        assert [(i[0], i[3]) for i in incidents] == [("P1", "4.5 h")]
        assert "recovered after 7.5 h" in str(app.screen.query_one("#deployment-facts").render())
        await pilot.press("escape", "i")
        await settle(pilot)
        assert isinstance(app.screen, IncidentsScreen)
        rows = table_rows(app.screen.query_one("#incidents"))
        assert [(r[2], r[1], r[4]) for r in rows] == [("P1", "4.5 h", "v1.21.0"), ("P2", "1 h", "v1.15.0")]
        await pilot.press("enter")  # an incident opens the deployment it failed
        await settle(pilot)
        assert isinstance(app.screen, DeploymentScreen) and app.screen.deployment_name == "v1.21.0"


@app_test
async def test_time_to_restore_month_lists_incidents(workspace: Path) -> None:
    app = DoraApp(workspace, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_page(pilot, OpenMetric("service", "checkout", "time_to_restore"))
        await pilot.press("left")
        await settle(pilot)
        rows = table_rows(app.screen.query_one("#rows"))
        assert [(r[0], r[1], r[2], r[3]) for r in rows] == [("08 19:30", "P1", "4.5 h", "v1.21.0")]
        await pilot.press("i")  # as the help says: the incidents of the service shown
        await settle(pilot)
        assert isinstance(app.screen, IncidentsScreen) and "checkout" in screen_text(app).splitlines()[0]


@app_test
async def test_palette_jumps_to_a_service(workspace: Path) -> None:
    app = DoraApp(workspace, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette_search(pilot, "service ledger")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ServiceScreen) and app.screen.entity_name == "ledger"


@app_test
async def test_filter_narrows_by_name(workspace: Path) -> None:
    app = DoraApp(workspace, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        box = app.screen.query_one("#filter", Input)
        assert not box.display
        await pilot.press("slash")
        assert box.display and app.focused is box
        await pilot.press(*"led")
        await pilot.pause()
        assert names(app) == ["payments", "ledger"]
        await pilot.press("backspace", "backspace", "backspace", *"pay")
        await pilot.pause()
        assert names(app) == ["payments", "billing", "ledger"]
        await pilot.press("q")  # typed into the filter, does not quit
        await pilot.pause()
        assert app.is_running and box.value == "payq" and names(app) == []
        await pilot.press("escape")
        await pilot.pause()
        assert not box.display and len(names(app)) == 5


@app_test
async def test_help_lists_definitions_and_keys(workspace: Path) -> None:
    app = DoraApp(workspace, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for words in (
            "Deployment frequency",
            "Lead time",
            "Change failure rate",
            "Time to restore",
            "Rework rate",
            "Unplanned work",
            "Escape",
            "re-collect",
            "quit",
        ):
            assert words in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


@app_test
async def test_m_cycles_the_window(workspace: Path) -> None:
    app = DoraApp(workspace, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_page(pilot, OpenEntity("service", "ledger"))
        await open_page(pilot, OpenMetric("service", "ledger", "deployment_frequency"))
        assert len(table_rows(app.screen.query_one("#months"))) == 12
        await pilot.press("m")
        await settle(pilot)
        assert app.months == 24 and len(table_rows(app.screen.query_one("#months"))) == 24
        assert "24 months" in screen_text(app).splitlines()[0]
        await pilot.press("m")
        await settle(pilot)
        assert app.months == 6 and len(table_rows(app.screen.query_one("#months"))) == 6
        await pilot.press("escape")  # the page below redraws for 6 months
        await settle(pilot)
        assert "6 months to 2024-06-20" in str(app.screen.query_one("#entity-title").render())


@app_test
async def test_r_recollects_in_the_background(tmp_path: Path, workspace: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(workspace.parent, root)
    repo = GitBuilder(root / "repos" / "ledger")  # the copied clone, to add to
    app = DoraApp(root / "dora.toml", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_page(pilot, OpenEntity("service", "ledger"))
        assert table_rows(app.screen.query_one("#deployments"))[0][1] == "v1.24.0"
        assert "window 24" in str(app.screen.query_one("#card-deployment_frequency").render())
        repo.commit("2024-06-18T09:00:00", "a new ledger change")
        repo.tag("v1.25.0", "2024-06-19T10:00:00")
        await pilot.press("r")
        await pilot.pause()
        bars = app.screen.query(ProgressBar)
        assert len(bars) == 1
        await settle(pilot)
        rows = table_rows(app.screen.query_one("#deployments"))
        assert rows[0][:3] == ["2024-06-19 10:00", "v1.25.0", "1"]
        assert app.collect_progress is None and not app.screen.query_one("CollectStatus").display
        assert "window 25" in str(app.screen.query_one("#card-deployment_frequency").render())


@app_test
async def test_a_deployment_page_whose_tag_a_re_collect_took_away_keeps_none_of_its_rows(
    tmp_path: Path, workspace: Path
) -> None:
    root = tmp_path / "ws"
    shutil.copytree(workspace.parent, root)
    app = DoraApp(root / "dora.toml", today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_page(pilot, OpenDeployment("ledger", "v1.24.0"))
        assert table_rows(app.screen.query_one("#changes"))
        GitBuilder(root / "repos" / "ledger").git("tag", "-d", "v1.24.0")
        await pilot.press("r")
        await settle(pilot)
        text = screen_text(app)
        assert "No deployment v1.24.0 of ledger up to today." in text
        assert table_rows(app.screen.query_one("#changes")) == [] and "change" not in text.split("today.")[1]


@app_test
async def test_every_page_says_why_the_figures_could_not_be_computed(tmp_path: Path) -> None:
    # the home page said the error; a team's, a service's and a metric's page said
    # 'computing the figures…' for good
    config = tmp_path / "dora.toml"
    config.write_text('[[teams]]\nname = "t"\n\n[[services]]\nname = "svc"\nteam = "t"\nrepo = "missing-repo"\n')
    app = DoraApp(config, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for page in (OpenEntity("team", "t"), OpenEntity("service", "svc"), OpenMetric("service", "svc", "lead_time")):
            await open_page(pilot, page)
            text = " ".join(screen_text(app).split())
            assert "computing" not in text and "could not compute the figures" in text and "missing-repo" in text


PAGERDUTY_HEADER = (
    "id,incident_number,description,service_id,service_name,escalation_policy_id,"
    "escalation_policy_name,created_on,resolved_on,seconds_to_first_ack,seconds_to_resolve,urgency"
)


def pagerduty_export(path: Path, *incidents: tuple[str, str]) -> None:
    """A PagerDuty incidents.csv of ledger incidents: (id, opened) pairs, each resolved two hours later."""
    rows = [
        f"{id},1,ledger slow,S1,ledger,E1,Main,{opened},{opened.replace('T08', 'T10')},60,7200,high"
        for id, opened in incidents
    ]
    path.write_text("\n".join([PAGERDUTY_HEADER, *rows]) + "\n", encoding="utf-8")


@app_test
async def test_r_also_rereads_the_imports(tmp_path: Path, workspace: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(workspace.parent, root)
    config = root / "dora.toml"
    config.write_text(config.read_text() + '\n[[imports]]\nkind = "incidents"\nfile = "pd.csv"\n')
    export = root / "pd.csv"
    pagerduty_export(export, ("PD1", "2024-05-20T08:00:00+00:00"))
    app = DoraApp(config, today=TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_page(pilot, OpenEntity("service", "ledger"))
        card = app.screen.query_one("#card-time_to_restore", MetricCard)
        assert "1 resolved" in str(card.render())  # L1, stored by the workspace
        await pilot.press("r")
        await settle(pilot)
        assert "2 resolved" in str(card.render())
        assert any("imported 1 incident." in str(t.render()) for t in app.screen.query("Toast"))

        pagerduty_export(export, ("PD1", "2024-05-20T08:00:00+00:00"), ("PD2", "not a date"))
        app.clear_notifications()
        await pilot.press("r")  # a bad row: nothing is imported
        await settle(pilot)
        errors = [str(t.render()) for t in app.screen.query("Toast") if "bad row" in str(t.render())]
        assert len(errors) == 1
        first, detail = errors[0].splitlines()
        assert "pd.csv: 1 bad row, nothing was imported" in first
        assert detail.endswith("pd.csv:3: cannot read 'created_on' value 'not a date' as a date")
        assert "2 resolved" in str(card.render()) and app.collect_progress is None

        pagerduty_export(export, ("PD1", "2024-05-20T08:00:00+00:00"), ("PD2", "2024-05-22T08:00:00+00:00"))
        await pilot.press("r")  # the export, fixed and grown
        await settle(pilot)
        assert "3 resolved" in str(card.render())
        assert "Incidents" in screen_text(app).splitlines()[-1]


@app_test
async def test_a_database_never_collected_is_collected_on_open(tmp_path: Path) -> None:
    config = build_workspace(tmp_path / "fresh", collect_now=False)
    app = DoraApp(config, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert names(app) == ["payments", "billing", "ledger", "storefront", "checkout"]
        assert table_rows(app.screen.query_one("#directory"))[-1][1] == "▼"


def never_collected_and_locked(tmp_path: Path) -> tuple[Path, sqlite3.Connection]:
    """A workspace whose database was never collected into, and a connection holding its write
    lock (another program writing) until it is rolled back or closed."""
    from dora_tui.store.database import Store

    config = build_workspace(tmp_path / "fresh", collect_now=False)
    Store.open(tmp_path / "fresh" / "dora.db").close()
    holder = sqlite3.connect(tmp_path / "fresh" / "dora.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return config, holder


@app_test
async def test_m_pressed_while_the_first_open_collects_waits_for_that_collect(tmp_path: Path) -> None:
    # `m` during the collect of a database never filled started a second collect, which waited
    # for the first's write lock and, with a big history, said another dora-tui was writing
    import asyncio

    config, holder = never_collected_and_locked(tmp_path)  # the first collect waits, as behind a big history
    app = DoraApp(config, today=TODAY)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.2)
            await pilot.press("m")
            await asyncio.sleep(0.5)
            holder.rollback()
            await settle(pilot)
            assert app.months == 24 and app.load_error is None
            assert "Could not compute" not in screen_text(app)
    finally:
        holder.close()
    with sqlite3.connect(tmp_path / "fresh" / "dora.db") as db:
        assert db.execute("SELECT count(*) FROM events WHERE kind = 'collect'").fetchone()[0] == 1


@app_test
async def test_m_pressed_again_and_again_behind_a_locked_database_makes_one_collect_not_one_each(
    tmp_path: Path,
) -> None:
    # each load waited for the collect before it and then tried again, 5 s each: q took
    # 26 s to end the app after five m
    import time

    config, holder = never_collected_and_locked(tmp_path)  # another program writing, all along
    app = DoraApp(config, today=TODAY)
    started = time.monotonic()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.2)
            for _ in range(4):
                await pilot.press("m")
            await settle(pilot)
            assert "another dora-tui is writing" in (app.load_error or "")
            await pilot.press("q")
        assert time.monotonic() - started < 12  # one busy wait (5 s), not one a press (25 s)
    finally:
        holder.close()


def test_q_while_a_re_collect_waits_behind_a_blocked_collect_does_not_wait_for_it_too(tmp_path: Path) -> None:
    # r waited for the first open's blocked collect, then, though q had been pressed, made
    # its own: the program ended (asyncio.run returns once the workers' threads have) after
    # two busy waits
    import asyncio
    import time

    config, holder = never_collected_and_locked(tmp_path)
    app = DoraApp(config, today=TODAY)

    async def press_r_then_q() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.2)
            await pilot.press("r")
            await pilot.press("q")

    started = time.monotonic()
    try:
        asyncio.run(press_r_then_q())
        assert time.monotonic() - started < 9  # one busy wait (5 s), not two
    finally:
        holder.close()


@app_test
async def test_no_service_configured(tmp_path: Path) -> None:
    config = tmp_path / "dora.toml"
    config.write_text('database = "dora.db"\n')
    app = DoraApp(config, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "No service is configured: add [[services]]" in screen_text(app)


@app_test
async def test_q_quits(workspace: Path) -> None:
    app = DoraApp(workspace, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_page(pilot, OpenEntity("team", "payments"))
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


@app_test
async def test_a_broken_database_is_one_line_on_screen(tmp_path: Path, workspace: Path) -> None:
    (tmp_path / "broken.db").write_text("this is not sqlite" * 100)
    config = tmp_path / "dora.toml"
    config.write_text(
        workspace.read_text()
        .replace('database = "dora.db"', 'database = "broken.db"')
        .replace('repo = "repos/', f'repo = "{workspace.parent}/repos/')
    )
    app = DoraApp(config, today=TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert app.is_running
        text = screen_text(app)
        assert "Traceback" not in text
        assert "Could not compute the figures: " in text  # on the page
        toasts = [str(t.render()) for t in app.screen.query("Toast")]
        assert len(toasts) == 1 and "broken.db: not a dora-tui database" in toasts[0]


def test_run_dashboard_reports_a_bad_config_in_one_line(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "dora.toml"
    bad.write_text("months = 'twelve'\n")
    assert run_dashboard(bad) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "months" in err and "Traceback" not in err


@app_test
async def test_a_damaged_value_a_page_reads_is_one_line_not_a_crash(tmp_path: Path) -> None:
    # opening a service's incidents on a database another program changed ended the app in a
    # traceback (a review's finding); the home page already said it in one line
    config = build_workspace(tmp_path / "ws")
    with sqlite3.connect(config.parent / "dora.db") as db:
        db.execute("UPDATE incidents SET opened_at = 'x'")
    app = DoraApp(config, today=TODAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_page(pilot, OpenEntity("service", "checkout"))
        app.clear_notifications()
        await pilot.press("i")
        await settle(pilot)
        said = [str(t.render()) for t in app.screen.query("Toast")]
        assert any("incidents.opened_at holds 'x' where a whole number belongs" in text for text in said), said
        assert app.is_running
