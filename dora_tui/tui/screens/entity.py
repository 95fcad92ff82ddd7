"""``EntityScreen``: what a service page and a team page share: the metric cards and deployments."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import DataTable, Static

from dora_tui.tui.facade.views import METRICS, DeploymentRow, EntityView, counted, safe_text
from dora_tui.tui.messages import OpenDeployment, OpenMetric
from dora_tui.tui.screens.base import DataScreen
from dora_tui.tui.widgets.dora_table import DoraTable
from dora_tui.tui.widgets.metric_card import MetricCard
from dora_tui.tui.widgets.text import attention_mark, flag, literal


class EntityScreen(DataScreen):
    """One service or team: a card per metric, then its recent deployments.

    Enter on a card opens the metric's chart; Enter on a deployment opens its changes.
    """

    KIND = "service"

    def __init__(self, name: str) -> None:
        super().__init__()
        self.entity_name = name
        self.view: EntityView | None = None
        self._rows_of: str | None = None  # whose deployments the table lists

    def compose_body(self) -> ComposeResult:
        """Title, cards, the kind's extra section, recent deployments."""
        yield Static("", id="entity-title")
        with Grid(id="cards"):
            for metric in METRICS:
                yield MetricCard(metric, id=f"card-{metric.key}")
        yield from self.compose_extra()
        yield Static("Recent deployments", classes="section", id="deployments-title")
        service = (("Service", None, 30),) if self.KIND == "team" else ()  # a long name cut with …
        columns = ("Time", *service, "Deployment", "Changes", "Failed", "Rework", "Message")
        yield DoraTable(*columns, id="deployments")

    def compose_extra(self) -> ComposeResult:
        """Widgets between the cards and the deployments (subclasses)."""
        yield from ()

    def on_mount(self) -> None:
        """The first card has the focus."""
        self.query_one(MetricCard).focus()

    def subject(self) -> object:
        """The entity shown."""
        return self.entity_name

    def reuse(self, name: str) -> None:
        """Show another entity of the same kind in this (already built) page."""
        if name != self.entity_name:
            self.entity_name = name
            self.query_one(MetricCard).focus()

    def show(self) -> None:
        """Fill the title, the cards and the deployments."""
        self.view = self.dashboard.entity(self.KIND, self.entity_name, self.months) if self.loaded else None
        self.title = safe_text(f"{self.KIND.capitalize()} {self.entity_name}")
        self.query_one("#entity-title", Static).update(self.heading())
        for card in self.query(MetricCard):
            card.show(self.view.metric(card.metric.key) if self.view else None, failed=bool(self.dora.load_error))
        self.fill_extra()
        table = self.query_one("#deployments", DoraTable)
        cursor = table.cursor_row if self._rows_of == self.entity_name else 0
        self._rows_of = self.entity_name
        if self.view is None:
            self.query_one("#deployments-title", Static).update("Recent deployments")
            table.set_rows(())
            return
        rows = self.dashboard.recent_deployments(self.KIND, self.entity_name)
        title = Text(f"Recent deployments ({len(rows)} latest)" if rows else "No deployment yet")
        if self.KIND == "service":  # one source counts: say which
            title.append(", from ", style="dim")
            title.append_text(literal(self.dashboard.deployments_from(self.entity_name), "dim"))
        self.query_one("#deployments-title", Static).update(title)
        table.set_rows((f"{row.service}\x1f{row.name}", self.deployment_cells(row)) for row in rows)
        if 0 < cursor < len(rows):  # a redraw of the same entity keeps the place in its deployments
            table.move_cursor(row=cursor, animate=False)

    def heading(self) -> Text:
        """The line above the cards."""
        text = Text.assemble((self.KIND.capitalize() + " ", "dim"), literal(self.entity_name, "bold"))
        if self.view is None:
            text.append("   ")
            text.append_text(self.waiting())
            return text
        if self.KIND == "service" and self.view.team:
            text.append("   team ", style="dim")
            text.append_text(literal(self.view.team))
        text.append(f"   {counted(len(self.view.months), 'month')} to {self.view.as_of.isoformat()}", style="dim")
        if self.view.needs_attention:
            text.append("   ")
            text.append_text(attention_mark(True))
        return text

    def fill_extra(self) -> None:
        """Fill the kind's extra section (subclasses)."""

    def deployment_cells(self, row: DeploymentRow) -> list[Text]:
        """The cells of a deployment row."""
        cells = [Text(self.dashboard.local_time(row.time))]
        if self.KIND == "team":
            cells.append(literal(row.service))
        cells.append(literal(row.name, "bold"))
        cells.append(Text("baseline", style="dim") if row.baseline else Text(str(row.changes), justify="right"))
        cells.append(flag(row.failed, "failed", "bold red"))
        cells.append(flag(row.rework, "rollback" if row.rollback_of else "rework", "yellow"))
        cells.append(literal(row.message[:60]))
        return cells

    def on_metric_card_selected(self, event: MetricCard.Selected) -> None:
        """Open the chart of the selected metric."""
        self.post_message(OpenMetric(self.KIND, self.entity_name, event.metric_key))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Open the selected deployment."""
        if event.data_table.id == "deployments":
            service, _, name = (event.row_key.value or "").partition("\x1f")
            self.post_message(OpenDeployment(service, name))
