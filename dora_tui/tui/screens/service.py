"""``ServiceScreen``: one service's page."""

from __future__ import annotations

from textual.binding import Binding

from dora_tui.tui.messages import OpenIncidents
from dora_tui.tui.screens.entity import EntityScreen


class ServiceScreen(EntityScreen):
    """A service: its metric cards and recent deployments; ``i`` lists its incidents."""

    KIND = "service"
    BINDINGS = [Binding("i", "incidents", "Incidents")]

    def action_incidents(self) -> None:
        """Open the service's incident list."""
        self.post_message(OpenIncidents("service", self.entity_name))
