"""``DeploymentScreen``: one deployment, the changes it carried and the incidents it caused."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ..dashboard import DeploymentDetail, format_hours, safe_text
from ..widgets.dora_table import DoraTable
from ..widgets.text import literal
from .base import DataScreen


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
        changes = DoraTable(id="changes")
        for column in ("Commit", "Author", "Committed", "Lead time", "Subject"):
            changes.add_column(column)
        yield changes
        yield Static("", id="incidents-title", classes="section")
        incidents = DoraTable(id="deployment-incidents")
        for column in ("Incident", "Opened", "Resolved", "Time to restore", "Severity", "Title"):
            incidents.add_column(column)
        yield incidents

    def on_mount(self) -> None:
        """The changes have the focus."""
        self.query_one("#changes", DoraTable).focus()

    def show(self) -> None:
        """Read the deployment (a few small queries)."""
        self.title = safe_text(f"Deployment {self.deployment_name} of {self.service}")
        self.detail = self.dashboard.deployment(self.service, self.deployment_name)
        facts = self.query_one("#deployment-facts", Static)
        if self.detail is None:
            facts.update(Text.assemble("No deployment ", literal(self.deployment_name, "bold"),
                                       " of ", literal(self.service, "bold"), " up to today."))
            return
        d = self.detail.deployment
        t = self.dashboard.local_time
        text = Text.assemble(("Deployment ", "dim"), literal(d.name, "bold"), (" of ", "dim"),
                             literal(d.service, "bold"), ("   ", ""), t(d.time),
                             ("   commit ", "dim"), literal(d.sha[:12], "cyan"), end="")
        if d.message:
            text.append("\n")
            text.append_text(literal(d.message))
        text.append("\n")
        if d.baseline:
            text.append("Baseline: the first deployment mined; the commits it carries are history, "
                        "not changes.", style="dim")
        elif d.failed:
            text.append("Failed", style="bold red")
            text.append(" (incidents " + ", ".join(d.incidents) + ")" if d.incidents else "")
            if d.recovered_at is not None:
                text.append(f", recovered after {format_hours((d.recovered_at - d.time) / 3600)}")
            else:
                text.append(", not recovered yet")
        else:
            text.append("No incident attributed", style="green")
        if d.rework:
            text.append("   rework", style="yellow")
            text.append(" (made while an incident was open, or named as a fix)", style="dim")
        facts.update(text)

        changes = self.query_one("#changes", DoraTable)
        changes.clear()
        for n, c in enumerate(self.detail.changes):
            lead = format_hours(c.lead_time_h) + (" (clock skew)" if c.negative else "")
            changes.add_row(literal(c.sha[:10], "cyan"), literal(c.author), Text(t(c.commit_time)),
                            Text(lead, justify="right"), literal(c.subject), key=str(n))
        self.query_one("#changes-title", Static).update(
            Text(f"{len(self.detail.changes)} changes", style="bold"))
        incidents = self.query_one("#deployment-incidents", DoraTable)
        incidents.clear()
        for n, i in enumerate(self.detail.incidents):
            incidents.add_row(literal(i.id), Text(t(i.opened_at)), Text(t(i.resolved_at) or "open"),
                              Text(format_hours(i.duration_h), justify="right"), literal(i.severity),
                              literal(i.title), key=str(n))
        self.query_one("#incidents-title", Static).update(
            Text(f"{len(self.detail.incidents)} incidents attributed to this deployment", style="bold"))
