"""``OneCollect``: the dashboard's collects, one at a time, for the app's thread workers.

The first open of a database never filled collects it (the ``load`` worker), and ``r``
re-collects (the ``collect`` worker); ``m`` pressed meanwhile starts another load. Two
collects at once waited for each other's write lock and, behind a big history, said another
dora-tui was writing; so they run one after the other here, and what a waiting one finds
decides what it does (:meth:`OneCollect.run`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from textual.worker import get_current_worker

from dora_tui.tui.facade.dashboard import Collected, Dashboard


class OneCollect:
    """Runs ``dashboard``'s collects one at a time; ``progress`` is told ``(stage, done,
    total)`` as one goes."""

    def __init__(self, dashboard: Dashboard, progress: Callable[[str, int, int], None]) -> None:
        self.dashboard = dashboard
        self.progress = progress
        self._lock = threading.Lock()
        self._failed: Exception | None = None  # how the last collect failed, if it did

    def run(self, *, only_if_needed: bool = False) -> Collected | None:
        """Collect, in a thread worker; None when ``only_if_needed`` and the database was
        filled already, or when the worker was cancelled while it waited (``m`` pressed again,
        ``q``). A collect that is no longer needed once the one it waited for is done is not
        made, and a load that waited for a collect that failed raises that failure rather than
        try again (``m`` pressed a few times behind a locked database made each try in turn).
        A filled database never waits for a re-collect running: nothing is needed of it."""
        if only_if_needed and not self.dashboard.needs_collect():
            return None
        waited = not self._lock.acquire(blocking=False)
        if waited:
            self._lock.acquire()
        try:
            if get_current_worker().is_cancelled:
                return None
            if only_if_needed:
                if not self.dashboard.needs_collect():
                    return None
                if waited and self._failed is not None:
                    raise self._failed
            self.progress("starting", 0, 1)
            try:
                collected = self.dashboard.collect(progress=self.progress)
            except Exception as exc:  # said by the worker's error handler; kept for the loads waiting
                self._failed = exc
                raise
            self._failed = None
            return collected
        finally:
            self._lock.release()
