"""``DoraPalette``: Textual's command palette, made to work in a terminal of a few rows.

Textual's own palette leaves three rows above its search box and draws a border around it,
so in a short terminal its list of hits gets no row at all; PageDown and PageUp then ended
the app (``KeyError: 0`` in ``OptionList._move_page``, which expects the list's rows laid out).
Here, below :data:`SHORT_ROWS` rows the box sits on the first row without a border, the hits
below it; and a page key moves nothing while the list shows no row (a page of no rows). The
app opens this palette for ctrl+p and for the palette's "Theme" command (the themes' list).
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette

SHORT_ROWS = 12
"""Below this many rows the palette is drawn compact (Textual's layout puts the first hit on
the eighth row: three empty rows, the box and its borders, the list's top border)."""


class DoraPalette(CommandPalette):
    """The command palette of the dashboard: Textual's, usable at any terminal height."""

    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_ROWS, "-tall")]

    DEFAULT_CSS = """
    DoraPalette.-short > Vertical {
        margin-top: 0;
    }
    DoraPalette.-short #--input {
        border: none;
    }
    DoraPalette.-short #--input Label, DoraPalette.-short SearchIcon {
        margin-top: 0;
    }
    DoraPalette.-short CommandInput {
        border: none;
        height: 1;
        padding-left: 1;
    }
    DoraPalette.-short CommandList {
        border-top: none;
        border-bottom: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pagedown", "page(1)", "Next page", show=False),
        Binding("pageup", "page(-1)", "Previous page", show=False),
    ]

    def action_page(self, direction: int) -> None:
        """Move the highlight a page of the list down (``direction`` 1) or up (-1), as Textual's
        palette does; nothing while the list shows no row (the page is empty)."""
        hits = self.query_one(CommandList)
        if not hits.scrollable_content_region:
            return
        if direction > 0:
            hits.action_page_down()  # type: ignore[no-untyped-call]  # Textual's, without annotations
        else:
            hits.action_page_up()  # type: ignore[no-untyped-call]  # Textual's, without annotations
