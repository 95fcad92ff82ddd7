"""``HelpScreen``: what each metric means and which key does what."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from dora_tui.tui.facade.views import METRICS
from dora_tui.tui.widgets.text import legend

KEYS = (
    ("↑ ↓ j k", "move in a list; between cards also ← → h l"),
    ("Enter", "open what is selected: a team, a service, a metric, a deployment"),
    ("← →", "on a metric's page: the previous or next month"),
    ("Escape", "go back"),
    ("/", "filter the home page by name"),
    ("i", "the incidents of the service or team shown"),
    ("m", "the window: 6, 12 or 24 months"),
    ("r", "re-collect the git history and re-read the [[imports]] in the background"),
    ("ctrl+p", "jump to any service or team by name"),
    ("?", "this help"),
    ("q", "quit"),
)


class HelpScreen(ModalScreen[None]):
    """The metric definitions and the key list; Escape or ``?`` closes it."""

    BINDINGS = [Binding("escape,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        """One scrollable panel."""
        with VerticalScroll(id="help"):
            yield Static(self.text(), id="help-text")

    @staticmethod
    def text() -> Text:
        """The help text."""
        out = Text(end="")
        out.append("Keys\n\n", style="bold underline")
        for key, words in KEYS:
            out.append(f"{key:<10}", style="bold cyan")
            out.append(words + "\n")
        out.append("\nThe metrics\n\n", style="bold underline")
        for metric in METRICS:
            out.append(f"{metric.title}  ", style="bold")
            out.append(metric.definition + "\n\n")
        out.append("Trends ", style="bold")
        out.append(
            "use the last complete months that have a value (never the current month): "
            "a Mann–Kendall test and a Theil–Sen slope decide improving or worsening; fewer "
            "than 4 months is not enough data. Tiers are the DORA 2023 benchmarks over the window.\n"
        )
        out.append("Months ", style="bold")
        out.append(
            "on a card, one bar a month; · is a month without data (never a 0), … the month in "
            'progress, whose value is the card\'s "so far".\n'
        )
        out.append_text(legend())
        return out

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss()
