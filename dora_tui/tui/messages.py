"""The dashboard's messages: what a screen asks the app to open, and what thread workers report.

Screens never open one another: they post an ``Open...`` message, which bubbles up to the
app; the app decides which page shows it (and reuses the pages it keeps). The worker
messages come from the app's thread workers, back on the UI thread.
"""

from __future__ import annotations

from textual.message import Message

# -- navigation (posted by screens and the command palette, handled by the app) ---------------


class OpenEntity(Message):
    """Open the page of a service or a team: ``kind`` is ``service`` or ``team``."""

    def __init__(self, kind: str, name: str) -> None:
        super().__init__()
        self.kind = kind
        self.name = name


class OpenMetric(Message):
    """Open the chart of metric ``metric_key`` of a service or a team."""

    def __init__(self, kind: str, name: str, metric_key: str) -> None:
        super().__init__()
        self.kind = kind
        self.name = name
        self.metric_key = metric_key


class OpenDeployment(Message):
    """Open deployment ``name`` of ``service``: its changes and the incidents it caused."""

    def __init__(self, service: str, name: str) -> None:
        super().__init__()
        self.service = service
        self.name = name


class OpenIncidents(Message):
    """Open the incident list of a service or a team."""

    def __init__(self, kind: str, name: str) -> None:
        super().__init__()
        self.kind = kind
        self.name = name


# -- thread workers ---------------------------------------------------------------------------


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
