"""``MetricCard``: one metric of a service or team, with its sparkline and trend."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from dora_tui.tui.facade.views import Metric, MetricFigures
from dora_tui.tui.widgets.text import sparkline, tier_text, trend_arrow, trend_style


class MetricCard(Widget, can_focus=True):
    """A focusable card: this month's value, the window value and tier, the months, the trend.

    Enter (or a click) posts :class:`MetricCard.Selected` to open the metric's chart.
    Arrows and h/j/k/l move between cards (a grid of ``COLUMNS`` columns).
    """

    COLUMNS = 3
    BINDINGS = [
        Binding("enter", "select", "Open", show=True),
        Binding("right,l", "move(1)", "Next", show=False),
        Binding("left,h", "move(-1)", "Previous", show=False),
        Binding("down,j", "move_down", "Down", show=False),
        Binding("up,k", "move_up", "Up", show=False),
    ]

    class Selected(Message):
        """The user opened the card's metric."""

        def __init__(self, card: MetricCard) -> None:
            super().__init__()
            self.card = card

        @property
        def metric_key(self) -> str:
            """The key of the opened metric (``lead_time``...)."""
            return self.card.metric.key

    def __init__(self, metric: Metric, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="metric-card")
        self.metric = metric
        self.figures: MetricFigures | None = None
        self.failed = False
        self.border_title = metric.title

    def show(self, figures: MetricFigures | None, *, failed: bool = False) -> None:
        """Show ``figures`` (None while they are being computed, or when they could not be:
        ``failed``; the page's heading says why)."""
        self.figures, self.failed = figures, failed
        self.refresh()

    def render(self) -> Text:
        """The card's four lines."""
        f = self.figures
        if f is None:
            return Text("no figures" if self.failed else "computing…", style="dim")
        lines = Text(no_wrap=True, overflow="ellipsis", end="")
        lines.append("so far " if f.in_progress else "this month ", style="dim")
        lines.append(f.current, style="bold")
        lines.append("  window ", style="dim")
        lines.append(f.window, style="bold")
        lines.append("\n")
        lines.append(f.window_detail, style="dim")
        if f.tier:
            lines.append("  ")
            lines.append_text(tier_text(f.tier))
        lines.append("\n")
        lines.append_text(sparkline(list(f.series), in_progress=f.in_progress))
        lines.append("\n")
        lines.append_text(trend_arrow(f.trend))
        lines.append(" " + f.words, style=trend_style(f.trend))
        return lines

    def on_click(self) -> None:
        """A click opens the metric, like Enter."""
        self.focus()
        self.post_message(self.Selected(self))

    def action_select(self) -> None:
        """Open the metric."""
        self.post_message(self.Selected(self))

    def _siblings(self) -> list[MetricCard]:
        return list(self.parent.query_children(MetricCard)) if self.parent else [self]

    def action_move(self, delta: int) -> None:
        """Focus the card ``delta`` places away; past the last card, focus what follows."""
        cards = self._siblings()
        index = cards.index(self) + delta
        if index >= len(cards):
            self._focus_after(cards[-1])
        elif index >= 0:
            cards[index].focus()

    def action_move_down(self) -> None:
        """Focus the card below, or what follows the cards."""
        cards = self._siblings()
        index = cards.index(self) + self.COLUMNS
        if index < len(cards):
            cards[index].focus()
        else:
            self._focus_after(cards[-1])

    def _focus_after(self, last: MetricCard) -> None:
        chain = self.screen.focus_chain
        if last in chain and chain.index(last) + 1 < len(chain):
            chain[chain.index(last) + 1].focus()

    def action_move_up(self) -> None:
        """Focus the card above."""
        cards = self._siblings()
        index = cards.index(self) - self.COLUMNS
        if index >= 0:
            cards[index].focus()
