"""A small real workspace for the dashboard tests, and tests of the data facade behind it.

Two teams, three services, real git repositories with fixed dates, collected into a real
SQLite file; incidents and tickets are written straight into that file. "Today" is fixed.

- checkout (storefront): deploys less and less, with longer and longer lead times: two
  metrics worsening, so it needs attention. Its commits include hostile subjects.
- ledger (payments): steady.
- billing (payments): three deployments only: not enough data.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
from datetime import date
from pathlib import Path

import pytest
from textual.worker import WorkerFailed

from collectors.records import Incident, Ticket
from dora_tui.config.settings import load_file
from dora_tui.ops.collect import collect
from dora_tui.store.database import Store
from dora_tui.tui.facade.dashboard import Dashboard, format_hours, format_value, safe_text
from gitbuilder import GitBuilder, epoch

TODAY = date(2024, 6, 20)
EVIL_MARKUP = "[@click=app.quit]x[/] [bold red]oops [/"
EVIL_ANSI = "\x1b[31mred"
EVIL_TITLE = "[@click=app.quit]boom[/] \x1b[31mpager [bold]"
COLLECTED_AT = epoch("2024-06-20T08:30:00")  # the first collect's time, for a stable home page
CHECKOUT_MONTHS = ("2023-12", "2024-01", "2024-02", "2024-03", "2024-04", "2024-05")

CONFIG = """\
database = "dora.db"
timezone = "UTC"
months = 12

[[teams]]
name = "payments"

[[teams]]
name = "storefront"

[[services]]
name = "checkout"
team = "storefront"
repo = "repos/shop"

[[services]]
name = "ledger"
team = "payments"
repo = "repos/ledger"

[[services]]
name = "billing"
team = "payments"
repo = "repos/billing"
"""


def _checkout(repo: GitBuilder) -> None:
    repo.commit("2023-11-01T09:00:00", "initial shop")
    repo.tag("v0.0.1", "2023-11-02T10:00:00")
    n = 0
    for i, month in enumerate(CHECKOUT_MONTHS):
        deploys = 6 - i  # 6, 5, 4, 3, 2, 1 deployments a month
        lead_days = i + 1  # 1, 2, ... 6 days of lead time
        for k in range(deploys):
            day = 8 + k * 3
            commit_day = day - lead_days
            subject = f"checkout change {n}"
            if month == "2024-05":
                subject = EVIL_MARKUP if k == 0 else subject
            repo.commit(f"{month}-{commit_day:02d}T09:00:00", subject)
            if month == "2024-05":
                repo.commit(f"{month}-{commit_day:02d}T10:00:00", EVIL_ANSI)
            n += 1
            message = EVIL_MARKUP if month == "2024-05" else None
            repo.tag(f"v1.{n}.0", f"{month}-{day:02d}T12:00:00", message=message)
    repo.commit("2024-06-03T09:00:00", "june work")
    repo.tag(f"v1.{n + 1}.0", "2024-06-04T12:00:00")


def _ledger(repo: GitBuilder) -> None:
    repo.commit("2023-06-01T09:00:00", "initial ledger")
    repo.tag("v1.0.0", "2023-06-02T10:00:00")
    n = 0
    for month in (
        "2023-07",
        "2023-08",
        "2023-09",
        "2023-10",
        "2023-11",
        "2023-12",
        "2024-01",
        "2024-02",
        "2024-03",
        "2024-04",
        "2024-05",
        "2024-06",
    ):
        for day in (5, 15):
            n += 1
            repo.commit(f"{month}-{day - 1:02d}T10:00:00", f"ledger change {n}")
            repo.tag(f"v1.{n}.0", f"{month}-{day:02d}T10:00:00")


def _billing(repo: GitBuilder) -> None:
    repo.commit("2024-03-01T09:00:00", "initial billing")
    repo.tag("v0.1.0", "2024-03-02T10:00:00")
    repo.commit("2024-04-01T09:00:00", "billing change")
    repo.tag("v0.2.0", "2024-04-03T10:00:00")
    repo.commit("2024-05-01T09:00:00", "billing hotfix")
    repo.tag("v0.2.1-hotfix", "2024-05-02T10:00:00")


def add_incidents(store: Store) -> None:
    """Incidents and tickets, written through the store (no CSV needed)."""
    incidents = [
        # Opens 3 hours after checkout's only May deployment (v1.21.0): fails it.
        Incident(
            "pagerduty",
            "P1",
            epoch("2024-05-08T15:00:00"),
            epoch("2024-05-08T19:30:00"),
            "checkout",
            "checkout",
            "storefront",
            "high",
            EVIL_TITLE,
        ),
        # Opens within 72 hours of v1.15.0: fails it.
        Incident(
            "pagerduty",
            "P2",
            epoch("2024-02-20T08:00:00"),
            epoch("2024-02-20T09:00:00"),
            "checkout",
            "checkout",
            "storefront",
            "low",
            "slow pages",
        ),
        # Names ledger's v1.19.0 explicitly.
        Incident(
            "pagerduty",
            "L1",
            epoch("2024-04-20T08:00:00"),
            epoch("2024-04-21T08:00:00"),
            "ledger",
            "ledger",
            "payments",
            "high",
            "ledger drift",
            "v1.19.0",
        ),
    ]
    tickets = [
        Ticket(
            "jira",
            f"PAY-{i}",
            epoch(f"2024-0{1 + i % 5}-01T09:00:00"),
            epoch(f"2024-0{1 + i % 5}-10T09:00:00"),
            "payments",
            "PAY",
            None,
            "Bug" if i % 3 == 0 else "Story",
            "Done",
            (),
            f"ticket {i}",
            unplanned=i % 3 == 0,
        )
        for i in range(10)
    ]
    with store.atomic():
        store.upsert_incidents(incidents)
        store.upsert_tickets(tickets)


def shared_workspace(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A collected workspace for a module's tests to share read-only, built away from the user's git config."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GIT_CONFIG_GLOBAL", os.devnull)
        mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
        return build_workspace(tmp_path_factory.mktemp(name) / "ws")


def build_workspace(root: Path, *, with_incidents: bool = True, collect_now: bool = True) -> Path:
    """Write the repositories and the config under ``root``, collect them; returns the config path."""
    root.mkdir(parents=True, exist_ok=True)
    _checkout(GitBuilder(root / "repos" / "shop"))
    _ledger(GitBuilder(root / "repos" / "ledger"))
    _billing(GitBuilder(root / "repos" / "billing"))
    path = root / "dora.toml"
    path.write_text(CONFIG)
    if not collect_now:
        return path
    config = load_file(path)
    store = Store.open(config.database)
    collect(config, store, clock=lambda: COLLECTED_AT)
    if with_incidents:
        add_incidents(store)
    store.close()
    return path


# -- driving the app --------------------------------------------------------------------------


def app_test(fn):
    """Run an ``async def`` test with asyncio (no async pytest plugin is needed)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


async def settle(pilot) -> None:
    """Let the figures load, workers finish (failed ones too: the app reports them), the screen catch up."""
    app = pilot.app
    for _ in range(500):
        if app.dashboard.is_loaded(app.target_months) or app.load_error:
            break
        await pilot.pause(0.01)
    for _ in range(2):
        with contextlib.suppress(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()


async def palette_search(pilot, text: str) -> None:
    """Open the command palette, type ``text`` and wait for the first hit to be highlighted."""
    from textual.command import CommandList

    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*text)
    for _ in range(300):
        await pilot.pause(0.01)
        hits = pilot.app.screen.query(CommandList)
        if hits and hits.first().option_count and hits.first().highlighted is not None:
            break


def screen_text(app) -> str:
    """What the terminal shows, as plain text lines."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def screen_segments(app) -> list:
    """Every segment the terminal would receive (text and style)."""
    return [segment for strip in app.screen._compositor.render_strips() for segment in strip]


def table_rows(table) -> list[list[str]]:
    """The plain text of every cell of a DataTable, row by row."""
    return [table.cell_texts(i) for i in range(table.row_count)]


# -- tests of the data facade -------------------------------------------------------------------


def test_safe_text_makes_control_characters_visible() -> None:
    assert safe_text("\x1b[31mred") == "␛[31mred"
    assert safe_text("a\nb\tc\x07\x9b") == "a␤b c␇\ufffd"
    assert safe_text("[bold]x[/]") == "[bold]x[/]"
    assert safe_text(None) == ""


def test_formats() -> None:
    assert format_value("rate", 0.333) == "33.3 %"
    assert format_value("rate", 0.5) == "50 %"
    assert format_value("count", 3) == "3"
    assert format_value("hours", None) == "–"
    assert format_hours(0.5) == "30 min"
    assert format_hours(20.5) == "20.5 h"
    assert format_hours(72) == "3 d"


def test_dashboard_facade(tmp_path: Path) -> None:
    path = build_workspace(tmp_path / "ws")
    dash = Dashboard(load_file(path), today=TODAY)
    dash.load(12)
    groups = dash.directory(12)
    assert [g.team.name for g in groups if g.team] == ["payments", "storefront"]
    checkout = dash.entity("service", "checkout", 12)
    assert checkout is not None and checkout.needs_attention
    assert checkout.metric("lead_time").trend == "worsening"
    assert checkout.metric("lead_time").words == "worsening for 5 months"
    assert dash.entity("service", "billing", 12).metric("lead_time").words == "not enough data"
    recent = dash.recent_deployments("service", "checkout")
    assert recent[0].name == "v1.22.0" and recent[0].changes == 1
    failed = [r for r in recent if r.failed]
    assert [(r.name, r.incidents) for r in failed] == [("v1.21.0", ("P1",)), ("v1.15.0", ("P2",))]
    detail = dash.deployment("checkout", "v1.21.0")
    assert detail is not None
    assert {c.subject for c in detail.changes} == {EVIL_MARKUP, EVIL_ANSI}
    assert [i.id for i in detail.incidents] == ["P1"]
    may = [m.key for m in checkout.months].index("2024-05")
    rows = dash.month_rows("service", "checkout", "deployment_frequency", may, 12)
    assert [r.name for r in rows.rows] == ["v1.21.0"]
    rows = dash.month_rows("service", "checkout", "time_to_restore", may, 12)
    assert [r.id for r in rows.rows] == ["P1"] and rows.rows[0].duration_h == 4.5
    rows = dash.month_rows("team", "payments", "unplanned_work_rate", 7, 12)
    assert rows.kind == "tickets"
    incidents = dash.incidents("service", "checkout")
    assert [(i.id, i.deployment) for i in incidents] == [("P1", "v1.21.0"), ("P2", "v1.15.0")]
    dash.close()


def test_recent_deployments_read_only_the_latest_yet_match_the_whole_history(tmp_path: Path) -> None:
    path = build_workspace(tmp_path / "ws")
    config = load_file(path)
    store = Store.open(config.database)
    with store.atomic():  # opens within 72 h of checkout's latest deployment, but names an old one
        store.upsert_incidents(
            [
                Incident(
                    "pagerduty",
                    "P9",
                    epoch("2024-06-05T09:00:00"),
                    epoch("2024-06-05T10:00:00"),
                    "checkout",
                    "checkout",
                    "storefront",
                    "low",
                    "old bug",
                    "v1.3.0",
                )
            ]
        )
    store.close()
    dash = Dashboard(config, today=TODAY)
    dash.load(12)
    queries: list[tuple[object, ...]] = []
    original = Store.deployments

    def counted(self, services=None, *, since=None, until=None):
        queries.append((tuple(services or ()), since))
        return original(self, services, since=since, until=until)

    Store.deployments = counted
    try:
        for kind, name in (
            ("service", "checkout"),
            ("service", "ledger"),
            ("service", "billing"),
            ("team", "payments"),
            ("team", "storefront"),
        ):
            services = dash.services_of(kind, name)
            history = sorted(
                (o for s in services for o in dash.outcomes(s)),
                key=lambda o: (o.deployment.time, o.deployment.service, o.deployment.name),
            )
            for limit in (1, 3, 20, 100):
                rows = dash.recent_deployments(kind, name, limit)
                expected = [o.deployment.name for o in reversed(history[-limit:])]
                assert [r.name for r in rows] == expected, (kind, name, limit)
                for row in rows:
                    outcome = next(
                        o for o in history if (o.deployment.service, o.deployment.name) == (row.service, row.name)
                    )
                    assert (row.failed, row.rework, row.recovered_at, row.incidents) == (
                        outcome.failed,
                        outcome.rework,
                        outcome.recovered_at,
                        outcome.incidents,
                    )
                    assert row.changes == len(dash.store.changes([row.service], deployment=row.name))
        assert dash.recent_deployments("service", "checkout", 20) is dash.recent_deployments("service", "checkout", 20)
    finally:
        Store.deployments = original
    latest = dash.recent_deployments("service", "checkout", 3)
    assert not latest[0].failed and dash.deployment("checkout", "v1.3.0").deployment.incidents == ("P9",)
    # A month's deployments, read from the month on, match those of the whole history (cached in dash now)
    fresh = Dashboard(config, today=TODAY)
    for kind, name in (("service", "checkout"), ("service", "ledger"), ("team", "payments"), ("team", "storefront")):
        for month in range(12):
            fresh._rows = type(fresh._rows)()  # nothing cached: the rows come from the month on
            for key in ("deployment_frequency", "change_failure_rate"):
                assert fresh.month_rows(kind, name, key, month, 12) == dash.month_rows(kind, name, key, month, 12)
    fresh.close()
    # ledger deploys twice a month: its 3 latest come from a query starting in its latest month
    assert (("ledger",), dash.entity("service", "ledger", 12).months[-1].start) in queries
    dash.close()
