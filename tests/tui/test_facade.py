"""The dashboard's data facade (no Textual): text helpers, formats, figures and drill-down rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from collectors.records import Incident
from dora_tui.cli import main
from dora_tui.config import load_file
from dora_tui.store.database import Store
from dora_tui.tui.facade.dashboard import Dashboard
from dora_tui.tui.facade.drilldown import DrillDown
from dora_tui.tui.facade.views import format_hours, format_value, safe_text
from support.app import EVIL_ANSI, EVIL_MARKUP, TODAY, build_workspace
from support.gitbuilder import GitBuilder, epoch


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
    statements: list[str] = []  # every SQL statement the dashboard's connection runs, values filled in
    dash.store.conn.set_trace_callback(statements.append)
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
    latest = dash.recent_deployments("service", "checkout", 3)
    assert not latest[0].failed and dash.deployment("checkout", "v1.3.0").deployment.incidents == ("P9",)
    # A month's deployments, read from the month on, match those of the whole history (cached in dash now)
    fresh = Store.open(config.database)
    for kind, name in (("service", "checkout"), ("service", "ledger"), ("team", "payments"), ("team", "storefront")):
        view = dash.entity(kind, name, 12)
        assert view is not None
        for month, info in enumerate(view.months):
            rows = DrillDown(config, lambda: fresh, TODAY)  # nothing kept: the rows come from the month on
            for key in ("deployment_frequency", "change_failure_rate"):
                assert rows.month_rows(kind, name, key, info) == dash.month_rows(kind, name, key, month, 12)
    fresh.close()
    # ledger deploys twice a month: its 3 latest come from a query starting in its latest month
    start = dash.entity("service", "ledger", 12).months[-1].start
    assert any(f"FROM deployments WHERE service IN ('ledger') AND time >= {start} " in s for s in statements)
    dash.close()


def test_trend_words_read_no_month_before_the_first_deployment(tmp_path: Path) -> None:
    # One deployment in June, two in July ... five in October: improving for 4 months, as
    # the trend reads them; the empty months before June are no history, not a climb from 0.
    repo = GitBuilder(tmp_path / "late")
    repo.commit("2026-05-20T10:00:00", "initial")
    for month, count in zip(range(6, 11), range(1, 6)):
        for day in range(count):
            repo.commit(f"2026-{month:02d}-{day + 2:02d}T09:00:00", f"change {month}-{day}")
            repo.tag(f"v{month}.{day}.0", f"2026-{month:02d}-{day + 2:02d}T10:00:00")
    config = tmp_path / "dora.toml"
    config.write_text('database = "dora.db"\n\n[[services]]\nname = "late"\nrepo = "late"\n', encoding="utf-8")
    assert main(["collect", "--config", str(config)]) == 0
    dash = Dashboard(load_file(config), today=date(2026, 11, 22))
    dash.load(12)
    late = dash.entity("service", "late", 12)
    assert late is not None
    frequency = late.metric("deployment_frequency")
    assert (frequency.trend, frequency.words) == ("improving", "improving for 4 months")
    dash.close()
