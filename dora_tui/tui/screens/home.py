"""``HomeScreen``: the directory of teams and services with their trends."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from dora_tui.errors import StoreError
from dora_tui.tui.facade.views import METRICS, DirectoryEntry, TeamGroup, safe_text
from dora_tui.tui.messages import OpenEntity
from dora_tui.tui.screens.base import DataScreen
from dora_tui.tui.widgets.dora_table import DoraTable
from dora_tui.tui.widgets.text import attention_mark, legend, literal, trend_arrow


class HomeScreen(DataScreen):
    """Teams with their services; beside each name one trend arrow per metric.

    Never values side by side: the directory shows where things are heading, not a league
    table. ``/`` narrows the list by name; Enter opens a team or service page.
    """

    BINDINGS = [Binding("slash", "filter", "Filter")]

    def __init__(self) -> None:
        super().__init__()
        self._groups: tuple[TeamGroup, ...] = ()
        self._cells: dict[str, list[Text]] = {}  # each row's cells, built once per directory

    def compose_body(self) -> ComposeResult:
        """The legend, the filter and the directory."""
        yield Static(legend(), id="legend")
        yield Static("", id="collected-at")
        yield Input(placeholder="Filter by team or service name", id="filter")
        yield DoraTable(("Team / service", 32), *[(m.short, max(len(m.short), 3)) for m in METRICS], "", id="directory")
        yield Static("", id="home-status")

    def on_mount(self) -> None:
        """No blinking cursor under test; the list has the focus."""
        self.query_one("#filter", Input).cursor_blink = not self.app.is_headless
        self.query_one("#directory", DoraTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape only closes the filter here (there is no page to go back to)."""
        if action == "back":
            return self.query_one("#filter", Input).display
        return True

    def show(self) -> None:
        """Fill the directory from the computed figures (or say they are coming), and the data's age."""
        self.query_one("#collected-at", Static).update(self.collected_at())
        status = self.query_one("#home-status", Static)
        status.display = True
        if not self.dashboard.has_services:
            status.update(Text("No service is configured: add [[services]] to the config, or run `dora-tui init`."))
            return
        if not self.loaded:
            error = self.dora.load_error
            status.update(
                Text(f"Could not compute the figures: {error}", style="red") if error else Text("Computing the trends…")
            )
            if not self._groups:
                self._groups, self._cells = self.dashboard.skeleton(), {}
                self._fill()
            return
        status.display = False
        self._groups, self._cells = self.dashboard.directory(self.months), {}
        self._fill()

    def collected_at(self) -> Text:
        """``data collected at <local time>`` once the figures are computed (the database is
        readable); a time that cannot be read (a value another program wrote) is said here, in
        one line, and the figures, which do not depend on it, are shown all the same."""
        try:
            when = self.dashboard.collected_at() if self.loaded else None
        except StoreError as error:  # its message, without the path, wrapped: what is damaged shows at 80 columns
            return Text(f"the time of the last collect cannot be read: {safe_text(error.message)}", style="red", end="")
        return Text(
            f"data collected at {self.dashboard.local_time(when)}" if when is not None else "", style="dim", end=""
        )

    def _fill(self) -> None:
        table = self.query_one("#directory", DoraTable)
        previous = None
        if table.row_count:
            previous = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        needle = self.query_one("#filter", Input).value.strip().lower()
        rows: list[tuple[str, list[Text]]] = []
        for group in self._groups:
            team_hit = group.team is not None and needle in group.team.name.lower()
            services = [s for s in group.services if team_hit or needle in s.name.lower()]
            if not services and not team_hit:
                continue
            if group.team is not None:
                rows.append(self._row(group.team, partial(team_label, group.team)))
            elif any(g.team is not None for g in self._groups):
                rows.append(("none:", [Text("(no team)", style="dim italic")]))
            indent = "  " if len(self._groups) > 1 or group.team is not None else ""
            rows += [self._row(s, partial(service_label, s, indent)) for s in services]
        table.set_rows(rows)
        if previous is not None and previous in table.rows:  # unless it was filtered out
            table.move_cursor(row=table.get_row_index(previous), animate=False)

    def _row(self, entry: DirectoryEntry, label: Callable[[], Text]) -> tuple[str, list[Text]]:
        key = f"{entry.kind}:{entry.name}"
        cells = self._cells.get(key)
        if cells is None:
            arrows = [trend_arrow(entry.trends[m.key]) if m.key in entry.trends else Text("") for m in METRICS]
            cells = self._cells[key] = [label(), *arrows, attention_mark(entry.needs_attention)]
        return key, cells

    def action_filter(self) -> None:
        """Show the filter and type into it."""
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def action_back(self) -> None:
        """Close the filter and show every name again."""
        box = self.query_one("#filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.query_one("#directory", DoraTable).focus()
            self._fill()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Narrow the directory as the filter changes."""
        event.stop()
        self._fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter moves to the list."""
        event.stop()
        self.query_one("#directory", DoraTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Open the selected team or service."""
        kind, _, name = (event.row_key.value or "").partition(":")
        if kind in ("team", "service"):
            self.post_message(OpenEntity(kind, name))


def team_label(team: DirectoryEntry) -> Text:
    """A team's name as the directory shows it (bold)."""
    return literal(team.name, style="bold")


def service_label(service: DirectoryEntry, indent: str) -> Text:
    """A service's name as the directory shows it, indented under its team."""
    return Text.assemble(indent, literal(service.name))
