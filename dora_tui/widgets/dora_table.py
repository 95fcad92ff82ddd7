"""``DoraTable``: a DataTable with row cursor and vim keys."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class DoraTable(DataTable):
    """A row-cursor DataTable that also moves with ``j``/``k`` and shows literal cells only.

    Cells must be ``rich.text.Text`` objects (see :mod:`dora_tui.widgets.text`) or numbers:
    a plain ``str`` cell would be parsed as markup by DataTable.
    """

    BINDINGS = [
        Binding("enter", "select_cursor", "Open"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True,
                         cursor_foreground_priority="renderable")

    def cell_texts(self, row: int) -> list[str]:
        """The plain text of every cell of row number ``row`` (for tests and copy)."""
        return [str(cell) for cell in self.get_row_at(row)]
