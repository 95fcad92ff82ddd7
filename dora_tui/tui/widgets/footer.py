"""``DoraFooter``: Textual's Footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

Signature = tuple[tuple[str, str, str, bool, str], ...]
"""The keys a footer shows: (key, action, description, enabled, tooltip) of each."""


class DoraFooter(Footer):
    """The key bar; it skips the rebuild Footer does on every focus change or screen resume
    when the shown keys are the same (a rebuild is a large part of a page open: measured in
    bench/README.md, the dashboard benchmark).
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: Signature | None = None

    def _signature(self, screen: Screen[object]) -> Signature:
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for _, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuild when the shown keys differ from what is on screen."""
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            signature = self._signature(screen)
            if signature == self._shown:
                return
            self._shown = signature
        super().bindings_changed(screen)
