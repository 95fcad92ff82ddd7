"""Ctrl-C (SIGINT, sent to a real ``dora-tui`` process) is one line, never a traceback, and
what it says is true: interrupted while starting, while an import reads, after an import
was stored, inside a collect (rolled back), after a report file was put in place."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dora_tui.cli import main
from support.processes import (
    CONFIG,
    DORA,
    INTERRUPTED,
    after_progress,
    column,
    incident,
    on_a_terminal,
    run_on_a_terminal,
    sigint_after,
    stored_incidents,
    write_csv,
)


def through_dora_tui(err: str) -> bool:
    """Whether ``err`` holds a traceback through dora-tui's own code (the fault): one with a
    frame in its files, or from the console script's line that loaded the whole CLI."""
    files = re.findall(r'File "([^"]+)"', err)
    return any("/dora_tui/" in f or "/collectors/" in f for f in files) or "from dora_tui.cli import" in err


STARTING = "dora-tui: interrupted while starting, before anything was written"


def test_ctrl_c_while_dora_tui_starts_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "dora.toml").write_text(CONFIG)
    seen: list[tuple[int, str]] = []
    # Each Ctrl-C a little later than the one before while they land before dora-tui starts,
    # a little earlier once one lands after: the delays sweep up from 0 and then stay around
    # the start, however long a busy machine takes to get there (a fixed sweep of 0.12 s
    # could land every one before it).
    delay = 0.0
    for attempt in range(150):
        if attempt >= 40 and any(STARTING in err for _, err in seen):
            break
        status, err = sigint_after(delay, "report", cwd=tmp_path)
        seen.append((status, err))
        assert not through_dora_tui(err), err
        said = [line for line in err.splitlines() if line.startswith("dora-tui:")]
        if not said:
            # Ctrl-C landed before any of dora-tui ran: in Python's own start-up (killed
            # outright, or its own error while it loads `site` or opens the script) or on the
            # console script's lines around the call of the entry point (pip writes them).
            delay = delay * 1.1 + 0.003
            continue
        assert len(said) == 1, err
        if said[0] == STARTING:
            assert status == INTERRUPTED
            delay += 0.003
            continue
        if status == INTERRUPTED:
            assert said[0] == "dora-tui: interrupted before anything was written"
        else:  # the signal came after the command was done (-SIGINT: as Python was exiting)
            assert status in (2, -signal.SIGINT) and "no database yet" in said[0], err
        delay *= 0.8
    assert any(STARTING in err for _, err in seen), seen


def test_ctrl_c_while_an_import_reads_says_nothing_was_written(workspace: Path) -> None:
    write_csv(workspace / "first.csv", [incident(1)])
    assert main(["import", "incidents", "first.csv"]) == 0
    write_csv(workspace / "big.csv", [incident(n) for n in range(2, 150_002)])
    status, err = run_on_a_terminal(["import", "incidents", "big.csv"], workspace, until=b"import [")
    assert (status, err) == (INTERRUPTED, "dora-tui: interrupted before anything was written\n")
    assert stored_incidents(workspace / "dora.db") == ["P1"]


def test_ctrl_c_after_an_import_committed_says_the_rows_are_stored(workspace: Path) -> None:
    write_csv(workspace / "first.csv", [incident(1)])
    assert main(["import", "incidents", "first.csv"]) == 0
    write_csv(workspace / "pd.csv", [incident(2), incident(3)])
    # stdout is a full pipe nobody reads (a pager that stopped reading): once the rows are
    # committed, dora-tui blocks printing what it stored, and Ctrl-C lands there.
    reader, writer = os.pipe()
    os.set_blocking(writer, False)
    try:
        while True:
            os.write(writer, b"x" * 65536)
    except BlockingIOError:
        pass
    os.set_blocking(writer, True)
    proc = subprocess.Popen(
        [str(DORA), "import", "incidents", "pd.csv"],
        cwd=workspace,
        stdout=writer,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    os.close(writer)
    try:
        deadline = time.monotonic() + 60
        while stored_incidents(workspace / "dora.db") != ["P1", "P2", "P3"]:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        drain = threading.Thread(target=lambda: [None for _ in iter(lambda: os.read(reader, 65536), b"")])
        drain.start()
        _, err = proc.communicate(timeout=60)
        drain.join(timeout=60)
    finally:
        os.close(reader)
    assert (proc.returncode, err) == (
        INTERRUPTED,
        "dora-tui: interrupted after the import of 2 incidents from pd.csv was stored in full\n",
    )


def fast_import(path: Path, commits: int, tag_every: int, tag_until: int) -> list[str]:
    """A repository of ``commits`` commits, a tag v<n> on every ``tag_every``-th up to
    ``tag_until``, built in one `git fast-import`; returns the commits' shas in order."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    lines = []
    for n in range(1, commits + 1):
        message = f"change {n}\n"
        content = f"line {n}\n"
        lines.append(
            f"commit refs/heads/main\nmark :{n}\ncommitter Ada <ada@example.com> "
            f"{1_700_000_000 + n * 60} +0000\ndata {len(message)}\n{message}"
            f"M 644 inline f{n % 40}.txt\ndata {len(content)}\n{content}\n"
        )
        if n % tag_every == 0 and n <= tag_until:
            lines.append(f"reset refs/tags/v{n}\nfrom :{n}\n\n")
    lines.append("done\n")
    subprocess.run(
        ["git", "-C", str(path), "fast-import", "--quiet", "--done", f"--export-marks={path / 'marks'}"],
        input="".join(lines).encode(),
        check=True,
    )
    marks = dict(line.split() for line in (path / "marks").read_text().splitlines())
    return [marks[f":{n}"] for n in range(1, commits + 1)]


def deployments(db: Path) -> list[str]:
    return column(db, "SELECT name FROM deployments ORDER BY name")


def test_ctrl_c_inside_a_collect_says_it_was_rolled_back(workspace: Path) -> None:
    # Enough history that reading the new tag's 38,000 commits outlasts the interrupt's round trip.
    shas = fast_import(workspace / "shop", 40000, 500, 2000)
    assert main(["collect"]) == 0
    before = deployments(workspace / "dora.db")
    subprocess.run(["git", "-C", str(workspace / "shop"), "tag", "v9999", shas[-1]], check=True)
    status, err = run_on_a_terminal(["collect"], workspace, until=b"] 0/1 ")
    assert (status, err) == (
        INTERRUPTED,
        "dora-tui: interrupted; the collect of 1 repository was rolled back, the database is as it was before it\n",
    )
    assert deployments(workspace / "dora.db") == before


TWO_REPOSITORIES = (
    CONFIG
    + """[[services]]
name = "shipping"
team = "payments"
repo = "depot"
"""
)


def test_ctrl_c_inside_a_parallel_collect_rolls_it_back_and_no_worker_speaks(workspace: Path) -> None:
    (workspace / "dora.toml").write_text(TWO_REPOSITORIES)
    shas = fast_import(workspace / "shop", 40000, 500, 2000)
    subprocess.run(["git", "clone", "-q", "--bare", str(workspace / "shop"), str(workspace / "depot")], check=True)
    assert main(["collect", "--jobs", "2"]) == 0
    before = deployments(workspace / "dora.db")
    for repo in ("shop", "depot"):
        subprocess.run(["git", "-C", str(workspace / repo), "tag", "v9999", shas[-1]], check=True)
    # Ctrl-C on a terminal: SIGINT to the whole process group, the workers and their git included.
    status, said = on_a_terminal(["collect", "--jobs", "2"], workspace, until=b"] 0/2 ", group=True)
    assert "Traceback" not in said and "Error" not in said, said
    assert (status, after_progress(said)) == (
        INTERRUPTED,
        "dora-tui: interrupted; the collect of 2 repositories was rolled back, the database is as it was before it\n",
    )
    assert deployments(workspace / "dora.db") == before


def test_ctrl_c_after_a_report_file_was_written_says_so(tmp_path: Path) -> None:
    # What Ctrl-C would print after report --output renamed its file into place: run in a
    # process of its own, since what a process has written is remembered for its life.
    code = (
        "import sys; from pathlib import Path; from dora_tui.ops.files import replace_file;"
        "from dora_tui import outcomes;"
        "replace_file(Path(sys.argv[1]), lambda h: h.write('{}'), follow_link=True);"
        "print(outcomes.interrupted())"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out.json")], capture_output=True, text=True)
    assert out.stdout == f"interrupted after the file {tmp_path / 'out.json'} was stored in full\n", out.stderr


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def sigint_ignored(args: list[str], cwd: Path) -> tuple[int, str, int]:
    """Run dora-tui as a shell's background job starts it (SIGINT ignored, a process group of
    its own) and send SIGINT to the group every 5 ms until it ends: its status, its stderr and
    how many were sent."""
    run = subprocess.Popen(
        [str(DORA), *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_ignore_sigint,
    )
    sent = 0
    while run.poll() is None:
        os.killpg(run.pid, signal.SIGINT)
        sent += 1
        time.sleep(0.005)
    _, err = run.communicate(timeout=60)
    return run.returncode, err, sent


def test_a_parallel_collect_started_with_sigint_ignored_ignores_it_in_every_process(workspace: Path) -> None:
    # As `nohup` or a shell's background job starts it: SIGINT to the whole group changes nothing,
    # in the workers and their git too (they stopped, and the collect failed).
    (workspace / "dora.toml").write_text(TWO_REPOSITORIES)
    fast_import(workspace / "shop", 40000, 500, 40000)
    subprocess.run(["git", "clone", "-q", "--bare", str(workspace / "shop"), str(workspace / "depot")], check=True)
    status, err, sent = sigint_ignored(["collect", "--jobs", "2"], workspace)
    assert (status, err) == (0, ""), err
    assert sent > 1 and len(deployments(workspace / "dora.db")) == 160  # 80 tags in each repository


SETTLED = """
import os, signal, sys, time
from dora_tui.entry import main
sys.argv = ["dora-tui", "report", "--format", "json", "--config", sys.argv[1], "--output", os.devnull]
status = main()
for _ in range(3):  # Ctrl-C, again and again, once the command has finished and said so
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.02)
os.kill(os.getpid(), signal.SIGTERM)
time.sleep(0.02)
sys.exit(status)
"""


def test_ctrl_c_after_the_command_has_finished_changes_nothing(workspace: Path) -> None:
    fast_import(workspace / "shop", 10, 5, 10)
    assert main(["collect"]) == 0
    done = subprocess.run(
        [sys.executable, "-c", SETTLED, str(workspace / "dora.toml")], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_settling_after_the_outcome_loads_no_module() -> None:
    # A command can end (say "no database yet") before anything has loaded `signal`; loading it
    # then took milliseconds in which a Ctrl-C was a traceback after the error line (seen in CI,
    # the sweep above). Settling uses only what the interpreter has loaded at start.
    code = (
        "import sys; from dora_tui import entry; before = set(sys.modules); entry._settled([]);"
        " print(sorted(set(sys.modules) - before))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert loaded.stdout.strip() == "[]"


# python -c SIGNAL_AT FUNCTION SIGNAL COUNT ARGS...: dora-tui ARGS, sent SIGNAL COUNT times as FUNCTION is called
SIGNAL_AT = """
import os, signal, sys
from dora_tui import entry

name, sent, count = sys.argv[1], getattr(signal, sys.argv[2]), int(sys.argv[3])

def profile(frame, event, arg):  # the signal, `count` times, the moment `name` is called
    if event == "call" and frame.f_code.co_name == name:
        sys.setprofile(None)
        for _ in range(count):
            os.kill(os.getpid(), sent)

sys.argv = ["dora-tui", *sys.argv[4:]]
sys.setprofile(profile)
sys.exit(entry.main())
"""


def test_a_burst_of_ctrl_c_as_the_outcome_is_settled_changes_nothing(tmp_path: Path) -> None:
    # Once the command has said what it did, its line and its status stand: a Ctrl-C landing as
    # that is being made final was a traceback and exit -2 (seen 2 to 5 times in 60 bursts).
    (tmp_path / "dora.toml").write_text(CONFIG)
    done = subprocess.run(
        [sys.executable, "-c", SIGNAL_AT, "_settled", "SIGINT", "3", "report", "--config", str(tmp_path / "dora.toml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    said = f"dora-tui: error: {tmp_path / 'dora.db'}: no database yet (run `dora-tui collect` first)"
    assert done.stderr.splitlines() == [said]


SIGTERM_AFTER_AN_INTERRUPT = """
import os, signal, time
from dora_tui.cli.terminate import as_interrupt

try:
    with as_interrupt():
        raise KeyboardInterrupt  # the command is stopping...
except KeyboardInterrupt:
    pass
try:
    os.kill(os.getpid(), signal.SIGTERM)  # ...and another SIGTERM comes before it has said so
    time.sleep(5)
except KeyboardInterrupt:
    print("the same stop")
"""


def test_a_sigterm_while_a_command_stops_is_the_same_stop_not_a_kill() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SIGTERM_AFTER_AN_INTERRUPT], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout) == (0, "the same stop\n"), done.stderr


@pytest.mark.parametrize(("sent", "signals"), [(signal.SIGINT, 1), (signal.SIGINT, 8), (signal.SIGTERM, 1)])
def test_a_signal_to_the_dashboard_quits_it_cleanly_with_the_terminal_put_back(
    workspace: Path, sent: signal.Signals, signals: int
) -> None:
    # Sent from outside (`kill -INT`, `kill`; in the dashboard Ctrl-C is a key), once or in a
    # burst: it quits as `q` does. A burst of SIGINT left the terminal in the dashboard's screen,
    # often with a traceback (asyncio's own handler raised on every SIGINT after the first);
    # SIGTERM ended it outright, the terminal left so too.
    fast_import(workspace / "shop", 10, 5, 10)
    assert main(["collect"]) == 0
    status, said = on_a_terminal([], workspace, b"checkout", whole=True, sent=sent, times=signals)  # once drawn
    assert status == 0  # as quitting it does
    assert "\x1b[?1049l" in said  # the terminal's own screen back
    assert "Traceback" not in said and "KeyboardInterrupt" not in said


def test_a_site_started_with_sigint_ignored_ignores_it(workspace: Path) -> None:
    # As a shell's background job starts it: the site's safe points waited for SIGINT while it was
    # held, and the system keeps a held signal pending even when it is ignored: the site stopped.
    fast_import(workspace / "shop", 4000, 20, 4000)
    assert main(["collect"]) == 0
    status, err, sent = sigint_ignored(["site", "out", "--as-of", "2024-06-30"], workspace)
    assert (status, err) == (0, ""), err
    assert sent > 1 and (workspace / "out" / "index.html").is_file()


def test_a_sigterm_after_the_site_is_written_says_it_was(workspace: Path) -> None:
    # In the moment between the site swapped in and its line: SIGTERM ended the command
    # outright (status -15), nothing said of a site that was written.
    fast_import(workspace / "shop", 10, 5, 10)
    assert main(["collect"]) == 0
    done = subprocess.run(
        [sys.executable, "-c", SIGNAL_AT, "say", "SIGTERM", "1", "site", "out"],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=60,
    )
    said = "dora-tui: interrupted after the site out was stored in full\n"
    assert (done.returncode, done.stderr) == (INTERRUPTED, said)
    assert (workspace / "out" / "index.html").is_file()
