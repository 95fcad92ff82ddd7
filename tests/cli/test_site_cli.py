"""``dora-tui site``: deterministic, replaced whole, never over files it did not write; bad input is one line."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from dora_tui.cli import main
from support.cli import error_line
from support.site import DEMO_DAY, demo_workspace


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_workspace(tmp_path_factory.mktemp("demo"))


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def site(config: Path, out: Path, *more: str) -> int:
    return main(["site", str(out), "--as-of", DEMO_DAY.isoformat(), "--config", str(config), *more])


def test_two_runs_write_byte_identical_files(config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert site(config, tmp_path / "a") == 0
    assert "pages into" in capsys.readouterr().out
    assert site(config, tmp_path / "b") == 0
    first, second = files(tmp_path / "a"), files(tmp_path / "b")
    assert first == second and len(first) > 20


def test_an_existing_site_is_replaced_whole(config: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    more = config.with_name("more.toml")  # the same workspace with one more service
    more.write_text(config.read_text(encoding="utf-8") + '\n[[services]]\nname = "gone"\nrepo = "repos/checkout"\n')
    try:
        assert site(more, out, "--months", "3") == 0
    finally:
        more.unlink()
    old = files(out)
    assert "services/gone.html" in old
    assert site(config, out) == 0
    new = files(out)
    assert set(new) == {p for p in old if "/gone" not in p}  # the old site's pages of "gone" are gone
    assert new["rows/services/checkout.html"] != old["rows/services/checkout.html"]  # 7 months, not 3
    assert not [p for p in tmp_path.iterdir() if p.name != "site"]  # no staging folder left beside it
    listed = (out / "dora-tui-site.txt").read_text(encoding="utf-8").splitlines()
    assert sorted(line for line in listed if not line.startswith("#")) == sorted(new)


def test_a_file_the_site_did_not_write_stops_it_unless_forced(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert site(config, out) == 0
    (out / "README.md").write_text("our portal\n")
    before = files(out)
    line = error_line(capsys, ["site", str(out), "--as-of", DEMO_DAY.isoformat(), "--config", str(config)])
    assert "'README.md'" in line and "--force" in line
    assert files(out) == before  # untouched
    assert site(config, out, "--force") == 0
    assert not (out / "README.md").exists()


def test_a_folder_of_someone_else_s_files_is_refused(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "notes.md").write_text("mine\n")
    line = error_line(capsys, ["site", str(out), "--config", str(config)])
    assert "notes.md" in line
    assert (out / "notes.md").read_text() == "mine\n"


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--months", "0"], "--months"),
        (["--as-of", "2026-13-01"], "--as-of"),
        (["--as-of", "0001-03-01", "--months", "24"], "as-of"),
    ],
)
def test_bad_options_are_one_line(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    line = error_line(capsys, ["site", str(tmp_path / "out"), "--config", str(config), *argv])
    assert said in line
    assert not (tmp_path / "out").exists()


def test_out_being_a_file_is_one_line(config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out").write_text("x")
    assert "not a folder" in error_line(capsys, ["site", str(tmp_path / "out"), "--config", str(config)])


def test_the_demo_writes_its_site_and_says_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["demo", str(tmp_path / "demo"), "--no-tui"]) == 0
    lines = capsys.readouterr().out.splitlines()
    index = tmp_path / "demo" / "site" / "index.html"
    assert lines[-2].startswith("Demo workspace: ")
    assert lines[-1] == f"Demo site: {index} (open it in a browser)"
    assert index.is_file() and (index.parent / "services" / "checkout.html").is_file()


DORA = Path(sys.executable).with_name("dora-tui")  # the console script, as installed


@pytest.fixture
def workspace(config: Path, tmp_path: Path) -> Path:
    """A copy of the demo workspace of its own (the test may try to replace it); returns its config."""
    shutil.copytree(config.parent, tmp_path / "ws", symlinks=True)
    return tmp_path / "ws" / "dora.toml"


def test_the_workspace_is_never_replaced_even_forced(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = workspace.parent
    before = files(ws)
    for out, said in [
        (ws, "holds the config file"),
        (ws.parent, "holds the config file"),
        (ws / "repos", "holds the repository of service"),
        (ws / "repos" / "checkout", "is the repository of service 'checkout'"),
        (ws / "exports", "holds an [[imports]] file"),
        (Path("/"), "is the root of the file system"),
        # a repository's git folder, or a folder in it: replaced, the repository was gone (a review's finding)
        (ws / "repos" / "checkout" / ".git", "is the git folder of a repository"),
        (ws / "repos" / "checkout" / ".git" / "site", f"is inside {ws / 'repos' / 'checkout' / '.git'}, the git"),
    ]:
        line = error_line(capsys, ["site", str(out), "--force", "--config", str(workspace)])
        assert line.startswith(f"dora-tui: error: {out}: {said}"), line
    assert files(ws) == before


def test_the_current_folder_is_never_replaced(workspace: Path, tmp_path: Path) -> None:
    here = tmp_path / "here"
    (here / "work").mkdir(parents=True)
    (here / "work" / "notes.md").write_text("mine\n")
    for out in (here / "work", here):
        argv = [str(DORA), "site", str(out), "--force", "--config", str(workspace)]
        result = subprocess.run(argv, cwd=here / "work", capture_output=True, text=True, timeout=120)
        assert result.returncode == 2 and "the current folder" in result.stderr, result.stderr
    assert (here / "work" / "notes.md").read_text() == "mine\n"


def test_the_readme_s_nightly_git_job_runs_every_night(config: Path, tmp_path: Path) -> None:
    out = tmp_path / "portal"

    def git(*argv: str) -> str:
        command = ["git", "-c", "user.name=Cron", "-c", "user.email=cron@example.org", *argv]
        return subprocess.run(command, cwd=out, check=True, capture_output=True, text=True).stdout

    for night, more in (("2026-11-20", []), ("2026-11-21", []), ("2026-11-22", ["--force"])):
        assert main(["site", str(out), "--as-of", night, "--config", str(config), *more]) == 0
        if night == "2026-11-20":
            git("init", "-q")
            (out / "CNAME").write_text("dora.example.org\n")
        git("add", "-A")
        git("commit", "-qm", f"DORA portal {night}")
    assert len(git("log", "--format=%s").splitlines()) == 3
    assert git("status", "--porcelain") == ""
    assert (out / "CNAME").read_text() == "dora.example.org\n"
    assert "index.html" in git("ls-files").splitlines()


def interrupted_while_writing(
    config: Path, tmp_path: Path, interrupt: Callable[[subprocess.Popen[str], int], None]
) -> subprocess.Popen[str]:
    """Run ``dora-tui site`` over ``tmp_path/site`` (in a session of its own) until it is caught
    while it writes (a staging folder beside OUT), then ``interrupt`` it (given the run and
    the attempt's number); returns the run."""
    argv = [str(DORA), "site", str(tmp_path / "site"), "--as-of", "2026-11-01", "--config", str(config)]
    for attempt in range(20):
        run = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
        while run.poll() is None and not [p for p in tmp_path.iterdir() if p.name.startswith(".site.site-")]:
            time.sleep(0.001)
        if run.poll() is None:
            interrupt(run, attempt)
            return run
        run.wait()
    pytest.fail("the site was never caught while it was written")


def test_sigterm_leaves_out_as_it_was_and_nothing_beside_it(config: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert site(config, out) == 0
    before = files(out)
    run = interrupted_while_writing(config, tmp_path, lambda run, _: run.send_signal(signal.SIGTERM))
    _, err = run.communicate(timeout=120)
    assert run.returncode == 130 and err.startswith("dora-tui: interrupted"), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert files(out) == before


def running_with(marker: str) -> list[int]:
    """The processes whose command line holds ``marker`` (a forked child has its parent's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                line = (entry / "cmdline").read_bytes()
            except OSError:  # ended meanwhile
                continue
            if marker.encode() in line:
                found.append(int(entry.name))
    return found


def twice(run: subprocess.Popen[str], attempt: int) -> None:
    """Ctrl-C, then Ctrl-C again a moment later, as an impatient person does."""
    os.killpg(run.pid, signal.SIGINT)
    time.sleep(0.002 * (attempt % 5))
    if run.poll() is None:
        os.killpg(run.pid, signal.SIGINT)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the processes left through /proc")
def test_a_second_ctrl_c_does_not_cut_the_clean_up_short(config: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert site(config, out) == 0
    before = files(out)
    run = interrupted_while_writing(config, tmp_path, twice)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 130 and err.startswith("dora-tui: interrupted"), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert files(out) == before
    assert running_with(str(out)) == []  # no second process left behind


def undeletable(path: Path) -> Callable[[Path], None]:
    """Make ``path`` a file no one may remove; returns what undoes it (given where it is by then)."""
    if os.geteuid() != 0:
        path.parent.chmod(0o555)
        return lambda moved: moved.parent.chmod(0o755)
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode != 0:
        pytest.skip("as root, only an immutable file (chattr +i) cannot be removed, and this file system has none")
    return lambda moved: subprocess.run(["chattr", "-i", str(moved)], check=True) and None


def test_an_old_site_that_cannot_be_removed_is_a_warning(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert site(config, out, "--months", "3") == 0
    undo = undeletable(out / "static" / "site.css")
    capsys.readouterr()
    try:
        assert site(config, out) == 0
        left = [p for p in tmp_path.iterdir() if p.name != "site"]
        assert [p.name[: len(".site.site-old-")] for p in left] == [".site.site-old-"]
        assert capsys.readouterr().err == (
            f"warning: the old site could not be removed: {left[0]} is left; remove it\n"
        )
        new = (out / "rows" / "services" / "checkout.html").read_text(encoding="utf-8")
        assert '<h2 id="2026-05">' in new  # the new site: 7 months
    finally:
        for path in (out / "static" / "site.css", *tmp_path.glob(".site.site-old-*/static/site.css")):
            if path.exists():
                undo(path)


def _can_bind_mount(tmp_path: Path) -> bool:
    """Whether this process may mount in a mount namespace of its own (root, or a user namespace)."""
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", f"mount --bind {tmp_path} {tmp_path}"], capture_output=True, check=False
    )
    return probe.returncode == 0


def test_a_bind_mount_as_out_is_refused_before_any_work(config: Path, tmp_path: Path) -> None:
    # os.path.ismount does not see a bind mount of the same file system: the site was made in
    # full, then failed at the swap with "Device or resource busy" (a review's finding)
    if shutil.which("unshare") is None or not _can_bind_mount(tmp_path):
        pytest.skip("needs unshare and the right to mount in a namespace of its own")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    script = (
        f"mount --bind {tmp_path / 'a'} {tmp_path / 'b'} && exec {DORA} site {tmp_path / 'b'} --force --config {config}"
    )
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr == (
        f"dora-tui: error: {tmp_path / 'b'}: is a mount point, and the site replaces OUT whole by renaming folders, "
        "which a mount point cannot be: give a folder inside it\n"
    )
