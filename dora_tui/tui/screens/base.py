"""``DataScreen``: the base of every page, which redraws itself when the data changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header

from dora_tui.errors import DoraError
from dora_tui.tui.facade.views import counted
from dora_tui.tui.widgets.collect_status import CollectStatus
from dora_tui.tui.widgets.footer import DoraFooter

if TYPE_CHECKING:
    from dora_tui.tui.app import DoraApp
    from dora_tui.tui.facade.dashboard import Dashboard


class DataScreen(Screen[None]):
    """A page showing figures of the dashboard.

    Subclasses implement :meth:`compose_body` and :meth:`show`. The app bumps its
    ``data_version`` when figures change (a window size or a collect); the shown screen is
    redrawn at once, the others when they are shown again.
    """

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self) -> None:
        super().__init__()
        self._version: object = None

    @property
    def dora(self) -> DoraApp:
        """The app, typed."""
        return cast("DoraApp", self.app)

    @property
    def dashboard(self) -> Dashboard:
        """The data facade."""
        return self.dora.dashboard

    @property
    def months(self) -> int:
        """The window size shown."""
        return self.dora.months

    @property
    def loaded(self) -> bool:
        """True when the figures of the shown window are ready."""
        return self.dashboard.is_loaded(self.months)

    def compose(self) -> ComposeResult:
        """Header, the page's body, the collect progress and the footer."""
        yield Header(show_clock=False, icon="◆")
        yield from self.compose_body()
        yield CollectStatus()
        yield DoraFooter()

    def compose_body(self) -> ComposeResult:
        """The page's own widgets."""
        yield from ()

    def subject(self) -> object:
        """What the page shows (a page reused for another service redraws)."""
        return None

    @property
    def is_current(self) -> bool:
        """True when the page shows the latest data for its subject."""
        return self._version == (self.dora.data_version, self.subject())

    def on_screen_resume(self) -> None:
        """Redraw when the data (or the subject) changed while another screen was shown."""
        if not self.is_current:
            self.refresh_data()

    def refresh_data(self) -> None:
        """Redraw from the dashboard; a DoraError becomes a one-line notification."""
        self._version = (self.dora.data_version, self.subject())
        self.sub_title = f"{counted(self.months, 'month')} to {self.dashboard.today.isoformat()}"
        try:
            with self.dashboard.reading():  # a damaged value: a StoreError naming it, not a crash
                self.show()
        except (DoraError, OSError) as exc:  # e.g. the database went away (a StoreError): one line
            self.dora.report_error(exc)

    def waiting(self) -> Text:
        """What the page says while the figures of its window are not there: that they are
        being computed, or why they could not be (what the home page says)."""
        if self.dora.load_error:
            return Text(f"could not compute the figures: {self.dora.load_error}", style="red")
        return Text("computing the figures…", style="dim")

    def show(self) -> None:
        """Fill the widgets from the dashboard (subclasses)."""

    def action_back(self) -> None:
        """Go back to the previous page."""
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
