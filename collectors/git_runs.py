"""Whether the ``git`` on PATH runs at all, asked once a process (:func:`check_git_runs`)."""

from __future__ import annotations

import subprocess

from collectors.errors import GitUnusable

_runs: list[bool] = []  # whether `git --version` ran, once a process


def check_git_runs() -> None:
    """Raise :class:`~collectors.errors.GitUnusable` when the ``git`` on PATH does not run
    (a stub asking for developer tools, a broken install); asked once a process."""
    if not _runs:
        out = subprocess.run(["git", "--version"], capture_output=True, stdin=subprocess.DEVNULL)
        if out.returncode != 0:
            raise GitUnusable(_version_failure())
        _runs.append(True)


def _version_failure() -> str:
    """What ``git --version`` says when git does not run, in a few words."""
    try:
        out = subprocess.run(["git", "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"`git --version`: {exc}"
    lines = [line.strip() for line in (out.stderr or out.stdout).splitlines() if line.strip()]
    return f"`git --version` exits with status {out.returncode}" + (f": {lines[0]}" if lines else "")
