"""``IncidentsScreen``: a service's (or team's) incidents with their durations."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from dora_tui.tui.facade.views import IncidentRow, counted, format_hours, safe_text
from dora_tui.tui.messages import OpenDeployment
from dora_tui.tui.screens.base import DataScreen
from dora_tui.tui.widgets.dora_table import DoraTable
from dora_tui.tui.widgets.text import literal


class IncidentsScreen(DataScreen):
    """Every incident of a service up to today, newest first; Enter opens the deployment it failed."""

    def __init__(self, kind: str, name: str) -> None:
        super().__init__()
        self.kind = kind
        self.entity_name = name
        self.rows: list[IncidentRow] = []

    def compose_body(self) -> ComposeResult:
        """A title and the list."""
        yield Static("", id="incidents-heading", classes="section")
        columns = ["Opened", "Restore", "Incident", "Severity", "Failed deployment", "Title"]
        if self.kind == "team":
            columns.insert(3, "Service")
        yield DoraTable(*columns, id="incidents")

    def on_mount(self) -> None:
        """The list has the focus."""
        self.query_one("#incidents", DoraTable).focus()

    def show(self) -> None:
        """Read the incidents."""
        self.title = safe_text(f"Incidents of {self.kind} {self.entity_name}")
        self.rows = self.dashboard.incidents(self.kind, self.entity_name)
        t = self.dashboard.local_time
        rows = []
        for n, i in enumerate(self.rows):
            restore = (
                Text(format_hours(i.duration_h), justify="right")
                if i.resolved_at is not None
                else Text("open", style="bold red", justify="right")
            )
            cells = [
                Text(t(i.opened_at)),
                restore,
                literal(i.id),
                literal(i.severity),
                literal(i.deployment),
                literal(i.title[:100]),
            ]
            if self.kind == "team":
                cells.insert(3, literal(i.service or "(unmapped)"))
            rows.append((str(n), cells))
        self.query_one("#incidents", DoraTable).set_rows(rows)
        heading = Text.assemble(
            f"{counted(len(self.rows), 'incident')} of {self.kind} ", literal(self.entity_name, "bold")
        )
        if not self.rows:
            heading.append("  (import incident exports with `dora-tui import incidents FILE`)", style="dim")
        self.query_one("#incidents-heading", Static).update(heading)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Open the deployment the incident failed, if any."""
        row = self.rows[int(event.row_key.value or 0)]
        if row.deployment and row.service:
            self.post_message(OpenDeployment(row.service, row.deployment))
