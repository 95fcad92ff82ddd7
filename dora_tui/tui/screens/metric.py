"""``MetricScreen``: a metric's months as a bar chart, and the rows behind the selected month."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from dora_tui.tui.facade.views import (
    METRIC_BY_KEY,
    ChangeRow,
    DeploymentRow,
    IncidentRow,
    MonthRows,
    TicketRow,
    counted,
    format_hours,
    format_value,
    safe_text,
)
from dora_tui.tui.messages import OpenDeployment, OpenIncidents
from dora_tui.tui.screens.base import DataScreen
from dora_tui.tui.widgets.dora_table import DoraTable
from dora_tui.tui.widgets.text import flag, literal, trend_arrow, trend_style

# The columns of the rows behind a month; "Service" only on a team's page. Times show the day
# and hour only: the month is in the title.
ROW_COLUMNS = {
    "deployments": ("Day", "Service", "Deployment", "Changes", "Failed", "Rework", "Incidents"),
    "changes": ("Deployment", "Service", "Commit", "Author", "Lead time", "Subject"),
    "incidents": ("Resolved", "Service", "Incident", "Restore", "Failed deployment", "Title"),
    "tickets": ("Resolved", "Ticket", "Type", "Unplanned", "Labels", "Title"),
}


class MetricScreen(DataScreen):
    """One metric of one service or team, month by month.

    The chart shows every month of the window; the months table selects a month (up/down,
    or left/right anywhere on the page) and the table beside it lists the rows behind that
    month's figure: deployments, changes, incidents or tickets. Enter on a deployment opens it.
    """

    BINDINGS = [
        Binding("left", "month(-1)", "Prev month", priority=True),
        Binding("right", "month(1)", "Next month", priority=True),
        Binding("i", "incidents", "Incidents"),
    ]

    def __init__(self, kind: str, name: str, metric_key: str) -> None:
        super().__init__()
        self.kind = kind
        self.entity_name = name
        self.metric = METRIC_BY_KEY[metric_key]
        self.selected: int | None = None
        self.rows: MonthRows | None = None
        self._months_shown: tuple[str, ...] = ()

    def compose_body(self) -> ComposeResult:
        """Title, chart, months and rows."""
        from dora_tui.tui.widgets.month_chart import MonthChart  # plotext is loaded when a chart is first shown

        yield Static("", id="metric-title")
        yield MonthChart(id="chart")
        with Horizontal(id="metric-lower"):
            yield DoraTable("Month", self.metric.short, id="months")
            with Vertical(id="rows-pane"):
                yield Static("", id="rows-title", classes="section")
                yield DoraTable(id="rows")

    def on_mount(self) -> None:
        """The months table has the focus."""
        self.query_one("#months", DoraTable).focus()

    def subject(self) -> object:
        """The metric and entity shown."""
        return (self.kind, self.entity_name, self.metric.key)

    def reuse(self, kind: str, name: str, metric_key: str) -> None:
        """Show another metric or entity in this (already built) page, from its latest month."""
        if (kind, name, metric_key) == self.subject():
            return
        self.kind, self.entity_name, self.metric = kind, name, METRIC_BY_KEY[metric_key]
        self.selected, self.rows, self._months_shown = None, None, ()
        months = self.query_one("#months", DoraTable)
        months.set_columns("Month", self.metric.short)
        months.focus()

    def show(self) -> None:
        """Redraw the chart and the months; keep the selected month when it is still shown."""
        self.title = safe_text(f"{self.metric.title}: {self.kind} {self.entity_name}")
        view = self.dashboard.entity(self.kind, self.entity_name, self.months) if self.loaded else None
        heading = Text.assemble(
            (self.metric.title, "bold"), " of ", (self.kind + " ", "dim"), literal(self.entity_name, "bold")
        )
        if view is None:
            heading.append("   ")
            heading.append_text(self.waiting())
            self.query_one("#metric-title", Static).update(heading)
            return
        figures = view.metric(self.metric.key)
        heading.append("   ")
        heading.append_text(trend_arrow(figures.trend))
        heading.append(" " + figures.words, style=trend_style(figures.trend))
        heading.append(f"   window {figures.window} ({figures.window_detail})", style="dim")
        heading.append("\n" + self.metric.definition, style="dim italic")
        self.query_one("#metric-title", Static).update(heading)

        keys = tuple(m.key for m in view.months)
        previous = self._months_shown[self.selected] if self.selected is not None and self._months_shown else None
        self._months_shown = keys
        table = self.query_one("#months", DoraTable)
        table.set_rows(
            (
                info.key,
                [
                    Text(info.key, style="") if info.complete else Text(info.key + " …", style="dim"),
                    Text(format_value(self.metric.unit, value), justify="right"),
                ],
            )
            for info, value in zip(view.months, figures.series)
        )
        target = keys.index(previous) if previous in keys else len(keys) - 1
        table.move_cursor(row=target, animate=False)
        self._select(target)
        self._draw(keys, figures.series, target)

    def _draw(self, keys: tuple[str, ...], series: tuple[float | int | None, ...], selected: int) -> None:
        """The chart: a bar a month with data, an × on the axis for a month without (a gap,
        never a zero), the selected month in orange."""
        from dora_tui.tui.widgets.month_chart import MonthChart

        plot = self.query_one("#chart", MonthChart)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        scale = 100 if self.metric.unit == "rate" else 1
        labels = [k[2:] for k in keys]
        unit = {"rate": " (%)", "hours": " (hours)", "count": ""}[self.metric.unit]
        shown = [(i + 1, v * scale) for i, v in enumerate(series) if v is not None]
        gaps = [i + 1 for i, v in enumerate(series) if v is None]
        if not shown:
            plt.title(f"{self.metric.title}: no data in these months")
        else:
            plt.bar([x for x, _ in shown], [y for _, y in shown], color="cyan", width=0.6)
            picked = series[selected] if 0 <= selected < len(series) else None
            if picked is not None:
                plt.bar([selected + 1], [picked * scale], color="orange", width=0.6)
            plt.title(f"{self.metric.title}{unit} by month (the selected month in orange; × is no data)")
        if gaps:
            plt.scatter(gaps, [0] * len(gaps), marker="×", color="red")
        plt.ylim(0, max((y for _, y in shown), default=0) or 1)
        step = max(1, len(labels) // 12)
        ticks: list[float] = []  # month numbers, 1 for the first (plotext takes floats)
        ticks.extend(range(1, len(labels) + 1))
        plt.xticks(ticks[::step], labels[::step])
        plot.refresh()

    def action_incidents(self) -> None:
        """Open the incidents of the service or team shown (as its own page's ``i`` does)."""
        self.post_message(OpenIncidents(self.kind, self.entity_name))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """A new month in the months table: show its rows."""
        row = event.data_table.cursor_row
        if event.data_table.id == "months" and row != self.selected and self.loaded:
            self._select(row)
            view = self.dashboard.entity(self.kind, self.entity_name, self.months)
            if view is not None:
                self._draw(self._months_shown, view.metric(self.metric.key).series, row)

    def action_month(self, delta: int) -> None:
        """Select the previous or next month."""
        table = self.query_one("#months", DoraTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + delta)))

    def _select(self, index: int) -> None:
        self.selected = index
        self.rows = self.dashboard.month_rows(self.kind, self.entity_name, self.metric.key, index, self.months)
        table = self.query_one("#rows", DoraTable)
        table.set_columns(*[c for c in ROW_COLUMNS[self.rows.kind] if c != "Service" or self.kind == "team"])
        table.set_rows((str(n), self._cells(row)) for n, row in enumerate(self.rows.rows))
        noun, what = {
            "deployments": ("deployment", ""),
            "changes": ("change", " deployed"),
            "incidents": ("incident", " resolved"),
            "tickets": ("ticket", " resolved"),
        }[self.rows.kind]
        title = Text.assemble((f"{counted(len(self.rows.rows), noun)}{what} in {self.rows.month.key}", "bold"))
        if not self.rows.month.complete:
            title.append(" (month in progress)", style="dim")
        self.query_one("#rows-title", Static).update(title)

    def _cells(self, row: object) -> list[Text]:
        cells = self._all_cells(row)
        if self.kind != "team" and "Service" in ROW_COLUMNS[self.rows.kind if self.rows else "tickets"]:
            del cells[1]
        return cells

    def _all_cells(self, row: object) -> list[Text]:
        def day(t: int | None) -> Text:
            return Text(self.dashboard.local_time(t)[8:])

        if isinstance(row, DeploymentRow):
            return [
                day(row.time),
                literal(row.service),
                literal(row.name, "bold"),
                Text("baseline", style="dim") if row.baseline else Text(str(row.changes), justify="right"),
                flag(row.failed, "failed", "bold red"),
                flag(row.rework, "rollback" if row.rollback_of else "rework", "yellow"),
                literal(", ".join(row.incidents)),
            ]
        if isinstance(row, ChangeRow):
            return [
                literal(row.deployment),
                literal(row.service),
                literal(row.sha[:8], "cyan"),
                literal(row.author[:20]),
                Text(format_hours(row.lead_time_h), justify="right"),
                literal(row.subject[:80]),
            ]
        if isinstance(row, IncidentRow):
            return [
                day(row.resolved_at),
                literal(row.service or "(unmapped)"),
                literal(row.id),
                Text(format_hours(row.duration_h), justify="right"),
                literal(row.deployment),
                literal(row.title[:80]),
            ]
        assert isinstance(row, TicketRow)
        return [
            day(row.resolved_at),
            literal(row.key),
            literal(row.type),
            flag(row.unplanned, "unplanned", "yellow"),
            literal(", ".join(row.labels)),
            literal(row.title[:80]),
        ]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a month moves to its rows; Enter on a deployment (or a change) opens that deployment."""
        if event.data_table.id == "months":
            self.query_one("#rows", DoraTable).focus()
            return
        if self.rows is None:
            return
        row = self.rows.rows[int(event.row_key.value or 0)]
        if isinstance(row, DeploymentRow):
            self.post_message(OpenDeployment(row.service, row.name))
        elif isinstance(row, ChangeRow | IncidentRow) and row.deployment and row.service:
            self.post_message(OpenDeployment(row.service, row.deployment))
