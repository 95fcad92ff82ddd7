"""Faults met outside the happy path, run the way a user meets them: real `dora-tui`
processes, real signals (Ctrl-C is SIGINT), a PATH without git, a repository git refuses to
read, a link where the rejected rows are written."""

from __future__ import annotations

import csv
import os
import pty
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from collectors.git import GitRepository
from dora_tui.cli import main
from dora_tui.errors import GitError

DORA = Path(sys.executable).with_name("dora-tui")  # the console script, as installed
INTERRUPTED = 130

CONFIG = """database = "dora.db"
timezone = "Europe/London"
[[teams]]
name = "payments"
[[services]]
name = "checkout"
team = "payments"
repo = "shop"
"""
HEADER = (
    "id,incident_number,description,service_id,service_name,escalation_policy_id,"
    "escalation_policy_name,created_on,resolved_on,seconds_to_first_ack,seconds_to_resolve,urgency"
)


def incident(n: int, created: str = "2024-09-03T07:41:12+01:00") -> str:
    return f"P{n},{n},Checkout down,S1,checkout,E1,Main,{created},,,,high"


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def column(db: Path, sql: str) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute(sql)]
    finally:
        conn.close()


def stored_incidents(db: Path) -> list[str]:
    return column(db, "SELECT id FROM incidents ORDER BY id")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "dora.toml").write_text(CONFIG)
    return tmp_path


def dora(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(DORA), *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


# -- 5. --skip-invalid writes FILE.rejected.csv without following a link there -------------


def test_skip_invalid_replaces_a_link_at_the_rejected_file_and_leaves_its_target_alone(workspace: Path) -> None:
    write_csv(workspace / "pd.csv", [incident(1), incident(2, "not a date")])
    precious = workspace / "precious.txt"
    precious.write_bytes(b"someone else's file\n")
    (workspace / "pd.csv.rejected.csv").symlink_to(precious)
    assert main(["import", "incidents", "pd.csv", "--skip-invalid"]) == 0
    assert precious.read_bytes() == b"someone else's file\n"
    rejected = workspace / "pd.csv.rejected.csv"
    assert not rejected.is_symlink()
    with rejected.open(newline="", encoding="utf-8") as handle:
        assert [row["id"] for row in csv.DictReader(handle)] == ["P2"]
    assert stored_incidents(workspace / "dora.db") == ["P1"]
    assert [p.name for p in workspace.iterdir() if p.name.endswith(".tmp")] == []


def test_a_folder_at_the_rejected_file_is_an_error_naming_it(workspace: Path, capsys) -> None:
    write_csv(workspace / "pd.csv", [incident(1), incident(2, "not a date")])
    (workspace / "pd.csv.rejected.csv").mkdir()
    assert main(["import", "incidents", "pd.csv", "--skip-invalid"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pd.csv.rejected.csv" in err and "folder" in err
    assert not (workspace / "dora.db").exists()
    assert [p.name for p in workspace.iterdir() if p.name.endswith(".tmp")] == []


def test_skip_invalid_on_an_export_from_a_pipe_writes_the_rejected_rows_in_the_current_folder(workspace: Path) -> None:
    export = write_csv(workspace / "pd.csv", [incident(1), incident(2, "not a date")])
    with export.open("rb") as stdin:
        out = subprocess.run(
            [str(DORA), "import", "incidents", "/dev/stdin", "--skip-invalid"],
            cwd=workspace,
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert out.returncode == 0, out.stderr
    assert f"1 bad rows written to {workspace / 'stdin.rejected.csv'}" in out.stdout
    assert (workspace / "stdin.rejected.csv").read_text().count("\n") == 2  # its header and the bad row
    assert column(workspace / "dora.db", "SELECT id FROM incidents") == ["P1"]


# -- 9. no git on PATH ---------------------------------------------------------------------

GIT_NEEDED = "git is needed to read repositories and was not found on PATH (install git)"


@pytest.fixture
def no_git_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a machine with Python but no git: PATH holds only `python`."""
    bin_dir = tmp_path / "bin-without-git"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    return dict(os.environ, PATH=str(bin_dir))


@pytest.mark.parametrize(
    "command, expected",
    [
        (["collect"], f"dora-tui: error: {GIT_NEEDED}"),
        (["init", "src", "--output", "new.toml"], f"dora-tui: error: {GIT_NEEDED}"),
        (
            ["demo", "demo-here", "--no-tui"],
            "dora-tui: error: git is needed to build the demo's repositories and was not found on PATH (install git)",
        ),
    ],
)
def test_without_git_on_path_a_command_says_git_is_needed(
    workspace: Path, make_repo, no_git_env, command, expected
) -> None:
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00")
    repo.tag("v1", "2024-01-01T10:00:00")
    (workspace / "src").mkdir()
    make_repo("src/api").commit("2024-01-01T09:00:00")
    out = dora(*command, cwd=workspace, env=no_git_env)
    assert (out.returncode, out.stderr) == (1, expected + "\n")
    assert not (workspace / "new.toml").exists() and not (workspace / "demo-here").exists()
    assert not (workspace / "dora.db").exists()  # a collect that cannot run makes no database


def test_without_git_on_path_zero_config_says_git_is_needed(tmp_path: Path, make_repo, no_git_env) -> None:
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00")
    out = dora("collect", cwd=repo.path, env=no_git_env)
    assert out.returncode == 1
    assert out.stderr == (f"dora-tui: error: {repo.path / 'dora.toml'}: no config file here, and {GIT_NEEDED}\n")


# -- 13. a repository owned by another user ------------------------------------------------


def different_owner(repo: Path) -> dict[str, str]:
    """git's own test switch: it then treats every repository as owned by someone else."""
    env = dict(os.environ, GIT_TEST_ASSUME_DIFFERENT_OWNER="1")
    probe = subprocess.run(["git", "-C", str(repo), "for-each-ref"], capture_output=True, env=env)
    if probe.returncode == 0:
        pytest.skip("this git does not honour GIT_TEST_ASSUME_DIFFERENT_OWNER")
    return env


def refusal(path: Path) -> str:
    return (
        f"{path}: git refused to read it: the repository is owned by another user (git's "
        f"safe.directory check); if you trust it, run: git config --global --add safe.directory {path}"
    )


def test_a_repository_owned_by_another_user_says_what_git_refused(workspace: Path, make_repo) -> None:
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00")
    repo.tag("v1", "2024-01-01T10:00:00")
    out = dora("collect", cwd=workspace, env=different_owner(repo.path))
    assert out.returncode == 2
    assert out.stderr == f"dora-tui: error: {refusal(repo.path)}\n"


@pytest.mark.parametrize("read", ["tags", "commits"])
def test_git_log_and_for_each_ref_both_explain_the_refusal(make_repo, monkeypatch, read) -> None:
    repo = make_repo("shop")
    sha = repo.commit("2024-01-01T09:00:00")
    different_owner(repo.path)
    opened = GitRepository(repo.path)
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    with pytest.raises(GitError) as caught:
        opened.list_tags() if read == "tags" else list(opened.iter_commits([sha]))
    assert str(caught.value) == refusal(repo.path)


def test_init_on_a_repository_owned_by_another_user_says_what_git_refused(tmp_path: Path, make_repo) -> None:
    repo = make_repo("src/shop")
    repo.commit("2024-01-01T09:00:00")
    repo.tag("release-1", "2024-01-01T10:00:00")  # a pattern init would guess wrongly without the tags
    out = dora("init", "src", "--output", "new.toml", cwd=tmp_path, env=different_owner(repo.path))
    assert out.returncode == 2
    assert out.stderr == f"dora-tui: error: {refusal(repo.path)}\n"
    assert not (tmp_path / "new.toml").exists()


def test_a_git_that_is_there_but_does_not_run_is_one_line(workspace: Path, make_repo, tmp_path: Path) -> None:
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00")
    broken = tmp_path / "bin-with-a-broken-git"  # what macOS's stub does before its tools are installed
    broken.mkdir()
    (broken / "git").write_text("#!/bin/sh\necho 'xcrun: error: invalid active developer path' >&2\nexit 1\n")
    (broken / "git").chmod(0o755)
    (broken / "python").symlink_to(sys.executable)
    out = dora("collect", cwd=workspace, env=dict(os.environ, PATH=str(broken)))
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert out.stderr.startswith("dora-tui: error: git does not run here (")
    assert not (workspace / "dora.db").exists()


# -- 10. Ctrl-C: one line, and what it says is true ----------------------------------------


def sigint_after(delay: float, *args: str, cwd: Path) -> tuple[int, str]:
    proc = subprocess.Popen([str(DORA), *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err


def through_dora_tui(err: str) -> bool:
    """Whether ``err`` holds a traceback through dora-tui's own code (the fault): one with a
    frame in its files, or from the console script's line that loaded the whole CLI."""
    files = re.findall(r'File "([^"]+)"', err)
    return any("/dora_tui/" in f or "/collectors/" in f for f in files) or "from dora_tui.cli import" in err


STARTING = "dora-tui: interrupted while starting, before anything was written"


def test_ctrl_c_while_dora_tui_starts_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "dora.toml").write_text(CONFIG)
    seen: list[tuple[int, str]] = []
    for attempt in range(150):  # every delay of one sweep, then on until one lands while starting
        if attempt >= 40 and any(STARTING in err for _, err in seen):
            break
        status, err = sigint_after((attempt % 40) * 0.003, "report", cwd=tmp_path)
        seen.append((status, err))
        assert not through_dora_tui(err), err
        said = [line for line in err.splitlines() if line.startswith("dora-tui:")]
        if not said:
            # Ctrl-C landed before any of dora-tui ran: in Python's own start-up (killed
            # outright, or its own error while it loads `site` or opens the script) or on the
            # console script's lines around the call of the entry point (pip writes them).
            continue
        assert len(said) == 1, err
        if said[0] == STARTING:
            assert status == INTERRUPTED
        elif status == INTERRUPTED:
            assert said[0] == "dora-tui: interrupted before anything was written"
        else:  # the signal came after the command was done (-SIGINT: as Python was exiting)
            assert status in (2, -signal.SIGINT) and "no database yet" in said[0], err
    assert any(STARTING in err for _, err in seen), seen


def run_on_a_terminal(args: list[str], cwd: Path, until: bytes) -> tuple[int, str]:
    """Run dora-tui with stderr on a terminal (so it draws its progress bar); press Ctrl-C
    as soon as ``until`` shows. Returns the exit status and everything it wrote to stderr."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([str(DORA), *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    seen = b""
    try:
        while until not in seen:
            try:
                seen += os.read(leader, 65536)
            except OSError:  # the process ended before showing it
                raise AssertionError(f"{until!r} never showed: {seen!r} (exit {proc.wait()})") from None
        proc.send_signal(signal.SIGINT)
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
    text = seen.decode("utf-8", "replace").replace("\r\n", "\n")
    return status, text.rsplit("\x1b[K", 1)[-1].lstrip("\r")  # what follows the cleared progress bar


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
    shas = fast_import(workspace / "shop", 8000, 500, 2000)
    assert main(["collect"]) == 0
    before = deployments(workspace / "dora.db")
    subprocess.run(["git", "-C", str(workspace / "shop"), "tag", "v9999", shas[-1]], check=True)
    status, err = run_on_a_terminal(["collect"], workspace, until=b"] 0/1 ")
    assert (status, err) == (
        INTERRUPTED,
        "dora-tui: interrupted; the collect of 1 repository was rolled back, the database is as it was before it\n",
    )
    assert deployments(workspace / "dora.db") == before


# -- files written whole or not at all (report --output, init, FILE.rejected.csv) ----------


def test_a_write_that_fails_half_way_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    from dora_tui.ops.files import replace_file

    target = tmp_path / "report.md"
    target.write_text("the previous report\n")

    def write(handle) -> None:
        handle.write("half of a new rep")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        replace_file(target, write, follow_link=True)
    assert target.read_text() == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_report_output_through_a_link_replaces_the_file_it_names(workspace: Path, capsys) -> None:
    (workspace / "reports").mkdir()
    (workspace / "reports" / "latest.json").write_text("old\n")
    (workspace / "out.json").symlink_to(workspace / "reports" / "latest.json")
    write_csv(workspace / "pd.csv", [incident(1)])
    assert main(["import", "incidents", "pd.csv"]) == 0
    assert main(["report", "--output", "out.json", "--as-of", "2024-09-30"]) == 0
    assert (workspace / "out.json").is_symlink()
    assert (workspace / "reports" / "latest.json").read_text().startswith("{")


def test_report_output_to_a_device_writes_into_it_and_leaves_it_a_device(workspace: Path) -> None:
    write_csv(workspace / "pd.csv", [incident(1)])
    assert main(["import", "incidents", "pd.csv"]) == 0
    fifo = workspace / "out.fifo"  # a special file of our own (not /dev/null, which other tests use)
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert main(["report", "--output", str(fifo), "--as-of", "2024-09-30"]) == 0
    out, _ = reader.communicate(timeout=30)
    assert out.startswith(b"{") and stat.S_ISFIFO(fifo.lstat().st_mode)


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
