"""``CollectStatus``: the progress bar of a background re-collect, on every screen."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from dora_tui.tui.widgets.text import literal


class CollectStatus(Horizontal):
    """Hidden while idle; during a collect, the stage and a progress bar.

    It follows the app's ``collect_progress`` reactive (``(stage, done, total)`` or None), so
    whichever screen is shown displays the same progress. Its label and bar are only built
    the first time a collect runs, to keep pages quick to open.
    """

    def on_mount(self) -> None:
        """Follow the app's progress."""
        self.watch(self.app, "collect_progress", self._show, init=True)

    def _show(self, progress: tuple[str, int, int] | None) -> None:
        self.display = progress is not None
        if progress is None:
            return
        stage, done, total = progress
        text = literal(f"Collecting: {stage}")
        if not self.children:
            self.mount(
                Label(text, id="collect-stage"), ProgressBar(total=max(total, 1), show_eta=False, id="collect-bar")
            )
            self.query_one(ProgressBar).update(progress=done)
            return
        self.query_one("#collect-stage", Label).update(text)
        self.query_one("#collect-bar", ProgressBar).update(total=max(total, 1), progress=done)
