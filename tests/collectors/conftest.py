"""What the CSV export tests share: a workspace's config with one PagerDuty ``[[imports]]``
entry, and the real ``dora-tui`` command line run in a workspace."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from support import CHECKOUT

CONFIG = (
    CHECKOUT
    + """[[imports]]
kind = "incidents"
file = "pd.csv"
service_map = { "checkout-api" = "checkout" }
"""
)


def _write_config(workspace: Path) -> Path:
    """Write the config above to ``workspace/dora.toml`` (making the folder); returns its path."""
    workspace.mkdir(parents=True, exist_ok=True)
    path = workspace / "dora.toml"
    path.write_text(CONFIG)
    return path


def _dora(workspace: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the real ``dora-tui`` command line in ``workspace``."""
    return subprocess.run(
        [sys.executable, "-m", "dora_tui", *args], cwd=workspace, input=stdin, capture_output=True, timeout=120
    )


@pytest.fixture
def write_config() -> Callable[[Path], Path]:
    """``write_config(workspace)``: a config with one team, the service ``checkout`` and an
    ``[[imports]]`` entry for ``pd.csv`` that maps ``checkout-api`` to it."""
    return _write_config


@pytest.fixture
def dora() -> Callable[..., subprocess.CompletedProcess[bytes]]:
    """``dora(workspace, *args, stdin=None)``: the real command line, run as a process."""
    return _dora
