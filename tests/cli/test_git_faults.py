"""git missing, refusing or broken, met as a user meets it: a PATH without git, a repository
owned by another user (git's safe.directory check), a git that is there but does not run.
Each is one line saying what to do, and nothing is written."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from collectors.git import GitRepository
from dora_tui.errors import GitError
from support.gitbuilder import GitBuilder
from support.processes import dora

MakeRepo = Callable[..., GitBuilder]  # the make_repo fixture: make_repo("shop") is a new repository

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
    workspace: Path, make_repo: MakeRepo, no_git_env: dict[str, str], command: list[str], expected: str
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


def test_without_git_on_path_zero_config_says_git_is_needed(
    tmp_path: Path, make_repo: MakeRepo, no_git_env: dict[str, str]
) -> None:
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


def test_a_repository_owned_by_another_user_says_what_git_refused(workspace: Path, make_repo: MakeRepo) -> None:
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00")
    repo.tag("v1", "2024-01-01T10:00:00")
    out = dora("collect", cwd=workspace, env=different_owner(repo.path))
    assert out.returncode == 2
    assert out.stderr == f"dora-tui: error: {refusal(repo.path)}\n"


def test_opening_a_repository_owned_by_another_user_explains_the_refusal(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # git checks the owner when it locates the repository; every read after that names the
    # git directory found, so the refusal comes from opening it.
    repo = make_repo("shop")
    repo.commit("2024-01-01T09:00:00")
    different_owner(repo.path)
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    with pytest.raises(GitError) as caught:
        GitRepository(repo.path)
    assert str(caught.value) == refusal(repo.path)


def test_init_on_a_repository_owned_by_another_user_says_what_git_refused(tmp_path: Path, make_repo: MakeRepo) -> None:
    repo = make_repo("src/shop")
    repo.commit("2024-01-01T09:00:00")
    repo.tag("release-1", "2024-01-01T10:00:00")  # a pattern init would guess wrongly without the tags
    out = dora("init", "src", "--output", "new.toml", cwd=tmp_path, env=different_owner(repo.path))
    assert out.returncode == 2
    assert out.stderr == f"dora-tui: error: {refusal(repo.path)}\n"
    assert not (tmp_path / "new.toml").exists()


def test_a_git_that_is_there_but_does_not_run_is_one_line(workspace: Path, make_repo: MakeRepo, tmp_path: Path) -> None:
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
