"""Work forked to a second process for the site: its result, its failures, its end."""

from __future__ import annotations

import os
import threading
import time

import pytest

from dora_tui.ops.site.forked import Forked, ForkedError


def test_the_work_runs_in_another_process_and_its_result_comes_back() -> None:
    job = Forked(lambda: (os.getpid(), [b"x" * 100_000, "page"]))
    try:
        pid, value = job.start().result()
    finally:
        job.close()
    assert pid != os.getpid() and value == [b"x" * 100_000, "page"]


def test_with_another_thread_running_the_work_runs_here() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        job = Forked(os.getpid)
        assert job.start().result() == os.getpid()
    finally:
        release.set()
        other.join()


def _fails() -> None:
    raise ValueError("a template the second share alone uses is broken")


def test_a_failure_in_the_child_is_raised_here_with_its_traceback() -> None:
    job = Forked(_fails)
    with pytest.raises(ForkedError, match="a template the second share alone uses is broken"):
        job.start().result()


def test_a_result_that_cannot_be_sent_is_a_failure_not_a_garbled_answer() -> None:
    job = Forked(lambda: threading.Lock())  # a lock cannot be pickled
    with pytest.raises(ForkedError, match="pickle"):
        job.start().result()


def test_closing_ends_a_child_still_running() -> None:
    read, write = os.pipe()

    def work() -> None:
        os.write(write, str(os.getpid()).encode())
        time.sleep(60)

    job = Forked(work).start()
    pid = int(os.read(read, 32))  # the child runs
    job.close()
    os.close(read)
    os.close(write)
    with pytest.raises(ChildProcessError):  # ended and reaped: no zombie left
        os.waitpid(pid, os.WNOHANG)
