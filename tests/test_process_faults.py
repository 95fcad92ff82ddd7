"""Faults met outside the happy path, run the way a user meets them: real `dora-tui`
processes, real signals (Ctrl-C is SIGINT), a PATH without git, a repository git refuses to
read, a link where the rejected rows are written."""

from __future__ import annotations

import csv
import os
import pty
import signal
import sqlite3
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
HEADER = ("id,incident_number,description,service_id,service_name,escalation_policy_id,"
          "escalation_policy_name,created_on,resolved_on,seconds_to_first_ack,seconds_to_resolve,urgency")


def incident(n: int, created: str = "2024-09-03T07:41:12+01:00") -> str:
    return f"P{n},{n},Checkout down,S1,checkout,E1,Main,{created},,,,high"


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def stored_incidents(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM incidents ORDER BY id")]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "dora.toml").write_text(CONFIG)
    return tmp_path


def dora(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(DORA), *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env=env)


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


# -- 9. no git on PATH ---------------------------------------------------------------------

GIT_NEEDED = "git is needed to read repositories and was not found on PATH (install git)"


@pytest.fixture
def no_git_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a machine with Python but no git: PATH holds only `python`."""
    bin_dir = tmp_path / "bin-without-git"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    return dict(os.environ, PATH=str(bin_dir))


@pytest.mark.parametrize("command, expected", [
    (["collect"], f"dora-tui: error: {GIT_NEEDED}"),
    (["init", "src", "--output", "new.toml"], f"dora-tui: error: {GIT_NEEDED}"),
    (["demo", "demo-here", "--no-tui"],
     "dora-tui: error: git is needed to build the demo's repositories and was not found on PATH (install git)"),
])
def test_without_git_on_path_a_command_says_git_is_needed(workspace: Path, make_repo, no_git_env,
                                                          command, expected) -> None:
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00")
    repo.tag("v1", "2024-01-01T10:00:00")
    (workspace / "src").mkdir()
    make_repo("src/api").commit("2024-01-01T09:00:00")
    out = dora(*command, cwd=workspace, env=no_git_env)
    assert (out.returncode, out.stderr) == (1, expected + "\n")
    assert not (workspace / "new.toml").exists() and not (workspace / "demo-here").exists()


def test_without_git_on_path_zero_config_says_git_is_needed(tmp_path: Path, make_repo, no_git_env) -> None:
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00")
    out = dora("collect", cwd=repo.path, env=no_git_env)
    assert out.returncode == 1
    assert out.stderr == (f"dora-tui: error: {repo.path / 'dora.toml'}: no config file here, and "
                          f"{GIT_NEEDED}\n")


# -- 13. a repository owned by another user ------------------------------------------------

def different_owner(repo: Path) -> dict[str, str]:
    """git's own test switch: it then treats every repository as owned by someone else."""
    env = dict(os.environ, GIT_TEST_ASSUME_DIFFERENT_OWNER="1")
    probe = subprocess.run(["git", "-C", str(repo), "for-each-ref"], capture_output=True, env=env)
    if probe.returncode == 0:
        pytest.skip("this git does not honour GIT_TEST_ASSUME_DIFFERENT_OWNER")
    return env


def refusal(path: Path) -> str:
    return (f"{path}: git refused to read it: the repository is owned by another user (git's "
            f"safe.directory check); if you trust it, run: git config --global --add safe.directory {path}")


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
    env = different_owner(repo.path)
    opened = GitRepository(repo.path)
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", env["GIT_TEST_ASSUME_DIFFERENT_OWNER"])
    with pytest.raises(GitError) as caught:
        opened.list_tags() if read == "tags" else list(opened.iter_commits([sha]))
    assert str(caught.value) == refusal(repo.path)
