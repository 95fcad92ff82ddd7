"""The dashboard: ``DoraApp`` and :func:`run_dashboard`, the entry the command line calls.

Pages are in :mod:`dora_tui.tui.screens`, widgets in :mod:`dora_tui.tui.widgets`, data in
:mod:`dora_tui.tui.facade.dashboard` (the objects it returns in :mod:`dora_tui.tui.facade.views`):
the UI reaches the configuration and the database only through that facade. Screens ask for
a page with the messages of :mod:`dora_tui.tui.messages` (``OpenEntity``, ``OpenMetric``...),
which the app handles here. Slow work runs in thread workers that post messages back; an
error becomes a one-line notification.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from types import FrameType
from typing import TypeVar

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.theme import ThemeProvider
from textual.worker import Worker, WorkerState, get_current_worker

from dora_tui.errors import DoraError
from dora_tui.tui.collects import OneCollect
from dora_tui.tui.facade.dashboard import Config, Dashboard
from dora_tui.tui.facade.views import counted, safe_text, terminal
from dora_tui.tui.messages import (
    CollectDone,
    CollectProgress,
    DataReady,
    OpenDeployment,
    OpenEntity,
    OpenIncidents,
    OpenMetric,
)
from dora_tui.tui.screens.base import DataScreen
from dora_tui.tui.screens.deployment import DeploymentScreen
from dora_tui.tui.screens.help import HelpScreen
from dora_tui.tui.screens.home import HomeScreen
from dora_tui.tui.screens.incidents import IncidentsScreen
from dora_tui.tui.screens.metric import MetricScreen
from dora_tui.tui.screens.service import ServiceScreen
from dora_tui.tui.screens.team import TeamScreen
from dora_tui.tui.widgets.palette import DoraPalette

Page = TypeVar("Page", bound=DataScreen)

ERROR_SECONDS = 10.0
"""How long an error's notification stays on screen."""
WARNING_SECONDS = 5.0
"""How long a collect's warning stays on screen (Textual's own default for a notification)."""


class EntityCommands(Provider):
    """Command palette entries: jump to any team or service by name (shown literally)."""

    def _entries(self) -> Iterator[tuple[str, Callable[[], None], str]]:
        app = self.app
        for kind, name, _ in app.dashboard.names() if isinstance(app, DoraApp) else ():
            yield safe_text(f"{kind} {name}"), self._opener(kind, name), f"open the {kind} page"

    def _opener(self, kind: str, name: str) -> Callable[[], None]:
        def open_page() -> None:
            self.app.post_message(OpenEntity(kind, name))

        return open_page

    async def search(self, query: str) -> Hits:
        """Teams and services whose name matches ``query``, matched letters highlighted."""
        matcher = self.matcher(query)
        for text, command, help in self._entries():
            score = matcher.match(text)
            if score > 0:
                shown = Content(text)
                for offset in matcher.fuzzy_search.match(query, text)[1]:
                    shown = shown.stylize(matcher.match_style, offset, offset + 1)
                yield Hit(score, shown, command, text=text, help=help)

    async def discover(self) -> Hits:
        """Every team and service, before anything is typed."""
        for text, command, help in self._entries():
            yield DiscoveryHit(Content(text), command, text=text, help=help)


class DoraApp(App[int]):
    """The keyboard-driven DORA dashboard over one configuration's database."""

    CSS_PATH = "dora.tcss"
    TITLE = "dora-tui"
    COMMANDS = App.COMMANDS | {EntityCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("m", "cycle_window", "Months"),
        Binding("r", "recollect", "Re-collect"),
    ]

    collect_progress: reactive[tuple[str, int, int] | None] = reactive(None)
    """(stage, done, total) while a re-collect runs, else None."""

    def __init__(
        self, config_path: Path | str | None = None, *, today: date | None = None, config: Config | None = None
    ) -> None:
        super().__init__()
        if config is None:
            self.dashboard = Dashboard.from_config_path(config_path, today=today)
        else:
            self.dashboard = Dashboard(config, today=today)
        self.months = self.target_months = self.dashboard.months
        self.data_version = 0
        self.load_error: str | None = None
        self._pages: dict[str, DataScreen] = {}
        self._said: dict[str, float] = {}  # each error notification shown: when it leaves the screen
        self.collects = OneCollect(self.dashboard, self._progress)  # one at a time, for the workers

    def get_default_screen(self) -> HomeScreen:
        """The home page is the bottom of the screen stack."""
        return HomeScreen()

    def on_mount(self) -> None:
        """Start computing the figures once the home page has painted."""
        self.call_after_refresh(self.load, self.months)

    @work(thread=True, name="load", group="load", exclusive=True, exit_on_error=False)
    def load(self, months: int) -> None:
        """Compute a window's figures (collecting first when the database was never filled)."""
        collected = self.collects.run(only_if_needed=True)
        if collected is not None:
            self.post_message(CollectDone(collected.found, collected.warnings))
        if get_current_worker().is_cancelled:  # `m` asked for another window meanwhile
            return
        self.dashboard.load(months)
        self.post_message(DataReady(months))
        import textual_plotext  # noqa: F401  (warm the chart module before a metric page needs it)

    @work(thread=True, name="collect", group="collect", exclusive=True, exit_on_error=False)
    def recollect(self) -> None:
        """Re-read the config's ``[[imports]]`` and re-collect every repository, then recompute the
        shown window. The imports come first: the collect reads the changes of imported deployments.

        A bad import stores nothing (all or nothing) and is reported as the worker's error once
        the figures are recomputed from what the collect found.
        """
        imported = ""
        failed: DoraError | None = None
        if self.dashboard.has_imports:
            self.post_message(CollectProgress("re-reading the imports", 0, 1))
            try:
                imported = self.dashboard.import_all()
            except DoraError as exc:
                failed = exc
        collected = self.collects.run()
        if collected is None:  # cancelled while it waited for another collect (q pressed)
            return
        self.post_message(CollectDone(collected.found, collected.warnings, imported))
        months = self.target_months  # the window asked for now; `m` meanwhile loads its own (on_data_ready)
        self.dashboard.refresh(months)
        self.post_message(DataReady(months))
        if failed is not None:
            raise failed

    def _progress(self, stage: str, done: int, total: int) -> None:
        """A collect's progress, from its worker's thread."""
        self.post_message(CollectProgress(stage, done, total))

    def on_collect_progress(self, message: CollectProgress) -> None:
        """Move the progress bar."""
        self.collect_progress = message.progress

    def on_collect_done(self, message: CollectDone) -> None:
        """Hide the progress bar and say what was found (the figures follow)."""
        self.collect_progress = None
        for warning in message.warnings[:3]:
            self.notify_once(safe_text(warning), "warning", WARNING_SECONDS)
        imported = f"; imported {message.imported}" if message.imported else ""
        self.notify(f"Collected: {message.found}{imported}.", markup=False)

    def on_data_ready(self, message: DataReady) -> None:
        """Show the new figures on the current page; other pages redraw when shown again. The
        figures of another window than the one asked for now are not shown; if that one is no
        longer computed (a re-collect's figures replace every window's), it is computed anew."""
        if message.months != self.target_months:
            loading = any(
                w.name == "load" and w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in self.workers
            )
            if not loading and not self.dashboard.is_loaded(self.target_months):
                self.load(self.target_months)
            return
        self.months = message.months
        self.load_error = None
        self.data_version += 1
        if isinstance(self.screen, DataScreen):
            self.screen.refresh_data()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one error handler: a failed worker becomes a one-line notification."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.collect_progress = None
            text = self.report_error(event.worker.error)
            if event.worker.name == "load" and not self.dashboard.is_loaded(self.months):
                self.load_error = text
                if isinstance(self.screen, DataScreen):
                    self.screen.refresh_data()

    def report_error(self, error: BaseException) -> str:
        """Show ``error`` as one line (DoraError text; else the exception's type and message); returns it.

        An error with ``details`` (a rejected import: one line per bad row) also shows the first of them.
        The same text while its notification is still on screen is not shown again (:meth:`notify_once`).
        """
        text = str(error) if isinstance(error, DoraError) else f"{type(error).__name__}: {error}"
        line = safe_text(text.splitlines()[0] if text else type(error).__name__)
        details = getattr(error, "details", None)
        shown = f"{line}\n{safe_text(details[0])}" if details else line
        self.notify_once(shown, "error", ERROR_SECONDS)
        return line

    def notify_once(self, text: str, severity: SeverityLevel, seconds: float) -> None:
        """Show ``text`` (plain, not markup) for ``seconds``, unless the same text is still on
        screen: a window loaded (``m``) or a re-collect (``r``) meets the same damaged value, or
        the same collect warning, each time, and each said it anew, stacked (only a dismissal by
        a click is not seen: then the text waits for that notification's time to end)."""
        now = time.monotonic()
        if self._said.get(text, now) <= now:  # not on screen already
            self.notify(text, severity=severity, timeout=seconds, markup=False)
            self._said = {said: end for said, end in self._said.items() if end > now}
            self._said[text] = now + seconds

    def clear_notifications(self) -> None:
        """Clear every notification shown (an error said again afterwards is shown again)."""
        super().clear_notifications()
        self._said.clear()

    def action_help(self) -> None:
        """Show the help (or close it)."""
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen())

    def action_command_palette(self) -> None:
        """Open the command palette (ours: usable, and its page keys safe, in a short terminal)."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(DoraPalette(id="--command-palette"))

    def search_themes(self) -> None:
        """The palette's "Theme" command: the themes to choose from, in our palette too."""
        self.push_screen(DoraPalette(providers=[ThemeProvider], placeholder="Search for themes…"))

    def action_cycle_window(self) -> None:
        """Show 6, 12 or 24 months (computed in the background the first time)."""
        self.target_months = self.dashboard.next_months(self.target_months)
        if self.dashboard.is_loaded(self.target_months):
            self.post_message(DataReady(self.target_months))
        else:
            self.notify(f"Computing {counted(self.target_months, 'month')}…", timeout=2)
            self.load(self.target_months)

    def action_recollect(self) -> None:
        """Re-collect in the background, with a progress bar."""
        if any(w.name == "collect" and not w.is_finished for w in self.workers):
            self.notify("A collect is already running.", timeout=2)
            return
        self.recollect()

    def on_open_entity(self, message: OpenEntity) -> None:
        """Open a service's or a team's page (one page per kind is kept built and reused)."""
        kind, name = message.kind, message.name
        if kind == "team":
            self._open("team", TeamScreen, lambda: TeamScreen(name), lambda page: page.reuse(name))
        else:
            self._open("service", ServiceScreen, lambda: ServiceScreen(name), lambda page: page.reuse(name))

    def on_open_metric(self, message: OpenMetric) -> None:
        """Open the chart of a metric of a service or team (one such page is kept built and reused)."""
        kind, name, key = message.kind, message.name, message.metric_key
        self._open(
            "metric", MetricScreen, lambda: MetricScreen(kind, name, key), lambda page: page.reuse(kind, name, key)
        )

    def on_open_deployment(self, message: OpenDeployment) -> None:
        """Open a deployment's page."""
        self.push_screen(DeploymentScreen(message.service, message.name))

    def on_open_incidents(self, message: OpenIncidents) -> None:
        """Open the incident list of a service or team."""
        self.push_screen(IncidentsScreen(message.kind, message.name))

    def _open(self, slot: str, kind: type[Page], build: Callable[[], Page], reuse: Callable[[Page], None]) -> None:
        """Push the page kept for ``slot``, reused for its new subject; built (and kept) the first time.

        A page already in the stack (the palette can open a team from a team's metric page) is
        not reused: a new one is pushed, and dropped when it is closed.
        """
        page = self._pages.get(slot)
        if isinstance(page, kind) and page not in self.screen_stack:
            reuse(page)
            if not page.is_current:  # filled before it is shown: its first frame has everything
                page.refresh_data()
        else:
            page = build()
            if slot not in self._pages:
                self._pages[slot] = page
                self.install_screen(page, f"{slot}-page")
        self.push_screen(page)


def run_dashboard(config: Config | Path | None = None, *, today: date | None = None) -> int:
    """Open the dashboard on ``config`` (a loaded Config, a config file, or None to look it up).

    Returns the exit status: 0, or the DoraError's status after printing it as one line.
    """
    try:
        app = DoraApp(config=config, today=today) if isinstance(config, Config) else DoraApp(config, today=today)
    except DoraError as exc:
        if sys.stderr is not None:  # closed (2>&-): said nowhere, never onto the standard output
            print(f"dora-tui: error: {terminal(exc)}", file=sys.stderr)
        return exc.exit_code
    quit_now = _quits(app)
    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM) if threading.current_thread() is threading.main_thread() else ():
        handler = signal.getsignal(sig)
        # One it was started ignoring (a background job's SIGINT) stays so; one set outside
        # Python (no handler to put back) is left alone; off the main thread none can be set.
        if handler is not None and handler is not signal.SIG_IGN:
            previous[sig] = handler
            signal.signal(sig, quit_now)
    try:
        app.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return app.return_code or 0


def _quits(app: DoraApp) -> Callable[[int, FrameType | None], None]:
    """SIGINT's and SIGTERM's handler while the dashboard runs (`kill -INT`, `kill`; Ctrl-C is a
    key here): the app quits as `q` does, its terminal put back, and more that come meanwhile
    are the same quit (asyncio's own handler raised KeyboardInterrupt on each SIGINT after the
    first, wherever the app was, and SIGTERM ended it outright: either left the terminal in the
    app's screen). One that comes before the app's loop runs, or after, stops the command as
    Ctrl-C stops any."""
    asked: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        if asked:
            return
        asked.append(signum)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise KeyboardInterrupt from None
        loop.call_soon_threadsafe(app.exit)

    return handler
