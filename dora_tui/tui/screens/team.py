"""``TeamScreen``: one team's page."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from dora_tui.tui.facade.views import METRICS
from dora_tui.tui.messages import OpenEntity, OpenIncidents
from dora_tui.tui.screens.entity import EntityScreen
from dora_tui.tui.widgets.dora_table import DoraTable
from dora_tui.tui.widgets.text import attention_mark, literal, trend_arrow


class TeamScreen(EntityScreen):
    """A team: its metric cards (over the union of its services' rows), its services, its deployments."""

    KIND = "team"
    BINDINGS = [Binding("i", "incidents", "Incidents")]

    def compose_extra(self) -> ComposeResult:
        """The list of the team's services."""
        yield Static("Services (Enter opens one)", classes="section")
        yield DoraTable(("Service", 30), *[(m.short, max(len(m.short), 3)) for m in METRICS], "", id="services")

    def fill_extra(self) -> None:
        """List the team's services with their trend arrows (never their values)."""
        table = self.query_one("#services", DoraTable)
        group = None
        if self.loaded:
            group = next(
                (
                    g
                    for g in self.dashboard.directory(self.months)
                    if g.team is not None and g.team.name == self.entity_name
                ),
                None,
            )
        if group is None:
            table.set_rows((name, [literal(name)]) for name in self.dashboard.services_of("team", self.entity_name))
            return
        rows = [
            (
                s.name,
                [
                    literal(s.name),
                    *[trend_arrow(s.trends.get(m.key, "")) for m in METRICS],
                    attention_mark(s.needs_attention),
                ],
            )
            for s in group.services
        ]
        table.set_rows(rows or [("", [Text("no service", style="dim")])])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Open a service, or a deployment."""
        if event.data_table.id == "services":
            if event.row_key.value:
                self.post_message(OpenEntity("service", event.row_key.value))
            return
        super().on_data_table_row_selected(event)

    def action_incidents(self) -> None:
        """Open the incidents of the team's services."""
        self.post_message(OpenIncidents("team", self.entity_name))
