"""The store tests' fixtures: a tiny real workspace, and folders made read-only."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support.databases import workspace


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A tiny real workspace in the test's folder (see :func:`support.databases.workspace`)."""
    return workspace(tmp_path)


def _read_only_prefix() -> tuple[str, ...]:
    """How to run a command that a folder's missing write permission stops: as root, without the
    capability that lets root write anywhere (``setpriv``, util-linux)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, and no setpriv to drop root's right to write into a read-only folder")
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search", "--")


@pytest.fixture
def read_only(tmp_path: Path):
    """Make folders read-only for the test (and writable again after it, for the clean-up)."""
    prefix = _read_only_prefix()
    made: list[Path] = []

    def lock(folder: Path) -> tuple[str, ...]:
        folder.chmod(0o555)
        made.append(folder)
        return prefix

    yield lock
    for folder in made:
        folder.chmod(0o755)
