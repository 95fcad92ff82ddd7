"""``DeploymentScreen``: one deployment, the changes it carried and the incidents it caused."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from dora_tui.tui.facade.views import DeploymentDetail, counted, format_hours, safe_text
from dora_tui.tui.screens.base import DataScreen
from dora_tui.tui.widgets.dora_table import DoraTable
from dora_tui.tui.widgets.text import literal


class DeploymentScreen(DataScreen):
    """A deployment of a service: when, which commit, failed or rework, its changes with lead times."""

    def __init__(self, service: str, name: str) -> None:
        super().__init__()
        self.service = service
        self.deployment_name = name
        self.detail: DeploymentDetail | None = None

    def compose_body(self) -> ComposeResult:
        """The facts, the changes and the incidents."""
        yield Static("", id="deployment-facts")
        yield Static("", id="changes-title", classes="section")
        yield DoraTable("Commit", "Author", "Committed", "Lead time", "Subject", id="changes")
        yield Static("", id="incidents-title", classes="section")
        yield DoraTable(
            "Incident", "Opened", "Resolved", "Time to restore", "Severity", "Title", id="deployment-incidents"
        )

    def on_mount(self) -> None:
        """The changes have the focus."""
        self.query_one("#changes", DoraTable).focus()

    def show(self) -> None:
        """Read the deployment (a few small queries)."""
        self.title = safe_text(f"Deployment {self.deployment_name} of {self.service}")
        self.detail = self.dashboard.deployment(self.service, self.deployment_name)
        facts = self.query_one("#deployment-facts", Static)
        if self.detail is None:
            facts.update(
                Text.assemble(
                    "No deployment ",
                    literal(self.deployment_name, "bold"),
                    " of ",
                    literal(self.service, "bold"),
                    " up to today.",
                )
            )
            for table, title in (("#changes", "#changes-title"), ("#deployment-incidents", "#incidents-title")):
                self.query_one(table, DoraTable).set_rows(())  # a re-collect took it away: nothing of it stays
                self.query_one(title, Static).update("")
            return
        d = self.detail.deployment
        t = self.dashboard.local_time
        text = Text.assemble(
            ("Deployment ", "dim"),
            literal(d.name, "bold"),
            (" of ", "dim"),
            literal(d.service, "bold"),
            ("   ", ""),
            t(d.time),
            ("   commit ", "dim"),
            literal(d.sha[:12], "cyan"),
            end="",
        )
        if d.message:
            text.append("\n")
            text.append_text(literal(d.message))
        text.append("\n")
        if d.baseline:
            text.append(
                "Baseline: the first deployment mined; the commits it carries are history, not changes.", style="dim"
            )
        elif d.failed:
            text.append("Failed", style="bold red")
            if d.incidents:
                text.append(" (incidents ")
                text.append_text(literal(", ".join(d.incidents)))
                text.append(")")
            if d.undone_by:
                text.append(" (rolled back by ")
                text.append_text(literal(d.undone_by))
                text.append(")")
            if d.recovered_at is not None:
                text.append(f", recovered after {format_hours((d.recovered_at - d.time) / 3600)}")
            else:
                text.append(", not recovered yet")
        else:
            text.append("No incident attributed", style="green")
        if d.rollback_of:
            text.append("   rollback", style="yellow")
            text.append(" of ", style="dim")
            text.append_text(literal(d.rollback_of))
            text.append(" (back to a commit it ran before; it carries no changes)", style="dim")
        elif d.rework:
            text.append("   rework", style="yellow")
            text.append(" (made while an incident was open, or named as a fix)", style="dim")
        facts.update(text)

        self.query_one("#changes", DoraTable).set_rows(
            (
                str(n),
                [
                    literal(c.sha[:10], "cyan"),
                    literal(c.author),
                    Text(t(c.commit_time)),
                    Text(format_hours(c.lead_time_h) + (" (clock skew)" if c.negative else ""), justify="right"),
                    literal(c.subject),
                ],
            )
            for n, c in enumerate(self.detail.changes)
        )
        self.query_one("#changes-title", Static).update(Text(counted(len(self.detail.changes), "change"), style="bold"))
        self.query_one("#deployment-incidents", DoraTable).set_rows(
            (
                str(n),
                [
                    literal(i.id),
                    Text(t(i.opened_at)),
                    Text(t(i.resolved_at) or "open"),
                    Text(format_hours(i.duration_h), justify="right"),
                    literal(i.severity),
                    literal(i.title),
                ],
            )
            for n, i in enumerate(self.detail.incidents)
        )
        self.query_one("#incidents-title", Static).update(
            Text(f"{counted(len(self.detail.incidents), 'incident')} attributed to this deployment", style="bold")
        )
