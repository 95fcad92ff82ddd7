"""Clean-ups an interrupt must not cut short: SIGINT and SIGTERM wait for them."""

from __future__ import annotations

import signal
import threading
import time
from types import FrameType

import pytest

from dora_tui.ops.interrupts import held


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def test_a_signal_during_a_held_block_arrives_once_it_is_done() -> None:
    previous = signal.signal(signal.SIGTERM, _stop)  # as the command line handles SIGTERM
    done = []
    try:
        with pytest.raises(KeyboardInterrupt), held():
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGTERM)  # to this thread
            time.sleep(0.05)  # it would have landed here
            done.append("put back")
        assert done == ["put back"]
    finally:
        signal.signal(signal.SIGTERM, previous)
