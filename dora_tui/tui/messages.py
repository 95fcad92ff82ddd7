"""Messages the app's thread workers post back to the UI thread."""

from __future__ import annotations

from textual.message import Message


class DataReady(Message):
    """The figures of a window of ``months`` months are computed."""

    def __init__(self, months: int) -> None:
        super().__init__()
        self.months = months


class CollectProgress(Message):
    """Progress of a re-collect: ``(stage, done, total)``; a newer one replaces a waiting one."""

    def __init__(self, stage: str, done: int, total: int) -> None:
        super().__init__()
        self.progress = (stage, done, total)

    def can_replace(self, message: Message) -> bool:
        """Progress messages coalesce: when several wait in the queue, only the latest is handled."""
        return isinstance(message, CollectProgress)


class CollectDone(Message):
    """A collect finished: ``found`` says what it read, in words; ``imported``: what re-reading the
    imports stored, in words; the figures are being recomputed."""

    def __init__(self, found: str, warnings: list[str], imported: str = "") -> None:
        super().__init__()
        self.found = found
        self.warnings = warnings
        self.imported = imported
