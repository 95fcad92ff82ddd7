"""``ServiceScreen``: one service's page."""

from __future__ import annotations

from textual.binding import Binding

from dora_tui.tui.screens.entity import EntityScreen
from dora_tui.tui.screens.incidents import IncidentsScreen


class ServiceScreen(EntityScreen):
    """A service: its metric cards and recent deployments; ``i`` lists its incidents."""

    KIND = "service"
    BINDINGS = [Binding("i", "incidents", "Incidents")]

    def action_incidents(self) -> None:
        """Open the service's incident list."""
        self.app.push_screen(IncidentsScreen("service", self.entity_name))
