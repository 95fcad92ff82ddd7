"""Work forked to a second process for the site: its result, its failures, its end."""

from __future__ import annotations

import errno
import os
import pickle
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from dora_tui.errors import DoraError, StoreError, UsageError
from dora_tui.ops.site.claims import Claims
from dora_tui.ops.site.forked import Forked, ForkedError
from dora_tui.ops.site.make import Made


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


def test_done_says_whether_the_result_would_wait() -> None:
    read, write = os.pipe()
    job = Forked(lambda: os.read(read, 1))
    try:
        job.start()
        assert not job.done()  # it waits for a byte
        os.write(write, b"x")
        deadline = time.monotonic() + 10
        while not job.done() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert job.done() and job.done()  # asked twice: reaped once
        assert job.result() == b"x"
    finally:
        job.close()
        os.close(read)
        os.close(write)


def test_done_without_a_fork_is_true_and_the_work_runs_when_asked() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        ran: list[int] = []
        job = Forked(lambda: ran.append(1) or len(ran))
        assert job.start().done() and not ran
        assert job.result() == 1
    finally:
        release.set()
        other.join()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="looks at the processes through /proc")
def test_a_group_reaped_by_done_is_ended_whole() -> None:
    read, write = os.pipe()

    def child() -> None:
        Forked(_sleeper(write)).start()
        os._exit(9)

    job = Forked(child, group=True).start()
    pid = int(os.read(read, 32).split()[0])
    deadline = time.monotonic() + 10
    while not job.done() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _ended(pid)
    with pytest.raises(ForkedError, match="ended with status 9"):
        job.result()
    os.close(read)
    os.close(write)


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


def _disk_full() -> None:
    raise OSError(errno.ENOSPC, "No space left on device", "/site/services/x.html")


def _bad_input() -> None:
    raise UsageError("out: cannot write beside it")


def test_an_error_a_user_acts_on_comes_back_as_itself() -> None:
    # In one process these read as one line (the writer words an OSError); forked, the same.
    with pytest.raises(OSError) as found:
        Forked(_disk_full).start().result()
    assert (found.value.errno, found.value.filename) == (errno.ENOSPC, "/site/services/x.html")
    with pytest.raises(UsageError, match="cannot write beside it"):
        Forked(_bad_input).start().result()


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, ended but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _ended(pid: int) -> bool:
    """Whether process ``pid`` has ended, or does within 5 seconds."""
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    return not _alive(pid)


def _sleeper(write: int) -> Callable[[], None]:
    """Work that writes its process's id on the pipe ``write``, then sleeps a minute."""

    def sleep() -> None:
        os.write(write, f"{os.getpid()}\n".encode())
        time.sleep(60)

    return sleep


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="looks at the processes through /proc")
def test_closing_a_group_ends_the_processes_its_child_started() -> None:
    read, write = os.pipe()

    def child() -> None:
        Forked(_sleeper(write)).start().result()

    job = Forked(child, group=True).start()
    pid = int(os.read(read, 32).split()[0])  # the grandchild runs
    assert _alive(pid)
    job.close()
    os.close(read)
    os.close(write)
    assert _ended(pid)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="looks at the processes through /proc")
def test_a_group_whose_leader_died_outright_is_ended_whole() -> None:
    read, write = os.pipe()

    def child() -> None:
        Forked(_sleeper(write)).start()
        time.sleep(0.2)
        os._exit(9)  # as the out-of-memory killer would end it: no clean-up of its own

    job = Forked(child, group=True).start()
    pid = int(os.read(read, 32).split()[0])
    with pytest.raises(ForkedError, match="ended with status 9"):
        job.result()
    os.close(read)
    os.close(write)
    assert _ended(pid)


def test_a_database_error_of_the_child_reads_as_its_one_line() -> None:
    error = StoreError("damaged", "/w/dora.db", "the file is damaged (database disk image is malformed)")

    def damaged() -> None:
        raise error

    with pytest.raises(DoraError) as found:
        Forked(damaged).start().result()
    assert str(found.value) == str(error)
    assert found.value.exit_code == StoreError.exit_code


def test_a_result_the_temporary_folder_cannot_take_is_said_so() -> None:
    def big() -> bytes:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))  # this child may write no more
        return b"x" * 100_000

    with pytest.raises(ForkedError, match="could not write its result into the temporary folder"):
        Forked(big).start().result()


CHILD_OF_A_KILLED_COMMAND = """
import os, sys, time
from dora_tui.ops.interrupts import check
from dora_tui.ops.site.forked import Forked

def work():
    sys.stdout.write(f"{os.getpid()}\\n"); sys.stdout.flush()
    while True:  # a safe point every 10 ms, as between two pages
        check()
        time.sleep(0.01)

Forked(work).start()
time.sleep(60)
"""


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="looks at the processes through /proc")
def test_a_command_killed_outright_takes_its_work_with_it(tmp_path: Path) -> None:
    command = subprocess.Popen([sys.executable, "-c", CHILD_OF_A_KILLED_COMMAND], stdout=subprocess.PIPE, text=True)
    assert command.stdout is not None
    pid = int(command.stdout.readline())
    assert _alive(pid)
    command.kill()  # kill -9: no clean-up runs in the command
    command.wait()
    assert _ended(pid)


def test_two_processes_sharing_claims_take_every_item_once() -> None:
    # Each process asks for the next page when it is ready: none is rendered twice, none left out.
    claims = Claims(2000)
    try:
        job = Forked(lambda: [i for i in claims if not time.sleep(0.0001)])
        try:
            job.start()
            mine = [i for i in claims if not time.sleep(0.0001)]
            theirs = job.result()
        finally:
            job.close()
    finally:
        claims.close()
    assert sorted(mine + theirs) == list(range(2000))
    assert mine and theirs  # both took a part
    assert mine == sorted(mine) and theirs == sorted(theirs)  # each in the order given


def test_the_result_of_the_site_work_is_sent_without_what_it_kept() -> None:
    made = Made(["index.html"], 1, kept=[object() for _ in range(3)])
    back = pickle.loads(pickle.dumps(made))
    assert (back.paths, back.pages, back.kept) == (["index.html"], 1, None)
