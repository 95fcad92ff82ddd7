"""Fixtures of the command line's tests: a workspace of one team and one service."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.processes import write_workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The test's folder (the current folder) as a workspace: ``dora.toml`` names service
    ``checkout`` in the repository ``shop`` (see :data:`support.processes.CONFIG`)."""
    return write_workspace(tmp_path)
