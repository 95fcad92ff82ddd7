"""``MonthChart``: the months of a metric page as a bar chart, or a line where there is no
room to draw one."""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual_plotext import PlotextPlot

MIN_WIDTH = 24  # plotext fails on a canvas a few cells wide once the y axis takes its labels
MIN_HEIGHT = 6


class MonthChart(PlotextPlot):
    """plotext's chart of a metric's months (:meth:`dora_tui.tui.screens.metric.MetricScreen.show`
    draws it), or a dim line saying the terminal is too small for one: below
    :data:`MIN_WIDTH` columns or :data:`MIN_HEIGHT` rows plotext cannot lay a chart out (it
    fails with a ``ValueError``, which ended the app), and the months' table below says the
    same values."""

    def render(self) -> RenderResult:
        """The chart, or the line in its place."""
        if self.size.width < MIN_WIDTH or self.size.height < MIN_HEIGHT:
            return Text("(too small a terminal for the chart: the months are in the table)", style="dim")
        try:
            return super().render()
        except (ValueError, ZeroDivisionError, OverflowError):  # plotext on values it cannot scale (1e21)
            return Text("(the chart cannot be drawn for these values: the months are in the table)", style="dim")
