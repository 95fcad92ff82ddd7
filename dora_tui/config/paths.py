"""Where things are on this machine: the git repository around a folder, and dora-tui's data folder."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from dora_tui.errors import GitMissing


def link_loops(path: Path) -> bool:
    """Whether ``path`` leads through links that never end (a link that leads back to itself,
    or a chain longer than the system follows, 40 on Linux; or a folder above it does): it
    names no file and no folder, and can never be made one. Asked of ``stat``, which says
    ``ELOOP`` for both on every Python (``Path.resolve`` stopped raising on a loop in 3.13)."""
    try:
        path.stat()
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def git_toplevel(cwd: Path) -> Path | None:
    """The repository folder containing ``cwd`` (the git dir for a bare one), or None.

    Raises :class:`~dora_tui.errors.GitMissing` when there is no ``git`` on PATH to ask.
    """
    import shutil  # here: only a run without a config file asks git
    import subprocess

    if shutil.which("git") is None:
        raise GitMissing()

    def ask(*args: str) -> str | None:
        try:
            out = subprocess.run(["git", "rev-parse", *args], cwd=cwd, capture_output=True, text=True)
        except OSError:
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    bare = ask("--is-bare-repository")
    if bare is None:
        return None
    found = ask("--absolute-git-dir") if bare == "true" else ask("--show-toplevel")
    return Path(found) if found else None


def user_data_dir() -> Path:
    """Where dora-tui keeps data it owns (zero-config databases, the default demo)."""
    override = os.environ.get("DORA_TUI_DATA_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("dora-tui", appauthor=False)
