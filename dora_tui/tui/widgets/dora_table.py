"""``DoraTable``: a DataTable with row cursor and vim keys, whose rows are filled in one go."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Span, Text
from textual.binding import Binding
from textual.widgets import DataTable

Column = str | tuple[str, int] | tuple[str, None, int]
"""A column: its label (the width fits the content), (label, fixed width), or (label, None,
most width): the width fits the content up to that most, a longer cell cut as its
``overflow`` says."""

ROW_COLUMN = "row"
"""The key of the one physical column every row is packed into."""


class DoraTable(DataTable[Text]):
    """A row-cursor DataTable that also moves with ``j``/``k`` and shows literal cells only.

    Columns are given once (:meth:`set_columns`) and rows replaced all at once
    (:meth:`set_rows`). Cells are ``rich.text.Text`` objects (see :mod:`dora_tui.tui.widgets.text`
    for untrusted text); anything else is shown as its ``str``, never parsed as markup. Use
    :meth:`set_rows`, not DataTable's ``add_row``, which would bypass the packing.

    Each row is packed into one cell of a single physical column, laid out exactly as
    DataTable lays out a cell per column (one space either side of each cell, a column as
    wide as its widest cell or label unless its width is fixed or at most some, right-justified cells to the
    right, too-long cells cut as their ``overflow`` says). It looks the same, but DataTable
    takes each cell through Rich's whole rendering pipeline, so one cell per row is much less
    work for a page of deployments (the page opens are measured in bench/README.md, the
    dashboard benchmark). :meth:`cell_texts` gives the logical cells.
    """

    BINDINGS = [
        Binding("enter", "select_cursor", "Open"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, *columns: Column, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            id=id,
            classes=classes,
            cursor_type="row",
            zebra_stripes=True,
            cursor_foreground_priority="renderable",
            cell_padding=0,
        )
        self._labels: list[Text] = []
        self._widths: list[int | None] = []
        self._most: list[int | None] = []
        self._cells: list[list[Text]] = []
        self.set_columns(*columns)

    def set_columns(self, *columns: Column) -> None:
        """Set the (logical) columns, removing every row."""
        self._labels = [Text(c if isinstance(c, str) else c[0], end="") for c in columns]
        self._widths = [None if isinstance(c, str) else c[1] for c in columns]
        self._most = [c[2] if isinstance(c, tuple) and len(c) == 3 else None for c in columns]
        self.set_rows(())

    def set_rows(self, rows: Iterable[tuple[str, Sequence[object]]]) -> None:
        """Replace every row with ``rows``: (key, cells) pairs; a row may have fewer cells than columns."""
        cells = [(key, [_as_text(c) for c in row]) for key, row in rows]
        widths = [w if w is not None else label.cell_len for label, w in zip(self._labels, self._widths)]
        for _, row in cells:
            for i, cell in enumerate(row[: len(widths)]):
                if self._widths[i] is None and cell.cell_len > widths[i]:
                    widths[i] = cell.cell_len
        widths = [
            w if most is None else min(w, max(most, label.cell_len))
            for w, most, label in zip(widths, self._most, self._labels)
        ]
        self.clear(columns=True)
        self._cells = [row for _, row in cells]
        if self._labels:
            self.add_column(_pack(self._labels, widths, self), key=ROW_COLUMN)
        for key, row in cells:
            self.add_row(_pack(row, widths, self), key=key)

    def cell_texts(self, row: int) -> list[str]:
        """The plain text of every (logical) cell of row number ``row`` (for tests and copy)."""
        return [cell.plain for cell in self._cells[row]]


def _as_text(cell: object) -> Text:
    if isinstance(cell, Text):
        return cell
    if isinstance(cell, float):
        return Text(f"{cell:.2f}", end="")
    return Text("" if cell is None else str(cell), end="")


def _pack(cells: Sequence[Text], widths: Sequence[int], table: DataTable[Text]) -> Text:
    """One line of cells, each in its column's width with a space either side (as DataTable lays them)."""
    parts: list[str] = []
    spans: list[Span] = []
    offset = 0
    for i, width in enumerate(widths):
        cell = cells[i] if i < len(cells) else None
        pad = width + 2
        if cell is not None and cell.plain:
            if cell.cell_len > width or cell.justify not in (None, "default"):
                cell = cell.wrap(table.app.console, width, no_wrap=True)[0]
            text = cell.plain
            start = offset + 1
            if cell.style:  # as Text.append_text: the cell's own style, then its spans
                spans.append(Span(start, start + len(text), cell.style))
            spans.extend(Span(start + a, start + b, style) for a, b, style in cell.spans)
            parts += [" ", text]
            offset = start + len(text)
            pad = width + 1 - cell.cell_len
        parts.append(" " * pad)
        offset += pad
    return Text("".join(parts), spans=spans, end="", no_wrap=True, overflow="crop")
