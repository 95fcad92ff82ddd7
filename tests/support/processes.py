"""The installed ``dora-tui`` run as real processes, the way a user meets faults, and the
small workspace those tests share.

- :data:`DORA`, :func:`dora`: the console script, run to the end;
- :func:`sigint_after` and :func:`run_on_a_terminal`: a run interrupted by Ctrl-C (SIGINT),
  after a delay or once something shows on its terminal; :data:`INTERRUPTED` its exit status;
- :data:`CONFIG`, :func:`write_workspace`: one team, one service in ``shop``;
- :func:`incident`, :func:`write_csv`: a PagerDuty export of incidents;
- :func:`column`, :func:`stored_incidents`: what a database file holds.
"""

from __future__ import annotations

import os
import pty
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

DORA = Path(sys.executable).with_name("dora-tui")  # the console script, as installed
INTERRUPTED = 130
"""The exit status of a run that Ctrl-C ended (128 + SIGINT)."""

CONFIG = """database = "dora.db"
timezone = "Europe/London"
[[teams]]
name = "payments"
[[services]]
name = "checkout"
team = "payments"
repo = "shop"
"""
"""A workspace's ``dora.toml``: team ``payments``, service ``checkout`` in the repository ``shop``."""

HEADER = (
    "id,incident_number,description,service_id,service_name,escalation_policy_id,"
    "escalation_policy_name,created_on,resolved_on,seconds_to_first_ack,seconds_to_resolve,urgency"
)
"""The header of a PagerDuty incidents export."""


def write_workspace(root: Path) -> Path:
    """``root`` made a workspace: its ``dora.toml`` is :data:`CONFIG`."""
    (root / "dora.toml").write_text(CONFIG)
    return root


def incident(n: int, created: str = "2024-09-03T07:41:12+01:00") -> str:
    """Row ``n`` of a PagerDuty export: an open incident of ``checkout``, ``P<n>``."""
    return f"P{n},{n},Checkout down,S1,checkout,E1,Main,{created},,,,high"


def write_csv(path: Path, rows: list[str]) -> Path:
    """A PagerDuty export of ``rows`` at ``path``."""
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def column(db: Path, sql: str) -> list[str]:
    """The first column of what ``sql`` selects from the database file ``db``."""
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute(sql)]
    finally:
        conn.close()


def stored_incidents(db: Path) -> list[str]:
    """The ids of the incidents ``db`` holds, sorted."""
    return column(db, "SELECT id FROM incidents ORDER BY id")


def dora(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``dora-tui ARGS`` in ``cwd`` to the end (in ``env`` if given)."""
    return subprocess.run([str(DORA), *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


def sigint_after(delay: float, *args: str, cwd: Path) -> tuple[int, str]:
    """Start ``dora-tui ARGS`` in ``cwd``, press Ctrl-C after ``delay`` seconds; returns its
    exit status and what it wrote to stderr."""
    proc = subprocess.Popen([str(DORA), *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err


def run_on_a_terminal(args: list[str], cwd: Path, until: bytes, *, group: bool = False) -> tuple[int, str]:
    """Run dora-tui with stderr on a terminal (so it draws its progress bar); press Ctrl-C
    as soon as ``until`` shows. Returns the exit status and what it wrote to stderr after
    the progress bar was cleared (see :func:`on_a_terminal` for ``group``)."""
    status, text = on_a_terminal(args, cwd, until, group=group)
    return status, after_progress(text)


def after_progress(text: str) -> str:
    """What a terminal's text holds after the last cleared progress bar."""
    return text.rsplit("\x1b[K", 1)[-1].lstrip("\r")


def on_a_terminal(
    args: list[str],
    cwd: Path,
    until: bytes,
    *,
    group: bool = False,
    whole: bool = False,
    sent: int = signal.SIGINT,
    times: int = 1,
) -> tuple[int, str]:
    """Run dora-tui with stderr on a terminal; press Ctrl-C as soon as ``until`` shows.
    Returns the exit status and all it wrote to the terminal (``\r\n`` read as ``\n``).

    With ``group``, dora-tui runs in a process group of its own and SIGINT goes to the whole
    group, as a terminal sends it: to dora-tui, the processes it started, and theirs. With
    ``whole``, its input and output are the terminal too (as the dashboard runs), in a session
    of its own. ``sent`` and ``times``: another signal than SIGINT, or a burst of them, 5 ms apart."""
    leader, follower = pty.openpty()
    streams = {"stdin": follower, "stdout": follower} if whole else {"stdout": subprocess.DEVNULL}
    proc = subprocess.Popen([str(DORA), *args], cwd=cwd, stderr=follower, start_new_session=group or whole, **streams)
    os.close(follower)
    seen = b""
    try:
        while until not in seen:
            try:
                seen += os.read(leader, 65536)
            except OSError:  # the process ended before showing it
                raise AssertionError(f"{until!r} never showed: {seen!r} (exit {proc.wait()})") from None
        for i in range(times):
            if i:
                time.sleep(0.005)
            if group:
                os.killpg(proc.pid, sent)
            else:
                proc.send_signal(sent)
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the process ended: the terminal has no writer left
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(leader)
        status = proc.wait(timeout=60)
    return status, seen.decode("utf-8", "replace").replace("\r\n", "\n")
