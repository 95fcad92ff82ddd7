"""``DoraTable`` packs each row into one cell: it must look exactly like a DataTable with a cell per column."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from dora_tui.tui.widgets.dora_table import DoraTable
from dora_tui.tui.widgets.text import flag, literal
from support.app import app_test

COLUMNS = [("Name", 12), "When", "Count", "Flag", ("", 3), "Note"]
ROWS = [
    (
        "a",
        [
            literal("checkout", "bold"),
            Text("2024-06-04 12:00"),
            Text("12", justify="right"),
            flag(True, "failed", "bold red"),
            Text("▲", style="green"),
            literal("[bold]not markup[/]"),
        ],
    ),
    (
        "b",
        [
            literal("a-service-name-far-too-long"),
            Text("2024-06-04"),
            Text("3", justify="right"),
            flag(False, "failed", "bold red"),
            Text(""),
            literal("日本語 wide ✓"),
        ],
    ),
    ("c", [Text("(no team)", style="dim italic")]),  # fewer cells than columns
    (
        "d",
        [
            literal("x"),
            Text(""),
            Text("open", style="bold red", justify="right"),
            Text("–"),
            Text("··"),
            Text.assemble(("two ", "cyan"), ("spans", "bold")),
        ],
    ),
]


def merged(lines) -> list[list[tuple[str, str]]]:
    """Each line as (text, style) runs: neighbours of one style merged (packing only changes the cuts)."""
    out = []
    for strip in lines:
        runs: list[tuple[str, str]] = []
        for segment in strip:
            style = str(segment.style)
            if runs and runs[-1][1] == style:
                runs[-1] = (runs[-1][0] + segment.text, style)
            else:
                runs.append((segment.text, style))
        out.append(runs)
    return out


class Tables(App[None]):
    CSS = "DataTable { height: 6; width: 100; }"

    def compose(self) -> ComposeResult:
        plain = DataTable(id="plain", cursor_type="row", zebra_stripes=True, cursor_foreground_priority="renderable")
        for column in COLUMNS:
            label, width = (column, None) if isinstance(column, str) else column
            plain.add_column(label, width=width)
        for key, cells in ROWS:
            plain.add_row(*cells, key=key)
        yield plain
        packed = DoraTable(*COLUMNS, id="packed")
        packed.set_rows(ROWS)
        yield packed


@app_test
async def test_a_packed_table_looks_like_a_datatable() -> None:
    app = Tables()
    async with app.run_test(size=(100, 14)) as pilot:
        plain, packed = app.query_one("#plain", DataTable), app.query_one("#packed", DoraTable)
        region = plain.region.reset_offset
        for cursor in (0, 2):
            plain.move_cursor(row=cursor)
            packed.move_cursor(row=cursor)
            shown = []
            for focused in (None, plain, packed):  # unfocused both, then each with the focus
                app.set_focus(focused)
                await pilot.pause()
                shown.append(merged((plain if focused is plain else packed).render_lines(region)))
                if focused is None:
                    shown.append(merged(plain.render_lines(region)))
            assert shown[0] == shown[1] and shown[2] == shown[3] and shown[0] != shown[2]
        assert packed.cell_texts(0)[5] == "[bold]not markup[/]" and packed.cell_texts(2) == ["(no team)"]
        assert packed.row_count == 4 and packed.cursor_row == 2
