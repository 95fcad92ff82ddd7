"""What a terminal running a Textual app would show, frame by frame: :class:`Terminal`.

Used by ``bench_dashboard.py`` to time a page open up to the first frame that shows the
page. It hooks the app's display (Textual internals: a benchmark, not part of dora-tui).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable


class Terminal:
    """What a terminal running the app would show, frame by frame, and when each frame came.

    Every frame the app writes (headless, it writes none) is turned into the bytes a real
    terminal would receive (``render_segments``) and applied to a grid of characters. A
    measurement waits for the first frame after which the grid shows what it expects; the
    time this class spends (converting, applying, checking) is taken off, so only the app's
    own work and its frame pacing are counted.
    """

    CSI = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])")

    def __init__(self, app, size: tuple[int, int]) -> None:
        from textual._compositor import CompositorUpdate

        self.app = app
        self.width, self.height = size
        self.grid = [[" "] * self.width for _ in range(self.height)]
        self.overhead = 0.0
        self._wanted: tuple[Callable[[str], bool], asyncio.Future] | None = None
        display = app._display

        def record(screen, renderable) -> None:
            display(screen, renderable)
            if isinstance(renderable, CompositorUpdate):
                self._frame(renderable)

        app._display = record

    def text(self) -> str:
        """The grid as lines of text."""
        return "\n".join("".join(row) for row in self.grid)

    def _frame(self, update) -> None:
        start = time.perf_counter()
        self._apply(update.render_segments(self.app.console))
        if self._wanted is not None and not self._wanted[1].done() and self._wanted[0](self.text()):
            self._wanted[1].set_result((start, self.overhead))
        self.overhead += time.perf_counter() - start

    def _apply(self, data: str) -> None:
        x = y = 0
        pos = 0
        for match in self.CSI.finditer(data):
            x, y = self._write(data[pos : match.start()], x, y)
            pos = match.end()
            if match.group(2) == "H":
                row, _, col = match.group(1).partition(";")
                y, x = int(row or 1) - 1, int(col or 1) - 1
        self._write(data[pos:], x, y)

    def _write(self, text: str, x: int, y: int) -> tuple[int, int]:
        for ch in text:
            if ch == "\n":
                x, y = 0, y + 1
            elif 0 <= y < self.height and 0 <= x < self.width:
                self.grid[y][x] = ch
                x += 1
        return x, y

    async def time(self, action: Callable[[], object], shows: Callable[[str], bool]) -> float:
        """Seconds from ``action()`` to the end of the first frame after which the terminal ``shows`` its content."""
        wanted = asyncio.get_running_loop().create_future()
        self._wanted = (shows, wanted)
        overhead = self.overhead
        start = time.perf_counter()
        action()
        painted, overhead_then = await asyncio.wait_for(wanted, 30)
        self._wanted = None
        return painted - start - (overhead_then - overhead)
